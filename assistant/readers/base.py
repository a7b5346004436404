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
    `ocr_pages` are the 1-based pages whose text (all of it, or the text of images on them) came
    from OCR; `needs_ocr` the pages whose text is only in images (no text layer, or large images
    on a page with text) and was not read because OCR is not installed or was not asked for.
    `headings` are (line start offset, level 1..9) of lines the format itself marks as headings
    (Word heading styles and outline levels) even where the line has no 一、/（一） marker.
    `table_rows` counts the table rows kept as "cell | cell | cell" lines.
    """

    name: str
    text: str
    format: str  # txt | md | pdf | docx | html | ofd | image
    title: str = ""
    pages: tuple[int, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    needs_ocr: tuple[int, ...] = ()
    headings: tuple[tuple[int, int], ...] = ()
    table_rows: int = 0

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
