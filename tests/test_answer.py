"""The extractive answerer: the form of the answer follows the form of the question."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import plan_bot

from assistant import Assistant
from assistant.evaluate import ungrounded_numbers
from assistant.intent import date_pattern


def test_figure_question_gets_the_clause_with_the_figure(bot):
    a = bot.ask("到2020年研发经费占GDP要达到多少？")
    assert a.answer == "省级以上高新区科学研究与试验发展经费占GDP比重达到2.8%[1]"
    c = a.citations[0]
    assert c.section == "二、总体思路与发展目标 › （四）发展目标"
    assert c.text[c.span[0] : c.span[1]].startswith("省级以上高新区科学研究与试验发展经费")


def test_entity_clause_is_cut_out_of_an_enumeration(bot):
    a = bot.ask("丹东高新区的战略性新兴产业发展基金有多大？")
    assert a.answer == "丹东高新区设立1亿元战略性新兴产业发展基金[1]"
    assert "专栏8" in a.citations[0].section


def test_baseline_versus_target(bot):
    assert "8个国家级高新区" in bot.ask("目前辽宁一共有多少个国家级高新区？").answer
    assert "10家" in bot.ask("发展目标中，2020年国家级高新区要有多少家？").answer


def test_list_of_numbered_items(bot):
    a = bot.ask("高新区发展要坚持哪些原则？")
    assert a.answer.splitlines()[1:] == [
        "1.坚持全面创新。[1]",
        "2.坚持改革驱动。[2]",
        "3.坚持市场导向。[3]",
        "4.坚持生态引领。[4]",
        "5.坚持开放共享。[5]",
    ]  # the items' own numbers, not doubled ("1. 1.坚持全面创新。")
    assert len(a.citations) == 5


def test_list_of_headings_names_each_and_marks_cut_quotes(bot):
    a = bot.ask("规划的保障措施有哪些？")
    lines = a.answer.splitlines()[1:]
    assert [line.split("：")[0] for line in lines] == [
        "（一）加强组织领导",
        "（二）加大支持力度",
        "（三）加强考核管理",
        "（四）营造文化氛围",
    ]
    assert lines[0].endswith("……[1]")


def test_every_entry_of_a_box(bot):
    a = bot.ask("各高新区的主导产业分别是什么？")
    assert len(a.citations) == 15
    assert all("专栏3" in c.section for c in a.citations)
    assert "绥中高新区：数字技术、先进装备制造。" in a.answer


def test_zone_alone_gets_its_profile(bot):
    a = bot.ask("大连高新区主要是搞啥的？")
    assert "专栏3 高新区主导产业发展情况：大连高新区：软件和服务外包产业。" in a.answer
    assert len(a.citations) >= 5
    assert ungrounded_numbers(a) == []


def test_date_question(bot):
    assert bot.ask("规划是哪天印发的？").answer == "2017年6月17日[1]"  # from the document card


def test_not_in_plan_names_nearest_sections_and_invents_nothing(bot):
    for question in [
        "浙江省的高新区有多少个？",
        "2025年研发经费占比目标是多少？",
        "沈阳高新区管委会主任叫什么名字？",
    ]:
        a = bot.ask(question)
        assert not a.found
        assert a.answer.startswith("规划中未提及")
        assert "最接近的章节" in a.answer and a.citations


def test_other_zone_topic_is_not_answered_with_a_neighbour(bot):
    a = bot.ask("大连高新区要设立多少亿元的股权投资基金？")
    assert not a.found


def test_second_plan_answers_with_its_own_structure(second_bot):
    a = second_bot.ask("到2025年园区农产品加工转化率要达到多少？")
    assert a.found and "75%" in a.answer
    assert a.citations[0].section == "第二章 总体要求 › 第三节 发展目标"
    assert "成都市：" in second_bot.ask("成都市重点建设哪些园区？").answer


def test_both_plans_cite_the_right_document(mixed_bot):
    a = mixed_bot.ask("四川对新认定的五星级现代农业园区给多少奖补？")
    assert a.found and "3000万元" in a.answer and a.citations[0].doc.startswith("四川省")
    b = mixed_bot.ask("阜新高新区主导产业是什么？")
    assert b.citations[0].doc.startswith("辽宁省")


def test_which_ones_is_a_list_not_a_count(bot):
    a = bot.ask("沈阳高新区的主导产业是哪几个？")
    assert a.found and a.answer == "沈阳高新区：信息技术、智能制造、生物医药。[1]"
    assert "专栏3" in a.citations[0].section


def test_count_question_states_the_count_then_the_items(bot):
    a = bot.ask("高新区的发展定位有几个？分别是什么？")
    lines = a.answer.splitlines()
    assert lines[0] == "共五个："
    assert lines[1] == "1.创新驱动引领区。[1]" and len(lines) == 6


def test_questions_about_the_document_itself_cite_its_header(bot):
    issuer = bot.ask("这份规划由哪个部门印发？")
    assert issuer.found and issuer.answer.startswith("辽宁省人民政府办公厅")
    assert issuer.citations[0].section == "印发通知"
    period = bot.ask("规划的期限是哪几年？")
    assert period.answer.startswith("2017-2020年")
    assert "2017-2020" in period.citations[0].text
    when = bot.ask("这份规划是哪天印发的？")
    assert when.answer.startswith("2017年6月17日")


def test_enumerated_counts_a_list_only_where_the_text_announces_one():
    from assistant.answer import _enumerated, _lead_counts, _states_count

    assert _enumerated("家庭医生签约服务包分为免费服务包、基本服务包及个性化服务包，实行分类签约。") == 3
    assert _enumerated("开展智能化制造、网络化协同、个性化定制、服务化延伸、数字化管理等新模式") == 5
    assert _enumerated("探索形成一批可复制、可推广的新模式和新业态。") == 0  # no word announces a list
    # Items of one kind, named by the same last word, are a list without a word announcing it.
    assert (
        _enumerated(
            "建设成为绿色生态宜居新城区、创新驱动发展引领区、协调发展示范区、开放发展先行区，努力打造"
        )
        == 4
    )
    assert _enumerated("发展成为加工制造中心、研发设计中心") == 2
    assert _enumerated("坚持创新、协调、绿色、开放、共享的发展理念") == 0
    # ... or items that all qualify the noun the question counts ("几项原则").
    assert (
        _enumerated("第四条 排水应当遵循尊重自然、统筹规划、配套建设、保障安全、综合利用的原则。", "原则")
        == 5
    )
    # ... or a noun the question names ("审核意见分为几种情形？"), or one verb's short objects ("稳" four times).
    assert _enumerated("审核机构要提出合法、不合法、应当予以修改的书面审核意见。", "情形", ("审核意见",)) == 3
    assert _enumerated("审核机构要提出合法、不合法、应当予以修改的书面审核意见。", "情形") == 0
    assert _enumerated("坚持稳中求进，着力稳就业、稳企业、稳市场、稳预期，统筹做好各项工作。") == 4
    assert (
        _enumerated("加强基础设施建设、加快推进产业转型升级、加大招商引资力度") == 0
    )  # clauses, not objects
    assert _states_count("分为国家级（Ⅰ级）和省级（Ⅱ级）两级")
    assert not _lead_counts("第九条 长护险评估分为失能评估、延续护理评估和设备使用评估。")  # 九条: its number
    assert not _states_count("分为免费服务包、基本服务包及个性化服务包")


HUBEI = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "corpora"
    / "formats"
    / "省文化和旅游厅关于印发《湖北省文物事业发展“十四五”规划》的通知.pdf"
)


@pytest.fixture(scope="module")
def hubei(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    if not HUBEI.is_file():
        pytest.skip(f"{HUBEI} is absent (real format files)")
    return plan_bot(tmp_path_factory.mktemp("hubei"), {HUBEI.name: HUBEI.read_bytes()})


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        # A table row: the figure cell "2025年：≥260" is a figure, the row is the span.
        ("到2025年湖北省博物馆数量要达到多少？", "博物馆数量 | 2025年：≥260"),
        # Its unit is in the indicator cell: "（万人次）".
        ("博物馆年接待观众数量目标是多少？", "博物馆年接待观众数量（万人次） | 2025年：4000"),
        # The second passage of a long 专栏 item, judged with the item's lead "1.楚天文物平安工程".
        (
            "楚天文物平安工程要完成多少处湖北省文物保护单位防火防盗设施建设？",
            "完成40处湖北省文物保护单位防火防盗设施建设",
        ),
    ],
)
def test_figures_in_table_rows_and_continued_items(hubei: Assistant, question: str, quoted: str) -> None:
    a = hubei.ask(question)
    assert a.found, a.answer
    assert quoted in a.answer


INLINE_ITEMS = """关于印发某市2026年民生工作安排的通知

