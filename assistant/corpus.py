"""Read plan documents and parse them into a heading tree and verbatim passages.

Chinese plans share a small set of heading markers (第一章 / 第一节 / 一、 /
（一） / 1. / （1） / 专栏N boxes). We rank those markers instead of fixing
levels, so a plan that starts at 第一章 and one that starts at 一、 both parse.
Passages never cross a section boundary, each per-entity entry of a box is
its own passage, and every passage keeps offsets into the source text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import CorpusError, UnreadableDocument
from .schema import Document, Passage, Section

CN_NUM = "一二三四五六七八九十百零〇两"
# (rank, pattern): a smaller rank is a higher level. Matched against a line with
# its indentation stripped. Items (rank ≥ 4) usually carry a lead phrase and a body.
HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(rf"^第[{CN_NUM}\d]+[章篇部分]+")),
    (1, re.compile(rf"^第[{CN_NUM}\d]+节")),
    (2, re.compile(rf"^[{CN_NUM}]+、")),
    (3, re.compile(rf"^[（(][{CN_NUM}]+[)）]")),
    (4, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (5, re.compile(r"^[（(]\d{1,2}[)）]")),
]
# Articles of a regulation ("第五条 市民政部门是……"): below 第X章 / 第X节, above （一） items. Their title is
# the marker alone, since an article has no lead phrase.
ARTICLE_RE = re.compile(rf"^第[{CN_NUM}\d]+条(?=[\s\u3000]|$)")
ARTICLE_RANK = 2.5
# Decimal outline numbering of contingency plans ("1 总则", "1.1 编制目的及依据", "2.1.1 ……"): one level
# per dot, always followed by a space (so that "2.5万亿元" is never a heading). Depth 1 needs a short line.
DECIMAL_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})[ \u3000\t]+(?=[^\d\s.%])")
DECIMAL_RANKS = (2, 3, 4, 5)
# "附件" / "附件2" alone on a line: an attachment, a top-level part of its own (its title on the next line).
ATTACHMENT_RE = re.compile(r"^附\s*件\s*(\d{0,2})\s*[：:]?$")
ATTACHMENT_RANK = -0.5
# "主要目标：" alone on a line introduces a run of items: a section one level below the open one.
LABEL_RE = re.compile(r"^[^，。；、：:\s]{2,16}[：:]$")
# An unnumbered part heading: a short plain line right before the first item of a numbered run ("面向单位的
# 扶持政策" then "一、小微企业社保补贴"; "★小贴士" then "1.……"). One such line could be a table cell or the
# title of an enclosed regulation; a document that does it at least twice, before the same kind of
# numbering, is dividing its runs into parts (the second line restarts the numbering at "一、").
PART_MAX = 20
# A work report also divides itself by unnumbered lines between paragraphs ("“十四五”时期发展成就和2025年工作
# 回顾", then prose). Such a line counts when the document has two or more, each of PROSE_PART_MIN to
# PROSE_PART_MAX characters without punctuation (shorter ones are captions: "附件"; a sentence has punctuation),
# after a sentence's end and before a paragraph of PROSE_PARAGRAPH characters or more. Not swept: the values
# admit the two part lines of the dev corpus's one report written so (21 characters each) and nothing else
# in its 61 texts (bench: /tmp script listing part_headings over tests/qa/dev's documents).
PROSE_PART_MIN = 6
PROSE_PART_MAX = 30
PROSE_PARAGRAPH = 60
FIRST_ITEM = re.compile(r"^(?:第一[章篇部分节]|一、|[（(]一[)）]|1[.．、](?!\d)|[（(]1[)）])")
PLAIN_PUNCT = re.compile(r"[。，；：:、,;！？!?|]")
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号")
DATE_LINE_RE = re.compile(r"^[（(]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[)）]?$")
TOC_RE = re.compile(r"^目[\s\u3000]*录$")
TITLE_SUFFIX = re.compile(
    r"(规划|方案|纲要|计划|意见|通知|函|办法|预案|报告|决定|细则|规定|措施|条例|要点|指南|批复)"
    r"([（(][^）)]*[)）])?$"
)
BOX_RE = re.compile(r"^专栏\s*(\d+|[" + CN_NUM + r"]+)")
BULLET_RE = re.compile(r"^(--|——|－－|—|-|·|•|●|◆|■)\s*")
# "沈阳高新区：…" — a short label without punctuation before a full-width colon.
ENTRY_RE = re.compile(r"^([\u4e00-\u9fffA-Za-z0-9（）()·]{2,14})[：:]")
# A box segment that opens with a short lead phrase ("新材料产业集群。") and goes on.
BOX_LEAD_RE = re.compile(r"^([^，。；：:、\s]{2,16})。(?=\S)")
SENTENCE_END = re.compile(r"[。！？；!?;][”’」』）)]*")
INDENT = " \t\u3000\xa0"
BOX_SPLIT = re.compile("\u3000{2,}")
HEADING_MAX = 30  # a line whose text after the marker is longer than this is an item with a body
LEAD_MAX = 28  # "1.自主创新能力逐步增强。" — the lead phrase of an item
PASSAGE_MAX = 180  # packed passage size, in characters
SENTENCE_HARD_MAX = 320  # a single sentence longer than this is split at commas
INTRO = "前言"
NOTICE = "印发通知"


def doc_key(name: str) -> str:
    """A short, stable key for a document name, used as the prefix of passage ids."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]


