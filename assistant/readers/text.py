"""Plain text and Markdown: kept verbatim, only line endings normalised."""

from __future__ import annotations

from .base import RawDocument

BOMS = (b"\xef\xbb\xbf",)


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030 (which covers GBK and GB2312); None for binary.

    Example: decode("规划".encode("gbk")) -> "规划"
    """
    if b"\x00" in data[:4096]:
        return None
    body = data[3:] if data.startswith(BOMS[0]) else data
    for encoding in ("utf-8", "gb18030"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def title_of(text: str) -> str:
    """The first non-empty line, without Markdown's '#' marks, if it is short enough to be a title."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 60 else ""
    return ""


class TextReader:
    format = "txt"

    def read(self, name: str, data: bytes) -> RawDocument:
        text = decode(data) or ""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        fmt = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
        return RawDocument(name, text, fmt, title=title_of(text))
