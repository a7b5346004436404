"""Question-side vocabularies: English → Chinese planning words, and everyday Chinese → official words.

Language resources, not lists of questions: the words that Chinese development
plans are written in (targets, zones, funds, industries, agriculture, talent …).
Longer English phrases are tried before the words inside them.

`colloquial()` reads data/colloquial.tsv: everyday words a citizen asks with ("小宝宝",
"房租", "老总") and the words a government text uses for them ("婴幼儿", "租金",
"企业家"). It was written from general knowledge of the language, not from any
question set, so that it holds on documents and questions nobody has seen.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

COLLOQUIAL = Path(__file__).resolve().parent / "data" / "colloquial.tsv"
# The legal-administrative register (rules, rights, penalties, procedures, public services): 揭发 → 举报.
COLLOQUIAL_ADMIN = COLLOQUIAL.with_name("colloquial_admin.tsv")
COLLOQUIAL_FILES = (COLLOQUIAL, COLLOQUIAL_ADMIN)
DIVISIONS = Path(__file__).resolve().parent / "data" / "divisions.txt"
# What a division's name ends in; its short form ("沈阳市" → 沈阳, "浑南区" → 浑南) is the rest, if two
# characters or more are left. Longest first, so that "浦东新区" → 浦东, not 浦东新.
DIVISION_SUFFIX = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "林区",
    "矿区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)

EN_GLOSSARY: dict[str, str] = {
    # measures and framing
    "how many": "多少",
    "how much": "多少",
    "what share": "比重",
    "share": "比重 占",
    "proportion": "比重",
    "percentage": "比重 %",
    "percent": "%",
    "ratio": "比重 率",
    "rate": "率",
    "number": "数量",
    "total": "总",
    "combined": "总",
    "amount": "总额 规模",
    "scale": "规模",
    "size": "规模",
    "capacity": "能力 库容",
    "area": "面积",
    "square kilometers": "平方公里",
    "square kilometres": "平方公里",
    "mu": "亩",
    "hectares": "亩",
    "tons": "吨",
    "tonnes": "吨",
    "yuan": "元",
    "billion yuan": "亿元",
    "million yuan": "万元",
    "money": "资金 万元 亿元",
    "budget": "资金 预算",
    "spending": "经费 投入",
    "expenditure": "经费 投入",
    "investment": "投资",
    "invest": "投资",
    "subsidy": "奖补 补贴",
    "subsidies": "奖补 补贴",
    "award": "奖补 奖励",
    "reward": "奖补 奖励",
    "one-off": "一次性",
    "output": "产值 产量",
    "output value": "产值",
    "revenue": "收入",
    "sales": "销售收入",
    "income": "收入",
    "gdp": "GDP",
    "r&d": "科学研究与试验发展 研发",
    "research and development": "科学研究与试验发展 研发",
    "target": "目标 达到",
    "targets": "目标 达到",
    "goal": "目标",
    "goals": "目标",
    "baseline": "目前",
    "currently": "目前",
    "by 2020": "到2020年",
    "by 2025": "到2025年",
    "by 2030": "到2030年",
    "each year": "每年",
    "annual": "每年 年",
    "annually": "每年",
    # places and organisations
    "high-tech zone": "高新区",
    "high-tech zones": "高新区",
    "hi-tech zone": "高新区",
    "zone": "高新区",
    "zones": "高新区",
    "industrial park": "产业园 园区",
    "industrial parks": "产业园 园区",
    "park": "园区",
    "parks": "园区",
    "province": "省",
    "provincial": "省级",
    "provincial-level": "省级",
    "national": "国家",
    "national-level": "国家级",
    "city": "市",
    "cities": "市",
    "county": "县",
    "counties": "县",
    "government": "政府",
    "bank": "银行",
    "banks": "银行",
    "university": "大学 高校",
    "universities": "高校",
    # economy and industry
    "industry": "产业",
    "industries": "产业",
    "industrial": "产业",
    "leading industry": "主导产业",
    "leading industries": "主导产业",
    "main industries": "主导产业",
    "pillar industries": "支柱产业",
    "strategic": "战略性",
    "emerging": "新兴",
    "emerging industry": "新兴产业",
    "cluster": "产业集群",
    "clusters": "产业集群",
    "enterprise": "企业",
    "enterprises": "企业",
    "company": "企业",
    "companies": "企业",
    "firms": "企业",
    "listed": "上市",
    "high-tech enterprise": "高新技术企业",
    "high-tech enterprises": "高新技术企业",
    "certified": "认定",
    "certify": "认定",
    "certification": "认定",
    "manufacturing": "制造",
    "intelligent manufacturing": "智能制造",
    "equipment": "装备",
    "software": "软件",
    "outsourcing": "外包",
    "biomedicine": "生物医药",
    "pharmaceutical": "医药",
    "new materials": "新材料",
    "chemical": "化工",
    "finance": "金融",
    "financial": "金融",
    "fund": "基金",
    "funds": "基金",
    "equity": "股权",
    "venture capital": "创业投资 风险投资",
    "loan": "贷款",
    "loans": "贷款",
    "internet plus": "互联网＋",
    "digital": "数字",
    "green": "绿色",
    "energy": "能源",
    "environmental protection": "环保",
    # innovation and talent
    "innovation": "创新",
    "entrepreneurship": "创业",
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
    "research center": "研究中心",
    "research centers": "研究中心",
    "platform": "平台",
    "platforms": "平台",
    "patent": "专利",
    "patents": "专利",
    "technology": "技术 科技",
    "talent": "人才",
    "talents": "人才",
    "experts": "专家",
    "team": "团队",
    "teams": "团队",
    "workstation": "工作站",
    "workstations": "工作站",
    "training": "培训 培育",
    "employment": "就业",
    "jobs": "就业",
    # policy language
    "principle": "原则",
    "principles": "原则",
    "guiding": "指导思想",
    "positioning": "定位",
    "task": "任务",
    "tasks": "任务",
    "measure": "措施",
    "measures": "措施",
    "safeguard": "保障措施",
    "safeguards": "保障措施",
    "policy": "政策",
    "policies": "政策",
    "reform": "改革",
    "mechanism": "机制",
    "management": "管理",
    "assessment": "考核",
    "evaluation": "评价 考核",
    "cooperation": "合作",
    "international": "国际",
    "opening up": "开放",
    "construction": "建设",
    "build": "建设 建成",
    "built": "建设 建成",
    "establish": "设立 建立",
    "set up": "设立",
    "planned": "规划 计划",
    "star": "星级",
    "four-star": "四星级",
    "five-star": "五星级",
    "three-star": "三星级",
    "modern": "现代",
    # agriculture and rural development
    "agriculture": "农业",
    "agricultural": "农业",
    "farm": "农场 农业",
    "farms": "农场",
    "farmland": "农田",
    "high-standard farmland": "高标准农田",
    "farmers": "农民",
    "rural": "农村 乡村",
    "grain": "粮食",
    "grain output": "粮食产量",
    "tea": "茶",
    "tea gardens": "茶园 茶叶",
    "pigs": "生猪",
    "hogs": "生猪",
    "fruit": "果",
    "vegetables": "蔬菜",
    "processing": "加工",
    "mechanization": "机械化",
    "cold storage": "冷藏 库容",
    "cold chain": "冷链",
    "brand": "品牌",
    "brands": "品牌",
    "tourism": "旅游",
}


@lru_cache(maxsize=1)
def colloquial() -> dict[str, tuple[str, ...]]:
    """Everyday word → the official words for it, from data/colloquial.tsv (question side only:
    passages are never rewritten). Example: colloquial()["房租"] == ("租金",)"""
    out: dict[str, tuple[str, ...]] = {}
    for path in COLLOQUIAL_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                word, _, renderings = line.partition("\t")
                out[word.strip()] = tuple(renderings.split())
    return out


@lru_cache(maxsize=1)
def divisions() -> frozenset[str]:
    """China's provinces, prefectures, counties and districts by full and short name, from data/divisions.txt.

    jieba tags ordinary words as places ("上山", "山区", "东西"); a place a question names is taken for
    one only if it is here, so the place veto (Answerer.missing) holds for real places alone.
    Example: {"沈阳市", "沈阳", "宁夏回族自治区", "宁夏", "番禺区", "番禺"} <= divisions(); "山区" not in divisions()
    """
    names: set[str] = set()
    nations: list[str] = []
    for line in DIVISIONS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#nations "):
            nations = line.split()[1:]
        elif line.strip() and not line.startswith("#"):
            names.add(line.strip())
    # An autonomous division's name carries its peoples before the suffix: "恩施土家族苗族自治州" → 恩施;
    # "新疆维吾尔自治区" drops the 族. Longest names first, so that "土家族" is not read as "土族" + "家".
    peoples = sorted({n for p in nations for n in (p, p.removesuffix("族"))}, key=len, reverse=True)
    out = set(names)
    for name in names:
        for suffix in DIVISION_SUFFIX:
            if name.endswith(suffix):
                short = name[: -len(suffix)]
                if suffix.startswith("自治"):
                    changed = True
                    while changed:
                        changed = False
                        for p in peoples:
                            if short.endswith(p) and len(short) - len(p) >= 2:
                                short, changed = short[: -len(p)], True
                                break
                if len(short) >= 2:
                    out.add(short)
                break
    return frozenset(out)
