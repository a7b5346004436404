"""What a question asks for, read from its wording: a figure, a list, every entry, a time frame, a unit.

These are rules of Chinese (and English) question language, not of any one
plan: "多少家" asks for a count in 家, "目前" for today's baseline, "到2020年"
for a target, "各高新区" for every entry of a box.
"""

from __future__ import annotations

import re

# "几个" asks how many; "哪几个" asks which ones (a list), so 几 after 哪 is not a figure question.
NUMERIC_Q = re.compile(
    r"多少|(?<!哪)几[个家项只所人次倍座条成]|(?<!哪)几$|比重|比例|占比|百分之|多大|多高|多少钱|规模|总额|金额|数量|面积|"
    r"how many|how much|what share|what percentage|what proportion|how big|how large|what is the target"
)
LIST_Q = re.compile(r"哪些|哪几|有什么|有哪|包括|包含|列举|都是什么|都有|which|what are|list")
ALL_Q = re.compile(r"各(个)?(高新区|园区|市|州|区|地)|每个|所有|全部|分别|逐一|each|every|all ")
YEAR_IN_Q = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# The question word; the content words right around it are what the question is really about (its focus).
QWORD = re.compile(
    r"多少|几[个家项只所人次倍座条类成]?|哪些|哪几[个类项]?|哪[个家类里一天年]|什么|啥|如何|怎样|怎么|是否|有没有|谁|何时|多大|多高|多长|还是|"
    r"how many|how much|what|which|who|when|where|how"
)
# Time frame: "目前有多少" asks for a baseline figure, "到2020年要达到多少" for a target.
BASELINE_Q = re.compile(
    r"目前|现在|现有|眼下|现阶段|当前|如今|已经|已有|截至|currently|today|now|existing|so far"
)
TARGET_Q = re.compile(
    r"到20\d\d|20\d\d年前|目标|力争|规划期末|计划|打算|将要|要达到|要有|要建|要培育|要新|by 20\d\d|target|goal|will|should|plan to"
)
BASELINE_S = re.compile(r"目前|现有|已经|已有|已形成|拥有|截至|(?<![到至\d])20\d\d年底?[，,]")
TARGET_S = re.compile(r"到20\d\d年|力争|要|新增|新建|累计|培育|达到|以上")
# The unit a question asks for: "多少家" wants a figure counted in 家.
ASKED_UNIT = re.compile(
    r"(?:多少|(?<!哪)几)(家|个|人|项|只|所|座|条|亿元|万元|亿|万|平方公里|万亩|倍|成)"
)  # 几成: a share
# A question about when ("哪天印发的") is answered by a sentence with a date in it.
DATE_Q = re.compile(r"哪天|哪一天|哪年|何时|什么时候|几月|几号|日期|when")
DATE_S = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?")
