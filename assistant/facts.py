"""Structured facts extracted by rule at index time: named entities and a targets table.

Rules read the plan's own structure (box entries name the zones or cities)
and the language of targets ("到2020年……达到2.8%"), so they carry over to
any plan written in this style.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .corpus import split_sentences
from .schema import Passage, Target
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
UNITS = "平方公里|万平方米|平方米|立方米|万千瓦|千瓦|公里|万亩|亩|万吨|吨|亿元|万元|元|亿|万人|人次|人|名|位|家|个|项|只|所|座|条|台|套|户|头|辆|艘|倍|%|％|百分点"
FIGURE_RE = re.compile(rf"(\d+(?:\.\d+)?)\s*({UNITS})")
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
OTHER_KIND = re.compile(r"^(?:市|省|县|州|区|镇|乡|银行|大学|海关)")


def mentions(entity: Entity, text: str) -> bool:
    """Whether `text` names the entity: its full name, or a short name not followed by another kind of place.

    Example: mentions(大连高新区, "沈阳、大连等8个高新区") -> True; mentions(大连高新区, "大连市与上海市") -> False
    """
    norm = normalize(text)
    if normalize(entity.name) in norm:
        return True
    for alias in entity.aliases:
        if alias.isascii():
            continue
        key = normalize(alias)
        for m in re.finditer(re.escape(key), norm):
            if not OTHER_KIND.match(norm[m.end() :]):
                return True
    return False


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