def heading_marker(line: str) -> tuple[float, int] | None:
    """The rank of a heading line and where its marker ends, or None for a plain line.

    Example: heading_marker("（二）基本原则。坚持……") -> (3, 4); heading_marker("1.1 编制目的") -> (3, 4)
    """
    if m := ARTICLE_RE.match(line):
        return ARTICLE_RANK, m.end()
    if m := DECIMAL_RE.match(line):
        depth = m.group(1).count(".")
        if depth or len(line) <= 20:
            return DECIMAL_RANKS[depth], len(m.group(1))
    for rank, pattern in HEADING_PATTERNS:
        if m := pattern.match(line):
            return rank, m.end()
    return None


def heading_rank(line: str) -> float | None:
    marker = heading_marker(line)
    return marker[0] if marker else None


def clean_heading(text: str) -> str:
    """Example: "（一）发展基础。" -> "（一）发展基础"; "专栏8　设立各类股权投资基金" -> "专栏8 设立各类股权投资基金"."""
    text = re.sub(f"[{INDENT}]+", " ", text.strip(INDENT))
    return text.rstrip("。.:：；;")


def split_sentences(text: str, offset: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute start, end) of `text`, which starts at `offset`.

    Example: split_sentences("甲。乙；丙", 10) -> [(10, 12), (12, 14), (14, 15)]
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in SENTENCE_END.finditer(text):
        spans.append((offset + pos, offset + m.end()))
        pos = m.end()
    if pos < len(text):
        spans.append((offset + pos, offset + len(text)))
    return [(s, e) for s, e in spans if text[s - offset : e - offset].strip(INDENT)]