一、工作安排
（一）办好民生实事
今年要继续办好“五件民生实事”。（1）新建社区食堂20个，方便老年人就餐；（2）改造老旧小区30个。（3）新增公办幼儿园学位3000个。（4）建成口袋公园15个。（5）新建充电桩2000个。
（二）组织保障
各区要落实责任分工，按时完成各项任务。
"""


@pytest.fixture(scope="module")
def inline_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return plan_bot(tmp_path_factory.mktemp("inline"), {"民生实事.txt": INLINE_ITEMS})


def test_items_numbered_inside_a_paragraph_are_listed(inline_bot: Assistant) -> None:
    """ "（1）……（2）……" after the sentence that announces them: one item a line, each cited."""
    a = inline_bot.ask("今年要办好哪些民生实事？")
    assert a.found, a.answer
    lines = a.answer.splitlines()
    assert "五件民生实事" in lines[0]
    assert [line[:3] for line in lines[1:]] == ["（1）", "（2）", "（3）", "（4）", "（5）"]
    assert "新建充电桩2000个" in lines[5]


ANNOUNCED = """某省2026年政府工作报告
三、2026年工作安排
（一）壮大产业
全力打造“三大产业集群”。推动产业基地向产业集群优化提升，更加注重集群发展。打造新能源汽车产业集群。扩大整车产能，整车产量达到50万辆。打造数智产业集群。全省算力规模突破100Eflops，引进一批龙头企业。打造绿色食品产业集群。做优做强茶叶、辣椒等特色产业，产值增长5%左右。
（二）扩大消费
办好消费季活动。
"""


def test_items_a_lead_announces_by_count_and_name_are_listed(tmp_path: Path) -> None:
    """ "全力打造“三大产业集群”。" then, between body sentences, "打造……产业集群。" three times: those three."""
    bot = plan_bot(tmp_path, {"report.txt": ANNOUNCED})
    a = bot.ask("“三大产业集群”是哪几个？")
    assert a.found, a.answer
    lines = a.answer.splitlines()
    assert "三大产业集群" in lines[0] and len(lines) == 4
    assert [line.split("[")[0] for line in lines[1:]] == [
        "打造新能源汽车产业集群。",
        "打造数智产业集群。",
        "打造绿色食品产业集群。",
    ]


def test_when_a_document_takes_effect_is_quoted_from_its_closing_clause(tmp_path: Path) -> None:
    text = "某市养老服务管理办法\n第一章 总则\n第一条 为规范养老服务，制定本办法。\n第二章 附则\n第二条 本办法自印发之日起施行，有效期5年。\n"
    bot = plan_bot(tmp_path, {"办法.txt": text})
    a = bot.ask("这个办法什么时候开始施行？有效期多长？")
    assert a.found and "本办法自印发之日起施行，有效期5年。" in a.answer, a.answer


REGULATION = """某某防火条例
第一章 总则
第一条 为了有效预防火灾，制定本条例。
第二章 预防
第十七条 火灾应急预案应当包括下列内容：
(一)应急组织指挥机构及其职责；
(二)火灾的预警、监测、信息报告和处理；
(三)应急响应机制和措施；
(四)资金、物资和技术等保障措施；
(五)灾后处置。
第十八条 在林区新建开发区的，其防火设施应当与建设项目同步规划、同步施工。
"""

REPORT_ITEMS = """某省政府工作报告
二、主要目标任务
实现上述目标，必须在工作推进中做到“三个更加注重”：
——更加注重强化战略引领，突出战略导向。始终坚持一张蓝图绘到底。
——更加注重准确识变应变，实事求是因地制宜。深入研判关键变量。
——更加注重抓具体抓深入，以实干实绩求实效。坚持把抓落实作为根本。
三、2026年重点工作
围绕以上目标，重点抓好三个方面工作。
（一）立足长治久安，建设平安某省
坚决维护社会大局稳定。完善工作机制，严厉打击各类违法犯罪。
（二）立足扩大内需，推动经济提质增效
充分释放政策效能。积极扩大有效投资，力争完成投资2440亿元以上。
（三）立足民生改善，办好民生实事
新增城镇就业6万人以上。
"""


def test_an_articles_items_on_lines_of_their_own_are_counted_and_listed(tmp_path: Path) -> None:
    """ "第十七条 ……包括下列内容：" then "(一)……；" on lines of their own (headings one level down)."""
    bot = plan_bot(tmp_path, {"条例.txt": REGULATION})
    a = bot.ask("火灾应急预案应当包括几项内容？分别是什么？")
    assert a.found, a.answer
    lines = a.answer.splitlines()
    assert lines[0] == "共五项：" and "下列内容" in lines[1]
    assert [line[:3] for line in lines[2:]] == ["(一)", "(二)", "(三)", "(四)", "(五)"]


def test_dash_items_and_sections_a_lead_announces(tmp_path: Path) -> None:
    bot = plan_bot(tmp_path, {"报告.txt": REPORT_ITEMS})
    a = bot.ask("工作推进中要做到哪几个“更加注重”？")
    assert a.found, a.answer
    assert [line[:6] for line in a.answer.splitlines()[1:]] == ["——更加注重"] * 3
    b = bot.ask("2026年重点抓好几个方面的工作？分别是什么？")
    assert b.found, b.answer
    lines = b.answer.splitlines()
    assert "三个方面" in lines[0]
    assert [line[:3] for line in lines[1:]] == ["（一）", "（二）", "（三）"]


WORK_REPORT = """政府工作报告
（2026年1月20日在某省第十四届人民代表大会第四次会议上）

