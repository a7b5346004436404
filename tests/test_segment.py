"""Normalisation, jieba with a corpus dictionary, bigrams, synonyms and English glossary."""

from __future__ import annotations

from assistant.segment import Segmenter, bigrams, expand_query, normalize, pinyin, synonyms


def test_normalize_folds_width_traditional_case_and_private_use():
    assert normalize("高新區ＧＤＰ　２．８％") == "高新区gdp 2.8%"
    assert normalize("“6\ue0084”") == "“64”"


def test_bigrams():
    assert bigrams("研发经费2.8%") == ["研发", "发经", "经费", "2.8%"]


def test_lexicon_keeps_zone_names_whole():
    seg = Segmenter(["阜新高新区"])
    assert seg.words("阜新高新区主导产业是什么？") == ["阜新高新区", "主导产业"]


def test_place_names_for_unknown_places():
    seg = Segmenter()
    assert "浙江省" in seg.names("浙江省的高新区有多少个")
    assert seg.places("辽宁省和沈阳") == {"liaoningsheng": "辽宁省", "shenyang": "沈阳"}


def test_ordinary_words_jieba_tags_as_places_are_not_names():
    """jieba tags 镇里 ("in the town") and 海归 (returned overseas students) as places; a question
    using them must not be refused as asking about a place the plan never names."""
    seg = Segmenter()
    assert seg.names("街道和镇里要安排多少人？") == []
    assert seg.names("规划打算怎么吸引海归人才？") == []
    assert seg.names("大庆和镇里的目标是多少？") == ["大庆"]


def test_synonyms_and_expansion():
    assert synonyms("研发")[0] == "科学研究与试验发展"
    assert "高新技术企业" in expand_query("高企数量")
    english = expand_query("What is the leading industry of the zone?")
    assert "主导产业" in english and "高新区" in english


def test_pinyin():
    assert pinyin("葫芦岛") == "huludao"


def test_translations_are_alternatives_per_phrase():
    from assistant.segment import translations

    assert translations("What one-off subsidy is given?") == (("奖补", "补贴"), ("一次性",))
    assert translations("中文问题") == ()


def test_everyday_words_reach_the_official_ones():
    """A citizen's word ("房租") is matched by the word a government text uses ("租金"), question side only."""
    assert "租金" in synonyms("房租")
    assert "婴幼儿" in expand_query("家里有小宝宝的能领多少钱？")
    seg = Segmenter()
    assert "房租" in seg.words("公房的房租能打几折")  # one word, so its renderings can be looked up


def test_colloquial_lexicon_is_well_formed():
    """Every entry: an everyday word of 2-6 characters, then official renderings, none the word itself."""
    import re

    from assistant.glossary import COLLOQUIAL_FILES, colloquial

    lines = [
        x
        for path in COLLOQUIAL_FILES
        for x in path.read_text(encoding="utf-8").splitlines()
        if x.strip() and not x.startswith("#")
    ]
    assert len(lines) == len(colloquial()) >= 2000  # no key twice, in one file or across the two
    for word, renderings in colloquial().items():
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,6}", word), word
        assert renderings and word not in renderings, word
        assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,}", r) for r in renderings), word


def test_jieba_place_tags_count_only_for_real_divisions():
    """jieba tags 上山, 东西 and 山区 as places; "防火期上山点火烧东西" names no place the plan could lack.
    A district, city or province, by full or short name, still does."""
    seg = Segmenter()
    assert seg.names("防火期里没打招呼就上山点火烧东西，个人会被罚多少钱？") == []
    assert seg.names("我研究生刚毕业，去粤北山区一家公司上班，政府能给多少钱？") == []
    assert seg.names("番禺区的目标是多少？") == ["番禺区"]
    assert seg.names("哈尔滨有多少家高新技术企业？") == ["哈尔滨"]
    assert seg.names("中央财政每年安排多少资金？") == ["中央财政"]  # an organisation (nt)
    # jieba's guess of an organisation for a word it does not know, which ends like none: no name.
    assert seg.names("重新办理残疾人证后，按新证标准最多可以补发几个月的补贴？") == []


def test_divisions_by_full_and_short_name():
    from assistant.glossary import divisions

    names = divisions()
    assert {"沈阳市", "沈阳", "浦东新区", "浦东", "宁夏回族自治区", "宁夏", "恩施", "新疆", "内蒙古"} <= names
    assert not {"山区", "城区", "郊区", "上山", "东西", "浦东新"} & names
