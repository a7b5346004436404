"""Input checks and follow-up resolution."""

from __future__ import annotations

import pytest

from assistant.dialogue import check_history, check_question, resolve
from assistant.errors import BadQuestion
from assistant.facts import Entity

ZONES = [Entity("阜新高新区", ("阜新", "fuxin")), Entity("大连高新区", ("大连", "dalian"))]


def find(text: str) -> list[Entity]:
    return [e for e in ZONES if any(n in text for n in e.all_names())]


def user(text: str) -> dict[str, str]:
    return {"role": "user", "content": text}


@pytest.mark.parametrize("bad", ["", "   ", "\u3000\n\t", "\x00\x01\x02", "？？", "a" * 2001, None, 42])
def test_bad_questions(bad):
    with pytest.raises(BadQuestion):
        check_question(bad)


@pytest.mark.parametrize(
    "history",
    [
        "not a list",
        [{"role": "system", "content": "x"}],
        [{"role": "user"}],
        [{"role": "user", "content": 3}],
        [{"role": "user", "content": "x", "extra": 1}],
        [user("问")] * 21,
    ],
)
def test_bad_history(history):
    with pytest.raises(BadQuestion):
        check_history(history)


def test_subject_carried_over():
    assert resolve("那大连呢？", [user("阜新高新区主导产业是什么？")], find) == "大连高新区主导产业是什么？"


def test_pronoun_takes_previous_subject():
    assert (
        resolve("它设立的基金有多少？", [user("阜新高新区主导产业是什么？")], find)
        == "阜新高新区设立的基金有多少？"
    )


def test_narrowing_keeps_the_frame():
    assert resolve("其中国家级的呢？", [user("到2020年高新区总数要达到多少家？")], find) == (
        "到2020年高新区总数要达到多少家，其中国家级的？"
    )


def test_chain_of_follow_ups():
    history = [user("阜新高新区主导产业是什么？"), {"role": "assistant", "content": "…"}, user("那大连呢？")]
    assert resolve("它设立的基金有多少？", history, find) == "大连高新区设立的基金有多少？"


def test_standalone_question_untouched():
    assert (
        resolve("研发经费占GDP要达到多少？", [user("阜新高新区主导产业是什么？")], find)
        == "研发经费占GDP要达到多少？"
    )


def test_another_year_asks_what_held_then():
    assert resolve("那2020年的时候是多少？", [user("到2025年园区农产品加工转化率要达到多少？")], find) == (
        "2020年园区农产品加工转化率达到多少？"
    )
