"""Generative answers: LangChain's fake chat models, a stub OpenAI-compatible server, a dead endpoint.

Whatever the model does, the caller gets an Answer: the verified generated one,
or the extractive one marked "fallback" with a short note, never an exception.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage
from stub_openai import stub_openai

from assistant import Answer, Assistant, BadQuestion, Settings
from assistant.evaluate import load_pairs
from assistant.llm import make_chat_model, make_generator, verifier_for
from assistant.settings import ROOT

GOAL_Q = "到2020年研发经费占GDP要达到多少？"
GOAL_ID = "7c16a4-0032"  # 二、总体思路与发展目标 › （四）发展目标
FAITHFUL = "到2020年，省级以上高新区研发经费占GDP比重要达到2.8%[1]。"
ABSENT_Q = "规划对西藏有什么安排？"
HISTORY = [
    {"role": "user", "content": "阜新高新区主导产业是什么？"},
    {"role": "assistant", "content": "阜新高新区：液压装备制造、农产品深加工、电子信息。[1]"},
]


def _extra_seconds(
    ask: Any, plain: Assistant, question: str, history: list[dict[str, str]] | None = None
) -> float:
    """How much longer `ask` takes than the extractive answer alone (so a busy machine does not fail the test)."""
    start = time.monotonic()
    plain.ask(question, history)
    extractive = time.monotonic() - start
    start = time.monotonic()
    ask(question, history)
    return time.monotonic() - start - extractive


class Recorder:
    """A chat model whose replies the test queues; it keeps every prompt it is sent."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.prompts: list[list[tuple[str, str]]] = []

    def invoke(self, input: Any, /) -> AIMessage:
        self.prompts.append(input)
        return AIMessage(content=self.replies.pop(0))


class Broken:
    """A chat model whose every call fails."""

    def invoke(self, input: Any, /) -> AIMessage:
        raise RuntimeError("model crashed")


# -- extractive only ------------------------------------------------------------------------


def test_no_endpoint_means_extractive_only(bot: Assistant, settings: Settings) -> None:
    assert settings.llm_base_url == ""
    assert make_generator(settings, bot.index) is None
    assert bot.generator is None
    answer = bot.ask(GOAL_Q)
    assert answer.mode == "extractive" and answer.note == ""
    assert "2.8%" in answer.answer


def test_endpoint_settings_make_a_fast_failing_client(bot: Assistant, settings: Settings) -> None:
    s = Settings.from_env(llm_base_url="http://127.0.0.1:9/v1", llm_model="qwen2.5", llm_timeout=12.0)
    generator = make_generator(s, bot.index)
    assert generator is not None
    chat: Any = generator.chat
    assert chat.max_retries == 0 and chat.model_name == "qwen2.5"
    assert chat.request_timeout.connect == 3.0 and chat.request_timeout.read == 12.0


# -- LangChain's fake chat models -----------------------------------------------------------


def test_a_faithful_answer_is_shown(bot: Assistant) -> None:
    fake = GenericFakeChatModel(messages=iter([AIMessage(content=FAITHFUL)]))
    answer = bot.with_chat(fake).ask(GOAL_Q)
    assert answer.mode == "generative" and answer.found and answer.note == ""
    assert answer.answer == FAITHFUL
    assert [c.id for c in answer.citations] == [GOAL_ID]
    # "2020" is vouched for by the document ("…规划（2017-2020年）"), which the citation names.
    assert verifier_for(bot.index).check(answer.answer, _cited_sources(answer)).ok


def _cited_sources(answer: Answer) -> list[str]:
    """What a reader sees of each citation: document, section and passage."""
    return [f"{c.doc} › {c.section}\n{c.text}" for c in answer.citations]


def test_markers_are_renumbered_to_the_citations(bot: Assistant) -> None:
    generator = bot.with_chat(Recorder()).generator
    assert generator is not None
    hits, extractive = bot.extract(GOAL_Q)
    second = generator.context(hits, extractive)[1][0]
    # Cite the prompt's passage [2] first, then [1]: the answer numbers its citations in order of use.
    reply = f"{second.text[:20]}[2]。研发经费占GDP比重达到2.8%[1][2]。"
    answer = bot.with_chat(FakeListChatModel(responses=[reply])).ask(GOAL_Q)
    assert answer.mode == "generative"
    assert answer.answer == f"{second.text[:20]}[1]。研发经费占GDP比重达到2.8%[2][1]。"
    assert [c.id for c in answer.citations] == [second.id, GOAL_ID]