def _split_long(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one over-long sentence at commas into pieces of at most PASSAGE_MAX."""
    pieces: list[tuple[int, int]] = []
    cur = start
    last_comma = None
    for i in range(start, end):
        if source[i] in "，,、":
            last_comma = i + 1
        if i + 1 - cur >= PASSAGE_MAX and last_comma and last_comma > cur:
            pieces.append((cur, last_comma))
            cur = last_comma
            last_comma = None
    if cur < end:
        pieces.append((cur, end))
    return pieces


def pack(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pack the sentences of source[start:end] into spans of about PASSAGE_MAX characters."""
    sentences: list[tuple[int, int]] = []
    for s, e in split_sentences(source[start:end], start):
        sentences.extend(_split_long(source, s, e) if e - s > SENTENCE_HARD_MAX else [(s, e)])
    spans: list[tuple[int, int]] = []
    for s, e in sentences:
        if spans and e - spans[-1][0] <= PASSAGE_MAX:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    # A short lead ("3.创新创业环境进一步优化。") or tail reads better joined to its neighbour than alone.
    if len(spans) > 1 and spans[0][1] - spans[0][0] < 25:
        spans[0:2] = [(spans[0][0], spans[1][1])]
    if len(spans) > 1 and spans[-1][1] - spans[-1][0] < 25:
        tail = spans.pop()
        spans[-1] = (spans[-1][0], tail[1])
    return spans


@dataclass
class _Node:
    path: tuple[str, ...]
    rank: float
    start: int
    inline: bool  # an item whose heading shares its line with its body
    end: int = -1
    children: list[_Node] = field(default_factory=list)
    passage_ids: list[str] = field(default_factory=list)

    def freeze(self, doc: str) -> Section:
        return Section(
            doc=doc,
            path=self.path,
            start=self.start,
            end=self.end,
            children=tuple(c.freeze(doc) for c in self.children),
            passage_ids=tuple(self.passage_ids),
        )


class _Parser:
    def __init__(self, name: str, text: str, styled: dict[int, int] | None = None) -> None:
        self.name = name
        self.text = text
        # Line offsets the file's own format marks as headings (Word heading styles), with their level:
        # "范围" or "5.1 定期安全审查" carry no 一、/（一） marker for the patterns to see.
        self.styled = styled or {}
        self.key = doc_key(name)
        self.passages: list[Passage] = []
        self.root = _Node(path=(), rank=-1, start=0, inline=False)
        self.stack: list[_Node] = [self.root]
        self.title = ""
        self.title_span: tuple[int, int] | None = None
        # A heading line of its own not yet followed by anything: (its node, line start, line end).
        self.pending: tuple[_Node, int, int] | None = None
        # The parent and rank of the last heading line settled as a short list item (see _settle_pending).
        self.short_item: tuple[tuple[str, ...], float] | None = None
        self.parts: dict[int, float] = {}  # unnumbered part headings (part_headings), set by parse

    # -- tree ---------------------------------------------------------------
    def open_section(self, title: str, rank: float, start: int, inline: bool) -> _Node:
        while len(self.stack) > 1 and self.stack[-1].rank >= rank:
            self.close(start)
        parent = self.stack[-1]
        node = _Node(path=parent.path + (title,), rank=rank, start=start, inline=inline)
        parent.children.append(node)
        self.stack.append(node)
        return node

    def close(self, end: int) -> None:
        node = self.stack.pop()
        node.end = end

    def section_for_plain(self, start: int) -> tuple[str, ...]:
        if len(self.stack) > 1:
            return self.stack[-1].path
        name = NOTICE if not self.title else INTRO
        if not self.root.children or self.root.children[-1].path != (name,):
            self.open_section(name, -1 if name == NOTICE else -1, start, inline=False)
            self.stack.pop()  # preamble sections are leaves of the root, never on the stack
        return (name,)

    def add(self, start: int, end: int, path: tuple[str, ...], kind: str, entity: str | None = None) -> None:
        while start < end and self.text[start] in INDENT:
            start += 1
        while end > start and self.text[end - 1] in INDENT + "\r\n":
            end -= 1
        if start >= end:
            return
        pid = f"{self.key}-{len(self.passages):04d}"
        self.passages.append(
            Passage(
                id=pid,
                doc=self.name,
                section=path,
                text=self.text[start:end],
                start=start,
                end=end,
                kind=kind,
                entity=entity,
            )
        )
        node = self._find(path)
        if node is not None:
            node.passage_ids.append(pid)

    def _find(self, path: tuple[str, ...]) -> _Node | None:
        node = self.root
        for part in path:
            for child in reversed(node.children):
                if child.path[-1] == part:
                    node = child
                    break
            else:
                return None
        return node

    # -- lines --------------------------------------------------------------
    def parse(self) -> Document:
        lines = self._lines()
        self.parts = part_headings(self.text, lines)
        i = 0
        toc: list[str] | None = None  # the entries of a table of contents being skipped
        while i < len(lines):
            start, end = lines[i]
            raw = self.text[start:end]
            body = raw.strip(INDENT + "\r\n")
            if not body:
                i += 1
                continue
            lstart = start + (len(raw) - len(raw.lstrip(INDENT)))
            if TOC_RE.match(body):
                toc = []
                i += 1
                continue
            if toc is not None:
                # A table of contents lists the headings that follow it: skip it until its first entry recurs.
                if (not toc or body != toc[0]) and len(toc) < 200 and len(body) <= 40:
                    toc.append(body)
                    i += 1
                    continue
                toc = None
            # A table row ("25 | 31 | 预期性") is data, whatever number it starts with.
            marker = heading_marker(body) if " | " not in body else None
            if self.pending is not None:
                self._settle_pending(body, marker, start)
            if BOX_RE.match(body):
                i = self.parse_box(lines, i, lstart)
                continue
            if marker is None and start in self.styled and len(body) <= HEADING_MAX:
                self.open_section(clean_heading(body), float(self.styled[start] - 1), lstart, inline=False)
            elif marker is not None:
                self.parse_heading(body, marker[0], marker[1], lstart, end)
            elif ATTACHMENT_RE.match(body):
                i = self.parse_attachment(lines, i, body, lstart)
                continue
            elif not self.title and len(self.stack) == 1 and (n := self._title_lines(lines, i)):
                self.title_span = (lstart, lines[i + n - 1][1])
                self.title = _join_title(self.text[lstart : self.title_span[1]])
                i += n
                continue
            elif start in self.parts:
                self.open_section(clean_heading(body), self.parts[start], lstart, inline=False)
            elif len(self.stack) > 1 and LABEL_RE.match(body):
                # "主要目标：" — the items that follow belong to it, until the next heading of the open level.
                self.open_section(clean_heading(body), self.stack[-1].rank + 0.5, lstart, inline=False)
            else:
                path = self.section_for_plain(lstart)
                kind = "bullet" if BULLET_RE.match(body) else "paragraph"
                for s, e in pack(self.text, lstart, end):
                    self.add(s, e, path, kind)
            i += 1
        if self.pending is not None:
            self._settle_pending("", None, len(self.text))
        while len(self.stack) > 1:
            self.close(len(self.text))
        self.root.end = len(self.text)
        self._merge_short_preamble()
        self._add_title_passage()
        title = self.title or Path(self.name).stem
        sections = tuple(c.freeze(self.name) for c in self.root.children)
        return Document(self.name, title, self.text, sections, tuple(self.passages))

    def _lines(self) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for line in self.text.splitlines(keepends=True):
            spans.append((pos, pos + len(line.rstrip("\r\n"))))
            pos += len(line)
        return spans

    @staticmethod
    def _looks_like_title(body: str) -> bool:
        return len(body) <= 80 and not re.search(r"[。；，]", body) and bool(TITLE_SUFFIX.search(body))

    def _title_lines(self, lines: list[tuple[int, int]], i: int) -> int:
        """How many lines from line i make the document's title (0: none). A title may wrap onto a
        second or third line ("国务院关于加快推进农业机械化和" / "农机装备产业转型升级的指导意见")."""
        parts: list[str] = []
        for n in range(3):
            if i + n >= len(lines):
                break
            s, e = lines[i + n]
            body = self.text[s:e].strip(INDENT)
            if not body or heading_marker(body) or len(body) > 60 or re.search(r"[。；，：:]", body):
                break
            if DOC_NUMBER_RE.search(body) or DATE_LINE_RE.match(body):
                break  # "穗府办规〔2022〕13号", "2022年3月23日": the header around a title, not part of it
            parts.append(body)
            if self._looks_like_title("".join(parts)):
                return n + 1
        return 0

    def parse_attachment(self, lines: list[tuple[int, int]], i: int, body: str, lstart: int) -> int:
        """ "附件2" then "名词解释": an attachment, titled by both lines, above every heading inside it."""
        title = re.sub(r"\s+", "", body).rstrip("：:")
        i += 1
        while i < len(lines) and not self.text[lines[i][0] : lines[i][1]].strip(INDENT):
            i += 1
        if i < len(lines):
            nxt = self.text[lines[i][0] : lines[i][1]].strip(INDENT)
            if nxt and len(nxt) <= 40 and not heading_marker(nxt) and not re.search(r"[。；，]", nxt):
                title += " " + clean_heading(nxt)
                i += 1
        self.open_section(title, ATTACHMENT_RANK, lstart, inline=False)
        return i

    def parse_heading(self, body: str, rank: float, marker_end: int, lstart: int, end: int) -> None:
        rest = body[marker_end:]
        stripped = rest.strip(INDENT)
        first = SENTENCE_END.search(stripped)
        if rank == ARTICLE_RANK and ARTICLE_RE.match(body):
            # "第五条 市民政部门是……": the article number is its title, its text a passage of it.
            node = self.open_section(body[:marker_end], rank, lstart, inline=bool(stripped))
            for s, e in pack(self.text, lstart, end):
                self.add(s, e, node.path, "paragraph")
            return
        sentence = stripped.endswith(("。", "；")) and bool(re.search(r"[，,]", stripped))
        if (
            len(stripped.rstrip("。")) <= HEADING_MAX
            and (first is None or first.end() >= len(stripped))
            and not sentence
        ):
            # A heading line of its own: "（一）发展基础。" (not "1.到2025年，覆盖率达到70%。", an item)
            node = self.open_section(clean_heading(body), rank, lstart, inline=False)
            self.pending = (node, lstart, end)
            return
        # An item with its body on the same line ("（二）基本原则。坚持……"): the lead phrase is its title.
        if (
            first is not None
            and first.start() <= LEAD_MAX
            and not re.search(r"[，,]", stripped[: first.start()])
        ):
            title = body[:marker_end] + stripped[: first.start()]
        else:
            cut = re.search(r"[，,：:]", stripped)
            title = body[:marker_end] + stripped[: min(cut.start() if cut else 20, 20)]
        node = self.open_section(clean_heading(title), rank, lstart, inline=True)
        for s, e in pack(self.text, lstart, end):
            self.add(s, e, node.path, "paragraph")

    def _settle_pending(self, body: str, marker: tuple[float, int] | None, start: int) -> None:
        """Decide what the last heading line of its own was, now that the next line is known.

        Followed by text, a deeper heading or a label, it heads them. Followed at once by a heading of
        its own level or higher (or a box, an attachment, the end), nothing is under it: it was a short
        item of a list ("1. 分散供养特困人员；" then "2. …"), and its words are content. Its line
        becomes a passage of its own section, or a list of short items would be lost from every answer.
        """
        node, lstart, end = self.pending  # type: ignore[misc]
        self.pending = None
        if marker is not None:
            rank: float | None = marker[0]
        elif start in self.styled:
            rank = float(self.styled[start] - 1)
        elif start in self.parts:
            rank = self.parts[start]
        elif not body or BOX_RE.match(body) or ATTACHMENT_RE.match(body):
            rank = -1.0
        else:
            rank = None
        if rank is not None and rank <= node.rank:
            self.add(lstart, end, node.path, "paragraph")
            self.short_item = (node.path[:-1], node.rank)
        elif rank is None and self.short_item == (node.path[:-1], node.rank) and self.stack[-1] is node:
            # The last of a list of short items ("（八）违约责任；" "（九）争议的解决方式。"), then a paragraph
            # of the article: the item is a line of its own like its siblings, and the paragraph is not its body.
            self.add(lstart, end, node.path, "paragraph")
            self.close(start)
            self.short_item = None
        else:
            self.short_item = None

    def parse_box(self, lines: list[tuple[int, int]], i: int, lstart: int) -> int:
        """A 专栏 box runs to the next blank line; it hangs under the nearest heading line."""
        start, end = lines[i]
        # Inline items are paragraphs, not sections: a box placed after one belongs to the heading above it.
        while len(self.stack) > 1 and self.stack[-1].inline:
            self.close(lstart)
        title_line = self.text[lstart:end]
        title_parts = BOX_SPLIT.split(title_line.strip(INDENT), maxsplit=1)
        title = clean_heading(re.sub(r"^(专栏\s*\S+?)[\u3000 ]+", r"\1 ", title_parts[0]))
        box_rank = max(n.rank for n in self.stack) + 1 if len(self.stack) > 1 else 2.0
        node = self.open_section(title, box_rank, lstart, inline=False)
        i += 1
        box_end = end
        segments: list[tuple[int, int]] = []
        if len(title_parts) > 1:  # content on the title line itself
            segments.extend(self._box_segments(lstart + title_line.index(title_parts[1]), end))
        while i < len(lines):
            s, e = lines[i]
            body = self.text[s:e].strip(INDENT)
            if not body or BOX_RE.match(body) or ((r := heading_rank(body)) is not None and r <= 3):
                break
            segments.extend(self._box_segments(s, e))
            box_end = e
            i += 1
        for s, e in segments:
            seg = self.text[s:e]
            entry = ENTRY_RE.match(seg)
            if BULLET_RE.match(seg):
                for ps, pe in pack(self.text, s, e):
                    self.add(ps, pe, node.path, "bullet")
            elif entry and not re.search(r"[，。；、]", entry.group(1)):
                # One passage per entity entry, however long: it is the unit a zone question asks for.
                self.add(s, e, node.path, "entry", entity=entry.group(1))
            elif lead := BOX_LEAD_RE.match(seg):
                # "高端装备制造产业集群。以集群化发展为导向……": a sub-item of the box, titled by its lead phrase.
                sub = self.open_section(clean_heading(lead.group(1)), box_rank + 1, s, inline=True)
                for ps, pe in pack(self.text, s, e):
                    self.add(ps, pe, sub.path, "box")
                self.close(e)
            else:
                for ps, pe in pack(self.text, s, e):
                    self.add(ps, pe, node.path, "box")
        self.close(box_end)
        return i

    def _box_segments(self, start: int, end: int) -> list[tuple[int, int]]:
        """Entries inside one box line are separated by runs of full-width spaces."""
        spans, pos = [], start
        for m in BOX_SPLIT.finditer(self.text, start, end):
            spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, end))
        return [(s, e) for s, e in spans if self.text[s:e].strip(INDENT)]

    def _add_title_passage(self) -> None:
        """The title line(s) as a passage of their own (kind "heading"), so that a question about the
        document itself ("规划的期限是哪几年？") can cite it. It is numbered last, so the ids of
        the other passages do not depend on it; it sits in the preamble section it precedes."""
        if self.title_span is None:
            return
        start, end = self.title_span
        preamble = [c for c in self.root.children if c.path in ((NOTICE,), (INTRO,))]
        before = [c for c in preamble if c.start <= start]
        node = before[-1] if before else (preamble[0] if preamble else None)
        if node is None:
            node = _Node(path=(INTRO,), rank=-1, start=start, inline=False, end=end)
            self.root.children.insert(0, node)
        # Short preamble passages were merged away, so the count is not a free number: the last one is.
        last = max((int(p.id.rsplit("-", 1)[1]) for p in self.passages), default=-1)
        pid = f"{self.key}-{last + 1:04d}"
        self.passages.append(Passage(pid, self.name, node.path, self.text[start:end], start, end, "heading"))
        node.passage_ids.append(pid)

    def _merge_short_preamble(self) -> None:
        """Issuer and date lines ("辽宁省人民政府办公厅", "2017年6月17日") read as one passage."""
        merged: list[Passage] = []
        for p in self.passages:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and p.section == prev.section
                and p.section in ((NOTICE,), (INTRO,))
                and (len(p.text) < 25 or len(prev.text) < 25)
                and p.end - prev.start <= PASSAGE_MAX
            ):
                merged[-1] = Passage(
                    prev.id,
                    prev.doc,
                    prev.section,
                    self.text[prev.start : p.end],
                    prev.start,
                    p.end,
                    prev.kind,
                )
                for child in self.root.children:
                    if child.path == p.section and p.id in child.passage_ids:
                        child.passage_ids.remove(p.id)
            else:
                merged.append(p)
        self.passages = merged


