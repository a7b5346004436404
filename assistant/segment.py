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

from .glossary import EN_GLOSSARY, colloquial, divisions

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
    今年 去年 明年 上年 本年度 现在 目前 眼下 现阶段 现有 当前 如今 规划期 规划期内 规划期末 期末 计划 打算 准备 得 整 搞 弄 搞到 整出 来 去 啥 咋 多大
    都 有啥 是啥 几成 还是 规模 多大规模 水平 程度 一下子 大概 大约 左右 这块 这方面 那块 哪几类 哪几个 哪几 几类 几只 几项 哪类 哪一 怎么办
    多久 多长 多长时间 多高 多远 多重 多宽 多深 多快 何时 啥时候 什么样 啥样 怎么弄 咋办 谁
    这份 这部 这项 这次 这条 这种 这类 那份 那部 该项 本次""".split()
)


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Chinese words of no topic from the stopwords-iso list (MIT; pronouns, conjunctions, adverbs, particles:
    自己, 以后, 要是, 大家): written for any text, not from this project's questions. STOPWORDS drop a word
    everywhere; these only excuse a word the text never uses from counting as something the plan lacks."""
    import stopwordsiso  # type: ignore[import-untyped]

    return frozenset(
        w for w in stopwordsiso.stopwords("zh") if w and all("\u4e00" <= c <= "\u9fff" for c in w)
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
    ("标准", "门槛", "条件", "要求"),
    ("数量", "总数", "个数", "家数"),
)
# English words that carry no topic; any other English word a glossary does not know counts as unknown content.
EN_STOPWORDS = frozenset(
    """the a an of to in on for and or is are was were be been being what which how many much does do did by with at
    from that this these those it its their there here as into than then will would should shall can could may might
    must has have had not no yes please tell me about plan plans planning according under over per each every all
    any some more most less least why when where who whom whose currently today now set up set-up reach reached
    achieve achieved become account accounts expected supposed going get got make made take give given main key
    s liaoning's receive receives received give gives provide provides offer offers want need needs
    plan planned plans intend intends aim aims expect put puts spend spends invest keep hold holds
    does doing done go goes going come comes see look find says said mention mentioned""".split()
)
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?%?")
# Some published plans carry invisible private-use code points (e.g. around "6＋4"); they never mean anything.
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Fold width, traditional characters and case so equal meaning compares equal.

    Cached: the same passage texts and headings are folded for every question.

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
            # A lone character is its own "bigram", so a one-character run still counts.
            out.extend(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
        else:
            out.append(run)
    return out


def pinyin(text: str) -> str:
    """Example: pinyin("葫芦岛") -> "huludao" """
    return "".join(lazy_pinyin(text)).lower()


def is_cjk(text: str) -> bool:
    return bool(re.search(rf"[{CJK}]", text))


TAG_CACHE = 4096  # tagged texts remembered per segmenter (questions, a few KB each); cleared when full


@lru_cache(maxsize=1)
def _jieba_base() -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's dictionary (word frequencies, their total) and part-of-speech table, loaded once per
    process; each Segmenter starts from copies and adds its own corpus's words."""
    tok = jieba.Tokenizer()
    tok.initialize()
    pos = jieba.posseg.POSTokenizer(tok)
    return tok.FREQ, tok.total, pos.word_tag_tab


class Segmenter:
    """jieba words with a dictionary built from the corpus (zone names, quoted terms, headings).

    A private jieba.Tokenizer keeps two corpora in one process from sharing a dictionary.
    """

    def __init__(self, lexicon: Iterable[str] = ()) -> None:
        self.lexicon = sorted({normalize(w) for w in lexicon if 2 <= len(w) <= 20})
        freq, total, tags = _jieba_base()
        self._tok = jieba.Tokenizer()
        # A copy of the one loaded dictionary instead of loading it again: ~30 ms instead of ~0.7 s,
        # which every sync (an upload to a running server too) paid for its new Segmenter.
        self._tok.FREQ, self._tok.total, self._tok.initialized = dict(freq), total, True
        for word in self.lexicon:
            self._tok.add_word(word, freq=20000)
        for group in SYNONYM_GROUPS:
            for word in group:
                if is_cjk(word):
                    self._tok.add_word(word, freq=20000)
        for word in colloquial():  # "养娃" is one word, so the question's term can be looked up
            self._tok.add_word(word, freq=20000)
        self._pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
        self._pos.tokenizer, self._pos.word_tag_tab = self._tok, dict(tags)
        self._lock = threading.Lock()  # jieba's lazy structures are not safe to build concurrently
        self._tag_cache: dict[str, tuple[tuple[str, str], ...]] = {}

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

    def words_with(self, texts: Iterable[str], extra: Iterable[str]) -> list[list[str]]:
        """`words` of each text with `extra` words added to the dictionary for this call only.

        A document is tokenised with the base dictionary plus its own terms, never another
        document's: its tokens then depend on nothing but itself, so adding or removing one
        document never re-tokenises the others (incremental indexing).
        """
        with self._lock:
            tok = self._tok
            saved: dict[str, int | None] = {}
            total = tok.total
            for word in {normalize(w) for w in extra if 2 <= len(w) <= 20}:
                saved[word] = tok.FREQ.get(word)
                tok.add_word(word, freq=20000)
            try:
                cuts = [tok.lcut(normalize(t)) for t in texts]
            finally:
                for word, old in saved.items():
                    # A word jieba did not know goes back to frequency 0, which its DAG skips.
                    tok.FREQ[word] = old if old is not None else 0
                tok.total = total
        keep = re.compile(rf"[{CJK}a-z0-9]")
        return [
            [w for w in (w.strip() for w in ws) if w and keep.search(w) and w not in STOPWORDS] for ws in cuts
        ]

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """(word, part-of-speech flag) pairs of normalised text, punctuation dropped."""
        return [
            (w, f) for w, f in self._pos_cut(normalize(text)) if w.strip() and re.search(rf"[{CJK}a-z0-9]", w)
        ]

    def _pos_cut(self, norm: str) -> tuple[tuple[str, str], ...]:
        """jieba's tagging of a normalised text, remembered: a question is tagged by retrieval and by
        the answerer, and the tagger's HMM for unknown words costs milliseconds (most of an answer's
        own work, measured with cProfile on the seed's golden questions)."""
        cached = self._tag_cache.get(norm)
        if cached is None:
            with self._lock:
                cached = tuple((p.word, p.flag) for p in self._pos.cut(norm))
            if len(self._tag_cache) >= TAG_CACHE:
                self._tag_cache.clear()
            self._tag_cache[norm] = cached
        return cached

    def places_in(self, words: Iterable[str]) -> dict[str, str]:
        """`places` for already segmented words, by the dictionary's tag alone (no tagging pass).

        Tagging costs ~10x a plain cut; at index time over hundreds of documents the dictionary
        tag of each word finds the same place names (jieba's dictionary tags them ns).
        """
        out: dict[str, str] = {}
        tags = self._pos.word_tag_tab
        for word in words:
            if tags.get(word) == "ns" and 2 <= len(word) <= 4 and is_cjk(word):
                out.setdefault(pinyin(word), word)
        return out

    def places(self, text: str) -> dict[str, str]:
        """Pinyin of every place name in `text`, so "Liaoning" finds 辽宁. Example: {"liaoning": "辽宁"}"""
        out: dict[str, str] = {}
        for word, flag in self.tagged(text):
            if flag == "ns" and is_cjk(word) and 2 <= len(word) <= 4:
                out.setdefault(pinyin(word), word)
        return out

    def names(self, text: str) -> list[str]:
        """Place and organisation names jieba tags in `text` (ns/nt), to spot places a plan never mentions.

        Person names (nr) are left out: jieba gives that tag to too many ordinary words. A word tagged
        as a place (ns) counts only if it names one of China's administrative divisions (glossary.divisions:
        "蚌埠市", "番禺", "哈尔滨"): jieba's tag also fires on "上山", "上门", "山区" and "东西", and a
        colloquial question is full of them ("上山点火烧东西"; 2 of 13 place vetoes on the tune and scale
        sets were such words, on questions the text answers). Organisations (nt: "中央财政") stay, less
        the words the lexicon renders in official words ("海归": returned overseas students).
        """
        known = self._pos.word_tag_tab
        return [
            w
            for w, f in self._pos_cut(normalize(text))
            if (
                f == "nt"
                and len(w) >= 2
                and not LOCATIVE.fullmatch(w)
                and not synonyms(w)
                # jieba's guess for a word it does not know ("按新证标准" → 新证) names an organisation only
                # when it ends like one ("……管理局").
                and (w in known or ORGAN_END.search(w) is not None)
            )
            or (f == "ns" and w in divisions())
        ]


ORGAN_END = re.compile(r"(?:局|委|部|院|厅|办|会|署|所|行|司|处|中心|集团|公司|大学|政府|银行)$")
# One character and a locative suffix: a place word used as "in the …" (镇里, 省里, 村上), never a name.
LOCATIVE = re.compile(r"\w[里上内]")


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            index[word] = group
    return index


def synonyms(word: str) -> tuple[str, ...]:
    """Other words for `word` in planning language, the official words for an everyday one included.

    Example: synonyms("研发")[0] == "科学研究与试验发展"; synonyms("房租") == ("租金",)
    """
    norm = normalize(word)
    group = _synonym_index().get(norm, ())
    return tuple(dict.fromkeys(w for w in (*group, *colloquial().get(norm, ())) if w != norm))


def translate(text: str) -> str:
    """Chinese planning terms for the English words of `text` (empty for Chinese text).

    Example: translate("What is the leading industry of the zone?") -> "主导产业 高新区"
    """
    return " ".join(" ".join(group) for group in translations(text))


@lru_cache(maxsize=1)
def _glossary_patterns() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """Each glossary phrase as a whole-word pattern with its renderings, longest phrases first."""
    return tuple(
        (re.compile(rf"(?<![a-z&-]){re.escape(en)}(?![a-z-])"), tuple(EN_GLOSSARY[en].split()))
        for en in sorted(EN_GLOSSARY, key=len, reverse=True)
    )


@lru_cache(maxsize=4096)
def translations(text: str) -> tuple[tuple[str, ...], ...]:
    """The glossary's renderings of each English phrase in `text`: alternatives, not a conjunction.

    Cached, and the patterns compiled once: a question's translations are asked for four times.
    Example: translations("a one-off subsidy") -> (("奖补", "补贴"), ("一次性",))  (longest phrases first)
    """
    norm = normalize(text)
    found: list[tuple[str, ...]] = []
    if re.search(r"[a-z]{2,}", norm):
        rest = norm
        # Longest phrases first, each consuming its words: "leading industry" before "industry".
        for pattern, renderings in _glossary_patterns():
            if pattern.search(rest):
                found.append(renderings)
                rest = pattern.sub(" ", rest)
    return tuple(found)


@lru_cache(maxsize=2)
def _key_order(table: str) -> tuple[dict[str, int], int]:
    """Each key of a lookup table with its place in the table, and the longest key's length."""
    keys = _synonym_index() if table == "synonyms" else colloquial()
    return {k: i for i, k in enumerate(keys)}, max(map(len, keys), default=0)


def _keys_in(norm: str, table: str) -> list[str]:
    """The table's keys that occur in `norm`, in the table's order: every substring looked up (a question
    holds a few hundred of them), not every key searched for (two thousand and more)."""
    order, longest = _key_order(table)
    found = {
        norm[i : i + n] for i in range(len(norm)) for n in range(1, longest + 1) if norm[i : i + n] in order
    }
    return sorted(found, key=order.__getitem__)


def expand_query(text: str) -> str:
    """Append synonyms and English-glossary translations of a question's terms.

    Example: expand_query("研发经费占比") contains "科学研究与试验发展" and "比重".
    """
    norm = normalize(text)
    extra: list[str] = []
    synonyms_of = _synonym_index()
    for word in _keys_in(norm, "synonyms"):
        extra.extend(w for w in synonyms_of[word] if w != word)
    everyday = colloquial()
    for word in _keys_in(norm, "colloquial"):
        extra.extend(everyday[word])
    english = translate(text)
    if english:
        extra.append(english)
    return text if not extra else text + " " + " ".join(dict.fromkeys(extra))
