"""Structured facts extracted by rule at index time: named entities and a targets table.

Rules read the plan's own structure (box entries name the zones or cities)
and the language of targets ("到2020年……达到2.8%"), so they carry over to
any plan written in this style.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .corpus import split_sentences
from .schema import Document, Passage, Section, Target
from .segment import normalize, pinyin

# Generic suffixes of entity names: "沈阳高新区" is also called "沈阳", "凉山州" "凉山".
ENTITY_SUFFIXES = (
    "高新技术产业开发区",
    "经济技术开发区",
    "国家自主创新示范区",
    "高新区",
    "开发区",
    "自创区",
    "示范区",
    "试验区",
    "产业园",
    "园区",
    "新区",
    "自治州",
    "地区",
    "市",
    "州",
    "盟",
    "县",
)
# Measure words a figure is counted in ("40处", "2000场次", "5部"), longest spelling first where two share a start.
UNITS = (
    "平方公里|万平方米|平方米|立方米|万千瓦|千瓦|公里|千米|万亩|亩|公顷|万吨|吨|亿元|万元|元|亿|万人次|万人|人次|人|名|位|"
    "家|个|项|只|所|座|条|台|套|户|头|辆|艘|倍|处|场次|场|批次|批|部|件|篇|册|支|株|周岁|岁|%|％|百分点|"
    # Also counted in: containers, energy, time, times; and 万 alone ("4500万标箱" and "突破1000万" both
    # state a figure; a year or an article number never takes 万).
    "万标箱|标箱|千瓦时|万"
)
# A unit in Latin letters counts too ("190Eflops", "55GWh"); one letter does not ("5G" names a technology).
FIGURE_RE = re.compile(rf"(\d+(?:\.\d+)?)\s*({UNITS}|[A-Za-z]{{2,8}}(?![A-Za-z]))")
# A table row as the readers write it, one row a passage: cells joined by " | "
# ("博物馆 | 博物馆数量 | 2025年：≥260 | 预期性"). A cell holding a figure may name its column's year
# ("2025年："), a comparison (≥, 不低于) and a range ("3-5"); its unit is then often in the indicator
# cell, in brackets ("博物馆年接待观众数量（万人次）", "县级博物馆覆盖率（%）").
CELL_SEP = " | "
VALUE_CELL = re.compile(
    r"^(?:(?:19|20)\d\d年(?:底|末)?[：:]\s*)?(?:[≥≤＞＜><]=?|不低于|不少于|不超过|超过|约)?\s*"
    r"(\d+(?:\.\d+)?(?:\s*[-—~～]\s*\d+(?:\.\d+)?)?)\s*(%|％)?$"
)
CELL_UNIT = re.compile(rf"[（(]((?:万|亿|千|百)?(?:{UNITS}))[）)]$")


def row_figures(text: str) -> list[str]:
    """The figures a table row gives, each with its unit when a cell names one; [] for any other text.

    Example: row_figures("博物馆 | 博物馆年接待观众数量（万人次） | 2025年：4000 | 预期性") -> ["4000万人次"];
    row_figures("博物馆 | 博物馆数量 | 2025年：≥260 | 预期性") -> ["260"]
    """
    if CELL_SEP not in text or "\n" in text:
        return []
    cells = [c.strip() for c in text.split(CELL_SEP)]
    unit = ""
    values = []
    for cell in cells:
        m = VALUE_CELL.match(cell)
        if m is None:
            u = CELL_UNIT.search(cell)
            unit = unit or (u.group(1) if u else "")
        elif not re.fullmatch(r"(?:19|20)\d\d", cell):  # a bare year is a column's name, not a figure
            values.append((m.group(1), m.group(2) or ""))
    return [value + (own or unit) for value, own in values]


def has_figure(text: str) -> bool:
    """A figure with its unit ("40处", "2.8%"), or a table row's figure cell ("2025年：≥260")."""
    return bool(FIGURE_RE.search(text)) or bool(row_figures(text))