def part_headings(text: str, lines: list[tuple[int, int]]) -> dict[int, float]:
    """Line starts of unnumbered part headings (PART_MAX), each with its rank: half a level above the
    numbering it comes before.

    Example: "面向单位的扶持政策" / "一、……" / … / "七、……" / "面向毕业生的扶持政策" / "一、……" -> both
    label lines, rank 1.5 (above "一、", rank 2).
    """
    bodies = [(s, text[s:e].strip(INDENT)) for s, e in lines]
    bodies = [(s, b) for s, b in bodies if b]
    found: dict[float, list[int]] = {}
    prose: list[int] = []  # lines between two paragraphs (_between_paragraphs)
    for (_, before), (start, body), (_, nxt) in zip(bodies, bodies[1:], bodies[2:], strict=False):
        if not 2 <= len(body) <= PROSE_PART_MAX or PLAIN_PUNCT.search(body) or heading_marker(body):
            continue
        if ATTACHMENT_RE.match(before) or ATTACHMENT_RE.match(body) or BOX_RE.match(body):
            continue  # an attachment's title line is its own (parse_attachment)
        if DATE_LINE_RE.match(body) or DOC_NUMBER_RE.search(body) or TOC_RE.match(body):
            continue
        marker = heading_marker(nxt) if FIRST_ITEM.match(nxt) and len(body) <= PART_MAX else None
        if marker is not None:
            found.setdefault(marker[0], []).append(start)
        elif _between_paragraphs(before, body, nxt):
            prose.append(start)
    out = {s: rank - 0.5 for rank, starts in found.items() if len(starts) >= 2 for s in starts}
    ranks = [m[0] for _, b in bodies if (m := heading_marker(b)) is not None and m[0] != ARTICLE_RANK]
    if len(prose) >= 2 and ranks:
        # "“十四五”时期发展成就和2025年工作回顾" / "“十五五”时期主要目标和2026年重点工作": a report's parts,
        # above its highest numbering.
        out.update({s: min(ranks) - 0.5 for s in prose if s not in out})
    return out


