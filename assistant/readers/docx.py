"""Word .docx: the only python-docx user.

Paragraphs and tables in document order, one line each (a table row as "cell | cell").
Headings come from Word heading styles and outline levels, and from bold "一、/（一）"
paragraphs in Normal style, which is how most government DOCX files mark them; a bold
heading that runs into its body text in the same paragraph is put on its own line.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ..errors import UnreadableDocument
from . import messages as m
from .archive import open_zip
from .base import RawDocument
from .table import is_header, label_row

HEADING_STYLE_RE = re.compile(r"^(heading|标题)\s*(\d)$", re.I)
TOC_TITLE_RE = re.compile(r"^目\s*[录次]$")
FRONT_MATTER_RE = re.compile(r"^(前\s*言|引\s*言|目\s*[录次])$")  # headings that are not the title
BOLD_HEADING_MAX = 40  # a bold paragraph longer than this is emphasis, not a heading
SPACE_RE = re.compile(r"[ \t\u3000\xa0]+")


def _outline_level(paragraph: Any) -> int | None:
    """The paragraph's outline level (0-based), from itself or its style chain."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.outlineLvl is not None:
        return int(ppr.outlineLvl.val)
    style = paragraph.style
    while style is not None:
        sppr = style.element.pPr
        if sppr is not None and sppr.outlineLvl is not None:
            return int(sppr.outlineLvl.val)
        style = style.base_style
    return None


def _style_level(paragraph: Any) -> int | None:
    """1-based heading level from a Word heading style or an outline level below 9 (body text)."""
    match = HEADING_STYLE_RE.match(paragraph.style.name or "")
    if match:
        return int(match.group(2))
    level = _outline_level(paragraph)
    return level + 1 if level is not None and level < 9 else None


def _bold(run: Any, paragraph: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    if run.style is not None and run.style.font.bold:
        return True
    return bool(paragraph.style.font.bold)


def _bold_lead(paragraph: Any) -> str:
    """The text of the paragraph's leading bold runs."""
    lead = []
    for run in paragraph.runs:
        if not run.text.strip():
            lead.append(run.text)
            continue
        if not _bold(run, paragraph):
            break
        lead.append(run.text)
    return "".join(lead)


def _clean(text: str) -> str:
    return SPACE_RE.sub(" ", text).strip()


def _row_text(row: Any) -> list[str]:
    """Cell texts of a row; a cell merged across columns is listed once."""
    seen: set[int] = set()
    texts = []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        texts.append(_clean(" ".join(p.text for p in cell.paragraphs)))
    return [t for t in texts if t]


class DocxReader:
    format = "docx"

    def read(self, name: str, data: bytes) -> RawDocument:
        import docx

        open_zip(name, data).close()  # caps on what it expands to, before python-docx reads it all
        try:
            document = docx.Document(io.BytesIO(data))
            return self._read(name, document)
        except UnreadableDocument:
            raise
        except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many types on bad input
            raise m.unreadable(m.DAMAGED, name, detail=type(exc).__name__) from exc

    def _read(self, name: str, document: Any) -> RawDocument:
        from docx.table import Table

        from ..corpus import heading_rank

        lines: list[str] = []
        headings: list[tuple[int, int]] = []
        pos = 0
        table_rows = 0
        first_heading = ""

        def add(text: str, level: int | None = None) -> None:
            nonlocal pos
            if level is not None:
                headings.append((pos, level))
            lines.append(text)
            pos += len(text) + 1

        for block in document.iter_inner_content():
            if isinstance(block, Table):
                header: list[str] | None = None
                for row in block.rows:
                    cells = _row_text(row)
                    if len(cells) >= 2:
                        table_rows += 1
                        if header is None and is_header(cells):
                            header = cells
                    if cells:
                        add(label_row(header, cells))
                continue
            text = _clean(block.text)
            if not text or (block.style.name or "").lower().startswith("toc") or TOC_TITLE_RE.match(text):
                continue
            level = _style_level(block)
            if level is not None:
                if not FRONT_MATTER_RE.match(text):
                    first_heading = first_heading or text
                add(text, level)
                continue
            rank = heading_rank(text)
            lead = _clean(_bold_lead(block))
            if rank is not None and lead and heading_rank(lead) is not None and len(lead) <= BOLD_HEADING_MAX:
                add(lead, int(rank) + 1)
                rest = _clean(text[len(lead) :]) if text.startswith(lead) else ""
                if rest:
                    add(rest)
                continue
            add(text)
        title = self._title(document, lines, first_heading)
        return RawDocument(
            name, "\n".join(lines), "docx", title=title, headings=tuple(headings), table_rows=table_rows
        )

    @staticmethod
    def _title(document: Any, lines: list[str], first_heading: str) -> str:
        """The core-properties title when the text has it, else the first heading, else a bold first line."""
        core = _clean(document.core_properties.title or "")
        if core and any(core in line for line in lines[:20]):
            return core
        if first_heading:
            return first_heading
        for paragraph in document.paragraphs[:5]:
            text = _clean(paragraph.text)
            if text and len(text) <= 60 and _bold_lead(paragraph).strip() == paragraph.text.strip():
                return text
        return ""