def figure_view(text: str, unit: str = "") -> str:
    """The text, plus a table row's figures written with the unit of their indicator cell, so that a
    question's asked unit ("多少万人次") is found: "…（万人次） | 2025年：4000 | …" gains " 4000万人次".
    A figure whose row names no unit ("湖北省文物保护单位增加数量 | 2025年：≥50") counts in `unit`,
    the measure word the question counts in ("增加多少处": " 50处")."""
    figures = [f + unit if re.fullmatch(r"[\d.\-—~～ ]+", f) else f for f in row_figures(text)]
    return text + " " + " ".join(figures) if figures else text


YEAR_RE = re.compile(r"(?:到|至|力争到|争取到)\s*(20\d\d)\s*年")
TARGET_CUES = re.compile(
    r"力争|达到|突破|新增|新建|新组建|累计|实现|要|争取|不低于|以上|超过|建成|培育|认定|引进|设立|提高到|提升到"
)
BASELINE_CUES = re.compile(r"目前|现有|已经|已有|已成为|拥有|共有|共实现|截至|(?<![到至\d])20\d\d年底?，")
FRAME_WORDS = re.compile(
    r"^(?:力争|努力|争取|到20\d\d年[，,]?|全省|要)+|(?:力争|争取)?(?:达到|超过|突破|实现|提高到|提升到)?$"
)


@dataclass(frozen=True)
class Entity:
    """A named zone, city or programme, with the other names a question may use."""

    name: str
    aliases: tuple[str, ...]

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def short_name(name: str) -> str:
    """Example: short_name("葫芦岛高新区") -> "葫芦岛"; short_name("成都市") -> "成都" """
    for suffix in ENTITY_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def extract_entities(passages: Iterable[Passage]) -> list[Entity]:
    """Entities are the labels of box entries ("沈阳高新区：…"), in first-seen order."""
    seen: dict[str, Entity] = {}
    for p in passages:
        if p.entity and p.entity not in seen:
            short = short_name(p.entity)
            aliases = {short, pinyin(short)} - {p.entity}
            seen[p.entity] = Entity(p.entity, tuple(sorted(aliases, key=lambda a: (-len(a), a))))
    return list(seen.values())


# "大连市" is the city, not 大连高新区: a short name followed by another kind of place is another entity.
OTHER_KINDS = "市|省|县|州|区|镇|乡|银行|大学|海关"
OTHER_KIND = re.compile(f"^(?:{OTHER_KINDS})")


@lru_cache(maxsize=4096)
def _short_names(entity: Entity) -> re.Pattern[str] | None:
    """One pattern for the entity's Chinese short names, each not followed by another kind of place;
    compiled once per entity (mentions runs a hundred times a question)."""
    keys = sorted({normalize(a) for a in entity.aliases if not a.isascii()}, key=len, reverse=True)
    if not keys:
        return None
    return re.compile(f"(?:{'|'.join(map(re.escape, keys))})(?!{OTHER_KINDS})")


def mentions(entity: Entity, text: str) -> bool:
    """Whether `text` names the entity: its full name, or a short name not followed by another kind of place.

    Example: mentions(大连高新区, "沈阳、大连等8个高新区") -> True; mentions(大连高新区, "大连市与上海市") -> False
    """
    norm = normalize(text)
    if normalize(entity.name) in norm:
        return True
    pattern = _short_names(entity)
    return pattern is not None and pattern.search(norm) is not None


SEPARATORS = "、，,；;。和及与或（）()"


def _indicator(sentence: str, fig_start: int, fig_end: int, prev_end: int) -> str:
    """The words a figure measures: the noun phrase after it ("8个国家级高新区"), else the phrase before it."""
    after = re.match(rf"[^{SEPARATORS}\d]*", sentence[fig_end:])
    after_text = after.group(0) if after else ""
    if len(after_text) >= 2 and not re.match(r"以上|左右|以内|以下|的|，", after_text):
        return after_text[:30]
    before = sentence[prev_end:fig_start]
    before = re.split(r"[，,；;：:]", before)[-1]
    before = re.sub(r"^[、和及与以上]+", "", before)
    before = FRAME_WORDS.sub("", before).strip("，,、 （(")
    return before[-40:]