def _between_paragraphs(before: str, body: str, nxt: str) -> bool:
    """An unnumbered heading of prose: a line of PROSE_PART_MIN characters or more, without a space (a signature
    "自治区人民政府主席 包钢"), after a paragraph that ends a sentence and before one of PROSE_PARAGRAPH
    characters or more."""
    return (
        len(body) >= PROSE_PART_MIN
        and not re.search(r"\s", body)
        and bool(re.search(r"[。！？][”’」』）)]*$", before))
        and len(nxt) >= PROSE_PARAGRAPH
        and bool(PLAIN_PUNCT.search(nxt))
    )


def _join_title(text: str) -> str:
    """A title wrapped over lines, or spaced out letter by letter, as one line.

    Example: _join_title("国务院关于加快推进农业机械化和\n农机装备产业转型升级的指导意见")
    -> "国务院关于加快推进农业机械化和农机装备产业转型升级的指导意见"; "国 家 粮 食" -> "国家粮食"
    """
    text = re.sub(r"\s*\n\s*", "", text.strip(INDENT))
    text = re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000](?=[\u4e00-\u9fff])", "", text)
    return clean_heading(text)


def parse_document(name: str, text: str, styled: dict[int, int] | None = None) -> Document:
    """Parse one plan's text into its section tree and passages.

    `styled`: offsets of lines the file format marks as headings, with their level (1 = top).
    """
    return _Parser(name, text, styled).parse()


