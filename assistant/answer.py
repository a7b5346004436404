"""Hits → a grounded extractive answer: the clause, figure or list asked for, each part cited.

No text is generated: every statement is a verbatim span of a cited passage,
so no number can appear that the plan does not contain. The question's form
(多少 / 哪些 / 各…) chooses the span; the weighted coverage of the question's
content terms decides whether the plan answers at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from . import messages
from .corpus import heading_marker, split_sentences
from .decide import Decision, decide
from .facts import (
    ATTACHMENT,
    FIGURE_RE,
    Card,
    Entity,
    Field,
    document_card,
    figure_view,
    has_figure,
    mentions,
)
from .index import Index
from .intent import (
    ABOUT_ASSISTANT,
    ALL_Q,
    BASELINE_Q,
    BASELINE_S,
    COUNT_Q,
    COUNTED_Q,
    DATE_Q,
    FIGURE_FORMS,
    GENERIC_HEADS,
    LIST_Q,
    MONEY_S,
    NUMERIC_Q,
    PART_ASKS,
    QWORD,
    RELATIVE_YEARS,
    SHARE_S,
    TARGET_Q,
    TARGET_S,
    YEAR_IN_Q,
    asked_kind,
    asked_unit,
    asks_figure,
    count_statement,
    date_pattern,
    meta_fields,
    negated,
    polarity,
    spaced,
    years_meant,
)
from .retrieve import Query, Retriever, Term, cn_value, continues, coverage, term_found
from .schema import Answer, Citation, Hit, Passage
from .segment import bigrams, normalize

# A figure bounded by a comparator: "500万元以上", "500万元及以下", "60周岁以内". A rule often has two brackets in
# one sentence; a question names one of them. BRACKET_WEIGHT: the size of a clause's whole coverage (not swept).
BRACKET = re.compile(
    r"(\d+(?:\.\d+)?(?:万亿|亿|万|千)?[^\d\s，,；;。的]{0,3}?)(及以上|以上|超过|及以下|以下|以内|不足|不超过)"
)
ABOVE = frozenset({"及以上", "以上", "超过"})
BRACKET_WEIGHT = 1.0
# A grade, class or level the question names ("3-5级", "第一类", "二档"): the clause of that grade answers.
GRADE = re.compile(r"第?[\d一二三四五六七八九十]+(?:[-—~～至][\d一二三四五六七八九十]+)?[级类档星]")
GRADE_WEIGHT = 1.0  # weighed as a bracket that agrees (BRACKET_WEIGHT): both say which case the figure is for
MAX_SPAN = 90  # a numeric answer longer than this is trimmed to the comma-clauses around its figure
CANDIDATES = 12  # hits whose sentences compete to answer
# A later ask of a two-part question is open while the answer holds less than this share of its clause's words.
LATER_ASK_COVERAGE = 0.5
ASK_CLAUSE = re.compile(rf"{PART_ASKS.pattern}|吗")  # a clause that asks something (intent.PART_ASKS, or 吗)
PROFILE_MAX = 8  # entries shown when a question names only a zone
LIST_SOURCES = 3  # best sentences whose sections may hold the list a question asks for
CLAUSE_MAX = 60  # how much of a listed item's text is quoted
FOCUS_BEFORE, FOCUS_AFTER = 8, 9
# GENERIC_HEADS (intent.py) name what kind of figure an indicator has, not which indicator: when the words by
# the question word are only such heads, the noun phrase before their "的" (at most FOCUS_OWNER characters) is
# the focus too.
FOCUS_OWNER = 8
# The words a question asks for a procedure with ("需要履行什么程序？", "要办理哪些手续？"): the frame, not the topic.
PROCEDURE_FRAME = frozenset("履行 办理 经过 程序 手续 流程 步骤 环节".split())
# Modifiers that relate a noun to others rather than name a kind of it ("全省同类企业", "其他单位"): one the
# text never writes is no subject it lacks (Answerer.absent_subject).
RELATIONAL = frozenset(
    "同类 同等 同级 同期 各类 各级 此类 该类 上述 前述 类似 相应 相关 有关 其他 其它 所有 全部".split()
)
# A unit or measure word right after the question word ("多少家", "多少亿元") is not what is asked about.
# A figure in words ("三品", "五个方面", "十件") counts as a figure present in the span.
# So does a fraction in words ("五分之一").
CN_FIGURE = re.compile(
    r"[一二三四五六七八九十两百千万]+[个项条件类种大品点方面家所座]|[一二三四五六七八九十百]+分之[一二三四五六七八九十]+"
)
META_SPAN_MAX = 90  # card facts in one passage closer than this are quoted as one span
# A sentence of the passage nearest the question by meaning gains up to DENSE_WEIGHT of span score, less the
# further its passage's cosine is below the nearest (0 at DENSE_SPAN). Chosen on the tune documents and the
# two plans' own pairs (weight 0, 0.05, 0.08, 0.1, 0.15 × span 0.01, 0.02, 0.04; decision refitted for each).
DENSE_WEIGHT = 0.1
DENSE_SPAN = 0.04
# Paragraphs that open with an ordinal ("一是……", "第二，", "（三）", "4.") are the items a lead sentence
# ending in "：" announces ("政府工作中，我们要重点把握好5个方面：").
ORDINAL_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]|第[一二三四五六七八九十]+[，,、]|[（(][一二三四五六七八九十]+[）)]|"
    r"[（(]\d{1,2}[）)]|\d{1,2}[.．、]|——)"
)
LEAD_ITEMS_MAX = 12
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零\d]+[条章节]\s*")
# Two sentences this alike in their character bigrams (Jaccard) state one measure for two places or
# bodies (Answerer.parallel). Measured on the 54 measures of the dev corpus's 自贸试验区 text: the 郑州/西安
# 第五航权 pair shares 0.83; of all 1,431 pairs of first sentences the median is 0.04, the 99th percentile
# 0.21, and that pair is the only one at 0.5 or more.
PARALLEL = 0.5
# The note a policy text puts after a measure, naming who carries it out and where it applies:
# "（负责部门：住房城乡建设部）", "（省商务厅牵头，合肥海关配合）", "（……，适用范围：浙江自贸试验区）".
RESPONSIBLE = re.compile(
    r"[ \t]*[（(][^（）()\n]{0,120}?(?:负责部门|责任单位|牵头单位|主管部门|牵头|配合|适用范围)[^（）()\n]{0,120}?[）)]"
)
# A question that asks for a body or a place, which such a note may name.
ASKS_BODY = re.compile(r"部门|单位|机构|机关|谁|牵头|负责|哪个|哪些|哪几个|哪里|适用|范围")
# The kind a list question asks for, right after its list word: "由哪些人员组成" -> 人员, "包括哪些病种" -> 病种.
LIST_KIND = re.compile(r"(?:哪些|哪几[个类项种家所]?|有什么)([\u4e00-\u9fff]{2,4})")
# The share of its weight that kind keeps in a sentence's coverage: 0.5 and 0.25 compared on the tune
# documents and the seed (0.25: seed −1, tune unchanged).
KIND_FACTOR = 0.5
# The weight of the years a question asks about agreeing with those its passage's section names
# (Answerer.period_agreement). 0.2: the size of the other time-frame cues (±0.1), not swept.
PERIOD_WEIGHT = 0.2
# A sentence that negates what the question negates (intent.polarity) gains this; one that states it plainly,
# the opposite of what is asked, loses it: as much as a date question's sentence without a date (-0.2).
# 0.1 was tried first: one fewer right on the scale split and on the seed's pairs (2026-11-26).
NEGATION_WEIGHT = 0.2

# A question about what follows from a condition: "…，会受到什么处理？", "…会怎么处罚？".
CONSEQUENCE_Q = re.compile(r"什么(?:处理|处罚|后果|责任|惩罚|处分)|怎么(?:样|办|处理|处罚)|怎样(?:处理|处罚)")
# What a consequence question is answered with: a sanction ("处1000元以下罚款", "责令改正", "依法追究刑事责任").
SANCTION_S = re.compile(
    r"罚款|责令|吊销|撤销|没收|处分|追究|警告|通报批评|处以|拘留|取消|列入|摘牌|退出|停业|关闭|依法处理"
)
# Its weight, as a score term for consequence questions (CONSEQUENCE_Q): 0.1 and 0.2 gave the same rates on the
# seed, second plan, tune and scale (scale +1 over none); the smaller moves fewer other answers.
SANCTION_WEIGHT = 0.1
# What a count question counts: its measure word and the noun after it ("几个方面" → 个, 方面).
# A sentence counting the very things asked ("八个方面") outweighs one with any figure in the measure word
# ("服务站60个", +0.15): it is the lead the items follow.
COUNTED_BONUS = 0.2
# A heading or lead counting the asked things answers a count question outright when its path and words hold
# this much of the question (and the items after it are as many as it says): the coverage most answers need.
COUNTED_COVERAGE = 0.5
# A lead ends on its count, or nearly: "重点做好十方面工作。" (工作, two characters after it) announces items,
# "十方面民生实事圆满完成。" (seven) reports; nor is a count in mid-paragraph a lead.
LEAD_TAIL = 3
# A sentence that negates or excepts something: "不得", "禁止", "无需", "（劳务派遣单位除外）", "除……外".
NEGATES = re.compile(r"[不无未免非没禁]|除外|除[^，。；]{1,40}外")
# A sentence saying what the asked thing consists of: the thing, a verb of inclusion, then at least two items
# ("单病种包括急性心肌梗死、心力衰竭、肺炎……", "取水工程或者设施，是指闸、坝、渠道……"). Answers "X包括哪些？"
# better than a sentence that merely names X with the question's other words.
ENUMERATES = r"[^。；;]{0,8}?(?:包括|包含|是指|指的是|分为|涵盖|主要有|有)[：:]?[^。；;]*?、[^。；;]*?、"
INCLUSION_WORDS = frozenset("包括 包含 是指 分为 涵盖 应当 主要 哪些 内容".split())
ENUMERATION_BONUS = 0.15
# A sentence opening on a bare condition ("未明确……的，统一由……") leaves its subject to the sentence before.
ELLIPTIC = re.compile(r"^(?:未|没有|不|已|凡|对)[^，。；,;]{1,30}的[，,]")
# A question for a body ("由哪个部门核发？", "哪些部门负责？") and a sentence naming one: an organ's name ends
# in one of these words (财政部, 城镇排水主管部门, 部际联席会议办公室). Weighed like the asked kind of figure (0.1).
BODY_Q = re.compile(
    r"(?:哪个|哪些|哪家|什么|哪级|哪一级)(?:部门|单位|机关|机构|政府)"
)  # "由谁" may ask a person
BODY_S = re.compile(
    r"(?:部门|委员会|局|厅|署|办公室|人民政府|机构|机关|中心|小组|银行|法院|检察院)|"
    r"[\u4e00-\u9fff]{2,10}部(?=[、，。；）)和及等牵负会])"
)
BODY_WEIGHT = 0.1
# A question for the members by name ("具体是哪几个自贸试验区？") and what a span that gives or announces them
# has: an enumeration (、), items (；), a lead (：) or a closing 等.
SPECIFIC_Q = re.compile(r"具体(?:是|有|包括|指)?(?:哪些|哪几)")
ENUMERATION_MARK = re.compile(r"[、；;：:]|等")
# Measure words that fix what a count is of: "多少人", "多少家". A span without a count in one (or its family,
# intent.UNIT_FAMILY) cannot answer, like an asked amount of money or share (Answerer.evidence).
COUNTED_UNITS = frozenset("人 人次 家 户 吨 所 座 处 名 辆 台 套 件 头 只 株".split())
# The noun a count question counts, up to where the question goes on ("多少个数据专区？" → 数据专区).
COUNTED_HEAD = re.compile(
    r"(?:几|多少)[个项条类种大点件]?([\u4e00-\u9fff]{2,8}?)(?=[?？，,。；;]|$|是|有|分别|各|都)"
)
# A question asking whether one may, must or will ("能不能硬逼着农户买保险？", "会长能一直连任下去吗？") is
# answered by a rule: a sentence that permits, forbids, obliges or limits ("不得强制", "任期一般不超过两届").
# Weighed like a sentence naming the asked body (BODY_WEIGHT).
YESNO_Q = re.compile(
    r"能不能|可不可以|能否|可否|是不是|有没有|会不会|算不算|要不要|需不需要|用不用|行不行|让不让|"
    r"(?:能|可以|会|要|得|算|需要|允许)[^，。？?；]{0,16}吗"
)
RULE_S = re.compile(
    r"不得|禁止|严禁|不准|可以|应当|必须|须|有权|允许|不能|不予|不再|方可|视为|参照|适用|不超过|免征|免予|免收|免除"
)
RULE_WEIGHT = 0.1
# A question asking what a term means or takes in ("办法里所说的“子女”包括哪些？", "被赡养人指的是哪些人？",
# "什么是消费扶贫？") and a sentence defining a term of the question ("本办法所称子女，是指……", "“三通一码”：
# 赣服通、……", "消费扶贫是指……"): texts define their terms so, regulations in an article of their own.
DEFINE_Q = re.compile(
    r"所说的|所称|指的是|是指|具体指|指哪些|指什么|什么是|什么叫|何为|的定义|如何界定|怎么界定"
)
DEFINES_S = re.compile(  # on normalised text: half-width commas and colons
    r"所称([^,。;]{1,24}?),?(?:是指|指)|^(?:\d+[.．])?“([^”]{1,16})”:|^([^,。;“”]{2,16}?),?是指"
)
# Weighed as a sentence counting the asked things (COUNTED_BONUS): the definition is the answer it points to.
DEFINITION_WEIGHT = 0.2
# The question's words for meaning and extent that a definition gives without writing them.
DEFINITION_FORMS = frozenset(
    {"包括", "包含", "含义", "意思", "定义", "范围", "所说", "所称", "是指", "指的是", "具体"}
)
# A paragraph that opens with a short label and a colon: "日常监测：根据……", "申领方式：登录……".
LABELLED = re.compile(r"^[\u4e00-\u9fff“”\"]{2,12}[：:]")
# Words for the kind of items a list question asks for, shared by sections of any topic: "支持措施", "主要任务".
LIST_HEADS = frozenset("措施 举措 任务 工作 内容 方面 政策 要求 事项 情形 目标 重点 做法".split())
# A lead pointing at what follows it ("符合以下3个条件之一", "有下列情形之一的").
FOLLOWING = re.compile(r"以下|下列|如下")
# A sentence announcing that the items follow it: "应当包括下列内容：", "有以下情形之一的：".
# So does one that ends on a verb of inclusion: "第六条 存款保险基金的来源包括：".
LIST_LEAD = re.compile(
    rf"(?:(?:{FOLLOWING.pattern})[\u4e00-\u9fff]{{0,24}}|包括|包含|分为|涵盖|主要有)[：:]$"
)
# Items numbered inside a paragraph, right after the sentence that announces them: "今年要继续办好“十件民生
# 实事”。（1）做好……；（2）持续改善……". One numbering style per run, counted from 1.
INLINE_ITEM = re.compile(
    r"（(\d{1,2})）|\((\d{1,2})\)|([①-⑳])|(?<![\u4e00-\u9fff])([一二三四五六七八九十]{1,2})是"
)
# A lead announcing its items by count and name, "全力打造“六大产业集群”", and the longest item heading that
# follows it ("打造优势矿产资源精深加工产业集群。": 17 characters; a body sentence runs longer).
ANNOUNCED = re.compile(r"“([一二三四五六七八九十]{1,2})(?:大|个|项|类|条|种)([\u4e00-\u9fff]{2,8})”")
ANNOUNCED_ITEM_CHARS = 24
# An enumeration inside one clause: "服务包分为免费服务包、基本服务包及个性化服务包" -> three items.
ENUM_VERB = re.compile(r"(?:分为|分成|包括|包含|涵盖|囊括|即|：|:)")
ENUM_LAST = re.compile(r"(?:及|和|与|以及|或)")
# Items sharing their first character are one verb's objects when short ("稳就业、稳企业、稳市场"); longer ones
# are clauses that happen to start alike ("加强……建设、加快……").
SHARED_LEAD_CHARS = 6
LEADING_UNIT = re.compile(r"^(?:亿元|万元|元|亿|万|家|个|人|名|位|项|只|所|座|条|类|种|倍|平方公里|万亩|%)")


@dataclass(frozen=True)
class Unit:
    """A sentence of a hit: the smallest thing an answer quotes."""

    hit: Hit
    rank: int
    start: int  # offsets inside the passage text
    end: int
    score: float
    cov: float
    focus: float

    @property
    def passage(self) -> Passage:
        return self.hit.passage

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


@dataclass(frozen=True)
class Statement:
    """One quoted span of the answer; `label` (a heading) may introduce it."""

    passage: Passage
    start: int
    end: int
    score: float
    label: str = ""

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end].strip("，,；;、 \u3000\n\r\t")


class Answerer:
    """The default, extractive answerer."""

    def __init__(self, index: Index, retriever: Retriever, min_evidence: float) -> None:
        self.index = index
        self.retriever = retriever
        self.min_evidence = min_evidence  # still used to pick a complementary second sentence
        self.corpus_norm = retriever.corpus_text
        self.cards: dict[str, Card] = {d.name: document_card(d) for d in index.documents}
        # The year each document speaks from ("今年" in it): its date's year, else the first in its title.
        self.doc_years: dict[str, int | None] = {name: _card_year(c) for name, c in self.cards.items()}
        self._titles: dict[str, dict[tuple[str, ...], str]] = {}  # `headings`, by document
        self._trees: dict[str, dict[tuple[str, ...], dict[tuple[str, ...], Passage]]] = {}  # `children`

    # -- deciding whether the plan answers ----------------------------------------
    def missing(self, q: Query) -> str | None:
        """A reason the plan cannot answer, judged before looking at passages: a message about the assistant
        itself, an unknown place or year."""
        norm_q = normalize(q.text)
        if ABOUT_ASSISTANT.search(norm_q):
            return messages.NOT_FOUND
        corpus = self.corpus_of(q)
        for year in YEAR_IN_Q.findall(norm_q):
            # "2025" may occur as a name ("中国制造2025"); only "2025年" means the plan covers that year.
            if f"{year}年" not in corpus:
                return messages.NOT_FOUND_YEAR
        for name in self.index.segmenter.names(q.text):
            if name not in corpus and not any(name in n for e in self.index.entities for n in e.all_names()):
                # Only places and organisations: jieba's person tag fires on too many ordinary words.
                return messages.NOT_FOUND_NAME.format(name=name)
        subject = self.absent_subject(q)
        if subject:
            return messages.NOT_FOUND_NAME.format(name=subject)
        return None

    def corpus_of(self, q: Query) -> str:
        """The normalised text a question's words are looked for in: its document's, if it has one."""
        return q.scope.text if q.scope is not None else self.corpus_norm

    @staticmethod
    def asks_year(q: Query) -> bool:
        """Whether the question names a year ("到2020年…")."""
        return bool(YEAR_IN_Q.search(normalize(q.text)))

    def absent_subject(self, q: Query) -> str | None:
        """A kind of thing the question asks about that the corpus never names: "火星基地", "长者饭堂".

        The asked subject is a noun compound next to the question word whose modifier is a noun the
        corpus never uses (火星) in front of a noun (基地): whatever the plan says about other kinds of
        基地 (产业基地) does not answer it. A rule of Chinese noun compounds, not of any one plan; an
        unknown noun standing alone ("老百姓", "冷库的容量") is left to the fitted decision, since
        colloquial questions use such words for what the plan names otherwise; so are two unknown nouns
        ("犄角旮旯": no known head whose other kinds the plan could be about), and two nouns with one head
        morpheme, which coordinate rather than modify ("好事实事": good things and practical things).
        """
        terms = {t.word: t for t in q.terms}
        focus = {t.word for t in self.focus(q)}
        tagged = self.index.segmenter.tagged(spaced(q.text))
        for i, ((w1, f1), (w2, f2)) in enumerate(zip(tagged, tagged[1:], strict=False)):
            t1, t2 = terms.get(w1), terms.get(w2)
            if i and QWORD.fullmatch(tagged[i - 1][0]):
                # "按什么方式办理？", "推广哪些面向文化企业的贷款？": right after the question word is the kind
                # asked for or the words the question goes on with, not a modifier naming another subject.
                continue
            if (
                t1 is not None
                and t2 is not None
                and not t1.known
                and t2.known
                and w1[-1] != w2[-1]
                and w1 not in RELATIONAL
                and w1 in focus
                and f1.startswith("n")
                and f2.startswith("n")
                and len(w1) >= 2
                and len(w2) >= 2
                and not QWORD.search(w2)
                and "的" not in w2
                and w1 + w2 not in self.corpus_of(q)
            ):
                return w1 + w2
        return None

    # -- choosing what to quote ------------------------------------------------------
    def focus(self, q: Query) -> tuple[Term, ...]:
        """Terms next to the question word: "研发经费占GDP要达到多少" -> (gdp, …)."""
        norm = normalize(q.text)
        m = QWORD.search(norm)
        if not m:
            return ()
        before = re.split(r"[，,。；;？?！!]", norm[max(0, m.start() - FOCUS_BEFORE) : m.start()])[-1]
        after = re.split(r"[，,。；;？?！!]", norm[m.end() : m.end() + FOCUS_AFTER])[0]
        if m.group(0).startswith(("多少", "几")):
            after = LEADING_UNIT.sub("", after)  # "多少家", not "什么名字"
        window = before + " " + after
        near = [t for t in q.terms if any(f in window for f in t.forms) or t.word in window]
        if near and all(t.word in GENERIC_HEADS for t in near):
            clause = re.split(r"[，,。；;？?！!]", norm[: m.start()])[-1]
            if "的" in clause:
                window += " " + clause[: clause.rindex("的")][-FOCUS_OWNER:]
        # The comma-clauses before the question word: the consequence and procedure frames read the last two.
        clauses = [c for c in re.split(r"[，,；;]", norm[: m.start()]) if c.strip()]
        if CONSEQUENCE_Q.search(norm[max(0, m.start() - 4) : m.end() + 4]):
            # "没有安装计量设施，会受到什么处理？": what is done about the condition; the answer names the
            # condition ("未安装计量设施的，责令……处……罚款"), not the words of asking (受到, 处理).
            if len(clauses) >= 2:
                window = clauses[-2] + " " + window
        if near and all(t.word in PROCEDURE_FRAME for t in near):
            # "调整收费价格，需要履行什么程序？": what is done, not the words for a procedure, which the answer
            # need not write ("应在事前事后向服务对象进行公示"): the clause of the question word and the one before.
            return tuple(
                t
                for t in q.terms
                if t.word not in PROCEDURE_FRAME and any(f in " ".join(clauses[-2:]) for f in t.forms)
            ) or tuple(near)
        if "其中" in norm:
            # "……，其中国家级的？": what follows 其中 narrows the question and is its focus too.
            window += " " + norm[norm.rindex("其中") + 2 :]
        return tuple(t for t in q.terms if any(f in window for f in t.forms) or t.word in window)

    def units(self, q: Query, hits: list[Hit], focus: tuple[Term, ...]) -> list[Unit]:
        """Every sentence of the best hits, scored as an answer; for a figure question, the clause with the figure."""
        norm_q = normalize(q.text)
        numeric = asks_figure(norm_q)
        listing = bool(LIST_Q.search(norm_q)) and not numeric
        if listing:
            # "由哪些人员组成？" is answered by "由家庭医生、社区护士……组成": the instances, not the word
            # for their kind. The kind counts, but less than the words that place the list.
            m = LIST_KIND.search(norm_q)
            kind_word = m.group(1) if m else ""
            q = replace(q, terms=_weigh(q.terms, kind_word))
            focus = _weigh(focus, kind_word)
        # "使用哪些绿色防控技术？" is answered by "使用生态治理、……、物理防治等绿色防控技术": instances closed by
        # 等 and the asked kind (not "……行业协会等单位和个人……推广绿色防控技术").
        # A generic kind ("哪些内容", "哪些工作") says nothing of the instances: "……预报包括……等内容" is no
        # answer to "监测包括哪些内容？".
        specific = listing and kind_word and not any(kind_word.startswith(h) for h in LIST_HEADS)
        of_kind = re.compile(rf"、[^。；;]*等{re.escape(kind_word)}") if specific else None
        kind = asked_kind(norm_q)  # the unit or kind of figure asked for: 家, a share, a duration, a year
        unit = asked_unit(norm_q)
        frame = "baseline" if BASELINE_Q.search(norm_q) else "target" if TARGET_Q.search(norm_q) else ""
        narrowing = "其中" in norm_q
        counting = bool(COUNT_Q.search(norm_q))
        cn_count = re.compile(rf"[一二两三四五六七八九十百]+{unit}") if counting and unit else None
        # "重点抓好几个方面的工作？" is answered where the text counts the same things: "重点抓好八个方面工作。"
        states_count = count_statement(norm_q)
        asks_date = bool(DATE_Q.search(norm_q))
        when = date_pattern(norm_q)
        enumerates = self.enumerates(focus) if listing else None
        sanction = bool(CONSEQUENCE_Q.search(norm_q))
        body = bool(BODY_Q.search(norm_q))
        defining = bool(DEFINE_Q.search(norm_q))
        yesno = bool(YESNO_Q.search(norm_q)) and not numeric
        negs = negated([w for w, _ in self.index.segmenter.tagged(q.text)])
        asked: dict[str, frozenset[int]] = {}  # the years asked, by document ("今年" is each one's own)
        out = []
        for rank, hit in enumerate(hits[:CANDIDATES]):
            p = hit.passage
            if p.doc not in asked:
                asked[p.doc] = years_meant(norm_q, self.doc_years.get(p.doc))
            period = self.period_agreement(asked[p.doc], p)
            # A sentence inherits its section's target years ("力争到2020年，……。……达到25家").
            # An item is judged with the sentence announcing its list when that supplies what is asked: the
            # figure or the sanction ("有下列行为之一的，……处……罚款："); for anything else, on its own words.
            rule = self.retriever.frames.get(p.id, "") if numeric or sanction else ""
            head = normalize(" ".join(p.section[-2:]) + " " + self.retriever.leads.get(p.id, "") + " " + rule)
            head += " " + self.retriever.section_years.get(p.id, "")
            whole = coverage(q.terms, head + " " + normalize(p.text))
            spans = [(0, len(p.text))] if p.kind == "entry" else split_sentences(p.text, 0)
            for n, (s0, e0) in enumerate(spans):
                said = p.text[s0:e0].rstrip()
                if said.endswith(("？", "?")) and not re.search(r"[，,]", said):
                    # A question the text asks ("怎么申领广州市社会保障卡？") answers none; a statement may end on
                    # one ("……推出……扶持政策清单，哪些政策适合你？").
                    continue
                s, e = self.narrow(p, s0, e0, q, numeric, focus)
                text = p.text[s:e]
                norm_text = normalize(text)
                ctx = head + " " + norm_text + " " + _inner_lead(p.text, s0)
                if ELLIPTIC.match(p.text[s0:e0]):
                    # "未明确专门审核机构的，统一由……审核。" says it of the subject of the sentence before
                    # ("乡镇人民政府……制定的规范性文件，已明确……的，由本单位……审核；"): read with its first clause.
                    before = p.text[spans[n - 1][0] : spans[n - 1][1]] if n else self.sentence_before(p)
                    ctx += " " + normalize(re.split(r"[，,]", before, maxsplit=1)[0])
                # An item's figure may stand in the sentence announcing its list ("有下列行为之一的，……处20万元
                # 以上100万元以下的罚款：" over "（一）未取得排污许可证排放污染物；"): the answer quotes both.
                stated = _with_rule(text, rule)
                gives = bool(kind and kind.search(figure_view(stated, unit)))
                # A span that gives the kind of figure asked gives its form too: "45日内作出审批决定" is the
                # "审批期限" whether or not it writes 期限.
                given = FIGURE_FORMS if gives else frozenset()
                # A report's "今年" is its own year ("今年……主要预期目标是：" answers "2026年……目标").
                given = given | self.relative_years(p.doc, ctx)
                # A definition says what its term is and takes in: "所称子女，是指……" answers "包括哪些".
                defines = defining and _defines(norm_text, norm_q, focus)
                given = given | DEFINITION_FORMS if defines else given
                cov = coverage(q.terms, ctx, given)
                fcov = coverage(focus, ctx, given) if focus else 1.0
                score = 0.4 * cov + 0.1 * whole + 0.3 * fcov + 0.1 / (1 + rank)
                score += DENSE_WEIGHT * _dense_closeness(hit)
                # "几件民生实事？" is answered by "十件民生实事": a count in Chinese numerals, in the measure
                # word asked, gives the figure.
                gives = gives or bool(cn_count and cn_count.search(text))
                if numeric:
                    score += 0.15 if has_figure(stated) or gives else -0.3
                if kind:
                    score += 0.1 if gives else -0.1
                # Time cues belong to the whole sentence: "目前，……；……；高新技术企业数量占全省近30%。"
                full = _full_sentence(p.text, s0, e0)
                if frame == "baseline":
                    score += 0.12 if BASELINE_S.search(full) else -0.08
                elif frame == "target":
                    score += 0.1 if TARGET_S.search(full) and not BASELINE_S.search(full) else -0.05
                if q.entities:
                    score += _about(p, text, q.entities, self.index.entities)
                if asks_date:
                    score += 0.3 if when.search(text) else -0.2
                if sanction:
                    score += SANCTION_WEIGHT if SANCTION_S.search(full) else -SANCTION_WEIGHT / 2
                if body:
                    # "由哪个部门核发？" is answered by a sentence that names a body.
                    score += BODY_WEIGHT if BODY_S.search(text) else -BODY_WEIGHT
                if defines:
                    score += DEFINITION_WEIGHT
                if yesno and fcov > 0 and RULE_S.search(text):
                    score += RULE_WEIGHT
                if states_count and states_count.search(text):
                    score += COUNTED_BONUS
                if (counting and _enumerated(text) >= 2) or (
                    (counting or listing) and LIST_LEAD.search(text)
                ):
                    # "有几种？分别是什么？", "包括哪些内容？": a sentence that lists them, or announces that
                    # the lines below do ("应当包括下列内容：").
                    score += 0.1
                if enumerates is not None and enumerates.search(norm_text):
                    score += ENUMERATION_BONUS
                if of_kind is not None and of_kind.search(norm_text):
                    score += ENUMERATION_BONUS
                if negs:
                    # "哪些活动不适用本条例？": "……，不适用本条例", not the article on what it applies to.
                    score += NEGATION_WEIGHT * polarity(norm_text, negs)
                if narrowing and "其中" in text:
                    score += 0.1  # "其中国家级的呢？" is answered where the plan itself says "其中"
                score += period
                out.append(Unit(hit, rank, s, e, score, max(cov, 0.8 * whole), fcov))
        return sorted(out, key=lambda u: -u.score)

    def relative_years(self, doc: str, text: str) -> frozenset[str]:
        """The years a normalised text names relative to its document's own ("今年" in a 2026 report: "2026")."""
        this_year = self.doc_years.get(doc)
        if this_year is None:
            return frozenset()
        return frozenset(str(this_year + d) for w, d in RELATIVE_YEARS.items() if w in text)

    def period_agreement(self, asked: frozenset[int], p: Passage) -> float:
        """How well the years a question asks about match the years the passage's section names (its
        headings, and the "到20XX年" its sentences set targets for), as a score term: ±PERIOD_WEIGHT/2 at
        most, 0 when either names none. "到2025年…要达到多少" is answered under the section that sets 2025's
        targets, not by the same words in the review of what was reached.

        Jaccard overlap, so the tightest section wins: "今年" (2026) agrees fully with "2026年工作安排",
        a fifth with "“十五五”时期主要目标任务" (2026–2030), not at all with "2025年工作回顾"."""
        if not asked:
            return 0.0
        # The section's headings, and the years its sentences set targets for ("到2025年，……").
        section = " ".join(p.section) + " " + self.retriever.section_years.get(p.id, "")
        named = years_meant(normalize(section), self.doc_years.get(p.doc))
        if not named:
            return 0.0
        return PERIOD_WEIGHT * (len(asked & named) / len(asked | named) - 0.5)

    def year_elsewhere(self, asked: set[int], unit: Unit) -> bool:
        """Whether a sentence speaks of other years than the `asked` ones: "2026年计划开工改造多少个老旧
        小区？" and the sentence stands under "一、2025年主要工作" (its headings and targets name years, none
        asked) and does not name the asked year itself. What was done in 2025 does not answer what 2026
        plans, in any document; a heading that names no year decides nothing."""
        p = unit.passage
        section = " ".join(p.section) + " " + self.retriever.section_years.get(p.id, "")
        named = years_meant(normalize(section), self.doc_years.get(p.doc))
        said = normalize(self.retriever.leads.get(p.id, "") + unit.text)
        return bool(named) and not (asked & named) and not any(f"{y}年" in said for y in asked)

    def narrow(
        self, p: Passage, start: int, end: int, q: Query, numeric: bool, focus: tuple[Term, ...]
    ) -> tuple[int, int]:
        """The comma-clauses of a sentence that answer: around the figure asked for, or about the entity asked for.

        Example: in "……抚顺高新区设立2.5亿元精细化工产业投资基金，丹东高新区设立1亿元……", a question
        about 丹东 gets "丹东高新区设立1亿元战略性新兴产业发展基金".
        """
        text = p.text[start:end]
        crowded = bool(q.entities) and sum(_names_any((e,), text) for e in self.index.entities) > 1
        if p.kind == "entry" or not (crowded or (numeric and len(text) > MAX_SPAN)):
            return start, end
        bounds = sorted({0, len(text), *(m.end() for m in re.finditer(r"[，,；;]", text))})
        norm_q = normalize(q.text)
        kind = asked_kind(norm_q)
        brackets = _brackets(norm_q)
        given = set(FIGURE_RE.findall(norm_q))  # figures the question states itself
        grades = GRADE.findall(norm_q)  # "3-5级的老年人": the grade the figure is asked for
        best: tuple[float, int, int] | None = None
        for i in range(len(bounds) - 1):
            for j in range(i + 1, min(i + 4, len(bounds))):
                s, e = bounds[i], bounds[j]
                piece = text[s:e]
                if (numeric and not (has_figure(piece) or kind and kind.search(piece))) or e - s > MAX_SPAN:
                    continue
                if numeric and given and not (set(FIGURE_RE.findall(normalize(piece))) - given):
                    # "500万元及以下的……收费上限是多少？": "500万元" is given; the piece must say another figure.
                    continue
                if crowded and not _names_any(q.entities, piece):
                    continue
                norm = normalize(piece)
                score = coverage(q.terms, norm) + (coverage(focus, norm) if focus else 0) - 0.002 * (e - s)
                agree = _bracket_agreement(brackets, norm)
                if agree > 0 and given:
                    # A condition comes before what follows from it: the asked figure is said after the bracket
                    # ("500万元及以下的……收费，……不高于……0.3%"), not before it (the other bracket's "0.5%").
                    cut = max(m.end() for m in BRACKET.finditer(norm))
                    new = [m.start() for m in FIGURE_RE.finditer(norm) if m.groups() not in given]
                    if new and max(new) < cut:
                        agree = 0
                score += BRACKET_WEIGHT * agree
                if grades and all(g in norm for g in grades):
                    # "……1-2级补贴标准为每人每次2元，3-5级补贴标准为每人每次4元": the asked grade's clause.
                    score += GRADE_WEIGHT
                if best is None or score > best[0]:
                    best = (score, s, e)
        if best is None:
            return start, end
        return start + best[1], start + best[2]

    @staticmethod
    def enumerates(focus: tuple[Term, ...]) -> re.Pattern[str] | None:
        """A sentence that says what the asked subject consists of (see ENUMERATES), for a list question."""
        subjects = tuple(
            re.escape(f) for t in focus if t.word not in INCLUSION_WORDS for f in t.forms if len(f) >= 2
        )
        return _enumerates_pattern(subjects) if subjects else None

    def labelled_items(self, best: Unit) -> list[Statement]:
        """ "考评采用哪些方式？" answered by "日常监测：根据……": the paragraphs of its section that, like it, open
        with a short label and a colon ("实地调研：……", "民意调查：……") are the list's items, each quoted to
        its first clause."""
        p = best.passage
        if not LABELLED.match(p.text):
            return []
        items = [x for x in self.doc_passages(p.doc) if x.section == p.section and LABELLED.match(x.text)]
        if len(items) < 2:
            return []
        return [Statement(x, 0, _clause_end(x.text), 1.0) for x in items[:PROFILE_MAX]]

    def child_items(self, focus: tuple[Term, ...], units: list[Unit]) -> list[Statement]:
        """ "发展原则有哪些？": the items under the section whose title names the question's focus.

        The section is looked for above each of the best few sentences, nearest first.
        """
        # The list verb and a one-character asked kind ("包括哪些人") frame the question; a section
        # title names the topic ("（一）第一类资助对象"), so they only dilute its coverage.
        focus = tuple(t for t in focus if len(t.word) > 1 and not LIST_Q.fullmatch(t.word)) or focus
        # "金融方面有哪些支持措施？": 措施 names the kind of item, which any section of measures shares
        # ("四、保障措施"); what they are about (金融) places the list.
        focus = tuple(t for t in focus if t.word not in LIST_HEADS) or focus
        if not focus:
            return []
        for unit in units[:LIST_SOURCES]:
            items = self._items_under_focus(unit.passage, focus)
            if items:
                return items
        return []

    def _items_under_focus(self, passage: Passage, focus: tuple[Term, ...]) -> list[Statement]:
        path = passage.section
        for depth in range(len(path), 0, -1):
            title = normalize(path[depth - 1])
            if coverage(focus, title) < 0.5:
                continue
            prefix = path[:depth]
            items: dict[tuple[str, ...], Passage] = {}
            for p in self.doc_passages(passage.doc):
                if len(p.section) == depth + 1 and p.section[:depth] == prefix:
                    items.setdefault(p.section, p)
            if len(items) >= 2:
                return [self._section_item(sec, p) for sec, p in items.items()]
        return []

    def box_entries(self, best: Unit) -> list[Statement]:
        """ "各高新区的主导产业是什么？": every entry of the box the best passage sits in."""
        p = best.passage
        return [
            Statement(o, 0, len(o.text), 1.0)
            for o in self.doc_passages(p.doc)
            if o.kind == "entry" and o.section == p.section
        ]

    def headings(self, doc: str) -> dict[tuple[str, ...], str]:
        """Every heading path of a document, in order, with its title unnumbered ("五、落实各方责任" →
        落实各方责任): read once per document, as the cards are, since questions look titles up often."""
        titles = self._titles.get(doc)
        if titles is None:
            titles = {}
            for p in self.doc_passages(doc):
                for i in range(len(p.section)):
                    if p.section[: i + 1] not in titles:
                        titles[p.section[: i + 1]] = _unnumbered_title(p.section[i])
            self._titles[doc] = titles
        return titles

    def children(self, doc: str, path: tuple[str, ...]) -> dict[tuple[str, ...], Passage]:
        """Each section one level below `path` in a document, in order, with its first passage: the whole
        tree read in one pass per document (count questions look up every heading's parts)."""
        tree = self._trees.get(doc)
        if tree is None:
            tree = {}
            for p in self.doc_passages(doc):
                for i in range(len(p.section)):
                    tree.setdefault(p.section[:i], {}).setdefault(p.section[: i + 1], p)
            self._trees[doc] = tree
        return tree.get(path, {})

    def doc_passages(self, doc: str) -> list[Passage]:
        """One document's passages in order (its run of rows: no scan of a whole library)."""
        start, end = self.index.doc_rows[doc]
        return self.index.passages[start:end]

    # -- the whole step ------------------------------------------------------------------
    def evidence(self, q: Query, hits: list[Hit]) -> tuple[str | None, list[Unit], Decision | None]:
        """The veto that holds for any document (an unknown place or year), the ranked sentences, and
        the fitted decision on the best of them (None when vetoed or nothing was found)."""
        reason = self.missing(q)
        if reason:
            return reason, [], None
        focus = self.focus(q)
        units = self.units(q, hits, focus)
        if not units:
            return messages.NOT_FOUND, [], None
        if self.asks_negated(q.text) and not NEGATES.search(units[0].text):
            # "高新区不得开展哪些活动？" and the best sentence negates nothing ("开展……", "举办……活动"): it
            # answers the opposite question. An exception negates ("（劳务派遣单位除外）……可享受").
            return messages.NOT_FOUND, units, None
        # A sentence about other years than the one asked cannot answer it (year_elsewhere); the best of
        # the others may ("2025年……增长了多少？": the review of 2025, not the five-year targets above it).
        norm_q = normalize(q.text)
        asked = {int(y) for y in YEAR_IN_Q.findall(norm_q)}
        if asked:
            dated = [u for u in units if not self.year_elsewhere(asked, u)]
            if not dated:
                return messages.NOT_FOUND, units, None
            units = dated
        if DATE_Q.search(norm_q) and not COUNT_Q.search(norm_q):
            # "论坛定在几月几号举办？" and no sentence found gives a day: the text does not say when, whatever
            # else it says about the forum. The date may stand in the sentence's headings.
            when = date_pattern(norm_q)
            dated = [u for u in units if when.search(self.said_with_headings(u))]
            if not dated:
                return messages.NOT_FOUND, units, None
            units = dated
        if _other_grade(norm_q, normalize(units[0].text)):
            # "二级公立医院的绩效考核从哪一年开始启动？" and the span is about 三级公立医院: another case.
            return messages.NOT_FOUND, units, None
        features = self.features(q, hits, focus, units[0])
        if SPECIFIC_Q.search(norm_q) and not ENUMERATION_MARK.search(units[0].text):
            # "开展汽车平行进口试点的具体是哪几个自贸试验区？" and the best span only names the kind ("支持符合条件
            # 的自贸试验区开展……试点"), listing none and announcing no list: the members are not given.
            return messages.NOT_FOUND, units, None
        fixed = asked_kind(norm_q) in (SHARE_S, MONEY_S) or asked_unit(norm_q) in COUNTED_UNITS
        if fixed and features["unit_match"] == 0.0:
            # "最低工资标准是每月多少元？" and the best span gives no amount ("按最低工资标准的50%核拨"); "计划招募
            # 多少人？" and it gives no count of people ("按照每人3000元标准"): it states another figure about
            # the subject, not the one asked, in any document.
            return messages.NOT_FOUND, units, None
        # While vectors are still being computed the best passage may have none: decide on words alone.
        return None, units, decide(features, lexical="dense_sim" not in units[0].hit.why)

    def sentence_before(self, p: Passage) -> str:
        """The last sentence of the passage `p` continues (one paragraph cut for length), or ""."""
        at = self.index.position.get(p.id)
        if not at or at == self.index.doc_rows[p.doc][0]:
            return ""
        prev = self.index.passages[at - 1]
        if not continues(prev, p):
            return ""
        spans = split_sentences(prev.text, 0)
        return prev.text[spans[-1][0] : spans[-1][1]] if spans else ""

    def said_with_headings(self, unit: Unit) -> str:
        """A sentence with the two headings above it and the lead of its item: what it says, read in place."""
        p = unit.passage
        return " ".join([*p.section[-2:], self.retriever.leads.get(p.id, ""), unit.text])

    def asks_negated(self, question: str) -> bool:
        """Whether what the question asks for is negated: "高新区不得开展哪些活动？", "哪类单位不能享受补贴？";
        not a negated condition before it ("没打招呼就上山点火，会被罚多少钱？"). The clause with the
        question word is judged."""
        for clause in re.split(r"[，,；;。？?！!]", question):
            if QWORD.search(clause):
                return bool(negated([w for w, _ in self.index.segmenter.tagged(clause)]))
        return False

    def features(self, q: Query, hits: list[Hit], focus: tuple[Term, ...], best: Unit) -> dict[str, float]:
        """The named signals decide.py weighs (see decide.FEATURES)."""
        norm_q = normalize(q.text)
        total = sum(t.weight for t in q.terms) or 1.0
        unknown = sum(t.weight for t in q.terms if not t.known) / total
        ftotal = sum(t.weight for t in focus) or 1.0
        unknown_focus = sum(t.weight for t in focus if not t.known and t.noun) / ftotal if focus else 0.0
        nouns = sum(t.weight for t in q.terms if t.noun) or 1.0
        unknown_noun = sum(t.weight for t in q.terms if t.noun and not t.known) / nouns
        why = best.hit.why
        dense = why.get("dense_sim", 0.0)
        top = why.get("dense_top", dense) or dense
        numeric = bool(NUMERIC_Q.search(norm_q))
        # The figure or sanction of an item may stand in the sentence announcing its list (see `units`).
        framed = numeric or bool(CONSEQUENCE_Q.search(norm_q))
        rule = self.retriever.frames.get(best.passage.id, "") if framed else ""
        text = _with_rule(best.text, rule)
        listing = bool(LIST_Q.search(norm_q) or ALL_Q.search(norm_q))
        kind = asked_kind(norm_q)
        unit_match = 0.5 if kind is None else float(bool(kind.search(figure_view(text, asked_unit(norm_q)))))
        if numeric:
            present = 1.0 if has_figure(text) or CN_FIGURE.search(text) or unit_match == 1 else 0.0
        elif DATE_Q.search(norm_q):
            present = 1.0 if date_pattern(norm_q).search(text) else 0.0
        elif listing:
            present = 1.0 if text.count("、") >= 2 or "；" in text or "等" in text else 0.5
        else:
            present = 1.0
        years = YEAR_IN_Q.findall(norm_q)
        lead = self.retriever.leads.get(best.passage.id, "") + " " + rule
        context = normalize(" ".join(best.passage.section) + " " + lead + " " + best.passage.text)
        context += " " + self.retriever.section_years.get(best.passage.id, "")
        year = 0.5 if not years else float(all(y in context for y in years))
        entity = _about(best.passage, text, q.entities, self.index.entities) if q.entities else 0.0
        # Indicator agreement: the focus found in the very clause that carries the asked figure.
        clauses = [c for c in re.split(r"[，,；;。]", text) if c and (not numeric or has_figure(c))]
        terms = focus or q.terms
        given = FIGURE_FORMS if unit_match == 1 else frozenset()
        focus_clause = max((coverage(terms, normalize(c), given) for c in clauses), default=0.0)
        rank = why.get("words", 0.0)
        return {
            "coverage": best.cov,
            "focus": best.focus,
            "passage_coverage": coverage(q.terms, context),
            "unknown": unknown,
            "unknown_focus": unknown_focus,
            "unknown_noun": unknown_noun,
            "focus_absent": float(bool(focus) and best.focus == 0),
            # The hand-written rule this model replaced, now one signal among the others: enough coverage
            # (min_evidence, calibrated on the seed's pairs), some focus, no unknown focus noun, the asked type.
            "old_rule": float(
                best.cov >= self.min_evidence and best.focus > 0 and unknown_focus == 0 and present > 0
            ),
            "dense": dense,
            "dense_gap": top - dense,
            "lexical_rank": 1.0 / rank if rank else 0.0,
            "fused": best.hit.score / (hits[0].score or 1.0) if hits else 0.0,
            "type_present": present,
            "entity": entity,
            "focus_clause": focus_clause,
            "unit_match": unit_match,
            "span_score": best.score,
            "year": year,
            "asks_figure": float(numeric),
            "asks_list": float(listing),
        }

    def answer(self, q: Query, hits: list[Hit], standalone: str) -> Answer:
        norm_q = normalize(q.text)
        fields = meta_fields(norm_q)
        if fields:
            facts = self.card_statements(fields, q, hits)
            if facts and fields == ["attachments"]:
                # "有几个附件？分别是什么？": how many, then each title on its own line.
                intro = messages.COUNT_INTRO.format(n=_count_word(len(facts)), unit="个附件")
                return self.compose(facts, standalone, intro=intro, inline=len(facts) == 1)
            if facts and fields == ["outline"]:
                # "这份意见一共分为几个方面？分别是什么？": how many, then each part's heading.
                return self.compose(facts, standalone, intro=self.count_intro(norm_q, len(facts)))
            if facts:
                return self.compose(facts, standalone)
        if COUNT_Q.search(norm_q) or LIST_Q.search(norm_q):
            named = self.quoted_section_items(q, hits, norm_q)
            if named:
                # "“落实各方责任”部分一共包含几项措施？": the items of the section the question quotes by name.
                intro = self.count_intro(norm_q, len(named)) if COUNT_Q.search(norm_q) else ""
                return self.compose(named, standalone, intro=intro)
            # "重点要做好几个方面的工作？": a heading or lead that counts them, with that many items below.
            count_lead, items = self.counted_items(q, hits, norm_q)
            if items and count_lead is not None:
                return self.listed(count_lead, items, standalone, True, norm_q)
            if items:
                return self.compose(items, standalone, intro=self.count_intro(norm_q, len(items)))
        reason, units, decision = self.evidence(q, hits)
        best = units[0] if units else None
        if decision is not None and not decision.answer:
            reason = messages.NOT_FOUND
        if best is not None and not reason and q.entities:
            if _about(best.passage, best.text, q.entities, self.index.entities) < 0:
                # A veto that holds for any document: the asked entity is not named where the answer is.
                reason = messages.NOT_FOUND_ENTITY_TOPIC.format(entity=q.entities[0].name)
        if reason or best is None:
            return self.not_found(reason or messages.NOT_FOUND, hits, standalone)
        focus = self.focus(q)

        statements: list[Statement] = []
        counting = bool(COUNT_Q.search(norm_q))
        asks_list = bool(LIST_Q.search(norm_q))
        # "哪些…", not "哪些…有多少"; but "几个方面？分别是哪些？" asks for the items.
        listing = asks_list and not asks_figure(norm_q)
        if q.entities and not [t for t in q.terms if t.word not in {e.name for e in q.entities}]:
            # "大连高新区主要是搞啥的？" names a zone and nothing else: its profile, entry by entry.
            statements = self.profile(q.entities[0], best)
        elif ALL_Q.search(norm_q) and not q.entities and not counting:
            statements = self.box_entries(best)
        elif (listing or counting) and not q.entities:
            lead = Statement(
                best.passage, best.start, _run_end(best.passage.text, best.start, best.end), best.score
            )
            items = self.inline_items(lead) or self.announced_items(lead)
            if not items and (_announces(lead.text) or FOLLOWING.search(lead.text)):
                # "农作物病虫害监测包括下列内容：" then "（一）……" as headings of their own: its items, not the
                # articles around it. So for "第二十一条 ……有下列情形之一的，……处5万元以上50万元以下的罚款；拒不
                # 改正的，……：": the sentence pointing at what follows, though its article goes on.
                items = self.lead_items(lead)
            if items:
                return self.listed(lead, items, standalone, counting, norm_q)
            enumerates = self.enumerates(focus) if listing else None
            if enumerates is None or not enumerates.search(normalize(best.text)):
                # A sentence that itself enumerates what is asked ("……的内容应当包括：燃气气源、燃气种类、……")
                # is the answer whole; the items of sections around it are not.
                statements = self.labelled_items(best) or self.child_items(focus, units)
        if not statements:
            s, e = best.start, best.end
            if listing or counting:
                e = _run_end(best.passage.text, s, e)
            heading = normalize(best.passage.section[-1])
            if e - s < 30 and normalize(best.text).startswith(heading) and best.passage.kind != "entry":
                # A lead phrase alone ("1.坚持全面创新。") says too little: add the next sentence.
                nxt = [u for u in units if u.passage is best.passage and u.start == best.end]
                if nxt:
                    e = nxt[0].end
            lead = self.with_note(Statement(best.passage, s, e, best.score), norm_q)
            items = self.lead_items(lead) if _announces(lead.text) else []
            if not items and (counting or asks_list):
                items = self.inline_items(lead) or self.announced_items(lead)
            if items:
                return self.listed(lead, items, standalone, counting, norm_q)
            parallel = [self.with_note(st, norm_q) for st in self.parallel(units, best)] if listing else []
            statements = [lead, *(parallel or self.complement(q, units, best))]
            statements += self.later_asks(q, norm_q, units, statements)
            sanction = None
            if CONSEQUENCE_Q.search(norm_q):
                sanction = self.sanction_lead(best, SANCTION_S)
            elif asks_figure(norm_q) and not has_figure(best.text):
                # "未取得排污许可证就排放污染物的，罚款幅度是多少？": the figure is the item's list's lead.
                sanction = self.sanction_lead(best, FIGURE_RE)

            if sanction is not None:
                # "不按规定开设专用账户会怎么处理？": the item "（一）未按规定开设……专用账户" names the case; the
                # article's lead above it ("有下列情形之一的，……处5万元以上10万元以下罚款") the sanction.
                statements = [sanction, *statements]
            counted = COUNTED_Q.search(norm_q)
            head = counted.group(2) if counted else ""
            nouns = tuple(t.word for t in q.terms if t.noun and len(t.word) >= 2)
            n = _enumerated(lead.text, head, nouns) if counting else 0
            if n >= 2 and not _lead_counts(lead.text):
                # "服务包分为几类？" answered by "分为免费服务包、基本服务包及个性化服务包": say how many first;
                # the sentence that lists them is the whole answer.
                statements = [st for st in statements if st is not lead][:1] if sanction else []
                return self.compose(
                    [*statements, lead], standalone, intro=self.count_intro(norm_q, n), inline=not statements
                )
            return self.compose(statements, standalone)
        count = self.count_intro(norm_q, len(statements)) if counting and len(statements) > 1 else ""
        return self.compose(statements, standalone, intro=count)

    def listed(
        self, lead: Statement, items: list[Statement], standalone: str, counting: bool, norm_q: str
    ) -> Answer:
        """A lead and its items, one a line; a count question is told how many first, unless the lead says."""
        intro = self.count_intro(norm_q, len(items)) if counting and not _lead_counts(lead.text) else ""
        return self.compose([lead, *items], standalone, intro=intro, lead=True)

    @staticmethod
    def count_intro(norm_q: str, n: int) -> str:
        """ "共五条：", with the measure word the question counts in (几条, 几类, 几个方面)."""
        m = re.search(r"(?:几|多少)([条个项类点件种大级道层步]?(?:方面|部分|环节|阶段)?)", norm_q)
        return messages.COUNT_INTRO.format(n=_count_word(n), unit=(m.group(1) if m else "") or "项")

    def after(self, p: Passage) -> list[Passage]:
        """The passages that follow `p` in its document, in order."""
        at = self.index.position.get(p.id)
        return [] if at is None else self.index.passages[at + 1 : self.index.doc_rows[p.doc][1]]

    def lead_items(self, lead: Statement) -> list[Statement]:
        """The items a lead that ends its passage announces ("……应当包括下列内容：", "重点抓好八个方面工作。"):
        the paragraphs after it that open with an ordinal or a dash ("一是聚焦……", "——更加注重……"), each
        one's first sentence; or, when the items are headings of their own one level down ("第十七条 ……
        包括下列内容：" then "(一)……；", "（一）立足长治久安……" with its own text), each such heading."""
        p = lead.passage
        if lead.end < len(p.text.rstrip()) and not FOLLOWING.search(lead.text):
            # The colon is inside the passage: what follows it is already there. But "符合以下3个条件之一，
            # 可申请……。补贴对象应于……" points past the rest of its paragraph, to the lines below.
            return []
        depth = len(p.section)
        out: list[Statement] = []
        children: dict[tuple[str, ...], Passage] = {}
        for o in self.after(p):
            if len(out) >= LEAD_ITEMS_MAX or len(children) > LEAD_ITEMS_MAX:
                break
            if o.section == p.section:
                if children:
                    break
                if ORDINAL_ITEM.match(o.text):
                    out.append(Statement(o, 0, _clause_end(o.text), 1.0))
                elif not out:
                    break  # the lead is followed by prose, not by its items
            elif o.section[:depth] == p.section and not out:
                children.setdefault(o.section[: depth + 1], o)
            else:
                break
        if children:
            if not all(ORDINAL_ITEM.match(sec[-1]) for sec in children) or len(children) < 2:
                return []
            return [self._section_item(sec, o) for sec, o in children.items()]
        return out if len(out) >= 2 else []

    def quoted_section_items(self, q: Query, hits: list[Hit], norm_q: str) -> list[Statement]:
        """The items of a section the question names in quotes ("“主要任务”部分", "“落实各方责任”部分"): its
        subsections; for "多少条" of subsections that are groups of numbered items, those items. [] when no
        heading of the document is the quoted phrase (its number aside) or the section has fewer than two."""
        quotes = QUOTED.findall(q.text)
        doc = _asked_doc(q, hits)
        if not doc:
            return []
        # "规划提出要在哪几个方面加强高新区的保障措施？" asks for the part "四、保障措施" without quotes: a heading
        # whose whole title (NAMED_TITLE_MIN characters or more) is what the question ends on asking for.
        titles = self.headings(doc)
        named = {
            t for t in set(titles.values()) if len(t) >= NAMED_TITLE_MIN and _asked_last(normalize(t), norm_q)
        }
        quotes += sorted(named - set(quotes), key=len, reverse=True)
        for quote in quotes:
            path = next((path for path, title in titles.items() if title == quote), None)
            if path is None:
                continue
            children = self.children(doc, path)
            if len(children) >= 2 and re.search(r"(?:几|多少)条", norm_q):
                leaves = {leaf: lp for child in children for leaf, lp in self.children(doc, child).items()}
                children = leaves if len(leaves) > len(children) else children
            if len(children) >= 2:
                return [self._section_item(sec, p) for sec, p in children.items()]
        return []

    def counted_items(
        self, q: Query, hits: list[Hit], norm_q: str
    ) -> tuple[Statement | None, list[Statement]]:
        """What the document counts in the words asked, with that many items after it: a heading ("重点做好
        六个方面工作" over （一）…（六）) and its subsections, or a lead sentence ending its paragraph ("重点
        做好十方面工作。") and the items below it. The stated number must equal the items found, and the
        heading path (from the document's title) with the count must hold COUNTED_COVERAGE of the question's
        words. The lead (None for a heading) and the items; [] when nothing qualifies."""
        pattern = count_statement(norm_q)
        doc = _asked_doc(q, hits)
        if pattern is None or not doc:
            return None, []
        passages = self.doc_passages(doc)
        card = self.cards.get(doc)
        # The document's title heads every path: "政府要重点做好几个方面的工作？" of a 政府工作报告.
        root = normalize(card.title.value) + " " if card is not None and card.title is not None else ""
        best: tuple[float, Statement | None, list[Statement]] = (COUNTED_COVERAGE, None, [])
        for path in self.headings(doc):
            m = pattern.search(path[-1])
            if m is None:
                continue
            children = self.children(doc, path)
            cov = coverage(q.terms, root + normalize(" ".join(path)))
            if len(children) == _stated(m.group()) and cov > best[0]:
                best = (cov, None, [self._section_item(sec, p) for sec, p in children.items()])
        for p in passages:
            for m in pattern.finditer(p.text):
                start = max(p.text.rfind(c, 0, m.start()) for c in "。；：！？\n") + 1
                end = len(p.text.rstrip())
                if len(p.text[m.end() : end].rstrip("。：:")) > LEAD_TAIL:
                    # Not a lead: "十方面民生实事圆满完成。" reports, it does not announce what follows.
                    continue
                lead = Statement(p, start, end, 1.0)
                cov = coverage(q.terms, root + normalize(" ".join(p.section) + " " + lead.text))
                if cov <= best[0]:
                    continue
                items = self.lead_items(lead)
                if len(items) == _stated(m.group()):
                    best = (cov, lead, items)
        if best[2]:
            return best[1], best[2]
        # Nothing states the count, but a section's numbered parts each name the counted thing: "清理整顿工作分为
        # 几个阶段？" over "（一）第一阶段为……阶段。" … "（三）第三阶段为……阶段。": those parts, counted here.
        # The counted thing is the head of the noun after the measure word: 阶段 in "几个阶段", 专区 (not 数据)
        # in "多少个数据专区", whose parts "（一）完善政务数据共享机制" are no 专区.
        asked = COUNTED_HEAD.search(norm_q)
        phrase = asked.group(1) if asked else ""
        noun = phrase[-2:]
        heads = self.headings(doc)
        for path, title in heads.items() if noun else ():
            children = self.children(doc, path)
            titles = [heads[sec] for sec in children]
            if len(children) < 2 or not all(ORDINAL_ITEM.match(sec[-1]) for sec in children):
                continue
            # (Not for a generic head, 工作, 任务, 措施…: "二、今年主要工作" is no count of 方面的工作.)
            named = noun not in LIST_HEADS and title.endswith(noun)
            if not named and not all(t.rstrip("。.；;").endswith(noun) for t in titles):
                # Each part is one of the counted things: its title ends on the noun ("……审查阶段"), not just
                # mentions it ("建立专区监督管理体系" is no 专区); or the section is named for them: "几条基本原则？"
                # over "（二）发展原则" and its "1.坚持全面创新。" … "5.坚持开放共享。".
                continue
            # A section named for the counted things may name them otherwise: "基本原则" asked, "发展原则" written;
            # the asked noun's modifiers (基本) are no words the section must hold.
            terms = tuple(
                t for t in q.terms if not (named and t.word in phrase and not t.word.endswith(noun))
            )
            cov = coverage(terms, root + normalize(" ".join(path) + " " + " ".join(titles)))
            if cov > best[0]:
                best = (cov, None, [self._section_item(sec, p) for sec, p in children.items()])
        return best[1], best[2]

    @staticmethod
    def _section_item(sec: tuple[str, ...], p: Passage) -> Statement:
        """One section as a list item: its text when that opens with the heading ("1.坚持全面创新。…",
        "(一)……；"), else the heading named and how its text begins."""
        if normalize(p.text).startswith(normalize(sec[-1])):
            end = p.text.find("。")
            return Statement(p, 0, end + 1 if 0 < end <= 40 else _clause_end(p.text), 1.0)
        return Statement(p, 0, _clause_end(p.text), 1.0, label=sec[-1])

    def inline_items(self, lead: Statement) -> list[Statement]:
        """The items numbered inside the lead's paragraph right after it ("（1）……（2）……", "①……②……",
        "一是……二是……"), counted from 1 in one style: each one's first clause, up to the next. A long
        paragraph is cut into several passages: the count goes on into the next ones of the section."""
        p = lead.passage
        first = INLINE_ITEM.match(p.text[lead.end :].lstrip())
        if first is None:
            return []
        style = first.lastindex or 0
        marks: list[tuple[Passage, int]] = []
        for o in [p, *self.after(p)[:LEAD_ITEMS_MAX]]:
            if o.section != p.section or len(marks) >= LEAD_ITEMS_MAX:
                break
            before = len(marks)
            for m in INLINE_ITEM.finditer(o.text, lead.end if o is p else 0):
                if m.lastindex == style and _ordinal(m.group(style)) == len(marks) + 1:
                    marks.append((o, m.start()))
                    if len(marks) >= LEAD_ITEMS_MAX:
                        break
            if o is not p and len(marks) == before:
                break  # the numbering did not go on here
        if len(marks) < 2:
            return []
        out = []
        for i, (o, start) in enumerate(marks):
            nxt = marks[i + 1] if i + 1 < len(marks) else None
            end = nxt[1] if nxt is not None and nxt[0] is o else len(o.text)
            out.append(Statement(o, start, start + _clause_end(o.text[start:end]), 1.0))
        return out

    def announced_items(self, lead: Statement) -> list[Statement]:
        """The items a lead announces by count and name ("全力打造“六大产业集群”。"), when the sentences after
        it in its section name them one by one as short headings that end in that name ("打造数智产业集群。
        …… 打造酱香白酒产业集群。"), with body text between them. Work reports list their "N大X" so."""
        m = ANNOUNCED.search(lead.text)
        if m is None:
            return []
        n, noun = _ordinal(m.group(1)), m.group(2)
        p = lead.passage
        out: list[Statement] = []
        for o in [p, *self.after(p)[:LEAD_ITEMS_MAX]]:
            if o.section != p.section:
                break
            start = lead.end if o is p else 0
            for s in re.finditer(r"[^。！？\n]+[。！？]?", o.text[start:]):
                text = s.group().strip()
                if (
                    len(text) <= ANNOUNCED_ITEM_CHARS
                    and text.rstrip("。！？").endswith(noun)
                    and m.group(0) not in text
                ):
                    out.append(Statement(o, start + s.start(), start + s.end(), 1.0))
            if len(out) >= n:
                break
        return out[:n] if len(out) == n else []

    def card_statements(self, fields: list[str], q: Query, hits: list[Hit]) -> list[Statement]:
        """The card facts a question about the document asks for, quoted from where the document states
        them; [] when the card lacks them (then the body is searched as for any question)."""
        if q.scope is not None:  # the document chosen for the question, or the one it was asked of
            doc = q.scope.doc
        else:
            doc = q.docs[0] if q.docs else (hits[0].passage.doc if hits else "")
        card = self.cards.get(doc)
        if card is None:
            return []
        if "effective" in fields and card.effective is None and card.period is not None:
            # A plan without a closing "本规划自……起施行" clause runs for its period: "（2017-2020年）".
            fields = [f if f != "effective" else "period" for f in fields]
        found: list[Field] = []
        for name in fields:
            value = getattr(card, name)
            found += list(value) if isinstance(value, tuple) else [value] if value is not None else []
        if not found:
            return []
        by_passage: dict[str, list[Field]] = {}
        for f in found:
            by_passage.setdefault(f.passage_id, []).append(f)
        out = []
        for pid, fs in by_passage.items():
            p = self.index.by_id.get(pid)
            if p is None:
                continue
            s, e = min(f.start for f in fs), max(f.end for f in fs)
            if fields in (["attachments"], ["outline"]):
                # An attachment or part is named by its heading, which no passage text holds (facts.attachments).
                out += [Statement(p, f.start, f.end, 1.0, label=f.value) for f in fs]
            elif e - s <= META_SPAN_MAX:
                out.append(Statement(p, s, e, 1.0))
            else:
                out += [Statement(p, f.start, f.end, 1.0) for f in fs]
        return out

    def profile(self, entity: Entity, best: Unit) -> list[Statement]:
        """Every box entry of one entity, in document order (at most PROFILE_MAX)."""
        entries = [p for p in self.doc_passages(best.passage.doc) if p.entity == entity.name]
        return [Statement(p, 0, len(p.text), 1.0, label=p.section[-1]) for p in entries[:PROFILE_MAX]]

    @staticmethod
    def with_note(st: Statement, norm_q: str) -> Statement:
        """The statement and the note after it ("……下放至自贸试验区。（负责部门：住房城乡建设部）") when
        the question asks for a body or a place, which the note names."""
        note = RESPONSIBLE.match(st.passage.text, st.end) if ASKS_BODY.search(norm_q) else None
        return replace(st, end=note.end()) if note else st

    def parallel(self, units: list[Unit], best: Unit) -> list[Statement]:
        """The same measure stated again for another place or body, in another passage ("支持郑州机场利用
        第五航权……", "支持西安机场利用第五航权……"): for a list question, each is one of the answers.
        Told by their wording: character bigrams shared with the best sentence (Jaccard ≥ PARALLEL)."""
        mine = set(bigrams(best.text))
        seen = {normalize(best.text)}
        out: list[Statement] = []
        for u in units[1:CANDIDATES]:
            theirs = set(bigrams(u.text))
            if (
                u.passage is not best.passage
                and normalize(u.text) not in seen
                and u.cov >= self.min_evidence
                and len(mine & theirs) >= PARALLEL * len(mine | theirs)
            ):
                seen.add(normalize(u.text))
                out.append(Statement(u.passage, u.start, u.end, u.score))
        return out[: LEAD_ITEMS_MAX - 1]

    def sanction_lead(self, best: Unit, states: re.Pattern[str]) -> Statement | None:
        """For a consequence (or figure) question whose best span is an item without a sanction (a figure),
        the lead of the article or section it is an item of, when that lead states one (`states`:
        SANCTION_S or FIGURE) and points below (FOLLOWING: "有下列情形之一的"); None otherwise."""
        p = best.passage
        if len(p.section) < 2 or states.search(_full_sentence(p.text, best.start, best.end)):
            return None
        parent = p.section[:-1]
        for o in reversed(
            self.doc_passages(p.doc)[: self.index.position[p.id] - self.index.doc_rows[p.doc][0]]
        ):
            if o.section != parent:
                continue
            if FOLLOWING.search(o.text) and states.search(o.text):
                return Statement(o, 0, len(o.text.rstrip()), best.score)
            return None
        return None

    def later_asks(self, q: Query, norm_q: str, units: list[Unit], said: list[Statement]) -> list[Statement]:
        """For a question asking twice ("……多少日内办结？最多能延长多久？"), a sentence for each later ask that
        the answer so far leaves open: the best-ranked one holding LATER_ASK_COVERAGE of that clause's words
        (and a figure, when the clause asks for one)."""
        clauses = [c for c in re.split(r"[？?；;，,]", norm_q) if ASK_CLAUSE.search(c)]
        out: list[Statement] = []
        for clause in clauses[1:]:
            terms = tuple(t for t in q.terms if any(f in clause for f in t.forms))
            text = normalize(" ".join(st.text for st in [*said, *out]))
            if not terms or coverage(terms, text) >= LATER_ASK_COVERAGE:
                continue
            figure = asks_figure(clause)
            for u in units[1:CANDIDATES]:
                if any(u.passage is st.passage and st.start <= u.start < st.end for st in [*said, *out]):
                    continue
                if coverage(terms, normalize(u.text)) >= LATER_ASK_COVERAGE and (
                    not figure or has_figure(u.text)
                ):
                    out.append(Statement(u.passage, u.start, u.end, u.score))
                    break
        return out

    def complement(self, q: Query, units: list[Unit], best: Unit) -> list[Statement]:
        """A second sentence for a two-part question ("建立什么制度、设立什么基金？") that the first leaves open."""
        said = normalize(self.retriever.frames.get(best.passage.id, "") + best.text)
        missing = tuple(t for t in q.terms if not term_found(t, said))
        if not missing or sum(t.weight for t in missing) < 0.3 * sum(t.weight for t in q.terms):
            return []
        for u in units[1:6]:
            if u.passage is best.passage and (u.start, u.end) == (best.start, best.end):
                continue
            if (
                coverage(missing, normalize(u.text)) >= 0.6
                and u.cov >= self.min_evidence
                and u.score > 0.6 * best.score
            ):
                return [Statement(u.passage, u.start, u.end, u.score)]
        return []

    def compose(
        self,
        statements: list[Statement],
        standalone: str,
        intro: str = "",
        lead: bool = False,
        inline: bool = False,
    ) -> Answer:
        """The answer text and its citations. lead: statements[0] announces the rest (its items, one a line);
        inline: the intro (a count) goes on the same line as a single statement."""
        citations: list[Citation] = []
        index_of: dict[str, int] = {}
        parts = []
        for st in statements:
            p = st.passage
            if p.id not in index_of:
                index_of[p.id] = len(citations) + 1
                citations.append(Citation(p.id, p.doc, p.section_path, p.text, st.score, (st.start, st.end)))
            # A quote cut inside its sentence says so, so a reader never takes it for the whole.
            more = "……" if st.label and st.text and not st.text.endswith(("。", "！", "？")) else ""
            label = st.label + ("：" if st.text else "") if st.label else ""
            parts.append(f"{label}{st.text}{more}[{index_of[p.id]}]")
        if inline and len(parts) == 1:
            text = intro + parts[0]
        elif lead:
            text = (intro + "\n" if intro else "") + parts[0] + "\n" + "\n".join(parts[1:])
        elif len(parts) == 1 and not intro:
            text = parts[0]
        elif all(heading_marker(p) or ATTACHMENT.match(p) for p in parts):
            # Items that carry their own numbers ("1.坚持全面创新。", "（二）……") are not numbered again.
            text = (intro or messages.LIST_INTRO) + "\n" + "\n".join(parts)
        else:
            text = (
                (intro or messages.LIST_INTRO)
                + "\n"
                + "\n".join(f"{i}. {part}" for i, part in enumerate(parts, 1))
            )
        return Answer(answer=text, found=True, citations=tuple(citations), question=standalone)

    def not_found(self, reason: str, hits: list[Hit], standalone: str) -> Answer:
        """Say plainly that the plan does not answer, and name the nearest sections."""
        nearest: list[Citation] = []
        for h in hits[:2]:
            if h.passage.section_path not in [n.section for n in nearest]:
                p = h.passage
                nearest.append(Citation(p.id, p.doc, p.section_path, p.text, h.score))
        text = reason
        if nearest:
            text += messages.NEAREST.format(sections="；".join(c.section.split(" › ")[-1] for c in nearest))
        return Answer(answer=text, found=False, citations=tuple(nearest), question=standalone)


