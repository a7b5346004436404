"""OCR of scanned pages, images inside pages, and image files: the only rapidocr and pypdfium2 user.

rapidocr-onnxruntime 1.4.4 ships the Chinese PP-OCRv4 models inside its wheel, so nothing is
downloaded; it is the optional `ocr` extra. A page takes ~4-8 s on two cores, so callers cap
how many pages they OCR and list the rest as needing it.
"""

from __future__ import annotations

import io
import threading
from functools import cache
from typing import Any

from . import messages as m
from .base import RawDocument
from .layout import Line, assemble, clean
from .table import is_header, label_row

SCALE = 2.0  # render at 144 dpi: measured enough for 10-pt Chinese body text
MIN_SCORE = 0.5  # recognitions below this confidence are dropped (seals, decorations)
_lock = threading.Lock()


@cache
def available() -> bool:
    """Whether the OCR extra is installed (imports it once)."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception:  # noqa: BLE001 - a broken onnxruntime counts as not installed
        return False
    return True


@cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def recognise(image: Any) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, top, x1, bottom) in pixels for each recognised piece of `image` (array or bytes)."""
    with _lock:  # the engine is not known to be thread-safe; OCR is slow anyway
        result, _ = _engine()(image)
    pieces = []
    for box, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        pieces.append((str(text), min(xs), min(ys), max(xs), max(ys)))
    return pieces


def to_lines(
    pieces: list[tuple[str, float, float, float, float]],
    page: int,
    block: str,
    x: float,
    y: float,
    scale: float,
) -> list[Line]:
    """Pieces grouped into rows by vertical overlap, in reading order, mapped to page units.

    Pieces in one row with a wide gap between them are table cells: joined with " | ".
    """
    rows: list[list[tuple[str, float, float, float, float]]] = []
    for piece in sorted(pieces, key=lambda p: (p[2] + p[4]) / 2):
        centre = (piece[2] + piece[4]) / 2
        if rows and rows[-1][0][2] <= centre <= rows[-1][0][4]:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    lines = []
    header: list[str] | None = None  # a table's labelling row, repeated beside its figures
    for row in rows:
        row.sort(key=lambda p: p[1])
        height = max(p[4] - p[2] for p in row)
        text, is_table = row[0][0], False
        for prev, cur in zip(row, row[1:], strict=False):
            gap = cur[1] - prev[3]
            if gap > height:
                text, is_table = text + " | " + cur[0], True
            else:
                text += cur[0]
        if is_table:
            cells = [clean(c) for c in text.split(" | ")]
            if header is None and is_header(cells):
                header = cells
            text = label_row(header, cells)
        lines.append(
            Line(
                clean(text),
                x + min(p[1] for p in row) / scale,
                x + max(p[3] for p in row) / scale,
                y + min(p[2] for p in row) / scale,
                y + max(p[4] for p in row) / scale,
                height / scale,
                page,
                block=block,
                row=is_table,
            )
        )
    return lines


class PdfRenderer:
    """Renders regions of one PDF's pages for OCR."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2

        self._doc = pypdfium2.PdfDocument(data)

    def ocr(self, page: int, bbox: tuple[float, float, float, float] | None, block: str) -> list[Line]:
        """OCR'd lines of page `page` (0-based), or of the region `bbox` (x0, top, x1, bottom) in points."""
        pdf_page = self._doc[page]
        width, height = pdf_page.get_size()
        x0, top, x1, bottom = bbox or (0.0, 0.0, width, height)
        x0, top, x1, bottom = max(x0, 0.0), max(top, 0.0), min(x1, width), min(bottom, height)
        bitmap = pdf_page.render(scale=SCALE, crop=(x0, height - bottom, width - x1, top))
        return to_lines(recognise(bitmap.to_numpy()), page, block, x0, top, SCALE)

    def close(self) -> None:
        self._doc.close()


class ImageReader:
    """A PNG or JPEG file: one page, all of it OCR'd."""

    format = "image"

    def __init__(self, ocr: bool = True) -> None:
        self.ocr = ocr

    def read(self, name: str, data: bytes) -> RawDocument:
        if not (self.ocr and available()):
            raise m.unreadable(m.IMAGE_NEEDS_OCR, name)
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                rgb = image.convert("RGB")
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise m.unreadable(m.DAMAGED, name, detail=str(exc)) from exc
        import numpy as np

        array = np.asarray(rgb)[:, :, ::-1]  # RGB -> BGR, as OpenCV-based OCR expects
        lines = to_lines(recognise(array), 0, "image", 0.0, 0.0, 1.0)
        text, pages = assemble([lines])
        return RawDocument(
            name, text, "image", pages=pages, ocr_pages=(1,), table_rows=sum(ln.row for ln in lines)
        )
