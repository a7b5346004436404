"""Read any supported file into a `RawDocument`: one entry point, the format judged by content.

    read_document(name, data)
      ├── detect(name, data)   magic bytes, ZIP members, HTML sniffing, text decoding
      └── one reader per format:
          text.py (txt, md) · pdf.py · docx.py · html.py · ofd.py · ocr.py (images; scanned pages)

The file name only labels the document and tells .md from .txt; a `.pdf` that is really a
Word 97 file is refused as one. Every failure is an `UnreadableDocument` whose message names
the file and the remedy, with an HTTP status: 413 too large, 415 unsupported, 422 unreadable.
"""

from __future__ import annotations

import zipfile

from . import messages as m
from .archive import open_zip
from .base import RawDocument, Reader
from .text import TextReader, decode

__all__ = ["MAX_BYTES", "MAX_PAGES", "SUPPORTED", "RawDocument", "Reader", "detect", "read_document"]

MAX_BYTES = 50 * 1024 * 1024  # one upload; the largest real plan seen (a 44-page PDF) is 0.8 MB
MAX_PAGES = 1000

# format -> what it is, for the UI, the API and error messages.
SUPPORTED: dict[str, str] = {
    "pdf": "PDF（带文字层；扫描页需 OCR） / PDF (text layer; scanned pages need OCR)",
    "docx": "Word .docx",
    "html": "网页 .html / saved web page",
    "ofd": "OFD (GB/T 33190)",
    "image": "图片 PNG/JPEG（需 OCR） / image (needs OCR)",
    "txt": "文本 .txt (UTF-8 / GB18030)",
    "md": "Markdown .md",
}

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, and Office files encrypted with a password
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
HTML_MARKS = ("<!doctype html", "<html", "<head", "<body", "<meta ", "<title")


def detect(name: str, data: bytes) -> str:
    """The format of `data`, by content; raises `UnreadableDocument` for what cannot be read.

    Example: detect("a.pdf", b"%PDF-1.7 ...") -> "pdf"; detect("x.txt", "<html>…".encode()) -> "html"
    """
    if not data.strip():
        raise m.unreadable(m.EMPTY, name)
    if len(data) > MAX_BYTES:
        raise m.unreadable(m.TOO_LARGE, name, 413, size=len(data) // 2**20, limit=MAX_BYTES // 2**20)
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(OLE2):
        raise m.unreadable(m.OLD_OFFICE, name, 415)
    if data.startswith(PNG) or data.startswith(JPEG):
        return "image"
    if data.startswith(ZIP):
        with open_zip(name, data) as zf:
            names = set(zf.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "OFD.xml" in names:
            return "ofd"
        what = "xlsx" if "xl/workbook.xml" in names else "pptx" if "ppt/presentation.xml" in names else "zip"
        raise m.unreadable(m.UNSUPPORTED, name, 415, what=what)
    if head.lstrip().startswith(b"{\\rtf"):
        raise m.unreadable(m.RTF, name, 415)
    text = decode(data)
    if text is None:
        raise m.unreadable(m.UNSUPPORTED, name, 415, what="binary")
    sniff = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if sniff.startswith("<") and any(mark in sniff for mark in HTML_MARKS):
        return "html"
    return "md" if name.lower().endswith((".md", ".markdown")) else "txt"


def reader_for(fmt: str, *, ocr: bool = True, max_ocr_pages: int | None = None) -> Reader:
    """The reader of one format; the heavy libraries are imported only here, when first needed."""
    if fmt == "pdf":
        from .pdf import PdfReader

        return PdfReader(ocr=ocr, max_ocr_pages=max_ocr_pages, max_pages=MAX_PAGES)
    if fmt == "docx":
        from .docx import DocxReader

        return DocxReader()
    if fmt == "html":
        from .html import HtmlReader

        return HtmlReader()
    if fmt == "ofd":
        from .ofd import OfdReader

        return OfdReader()
    if fmt == "image":
        from .ocr import ImageReader

        return ImageReader(ocr=ocr)
    return TextReader()


def read_document(
    name: str, data: bytes, *, ocr: bool = True, max_ocr_pages: int | None = None
) -> RawDocument:
    """Read one file. `ocr=False` (or OCR not installed) lists scanned pages in `needs_ocr`;
    `max_ocr_pages` caps how many pages are OCR'd (each takes seconds), the rest are listed too.

    Raises `UnreadableDocument` (413/415/422) naming the file and what to do; never returns a
    document without text unless it says which pages need OCR.
    """
    fmt = detect(name, data)
    try:
        doc = reader_for(fmt, ocr=ocr, max_ocr_pages=max_ocr_pages).read(name, data)
    except zipfile.BadZipFile as exc:  # a member that fails its CRC while a library reads it
        raise m.unreadable(m.DAMAGED, name, detail=str(exc)) from exc
    if not doc.text.strip() and not doc.needs_ocr:
        raise m.unreadable(m.NO_TEXT, name)
    return doc
