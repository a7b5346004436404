"""OFD (GB/T 33190): a ZIP of XML pages; the text layer is `TextObject/TextCode` in each page's Content.xml.

Read with the standard library: OFD.xml names the document root, Document.xml lists the
pages, each TextCode has a position (in mm) inside its TextObject's Boundary. Pieces on one
baseline make a line; `layout` then joins lines into paragraphs as for PDF. The registry's
OFD packages (easyofd, ofdkit, ofdreader) were not needed for the text layer.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile

from . import messages as m
from .archive import open_zip, read_member
from .base import RawDocument
from .layout import Line, assemble, clean, drop_running, title_of

A4_HEIGHT = 297.0  # mm, when the document does not say


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if _local(el.tag) == name]


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def _deltas(value: str | None) -> list[float]:
    """DeltaX/DeltaY with OFD's "g N v" repetition expanded.

    Example: _deltas("5 g 3 2.5 1") -> [5.0, 2.5, 2.5, 2.5, 1.0]
    """
    tokens, out, i = (value or "").split(), [], 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return out


def _xml(name: str, zf: zipfile.ZipFile, member: str) -> ET.Element:
    try:
        return ET.fromstring(read_member(name, zf, member))
    except ET.ParseError as exc:
        raise m.unreadable(m.DAMAGED, name, detail=f"{member}: {exc}") from exc


def _resolve(names: set[str], base_dir: str, loc: str) -> str:
    """A location inside the package: absolute ("/Doc_0/..."), or relative to `base_dir`."""
    loc = loc.strip().replace("\\", "/")
    candidates = [loc.lstrip("/"), posixpath.normpath(posixpath.join(base_dir, loc))]
    return next((c for c in candidates if c in names), candidates[-1])


def _page_lines(root: ET.Element, page: int) -> list[Line]:
    pieces: list[tuple[str, float, float, float, float]] = []  # text, x0, x1, baseline, size
    for obj in _find(root, "TextObject"):
        box = _numbers(obj.get("Boundary"))
        if len(box) < 4:
            continue
        ctm = _numbers(obj.get("CTM"))
        a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        size = float(obj.get("Size") or 0) * (abs(a * d - b * c) ** 0.5 or 1.0)
        for code in _find(obj, "TextCode"):
            text = code.text or ""
            if not text.strip():
                continue
            x, y = float(code.get("X") or 0), float(code.get("Y") or 0)
            px, py = box[0] + a * x + c * y + e, box[1] + b * x + d * y + f
            width = sum(_deltas(code.get("DeltaX"))[: len(text) - 1]) * abs(a) + size
            pieces.append((text, px, px + width, py, size))
    rows: list[list[tuple[str, float, float, float, float]]] = []
    for piece in sorted(pieces, key=lambda p: (round(p[3] / max(p[4], 0.1) * 2), p[1])):
        if rows and abs(rows[-1][0][3] - piece[3]) <= 0.5 * max(piece[4], rows[-1][0][4]):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    lines = []
    for row in rows:
        row.sort(key=lambda p: p[1])
        text = row[0][0]
        for prev, cur in zip(row, row[1:], strict=False):
            text += (" " if cur[1] - prev[2] > 1.5 * cur[4] else "") + cur[0]
        size = max(p[4] for p in row)
        baseline = row[0][3]
        lines.append(
            Line(clean(text), row[0][1], max(p[2] for p in row), baseline - size, baseline, size, page)
        )
    return [ln for ln in lines if ln.text]


class OfdReader:
    format = "ofd"

    def read(self, name: str, data: bytes) -> RawDocument:
        zf = open_zip(name, data)
        with zf:
            names = set(zf.namelist())
            roots = [el.text for el in _find(_xml(name, zf, "OFD.xml"), "DocRoot") if el.text]
            if not roots:
                raise m.unreadable(m.DAMAGED, name, detail="OFD.xml has no DocRoot")
            doc_path = _resolve(names, "", roots[0])
            document = _xml(name, zf, doc_path)
            doc_dir = posixpath.dirname(doc_path)
            box = next((_numbers(el.text) for el in _find(document, "PhysicalBox")), [])
            height = box[3] if len(box) == 4 else A4_HEIGHT
            pages: list[list[Line]] = []
            for number, page in enumerate(el for el in _find(document, "Page") if el.get("BaseLoc")):
                content = _xml(name, zf, _resolve(names, doc_dir, page.get("BaseLoc") or ""))
                lines = _page_lines(content, number)
                lines.sort(key=lambda ln: ln.top)
                pages.append(lines)
        if not pages:
            raise m.unreadable(m.DAMAGED, name, detail="no pages")
        pages = drop_running(pages, [height] * len(pages))
        text, starts = assemble(pages)
        return RawDocument(name, text, "ofd", title=title_of(pages), pages=starts)
