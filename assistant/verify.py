"""Check a generated answer against the passages it cites before anyone sees it.

Every figure (number, percentage, year, money amount) and every zone or place
name in the answer must occur in a passage that the answer cites for it, and
every [n] must name a passage that was given. Figures are compared as values
with a unit class, so "2亿元" matches "20000万元", "百分之二点八" matches "2.8%",
"272个" matches "272家"; but "2.5万元" never matches "2.5亿元", nor "15%" "15个".

A sentence the model left without a marker is attributed here: when exactly one
passage contains all its figures and names and most of its key terms, the marker
is added and the sentence is then checked like any other; otherwise it is left
as written and fails or passes exactly as before. Only the format is relaxed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import messages
from .facts import OTHER_KIND, Entity, mentions
from .segment import normalize

# [1], [1][2], [1,2], [1、3], [1-3]; full-width brackets fold to these under NFKC, 【】 we fold ourselves.
MARKER = re.compile(r"\[(\d+(?:\s*[,，、\-–~]\s*\d+)*)\]")
# What a model writes when the passages do not answer.
REFUSAL = re.compile(r"未提及|没有提及|未涉及|没有涉及|没有相关|未找到|无法回答|不能回答")
# List numbering is layout, not a claim: "1. ", "2、", "（3）", "①".
LIST_NUMBER = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:\d{1,2}(?:\.(?!\d)|[、)）])|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、)\s*",
    re.M,
)
CIRCLED = re.compile("[\u2460-\u2473\u2776-\u277f]")

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
MULTIPLIERS = {
    "万亿": 10**12,
    "千亿": 10**11,
    "百亿": 10**10,
    "亿": 10**8,
    "千万": 10**7,
    "百万": 10**6,
    "万": 10**4,
}

# Unit -> (class, factor). Units of one class are interchangeable ("家" and "个" both count things).
# Left out on purpose: 次 (二次开发), 期 (十三五期间), 位 (三位一体), 部 (两部门), whose figures are seldom claims.
COUNT_WORDS = "个 家 项 所 座 条 只 台 套 户 处 批 类 种 支 件 款 艘 辆"
UNITS: dict[str, tuple[str, int]] = {
    "%": ("percent", 1),
    "个百分点": ("points", 1),
    "百分点": ("points", 1),
    "平方公里": ("km2", 1),
    "平方千米": ("km2", 1),
    "平方米": ("m2", 1),
    "公顷": ("hectare", 1),
    "亩": ("mu", 1),
    "公里": ("km", 1),
    "吨": ("ton", 1),
    "美元": ("usd", 1),
    "元": ("yuan", 1),
    "人次": ("visits", 1),
    "人": ("people", 1),
    "名": ("people", 1),
    "倍": ("times", 1),
    "年": ("years", 1),
    "成": ("percent", 10),  # 三成 = 30%
    **{w: ("count", 1) for w in COUNT_WORDS.split()},
}
_UNIT_ALT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_MULT_ALT = "|".join(sorted(MULTIPLIERS, key=len, reverse=True))
_NUM = rf"\d+(?:\.\d+)?|[{CN_CHARS}]+(?:点[零〇一二两三四五六七八九]+)?"
QUANTITY = re.compile(
    rf"(?P<pct>百分之)(?P<pnum>{_NUM})"
    rf"|(?P<num>{_NUM})(?P<mult>{_MULT_ALT})?(?P<unit>{_UNIT_ALT})?"
)
# "2017-2020年", "3至5家": the unit of the second figure belongs to the first too.
RANGE = re.compile(rf"(\d+(?:\.\d+)?)(\s*[-—–~至]\s*)(\d+(?:\.\d+)?)((?:{_MULT_ALT})?(?:{_UNIT_ALT}))")
# "成" is a unit only where it is not the start of a word ("成为", "成立", "成果" …).
NOT_CHENG = re.compile(r"[为立果本员效熟长功交都绩就型规片套品]")
# Generic geography a model may add without naming a place the plan must contain.
GENERIC_PLACES = frozenset(
    "中国 我国 全国 全省 本省 省内 省外 国内 国外 境内 境外 海外 各地 当地 本地 地方".split()
)
# jieba tags some plain words as places ("新建" is also a county): a tagged word the plans use is
# checked only when it looks like a place name.
PLACE_SUFFIX = tuple("省市县区州岛镇乡盟旗")
# A sentence ends at 。！？； or a line break; markers right after the end still belong to it ("…2.8%。[1]").
SENTENCE_END = re.compile(r"[。！？；!?;\n]+(?:[ \t]*[\[［【][\d０-９\s,，、\-–~]{1,20}[\]］】])*")
# Share of a sentence's key terms its passage must contain. Hand-set: a model copying a clause still
# rewords a word or two ("研发" for "科学研究与试验发展"), while a passage sharing only one generic word
# with a three-term sentence ("高新区") does not reach it. Figures and names are always required in full.
KEY_TERM_SHARE = 0.6
# A sentence with no figure or name is attributed on its words alone only when it has at least this
# many key terms: one shared word ("研发") is too thin to say which passage a sentence comes from.
MIN_TERMS_ALONE = 2

Places = Callable[[str], list[str]]
Terms = Callable[[str], list[str]]


@dataclass(frozen=True)
class Quantity:
    """A figure as a comparable value: "2亿元" -> Quantity(Decimal("2E+8"), "yuan", "2", "2亿元")."""

    value: Decimal
    unit: str  # a unit class, "magnitude" for a bare 万/亿 figure, "" for a bare number
    raw: Decimal  # the number as written, before 万/亿 and unit factors
    text: str


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: problems (empty when the answer may be shown) and the passages it cites."""

    problems: tuple[str, ...]
    cited: tuple[int, ...]  # 1-based passage numbers, in order of first citation
    refusal: bool = False  # the answer says the passages do not answer, and cites nothing
    answer: str = ""  # the answer as checked: with the markers the verifier attributed
    added: int = 0  # how many markers the verifier attributed

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_cn_number(text: str) -> Decimal | None:
    """The value of a Chinese numeral, or None when it is not one.

    Example: "二点八" -> 2.8; "三千三百六十七亿" -> 336700000000; "百亿" -> 10000000000; "二〇二〇" -> 2020
    """
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        head = parse_cn_number(whole) if whole else Decimal(0)
        if head is None or not frac or any(c not in CN_DIGITS for c in frac):
            return None
        return head + Decimal("0." + "".join(str(CN_DIGITS[c]) for c in frac))
    if len(text) > 1 and all(c in CN_DIGITS for c in text):
        return Decimal("".join(str(CN_DIGITS[c]) for c in text))  # digit by digit, as years are written
    for big, factor in (("亿", 10**8), ("万", 10**4)):
        if big in text:
            above, _, below = text.partition(big)
            high = parse_cn_number(above) if above else Decimal(1)
            low = parse_cn_number(below) if below else Decimal(0)
            if high is None or low is None:
                return None
            return high * factor + low
    total, digit = 0, None
    for ch in text:
        if ch in "零〇":
            continue  # "一百零五": a place holder
        if ch in CN_DIGITS:
            if digit is not None:
                return None  # "十三五" is a name, not a number
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL:
            total += (1 if digit is None else digit) * CN_SMALL[ch]
            digit = None
        else:
            return None
    return Decimal(total + (digit or 0))


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return parse_cn_number(text)


