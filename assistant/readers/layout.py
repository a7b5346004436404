"""Positioned lines into reading text: shared by the PDF, OFD and OCR readers.

A page reader gives `Line`s with their box; this module drops running headers,
footers and page numbers, joins lines that a sentence was broken across, and
keeps headings and table rows on their own line. No third-party imports.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# "-3-", "— 3 —", "第3页", "第 3 页 共 44 页", "3 / 44", "3"
PAGE_NUMBER_RE = re.compile(
    r"^[-–—－─_\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-–—－─_\s]*$"
)
# A table-of-contents entry: "一、背景形势 ....... 1"
TOC_RE = re.compile(r"(\.{4,}|…{2,}|·{4,}|．{4,}|-{6,})\s*\d{1,4}\s*$")
TOC_TITLE_RE = re.compile(r"^目\s*录$")
CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》（）【】、，。；：！？"
# pdfplumber puts a space into the wider gaps of justified Chinese text: "号 ， 邮 编".
# PDF text puts a gap between Chinese and figures ("到 2025 年", "完成 40 处"): typesetting, not words.
# Not after 专栏/附件/表/图, where the number is a label ("专栏 1 构筑…" stays as typeset).
UNIT = "年月日时个项家处万亿元人次米吨倍件座所条名台辆户亩千百"
CJK_SPACE_RE = re.compile(
    rf"(?<=[{CJK}]) +(?=[{CJK}])|(?<=[{CJK}])(?<![栏件表图]) +(?=[0-9])|(?<=[0-9%‰]) +(?=[{UNIT}])"
)
SENTENCE_END_RE = re.compile(r"[。！？；：!?;:][”’」』）)]*$")
MARGIN = 0.11  # top and bottom share of a page where running headers and footers live
REPEAT_SHARE = 0.3  # a margin line repeated on this share of pages (digits ignored) is running


@dataclass
class Line:
    """One line of a page, in points (or mm for OFD) from the top-left corner.

    `block` groups lines that may be joined (the page body; one OCR'd image); `row` marks a
    table row, which never joins with anything.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int  # 0-based
    block: str = "body"
    row: bool = False
    left: float = 0.0  # the block's left margin and right edge, set by `margins`
    right: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)


def clean(text: str) -> str:
    """Example: "号 ， 邮 编 ： 223100" -> "号，邮编：223100"; "到 2025 年" -> "到2025年"."""
    return CJK_SPACE_RE.sub("", text.replace("\u00a0", " ")).strip()


def is_heading(text: str) -> bool:
    """A line that opens a section, box or item: 一、 （一） 第X章 1. 专栏3 ——."""
    # Imported here: the corpus parser will read files through the readers, so a top-level
    # import would be circular.
    from ..corpus import BOX_RE, BULLET_RE, heading_rank

    body = text.strip(" \u3000\t")
    return heading_rank(body) is not None or bool(BOX_RE.match(body)) or bool(BULLET_RE.match(body))


def drop_running(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Drop page numbers and lines repeated in the top or bottom margin of many pages."""

    def in_margin(line: Line, height: float) -> bool:
        return line.bottom <= height * MARGIN or line.top >= height * (1 - MARGIN)

    keys: Counter[str] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        keys.update({re.sub(r"\d+", "#", ln.text) for ln in lines if in_margin(ln, height) and not ln.row})
    need = max(2, int(len(pages) * REPEAT_SHARE + 0.999))
    running = {k for k, n in keys.items() if n >= need}
    kept: list[list[Line]] = []
    for lines, height in zip(pages, heights, strict=True):
        kept.append(
            [
                ln
                for ln in lines
                if ln.row
                or not in_margin(ln, height)
                or not (PAGE_NUMBER_RE.match(ln.text) or re.sub(r"\d+", "#", ln.text) in running)
            ]
        )
    return kept


def drop_toc(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop a table of contents: its entries would parse as a second copy of every heading."""
    out = []
    for lines in pages:
        toc = [ln for ln in lines if TOC_RE.search(ln.text)]
        if len(toc) >= 3:
            lines = [ln for ln in lines if not TOC_RE.search(ln.text) and not TOC_TITLE_RE.match(ln.text)]
        out.append(lines)
    return out


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def margins(lines: list[Line]) -> None:
    """Set each line's block margins: the most common left edge, a high quantile of right edges."""
    blocks: dict[str, list[Line]] = {}
    for ln in lines:
        blocks.setdefault(ln.block, []).append(ln)
    for group in blocks.values():
        body = [ln for ln in group if not ln.row and len(ln.text) >= 8] or group
        left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0]
        lefts = [ln.x0 for ln in body if abs(ln.x0 - left) <= 2]
        # Two lines say nothing about where the right edge is: they are never joined.
        right = _quantile([ln.x1 for ln in body], 0.8) if len(group) >= 3 else float("inf")
        for ln in group:
            ln.left, ln.right = min(lefts), right


