"""Text handling: normalisation, jieba words with a corpus dictionary, character bigrams.

jieba lives only here. Everything that compares a question with a passage
goes through `normalize` first, so full-width forms, traditional characters
and letter case never decide a match.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import jieba
import jieba.posseg
import opencc
from pypinyin import lazy_pinyin

jieba.setLogLevel(logging.WARNING)

CJK = r"\u4e00-\u9fff"
_T2S = opencc.OpenCC("t2s")
_T2S_LOCK = threading.Lock()

# Function words and question frames: they say what kind of answer is wanted,
# not what it is about, so they must not count as evidence.
STOPWORDS = frozenset(
    """的 了 和 与 及 或 是 在 对 将 把 被 为 以 于 其 之 等 个 要 有 也 都 就 而 并 又 吗 呢 吧 啊 呀 嘛 么
    什么 哪些 哪个 哪里 哪儿 多少 几 几个 几家 如何 怎么 怎样 怎么样 为何 为什么 是否 有没有 请问 请 告诉 我 我们 你 你们
    一下 一些 这个 那个 这些 那些 这 那 它 它们 其中 该 此 能 可以 会 应该 需要 具体 主要 分别 呀 啦 哦 一共 总共 还 呢 吗
    规划 本规划 提到 提出 说 讲 问 内容 方面 情况 相关 关于 对于 里 中 上 下 年 到 达到
    the a an of to in on for and or is are was were be what which how many much does do did by with at
    plan plans about please tell me
    现在 目前 眼下 现阶段 现有 当前 如今 规划期 规划期内 规划期末 期末 计划 打算 准备 得 整 搞 弄 搞到 整出 来 去 啥 咋 多大
    都 有啥 是啥 几成 还是 一下子 大概 大约 左右 这块 这方面 那块 哪几类 哪几个 哪几 几类 几只 几项 哪类 哪一 怎么办""".split()
)
# Words that mean the same in planning language. Used to expand questions, never passages.
# Each group is a set of interchangeable terms; the first member is the plan's usual wording.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("科学研究与试验发展", "研发", "r&d", "研究与试验发展"),
    ("高新技术企业", "高企", "高新企业", "高科技企业"),
    ("大众创业万众创新", "双创"),
    ("高新园区", "高新区"),
    ("沈大国家自主创新示范区", "沈大自创区", "自创区"),
    ("比重", "占比", "比例", "份额", "百分比"),
    ("地区生产总值", "gdp", "生产总值"),
    ("主导产业", "主导发展产业", "支柱产业", "主要产业", "重点产业"),
    ("人才", "人员", "专家"),
    ("基金", "资金"),
    ("孵化器", "孵化载体"),
    ("上市企业", "上市公司"),
    ("企业", "公司"),
    ("保障措施", "保障"),
    ("农业", "农村"),
    ("主导", "主攻", "为主"),
)
# English words that carry no topic; any other English word a glossary does not know counts as unknown content.
EN_STOPWORDS = frozenset(
    """the a an of to in on for and or is are was were be been being what which how many much does do did by with at
    from that this these those it its their there here as into than then will would should shall can could may might
    must has have had not no yes please tell me about plan plans planning according under over per each every all
    any some more most less least why when where who whom whose currently today now set up set-up reach reached
    achieve achieved become account accounts expected supposed going get got make made take give given main key
    s liaoning's""".split()
)
# A small English glossary of planning vocabulary, so English questions reach Chinese text lexically too.
EN_GLOSSARY: dict[str, str] = {
    "r&d": "科学研究与试验发展 研发",
    "research and development": "科学研究与试验发展 研发",
    "gdp": "GDP",
    "high-tech zone": "高新区",
    "high-tech zones": "高新区",
    "hi-tech zone": "高新区",
    "zone": "高新区",
    "zones": "高新区",
    "park": "园区",
    "parks": "园区",
    "high-tech enterprise": "高新技术企业",
    "high-tech enterprises": "高新技术企业",
    "enterprise": "企业",
    "enterprises": "企业",
    "company": "企业",
    "companies": "企业",
    "listed": "上市",
    "target": "目标 达到",
    "targets": "目标 达到",
    "goal": "目标",
    "goals": "目标",
    "share": "比重",
    "proportion": "比重",
    "percentage": "比重",
    "leading industries": "主导产业",
    "leading industry": "主导产业",
    "main industries": "主导产业",
    "industry": "产业",
    "industries": "产业",
    "cluster": "产业集群",
    "clusters": "产业集群",
    "money": "资金 万元 亿元",
    "fund": "基金",
    "funds": "基金",
    "talent": "人才",
    "talents": "人才",
    "team": "团队",
    "teams": "团队",
    "incubator": "孵化器",
    "incubators": "孵化器",
    "maker space": "众创空间",
    "maker spaces": "众创空间",
    "alliance": "联盟",
    "alliances": "联盟",
    "laboratory": "实验室",
    "laboratories": "实验室",
    "lab": "实验室",
    "labs": "实验室",
    "platform": "平台",
    "platforms": "平台",
    "national": "国家级",
    "provincial": "省级",
    "principle": "原则",
    "principles": "原则",
    "guiding": "指导思想",
    "positioning": "定位",
    "task": "任务",
    "tasks": "任务",
    "finance": "金融",
    "financial": "金融",
    "bank": "银行",
    "banks": "银行",
    "patent": "专利",
    "patents": "专利",
    "area": "面积",
    "square kilometers": "平方公里",
    "square kilometres": "平方公里",
    "innovation": "创新",
    "entrepreneurship": "创业",
    "cooperation": "合作",
    "international": "国际",
    "green": "绿色",
    "intelligent manufacturing": "智能制造",
    "internet plus": "互联网＋",
    "agriculture": "农业",
    "agricultural": "农业",
    "grain": "粮食",
    "farmland": "农田",
    "rural": "乡村",
    "farmers": "农民",
    "income": "收入",
    "output": "产值 产量",
    "investment": "投资",
    "safeguard": "保障措施",
    "safeguards": "保障措施",
    "assessment": "考核",
    "evaluation": "评价 考核",
    "how many": "多少",
    "how much": "多少",
    "by 2020": "到2020年",
    "by 2025": "到2025年",
}
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?%?")
# Some published plans carry invisible private-use code points (e.g. around "6＋4"); they never mean anything.
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def normalize(text: str) -> str:
    """Fold width, traditional characters and case so equal meaning compares equal.

    Example: normalize("高新區ＧＤＰ　２．８％") -> "高新区gdp 2.8%"
    """
    text = unicodedata.normalize("NFKC", PRIVATE_USE.sub("", text))
    with _T2S_LOCK:  # the OpenCC converter object is not documented as thread-safe
        text = _T2S.convert(text)
    return text.lower()


