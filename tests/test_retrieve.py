"""Hybrid retrieval: entity detection, fusion, and recall on the golden pairs' passages."""

from __future__ import annotations

from pathlib import Path

from support import plan_bot

from assistant.adapters.langchain import PlanRetriever
from assistant.evaluate import gold_ids, load_pairs
from assistant.facts import mentions
from assistant.retrieve import find_entities, number_forms, period_forms

QA = Path(__file__).resolve().parent / "qa"


def test_find_entities_by_short_name_and_pinyin(bot):
    assert [e.name for e in find_entities("那大连呢", bot.index.entities)] == ["大连高新区"]
    assert [e.name for e in find_entities("What about Fuxin?", bot.index.entities)] == ["阜新高新区"]
    assert find_entities("大庆高新区", bot.index.entities) == []


def test_numeral_and_period_forms():
    assert number_forms("五百亿级") == ["500亿级"]
    assert number_forms("一千亿") == ["1000亿", "千亿"]
    assert period_forms("十四五") == ["2025年"]


def test_zone_question_ranks_its_entry_first(bot):
    hits = bot.search("阜新高新区主导产业是什么？", k=3)
    assert hits[0].passage.entity == "阜新高新区"
    assert "专栏3" in hits[0].passage.section_path
    assert set(hits[0].why) >= {"words", "bigrams", "dense", "coverage"}


