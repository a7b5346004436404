"""Entities from box entries and the targets table, by rule."""

from __future__ import annotations

from support import plan_bot

from assistant.facts import Entity, mentions, short_name


def test_fifteen_zones_with_short_names(bot):
    names = bot.zones()
    assert len(names) == 15
    assert names[0] == "沈阳高新区" and "绥中高新区" in names
    fuxin = next(e for e in bot.index.entities if e.name == "阜新高新区")
    assert set(fuxin.aliases) == {"阜新", "fuxin"}


def test_short_name():
    assert short_name("葫芦岛高新区") == "葫芦岛"
    assert short_name("成都市") == "成都"
    assert short_name("凉山州") == "凉山"


def test_mentions_tells_city_from_zone():
    dalian = Entity("大连高新区", ("大连", "dalian"))
    assert mentions(dalian, "沈阳、大连等8个高新区")
    assert not mentions(dalian, "大连市与上海市开展对口合作")


def test_targets_table_has_rd_share_with_year(bot):
    rd = [t for t in bot.targets() if t.value == "2.8" and t.unit == "%"]
    assert len(rd) == 1
    assert rd[0].indicator == "省级以上高新区科学研究与试验发展经费占GDP比重"
    assert rd[0].year == 2020 and rd[0].kind == "target"
    assert rd[0].section == "二、总体思路与发展目标 › （四）发展目标"


def test_baselines_are_not_targets(bot):
    talents = next(t for t in bot.targets() if t.value == "4961")
    assert talents.kind == "baseline" and talents.year is None and talents.unit == "人"


def test_zone_profile_groups_by_section(bot):
    profile = bot.zone("阜新")
    assert profile["name"] == "阜新高新区"
    sections = [g["section"] for g in profile["sections"]]
    assert any("专栏3" in s for s in sections) and any("专栏2" in s for s in sections)


def test_document_card_from_header_and_signature():
    from assistant.corpus import parse_document
    from assistant.facts import document_card

    text = (
        "国务院办公厅关于加快发展\n某某产业的指导意见\n国办发〔2018〕121号\n各省、自治区、直辖市人民政府：\n"
        "为贯彻落实《国务院关于加快发展某某产业的若干意见》，经国务院同意，现提出以下意见。\n"
        "一、总体要求\n（一）指导思想。坚持改革创新。\n国务院办公厅\n2018年12月11日\n"
    )
    doc = parse_document("doc.txt", text)
    card = document_card(doc)
    by_id = {p.id: p for p in doc.passages}
    assert card.title is not None and card.title.value == "国务院办公厅关于加快发展某某产业的指导意见"
    assert card.number is not None and card.number.value == "国办发〔2018〕121号"
    assert card.date is not None and card.date.value == "2018年12月11日"
    assert card.issuer is not None and card.issuer.value == "国务院办公厅"
    assert [b.value for b in card.basis] == ["《国务院关于加快发展某某产业的若干意见》"]
    for f in (card.number, card.date, card.issuer, *card.basis):
        assert by_id[f.passage_id].text[f.start : f.end] == f.value  # each fact cites where it is written


def test_document_card_effective_clause():
    """When the document takes effect and for how long: its own closing clause, found from the end; a
    sentence of the body about something else starting some year is not it."""
    from assistant.corpus import parse_document
    from assistant.facts import document_card

    text = (
        "某市养老服务管理办法\n第一章 总则\n第一条 为规范养老服务，制定本办法。\n"
        "第二条 自2025年起实施新的服务标准，逐年提高补贴。\n第二章 附则\n"
        "第三条 本办法自印发之日起施行，有效期5年。\n"
    )
    doc = parse_document("doc.txt", text)
    card = document_card(doc)
    assert card.effective is not None and card.effective.value == "本办法自印发之日起施行，有效期5年。"
    p = {p.id: p for p in doc.passages}[card.effective.passage_id]
    assert p.text[card.effective.start : card.effective.end] == card.effective.value
    assert (
        document_card(parse_document("b.txt", "某规划\n一、目标\n自2025年起实施新标准。\n")).effective is None
    )