def extract_targets(passages: Iterable[Passage]) -> list[Target]:
    """Every figure with a unit, classed as a target (with its year) or a baseline.

    The year of a target may be stated sentences earlier in the same section
    ("力争到2020年，……。……比重达到2.8%"), so it carries over within a section.
    Example: "省级以上高新区科学研究与试验发展经费占GDP比重达到2.8%" ->
    Target(indicator="省级以上高新区科学研究与试验发展经费占GDP比重", value="2.8", unit="%", year=2020, ...)
    """
    targets: list[Target] = []
    year: int | None = None
    section: tuple[str, ...] = ()
    for p in passages:
        if p.section != section:
            section, year = p.section, None
        passage_years = YEAR_RE.findall(p.text)
        for s, e in split_sentences(p.text, 0):
            sentence = p.text[s:e]
            y = YEAR_RE.search(sentence)
            if y:
                year = int(y.group(1))
            figures = [m for m in FIGURE_RE.finditer(sentence) if not re.fullmatch(r"20\d\d", m.group(1))]
            prev_end = 0
            for m in figures:
                indicator = _indicator(sentence, m.start(), m.end(), prev_end)
                # A figure glued to the noun after it ("超500亿元产业集群4个") is part of the next indicator.
                glued = not re.match(rf"[{SEPARATORS}]|以上|左右", sentence[m.end() : m.end() + 2])
                prev_end = prev_end if glued else m.end()
                if len(indicator) < 2:
                    continue
                head = sentence[: m.start()]
                target_year = year or (int(passage_years[0]) if passage_years else None)
                is_target = (
                    target_year is not None
                    and not BASELINE_CUES.search(head)
                    and bool(TARGET_CUES.search(sentence))
                )
                targets.append(
                    Target(
                        indicator=indicator,
                        value=m.group(1),
                        unit=m.group(2).replace("％", "%"),
                        year=target_year if is_target else None,
                        kind="target" if is_target else "baseline",
                        doc=p.doc,
                        section=p.section_path,
                        passage_id=p.id,
                        text=sentence.strip("，,；;。 \u3000"),
                    )
                )
    return targets


# -- the document card: what a document says about itself -------------------------------------------
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号")
DATE = re.compile(
    r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
)
PERIOD = re.compile(r"((?:19|20)\d\d)\s*[-—–－~～至到]\s*((?:19|20)\d\d)\s*年")
# A signature line: an organ of government ("广州市人民政府办公厅", "国务院"), or a speaker ("广东省省长 孟凡利").
ORGAN = re.compile(
    r"(国务院|人民政府|办公厅|办公室|委员会|[^，。、；\s]{1,12}(部|委|局|厅|署|院|会|中心|小组|政府)|"
    r"(省长|市长|主席|区长|州长|县长)[\s\u3000]*[\u4e00-\u9fff·]{2,10})$"
)
BASIS = re.compile(
    r"(?:根据|依据|依照|按照|贯彻落实|落实)[^。；]{0,40}?(《[^》]{2,60}》(?:[、和及与]《[^》]{2,60}》)*)"
)
# When the document takes effect and how long it holds, in its own closing words: "本办法自印发之日起施行，
# 有效期5年。", "本条例自2005年1月1日起施行。" Only a sentence about the document itself (本/此 + its kind):
# "自2020年起实施新标准" in the body is about something else.
EFFECTIVE = re.compile(
    r"(?:本|此)(?:实施)?(?:办法|规定|条例|细则|意见|通知|方案|规划|决定|措施|政策|计划|预案|规则|标准|清单)"
    r"[^。\n]{0,40}?(?:起(?:施行|实施|执行|生效)|有效期)[^。\n]*。?"
    r"(?:[^。\n]{0,80}同时(?:废止|停止执行)。?)?"  # "……发布的《取水许可制度实施办法》同时废止。"
)
# A header line dating the meeting that adopted the text: "2012年3月28日 国务院第197次常务会议通过".
ADOPTED = re.compile(r"(?m)^[（(]?\d{4}年\d{1,2}月\d{1,2}日[^\n。]{0,40}会议[^\n。]{0,10}通过[)）]?$")
# The sentence that repeals earlier documents: "自本通知实施之日起，《……》（穗人社发〔2014〕52号）同时废止。"
REPEALS = re.compile(r"[^。\n]*(?:同时废止|予以废止|一律废止|不再执行|停止执行)[^。\n]*。?")
# A regulation's decree, on its date line: "中华人民共和国国务院令第583号".
DECREE = re.compile(r"[\u4e00-\u9fff]{0,12}令\s*第\s*\d{1,4}\s*号")
# The line a dated header opens: a report's "2026年1月14日在浙江省第十四届人民代表大会第四次会议上", a
# regulation's "2010年11月19日 中华人民共和国国务院令第583号公布". The whole line is the date fact: it says
# on what occasion, too.
DATE_LINE_REST = re.compile(r"\s*(?:在|于)?[^。]{0,50}(?:会议上|公布|发布|通过|修订|施行|印发)[)）]?$")
HEADER_PASSAGES = 8  # passages at the top and at the end of a document where its header and signature sit