def _weigh(terms: tuple[Term, ...], kind_word: str) -> tuple[Term, ...]:
    """The terms, the one that starts the list question's asked kind weighed by KIND_FACTOR."""
    if not kind_word:
        return terms
    return tuple(
        replace(t, weight=t.weight * KIND_FACTOR) if kind_word.startswith(t.word) else t for t in terms
    )


def _card_year(card: Card) -> int | None:
    """The first year in a document's date, else in its title; None when neither has one."""
    for f in (card.date, card.title):
        if f is not None and (m := YEAR_IN_Q.search(f.value)):
            return int(m.group(1))
    return None


def _dense_closeness(hit: Hit) -> float:
    """1 for the passage nearest the question's vector, falling to 0 at DENSE_SPAN below it (0: no vector).

    A paraphrase shares few words with the sentence that answers it; its passage is still the
    nearest by meaning, so a sentence of that passage gets a share of the span score."""
    sim = hit.why.get("dense_sim")
    if sim is None:
        return 0.0
    top = hit.why.get("dense_top", sim) or sim
    return max(0.0, 1.0 - (top - sim) / DENSE_SPAN)


# A phrase a question quotes: “主要任务”, "落实各方责任".
QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,24})[”\"」』]")
# A heading title a list question writes unquoted names its section only when this long: "保障措施", "主要任务";
# a two-character title ("目标", "原则") is a word any question may use.
NAMED_TITLE_MIN = 4
# What may follow the asked thing at a question's end: "……的保障措施？", "……主要任务有哪些？".
ASKED_LAST = re.compile(
    r"(?:都|主要|分别|具体)?(?:有哪些|包括哪些|包括什么|有什么|是什么|是哪些)?(?:内容|方面)?[?？]?"
)