一、2025年和“十四五”时期工作回顾
地区生产总值增长4.9%，一般公共预算收入增长2.5%。
二、“十五五”时期主要目标任务
地区生产总值增长5%左右，一般公共预算收入增长3%左右。
三、2026年工作安排
地区生产总值增长5.5%左右，一般公共预算收入增长3.5%左右。
"""


@pytest.fixture(scope="module")
def report_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return plan_bot(tmp_path_factory.mktemp("report"), {"2026年某省政府工作报告.txt": WORK_REPORT})


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        # The three sentences say the same words: only the years their headings name tell them apart.
        ("今年地区生产总值预期增长多少？", "5.5%"),  # "今年" is the report's own year: 2026
        ("去年一般公共预算收入增长了多少？", "2.5%"),
        ("“十五五”时期地区生产总值增长多少？", "5%左右"),
    ],
)
def test_the_years_asked_pick_the_section_that_names_them(
    report_bot: Assistant, question: str, figure: str
) -> None:
    """A work report states one indicator for last year, the five-year period and this year."""
    a = report_bot.ask(question)
    assert a.found and figure in a.answer, a.answer


def test_a_target_year_is_answered_from_the_targets_not_the_review(tmp_path: Path) -> None:
    """ "到2025年…要达到多少" with two plans indexed: the sentence under the section that sets targets for
    2025 ("75%"), not the same words in the review of what was reached ("65.2%")."""
    from test_chroma_server import NEW_PLAN  # a second, unrelated plan that also says "到2025年"

    second = next((Path(__file__).parent / "corpus_second").glob("*.txt"))
    bot = plan_bot(tmp_path, {second.name: second.read_bytes(), "丙市方案.txt": NEW_PLAN})
    a = bot.ask("到2025年园区农产品加工转化率要达到多少？")
    assert a.found and "75%" in a.answer, a.answer


LIST_KIND_TEXT = """关于推进家庭医生签约服务的实施方案

一、主要任务
（一）优化签约服务团队
家庭医生签约服务团队可由家庭医生、社区护士、公共卫生医师、康复治疗师等组成。
加强签约中医药人员配置，鼓励签约服务团队掌握和使用中医药适宜技术。
（二）组织保障
各区要落实人员经费，保障签约服务团队稳定运行。
"""


def test_a_list_is_found_by_its_instances_not_the_word_for_their_kind(tmp_path: Path) -> None:
    """ "由哪些人员组成" is answered by the sentence naming 护士 and 医师, though "人员" is elsewhere."""
    bot = plan_bot(tmp_path, {"签约服务方案.txt": LIST_KIND_TEXT})
    a = bot.ask("签约服务团队可以由哪些人员组成？")
    assert a.found and "社区护士" in a.answer, a.answer


NOTES_TEXT = """关于支持开发区深化改革的若干措施

一、营造优良投资环境
（一）将建筑工程施工许可、建筑施工企业安全生产许可等工程审批类权限下放至开发区。（负责部门：住房城乡建设部）
（二）加强顶层设计，在开发区探索创新政府储备与企业储备相结合的石油储备模式。（负责部门：发展改革委、粮食和储备局，适用范围：甲省开发区）
（三）支持开发区内企业开展跨境人民币结算业务，简化办理流程。（负责部门：人民银行）
"""


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("工程审批类权限下放给谁？由哪个部门负责？", "住房城乡建设部"),
        ("哪个开发区要探索新的石油储备模式？", "甲省开发区"),
    ],
)
def test_the_note_naming_who_and_where_is_quoted(tmp_path: Path, question: str, named: str) -> None:
    """A measure's note "（负责部门：……，适用范围：……）" answers who carries it out and where."""
    bot = plan_bot(tmp_path, {"若干措施.txt": NOTES_TEXT})
    a = bot.ask(question)
    assert a.found and named in a.answer, a.answer


def test_one_measure_stated_for_two_places_lists_both(tmp_path: Path) -> None:
    """ "支持哪些机场…": the same measure for 郑州机场 and 西安机场, in two items, is one list."""
    text = NOTES_TEXT + (
        "二、提升贸易便利化水平\n"
        "（四）在对外航权谈判中支持甲市机场利用第五航权，允许外国航空公司承载经甲市至第三国的客货业务。\n"
        "（五）在对外航权谈判中支持乙市机场利用第五航权，允许外国航空公司承载经乙市至第三国的客货业务。\n"
        "（六）支持开发区建设国际贸易单一窗口，推进通关便利化。\n"
    )
    bot = plan_bot(tmp_path, {"若干措施.txt": text})
    a = bot.ask("支持哪些机场利用第五航权？")
    assert a.found and "甲市机场" in a.answer and "乙市机场" in a.answer, a.answer
    assert "单一窗口" not in a.answer


def test_a_count_in_chinese_numerals_answers_how_many(inline_bot: Assistant) -> None:
    """ "几件…？都有哪些？" is answered by "“五件民生实事”" and its items, not by one of the items' figures."""
    a = inline_bot.ask("今年要办几件民生实事？都有哪些？")
    assert a.found, a.answer
    assert "五件民生实事" in a.answer.splitlines()[0], a.answer


def test_a_plan_without_an_effective_clause_runs_for_its_period(bot: Assistant) -> None:
    """ "什么时候开始实施" of a plan that states no "本规划自……起施行": its period, from its title."""
    a = bot.ask("这份规划什么时候开始实施？")
    assert a.found and "2017-2020年" in a.answer, a.answer


GAS_RULES = """某市燃气管理办法

第一章 总则
第一条 为了加强燃气管理，保障燃气供应，防止和减少燃气安全事故，制定本办法。
第二条 本市行政区域内的燃气经营与服务、燃气使用、燃气设施保护等活动，适用本办法。沼气、秸秆气的生产和使用等活动，不适用本办法。
第三条 燃气管理部门负责本市燃气监督管理工作。
第二章 燃气经营
第四条 燃气经营者应当向用户提供安全、稳定的燃气供应服务。
"""


def test_a_negated_question_is_answered_by_the_negated_sentence(tmp_path: Path) -> None:
    """ "哪些活动不适用《…》？" quotes the sentence that says "不适用本办法", not the one on what it applies to;
    the quoted title names the document ("本办法"), so its words do not count against the answer."""
    bot = plan_bot(tmp_path, {"办法.txt": GAS_RULES})
    a = bot.ask("哪些活动不适用《某市燃气管理办法》？")
    assert a.found, a.answer
    assert "沼气、秸秆气的生产和使用等活动，不适用本办法" in a.answer
    assert bot.retriever.titled("《某市燃气管理办法》") == ["办法.txt"]
    assert "燃气" not in bot.retriever.without_titles("哪些活动不适用《某市燃气管理办法》？")
    assert bot.retriever.without_titles("《中国制造2025》提出了什么？") == "《中国制造2025》提出了什么？"


def test_a_negated_question_is_not_answered_by_a_sentence_that_negates_nothing(
    bot: Assistant, tmp_path: Path
) -> None:
    """ "高新区不得开展哪些活动？" of a plan that never says what zones must not do: the activities it says
    they carry out answer the opposite question, so it is refused. A negated condition before the
    question word ("没批准就……，会怎么处理？") and an exception ("除外") are not that."""
    a = bot.ask("高新区不得开展哪些活动？")
    assert not a.found, a.answer
    assert bot.answerer.asks_negated("哪类用人单位不能享受补贴？")
    assert not bot.answerer.asks_negated("没打招呼就上山点火，个人会被罚多少钱？")
    gas = plan_bot(tmp_path, {"办法.txt": GAS_RULES})
    assert gas.ask("哪些活动不适用本办法？").found


