"""Saved web pages (gov.cn-style articles): the only selectolax user.

The article is the element holding most paragraph text (readability's idea, reduced to
what government sites need); navigation, share buttons, footers and scripts are removed
first. Block elements become lines in document order, table rows "cell | cell".

selectolax rather than trafilatura: on the Guangzhou health-commission page trafilatura
dropped both attachment tables (the monitoring indicators with their targets).
"""

from __future__ import annotations

import re
from typing import Any

from .base import RawDocument
from .table import is_header, label_row
from .text import decode

DROP_TAGS = (
    "script, style, noscript, template, iframe, svg, canvas, form, button, select, nav, header, footer, aside"
)
# class/id words of page chrome on government sites
NOISE = {
    "nav", "navbar", "menu", "header", "head", "footer", "foot", "share", "bdshare", "breadcrumb", "crumb",
    "crumbs", "sidebar", "toolbar", "search", "login", "qrcode", "erweima", "ewm", "copyright", "modal",
    "position", "location", "dlink", "links", "friendlink", "banner", "print", "fontsize",
}  # fmt: skip
BLOCKS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dd", "dt", "blockquote", "pre",
    "table", "tbody", "thead", "tfoot", "tr", "center", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr",
}  # fmt: skip
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
SPACE_RE = re.compile(r"[ \t\r\n\f\v\xa0]+")
MIN_PARAGRAPH = 10  # characters: shorter <p>s (labels, dates) do not vote for a container


def _words(node: Any) -> set[str]:
    attrs = node.attributes
    raw = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return set(re.split(r"[\s_\-]+", raw)) - {""}


def _text(node: Any) -> str:
    return SPACE_RE.sub(" ", node.text(separator=" ")).strip(" \u3000")


def _main(body: Any) -> Any:
    """The element with the most paragraph text: each <p> votes for its parent, half for the grandparent."""
    scores: dict[int, float] = {}
    nodes: dict[int, Any] = {}
    for p in body.css("p"):
        size = len(_text(p))
        if size < MIN_PARAGRAPH:
            continue
        for weight, node in ((1.0, p.parent), (0.5, p.parent.parent if p.parent is not None else None)):
            if node is None:
                continue
            key = node.mem_id
            scores[key] = scores.get(key, 0.0) + weight * size
            nodes[key] = node
    if not scores:
        return body
    return nodes[max(scores, key=lambda k: scores[k])]


class _Lines:
    """Collects text into lines; a block element ends the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.headings: list[tuple[int, int]] = []
        self.rows = 0
        self.header: list[str] | None = None  # the current table's labelling row
        self.pos = 0
        self.buf: list[str] = []

    def flush(self, level: int | None = None) -> None:
        line = SPACE_RE.sub(" ", "".join(self.buf)).strip(" \u3000")
        self.buf = []
        if line:
            if level is not None:
                self.headings.append((self.pos, level))
            self.lines.append(line)
            self.pos += len(line) + 1

    def walk(self, node: Any) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.buf.append(child.text(deep=False) or "")
            elif tag == "tr":
                self.flush()
                cells = [_text(c) for c in child.iter() if c.tag in ("td", "th")]
                cells = [c for c in cells if c]
                self.rows += len(cells) >= 2
                if len(cells) >= 2 and self.header is None and is_header(cells):
                    self.header = cells
                self.buf.append(label_row(self.header, cells))
                self.flush()
            elif tag == "table":
                self.flush()
                outer, self.header = self.header, None
                self.walk(child)
                self.flush()
                self.header = outer
            elif tag in HEADINGS:
                self.flush()
                self.walk(child)
                self.flush(HEADINGS[tag])
            elif tag in BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)


def _title(tree: Any) -> str:
    """gov.cn's ArticleTitle meta, else the longest part of <title> ("标题 - 网站名"), else the first <h1>."""
    meta = tree.css_first('meta[name="ArticleTitle"]')
    if meta is not None and (meta.attributes.get("content") or "").strip():
        return SPACE_RE.sub(" ", meta.attributes["content"] or "").strip()
    node = tree.css_first("title")
    if node is not None and _text(node):
        return max(re.split(r"\s+[-–—|_]\s+|_", _text(node)), key=len).strip()
    h1 = tree.css_first("h1")
    return _text(h1) if h1 is not None else ""


class HtmlReader:
    format = "html"

    def read(self, name: str, data: bytes) -> RawDocument:
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(decode(data) or data.decode("utf-8", "replace"))
        title = _title(tree)
        body = tree.body or tree.root
        if body is None:
            return RawDocument(name, "", "html", title=title)
        for node in body.css(DROP_TAGS):
            node.decompose()
        total = len(_text(body)) or 1
        for node in body.css("[class], [id]"):
            # Never drop a wrapper that holds most of the page: a "header-and-content" div.
            if _words(node) & NOISE and len(_text(node)) < 0.3 * total:
                node.decompose()
        collector = _Lines()
        collector.walk(_main(body))
        collector.flush()
        lines, headings = collector.lines, collector.headings
        if title and not any(title in line for line in lines[:5]):
            lines.insert(0, title)
            headings = [(0, 1)] + [(pos + len(title) + 1, level) for pos, level in headings]
        return RawDocument(
            name, "\n".join(lines), "html", title=title, headings=tuple(headings), table_rows=collector.rows
        )
