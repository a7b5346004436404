"""Golden Q&A pairs (tests/qa/*.yaml), one test each, plus the aggregate targets.

Pairs the assistant does not yet answer right are listed in tests/qa/known_failures.yaml
with the reason; they run as strict xfails, so fixing one (or breaking another) shows up.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.evaluate import Pair, check, load_pairs, run, summarize, ungrounded_numbers

QA = Path(__file__).resolve().parent / "qa"
KNOWN = yaml.safe_load((QA / "known_failures.yaml").read_text(encoding="utf-8")) or {}


def cases(name: str) -> list[pytest.param]:
    _, pairs = load_pairs(QA / name)
    return [
        pytest.param(
            p, id=p.id, marks=pytest.mark.xfail(reason=KNOWN[p.id], strict=True) if p.id in KNOWN else ()
        )
        for p in pairs
    ]


def ask(bot, pair: Pair):
    return bot.ask(pair.question, list(pair.history))


@pytest.mark.parametrize("pair", cases("liaoning.yaml"))
def test_liaoning(bot, pair):
    assert check(pair, ask(bot, pair)) == []


@pytest.mark.parametrize("pair", cases("second.yaml"))
def test_second_plan(second_bot, pair):
    assert check(pair, ask(second_bot, pair)) == []


@pytest.mark.parametrize("pair", cases("mixed.yaml"))
def test_both_plans_together(mixed_bot, pair):
    assert check(pair, ask(mixed_bot, pair)) == []


def test_liaoning_targets(bot):
    _, pairs = load_pairs(QA / "liaoning.yaml")
    assert len(pairs) >= 100
    assert sum(not p.found for p in pairs) >= 15
    summary = summarize(run(bot.ask, pairs))
    assert summary["pass_rate"] >= 0.93
    assert summary["not_in_plan_rate"] >= 0.9
    assert summary["ungrounded_answers"] == 0


def test_ungrounded_numbers_are_caught(bot):
    answer = bot.ask("到2020年研发经费占GDP要达到多少？")
    assert ungrounded_numbers(answer) == []
    forged = type(answer)(answer=answer.answer.replace("2.8", "3.8"), found=True, citations=answer.citations)
    assert ungrounded_numbers(forged) == ["3.8"]