@pytest.mark.parametrize(
    ("reply", "note"),
    [
        ("研发经费占GDP比重要达到3%[1]。", "数字“3%”不在所引段落中"),
        ("丹东高新区研发经费占GDP比重要达到2.8%[1]。", "地名“丹东高新区”不在所引段落中"),
        ("研发经费占GDP比重要达到2.8%[42]。", "引用[42]不存在"),
        ("高新区要继续发展。", "答案没有标注引用"),  # no marker, and nothing to attribute it by
    ],
)
def test_an_unfaithful_answer_falls_back(bot: Assistant, reply: str, note: str) -> None:
    extractive = bot.ask(GOAL_Q)
    answer = bot.with_chat(FakeListChatModel(responses=[reply])).ask(GOAL_Q)
    assert answer.mode == "fallback" and note in answer.note
    assert answer.answer == extractive.answer and answer.citations == extractive.citations


@pytest.mark.parametrize("reply", ["", "   ", "<think>让我想想……</think>"])
def test_an_empty_answer_falls_back(bot: Assistant, reply: str) -> None:
    answer = bot.with_chat(FakeListChatModel(responses=[reply])).ask(GOAL_Q)
    assert answer.mode == "fallback" and answer.note == "大模型未给出答案，已改用原文摘录。"
    assert "2.8%" in answer.answer


def test_a_reasoning_block_is_dropped(bot: Assistant) -> None:
    answer = bot.with_chat(FakeListChatModel(responses=[f"<think>原文是2.9%吗？</think>\n{FAITHFUL}"])).ask(
        GOAL_Q
    )
    assert answer.mode == "generative" and answer.answer == FAITHFUL


def test_a_slow_model_falls_back_in_time(bot: Assistant) -> None:
    slow = bot.with_chat(FakeListChatModel(responses=[FAITHFUL] * 2, sleep=5.0), timeout=0.5)
    # The deadline is timeout + 1 s; the bound leaves room for a loaded machine, well under the model's 5 s.
    assert _extra_seconds(slow.ask, bot, GOAL_Q) < 3.5
    answer = slow.ask(GOAL_Q)
    assert answer.mode == "fallback" and "超时" in answer.note and "2.8%" in answer.answer


def test_a_failing_model_never_raises(bot: Assistant) -> None:
    answer = bot.with_chat(Broken()).ask(GOAL_Q)
    assert answer.mode == "fallback" and "调用出错" in answer.note and answer.found


def test_a_refusal_the_extractive_answer_contradicts_falls_back(bot: Assistant) -> None:
    answer = bot.with_chat(FakeListChatModel(responses=["规划中未提及。"])).ask(GOAL_Q)
    assert answer.mode == "fallback" and "认为规划中未提及" in answer.note and answer.found


def test_an_agreed_refusal_is_shown(bot: Assistant) -> None:
    extractive = bot.ask(ABSENT_Q)
    assert not extractive.found
    answer = bot.with_chat(FakeListChatModel(responses=["规划中未提及西藏，只涉及辽宁省的高新区。"])).ask(
        ABSENT_Q
    )
    assert answer.mode == "generative" and not answer.found
    assert answer.answer.startswith("规划中未提及西藏")
    assert answer.citations == extractive.citations  # the nearest sections, as in the extractive answer


def test_a_cited_answer_to_a_question_the_plan_does_not_answer_falls_back(bot: Assistant) -> None:
    """Faithful to its passage, yet no answer: "西藏" is not in the plan, whatever the model quotes."""
    generator = bot.with_chat(Recorder()).generator
    assert generator is not None
    hits, extractive = bot.extract(ABSENT_Q)
    first = generator.context(hits, extractive)[0][0]
    answer = bot.with_chat(FakeListChatModel(responses=[f"{first.text}[1]"])).ask(ABSENT_Q)
    assert answer.mode == "fallback" and answer.note == "检索到的原文不足以回答该问题，未采用大模型的回答。"
    assert not answer.found and answer.answer == extractive.answer


