"""Follow-up questions: validate the history and turn "那大连呢？" into a standalone question.

Chinese follow-ups drop what the previous question said: the subject
("那大连呢？" keeps the frame, swaps the zone), the topic ("它设立的基金有多少？"
keeps the zone, asks something new) or both ("其中国家级的呢？" narrows the
previous question). We resolve each user turn against the one before it,
so a chain of follow-ups keeps its thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .errors import BadQuestion
from .facts import Entity

MAX_QUESTION = 2000
MAX_TURNS = 20
PRONOUN = re.compile(
    r"(它们|它|该区|该市|这个区|这个高新区|这个园区|那个区|那里|这里|其)(?!中|他|它|余|次|实)"
)
LEAD = re.compile(r"^(那么|那|还有|另外|再问一下|再问|再说说|and|what about|how about)[，,\s]*", re.I)
TAIL = re.compile(r"(的情况|情况|怎么样|如何|呢|吗|呀|啊|[？?。！!\s])+$")
NARROW = re.compile(r"^(其中|这中间|这里面|这当中|里面|当中)")
YEAR = re.compile(r"(?:到|至|截至)?((?:19|20)\d\d)年(?:底|末)?")
MODALITY = re.compile(r"要|力争|的目标|目标")
ELLIPTICAL_MAX = 14  # characters left after removing lead and tail words

EntityFinder = Callable[[str], list[Entity]]


def check_question(question: Any) -> str:
    """The question, stripped; BadQuestion when it is not a usable question."""
    if not isinstance(question, str):
        raise BadQuestion("问题必须是文本 / the question must be a string")
    if len(question) > MAX_QUESTION:
        raise BadQuestion(f"问题过长（最多{MAX_QUESTION}字）/ question longer than {MAX_QUESTION} characters")
    cleaned = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
    if not cleaned or not re.search(r"\w", cleaned):
        raise BadQuestion("问题为空 / the question is empty")
    return cleaned


def check_history(history: Any) -> list[dict[str, str]]:
    """A list of at most MAX_TURNS {role: user|assistant, content: str} messages; BadQuestion otherwise."""
    if history is None:
        return []
    if not isinstance(history, list):
        raise BadQuestion("对话历史必须是列表 / history must be a list of messages")
    if len(history) > MAX_TURNS:
        raise BadQuestion(f"对话历史最多{MAX_TURNS}轮 / history has more than {MAX_TURNS} turns")
    out = []
    for turn in history:
        if not isinstance(turn, dict) or set(turn) - {"role", "content"} or "role" not in turn:
            raise BadQuestion("每条历史须为 {role, content} / each history turn must be {role, content}")
        if turn["role"] not in ("user", "assistant"):
            raise BadQuestion(
                "历史中的 role 只能是 user 或 assistant / history role must be user or assistant"
            )
        if not isinstance(turn.get("content"), str) or len(turn["content"]) > 20 * MAX_QUESTION:
            raise BadQuestion("历史中的 content 必须是文本 / history content must be a string")
        out.append({"role": turn["role"], "content": turn["content"]})
    return out


def _core(question: str) -> str:
    """Example: _core("那大连呢？") -> "大连" """
    return TAIL.sub("", LEAD.sub("", question.strip()))


def _replace_entities(text: str, old: Sequence[Entity], new: Entity) -> str:
    for e in old:
        for name in sorted(e.all_names(), key=len, reverse=True):
            if name in text:
                return text.replace(name, new.name, 1)
    return text


def resolve_one(question: str, previous: str | None, find: EntityFinder) -> str:
    """`question` made standalone using the previous (already standalone) user question."""
    if not previous:
        return question
    core = _core(question)
    ents, prev_ents = find(question), find(previous)
    prev_frame = TAIL.sub("", previous)
    elliptical = len(core) <= ELLIPTICAL_MAX and (
        bool(LEAD.match(question.strip())) or question.strip().rstrip("？?").endswith("呢") or len(core) <= 6
    )
    new_year, old_year = YEAR.search(core), YEAR.search(prev_frame)
    if not ents and new_year and old_year and len(core) <= ELLIPTICAL_MAX:
        # "那2020年的时候是多少？": the previous question at another time. Its target wording
        # ("到…要达到", "目标") belonged to the old year: what held then is asked now.
        frame = YEAR.sub(new_year.group(1) + "年", prev_frame, count=1)
        return MODALITY.sub("", frame) + "？"
    if ents and elliptical:
        rest = core
        for e in ents:
            for name in sorted(e.all_names(), key=len, reverse=True):
                rest = rest.replace(name, "")
        if len(rest.strip("的，, ")) <= 1:
            # "那大连呢？": the previous question, about the new entity.
            if prev_ents:
                return _replace_entities(prev_frame, prev_ents, ents[0]) + "？"
            return ents[0].name + prev_frame + "？"
        return question
    if not ents and prev_ents and PRONOUN.search(question):
        # "它设立的基金有多少？": the pronoun stands for the previous entity.
        return PRONOUN.sub(prev_ents[0].name, question, count=1)
    if NARROW.match(core) or (elliptical and not ents):
        if prev_ents and not NARROW.match(core):
            # "主导产业呢？" after a question about a zone: that zone, the new topic.
            return prev_ents[0].name + core + "？"
        # "其中国家级的呢？": the previous question, narrowed.
        return f"{prev_frame}，{core}？"
    return question


def resolve(question: str, history: Sequence[dict[str, str]], find: EntityFinder) -> str:
    """Resolve `question` against the chain of earlier user turns in `history`."""
    previous: str | None = None
    for turn in history:
        if turn["role"] == "user":
            previous = resolve_one(turn["content"], previous, find)
    return resolve_one(question, previous, find)
