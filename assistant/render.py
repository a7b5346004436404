"""Answers made presentable: footnoted text for chat clients, HTML for the UI, pieces for streaming.

Pure functions over `Answer`, shared by the OpenAI-compatible route and the Gradio UI,
so both show the same sources in the same order.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from . import messages
from .schema import Answer, Citation

MARKER = re.compile(r"\[(\d+)\]")
_TOKEN = re.compile(r"\[\d+\]|.", re.S)


def doc_title(doc: str) -> str:
    """Example: doc_title("辽宁省….txt") -> "辽宁省…" """
    return Path(doc).stem


def where(c: Citation) -> str:
    """The page and OCR mark of a citation, as shown after its section. Example: " 第12页（OCR识别）" """
    out = f" 第{c.page}页" if c.page else ""
    return out + (messages.OCR_MARK if c.ocr else "")


def footnotes(answer: Answer) -> str:
    """The answer followed by its numbered sources, as plain text / Markdown for chat clients.

    Example: "阜新高新区：液压装备制造…[1]\n\n来源：\n[1] 《辽宁省…》三、重点任务 › … › 专栏3 …：阜新高新区：…"
    """
    if not answer.citations:
        return answer.answer
    lines = [answer.answer, "", messages.SOURCES]
    for i, c in enumerate(answer.citations, 1):
        lines.append(f"[{i}] 《{doc_title(c.doc)}》{c.section}{where(c)}：{c.text}")
    return "\n".join(lines)


def pieces(text: str, size: int = 6) -> list[str]:
    """`text` cut into pieces of `size` characters for streaming, never splitting a [n] marker.

    Example: pieces("阜新：液压装备。[1]", 4) -> ["阜新：液", "压装备。", "[1]"]
    """
    tokens = _TOKEN.findall(text)
    return ["".join(tokens[i : i + size]) for i in range(0, len(tokens), size)]


def highlight(text: str, span: tuple[int, int] | None) -> str:
    """`text` as HTML with the cited span inside <mark>.

    Example: highlight("a<b>c", (1, 4)) -> "a<mark>&lt;b&gt;</mark>c"
    """
    if not span or not 0 <= span[0] < span[1] <= len(text):
        return html.escape(text)
    a, b = span
    return f"{html.escape(text[:a])}<mark>{html.escape(text[a:b])}</mark>{html.escape(text[b:])}"


def anchor(turn: int, n: int) -> str:
    return f"cite-{turn}-{n}"


def _link_markers(escaped: str, turn: int, count: int) -> str:
    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if not 1 <= n <= count:
            return m.group(0)
        return f'<a class="cite-ref" href="#{anchor(turn, n)}">[{n}]</a>'

    return MARKER.sub(link, escaped)


def citation_html(c: Citation, n: int, turn: int) -> str:
    return (
        f'<li id="{anchor(turn, n)}" class="cite">'
        f'<span class="cite-n">[{n}]</span> <span class="cite-section">《{html.escape(doc_title(c.doc))}》'
        f"{html.escape(c.section)}</span>"
        + (f'<span class="cite-page">{html.escape(where(c))}</span>' if where(c) else "")
        + "<br>"
        f'<span class="cite-text">{highlight(c.text, c.span)}</span></li>'
    )


def answer_html(answer: Answer, turn: int) -> str:
    """The answer as HTML for the chat: [n] markers link to the sources listed under it.

    A "规划中未找到" answer gets a badge and its own style so nobody mistakes it for a finding;
    its citations are shown as the nearest passages, collapsed.
    """
    body = _link_markers(html.escape(answer.answer), turn, len(answer.citations))
    if answer.found:
        head = f'<div class="answer">{body}</div>'
    else:
        head = f'<div class="answer not-found"><span class="badge">{messages.UI_NOT_FOUND_BADGE}</span> {body}</div>'
    if answer.note:  # e.g. why a generated answer was replaced by the extract
        head += f'<div class="note">{html.escape(answer.note)}</div>'
    if not answer.citations:
        return head
    items = "".join(citation_html(c, n, turn) for n, c in enumerate(answer.citations, 1))
    opened = " open" if answer.found else ""
    return (
        f'{head}<details class="sources"{opened}><summary>{messages.UI_SOURCES}（{len(answer.citations)}）</summary>'
        f'<ol class="cites">{items}</ol></details>'
    )