WAGE_RULES = """某省工资支付办法
第一章 总则
第三条 工资应当以货币形式支付给劳动者本人，不得以实物或者有价证券替代货币支付。
第二章 法律责任
第九条 用人单位以实物或者有价证券替代货币支付工资的，由人力资源社会保障行政部门责令改正，处2万元以上5万元以下的罚款。
第十条 有下列情形之一的，由人力资源社会保障行政部门责令限期改正；逾期不改正的，处5万元以上10万元以下的罚款：
（一）施工总承包单位未按规定开设工资专用账户；
（二）分包单位未按月考核农民工工作量。
"""


def test_a_consequence_question_is_answered_with_the_sanction(tmp_path: Path) -> None:
    """ "……会受到什么处罚？" quotes the article that sanctions it, not the one that forbids it; an item that
    names the case ("（一）未按规定开设……账户") comes with its article's lead, which states the sanction."""
    bot = plan_bot(tmp_path, {"办法.txt": WAGE_RULES})
    a = bot.ask("以实物替代货币支付工资，会受到什么处罚？")
    assert a.found and "2万元以上5万元以下" in a.answer, a.answer
    b = bot.ask("施工总承包单位不按规定开设工资专用账户会怎么处理？")
    assert b.found and "5万元以上10万元以下" in b.answer and "专用账户" in b.answer, b.answer


def test_a_figure_question_about_an_item_quotes_its_articles_figure(tmp_path: Path) -> None:
    """ "……罚款幅度是多少？" about a case listed as an item: the fine stands in the sentence announcing the list
    ("有下列情形之一的，……处5万元以上10万元以下的罚款："), which the answer quotes with the item. The item's
    list is no frame for a question that asks no figure or sanction ("专用账户由谁开设？")."""
    bot = plan_bot(tmp_path, {"办法.txt": WAGE_RULES})
    a = bot.ask("施工总承包单位没有按规定开设工资专用账户的，罚款幅度是多少？")
    assert a.found and "5万元以上10万元以下" in a.answer and "专用账户" in a.answer, a.answer
    item = next(p for p in bot.index.passages if p.text.startswith("（一）施工总承包单位"))
    assert "5万元以上10万元以下" in bot.retriever.frames[item.id]


WATER_RULES = """某省取水管理办法
第一章 总则
第三条 申请领取取水许可证，应当如实填报申请内容，并按照规定缴纳水资源费。
第二章 取水许可证
第九条 取水许可证应当包括下列内容：
(一)取水单位或者个人的名称；
(二)取水期限；
(三)水源类型。
第十条 取水许可证的有效期限一般为5年。
"""


def test_a_list_question_prefers_the_sentence_announcing_the_items(tmp_path: Path) -> None:
    """ "…应当写明哪些内容？" is answered by "…应当包括下列内容：" and its items, not by the article that
    mentions the licence with more of the question's words (LIST_LEAD)."""
    bot = plan_bot(tmp_path, {"办法.txt": WATER_RULES})
    a = bot.ask("取水许可证上应当写明哪些内容？")
    assert a.found, a.answer
    assert "下列内容" in a.answer.splitlines()[0] and "(三)水源类型" in a.answer


POLICY_LIST = """某省高校毕业生就业扶持政策清单
一、一次性求职补贴
毕业学年学生，符合以下3个条件之一，可申请一次性求职补贴，补贴标准为每人3000元。补贴对象应于毕业前向所在学校提出申请。
（1）属于低保家庭成员；
（2）属于持证残疾人；
（3）曾获得国家助学贷款。
二、就业见习补贴
用人单位组织见习的，按规定给予就业见习补贴。
"""


def test_a_lead_inside_its_paragraph_pointing_below_gets_its_items(tmp_path: Path) -> None:
    """ "符合以下3个条件之一，……。补贴对象应于……" announces the "（1）……" lines after its paragraph."""
    bot = plan_bot(tmp_path, {"清单.txt": POLICY_LIST})
    a = bot.ask("一次性求职补贴的申请条件有几个？分别是什么？")
    assert a.found, a.answer
    lines = a.answer.splitlines()
    assert "以下3个条件" in lines[0]
    assert [line[:3] for line in lines[1:4]] == ["（1）", "（2）", "（3）"]


COUNTED_REPORT = """某区政府工作报告
三、2026年重点工作
2026年重点抓好寄递物流工作，升级改造县级寄递物流中心60个、村级服务站400个。
围绕以上目标，重点抓好三个方面工作。
（一）立足长治久安，建设平安某区
坚决维护社会大局稳定。
（二）立足扩大内需，推动经济提质增效
充分释放政策效能。
（三）立足民生改善，办好民生实事
新增城镇就业6万人以上。
"""


def test_a_count_question_finds_the_sentence_counting_the_same_things(tmp_path: Path) -> None:
    """ "重点抓好几个方面的工作？" is answered by "重点抓好三个方面工作。" and its sections, not by a sentence
    with a figure in 个 ("服务站400个")."""
    bot = plan_bot(tmp_path, {"报告.txt": COUNTED_REPORT})
    a = bot.ask("2026年重点抓好几个方面的工作？各是什么？")
    assert a.found, a.answer
    lines = a.answer.splitlines()
    assert "三个方面" in lines[0]
    assert [line[:3] for line in lines[1:]] == ["（一）", "（二）", "（三）"]


METER_RULES = """某省取水管理办法
第三章 监督管理
第二十条 取水单位或者个人应当依照国家技术标准安装计量设施，保证计量设施正常运行。
第四章 法律责任
第三十条 取水单位未安装计量设施的，责令限期安装，处5000元以上2万元以下罚款。
"""


def test_a_consequence_question_is_answered_by_what_follows_the_condition(tmp_path: Path) -> None:
    """ "没有安装计量设施，会受到什么处理？": the focus is the condition, not the words of asking (受到, 处理),
    so the penalty article ("未安装计量设施的，……处……罚款") answers, not the obligation."""
    bot = plan_bot(tmp_path, {"办法.txt": METER_RULES})
    q = bot.retriever.prepare("取水单位没有安装计量设施，会受到什么处理？")
    focus = bot.answerer.focus(q)
    assert {"安装", "设施"} <= {t.word for t in focus}
    best = bot.answerer.units(q, bot.retriever.search(q, k=8), focus)[0]
    assert best.text.startswith("第三十条 取水单位未安装计量设施的"), best.text


TARGETS_REPORT = """某省2026年政府工作报告
一、2025年工作回顾
全年地区生产总值增长5.2%，开工改造城镇老旧小区196个，PM2.5年均浓度28微克/立方米。
二、2026年工作安排
今年经济社会发展主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%左右。
推进省级大学筹建工作，加快建设海洋大学。
"""


def test_a_generic_figure_head_takes_the_indicator_before_it_as_focus(tmp_path: Path) -> None:
    """ "社会消费品零售总额的增长目标是多少？": 增长目标 says what kind of figure, 零售总额 which indicator. A plan
    that sets only a GDP target does not answer it; asked of GDP, the same words do."""
    bot = plan_bot(tmp_path, {"报告.txt": TARGETS_REPORT})
    q = bot.retriever.prepare("2026年全省社会消费品零售总额的增长目标是多少？")
    assert "零售总额" in {t.word for t in bot.answerer.focus(q)}
    assert not bot.ask("2026年全省社会消费品零售总额的增长目标是多少？").found
    a = bot.ask("2026年地区生产总值的增长目标是多少？")
    assert a.found and "5%左右" in a.answer, a.answer