def _asked_doc(q: Query, hits: list[Hit]) -> str:
    """The document a question is asked of: its scope's, else the best hit's ("" with neither)."""
    return q.scope.doc if q.scope is not None else hits[0].passage.doc if hits else ""


def _asked_last(title: str, norm_q: str) -> bool:
    """Whether a normalised question ends on asking for `title` ("……加强高新区的保障措施？")."""
    at = norm_q.rfind(title)
    return at >= 0 and ASKED_LAST.fullmatch(norm_q[at + len(title) :]) is not None


def _unnumbered_title(title: str) -> str:
    """A heading without its number and without the text an inline heading runs on with: "五、落实各方责任"
    -> "落实各方责任", "（一）坚持深化改革，简政放权。" -> "坚持深化改革"."""
    marker = heading_marker(title)
    rest = title[marker[1] :] if marker else title
    return re.split(r"[，,。：:]", rest.strip(), maxsplit=1)[0].strip()


def _enumerated(text: str, head: str = "", nouns: tuple[str, ...] = ()) -> int:
    """How many items a clause of `text` enumerates after a word that announces a list (分为, 包括, ：),
    before the 等 that closes one, before the `head` noun they all qualify (the counted noun of the
    question: "遵循尊重自然、……、综合利用的原则" for 几项原则) or a noun of the question (`nouns`: "提出合法、
    不合法、应当予以修改的书面审核意见" for 审核意见分为几种情形), or items opening on one word ("稳就业、
    稳企业、稳市场、稳预期"); 0 when no clause does.

    Example: _enumerated("服务包分为免费服务包、基本服务包及个性化服务包，实行分类签约") -> 3
    """
    best = 0
    for clause in re.split(r"[，,。；;！？]", text):
        if clause.count("、") < 1:
            continue
        first = clause.index("、")
        verbs = list(ENUM_VERB.finditer(clause[:first]))
        items = clause[verbs[-1].end() :].split("、") if verbs else clause.split("、")
        # The last item may join two with 和/及 ("……服务包及个性化服务包"): counted as two.
        joined = len(items) - 1 + len([x for x in ENUM_LAST.split(items[-1]) if x])
        if verbs:
            n = joined
        elif "等" in items[-1]:
            n = len(items)  # "开展智能化制造、……、数字化管理等新模式": 等 closes the list
        elif (
            any(_qualifies(items[-1], h) for h in (head, *nouns))
            or _shared_head(items)
            or _shared_lead(items)
        ):
            # "遵循尊重自然、统筹规划、……、综合利用的原则": the list qualifies the noun counted;
            # "建设成为绿色生态宜居新城区、创新驱动发展引领区、协调发展示范区、开放发展先行区": items of one kind.
            n = joined
        else:
            continue  # "可复制、可推广的新模式": no word says a list follows
        best = max(best, n)
    return best if best >= 2 else 0