@dataclass(frozen=True)
class Field:
    """One fact of the card and where it is written: passage id and the span inside its text."""

    value: str
    passage_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Card:
    """What a document says about itself, each fact with the passage that states it."""

    doc: str
    title: Field | None = None
    issuer: Field | None = None
    date: Field | None = None
    number: Field | None = None  # 文号, "国发〔2018〕42号"
    period: Field | None = None  # "2017-2020年", from the title
    basis: tuple[Field, ...] = ()  # documents it is based on, "《……》"
    effective: Field | None = None  # "本办法自印发之日起施行，有效期5年。"
    attachments: tuple[Field, ...] = ()  # the attachments printed with it, by their headings
    repeals: Field | None = None  # the sentence that repeals earlier documents
    adopted: Field | None = None  # a regulation's adoption: "2012年3月28日 国务院第197次常务会议通过"
    outline: tuple[Field, ...] = ()  # its top-level parts ("一、支持企业稳定发展", …), by their headings


# An attachment's own heading: "附件", "附件1", "附件二" opening a top-level section ("附件1 广州市……指标体系").
ATTACHMENT = re.compile(r"^附件[0-9０-９一二三四五六七八九十]{0,3}(?:[ \u3000:：]|$)")
NUMBERED_ENTRY = re.compile(r"^[0-9０-９]{1,2}[.．、]")


def attachments(passages: list[Passage]) -> tuple[Field, ...]:
    """The attachments printed with a document, in order: each top-level section headed "附件…", as its
    heading, cited to the first passage under it (the heading is no passage's text: start = end = 0).

    Example: sections "附件1 2026年省十件民生实事", "附件2 名词解释" -> two Fields with those headings."""
    out: dict[str, Field] = {}
    # A bare "附件" heading over numbered entries is their list, not an attachment itself: a line under it after
    # the last entry (the signature of a notice whose attachments are listed above it) names none.
    listed = any(
        len(p.section) > 1 and p.section[0].strip() == "附件" and NUMBERED_ENTRY.match(p.section[1])
        for p in passages
    )
    for p in passages:
        if not p.section or not ATTACHMENT.match(p.section[0]):
            continue
        if listed and p.section == ("附件",):
            continue
        # A bare "附件" heading over numbered ones ("１．申请公共租赁住房保障家庭收入及财产限额") heads a list
        # of attachments: those are its entries.
        head = p.section[0].strip()
        # "附件：" then "1.……" may be read as one heading, "附件 1.……", over the other entries "2.……", "3.……".
        first = re.match(r"^附件[\s:：]*(?=[0-9０-９]{1,2}[.．、])", head)
        bare = (head == "附件" or first) and len(p.section) > 1 and NUMBERED_ENTRY.match(p.section[1])
        if first and head[first.end() :] not in out:
            out[head[first.end() :]] = Field(head[first.end() :], p.id, 0, 0)  # the first entry
        name = p.section[1] if bare else head[first.end() :] if first else head
        if name not in out:
            out[name] = Field(name, p.id, 0, 0)
    return tuple(out.values())