def test_a_question_about_one_year_is_not_answered_from_another_years_section(tmp_path: Path) -> None:
    """ "2026年计划开工改造多少个城镇老旧小区？" finds the 2025 review's figure: what was done in 2025 does
    not answer what 2026 plans. Asked of 2025, it answers."""
    bot = plan_bot(tmp_path, {"报告.txt": TARGETS_REPORT})
    assert not bot.ask("2026年计划开工改造多少个城镇老旧小区？").found
    a = bot.ask("2025年开工改造了多少个城镇老旧小区？")
    assert a.found and "196个" in a.answer, a.answer


def test_a_question_for_a_year_wants_a_year_in_the_answer(tmp_path: Path) -> None:
    """ "海洋大学计划哪一年开始招生？" of a plan that names no year for it: the sentence about building the
    university lacks what is asked."""
    bot = plan_bot(tmp_path, {"报告.txt": TARGETS_REPORT})
    a = bot.ask("加快建设的海洋大学哪一年开始招生？")
    assert not a.found, a.answer
    assert date_pattern("哪一年开工").search("2019年启动") and not date_pattern("哪天印发").search(
        "2019年启动"
    )


INTAKE_RULES = """某省取水条例
第一章 总则
第二条 本条例所称取水，是指利用取水工程或者设施直接从江河、湖泊或者地下取用水资源。本条例所称取水工程或者设施，是指闸、坝、渠道、人工河道、虹吸管、水泵、水井以及水电站等。
第三条 取水工程或者设施的建设应当符合流域综合规划。
"""


def test_a_list_question_is_answered_by_the_sentence_that_enumerates_the_thing(tmp_path: Path) -> None:
    """ "取水工程或者设施包括哪些？": the sentence saying what they are ("……设施，是指闸、坝、……"), not the
    one that uses the same words to define 取水."""
    bot = plan_bot(tmp_path, {"条例.txt": INTAKE_RULES})
    a = bot.ask("条例所说的取水工程或者设施包括哪些？")
    assert a.found and "虹吸管" in a.answer, a.answer


GAS_PLANNING = """某省燃气管理条例
第二章 燃气发展规划与应急保障
第八条 省人民政府燃气管理部门应当会同有关部门，依据国民经济和社会发展规划、土地利用总体规划、城乡规划以及能源规划，组织编制全省燃气发展规划。
第九条 燃气发展规划的内容应当包括：燃气气源、燃气种类、燃气供应方式和规模、燃气设施布局和建设时序、燃气设施建设用地、燃气设施保护范围、燃气供应保障措施和安全保障措施等。
第十条 县级以上地方人民政府应当根据燃气发展规划的要求，加大对燃气设施建设的投入。
"""


def test_a_sentence_enumerating_what_is_asked_is_quoted_whole(tmp_path: Path) -> None:
    """ "燃气发展规划应当包括哪些内容？": article 9 lists them all; the neighbouring articles that mention the
    plan are not items of the answer, and the list is not cut short."""
    bot = plan_bot(tmp_path, {"条例.txt": GAS_PLANNING})
    a = bot.ask("燃气发展规划应当包括哪些内容？")
    assert a.found and "燃气设施保护范围" in a.answer and "第八条" not in a.answer, a.answer


REVIEW_AND_PLAN = """某省2026年政府工作报告
一、2025年工作回顾
全年经济运行稳中有进，地区生产总值增长5.2%。
二、2026年工作安排
全省地区生产总值增长目标为5%左右，全省居民收入增长与全省地区生产总值增长同步。
"""


def test_of_the_sentences_a_question_finds_those_about_another_year_step_aside(tmp_path: Path) -> None:
    """ "2025年全省地区生产总值增长了多少？": the 2026 plan shares more of its words, the 2025 review answers."""
    bot = plan_bot(tmp_path, {"报告.txt": REVIEW_AND_PLAN})
    q = bot.retriever.prepare("2025年全省地区生产总值增长了多少？")
    hits = bot.retriever.search(q, k=8)
    found = bot.answerer.units(q, hits, bot.answerer.focus(q))
    assert any("5%左右" in u.text for u in found)
    _, kept, _ = bot.answerer.evidence(q, hits)
    assert kept and not any("5%左右" in u.text for u in kept)
    a = bot.ask("2025年全省地区生产总值增长了多少？")
    assert a.found and "5.2%" in a.answer, a.answer


FEE_RULES = """某省融资担保基金管理办法
一、收费
（一）实行差别费率。再担保业务收费一般不高于省级担保机构，单户担保金额500万元以上的再担保业务收费，原则上不高于承担风险责任的0.5%，单户担保金额500万元及以下的再担保业务收费，原则上不高于承担风险责任的0.3%。
"""


def test_a_figure_question_gets_the_bracket_it_names(tmp_path: Path) -> None:
    """ "单户500万元及以下的……收费上限是多少？" of a rule with two brackets: the clause for 及以下, with the
    figure said after it, not the 以上 bracket's, and not the bracket alone (500万元 is given, not asked)."""
    bot = plan_bot(tmp_path, {"办法.txt": FEE_RULES})
    a = bot.ask("单户500万元及以下的再担保业务收费上限是多少？")
    assert a.found and "0.3%" in a.answer and "0.5%" not in a.answer, a.answer
    b = bot.ask("单户500万元以上的再担保业务收费上限是多少？")
    assert b.found and "0.5%" in b.answer and "0.3%" not in b.answer, b.answer


def test_a_list_question_is_placed_by_its_topic_not_by_the_kind_of_item(bot: Assistant) -> None:
    """ "在金融方面有哪些支持措施？": 措施 names the kind of item, which "四、保障措施" shares with any list of
    measures; 金融 places it. The items of the guarantee-measures section are not the answer."""
    a = bot.ask("高新区在金融方面有哪些支持措施？")
    assert a.found and "加强组织领导" not in a.answer and "金融" in a.answer, a.answer


ASSESSMENT_RULES = """某市数字政府建设考评办法
三、考评方式
（一）考评以日常监测、实地调研、第三方评估等方式进行
日常监测：根据全市数字政府建设重点任务，监测考评对象的落实情况。
实地调研：深入有关地区、部门开展调研，实地核实。
第三方评估：委托第三方机构开展评估，以评促改。
（二）实行百分制
考评总分100分。
"""


def test_a_list_question_gets_the_labelled_paragraphs_of_a_section(tmp_path: Path) -> None:
    """ "考评采用哪些方式进行？": the section's paragraphs each open with a label ("日常监测：", "实地调研："):
    they are the items, not only the best of them."""
    bot = plan_bot(tmp_path, {"办法.txt": ASSESSMENT_RULES})
    a = bot.ask("数字政府建设考评采用哪些方式进行？")
    assert a.found and all(w in a.answer for w in ("日常监测", "实地调研", "第三方评估")), a.answer
    assert "百分制" not in a.answer


def test_a_when_question_is_refused_where_no_sentence_gives_a_day(tmp_path):
    """ "论坛定在几月几号举办？" of a report that only says it will hold the forum: no sentence gives a day,
    so the plan does not say when; "每年什么时候申请？" is answered by "每年3月份"."""
    text = (
        "某省政府工作报告\n一、2026年重点工作\n办好第三届国际合作论坛。\n"
        "申请养老服务补贴的组织，应当于每年3月份提出申请。\n"
    )
    bot = plan_bot(tmp_path, {"报告.txt": text})
    assert not bot.ask("第三届国际合作论坛定在几月几号举办？").found
    a = bot.ask("养老服务补贴每年什么时候申请？")
    assert a.found and "3月份" in a.answer, a.answer