def bigrams(text: str) -> list[str]:
    """Character bigrams of each CJK run plus whole ASCII words and numbers, over normalised text.

    Example: bigrams("研发经费2.8%") -> ["研发", "发经", "经费", "2.8%"]
    """
    out: list[str] = []
    for run in re.findall(rf"[{CJK}]+|[a-z0-9]+(?:[.%][0-9a-z%]*)*", normalize(text)):
        if re.match(rf"[{CJK}]", run):
            out.extend(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.append(run)
        else:
            out.append(run)
    return out


def pinyin(text: str) -> str:
    """Example: pinyin("葫芦岛") -> "huludao" """
    return "".join(lazy_pinyin(text)).lower()


def is_cjk(text: str) -> bool:
    return bool(re.search(rf"[{CJK}]", text))


class Segmenter:
    """jieba words with a dictionary built from the corpus (zone names, quoted terms, headings).

    A private jieba.Tokenizer keeps two corpora in one process from sharing a dictionary.
    """

    def __init__(self, lexicon: Iterable[str] = ()) -> None:
        self.lexicon = sorted({normalize(w) for w in lexicon if 2 <= len(w) <= 20})
        self._tok = jieba.Tokenizer()
        self._tok.initialize()
        for word in self.lexicon:
            self._tok.add_word(word, freq=20000)
        for group in SYNONYM_GROUPS:
            for word in group:
                if is_cjk(word):
                    self._tok.add_word(word, freq=20000)
        self._pos = jieba.posseg.POSTokenizer(self._tok)
        self._lock = threading.Lock()  # jieba's lazy structures are not safe to build concurrently

    def cut(self, text: str) -> list[str]:
        """All jieba words of normalised text, stopwords kept, punctuation dropped."""
        with self._lock:
            words = self._tok.lcut(normalize(text))
        return [w for w in (w.strip() for w in words) if w and re.search(rf"[{CJK}a-z0-9]", w)]

    def words(self, text: str) -> list[str]:
        """Content words for BM25: jieba words minus stopwords.

        Example: words("阜新高新区主导产业是什么？") -> ["阜新高新区", "主导产业"]
        """
        return [w for w in self.cut(text) if w not in STOPWORDS]

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech flag) pairs of normalised text, punctuation dropped."""
        with self._lock:
            pairs = [(p.word, p.flag) for p in self._pos.cut(normalize(text))]
        return [(w, f) for w, f in pairs if w.strip() and re.search(rf"[{CJK}a-z0-9]", w)]

    def places(self, text: str) -> dict[str, str]:
        """Pinyin of every place name in `text`, so "Liaoning" finds 辽宁. Example: {"liaoning": "辽宁"}"""
        out: dict[str, str] = {}
        for word, flag in self.tagged(text):
            if flag == "ns" and is_cjk(word) and 2 <= len(word) <= 4:
                out.setdefault(pinyin(word), word)
        return out

    def names(self, text: str) -> list[str]:
        """Place and organisation names jieba tags in `text` (ns/nt), to spot places a plan never mentions.

        Person names (nr) are left out: jieba gives that tag to too many ordinary words.
        """
        with self._lock:
            pairs = list(self._pos.cut(normalize(text)))
        return [p.word for p in pairs if p.flag in ("ns", "nt") and len(p.word) >= 2]


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            index[word] = group
    return index


def synonyms(word: str) -> tuple[str, ...]:
    """Other words for `word` in planning language. Example: synonyms("研发")[0] == "科学研究与试验发展" """
    group = _synonym_index().get(normalize(word), ())
    return tuple(w for w in group if w != normalize(word))


def expand_query(text: str) -> str:
    """Append synonyms and English-glossary translations of a question's terms.

    Example: expand_query("研发经费占比") contains "科学研究与试验发展" and "比重".
    """
    norm = normalize(text)
    extra: list[str] = []
    for word, group in _synonym_index().items():
        if word in norm:
            extra.extend(w for w in group if w != word)
    if re.search(r"[a-z]{3,}", norm):
        for en, zh in EN_GLOSSARY.items():
            if re.search(rf"(?<![a-z]){re.escape(en)}(?![a-z])", norm):
                extra.append(zh)
    return text if not extra else text + " " + " ".join(dict.fromkeys(extra))