def _with_rule(text: str, rule: str) -> str:
    """An item's text with the rule announcing its list before it when only the rule states a figure
    ("有下列行为之一的，……处20万元以上100万元以下的罚款：" + "（一）未取得排污许可证排放污染物；")."""
    return text if has_figure(text) or not rule else rule + text


def _shared_head(items: list[str]) -> bool:
    """Whether 、-separated items name things of one kind by their last word: three or more whose last
    character is the same ("……城区、……引领区、……示范区"), or two whose last two are ("……中心、……中心"). The
    last item may carry a tail ("……先行区，努力打造"): it only has to contain that word."""
    ends = [x.strip() for x in items[:-1]]
    if not ends or any(len(x) < 3 or not "\u4e00" <= x[-1] <= "\u9fff" for x in ends):
        return False
    if len(items) >= 3 and len({x[-1] for x in ends}) == 1:
        return ends[0][-1] in items[-1]
    return len({x[-2:] for x in ends}) == 1 and ends[0][-2:] in items[-1]


def _defines(text: str, norm_q: str, focus: tuple[Term, ...]) -> bool:
    """Whether a normalised sentence defines a term the question asks about: the defined term ("本办法所称
    子女，是指" → 子女) is written in the question, or holds one of its focus words."""
    m = DEFINES_S.search(ARTICLE.sub("", text).strip())
    term = next((g for g in m.groups() if g), "") if m else ""
    term = re.sub(r"^.*所称|^(?:本|该)?(?:条例|办法|规定|细则|意见|通知|方案|决定|法)", "", term)
    return bool(term) and (term in norm_q or any(t.word in term for t in focus if len(t.word) >= 2))