FUND_RULES = """某省保险基金条例
第一章 总则
第五条 本条例所称保险基金，用于向存款人偿付。
第六条 保险基金的来源包括：
(一)投保机构交纳的保费；
(二)在投保机构清算中分配的财产；
(三)运用保险基金获得的收益；
(四)其他合法收入。
第七条 基金管理机构应当建立监测制度。
"""


def test_a_list_question_gets_the_items_its_lead_announces(tmp_path):
    """ "保险基金的钱从哪些渠道来？": the article whose lead ends on 包括： and its items, not one of the items
    nor the articles around it."""
    bot = plan_bot(tmp_path, {"条例.txt": FUND_RULES})
    a = bot.ask("保险基金的钱从哪些渠道来？")
    assert (
        a.found
        and "来源包括" in a.answer
        and "(一)投保机构交纳的保费" in a.answer
        and "(四)其他合法收入" in a.answer
    )
    assert "第七条" not in a.answer, a.answer


def test_a_section_quoted_by_name_is_counted_and_listed(tmp_path):
    """ "“落实各方责任”部分一共包含几项措施？": the subsections of the section of that name; "“主要任务”部分一共
    列出了多少条？" of groups of numbered items: the items."""
    text = (
        "某省促进就业的意见\n一、主要任务\n（一）稳定企业。\n1.加大稳岗支持。返还失业保险费。\n2.减轻企业负担。降低费率。\n"
        "（二）鼓励创业。\n3.放宽担保贷款。提高额度。\n二、落实各方责任\n（三）落实地方政府责任。各地要加强领导。\n"
        "（四）明确部门责任。各部门要协同配合。\n"
    )
    bot = plan_bot(tmp_path, {"意见.txt": text})
    a = bot.ask("“落实各方责任”部分一共包含几项措施？分别是什么？")
    assert a.found and a.answer.splitlines()[0] == "共两项：" and "（四）明确部门责任" in a.answer, a.answer
    b = bot.ask("意见的“主要任务”部分一共列出了多少条具体举措？")
    assert b.found and b.answer.splitlines()[0] == "共三条：" and "3.放宽担保贷款" in b.answer, b.answer


def test_a_heading_or_lead_that_counts_the_asked_things_is_answered_with_its_items(tmp_path):
    """ "重点要做好几个方面的工作？": a heading "重点做好三个方面工作" over three subsections, or a lead without the
    measure word ("重点做好三方面工作。") over three, answers with them; a sentence reporting a count
    ("三方面民生实事圆满完成。") announces nothing, and a count that the items below do not match is no lead."""
    heading = (
        "某省政府工作报告\n一、过去一年工作回顾\n全省生产总值增长5%，三方面民生实事圆满完成。\n二、今年主要工作\n"
        "重点做好三个方面工作：\n（一）扩大内需\n促进消费。\n（二）科技创新\n建强实验室。\n（三）改善民生\n稳定就业。\n"
    )
    for sub in "abc":
        (tmp_path / sub).mkdir()
    a = plan_bot(tmp_path / "a", {"报告.txt": heading}).ask("今年政府重点要做好几个方面的工作？分别是什么？")
    assert a.found and a.answer.splitlines()[0] == "共三个方面：" and "（三）改善民生" in a.answer, a.answer
    lead = heading.replace("重点做好三个方面工作：\n", "").replace(
        "二、今年主要工作\n", "二、今年主要工作\n重点做好三方面工作。\n"
    )
    b = plan_bot(tmp_path / "b", {"报告.txt": lead}).ask("今年政府重点要做好几个方面的工作？")
    assert b.found and b.answer.startswith("重点做好三方面工作。") and "（二）科技创新" in b.answer, b.answer
    four = heading.replace("三个方面", "四个方面")
    c = plan_bot(tmp_path / "c", {"报告.txt": four}).ask("今年政府重点要做好几个方面的工作？分别是什么？")
    assert not c.answer.startswith("共三个方面"), c.answer


def test_a_question_for_what_a_term_means_is_answered_by_its_definition(tmp_path):
    """ "办法里所说的“子女”包括哪些？": the article defining the term ("本办法所称子女，是指……"), not an article
    that names 子女 and 包括 in passing."""
    text = (
        "某省专项扣除办法\n第五条 纳税人的子女接受学历教育的相关支出，按照每个子女每月1000元的标准定额扣除。\n"
        "第六条 扣除相关信息，包括纳税人本人、配偶、子女等个人身份信息。\n"
        "第二十九条 本办法所称父母，是指生父母、继父母、养父母。本办法所称子女，是指婚生子女、非婚生子女、继子女、养子女。\n"
    )
    bot = plan_bot(tmp_path, {"办法.txt": text})
    a = bot.ask("办法里所说的“子女”包括哪些？")
    assert a.found and "继子女、养子女" in a.answer, a.answer


def test_defines_names_the_term_a_sentence_defines():
    from assistant.answer import _defines

    assert _defines("本办法所称子女,是指婚生子女、非婚生子女。", "办法里所说的“子女”包括哪些?", ())
    assert _defines("5.“三通一码”:赣服通、赣政通、赣企通、赣通码。", "“三通一码”具体指哪些?", ())
    assert not _defines("本办法所称父母,是指生父母、继父母、养父母。", "办法里所说的“子女”包括哪些?", ())
    assert not _defines("纳税人的子女接受学历教育的相关支出,按照每月1000元扣除。", "子女指的是哪些人?", ())


def test_a_list_question_ending_on_a_heading_title_lists_that_sections_parts(tmp_path):
    """ "规划提出要在哪几个方面加强保障措施？" ends on the title of "四、保障措施": its subsections answer, not one
    sentence with 加强 in it; a title in mid-question ("保障措施的资金……") names no list."""
    text = (
        "某省开发区发展规划\n三、主要任务\n（一）提升创新能力\n加强研发平台建设，加强监督检查。\n四、保障措施\n"
        "（一）加强组织领导\n建立协调机制。\n（二）加大支持力度\n设立专项资金。\n（三）加强考核管理\n建立考核体系。\n"
    )
    bot = plan_bot(tmp_path, {"规划.txt": text})
    a = bot.ask("规划提出要在哪几个方面加强开发区的保障措施？")
    assert a.found and all(h in a.answer for h in ("加强组织领导", "加大支持力度", "加强考核管理")), a.answer
    b = bot.ask("保障措施中设立的专项资金有多少？")
    assert "加强考核管理" not in b.answer, b.answer


def test_a_target_in_a_run_after_a_colon_is_read_with_its_lead_and_its_year(tmp_path):
    """ "2026年粮食产量的预期目标是多少？" of a 2026 report: "粮食产量500万吨以上；" in "今年……主要预期目标是：
    地区生产总值增长5%左右；……" is read with that lead (预期目标) and its 今年 (2026), not outranked by the
    lead's own first target (which may follow it as context)."""
    text = (
        "2026年某省政府工作报告\n一、2025年工作回顾\n全省粮食产量480万吨。\n二、2026年工作安排\n"
        "今年经济社会发展的主要预期目标是：全省地区生产总值增长5%左右，在实际工作中努力争取更好结果；"
        "城镇新增就业50万人；居民消费价格涨幅2%左右；粮食产量500万吨以上；单位地区生产总值能耗降低2.5%。\n"
    )
    bot = plan_bot(tmp_path, {"报告.txt": text})
    a = bot.ask("2026年粮食产量的预期目标是多少？")
    assert a.found and "500万吨" in a.answer, a.answer
    assert "5%左右" not in a.answer or a.answer.index("500万吨") < a.answer.index("5%左右"), a.answer