# Top-level sections that are no part of the text's own outline: its preamble, a notice printed before
# it, attachments, and a regulation's articles (a text of bare articles has no parts).
NOT_PARTS = re.compile(r"^(?:前言|印发通知|附件|第[一二三四五六七八九十百零〇\d]+条)")
OUTLINE_MAX = 20  # more top-level sections than this are no outline a reader asks to have listed


def outline(doc: Document) -> tuple[Field, ...]:
    """The document's top-level parts, in order, each cited to the first passage under it; () when it has
    fewer than two. Example: "一、支持企业稳定发展" … "五、落实各方责任" for a State Council opinion."""
    parts = [s for s in doc.sections if not NOT_PARTS.match(s.title)]
    out = []
    for section in parts:
        first = _first_passage(section)
        if first:
            out.append(Field(section.title, first, 0, 0))
    return tuple(out) if 2 <= len(out) <= OUTLINE_MAX else ()


def _first_passage(section: Section) -> str:
    if section.passage_ids:
        return section.passage_ids[0]
    return next((pid for child in section.children if (pid := _first_passage(child))), "")


def _first(pattern: re.Pattern[str], passages: Iterable[Passage]) -> Field | None:
    for p in passages:
        if m := pattern.search(p.text):
            return Field(m.group(0), p.id, m.start(), m.end())
    return None


def _lines(p: Passage) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in p.text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _decree_line(p: Passage, i: int, ordered: list[Passage]) -> Field | None:
    """The first dated line with a decree ("2008年12月1日 中华人民共和国国务院令第541号公布") among the four
    lines after line i of passage p, in p or the passages after it (a header's lines are cut into passages
    two by two)."""
    after = ordered[ordered.index(p) :][:3] if p in ordered else [p]
    seen = 0
    for q in after:
        for n, (s, e) in enumerate(_lines(q)):
            if q is p and n <= i:
                continue
            seen += 1
            if seen > 4:
                return None
            line = q.text[s:e].strip(" \u3000\t")
            dm = DATE.match(line)
            if dm and DECREE.search(line) and DATE_LINE_REST.match(line[dm.end() :]):
                off = s + q.text[s:e].index(line)
                return Field(line, q.id, off, off + len(line))
    return None