def test_recall_on_golden_passages(bot):
    _, pairs = load_pairs(QA / "liaoning.yaml")
    ranks = []
    for p in pairs:
        gold = gold_ids(p, bot.index.passages)
        if gold:
            hits = bot.retriever.search(bot.standalone(p.question, list(p.history)), k=10)
            ranks.append(next((i + 1 for i, h in enumerate(hits) if h.passage.id in gold), None))
    recall5 = sum(r is not None and r <= 5 for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    assert len(ranks) >= 120
    assert recall5 >= 0.97 and mrr >= 0.88  # bench/engine.py reports the exact figures


def test_langchain_retriever(bot):
    docs = PlanRetriever(assistant=bot, k=2).invoke("阜新高新区主导产业")
    assert len(docs) == 2
    assert docs[0].metadata["section"].endswith("专栏3 高新区主导产业发展情况")
    assert docs[0].page_content.startswith("阜新高新区：")


def test_coverage_ranking_from_the_bigram_index_equals_the_per_passage_one(bot, mixed_bot):
    """`coverages` narrows by bigram postings (fast at 55,000 passages); it must give the same floats."""
    from assistant.retrieve import coverage

    _, pairs = load_pairs(Path(__file__).parent / "qa" / "liaoning.yaml")
    for b in (bot, mixed_bot):
        r = b.retriever
        for p in pairs:
            terms = r.terms(p.question)
            assert list(r.coverages(terms)) == [coverage(terms, c) for c in r.context], p.question
            for t in terms:
                for f in (*t.forms, *t.grams, t.word.upper()):
                    assert r.occurs(f) == (f in r.corpus_text), f
        for e in b.index.entities[:40]:
            brute = [i for i, p in enumerate(b.index.passages) if p.entity is not None or mentions(e, p.text)]
            assert set(brute) <= set(r._entity_candidates((e,))), e.name


def test_documents_are_chosen_before_passages_in_a_large_library(tmp_path):
    """A document matching in several passages beats one whose single passage matches best."""
    import numpy as np

    from assistant import Settings
    from assistant.embed import E5Embedder
    from assistant.index import open_index, sync
    from assistant.retrieve import DOC_PASSAGES, DOC_TOP, OTHER_DOC_PENALTY, Retriever

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, city in enumerate("甲乙丙丁戊"):
        items = "\n".join(f"（{j}）第{j}项任务。{city}市推进第{j}个项目建设。" for j in range(1, 4))
        (corpus / f"{i}.txt").write_text(f"{city}市建设方案\n一、主要任务\n{items}\n", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    embedder = E5Embedder()
    sync(settings, embedder, dense=False)
    r = Retriever(open_index(settings, embedder))
    assert len(r.doc_names) == 5 > DOC_TOP and DOC_PASSAGES >= 2
    fused = np.zeros(len(r.doc_of))
    loner = np.flatnonzero(r.doc_of == 4)[0]
    fused[loner] = 0.04  # the best single passage, alone in its document
    for d in range(DOC_TOP):
        fused[np.flatnonzero(r.doc_of == d)[:DOC_PASSAGES]] = 0.03  # several good passages each
    weights = r.document_weights(fused)
    assert weights[loner] == OTHER_DOC_PENALTY
    assert all(weights[np.flatnonzero(r.doc_of == d)].min() == 1.0 for d in range(DOC_TOP))
    # The second passage weighs less than the first: one passage that stands well clear still wins.
    fused[loner] = 0.055  # a plain sum (0.06) would still rank the two middling passages first
    assert r.document_weights(fused)[loner] == 1.0
    # A question still finds its passage: the document it names wins both steps.
    assert r.search("戊市第2个项目建设", k=1)[0].passage.doc == "4.txt"


def test_a_question_is_judged_against_the_document_chosen_for_it(tmp_path):
    """In a large library the question's words are known, weighed and searched within one document.

    "风电场" is used only by another city's plan: against the library it is a known word, against the
    document the question is about it is not (so the answerer can say the plan does not mention it).
    """
    import numpy as np

    from assistant import Settings
    from assistant.embed import E5Embedder
    from assistant.index import open_index, sync
    from assistant.retrieve import DOC_TOP, Retriever, coverage

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, city in enumerate("甲乙丙丁戊"):
        items = "\n".join(f"（{j}）第{j}项任务。{city}市推进第{j}个项目建设。" for j in range(1, 4))
        extra = "\n（4）新能源。建设风电场2座。" if city == "戊" else ""
        (corpus / f"{i}.txt").write_text(
            f"{city}市建设方案\n一、主要任务\n{items}{extra}\n", encoding="utf-8"
        )
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    embedder = E5Embedder()
    sync(settings, embedder, dense=False)
    ix = open_index(settings, embedder)
    r = Retriever(ix)
    assert len(r.doc_names) > DOC_TOP
    broad = r.prepare("甲市推进的第2个项目建设有没有风电场？")
    assert {t.word: t.known for t in broad.terms}["风电场"]
    q = r.candidate_documents(broad)[0]
    assert q.scope is not None and q.scope.doc == "0.txt"
    assert not {t.word: t.known for t in q.terms}["风电场"]
    hits = r.search(q, k=8)
    assert hits and {h.passage.doc for h in hits} == {"0.txt"}
    # Coverage within the document's rows: the same floats as judging each of its passages.
    start, end = q.scope.rows
    cov = r.coverages(q.terms, q.scope.rows)
    assert list(cov[start:end]) == [coverage(q.terms, c) for c in r.context[start:end]]
    assert not cov[:start].any() and not cov[end:].any()
    for form in ("2座", "（4）", "甲市"):
        assert list(r.containing(form)) == [i for i, c in enumerate(r.context) if form in c]
    assert np.array_equal(r.containing("风电场", q.scope.rows), np.zeros(0))


def test_a_continued_item_carries_its_lead():
    from assistant.retrieve import item_leads
    from assistant.schema import Passage

    box = ("专栏 1 构筑文物安全防护体系",)
    first = Passage(
        "a", "d", box, "1.楚天文物平安工程:实施全国重点文物保护单位安全防护工程全覆盖。", 0, 34, "box"
    )
    cont = Passage("b", "d", box, "完成40处湖北省文物保护单位防火防盗设施建设。", 34, 57, "box")
    nxt = Passage("c", "d", box, "2.文物行政执法能力提升工程:组织开展培训。", 58, 80, "box")
    after = Passage("e", "d", box, "加强文化市场综合执法智能监控。", 80, 95, "box")
    prose = Passage("f", "d", box, "推进安全防范工程建设。", 96, 107, "box")
    assert item_leads([first, cont, nxt, after, prose]) == {
        "b": "1.楚天文物平安工程",
        "e": "2.文物行政执法能力提升工程",
    }
    assert item_leads([prose, Passage("g", "d", box, "不是续段。", 107, 112)]) == {}  # no numbered lead


def test_asking_words_are_no_terms_and_a_compound_falls_back_to_its_halves(tmp_path):
    """ "什么时候" leaves no "时候" to look for; "提出申请" (one jieba word) is found as "提出……申请"."""
    bot = plan_bot(
        tmp_path,
        {
            "清单.txt": "某省就业扶持政策清单\n一、一次性求职补贴\n补贴对象应于毕业前向所在学校提出补贴申请。\n"
        },
    )
    terms = {t.word: t for t in bot.retriever.terms("一次性求职补贴应该在什么时候、向谁提出申请？")}
    assert "时候" not in terms and "谁" not in terms
    # "多长时间" and "多久" ask how long (jieba tags the first a noun): no topic word the text could lack.
    for question in ("补贴申请需要多长时间？", "补贴多久发一次？"):
        assert not {"多长时间", "多长", "多久"} & {t.word for t in bot.retriever.terms(question)}
    # "这份" points at the document; it is no word the text could lack.
    assert "这份" not in {t.word for t in bot.retriever.terms("这份清单里的求职补贴向谁申请？")}
    assert terms["提出申请"].known and {"提出", "申请"} <= set(terms["提出申请"].forms)


def test_a_character_glued_to_de_goes_back_to_its_word(tmp_path):
    """jieba cuts "指标里的单病种" into "的单" and "病种": 单病种, which the plan writes, is the term."""
    bot = plan_bot(
        tmp_path, {"意见.txt": "某省医院考核意见\n一、指标\n单病种包括急性心肌梗死、心力衰竭、肺炎。\n"}
    )
    words = {t.word for t in bot.retriever.terms("质量指标里的单病种包括哪些？")}
    assert "单病种" in words and "的单" not in words


def test_an_item_is_framed_by_the_rule_announcing_its_list():
    """ "有下列行为之一的，……处……罚款：" frames each item of its list; a list of tasks frames nothing."""
    from assistant.retrieve import item_frames
    from assistant.schema import Passage

    art = ("第五章 法律责任", "第三十三条")
    rule = "第三十三条 违反本条例规定，排污单位有下列行为之一的，由主管部门责令改正，处20万元以上100万元以下的罚款："
    lead = Passage("a", "d", art, rule, 0, len(rule))
    item = Passage(
        "b", "d", (*art, "(一)未取得排污许可证排放污染物"), "(一)未取得排污许可证排放污染物；", 60, 80
    )
    tasks = ("三、重点工作",)
    plan = Passage("c", "d", tasks, "总结经验。重点抓好以下14个方面工作：", 90, 110)
    task = Passage("e", "d", (*tasks, "（一）扩大内需"), "（一）扩大内需。", 110, 118)
    assert item_frames([lead, item, plan, task]) == {"b": rule}


def test_the_document_and_the_form_of_a_figure_are_no_missing_subject(tmp_path):
    """ "意见确定了……" names the document, not what the answer says; "罚款幅度" asks for the form of a fine,
    which a text that never writes "幅度" still states. A total the text never names ("总额") stays missing."""
    bot = plan_bot(
        tmp_path,
        {
            "意见.txt": "某省促进就业的意见\n二、基本原则\n（一）坚持就业优先。\n三、法律责任\n违反规定的，处1万元以上5万元以下的罚款。\n"
        },
    )
    assert "意见" not in {t.word for t in bot.retriever.terms("意见确定了几条基本原则？")}
    terms = {t.word: t for t in bot.retriever.terms("违反规定的罚款幅度是多少？")}
    assert not terms["幅度"].known and not terms["幅度"].noun and terms["幅度"].weight < 1
    total = {t.word: t for t in bot.retriever.terms("罚款总额是多少？")}
    assert total["总额"].noun and total["总额"].weight > 2 * terms["幅度"].weight


def test_an_abbreviation_is_known_by_the_full_name_the_text_writes(tmp_path):
    """ "药监部门" (jieba: "药监" "部门") abbreviates "药品监督管理部门"; "天气" is no abbreviation of anything
    the text writes three characters apart, and stays unknown."""
    bot = plan_bot(
        tmp_path,
        {
            "办法.txt": "某省医疗器械生产监督管理办法\n第一条 药品监督管理部门应当在备案之日起3个月内开展现场检查。\n"
            "第二条 企业应当使用天然气等清洁能源。\n"
        },
    )
    terms = {t.word: t for t in bot.retriever.terms("药监部门要在多长时间内开展现场检查？")}
    assert terms["药监"].known and "药品监督管理部门" in terms["药监"].forms
    assert not {t.word: t for t in bot.retriever.terms("明天天气怎么样？")}["天气"].known
    assert bot.retriever.expansion("发改委") == ""  # nothing of the kind in this text


def test_a_particle_is_no_half_of_a_word_and_a_given_figure_gives_its_form(tmp_path):
    """ "驾驶人的年龄": jieba's "人" and "的" stay apart even where the text writes "人的"; a span that gives the
    asked figure covers the words naming its form ("审批期限" by "45日内作出审批决定")."""
    from assistant.intent import FIGURE_FORMS
    from assistant.retrieve import coverage
    from assistant.segment import normalize

    bot = plan_bot(
        tmp_path,
        {
            "条例.txt": "某省校车安全条例\n第一条 校车驾驶人的年龄在25周岁以上。\n第二条 保障他人的安全。\n"
            "第三条 需要现场核查的，应当自受理申请之日起45日内作出审批决定。\n"
        },
    )
    assert "人的" not in {t.word for t in bot.retriever.terms("校车驾驶人的年龄要求是多少岁？")}
    terms = bot.retriever.terms("现场核查的审批期限是多少日？")
    span = normalize("需要现场核查的，应当自受理申请之日起45日内作出审批决定")
    assert coverage(terms, span) < 1.0 and coverage(terms, span, FIGURE_FORMS) == 1.0


def test_a_function_word_the_text_never_uses_is_no_missing_subject(tmp_path):
    """ "要告诉他们些什么？": 他们 (stopwords-iso) is in no text's topic, so a text without it lacks nothing;
    a function word the text does use stays a term, and an unknown content word still counts as missing."""
    bot = plan_bot(
        tmp_path, {"条例.txt": "某条例\n第一条 开展航空作业，应当提前公告作业时间。大家应当配合。\n"}
    )
    words = {
        t.word: t for t in bot.retriever.terms("开展航空作业，要告诉他们些什么？大家要配合吗？拖拉机呢？")
    }
    assert "他们" not in words and "大家" in words and words["大家"].known
    assert "拖拉机" in words and not words["拖拉机"].known


def test_a_postposition_glued_to_the_next_modal_is_no_term(tmp_path):
    """jieba may join "姓名时应怎么处理" into 姓名 / 时应: an unknown "word" of a postposition and a modal names
    nothing the text could lack."""
    bot = plan_bot(tmp_path, {"指南.txt": "某指南\n姓名中含生僻字的，使用拼音代替生僻字。\n"})
    words = {t.word for t in bot.retriever.terms("姓名里有生僻字的，录入姓名时应怎么处理？")}
    assert "生僻字" in words and not {w for w in words if w.startswith("时")}


def test_home_region_reads_a_title_after_its_year_and_keeps_to_real_divisions():
    """A work report's title opens with its year ("2026年北京市政府工作报告"); an autonomous region's whole is
    全区; a title that only mentions a city later ("关于推出供应广州市……") or a body ("国务院……") has none."""
    from assistant.retrieve import home_region

    assert home_region("2026年北京市政府工作报告") == (("北京市", "北京"), "全市")
    assert home_region("2026年新疆维吾尔自治区政府工作报告") == (("新疆维吾尔自治区", "新疆"), "全区")
    assert home_region("辽宁省高新技术产业开发区发展规划（2017-2020年）") == (("辽宁省", "辽宁"), "全省")
    assert home_region("关于推出供应广州市2025年第一批户籍家庭公共租赁住房常态分配房源的通告") is None
    assert home_region("国务院关于河北雄安新区总体规划（2018—2035年）的批复") is None


def test_a_question_naming_a_province_points_at_its_report_among_others(tmp_path):
    """Two work reports whose titles open with the year: "北京……目标" points at Beijing's (retrieval then
    weighs the others down, OTHER_DOC_PENALTY), though Tianjin's names 北京 beside its own target."""
    bot = plan_bot(
        tmp_path,
        {
            "2026年北京市政府工作报告.txt": "2026年北京市政府工作报告\n一、主要目标\n地区生产总值增长5%左右。\n",
            "2026年天津市政府工作报告.txt": "2026年天津市政府工作报告\n一、主要目标\n地区生产总值增长4.5%左右，对接北京2026年目标。\n",
        },
    )
    assert bot.retriever.docs_named("北京2026年地区生产总值增长目标是多少？") == (
        "2026年北京市政府工作报告.txt",
    )
    assert bot.retriever.doc_home["2026年天津市政府工作报告.txt"] == {"天津市": "全市", "天津": "全市"}


def test_a_regulation_named_without_quotes_points_at_its_document(tmp_path):
    """ "防汛条例是以国务院令第几号公布的？" names 中华人民共和国防汛条例 without 《》 and without the state's name;
    a notice's long title is never typed whole, and a question naming no title points nowhere."""
    bot = plan_bot(
        tmp_path,
        {
            "中华人民共和国防汛条例.txt": "中华人民共和国防汛条例\n第一条 为了做好防汛抗洪工作，制定本条例。\n",
            "不动产登记暂行条例.txt": "不动产登记暂行条例\n第一条 为了规范不动产登记行为，制定本条例。\n",
        },
    )
    assert bot.retriever.docs_named("防汛条例是以国务院令第几号公布的？") == ("中华人民共和国防汛条例.txt",)
    assert bot.retriever.docs_named("这部条例是以国务院令第几号公布的？") == ()