@lru_cache(maxsize=1024)
def _enumerates_pattern(subjects: tuple[str, ...]) -> re.Pattern[str]:
    """ENUMERATES after any of the (escaped) subject forms, compiled once per focus (units and answer ask)."""
    return re.compile(f"(?:{'|'.join(subjects)})" + ENUMERATES)


def _qualifies(item: str, head: str) -> bool:
    """Whether an enumeration's last item ends on the noun `head` that the items qualify, after a character
    of its own ("综合利用的原则" for 原则; not "原则" alone)."""
    rest = item[: -len(head)] if head and item.endswith(head) else ""
    return bool(rest) and "\u4e00" <= rest[-1] <= "\u9fff"


def _other_grade(norm_q: str, text: str) -> bool:
    """Whether a span names grades of the kind the question asks about ("三级", "第二类"), never the asked
    one nor a range that could hold it ("1-5级"): it speaks of another grade."""
    asked = GRADE.findall(norm_q)
    if len(asked) != 1 or re.search(r"[-—~～至]", asked[0]):
        return False
    named = [g for g in GRADE.findall(text) if g[-1] == asked[0][-1]]
    return bool(named) and asked[0] not in named and not any(re.search(r"[-—~～至]", g) for g in named)


def _inner_lead(text: str, start: int) -> str:
    """The lead a sentence continues within its paragraph, normalised: "今年经济社会发展的主要预期目标是：" for
    "粮食产量513万吨以上；" in "……主要预期目标是：全省地区生产总值增长5%左右；……；粮食产量513万吨以上；". The run
    after a colon goes on to the paragraph's first full stop; "" when the sentence follows none."""
    colon = max(text.rfind("：", 0, start), text.rfind(":", 0, start))
    if colon < 0 or "。" in text[colon:start]:
        return ""
    begin = max(text.rfind(c, 0, colon) for c in "。！？\n") + 1
    return normalize(text[begin : colon + 1])


