"""PDF with a text layer: the only pdfplumber user.

Per page: ruled tables become one "cell | cell" line per row (a figure stays next to its
indicator and year); the remaining characters become lines; large images and pages without
a text layer go to OCR (or are listed in `needs_ocr`). Then `layout` drops running headers,
footers and page numbers, drops the table of contents, and joins lines broken mid-sentence.
"""

from __future__ import annotations

import io
import re
import statistics
from typing import Any

from ..errors import UnreadableDocument
from . import messages as m
from . import ocr as ocr_mod
from .base import RawDocument
from .layout import Line, assemble, clean, drop_running, drop_toc, title_of
from .table import is_header, label_row

IMAGE_MIN_WIDTH = 0.25  # of the page width: smaller images are seals, logos, rules
IMAGE_MIN_HEIGHT = 0.06  # of the page height
FILL_MAX = 20  # a merged label longer than this is a note, not a category: not repeated per row


def cell_text(cell: str) -> str:
    """A table cell's text on one line.

    Example: cell_text("编制规划数量（全国重点\\n文物保护单位）") -> "编制规划数量（全国重点文物保护单位）"
    """
    return clean(re.sub(r"(?<=[A-Za-z0-9])\n(?=[A-Za-z0-9])", " ", cell).replace("\n", ""))


def page_ranges(pages: tuple[int, ...]) -> str:
    """Example: page_ranges((1, 2, 3, 7)) -> "1-3, 7"."""
    out: list[str] = []
    for p in pages:
        if out and "-" not in out[-1].split(", ")[-1] and int(out[-1]) == p - 1:
            out[-1] = f"{out[-1]}-{p}"
        elif out and "-" in out[-1] and int(out[-1].split("-")[1]) == p - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{p}"
        else:
            out.append(str(p))
    return ", ".join(out)


def _table_rows(
    page: Any, number: int, carried: list[str] | None = None
) -> tuple[list[Line], list[tuple[float, float, float, float]], list[str] | None]:
    """Rows with two or more filled cells, their boxes (their characters are not read again), and the
    labelling row of the page's last table, which a table continued on the next page goes on using."""
    if not (page.rects or page.lines or page.curves):
        return [], [], None
    rows: list[Line] = []
    boxes: list[tuple[float, float, float, float]] = []
    last: list[str] | None = None
    for t, table in enumerate(page.find_tables()):
        above: list[str | None] = []
        # A table at the top of a page continues the last one of the page before: same labels.
        header: list[str] | None = carried if t == 0 else None
        for row, cells in zip(table.rows, table.extract(), strict=False):
            if len(cells) < 2:
                continue
            texts = [cell_text(c) if c is not None else None for c in cells]
            # Leading cells merged from the row above ("保护利用" spanning rows) are filled in,
            # so each row names its category.
            first = next((i for i, t in enumerate(texts) if t is not None), len(texts))
            for i in range(min(first, len(above))):
                label = above[i]
                texts[i] = label if label and len(label) <= FILL_MAX else None
            filled = [t for t in texts if t]
            if len(filled) < 2:
                continue
            above = texts
            if is_header(filled) and (header is None or header is carried):
                header = filled
            x0, top, x1, bottom = row.bbox
            rows.append(Line(label_row(header, filled), x0, x1, top, bottom, 0.0, number, row=True))
            boxes.append(row.bbox)
        last = header
    return rows, boxes, last


def _text_lines(page: Any, number: int, boxes: list[tuple[float, float, float, float]]) -> list[Line]:
    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    source = page.filter(outside) if boxes else page
    lines = []
    for raw in source.extract_text_lines(return_chars=True, strip=True):
        text = clean(raw["text"])
        if not text:
            continue
        size = statistics.median(c["size"] for c in raw["chars"]) if raw["chars"] else 0.0
        lines.append(Line(text, raw["x0"], raw["x1"], raw["top"], raw["bottom"], float(size), number))
    return lines


def _big_images(page: Any) -> list[tuple[float, float, float, float]]:
    return [
        (im["x0"], im["top"], im["x1"], im["bottom"])
        for im in page.images
        if im["x1"] - im["x0"] >= IMAGE_MIN_WIDTH * page.width
        and im["bottom"] - im["top"] >= IMAGE_MIN_HEIGHT * page.height
    ]


