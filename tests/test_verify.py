"""The verifier on crafted answers: faithful ones must pass, every kind of unfaithful one must not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant import Assistant
from assistant.core import chunks
from assistant.llm import verifier_for
from assistant.verify import Verifier, parse_cn_number, prepare, quantities, renumber

# Verbatim passages of the Liaoning plan, with the header the model sees.
TITLE = "辽宁省高新技术产业开发区发展规划（2017-2020年）"
GOALS = (
    f"{TITLE} › 二、总体思路与发展目标 › （四）发展目标\n"
    "省级以上高新区科学研究与试验发展经费占GDP比重达到2.8%；高新技术企业数量占全省高新技术企业数量比重"
    "力争达到40%以上；高新区GDP占全省GDP比重力争达到10%以上；"
)
FUNDS = (
    f"{TITLE} › 三、重点任务 › （六）促进科技金融结合 › 专栏8 设立各类股权投资基金\n"
    "重点推进沈阳高新区设立2亿元创新创业投资基金，鞍山高新区设立3只总额不低于6亿元的股权投资基金，"
    "抚顺高新区设立2.5亿元精细化工产业投资基金，丹东高新区设立1亿元战略性新兴产业发展基金，"
    "锦州高新区设立2亿元创业投资基金、科技互助贷款基金。"
)
BASE = (
    f"{TITLE} › 一、发展基础与面临形势 › （一）发展基础\n"
    "目前，高新区有省级以上工程中心、重点实验室等研发机构272家、科技企业孵化器31个；拥有高端人才4961人；"
    "高新技术企业数量占全省近30%。2016年，全省高新区年销售收入50亿元以上规模的产业集群有13个，"
    "共实现销售收入3367亿元，其中超百亿元的8个。"
)
SOURCES = [GOALS, FUNDS, BASE]


@pytest.fixture(scope="module")
def verifier(bot: Assistant) -> Verifier:
    """The verifier the assistant uses: the index's zones and jieba's place tags."""
    return verifier_for(bot.index)


# -- folding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("二点八", "2.8"),
        ("四十", "40"),
        ("二十三", "23"),
        ("一百零五", "105"),
        ("百亿", "10000000000"),
        ("三千三百六十七亿", "336700000000"),
        ("一万五千", "15000"),
        ("二〇二〇", "2020"),
        ("十三五", None),
        ("统一", None),
    ],
)
def test_chinese_numerals(text: str, value: str | None) -> None:
    assert parse_cn_number(text) == (None if value is None else Decimal(value))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2亿元", [("200000000", "yuan")]),
        ("20000万元", [("200000000", "yuan")]),
        ("２．８％", [("2.8", "percent")]),
        ("百分之二点八", [("2.8", "percent")]),
        ("近三成", [("30", "percent")]),
        ("超百亿元的8个", [("10000000000", "yuan"), ("8", "count")]),
        ("2017-2020年", [("2017", "year"), ("2020", "year")]),
        ("12,000万元", [("120000000", "yuan")]),
        ("3个百分点", [("3", "points")]),
        ("10万人", [("100000", "people")]),
        ("3367亿", [("336700000000", "magnitude")]),
        ("三年行动计划", [("3", "years")]),
        ("“十三五”期间，统一部署，成为一流，第3名", []),
        ("一个平台", []),
    ],
)
def test_quantities(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(q.value, q.unit) for q in quantities(prepare(text))] == [(Decimal(v), u) for v, u in expected]


def test_list_numbering_is_not_a_figure() -> None:
    assert quantities(prepare("1. 研发经费\n2、高新技术企业\n（3）孵化器\n①众创空间")) == []
    assert [q.value for q in quantities(prepare("2.8%是目标"))] == [Decimal("2.8")]


# -- faithful answers pass -----------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "到2020年，省级以上高新区研发经费占GDP比重要达到2.8%[1]。",
        "研发经费占GDP比重要达到百分之二点八[1]。",
        "高新技术企业比重力争达到40%以上[1]，高新区GDP占全省比重力争达到10%以上[1]。",
        "抚顺高新区设立了2.5亿元的精细化工产业投资基金[2]。",
        "抚顺高新区设立了25000万元的精细化工产业投资基金[2]。",
        "沈阳高新区设立2亿元创新创业投资基金[2]，研发经费占比达到2.8%[1]。",
        "目标包括：\n1. 研发经费占比2.8%；\n2. 高新技术企业比重40%以上[1]。",
        "研发经费占比2.8%，抚顺高新区设立2.5亿元基金[1][2]。",
        "研发经费占比2.8%，抚顺高新区设立2.5亿元基金[1,2]。",
        "研发经费占比2.8%【1】。",
        "研发经费占比2.8%［１］。",
        "高新区有272个研发机构[3]，高端人才4961名[3]。",
        "高新技术企业数量占全省近三成[3]。",
        "销售收入超百亿元的产业集群有8个[3]，共实现销售收入3367亿元[3]。",
        "销售收入超过100亿元的产业集群有8个[3]。",
        "2016年，全省高新区共实现销售收入3367亿元[3]。",
        "鞍山高新区设立股权投资基金[2]。",
    ],
)
def test_faithful_answers_pass(verifier: Verifier, answer: str) -> None:
    verdict = verifier.check(answer, SOURCES)
    assert verdict.ok, verdict.problems


def test_citations_in_order_of_first_use(verifier: Verifier) -> None:
    verdict = verifier.check("抚顺设立2.5亿元基金[2]，研发经费占比2.8%[1]，又见[2]。", SOURCES)
    assert verdict.ok and verdict.cited == (2, 1)


# -- unfaithful answers fail ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("研发经费占GDP比重要达到2.9%[1]。", "2.9%"),  # altered number
        ("研发经费占GDP比重要达到28%[1]。", "28%"),  # moved decimal point
        ("研发经费占GDP比重要达到百分之三[1]。", "百分之三"),  # altered, in Chinese numerals
        ("研发经费占GDP比重要提高2.8个百分点[1]。", "2.8个百分点"),  # changed unit: points, not percent
        ("高新区有272人从事研发[3]。", "272人"),  # changed unit: people, not institutions
        ("抚顺高新区设立2.5万元基金[2]。", "2.5万元"),  # 万 instead of 亿
        ("抚顺高新区设立2500万元基金[2]。", "2500万元"),  # 2500万 is 0.25亿
        ("抚顺高新区设立25亿元基金[2]。", "25亿元"),
        ("抚顺高新区设立2.5亿美元基金[2]。", "2.5亿美元"),
        ("高新技术企业数量占全省近四成[3]。", "四成"),
        ("到2025年研发经费占比达到2.8%[1]。", "2025年"),  # altered year
        ("抚顺高新区设立2.5亿元基金[1]。", "2.5亿元"),  # true, but not in the passage it cites
        ("全省高新区共有15个国家级和省级高新区[3]。", "15个"),  # a sum the passage never states
    ],
)
def test_unfaithful_figures_fail(verifier: Verifier, answer: str, problem: str) -> None:
    verdict = verifier.check(answer, SOURCES)
    assert not verdict.ok
    assert any(problem in p for p in verdict.problems), verdict.problems


@pytest.mark.parametrize(
    ("answer", "name"),
    [
        ("铁岭高新区设立2亿元创业投资基金[2]。", "铁岭高新区"),  # a zone the passage does not name
        ("丹东高新区研发经费占GDP比重要达到2.8%[1]。", "丹东高新区"),  # a zone in another passage only
        ("葫芦岛要设立1亿元基金[2]。", "葫芦岛高新区"),  # a zone by its short name
        ("参照深圳的做法，研发经费占比达到2.8%[1]。", "深圳"),  # a place the plan never names
        ("西藏高新区的研发经费占比达到2.8%[1]。", "西藏"),
    ],
)
def test_unsupported_places_fail(verifier: Verifier, answer: str, name: str) -> None:
    verdict = verifier.check(answer, SOURCES)
    assert not verdict.ok
    assert any(name in p for p in verdict.problems), verdict.problems


def test_a_city_is_not_the_zone(verifier: Verifier) -> None:
    """A passage about 大连市 does not vouch for 大连高新区."""
    sources = ["大连市与上海市开展合作，共建2个平台。"]
    assert not verifier.check("大连高新区共建2个平台[1]。", sources).ok
    assert verifier.check("大连市共建2个平台[1]。", sources).ok


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("研发经费占比达到2.8%[4]。", "引用[4]不存在"),
        ("研发经费占比达到2.8%[0]。", "引用[0]不存在"),
        ("研发经费占比达到2.8%[1][7]。", "引用[7]不存在"),
        ("研发经费占比达到2.8%[1-5]。", "引用[4]不存在"),
        ("研发经费占比达到2.8%。", "答案没有标注引用"),  # "研发" is in no passage with 2.8%
        ("省级以上高新区要加强研发。", "答案没有标注引用"),  # one key term: too thin to attribute
        ("高新区有研发机构272家，高端人才5000人。", "数字“5000人”不在所引段落中"),
    ],
)
def test_missing_or_out_of_range_markers_fail(verifier: Verifier, answer: str, problem: str) -> None:
    verdict = verifier.check(answer, SOURCES)
    assert not verdict.ok
    assert problem in verdict.problems


# -- attribution: sentences the model left without a marker ------------------------------------


@pytest.mark.parametrize(
    ("answer", "attributed"),
    [
        ("高新区有研发机构272家，高端人才4961人。", "高新区有研发机构272家，高端人才4961人[3]。"),
        ("锦州高新区设立2亿元创业投资基金。", "锦州高新区设立2亿元创业投资基金[2]。"),
        # a marked sentence stays as the model wrote it; the unmarked one after it gets its own passage
        ("经费占GDP比重达到2.8%[1]。研发机构272家。", "经费占GDP比重达到2.8%[1]。研发机构272家[3]。"),
        # markers after the full stop belong to the sentence before
        ("经费占GDP比重达到2.8%。[1]\n研发机构272家", "经费占GDP比重达到2.8%。[1]\n研发机构272家[3]"),
    ],
)
def test_an_unmarked_sentence_one_passage_supports_gets_its_marker(
    verifier: Verifier, answer: str, attributed: str
) -> None:
    verdict = verifier.check(answer, SOURCES)
    assert verdict.ok, verdict.problems
    assert verdict.answer == attributed and verdict.added == attributed.count("[") - answer.count("[")


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        # the figure is in no passage: nothing to attribute to, and the figure check names it
        ("锦州高新区设立3亿元创业投资基金。", "数字“3亿元”不在所引段落中"),
        # true figure, wrong zone: the name must be in the same passage as the figure
        ("铁岭高新区设立2亿元创业投资基金。", "地名“铁岭高新区”不在所引段落中"),
        # a wrong marker is not corrected: the sentence is checked against the passage it cites
        ("沈阳高新区设立2亿元创新创业投资基金[1]。", "数字“2亿元”不在所引段落中"),
    ],
)
def test_attribution_keeps_every_check(verifier: Verifier, answer: str, problem: str) -> None:
    verdict = verifier.check(answer, SOURCES)
    assert not verdict.ok and problem in verdict.problems, verdict.problems


def test_two_passages_that_both_support_a_sentence_attribute_nothing(verifier: Verifier) -> None:
    verdict = verifier.check("研发机构272家。", [BASE, BASE])
    assert verdict.added == 0 and verdict.problems == ("答案没有标注引用",)


# -- refusals -------------------------------------------------------------------------------


def test_a_refusal_may_echo_the_question(verifier: Verifier) -> None:
    verdict = verifier.check(
        "规划中未提及西藏2025年的安排。", SOURCES, question="规划对西藏2025年有什么安排？"
    )
    assert verdict.ok and verdict.refusal and verdict.cited == ()


def test_a_refusal_must_not_add_figures(verifier: Verifier) -> None:
    verdict = verifier.check("规划中未提及，但预计投入5亿元。", SOURCES, question="规划对西藏有什么安排？")
    assert not verdict.ok and "5亿元" in verdict.problems[0]


def test_a_partial_answer_with_citations_is_not_a_refusal(verifier: Verifier) -> None:
    verdict = verifier.check("规划中未提及具体金额，只提出研发经费占比达到2.8%[1]。", SOURCES)
    assert verdict.ok and not verdict.refusal and verdict.cited == (1,)


# -- helpers for showing the answer ----------------------------------------------------------


def test_renumber_compacts_markers() -> None:
    assert renumber("甲[3]，乙[1,3]，丙【3】。", (3, 1)) == "甲[1]，乙[2][1]，丙[1]。"


@pytest.mark.parametrize(
    "text", ["达到2.8%[1]，高新技术企业比重达到40%以上[2]。", "短", "", "一二三四五六七八九十" * 5]
)
def test_chunks_rejoin_and_keep_markers_whole(text: str) -> None:
    pieces = list(chunks(text))
    assert "".join(pieces) == text
    assert all(p.count("[") == p.count("]") for p in pieces)


def test_every_passage_quoted_verbatim_passes(bot: Assistant, verifier: Verifier) -> None:
    """No figure or name of the plan is misread: quoting any passage, cited, always verifies."""
    generator = bot.with_chat(object()).generator  # type: ignore[arg-type]
    assert generator is not None
    rejected = {
        p.id: verifier.check(f"{p.text}[1]", [f"{generator.source(p)}\n{p.text}"]).problems
        for p in bot.index.passages
    }
    assert {k: v for k, v in rejected.items() if v} == {}