def test_a_procedure_question_is_focused_on_what_is_done_not_on_the_word_procedure(tmp_path):
    """ "长者饭堂……要调整收费价格，需要履行什么程序？": the focus is the act (调整, 收费, 价格), since the answer
    ("应在事前事后向服务对象进行公示") need not write 程序 or 履行."""
    text = (
        "某市助餐服务管理办法\n第十五条 助餐服务收费价格由区民政部门与运营机构通过协议方式确定。"
        "长者饭堂因成本变动要调整收费价格的，应在事前事后向服务对象进行公示。\n第十六条 运营机构应当履行安全管理程序。\n"
    )
    bot = plan_bot(tmp_path, {"办法.txt": text})
    q = bot.retriever.prepare("长者饭堂因为成本变动要调整收费价格，需要履行什么程序？")
    words = {t.word for t in bot.answerer.focus(q)}
    assert {"调整", "价格"} <= words and not words & {"履行", "程序"}, words


def test_an_amount_or_share_asked_needs_a_span_that_gives_one(tmp_path):
    """ "最低工资标准是每月多少元？" of a text that only says "按本市最低工资标准的50%核拨": no amount, no answer;
    the share it does give answers "按多少比例核拨？"; "五分之一" is a share."""
    text = (
        "某市就业见习管理办法\n第十条 见习补贴由市财政按本市最低工资标准的50%核拨，每月按22个工作日计算。\n"
        "第十一条 见习单位留用见习人员的，由就业补助资金按每人3000元给予留用补贴。\n"
    )
    bot = plan_bot(tmp_path, {"办法.txt": text})
    assert not bot.ask("本市最低工资标准是每月多少元？").found
    a = bot.ask("见习补贴按最低工资标准的多少比例核拨？")
    assert a.found and "50%" in a.answer, a.answer
    from assistant.intent import SHARE_S

    assert SHARE_S.search("允许不超过五分之一不具有专利代理人资格的中国公民担任股东")


def test_a_question_asking_twice_is_answered_for_both_asks(tmp_path):
    """ "需要出具信访处理意见书的信访事项，应当在受理后多少日内办结？最多能延长多久？": the sentence with 60日,
    and the one allowing 30日 more, though most of the question's words are the first ask's."""
    text = (
        "某信访条例\n第三十二条 不属于以上情形的，应当听取信访人陈述事实和理由，并调查核实，出具信访处理意见书。\n"
        "第三十四条 对需要出具信访处理意见书的信访事项应当自受理之日起60日内办结；情况复杂的，经本机关负责人批准，"
        "可以适当延长办理期限，但延长期限不得超过30日，并告知信访人延期理由。\n第三十五条 信访人对信访处理意见不服的，"
        "可以自收到书面答复之日起30日内请求复查。\n"
    )
    bot = plan_bot(tmp_path, {"条例.txt": text})
    a = bot.ask("需要出具信访处理意见书的信访事项，应当在受理后多少日内办结？最多能延长多久？")
    assert a.found and "60日内" in a.answer and "不得超过30日" in a.answer, a.answer


def test_a_figure_for_a_named_grade_is_quoted_from_that_grades_clause(tmp_path):
    """ "为照护需求等级3-5级的老年人送餐，补贴每人每次多少钱？": the clause of 3-5级 (4元), not of 1-2级 (2元)."""
    text = (
        "某市助餐配餐服务管理办法\n第二十七条 长者饭堂运营机构为老年人照护需求等级1-5级的本市户籍老年人提供送餐服务"
        "可享受送餐补贴，其中，老年人照护需求等级1-2级补贴标准为每人每次2元，3-5级补贴标准为每人每次4元。\n"
    )
    bot = plan_bot(tmp_path, {"办法.txt": text})
    a = bot.ask("为照护需求等级3-5级的老年人送餐，送餐补贴每人每次多少钱？")
    assert a.found and "3-5级补贴标准为每人每次4元" in a.answer, a.answer


def test_other_grade_is_a_span_about_another_grade_of_the_thing_asked():
    from assistant.answer import _other_grade

    assert _other_grade(
        "二级公立医院的绩效考核从哪一年开始启动?", "2019年,在全国启动三级公立医院绩效考核工作。"
    )
    assert not _other_grade(
        "三级公立医院的绩效考核从哪一年开始?", "2019年,在全国启动三级公立医院绩效考核工作。"
    )
    assert not _other_grade(
        "3级待遇每月最高支付多少?", "照护需求等级1-5级的老年人可享受补贴。"
    )  # a range holds it
    assert not _other_grade("二级公立医院有多少家?", "全省公立医院共有500家。")  # no grade named: no other


def test_a_question_for_a_body_prefers_the_sentence_that_names_one(tmp_path):
    """ "稳岗返还由哪个部门牵头负责？": the sentence naming the ministries, not the one saying how leads are marked."""
    text = (
        "某省促进就业的意见\n一、支持企业稳定发展\n（一）加大稳岗返还力度。对不裁员或少裁员的企业，返还其上年度实际缴纳失业保险费的50%。"
        "稳岗返还由人力资源社会保障厅、财政厅负责。列第一位者为牵头负责，下同。\n"
    )
    bot = plan_bot(tmp_path, {"意见.txt": text})
    a = bot.ask("稳岗返还由哪个部门牵头负责？")
    assert a.found and "人力资源社会保障厅" in a.answer, a.answer


def test_a_sentence_opening_on_a_bare_condition_keeps_the_subject_before_it(tmp_path):
    """ "……制定的规范性文件，已明确审核机构的，由本单位审核；未明确审核机构的，统一由县级人民政府确定的审核机构审核。":
    a question about those that have none gets the second sentence, read with the first one's subject."""
    text = (
        "某省规范性文件审核办法\n一、确定审核主体\n乡镇人民政府及街道办事处制定的规范性文件，已明确专门审核机构的，"
        "由本单位审核机构进行审核；未明确专门审核机构的，统一由县级人民政府确定的审核机构进行审核。\n"
    )
    bot = plan_bot(tmp_path, {"办法.txt": text})
    a = bot.ask("乡镇人民政府没有明确专门审核机构的，其制定的规范性文件由谁审核？")
    assert a.found and "县级人民政府确定的审核机构" in a.answer.splitlines()[0] + a.answer, a.answer
    assert a.answer.find("未明确") < a.answer.find("已明确") or "已明确" not in a.answer, a.answer


ARTICLE_RULES = (
    "某某管理条例\n第一条 为了规范某某活动，制定本条例。\n"
    "第二条 重点单位有下列情形之一的，由主管部门责令改正，处5万元以上50万元以下的罚款；拒不改正的，可以责令停产整治：\n"
    "（一）未按照规定制定质量控制方案；\n（二）未按照规定报送年度报告；\n（三）未按照规定保存原始记录。\n"
    "第三条 协会会长由会员大会选举产生，负责主持理事会工作并代表协会签署重要文件。协会会长任期不超过两届。\n"
    "第四条 本条例自2024年5月1日起施行。\n"
)