def document_card(doc: Document) -> Card:
    """The card of a document, read by rule from its title, header and signature passages.

    Example: for the Liaoning plan -> Card(title=…（2017-2020年）, issuer="辽宁省人民政府办公厅",
    date="2017年6月17日", period="2017-2020年", …), each field citing the notice or the title passage.
    """
    passages = list(doc.passages)
    if not passages:
        return Card(doc.name)
    title_p = next((p for p in passages if p.kind == "heading"), None)
    body = [p for p in passages if p.kind != "heading"]
    ordered = sorted(body, key=lambda p: p.start)
    preamble = [p for p in ordered if len(p.section) == 1 and p.section[0] in ("印发通知", "前言")]
    top = list(dict.fromkeys(ordered[:HEADER_PASSAGES] + preamble))
    bottom = ordered[-HEADER_PASSAGES // 2 :]
    header = ([title_p] if title_p else []) + top
    title = Field(doc.title, title_p.id, 0, len(title_p.text)) if title_p else None
    # A document's own number stands on a line of its own ("国发〔2018〕42号", "（皖政办秘〔2021〕82号）");
    # one quoted in a sentence belongs to another document.
    number = _first(re.compile(rf"(?m)^[（(]?{DOC_NUMBER.pattern}(?=[)）]?$)"), header + bottom)
    if number is not None and number.value.startswith(("（", "(")):
        number = Field(number.value[1:], number.passage_id, number.start + 1, number.end)
    period = _first(PERIOD, [title_p] if title_p else [])
    date: Field | None = None
    issuer: Field | None = None
    # The signature is at the top, at the end, or before an attachment: nearest the edges first.
    for p in list(dict.fromkeys(top + bottom[::-1] + ordered)):
        lines = _lines(p)
        for i, (s, e) in enumerate(lines):
            line = p.text[s:e].strip(" \u3000\t")
            m = DATE.search(line)
            if not m:
                continue
            opened = re.fullmatch(r"[—（(\s]*", line[: m.start()]) is not None
            alone = m.end() - m.start() >= len(line) - 2
            occasion = opened and bool(DATE_LINE_REST.match(line[m.end() :]))
            # A date line standing alone ("2018年12月21日"), or opening a header line that says on what
            # occasion ("——2026年1月26日在…会议上", "2010年11月19日 国务院令第583号公布").
            if not (alone or occasion or (opened and line.startswith(("——", "—", "（")))):
                continue
            value = re.sub(r"^[—（(\s]+|[)）\s]+$", "", line) if occasion else m.group(0)
            if occasion and not DECREE.search(value) and (later := _decree_line(p, i, ordered)):
                # A regulation's history, one dated line an event ("1988年1月16日 国务院公布", "2008年11月19日
                # …修订通过", "2008年12月1日 国务院令第541号公布"): the text in force is the one its decree promulgated.
                date = later
                break
            off = s + p.text[s:e].index(value)
            date = Field(value, p.id, off, off + len(value))
            # The organ signing right above the date, or a speaker's line just below a report's date.
            for j in (i - 1, i - 2, i + 1, i + 2):
                if 0 <= j < len(lines):
                    s2, e2 = lines[j]
                    cand = p.text[s2:e2].strip(" \u3000\t")
                    if cand and len(cand) <= 40 and ORGAN.search(cand) and not DATE.search(cand):
                        s3 = s2
                        while (
                            j < i
                            and j > 0
                            and ORGAN.search(p.text[lines[j - 1][0] : lines[j - 1][1]].strip())
                        ):
                            j -= 1  # a signature of several organs runs over several lines
                            s3 = lines[j][0]
                        issuer = Field(p.text[s3:e2].strip(), p.id, s3, e2)
                        break
            if issuer is None and i == 0 and p in ordered and ordered.index(p) > 0:
                # The signature line may be a passage of its own, right before the date's.
                prev = ordered[ordered.index(p) - 1]
                s2, e2 = _lines(prev)[-1]
                cand = prev.text[s2:e2].strip(" \u3000\t")
                if cand and len(cand) <= 40 and ORGAN.search(cand) and not DATE.search(cand):
                    off = s2 + prev.text[s2:e2].index(cand)
                    issuer = Field(cand, prev.id, off, off + len(cand))
            break
        if date:
            break
    if issuer is None and title_p is not None:
        # "国务院办公厅关于印发……的通知": the issuer opens the title.
        if m := re.match(r"^(.{2,40}?)(?:关于|印发)", title_p.text.replace("\n", "")):
            if ORGAN.search(m.group(1)) or "等" in m.group(1):
                issuer = Field(m.group(1), title_p.id, 0, len(m.group(1)))
    basis: list[Field] = []
    for p in header:
        for m in BASIS.finditer(p.text):
            if all(b.value != m.group(1) for b in basis):
                basis.append(Field(m.group(1), p.id, m.start(1), m.end(1)))
    if number is None and date is not None and (m := DECREE.search(date.value)):
        # A regulation's number is its decree's, on its date line: "国务院令第583号".
        number = Field(m.group(0), date.passage_id, date.start + m.start(), date.start + m.end())
    effective = _first(EFFECTIVE, ordered[::-1])  # a closing clause: looked for from the end
    # Looked for from the end of the document's own text (its attachments may quote other rules).
    own = [p for p in ordered if not (p.section and ATTACHMENT.match(p.section[0]))]
    repeals = _first(REPEALS, own[::-1])
    adopted = _first(ADOPTED, header)
    return Card(
        doc.name,
        title,
        issuer,
        date,
        number,
        period,
        tuple(basis[:4]),
        effective,
        attachments(ordered),
        repeals,
        adopted,
        outline(doc),
    )
