"""The parser: heading tree, boxes, per-entity entries, offsets — on both plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import clean_heading, corpus_hash, pack, parse_document, read_corpus, split_sentences
from assistant.errors import CorpusError

ROOT = Path(__file__).resolve().parent.parent
LIAONING = next((ROOT / "corpus").glob("*.txt"))
SICHUAN = next((ROOT / "tests" / "corpus_second").glob("*.txt"))


@pytest.fixture(scope="module")
def liaoning():
    return parse_document(LIAONING.name, LIAONING.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sichuan():
    return parse_document(SICHUAN.name, SICHUAN.read_text(encoding="utf-8"))


def test_title_and_top_sections(liaoning):
    assert liaoning.title == "辽宁省高新技术产业开发区发展规划（2017-2020年）"
    assert [s.title for s in liaoning.sections] == [
        "印发通知",
        "前言",
        "一、发展基础与面临形势",
        "二、总体思路与发展目标",
        "三、重点任务",
        "四、保障措施",
    ]


def test_offsets_are_verbatim(liaoning, sichuan):
    for doc in (liaoning, sichuan):
        for p in doc.passages:
            assert doc.text[p.start : p.end] == p.text


def test_box_hangs_under_level_two_heading(liaoning):
    fund_box = [p for p in liaoning.passages if "专栏8" in p.section_path]
    assert fund_box[0].section == ("三、重点任务", "（六）促进科技金融结合", "专栏8 设立各类股权投资基金")
    assert "2亿元创新创业投资基金" in fund_box[0].text


def test_each_zone_entry_is_its_own_passage(liaoning):
    entries = [p for p in liaoning.passages if p.kind == "entry" and "专栏3" in p.section_path]
    assert len(entries) == 15
    fuxin = next(p for p in entries if p.entity == "阜新高新区")
    assert fuxin.text == "阜新高新区：液压装备制造、农产品深加工、电子信息。"


def test_bullets_in_boxes(liaoning):
    bullets = [p for p in liaoning.passages if p.kind == "bullet"]
    assert any(p.text.startswith("--大连、鞍山、本溪") for p in bullets)


def test_items_carry_their_lead_phrase_as_heading(liaoning):
    principles = next(s for s in liaoning.sections[3].children if s.title == "（二）发展原则")
    assert [c.title for c in principles.children] == [
        "1.坚持全面创新",
        "2.坚持改革驱动",
        "3.坚持市场导向",
        "4.坚持生态引领",
        "5.坚持开放共享",
    ]


def test_passages_never_cross_sections(liaoning):
    for s in (c for top in liaoning.sections for c in top.children):
        for pid in s.passage_ids:
            p = next(x for x in liaoning.passages if x.id == pid)
            assert s.start <= p.start and p.end <= s.end


def test_second_plan_chapters_and_sections(sichuan):
    assert sichuan.title == "四川省现代农业园区建设规划（2021-2025年）"
    chapter2 = next(s for s in sichuan.sections if s.title.startswith("第二章"))
    assert [c.title for c in chapter2.children][:3] == [
        "第一节 指导思想",
        "第二节 基本原则",
        "第三节 发展目标",
    ]
    cities = {p.entity for p in sichuan.passages if p.kind == "entry"}
    assert {"成都市", "眉山市", "凉山州"} <= cities


def test_helpers():
    assert clean_heading("（一）发展基础。") == "（一）发展基础"
    assert clean_heading("专栏8\u3000设立各类股权投资基金") == "专栏8 设立各类股权投资基金"
    assert split_sentences("甲。乙；丙", 10) == [(10, 12), (12, 14), (14, 15)]
    text = "短句。" + "很长的句子" * 50 + "。"
    assert all(e - s <= 320 for s, e in pack(text, 0, len(text)))


def test_read_corpus_errors(tmp_path):
    with pytest.raises(CorpusError):
        read_corpus(tmp_path / "missing")
    with pytest.raises(CorpusError):
        read_corpus(tmp_path)  # empty folder
    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(CorpusError, match="old.docx"):
        read_corpus(tmp_path)  # the only file is unreadable: the error names it
    # GBK/GB18030 text, common in files saved on Windows, is read (it used to be refused).
    (tmp_path / "plan.txt").write_bytes("一、总则\n　　规划内容。".encode("gbk"))
    assert read_corpus(tmp_path)[0].passages[0].text == "规划内容。"


def test_styled_headings_without_markers(tmp_path):
    text = "范围\n本文件适用于核电厂。\n术语和定义\n下列术语适用于本文件。\n"
    doc = parse_document("g.docx", text, styled={0: 1, text.index("术语和定义"): 1})
    assert [s.title for s in doc.sections] == ["范围", "术语和定义"]
    assert doc.passages[0].section == ("范围",)


def test_corpus_hash_changes_with_content(tmp_path):
    (tmp_path / "a.txt").write_text("一、总则\n　　内容。", encoding="utf-8")
    h1 = corpus_hash(tmp_path)
    (tmp_path / "a.txt").write_text("一、总则\n　　内容变了。", encoding="utf-8")
    assert corpus_hash(tmp_path) != h1


GOV_CN = """国务院关于加快推进某某事业
转型升级的指导意见
国发〔2018〕42号
各省、自治区、直辖市人民政府：
现提出以下意见。
一、总体要求
（一）指导思想。以新思想为指导，推动发展。
（二）基本原则。坚持创新驱动，坚持开放共享。
主要目标：
1.到2025年，覆盖率达到70%。
2.到2025年，服务能力明显增强。
（二十一）强化组织领导。各地要加强领导。
二、附则
第一条 本办法自印发之日起施行。
第二条 本办法由市民政局负责解释。
附件2
名词解释
1.“四上”企业：
指规模以上企业。
"""


def test_gov_cn_structure():
    doc = parse_document("gov.txt", GOV_CN)
    assert doc.title == "国务院关于加快推进某某事业转型升级的指导意见"
    principles = next(p for p in doc.passages if p.text.startswith("（二）基本原则。坚持"))
    assert principles.section == ("一、总体要求", "（二）基本原则")
    target = next(p for p in doc.passages if "覆盖率达到70%" in p.text)
    assert target.section[:3] == ("一、总体要求", "（二）基本原则", "主要目标")
    assert next(p for p in doc.passages if "强化组织领导" in p.text).section == (
        "一、总体要求",
        "（二十一）强化组织领导",
    )
    assert next(p for p in doc.passages if "自印发之日" in p.text).section == ("二、附则", "第一条")
    assert target.text == "1.到2025年，覆盖率达到70%。"
    assert next(p for p in doc.passages if "规模以上" in p.text).section[0] == "附件2 名词解释"
    title = next(p for p in doc.passages if p.kind == "heading")
    assert title.text.replace("\n", "") == doc.title
    for p in doc.passages:
        assert doc.text[p.start : p.end] == p.text


def test_decimal_outline_and_contents_are_not_doubled():
    text = "某某应急预案\n目 录\n1 总则\n1.1 编制目的\n2 组织\n1 总则\n1.1 编制目的\n为了应对。\n2 组织\n2.1 指挥部\n（1）掌握形势，及时报告。\n"
    doc = parse_document("plan.txt", text)
    assert [s.title for s in doc.sections if s.title not in ("印发通知", "前言")] == ["1 总则", "2 组织"]
    aim = next(p for p in doc.passages if p.text == "为了应对。")
    assert aim.section == ("1 总则", "1.1 编制目的")
    assert next(p for p in doc.passages if "掌握形势" in p.text).section == (
        "2 组织",
        "2.1 指挥部",
        "（1）掌握形势",
    )


def test_short_list_items_are_content_not_empty_headings():
    """ "1. 分散供养特困人员；" looks like a heading line, but another item follows at once: nothing is
    under it, so it is an item of a list and its words must be a passage (they were lost before)."""
    from assistant.corpus import parse_document

    text = (
        "某市资助办法\n第一章 资助\n第二十四条 资助对象分为两类：\n（一）第一类资助对象。\n"
        "1. 分散供养特困人员；\n2. 100周岁及以上的；\n3. 计划生育特殊家庭老年人。\n"
        "（二）第二类资助对象。\n经济困难且失能的老年人。\n（三）其他对象。\n"
    )
    doc = parse_document("d.txt", text)
    texts = [p.text for p in doc.passages]
    for item in (
        "1. 分散供养特困人员；",
        "2. 100周岁及以上的；",
        "3. 计划生育特殊家庭老年人。",
        "（三）其他对象。",
    ):
        assert item in texts, item
    first = next(p for p in doc.passages if p.text.startswith("1."))
    assert first.section[-2] == "（一）第一类资助对象"
    # A heading with text under it stays a heading only.
    assert "（二）第二类资助对象。" not in texts
    assert any(p.section[-1] == "（二）第二类资助对象" for p in doc.passages)


def test_unnumbered_part_headings_divide_numbered_runs():
    """ "面向单位的扶持政策" before "一、" and again before the "一、" that restarts the numbering: both head
    their runs. One short line before "一、" (an enclosed regulation's title after its date) does not."""
    text = (
        "某省扶持政策清单\n为促进就业，推出面向单位和毕业生的政策清单。\n"
        "面向单位的扶持政策\n一、社保补贴\n招用毕业生的，给予补贴。\n二、扩岗补助\n按每人1500元给予补助。\n"
        "面向毕业生的扶持政策\n一、求职补贴\n每人3000元。\n"
    )
    doc = parse_document("清单.txt", text)
    assert [s.title for s in doc.sections][-2:] == ["面向单位的扶持政策", "面向毕业生的扶持政策"]
    assert [c.title for c in doc.sections[-2].children] == ["一、社保补贴", "二、扩岗补助"]
    assert [c.title for c in doc.sections[-1].children] == ["一、求职补贴"]
    single = parse_document(
        "办法.txt",
        "某市关于印发管理办法的通知\n2024年7月26日\n某市管理办法\n第一章 总则\n第一条 为了规范管理，制定本办法。\n",
    )
    assert "某市管理办法" not in [s.title for s in single.sections]


def test_a_report_divided_by_unnumbered_lines_between_paragraphs():
    """A work report's parts stand on lines of their own between paragraphs ("“十四五”时期发展成就和2025年工作回顾");
    the sentences below belong to them, and numbered headings later in the report nest under the last one.
    A signature line ("自治区人民政府主席 某某") and a lone part line are no parts."""
    para = "，".join(["经济运行总体平稳"] * 8) + "。"
    text = (
        "2026年某区政府工作报告\n自治区人民政府主席 某某\n现在，我代表自治区人民政府向大会报告工作。\n"
        "“十四五”时期发展成就和2025年工作回顾\n" + "地区生产总值增长4.7%，" + para + "\n"
        "“十五五”时期主要目标和2026年重点工作\n" + para + "\n一、建设现代化产业体系\n" + para + "\n"
    )
    doc = parse_document("报告.txt", text)
    titles = [s.title for s in doc.sections]
    assert titles[-2:] == ["“十四五”时期发展成就和2025年工作回顾", "“十五五”时期主要目标和2026年重点工作"]
    assert [c.title for c in doc.sections[-1].children] == ["一、建设现代化产业体系"]
    gdp = next(p for p in doc.passages if "4.7%" in p.text)
    assert gdp.section == ("“十四五”时期发展成就和2025年工作回顾",)
    assert "自治区人民政府主席 某某" not in titles
    lone = parse_document("报告.txt", text.replace("“十五五”时期主要目标和2026年重点工作\n", ""))
    assert "“十四五”时期发展成就和2025年工作回顾" not in [s.title for s in lone.sections]


def test_the_last_short_item_of_a_list_does_not_take_the_next_paragraph_as_its_body():
    """ "（八）违约责任；" "（九）争议的解决方式。" then "见习期限一般为……": the last item is a line of its own like
    its siblings, and the paragraph after it belongs to the article; an item heading a body keeps it."""
    from assistant.corpus import parse_document

    text = (
        "某办法\n第十一条 见习协议应当包括以下内容：\n（一）见习单位的名称；\n（二）违约责任；\n（三）争议的解决方式。\n"
        "见习期限一般为3个月至6个月。\n第十二条 保障措施如下：\n（一）加强组织领导\n建立协调机制。\n"
    )
    by_text = {p.text: p.section for p in parse_document("d.txt", text).passages}
    assert by_text["（三）争议的解决方式。"] == ("第十一条", "（三）争议的解决方式")
    assert by_text["见习期限一般为3个月至6个月。"] == ("第十一条",)
    assert by_text["建立协调机制。"] == ("第十二条", "（一）加强组织领导")
