"""Generated answers as an upgrade: the extract at once, the model's verified answer after it.

Every test talks to a real stub OpenAI-compatible HTTP server (tests/stub_openai.py); the
API tests run a real server on a free port.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import live_server
from stub_openai import stub_openai

from assistant import Assistant
from assistant.api import create_app
from assistant.feedback import FeedbackStore
from assistant.llm import make_generator
from assistant.loader import Loader
from assistant.ui import UI

GOAL_Q = "到2020年研发经费占GDP要达到多少？"
GOAL_ID = "7c16a4-0032"  # 二、总体思路与发展目标 › （四）发展目标
UNMARKED = "到2020年，省级以上高新区科学研究与试验发展经费占GDP比重要达到2.8%。"
FUXIN = "阜新高新区主导产业是什么？"
FUXIN_GENERATED = "阜新高新区的主导产业是液压装备制造、农产品深加工和电子信息。"


@pytest.fixture
def stub() -> Iterator[Any]:
    with stub_openai() as server:
        yield server


def through(bot: Assistant, url: str, timeout: float = 5.0, **settings: Any) -> Assistant:
    """The assistant on the same index, answering through the endpoint at `url` with these settings."""
    s = replace(bot.settings, llm_base_url=url, llm_model="stub", llm_timeout=timeout, **settings)
    return Assistant(s, bot.index, make_generator(s, bot.index))


# -- the UI: the extract at once, the upgrade when verified ----------------------------------


def test_a_slow_reply_upgrades_the_shown_extract(bot: Assistant, stub: Any, tmp_path: Path) -> None:
    stub.plan = [("slow", (2.0, UNMARKED))]
    ui = UI(Loader.of(through(bot, stub.url)), FeedbackStore.for_dir(tmp_path))
    bot.ask(GOAL_Q)  # warm: the time measured is the UI's, not a cold cache's
    start = time.monotonic()
    shown: list[tuple[float, str]] = []
    turns: list[dict[str, Any]] = []
    for _, chat, state in ui.respond(GOAL_Q, []):
        shown.append((time.monotonic() - start, chat[-1]["content"]))
        turns = state
    # The extract with its sources, within a second; the model is still writing.
    first_at, first = next((t, h) for t, h in shown if "cite-section" in h)
    assert first_at < 1.0 and "2.8%" in first and "正在生成答案" in first
    # Then the model's answer, verified, with the marker the verifier added and the extract one click away.
    last_at, last = shown[-1]
    assert last_at >= 2.0
    assert '到2020年，省级以上高新区科学研究与试验发展经费占GDP比重要达到2.8%<a class="cite-ref"' in last
    assert "正在生成答案" not in last and '<details class="original"><summary>查看原文摘录</summary>' in last
    assert turns[-1]["text"] == "到2020年，省级以上高新区科学研究与试验发展经费占GDP比重要达到2.8%[1]。"


def test_a_rejected_reply_leaves_the_extract_with_a_note(bot: Assistant, stub: Any, tmp_path: Path) -> None:
    stub.plan = [("reply", "到2020年，省级以上高新区研发经费占GDP比重要达到3%。")]
    ui = UI(Loader.of(through(bot, stub.url)), FeedbackStore.for_dir(tmp_path))
    _, chat, turns = list(ui.respond(GOAL_Q, []))[-1]
    assert "数字“3%”不在所引段落中" in chat[-1]["content"] and "查看原文摘录" not in chat[-1]["content"]
    assert turns[-1]["text"] == bot.ask(GOAL_Q).answer


def test_the_ui_says_once_that_the_model_mostly_fails(bot: Assistant, stub: Any, tmp_path: Path) -> None:
    stub.plan = [("reply", "研发经费占GDP比重要达到3%[1]。")] * 6
    ui = UI(Loader.of(through(bot, stub.url, llm_quality_window=4)), FeedbackStore.for_dir(tmp_path))
    turns: list[dict[str, Any]] = []
    warned = []
    for _ in range(6):
        _, chat, turns = list(ui.respond(GOAL_Q, turns))[-1]
        warned.append("多数未通过核对" in chat[-1]["content"])
    assert warned == [False, False, False, True, False, False]


# -- the verifier's attribution through the real HTTP client -------------------------------


def test_a_fully_supported_reply_without_markers_is_accepted(bot: Assistant, stub: Any) -> None:
    stub.plan = [("reply", UNMARKED)]
    answer = through(bot, stub.url).ask(GOAL_Q)
    assert answer.mode == "generative" and answer.note == ""
    assert answer.answer == "到2020年，省级以上高新区科学研究与试验发展经费占GDP比重要达到2.8%[1]。"
    assert [c.id for c in answer.citations] == [GOAL_ID]


def test_a_reply_with_one_unsupported_figure_is_rejected(bot: Assistant, stub: Any) -> None:
    reply = "省级以上高新区科学研究与试验发展经费占GDP比重达到2.8%，高新区GDP占全省GDP比重达到12%。"
    stub.plan = [("reply", reply)]
    answer = through(bot, stub.url).ask(GOAL_Q)
    assert answer.mode == "fallback" and "数字“12%”不在所引段落中" in answer.note
    assert answer.answer == bot.ask(GOAL_Q).answer


# -- the circuit breaker --------------------------------------------------------------------


def test_a_flaky_endpoint_opens_the_breaker_then_it_closes(bot: Assistant, stub: Any) -> None:
    # A pause long enough that a loaded machine's next requests still fall inside it.
    flaky = through(bot, stub.url, llm_breaker_failures=2, llm_breaker_pause=5.0)
    stub.plan = [("status", 500), ("status", 503)]
    with live_server(create_app(flaky.settings, bot=flaky)) as url, httpx.Client(base_url=url) as h:
        assert h.get("/healthz").json()["llm"]["state"] == "closed"
        for status in (500, 503):
            note = h.post("/api/ask", json={"question": GOAL_Q}).json()["note"]
            assert f"服务返回错误 {status}" in note
        health = h.get("/healthz").json()["llm"]
        assert (
            health["state"] == "open" and health["failures_in_a_row"] == 2 and 0 < health["retry_in_s"] <= 5
        )

        start = time.monotonic()
        paused = h.post("/api/ask", json={"question": GOAL_Q}).json()
        # Not called while open (the request count proves it; the time only bounds a loaded machine).
        assert time.monotonic() - start < 3.0 and len(stub.requests) == 2
        assert paused["mode"] == "fallback" and "连续2次调用失败，暂停使用约5秒" in paused["note"]
        assert "2.8%" in paused["answer"]

        time.sleep(5.1)
        stub.plan = [("reply", UNMARKED)]
        healed = h.post("/api/ask", json={"question": GOAL_Q}).json()
        assert healed["mode"] == "generative" and len(stub.requests) == 3
        health = h.get("/healthz").json()["llm"]
        assert health["state"] == "closed" and health["failures_in_a_row"] == 0
        assert (health["recent_answers"], health["recent_verified"]) == (1, 1)


def test_a_failed_trial_call_opens_the_breaker_again(bot: Assistant, stub: Any) -> None:
    # A pause long enough that a loaded machine's next ask still falls inside it.
    flaky = through(bot, stub.url, llm_breaker_failures=1, llm_breaker_pause=6.0)
    stub.plan = [("status", 500), ("status", 500)]
    assert "服务返回错误 500" in flaky.ask(GOAL_Q).note
    assert "暂停使用" in flaky.ask(GOAL_Q).note
    time.sleep(6.1)
    assert "服务返回错误 500" in flaky.ask(GOAL_Q).note  # the trial call
    assert "暂停使用" in flaky.ask(GOAL_Q).note and len(stub.requests) == 2


# -- the JSON API: one final answer, or the fast one on request ------------------------------


def test_the_api_waits_for_the_final_answer_unless_told_not_to(bot: Assistant, stub: Any) -> None:
    slow = through(bot, stub.url)
    with live_server(create_app(slow.settings, bot=slow)) as url, httpx.Client(base_url=url, timeout=10) as h:
        stub.plan = [("slow", (4.0, UNMARKED))]
        start = time.monotonic()
        final = h.post("/api/ask", json={"question": GOAL_Q}).json()
        assert time.monotonic() - start >= 4.0 and final["mode"] == "generative"

        start = time.monotonic()
        fast = h.post("/api/ask", json={"question": GOAL_Q, "generate": False}).json()
        assert time.monotonic() - start < 3.0 and len(stub.requests) == 1
        assert fast["mode"] == "extractive" and "2.8%" in fast["answer"]

        fast = h.post(
            "/v1/chat/completions",
            json={"messages": [{"role": "user", "content": GOAL_Q}], "generate": False},
        ).json()
        assert "2.8%" in fast["choices"][0]["message"]["content"] and len(stub.requests) == 1


def test_the_fast_answer_is_a_setting_too(bot: Assistant, stub: Any) -> None:
    fast = through(bot, stub.url, llm_generate=False)
    assert fast.ask(GOAL_Q).mode == "extractive" and stub.requests == []
    stub.plan = [("reply", UNMARKED)]
    assert fast.ask(GOAL_Q, generate=True).mode == "generative"


def test_the_openai_stream_sends_only_verified_text(bot: Assistant, stub: Any) -> None:
    model = through(bot, stub.url)
    stub.plan = [("reply", "到2020年，省级以上高新区研发经费占GDP比重要达到3%[1]。"), ("reply", UNMARKED)]
    body = {"messages": [{"role": "user", "content": GOAL_Q}], "stream": True}
    with (
        live_server(create_app(model.settings, bot=model)) as url,
        httpx.Client(base_url=url, timeout=10) as h,
    ):
        for expected, absent in (("2.8%", "3%"), ("发展经费占GDP比重要达到2.8%[1]", "3%")):
            events = [
                json.loads(line[6:])
                for line in h.post("/v1/chat/completions", json=body).text.splitlines()
                if line.startswith("data: {")
            ]
            text = "".join(e["choices"][0]["delta"].get("content", "") for e in events)
            assert expected in text and absent not in text.split("来源：")[0]


def test_the_breaker_survives_a_library_reload(bot: Assistant, stub: Any) -> None:
    flaky = through(bot, stub.url, llm_breaker_failures=1, llm_breaker_pause=30.0)
    stub.plan = [("status", 500)]
    flaky.ask(GOAL_Q)
    reopened = flaky.reopened()
    assert "暂停使用" in reopened.ask(GOAL_Q).note and len(stub.requests) == 1