def test_the_prompt_is_short_numbered_and_sourced(bot: Assistant) -> None:
    model = Recorder(FAITHFUL)
    bot.with_chat(model).ask(GOAL_Q)
    [(system_role, system), (user_role, user)] = model.prompts[0]
    assert (system_role, user_role) == ("system", "user")
    assert "规划中未提及" in system and "[1]" in system
    assert user.startswith(
        "段落：\n[1] 出处：辽宁省高新技术产业开发区发展规划（2017-2020年） › 二、总体思路与发展目标"
    )
    assert user.endswith(f"问题：{GOAL_Q}")
    passages = user[: user.index("问题：")]
    assert 500 < len(passages) <= 2100
    assert "比重达到2.8%" in passages


# -- follow-ups ------------------------------------------------------------------------------


def test_the_model_rewrites_a_follow_up(bot: Assistant) -> None:
    model = Recorder("大连高新区的主导产业是什么？", "规划中未提及。")
    answer = bot.with_chat(model).ask("那大连呢？", HISTORY)
    assert answer.question == "大连高新区的主导产业是什么？"
    rewrite_prompt = model.prompts[0][1][1]
    assert "阜新高新区主导产业是什么？" in rewrite_prompt and rewrite_prompt.endswith("那大连呢？")
    assert model.prompts[1][1][1].endswith("问题：大连高新区的主导产业是什么？")


def test_a_rewrite_that_invents_a_zone_is_ignored(bot: Assistant) -> None:
    model = Recorder("沈阳高新区的主导产业是什么？", "规划中未提及。")
    answer = bot.with_chat(model).ask("那大连呢？", HISTORY)
    assert answer.question == bot.standalone("那大连呢？", HISTORY)
    assert "大连" in answer.question


@pytest.mark.parametrize("rewrite", ["那大连呢？", "", "那么，它的主导产业呢？" * 20])
def test_an_echoed_or_unusable_rewrite_is_ignored(bot: Assistant, rewrite: str) -> None:
    answer = bot.with_chat(Recorder(rewrite, "规划中未提及。")).ask("那大连呢？", HISTORY)
    assert answer.question == bot.standalone("那大连呢？", HISTORY)


def test_a_failed_rewrite_falls_back_without_a_second_call(bot: Assistant) -> None:
    slow = bot.with_chat(
        FakeListChatModel(responses=["大连高新区的主导产业是什么？"] * 2, sleep=5.0), timeout=0.3
    )
    assert _extra_seconds(slow.ask, bot, "那大连呢？", HISTORY) < 2.3  # one deadline (1.3 s), not two
    answer = slow.ask("那大连呢？", HISTORY)
    assert answer.mode == "fallback" and "超时" in answer.note
    assert answer.question == bot.standalone("那大连呢？", HISTORY)


# -- streaming -------------------------------------------------------------------------------


def _collect(stream: Iterator[str | Answer]) -> tuple[list[str], Answer]:
    items = list(stream)
    final = items.pop()
    assert isinstance(final, Answer) and all(isinstance(i, str) for i in items)
    return [str(i) for i in items], final


def test_ask_stream_extractive(bot: Assistant) -> None:
    pieces, answer = _collect(bot.ask_stream(GOAL_Q))
    assert "".join(pieces) == answer.answer and answer.mode == "extractive"
    assert answer == bot.ask(GOAL_Q)


def test_ask_stream_generative(bot: Assistant) -> None:
    pieces, answer = _collect(bot.with_chat(FakeListChatModel(responses=[FAITHFUL])).ask_stream(GOAL_Q))
    assert len(pieces) >= 2 and "".join(pieces) == FAITHFUL and answer.mode == "generative"


def test_ask_stream_rejects_bad_input_before_streaming(bot: Assistant) -> None:
    with pytest.raises(BadQuestion):
        bot.ask_stream("   ")
    with pytest.raises(BadQuestion):
        bot.ask_stream(GOAL_Q, history="not a list")


# -- a real HTTP server speaking the OpenAI chat API, and dead endpoints -----------------------


@pytest.fixture
def stub() -> Iterator[Any]:
    """The real HTTP stub of tests/stub_openai.py: replies, statuses and stalls queued in `plan`."""
    with stub_openai() as server:
        yield server