def test_document_card_of_a_report_and_of_a_regulation():
    """A report's dated line says on what occasion, its speaker stands below; a regulation's date line
    names its decree, and its closing clause what it repeals."""
    from assistant.corpus import parse_document
    from assistant.facts import document_card

    report = document_card(
        parse_document(
            "r.txt",
            "2026年某省政府工作报告\n2026年1月14日在某省第十四届人民代表大会第四次会议上\n某省省长 王某某\n"
            "各位代表：\n现在，我代表省人民政府向大会作政府工作报告。\n一、主要工作\n全年地区生产总值增长5%。\n",
        )
    )
    assert (
        report.date is not None and report.date.value == "2026年1月14日在某省第十四届人民代表大会第四次会议上"
    )
    assert report.issuer is not None and report.issuer.value == "某省省长 王某某"
    regulation = document_card(
        parse_document(
            "g.txt",
            "某某管理条例\n2010年11月19日 中华人民共和国国务院令第583号公布\n第一章 总则\n"
            "第一条 为了加强管理，制定本条例。\n第二条 本条例自2011年3月1日起施行。1993年8月1日发布的《某某办法》同时废止。\n",
        )
    )
    assert regulation.number is not None and regulation.number.value == "中华人民共和国国务院令第583号"
    assert regulation.date is not None and regulation.date.value.startswith("2010年11月19日")
    assert regulation.effective is not None
    assert (
        regulation.effective.value == "本条例自2011年3月1日起施行。1993年8月1日发布的《某某办法》同时废止。"
    )
    # A revised regulation's history: the text in force is the one its decree promulgated, lines later.
    revised = document_card(
        parse_document(
            "f.txt",
            "某某防火条例\n1988年1月16日 国务院公布\n2008年11月19日 国务院第36次常务会议修订通过\n"
            "2008年12月1日 中华人民共和国国务院令第541号公布\n2009年1月1日 施行\n第一章 总则\n"
            "第一条 为了有效预防火灾，制定本条例。\n",
        )
    )
    assert (
        revised.date is not None and revised.date.value == "2008年12月1日 中华人民共和国国务院令第541号公布"
    )
    assert revised.number is not None and revised.number.value == "中华人民共和国国务院令第541号"


def test_seed_card_period_from_title(bot):
    from assistant.facts import document_card

    card = document_card(bot.index.documents[0])
    assert card.period is not None and card.period.value == "2017-2020年"
    assert card.issuer is not None and card.issuer.value == "辽宁省人民政府办公厅"
    assert card.number is None  # "国办发〔2017〕7号" in the preamble is another document's number


def test_figures_in_measure_words_and_latin_units():
    from assistant.facts import FIGURE_RE

    assert FIGURE_RE.findall("完成40处湖北省文物保护单位防火防盗设施建设。") == [("40", "处")]
    assert FIGURE_RE.findall("全省算力规模突破190Eflops") == [("190", "Eflops")]
    assert FIGURE_RE.findall("60周岁及以上") == [("60", "周岁")]
    assert FIGURE_RE.findall("宁波舟山港集装箱吞吐量达到4500万标箱") == [("4500", "万标箱")]
    assert FIGURE_RE.findall("游客突破1000万") == [("1000", "万")]
    assert (
        FIGURE_RE.findall("建成5G基站，到2025年") == []
    )  # one letter names a technology; a year is no figure


def test_table_row_figures_take_the_unit_of_their_indicator_cell():
    from assistant.facts import figure_view, has_figure, row_figures

    row = "博物馆 | 博物馆年接待观众数量（万人次） | 2025年：4000 | 预期性"
    assert row_figures(row) == ["4000万人次"]
    assert figure_view(row).endswith(" 4000万人次")
    assert row_figures("博物馆 | 博物馆数量 | 2025年：≥260 | 预期性") == ["260"]
    assert row_figures("博物馆 | 县级博物馆覆盖率（%） | 2025年：100 | 约束性") == ["100%"]
    assert row_figures("科技创新 | 国家级奖项 | 2025年：3-5 | 预期性") == ["3-5"]
    assert row_figures("指标 | 2025年 | 属性") == []  # the header row: a year names a column
    assert row_figures("博物馆数量达到260") == []  # not a table row
    # A figure whose row names no unit counts in the measure word the question asks in.
    assert figure_view("保护利用 | 湖北省文物保护单位增加数量 | 2025年：≥50 | 约束性", "处").endswith(" 50处")
    assert figure_view(row, "处").endswith(" 4000万人次")  # its own unit stays
    assert has_figure("博物馆 | 博物馆数量 | 2025年：≥260 | 预期性")
    assert not has_figure("指标 | 2025年 | 属性")


NOTICE_WITH_ATTACHMENTS = (
    "某市卫生健康委关于印发推进家庭医生签约服务实施方案的通知\n各区卫生健康局：\n现将实施方案印发给你们，请认真贯彻执行。\n"
    "附件：1.家庭医生签约服务质量监测指标体系\n2.任务分工表\n某市卫生健康委\n2023年6月1日\n"
    "附件1\n家庭医生签约服务质量监测指标体系\n一、签约覆盖率\n签约覆盖率达到40%。\n"
    "附件2\n任务分工表\n一、组织实施\n各区卫生健康局负责组织实施。\n"
)


def test_document_card_lists_the_attachments_printed_with_it(tmp_path):
    """ "这份通知有几个附件？分别是什么？": the card names each attachment by its heading, cited to the first
    passage under it; the answer counts them and lists them without numbering them again."""
    from assistant.corpus import parse_document
    from assistant.facts import document_card

    doc = parse_document("notice.txt", NOTICE_WITH_ATTACHMENTS)
    card = document_card(doc)
    assert [a.value for a in card.attachments] == [
        "附件1 家庭医生签约服务质量监测指标体系",
        "附件2 任务分工表",
    ]
    by_id = {p.id: p for p in doc.passages}
    assert by_id[card.attachments[0].passage_id].section[0] == card.attachments[0].value
    bot = plan_bot(tmp_path, {"notice.txt": NOTICE_WITH_ATTACHMENTS})
    a = bot.ask("这份通知有几个附件？分别是什么？")
    assert a.found and a.answer.splitlines() == [
        "共两个附件：",
        "附件1 家庭医生签约服务质量监测指标体系[1]",
        "附件2 任务分工表[2]",
    ], a.answer
    # What an attachment says is a question about the body, not about the attachments.
    assert "40%" in bot.ask("附件1里签约覆盖率要达到多少？").answer