class PdfReader:
    format = "pdf"

    def __init__(self, ocr: bool = True, max_ocr_pages: int | None = None, max_pages: int = 1000) -> None:
        self.ocr = ocr
        self.max_ocr_pages = max_ocr_pages
        self.max_pages = max_pages

    def read(self, name: str, data: bytes) -> RawDocument:
        import pdfplumber

        try:
            pdf = pdfplumber.open(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - pdfminer raises many unrelated types on bad input
            raise _translate(name, exc) from exc
        with pdf:
            try:
                return self._read(name, data, pdf)
            except UnreadableDocument:
                raise
            except Exception as exc:  # noqa: BLE001
                raise _translate(name, exc) from exc

    def _read(self, name: str, data: bytes, pdf: Any) -> RawDocument:
        count = len(pdf.pages)
        if count == 0:
            raise m.unreadable(m.DAMAGED, name, detail="0 pages")
        if count > self.max_pages:
            raise m.unreadable(m.TOO_MANY_PAGES, name, 413, pages=count, limit=self.max_pages)
        pages: list[list[Line]] = []
        heights: list[float] = []
        to_ocr: list[tuple[int, list[tuple[float, float, float, float]] | None]] = []
        table_rows = 0
        header: list[str] | None = None
        for number, page in enumerate(pdf.pages):
            rows, boxes, header = _table_rows(page, number, header)
            lines = _text_lines(page, number, boxes)
            table_rows += len(rows)
            images = _big_images(page)
            if not lines and not rows:
                if page.images:  # a scan; a page without images either is blank
                    to_ocr.append((number, None))
            elif images:
                to_ocr.append((number, images))
            pages.append(lines + rows)
            heights.append(float(page.height))
            page.close()  # pdfplumber caches every object of a page: free them as we go
        ocr_pages, needs_ocr = self._ocr(data, pages, to_ocr)
        if not any(pages) and needs_ocr:
            if len(needs_ocr) == count:
                raise m.unreadable(m.NEEDS_OCR, name, pages=page_ranges(needs_ocr))
        for lines in pages:
            lines.sort(key=lambda ln: ln.top)
        pages = drop_toc(drop_running(pages, heights))
        text, starts = assemble(pages)
        title = title_of([[ln for ln in lines if ln.block == "body"] for lines in pages])
        table_rows = sum(ln.row for lines in pages for ln in lines)
        return RawDocument(
            name,
            text,
            "pdf",
            title=title,
            pages=starts,
            ocr_pages=ocr_pages,
            needs_ocr=needs_ocr,
            table_rows=table_rows,
        )

    def _ocr(
        self,
        data: bytes,
        pages: list[list[Line]],
        to_ocr: list[tuple[int, list[tuple[float, float, float, float]] | None]],
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """OCR what needs it, within the page budget; returns (OCR'd pages, pages still needing OCR)."""
        if not to_ocr:
            return (), ()
        budget = len(to_ocr) if self.max_ocr_pages is None else self.max_ocr_pages
        if not (self.ocr and ocr_mod.available()):
            budget = 0
        done: list[int] = []
        renderer = ocr_mod.PdfRenderer(data) if budget else None
        try:
            for number, regions in to_ocr[:budget]:
                assert renderer is not None
                if regions is None:
                    pages[number].extend(renderer.ocr(number, None, f"scan{number}"))
                else:
                    for k, region in enumerate(regions):
                        pages[number].extend(renderer.ocr(number, region, f"image{number}.{k}"))
                done.append(number + 1)
        finally:
            if renderer is not None:
                renderer.close()
        return tuple(done), tuple(number + 1 for number, _ in to_ocr[budget:])


def _translate(name: str, exc: Exception) -> UnreadableDocument:
    """A library error as the reader's error: encrypted, or damaged."""
    # pdfplumber wraps pdfminer's PDFPasswordIncorrect in PdfminerException(args=(the error,)).
    kind = f"{type(exc).__name__} {exc!r} {exc.__cause__!r} {exc.__context__!r}".lower()
    if "password" in kind or "encrypt" in kind or "decrypt" in kind:
        return m.unreadable(m.ENCRYPTED, name)
    return m.unreadable(m.DAMAGED, name, detail=type(exc).__name__)
