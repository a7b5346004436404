"""The readers' protocol: bytes of one file in, one `RawDocument` out.

Every format (txt, PDF, DOCX, HTML, OFD, images) is turned into the same
plain-text shape the heading parser (`corpus.parse_document`) already reads:
one heading or paragraph per line, headings on their own line, table rows as
one line each ("指标 | 2020年 | 2025年"). Page starts are kept as offsets into
that text, so a passage's page is found from its offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RawDocument:
    """The text of one file, before heading parsing.

    `pages[i]` is the offset in `text` where page i+1 starts (empty: the format has no pages).
    `ocr_pages` are the 1-based pages whose text came from OCR; `needs_ocr` the pages that have
    no text layer and were not read because OCR is not installed.
    """

    name: str
    text: str
    format: str  # txt | md | pdf | docx | html | ofd | image
    title: str = ""
    pages: tuple[int, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    needs_ocr: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding `offset`, or None for a format without pages.

        Example: RawDocument("a", "xxyy", "pdf", pages=(0, 2)).page_at(3) -> 2
        """
        if not self.pages:
            return None
        page = 0
        for i, start in enumerate(self.pages):
            if start <= offset:
                page = i
            else:
                break
        return page + 1


class Reader(Protocol):
    """One format. `read` raises `UnreadableDocument` naming the file and what to do."""

    format: str

    def read(self, name: str, data: bytes) -> RawDocument: ...