def test_document_card_names_what_the_document_repeals(tmp_path):
    """ "这份通知实施后，哪些原有文件同时废止？": the closing sentence that repeals them, quoted whole; one an
    attachment quotes is not the document's own."""
    from assistant.corpus import parse_document
    from assistant.facts import document_card

    text = (
        "某市医疗保障局关于印发门诊特定病种管理办法的通知\n各区医疗保障局：\n"
        "一、门诊特定病种分为一类和二类。\n"
        "二、本通知自2019年7月1日起实施，有效期5年。\n"
        "自本通知实施之日起，《某市门诊特定项目管理办法》（某医保发〔2014〕52号）同时废止。\n"
        "附件1\n病种目录\n原《某市旧目录》不再执行的病种另行公布。\n"
    )
    card = document_card(parse_document("notice.txt", text))
    assert card.repeals is not None and card.repeals.value.startswith("自本通知实施之日起")
    bot = plan_bot(tmp_path, {"notice.txt": text})
    a = bot.ask("这份通知实施后，哪些原有文件同时废止？")
    assert a.found and "某医保发〔2014〕52号" in a.answer, a.answer
    # The repealed document's number is asked through the repealing sentence, not the notice's own number.
    b = bot.ask("本通知施行后，废止的原办法文号是什么？")
    assert b.found and "某医保发〔2014〕52号" in b.answer, b.answer


def test_document_card_of_a_notice_signed_after_its_list_of_attachments():
    """ "附件：" over "1.……" to "3.……", then the signature and the date: three attachments, the first read
    from the heading it shares with "附件：", and the organ on the line above the date."""
    from assistant.corpus import parse_document
    from assistant.facts import document_card

    text = (
        "关于推出某市第一批公共租赁住房房源的通告\n为提高公共租赁住房分配效率，现将有关事项通告如下：\n"
        "一、房源情况\n本次推出房源200套，分布在3个小区。\n二、申请方式\n申请对象可登录公众号在线申请。\n"
        "附件：\n1.第一批房源简介\n2.保障房小区服务窗口\n3.资料清单\n某市住房保障办公室\n2025年3月19日\n"
    )
    card = document_card(parse_document("通告.txt", text))
    assert [a.value for a in card.attachments] == ["1.第一批房源简介", "2.保障房小区服务窗口", "3.资料清单"]
    assert card.issuer is not None and card.issuer.value == "某市住房保障办公室"
    assert card.date is not None and card.date.value == "2025年3月19日"


def test_document_card_tells_a_regulations_adoption_from_its_promulgation(tmp_path):
    """ "哪一天、在第几次常务会议上通过的？" is answered by the adoption line; "公布日期" by the decree's."""
    text = (
        "某某安全管理条例\n2012年3月28日 国务院第197次常务会议通过\n2012年4月5日 中华人民共和国国务院令第617号公布\n"
        "第一章 总则\n第一条 为了加强安全管理，制定本条例。\n第二条 本条例自公布之日起施行。\n"
    )
    bot = plan_bot(tmp_path, {"条例.txt": text})
    a = bot.ask("这部条例是哪一天、在国务院第几次常务会议上通过的？")
    assert a.found and "2012年3月28日" in a.answer and "第197次" in a.answer, a.answer
    b = bot.ask("这部条例的公布日期是哪天？")
    assert b.found and "2012年4月5日" in b.answer, b.answer


def test_document_card_outline_answers_how_the_text_is_divided(tmp_path):
    """ "这份意见一共分为几个方面？分别是什么？": its top-level parts, counted, each cited to its first passage; a
    question about one section's parts ("支持企业分为几个方面") is a question about the body."""
    from assistant.intent import meta_fields

    text = (
        "某省关于促进就业的若干意见\n为做好就业工作，提出如下意见。\n"
        "一、支持企业稳定发展\n（一）加大稳岗支持力度。对不裁员的企业返还失业保险费。\n"
        "二、鼓励支持就业创业\n（二）支持灵活就业。取消灵活就业的不合理限制。\n"
        "三、落实各方责任\n（三）落实地方政府主体责任。各地要加强组织领导。\n"
    )
    assert meta_fields("这份意见一共分为几个方面？分别是什么？") == ["outline"]
    assert meta_fields("这份意见的正文分为几个部分？") == ["outline"]
    assert meta_fields("支持企业稳定发展分为几个方面？") == []
    bot = plan_bot(tmp_path, {"意见.txt": text})
    a = bot.ask("这份意见一共分为几个方面？分别是什么？")
    assert a.found and a.answer.splitlines() == [
        "共三个方面：",
        "一、支持企业稳定发展[1]",
        "二、鼓励支持就业创业[2]",
        "三、落实各方责任[3]",
    ], a.answer
    assert "前言" not in a.answer