def _shared_lead(items: list[str]) -> bool:
    """Whether three or more 、-separated items open on the same character, short enough to be one verb's
    objects ("着力稳就业、稳企业、稳市场、稳预期"); the first item carries what precedes the list, so only
    its end (as long as the longest other item) is read."""
    rest = [x.strip() for x in items[1:]]
    if len(items) < 3 or any(not x or len(x) > SHARED_LEAD_CHARS for x in rest):
        return False
    lead = rest[0][0]
    first = items[0].strip()[-max(len(x) for x in rest) :]
    return "\u4e00" <= lead <= "\u9fff" and all(x[0] == lead for x in rest) and lead in first


def _ordinal(mark: str) -> int:
    """The number an inline item mark stands for: "3" -> 3, "③" -> 3, "十二" -> 12; 0 when none."""
    if mark.isdigit() and mark.isascii():
        return int(mark)
    if len(mark) == 1 and "①" <= mark <= "⑳":
        return ord(mark) - ord("①") + 1
    return cn_value(mark)


def _stated(count: str) -> int:
    """The number a count statement gives ("六个方面" → 6, "10项" → 10)."""
    m = re.match(r"\d+|[一二两三四五六七八九十百]+", count)
    return 0 if m is None else int(m.group()) if m.group().isdigit() else cn_value(m.group())