def prepare(text: str) -> str:
    """Normalised text with layout numbering, thousands separators and dashes made harmless.

    Example: prepare("1. 投入２０，０００万元") -> "投入20000万元"
    """
    text = CIRCLED.sub(" ", text.replace("【", "[").replace("】", "]"))
    text = LIST_NUMBER.sub("", normalize(text))
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def quantities(text: str) -> list[Quantity]:
    """Every figure in (prepared) text, folded to a value and a unit class.

    Chinese numerals count only with a unit ("三个", "百亿元", "百分之四十"), so words
    like "统一" or "十三五" are not read as figures; ordinals ("第3") are skipped.

    Example: quantities("2017-2020年投入20000万元") -> values 2017 years, 2020 years, 200000000 yuan
    """
    text = RANGE.sub(r"\1\4\2\3\4", text)
    out = []
    for m in QUANTITY.finditer(text):
        start = m.start()
        if start and (text[start - 1] == "第" or ("a" <= text[start - 1] <= "z")):
            continue
        if m.group("pct"):
            value = _number(m.group("pnum"))
            if value is not None:
                out.append(Quantity(value, "percent", value, m.group(0)))
            continue
        num, mult, unit = m.group("num"), m.group("mult"), m.group("unit")
        chinese = not num[0].isdigit()
        if unit == "成" and NOT_CHENG.match(text, m.end()):
            unit = None
        if chinese and (not unit or num == "一" or not re.search(r"[零〇一二两三四五六七八九十百千]", num)):
            continue
        raw = _number(num)
        if raw is None:
            continue
        value = raw * MULTIPLIERS.get(mult or "", 1)
        if unit:
            cls, factor = UNITS[unit]
            if cls == "years" and not mult and value == value.to_integral() and 1900 <= value <= 2100:
                cls = "year"
            out.append(Quantity(value * factor, cls, raw, m.group(0)))
        else:
            out.append(Quantity(value, "magnitude" if mult else "", raw, m.group(0)))
    return out