def test_a_lead_pointing_at_what_follows_announces_its_items_though_its_article_goes_on(tmp_path):
    """ "第二条规定了几种情形？": the article's lead says 有下列情形之一的 in its first sentence and goes on
    (拒不改正的，……：); its items are still the answer, counted."""
    bot = plan_bot(tmp_path, {"条例.txt": ARTICLE_RULES})
    a = bot.ask("第二条规定了重点单位几种应予处罚的情形？分别是什么？")
    assert (
        a.found and a.answer.splitlines()[0] == "共三种：" and "（三）未按照规定保存原始记录" in a.answer
    ), a.answer


def test_a_yes_no_question_is_answered_by_the_rule(tmp_path, monkeypatch):
    """ "会长能一直当下去吗？" shares 会长 with both sentences of its article; the one that sets a limit
    (不超过两届) answers it. Without the rule weight the first sentence is quoted."""
    from assistant import answer

    bot = plan_bot(tmp_path, {"条例.txt": ARTICLE_RULES})
    a = bot.ask("协会会长能一直当下去吗？")
    assert a.found and "不超过两届" in a.answer and "选举产生" not in a.answer, a.answer
    monkeypatch.setattr(answer, "RULE_WEIGHT", 0.0)
    (tmp_path / "again").mkdir()
    b = plan_bot(tmp_path / "again", {"条例.txt": ARTICLE_RULES}).ask("协会会长能一直当下去吗？")
    assert "选举产生" in b.answer, b.answer


def test_numbered_parts_that_each_name_the_counted_thing_are_counted(tmp_path):
    """ "工作分为几个阶段？": no sentence says 三个阶段, but the parts of one section are "（一）第一阶段为……阶段。"
    to "（三）……": those parts, counted."""
    text = (
        "某项工作的意见\n一、工作原则\n各地要从严把关。\n二、方法步骤\n工作采取自查与审查相结合的方法，具体步骤安排如下：\n"
        "（一）第一阶段为单位自查阶段。\n1997年4月，由各单位进行自查。\n（二）第二阶段为主管部门审查阶段。\n"
        "1997年7月，由主管部门审查。\n（三）第三阶段为登记机关审定阶段。\n1997年10月，由登记机关审定。\n三、组织领导\n"
        "各地要加强领导，设立工作专班。\n"
    )
    bot = plan_bot(tmp_path, {"意见.txt": text})
    a = bot.ask("这项工作分为几个阶段？各是什么阶段？")
    assert a.found and a.answer.splitlines()[0] == "共三个阶段：" and "登记机关审定阶段" in a.answer, a.answer
    # The counted thing is the head of the asked noun: each part names a 阶段, none a 阶段专班.
    b = bot.ask("这项工作的方法步骤设了多少个阶段专班？")
    assert not b.answer.startswith("共三个"), b.answer


def test_a_question_for_the_members_by_name_needs_a_span_that_lists_them(tmp_path):
    """ "具体是哪几个自贸试验区？": a sentence naming only the kind ("支持符合条件的自贸试验区开展……试点") does
    not answer; one listing them does."""
    text = (
        "某通知\n（一）支持符合条件的自贸试验区开展汽车平行进口试点。\n（二）在上海、广东、天津自贸试验区开展跨境"
        "电商试点。\n"
    )
    bot = plan_bot(tmp_path, {"通知.txt": text})
    assert not bot.ask("开展汽车平行进口试点的具体是哪几个自贸试验区？").found
    a = bot.ask("开展跨境电商试点的具体是哪几个自贸试验区？")
    assert a.found and "上海、广东、天津" in a.answer, a.answer


def test_a_list_run_after_a_colon_is_quoted_to_its_full_stop(tmp_path):
    """ "知识产权保护方面推广了几项改革举措？": "（一）知识产权保护方面5项：甲；乙；丙。" is one list, though
    sentences are cut at ；: all of it, not its first item."""
    text = (
        "某通知\n一、推广的改革举措\n（一）知识产权保护方面3项：知识产权案件“三合一”审判；专利保险机制；"
        "引入技术调查官制度。\n（二）科技金融创新方面2项：科技创新专板；知识产权质押融资。\n"
    )
    bot = plan_bot(tmp_path, {"通知.txt": text})
    a = bot.ask("知识产权保护方面推广了几项改革举措？分别是什么？")
    assert a.found and "专利保险机制" in a.answer and "技术调查官" in a.answer, a.answer


def test_the_word_after_the_question_word_names_no_other_subject(tmp_path):
    """ "……检验项目按什么方式办理？": 方式 (which the text never uses) right after 什么 is the kind asked for,
    not a modifier naming a subject the plan lacks the way "火星" does in "火星基地"."""
    text = "某方案\n（一）创新监管模式\n对境外进入综合保税区的动植物产品，检验项目实行先入区、后检测，按规定办理通关手续。\n产业基地建设要加快。\n"
    bot = plan_bot(tmp_path, {"方案.txt": text})
    q = bot.retriever.prepare("对境外进入综合保税区的动植物产品，检验项目按什么方式办理？")
    assert bot.answerer.absent_subject(q) is None
    assert bot.answerer.absent_subject(bot.retriever.prepare("规划对火星基地建设有什么要求？")) == "火星基地"


def test_a_list_question_prefers_instances_closed_by_the_asked_kind(tmp_path):
    """ "国家鼓励和支持使用哪些绿色防控技术？": "使用生态治理、……、物理防治等绿色防控技术" names them; "科研单位、……
    等单位和个人研究、推广绿色防控技术" lists who, not which."""
    text = (
        "某条例\n第九条 国家鼓励和支持科研单位、院校、企业、行业协会等单位和个人研究、使用、依法推广绿色防控技术。\n"
        "第十条 国家鼓励和支持使用生态治理、健康栽培、生物防治、物理防治等绿色防控技术。\n"
    )
    bot = plan_bot(tmp_path, {"条例.txt": text})
    a = bot.ask("国家鼓励和支持使用哪些绿色防控技术？")
    assert a.found and "生态治理" in a.answer and "科研单位" not in a.answer, a.answer


def test_a_question_the_text_asks_answers_none(tmp_path):
    """A service guide titled "怎么申领社会保障卡？": asked "需要准备哪些材料？", the title is no answer; the
    line listing the materials is."""
    text = "怎么申领社会保障卡？\n一、申领材料\n申领需准备有效身份证件原件、相片回执号等材料。\n"
    bot = plan_bot(tmp_path, {"指南.txt": text})
    a = bot.ask("申领社会保障卡需要准备哪些材料？")
    assert a.found and "有效身份证件原件" in a.answer and "怎么申领" not in a.answer, a.answer


def test_a_section_named_for_the_counted_things_is_counted(tmp_path):
    """ "规划一共提出了几条基本原则？分别是什么？" over "（二）发展原则" and its "1.坚持全面创新。" to "3.……": the
    section is named for what is counted, though the question calls them 基本原则."""
    text = (
        "某省发展规划\n一、总体思路\n（一）指导思想\n以创新为引领。\n（二）发展原则\n1.坚持全面创新。\n创新是第一动力。\n"
        "2.坚持改革驱动。\n深化改革。\n3.坚持开放共享。\n扩大开放。\n（三）发展目标\n到2020年，收入达到1万亿元。\n"
    )
    bot = plan_bot(tmp_path, {"规划.txt": text})
    a = bot.ask("规划一共提出了几条基本原则？分别是什么？")
    assert a.found and a.answer.splitlines()[0] == "共三条：" and "3.坚持开放共享" in a.answer, a.answer