def _continues(prev: Line, cur: Line) -> bool:
    """Whether `cur` goes on the sentence of `prev` (one paragraph broken across lines)."""
    if prev.row or cur.row or is_heading(cur.text) or TOC_RE.search(prev.text):
        return False
    same_block = prev.block == cur.block
    next_page = cur.page == prev.page + 1 and prev.block == "body" and cur.block == "body"
    if not same_block and not next_page:
        return False
    size = max(prev.size, cur.size, 1.0)
    if abs(prev.size - cur.size) > 0.25 * size:
        return False
    if same_block and cur.page == prev.page and cur.top - prev.bottom > 2.5 * size:
        return False
    # A title set in two centred lines of a larger font ("湖北省文物事业发展" / "“十四五”规划").
    if prev.extra.get("display") and cur.extra.get("display") and same_block:
        return True
    indented = cur.x0 - cur.left >= 0.8 * cur.size
    # Chinese text breaks anywhere, so a line that stops short of the right edge ends its
    # paragraph, unless it stops mid-sentence and only a little short (justified narrower).
    slack = 1.6 if SENTENCE_END_RE.search(prev.text) else 3.2
    return not indented and prev.x1 >= prev.right - slack * prev.size


def _glue(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def assemble(pages: list[list[Line]]) -> tuple[str, tuple[int, ...]]:
    """The text of ordered page lines, one paragraph, heading or table row a line; page starts.

    Example: two lines "到2025年，文物" (reaching the right edge) and "保护水平提升。" -> "到2025年，文物保护水平提升。"
    """
    flat = [ln for lines in pages for ln in lines]
    if flat:
        margins(flat)
        sizes = [ln.size for ln in flat if not ln.row]
        body = Counter(round(s) for s in sizes).most_common(1)[0][0] if sizes else 0
        for ln in flat:
            if ln.size >= body * 1.15 and body and not ln.row:
                ln.extra["display"] = "1"
    paragraphs: list[str] = []
    starts: list[int] = []
    page_of: list[int] = []  # the page each paragraph starts on
    crossings: dict[int, tuple[int, int]] = {}  # page -> (paragraph index, offset inside it)
    prev: Line | None = None
    for ln in flat:
        if prev is not None and paragraphs and _continues(prev, ln):
            if ln.page != prev.page:
                crossings[ln.page] = (len(paragraphs) - 1, len(paragraphs[-1]))
            paragraphs[-1] = _glue(paragraphs[-1], ln.text)
        else:
            paragraphs.append(ln.text)
            page_of.append(ln.page)
        prev = ln
    text_parts: list[str] = []
    pos = 0
    for para in paragraphs:
        starts.append(pos)
        text_parts.append(para)
        pos += len(para) + 1
    # A page whose first line goes on the last paragraph of the page before starts inside it.
    first_offset = {page: starts[index] + inner for page, (index, inner) in crossings.items()}
    for index, page in enumerate(page_of):
        first_offset.setdefault(page, starts[index])
    text = "\n".join(text_parts)
    page_starts: list[int] = []
    for page in range(len(pages)):
        # A page with no text starts where the next text does.
        later = [first_offset[p] for p in range(page, len(pages)) if p in first_offset]
        page_starts.append(later[0] if later else len(text))
    return text, tuple(page_starts)


def title_of(pages: list[list[Line]], limit: int = 3) -> str:
    """The first run of adjacent largest-font lines on the first page with text (a cover title).

    Call after `assemble`, which marks the lines set in a larger font than the body.
    """
    for lines in pages[:limit]:
        candidates = [
            ln for ln in lines if not ln.row and ln.extra.get("display") and not is_heading(ln.text)
        ]
        if not candidates:
            continue
        biggest = max(ln.size for ln in candidates)
        start = next(i for i, ln in enumerate(lines) if ln in candidates and abs(ln.size - biggest) < 0.5)
        title = [lines[start]]
        for ln in lines[start + 1 : start + 3]:
            if abs(ln.size - biggest) >= 0.5 or ln.top - title[-1].bottom > 2 * biggest:
                break
            title.append(ln)
        return "".join(ln.text for ln in title)[:80]
    return ""