def _announces(text: str) -> bool:
    """A lead that announces items: it ends on a colon, or says how many follow."""
    return text.endswith(("：", ":")) or _lead_counts(text)


def _lead_counts(text: str) -> bool:
    """A lead says how many items follow ("重点抓好八个方面工作"); its article number counts nothing ("第十七条")."""
    return _states_count(ARTICLE.sub("", text))


def _states_count(text: str) -> bool:
    """The span says how many itself ("等4个方面", "两级", "五类")."""
    return bool(re.search(r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:个|项|类|种|级|条|大|件|方面)", text))


def _brackets(text: str) -> dict[str, int]:
    """Each figure of a normalised text bounded by a comparator, with its direction (+1 above, -1 below).

    Example: _brackets("单户500万元及以下的业务") -> {"500万元": -1}"""
    return {m.group(1): (1 if m.group(2) in ABOVE else -1) for m in BRACKET.finditer(text)}


def _bracket_agreement(asked: dict[str, int], text: str) -> int:
    """+1 when the text bounds an asked figure the way the question does, -1 the other way, else 0:
    "500万元及以下的收费" asked, "500万元以上的……收费" is the other bracket of the same rule."""
    if not asked:
        return 0
    said = _brackets(text)
    votes = [asked[f] * said[f] for f in asked if f in said]
    return (1 if sum(votes) > 0 else -1) if votes and sum(votes) else 0


def _count_word(n: int) -> str:
    """A count before its measure word: two is 两 ("共两条"), not 二; otherwise _cn_number."""
    return "两" if n == 2 else _cn_number(n)


def _cn_number(n: int) -> str:
    """A count in Chinese numerals, so that it is never taken for a figure of the plan: 5 -> "五", 53 -> "五十三"."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(n)


def _names_any(entities: tuple[Entity, ...], text: str) -> bool:
    return any(mentions(e, text) for e in entities)


def _clause_end(text: str, limit: int = CLAUSE_MAX) -> int:
    """Where the first sentence ends, or the last comma before `limit` when it runs longer.

    Example: _clause_end("充分发挥……的作用，统筹规划……") -> the offset after the first "，" past 10 characters
    """
    stop = text.find("。")
    if 0 < stop < limit:
        return stop + 1
    cut = max(text.rfind(mark, 0, limit) for mark in "，；、")
    return cut + 1 if cut > 10 else min(len(text), limit)


def _run_end(text: str, start: int, end: int) -> int:
    """Where a span that opens a run of items after its colon ends: the run's full stop. "（一）知识产权保护方面
    5项：……“三合一”审判；……；……机制。" is one list, cut at its first ； into sentences; `end` otherwise."""
    span = text[start:end]
    if not re.search(r"[：:]", span) or not span.endswith(("；", ";")):
        return end
    stop = text.find("。", end)
    return stop + 1 if stop != -1 and "\n" not in text[end:stop] else end


def _full_sentence(text: str, start: int, end: int) -> str:
    """The 。-delimited sentence around text[start:end] (clauses split at ； share its time cues)."""
    s = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    e = text.find("。", end - 1)
    return text[s : e + 1 if e != -1 else len(text)]


def _about(p: Passage, text: str, entities: tuple[Entity, ...], known: list[Entity]) -> float:
    """How squarely a sentence is about the asked entity: its own entry, its full name, a short name,
    one name of an enumeration of the corpus's `known` entities, or not at all."""
    if p.entity in {e.name for e in entities}:
        return 0.3
    if not _names_any(entities, text):
        return -0.4
    if sum(mentions(e, text) for e in known) >= 3:
        return 0.0  # one name in an enumeration ("抚顺、丹东、铁岭……") says little about that one
    norm = normalize(text)
    if any(normalize(e.name) in norm for e in entities):
        return 0.2
    return 0.1