@dataclass(frozen=True)
class Evidence:
    """What one passage can vouch for: its figures, its bare numbers and its normalised text."""

    text: str
    typed: frozenset[tuple[Decimal, str]]
    values: frozenset[Decimal]

    @classmethod
    def of(cls, source: str) -> Evidence:
        text = prepare(source)
        qs = quantities(text)
        values = {q.value for q in qs} | {q.raw for q in qs}
        values |= {Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", text)}
        return cls(text, frozenset((q.value, q.unit) for q in qs), frozenset(values))

    def supports(self, q: Quantity) -> bool:
        if not q.unit:
            return q.value in self.values
        return (q.value, q.unit) in self.typed or (q.value, "magnitude") in self.typed


class Verifier:
    """Checks generated answers against numbered sources (the passage texts the model was shown).

    `places` names the place words in a text (jieba's ns tags); index entities
    catch the zones jieba does not know. `corpus` is the plans' normalised text.
    `terms` names a sentence's key terms (its content words the plans use), for attribution.
    """

    def __init__(
        self,
        entities: Sequence[Entity] = (),
        places: Places | None = None,
        corpus: str = "",
        terms: Terms | None = None,
    ) -> None:
        self.entities = list(entities)
        self.places = places
        self.corpus = corpus
        self.terms = terms

    def check(self, answer: str, sources: Sequence[str], question: str = "") -> Verdict:
        """Problems with `answer` given the 1-based `sources`; a refusal may also echo the question.

        Example: check("研发经费占比达到3%[1]", ["……经费占GDP比重达到2.8%"]).problems
        -> ("数字“3%”不在所引段落中",)
        """
        evidence = [Evidence.of(s) for s in sources]
        text = prepare(answer)
        added = 0
        if MARKER.search(text) or not REFUSAL.search(text):
            answer, added = self.attribute(answer, evidence)
            text = prepare(answer)
        problems: list[str] = []
        cited: list[int] = []
        segments: list[tuple[str, list[int]]] = []
        last = 0
        for m in MARKER.finditer(text):
            numbers = _marker_numbers(m.group(1))
            for n in numbers:
                if not 1 <= n <= len(sources):
                    problems.append(messages.VERIFY_MARKER.format(n=n))
                elif n not in cited:
                    cited.append(n)
            segment = text[last : m.start()]
            if segments and not segment.strip():
                segments[-1][1].extend(numbers)  # "[1][2]": one group
            else:
                segments.append((segment, list(numbers)))
            last = m.end()
        tail = text[last:]
        if not cited and not problems:
            if not REFUSAL.search(text):
                # Say what no passage at all contains first: that is why nothing could be attributed.
                problems = [*self.unsupported(text, evidence), messages.VERIFY_NO_CITATION]
                return Verdict(tuple(dict.fromkeys(problems)), (), answer=answer)
            # A refusal cites nothing: its figures and names may come from any passage or the question.
            pool = [*evidence, Evidence.of(question)]
            return Verdict(
                tuple(dict.fromkeys(self.unsupported(text, pool))), (), refusal=True, answer=answer
            )
        if tail.strip():
            segments.append((tail, list(cited)))  # after the last marker: any cited passage may vouch
        for segment, numbers in segments:
            problems += self.unsupported(
                segment, [evidence[n - 1] for n in numbers if 1 <= n <= len(sources)]
            )
        return Verdict(tuple(dict.fromkeys(problems)), tuple(cited), answer=answer, added=added)

    def attribute(self, answer: str, evidence: Sequence[Evidence]) -> tuple[str, int]:
        """The answer with a marker after each unmarked sentence that exactly one passage supports.

        Example: attribute("比重达到2.8%。", [GOALS, FUNDS]) -> ("比重达到2.8%[1]。", 1)
        A sentence that states nothing checkable, or that no passage or several support, is left as written.
        """
        out: list[str] = []
        added = 0
        for sentence in sentences(answer):
            prepared = prepare(sentence)
            if not MARKER.search(prepared):
                support = self.support(prepared, evidence)
                if len(support) == 1:
                    sentence = with_marker(sentence, support[0])
                    added += 1
            out.append(sentence)
        return "".join(out), added

    def support(self, sentence: str, evidence: Sequence[Evidence]) -> list[int]:
        """The 1-based passages containing every figure and name of a (prepared) sentence and most of its key terms.

        Empty when the sentence states nothing to check (no figure, name or key term).
        """
        figures = quantities(sentence)
        names = self.names(sentence)
        terms = list(dict.fromkeys(t for t in (self.terms(sentence) if self.terms else []) if t not in names))
        if not (figures or names) and len(terms) < MIN_TERMS_ALONE:
            return []
        need = KEY_TERM_SHARE * len(terms)
        return [
            n
            for n, e in enumerate(evidence, 1)
            if all(e.supports(q) for q in figures)
            and all(self.vouches(e.text, name) for name in names)
            and sum(normalize(t) in e.text for t in terms) >= need
        ]

    def unsupported(self, segment: str, evidence: list[Evidence]) -> list[str]:
        """The figures and names in one stretch of answer that none of its cited passages contains."""
        problems = []
        for q in quantities(segment):
            if not any(e.supports(q) for e in evidence):
                problems.append(messages.VERIFY_NUMBER.format(value=q.text))
        for name in self.names(segment):
            if not any(self.vouches(e.text, name) for e in evidence):
                problems.append(messages.VERIFY_NAME.format(name=name))
        return problems

    def names(self, segment: str) -> list[str]:
        """Zone and place names in a stretch of (normalised) answer text."""
        found: list[str] = []
        for e in self.entities:
            for name in e.all_names():
                key = normalize(name)
                if name.isascii() or key not in segment:
                    continue
                # "大连市" is the city, not 大连高新区: jieba's place tags judge it instead.
                if any(
                    not OTHER_KIND.match(segment[m.end() :]) for m in re.finditer(re.escape(key), segment)
                ):
                    found.append(e.name)
                    break
        if self.places:
            for word in self.places(segment):
                if len(word) < 2 or word in GENERIC_PLACES or word in found:
                    continue
                if word in self.corpus and not word.endswith(PLACE_SUFFIX):
                    continue
                found.append(word)
        return found

    def vouches(self, text: str, name: str) -> bool:
        """Whether a passage's normalised text names `name` (a zone by any of its names, or a place literally)."""
        if normalize(name) in text:
            return True
        return any(
            mentions(e, text)
            for e in self.entities
            if name == e.name or name in map(normalize, e.all_names())
        )


def sentences(text: str) -> list[str]:
    """`text` cut after each sentence's end (and the markers right after it); the pieces join to `text`.

    Example: sentences("甲2.8%。[1]乙。丙") -> ["甲2.8%。[1]", "乙。", "丙"]
    """
    out, last = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append(text[last : m.end()])
        last = m.end()
    if last < len(text):
        out.append(text[last:])
    return out


def with_marker(sentence: str, n: int) -> str:
    """The sentence with [n] before its closing punctuation. Example: with_marker("甲。\n", 2) -> "甲[2]。\n" """
    end = re.search(r"[。！？；!?;\s]*$", sentence)
    cut = end.start() if end else len(sentence)
    return f"{sentence[:cut]}[{n}]{sentence[cut:]}"


def _marker_numbers(group: str) -> list[int]:
    """Example: "1,3" -> [1, 3]; "2-4" -> [2, 3, 4]"""
    out: list[int] = []
    for part in re.split(r"\s*[,，、]\s*", group):
        if re.search(r"[-–~]", part):
            a, b = (int(x) for x in re.split(r"\s*[-–~]\s*", part)[:2])
            out.extend(range(a, b + 1) if 0 < b - a < 20 else (a, b))
        else:
            out.append(int(part))
    return out


def renumber(answer: str, cited: Sequence[int]) -> str:
    """The answer with its markers renumbered to the order of `cited` (1-based), one marker per passage.

    Example: renumber("甲[3]，乙[1,3]", (3, 1)) -> "甲[1]，乙[2][1]"
    """
    new = {old: i for i, old in enumerate(cited, 1)}
    text = answer.replace("【", "[").replace("】", "]").replace("［", "[").replace("］", "]")

    def sub(m: re.Match[str]) -> str:
        digits = normalize(m.group(1))
        return "".join(f"[{new[n]}]" for n in dict.fromkeys(_marker_numbers(digits)) if n in new)

    return re.sub(r"\[([\d０-９]+(?:\s*[,，、\-–~]\s*[\d０-９]+)*)\]", sub, text)