def _through(bot: Assistant, base_url: str, timeout: float = 5.0) -> Assistant:
    settings = Settings.from_env(llm_base_url=base_url, llm_model="stub", llm_api_key="", llm_timeout=timeout)
    return bot.with_chat(make_chat_model(settings))


def test_stub_server_answer_is_verified(bot: Assistant, stub: Any) -> None:
    stub.plan = [("reply", FAITHFUL)]
    answer = _through(bot, f"http://127.0.0.1:{stub.server_port}/v1").ask(GOAL_Q)
    assert answer.mode == "generative" and answer.answer == FAITHFUL
    [request] = stub.requests
    assert request["model"] == "stub" and request["temperature"] == 0
    assert [m["role"] for m in request["messages"]] == ["system", "user"]


@pytest.mark.parametrize(
    ("status", "note"), [(500, "服务返回错误 500"), (429, "请求过于频繁"), (401, "服务返回错误 401")]
)
def test_stub_server_errors_fall_back_without_retrying(
    bot: Assistant, stub: Any, status: int, note: str
) -> None:
    stub.plan = [("status", status)]
    answer = _through(bot, f"http://127.0.0.1:{stub.server_port}/v1").ask(GOAL_Q)
    assert answer.mode == "fallback" and note in answer.note and "2.8%" in answer.answer
    assert len(stub.requests) == 1  # max_retries=0


def test_stub_server_stall_times_out(bot: Assistant, stub: Any) -> None:
    stub.plan = [("stall", 4.0)] * 2
    stalled = _through(bot, f"http://127.0.0.1:{stub.server_port}/v1", timeout=1.0)
    assert _extra_seconds(stalled.ask, bot, GOAL_Q) < 2.5
    answer = stalled.ask(GOAL_Q)
    assert answer.mode == "fallback" and "超时" in answer.note


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_dead_endpoint_falls_back_within_seconds(bot: Assistant) -> None:
    dead = _through(bot, f"http://127.0.0.1:{_closed_port()}/v1", timeout=30.0)
    assert _extra_seconds(dead.ask, bot, GOAL_Q) < 3.0
    answer = dead.ask(GOAL_Q)
    assert answer.mode == "fallback" and "无法连接" in answer.note and "2.8%" in answer.answer


def test_an_unreachable_host_costs_at_most_the_connect_timeout(bot: Assistant) -> None:
    # A non-routable address: the connection either fails at once or hangs until the 3 s connect timeout.
    unreachable = _through(bot, "http://10.255.255.1:8080/v1", timeout=30.0)
    assert _extra_seconds(unreachable.ask, bot, GOAL_Q) < 5.0
    answer = unreachable.ask(GOAL_Q)
    assert answer.mode == "fallback" and answer.found


# -- a real OpenAI-compatible server (llama.cpp, Ollama, vLLM, hosted), when one is configured ----


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("ASSISTANT_LLM_BASE_URL"), reason="ASSISTANT_LLM_BASE_URL is not set")
def test_real_endpoint(bot: Assistant) -> None:
    live = bot.with_chat(make_chat_model(Settings.from_env()))
    verifier = verifier_for(bot.index)
    _, pairs = load_pairs(ROOT / "tests" / "qa" / "liaoning.yaml")
    for pair in pairs[:5]:
        answer = live.ask(pair.question, list(pair.history))
        assert answer.mode in ("generative", "fallback"), answer
        if answer.mode == "generative" and answer.found:
            # Renumbered markers still point at the right passages, which still vouch for every figure.
            verdict = verifier.check(answer.answer, _cited_sources(answer))
            assert verdict.ok and verdict.cited == tuple(range(1, len(answer.citations) + 1))


def test_a_faithful_answer_without_the_asked_figure_falls_back(bot: Assistant) -> None:
    # True to passage [1], but it does not say how much: the extract, which does, stays.
    vague = "高新区科技创新能力和经济创造能力继续保持较快增长[1]。"
    answer = bot.with_chat(FakeListChatModel(responses=[vague])).ask(GOAL_Q)
    assert answer.mode == "fallback" and "没有给出原文中所问的数字" in answer.note and "2.8%" in answer.answer