# What a library folder may hold; the format itself is judged from the bytes (readers/), not the name.
DOCUMENT_SUFFIXES = frozenset(
    {".txt", ".md", ".pdf", ".docx", ".html", ".htm", ".ofd", ".png", ".jpg", ".jpeg"}
)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The document files of a library folder, sorted by name (hidden and temporary files left out)."""
    if not corpus_dir.is_dir():
        return []
    return sorted(
        p
        for p in corpus_dir.iterdir()
        if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and not p.name.startswith(".")
    )


def parse_file(name: str, data: bytes) -> Document:
    """Read one file of any supported format and parse it; pages and OCR marks carried to passages.

    Raises UnreadableDocument (naming the file and the remedy) for anything that is not a document.
    """
    from .readers import read_document

    raw = read_document(name, data)
    doc = parse_document(name, raw.text, dict(raw.headings))
    ocr = set(raw.ocr_pages)
    passages = doc.passages
    if raw.pages:
        passages = tuple(
            replace(p, page=(page := raw.page_at(p.start)), ocr=page in ocr) for p in doc.passages
        )
    elif raw.ocr_pages:  # an image: one page, all of it read by OCR
        passages = tuple(replace(p, ocr=True) for p in doc.passages)
    return replace(
        doc,
        title=doc.title or raw.title,
        passages=passages,
        format=raw.format,
        pages=len(raw.pages),
        needs_ocr=raw.needs_ocr,
    )


def read_corpus(corpus_dir: Path) -> list[Document]:
    """Parse every document file in `corpus_dir`, sorted by name; raise CorpusError if none is readable."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"语料目录不存在 / corpus folder not found: {corpus_dir}")
    docs, problems = [], []
    for path in corpus_files(corpus_dir):
        try:
            doc = parse_file(path.name, path.read_bytes())
        except UnreadableDocument as exc:
            problems.append(exc.message)
            continue
        if doc.passages:
            docs.append(doc)
    if not docs:
        why = "；".join(problems) or f"no readable plan in {corpus_dir}"
        raise CorpusError(f"语料目录中没有可读的文档 / no readable document: {why}")
    return docs


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_hash(corpus_dir: Path) -> str:
    """Hash of every document file's name and bytes: a changed plan means a stale index."""
    h = hashlib.sha256()
    for path in corpus_files(corpus_dir):
        h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
