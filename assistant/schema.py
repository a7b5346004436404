"""The typed records that pass between pipeline stages.

Every stage takes and returns these frozen dataclasses, so a stage can be
swapped or tested alone. `to_dict()` gives the JSON shape the API returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECTION_SEP = " › "


@dataclass(frozen=True)
class Passage:
    """A verbatim span of one document that never crosses a section boundary.

    `start`/`end` are character offsets into the source file, so
    `source[start:end] == text` always holds. `entity` is set for a box's
    per-zone entry ("沈阳高新区：…" → "沈阳高新区").
    """

    id: str
    doc: str
    section: tuple[str, ...]
    text: str
    start: int
    end: int
    kind: str = "paragraph"  # paragraph | entry | bullet | box | heading
    entity: str | None = None
    page: int | None = None  # 1-based page of the source file, for formats with pages (PDF, OFD)
    ocr: bool = False  # the text was read by OCR from a scanned page or an image

    @property
    def section_path(self) -> str:
        return SECTION_SEP.join(self.section)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "section": self.section_path,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "entity": self.entity,
            "page": self.page,
            "ocr": self.ocr,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Passage:
        return cls(
            id=d["id"],
            doc=d["doc"],
            section=tuple(d["section"].split(SECTION_SEP)) if d["section"] else (),
            text=d["text"],
            start=d["start"],
            end=d["end"],
            kind=d.get("kind", "paragraph"),
            entity=d.get("entity"),
            page=d.get("page"),
            ocr=bool(d.get("ocr", False)),
        )


@dataclass(frozen=True)
class Section:
    """A node of a document's heading tree: `path` is the full heading path."""

    doc: str
    path: tuple[str, ...]
    start: int
    end: int
    children: tuple[Section, ...] = ()
    passage_ids: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.path[-1] if self.path else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "path": SECTION_SEP.join(self.path),
            "start": self.start,
            "end": self.end,
            "passages": list(self.passage_ids),
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Document:
    """One parsed plan: its source text, heading tree and passages."""

    name: str  # file name, the `doc` of every passage and citation
    title: str
    text: str
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]
    format: str = "txt"  # what the file was read as: txt | md | pdf | docx | html | ofd | image
    pages: int = 0  # pages in the source file (0 for formats without pages)
    needs_ocr: tuple[int, ...] = ()  # pages with no text layer, left unread because OCR is not installed


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its fused score and the per-ranker evidence."""

    passage: Passage
    score: float
    why: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Citation:
    """A cited passage. `span` marks the quoted part inside `text` (for highlighting)."""

    id: str
    doc: str
    section: str
    text: str
    score: float
    span: tuple[int, int] | None = None
    page: int | None = None  # 1-based page in the source file (PDF, OFD), None for formats without pages
    ocr: bool = False  # the cited text was read by OCR: check it against the page

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc": self.doc,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 4),
            "span": list(self.span) if self.span else None,
            "page": self.page,
            "ocr": self.ocr,
        }


@dataclass(frozen=True)
class Answer:
    """What the assistant says: the answer text with [n] markers and its citations."""

    answer: str
    found: bool
    citations: tuple[Citation, ...] = ()
    mode: str = "extractive"  # extractive | generative | fallback
    note: str = ""
    question: str = ""  # the standalone question after resolving follow-ups

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "found": self.found,
            "citations": [c.to_dict() for c in self.citations],
            "mode": self.mode,
            "note": self.note,
            "question": self.question,
        }


@dataclass(frozen=True)
class Target:
    """A quantified goal or baseline figure found in a plan by rule at index time.

    Example: "省级以上高新区科学研究与试验发展经费占GDP比重达到2.8%"
    -> Target(indicator="省级以上高新区科学研究与试验发展经费占GDP比重", value="2.8", unit="%", year=2020, ...)
    """

    indicator: str
    value: str
    unit: str
    year: int | None
    kind: str  # target | baseline
    doc: str
    section: str
    passage_id: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "value": self.value,
            "unit": self.unit,
            "year": self.year,
            "kind": self.kind,
            "doc": self.doc,
            "section": self.section,
            "passage_id": self.passage_id,
            "text": self.text,
        }
