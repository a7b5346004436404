"""The HTTP API in-process (FastAPI's TestClient) over the session's real index."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant import Assistant, Settings
from assistant.api import MAX_BODY, MODEL_ID, create_app
from assistant.errors import (
    AssistantError,
    BadQuestion,
    CorpusError,
    IndexUnavailable,
    InvalidRequest,
    NotFound,
    Unauthorized,
)
from assistant.feedback import FeedbackStore
from assistant.http_errors import STATUS, status_for
from assistant.loader import Loader

FUXIN = "阜新高新区主导产业是什么？"


@pytest.fixture(scope="module")
def client(settings: Settings, bot: Assistant) -> Iterator[TestClient]:
    with TestClient(create_app(settings, bot=bot)) as c:
        yield c


def ask(client: TestClient, question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
    r = client.post("/api/ask", json={"question": question, "history": history})
    assert r.status_code == 200, r.text
    return dict(r.json())


def assert_error(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


# -- the routes ------------------------------------------------------------------------------
def test_healthz_reports_the_index(client: TestClient, bot: Assistant) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ready"
    assert body["passages"] == bot.info()["passages"] > 100
    assert body["documents"][0]["title"] == "辽宁省高新技术产业开发区发展规划（2017-2020年）"
    assert body["model"] == bot.info()["model"]


def test_ask_answers_with_a_citation(client: TestClient) -> None:
    body = ask(client, FUXIN)
    assert body["found"] is True
    assert "液压装备制造" in body["answer"] and "[1]" in body["answer"]
    c = body["citations"][0]
    assert "专栏3" in c["section"] and " › " in c["section"]
    start, end = c["span"]
    assert "液压装备制造" in c["text"][start:end]


def test_ask_follow_up_uses_history(client: TestClient) -> None:
    first = ask(client, FUXIN)
    history = [{"role": "user", "content": FUXIN}, {"role": "assistant", "content": first["answer"]}]
    body = ask(client, "那大连呢？", history)
    assert "软件和服务外包" in body["answer"]
    assert body["question"] == "大连高新区主导产业是什么？"
    assert "专栏3" in body["citations"][0]["section"]


def test_ask_not_in_the_plan(client: TestClient) -> None:
    body = ask(client, "规划对火星基地建设有什么要求？")
    assert body["found"] is False
    assert body["answer"].startswith("规划中未提及")


def test_ask_limited_to_documents(settings: Settings, mixed_bot: Assistant) -> None:
    """`documents` answers from the named documents only; an unknown name is a 404 that says which."""
    sichuan = "四川省现代农业园区建设规划（2021-2025年）.txt"
    liaoning = "辽宁省高新技术产业开发区发展规划（2017-2020年）.txt"
    question = "规划的发展目标是什么？"
    with TestClient(create_app(settings, bot=mixed_bot)) as c:
        for doc in (sichuan, liaoning):
            body = c.post("/api/ask", json={"question": question, "documents": [doc]}).json()
            assert body["found"] and {x["doc"] for x in body["citations"]} == {doc}
        # A figure only the Liaoning plan states, asked of the Sichuan plan alone: not in that plan.
        body = c.post(
            "/api/ask", json={"question": "到2020年研发经费占GDP要达到多少？", "documents": [sichuan]}
        ).json()
        assert body["found"] is False
        r = c.post("/api/ask", json={"question": question, "documents": ["没有这个.txt"]})
        assert r.status_code == 404 and "没有这个.txt" in r.json()["error"]["message"]
        assert c.post("/api/ask", json={"question": question, "documents": "x.txt"}).status_code == 422
        chat = {
            "messages": [{"role": "user", "content": question}],
            "documents": [sichuan],
            "generate": False,
        }
        r = c.post("/v1/chat/completions", json=chat)
        assert r.status_code == 200 and "[1]" in r.json()["choices"][0]["message"]["content"]


def test_search_ranks_passages(client: TestClient) -> None:
    r = client.post("/api/search", json={"query": "阜新高新区主导产业", "k": 3})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert hits[0]["text"] == "阜新高新区：液压装备制造、农产品深加工、电子信息。"
    assert hits[0]["section"].endswith("专栏3 高新区主导产业发展情况")
    assert hits[0]["why"]


def test_sections_tree(client: TestClient) -> None:
    docs = client.get("/api/sections").json()["documents"]
    assert docs[0]["title"] == "辽宁省高新技术产业开发区发展规划（2017-2020年）"
    titles = [s["title"] for s in docs[0]["sections"]]
    assert "三、重点任务" in titles and "四、保障措施" in titles
    tasks = docs[0]["sections"][titles.index("三、重点任务")]
    assert any(c["path"] == "三、重点任务 › （二）完善发展规划与布局" for c in tasks["children"])


def test_passage_by_id(client: TestClient) -> None:
    cited = ask(client, FUXIN)["citations"][0]
    r = client.get(f"/api/passages/{cited['id']}")
    assert r.status_code == 200
    assert r.json()["text"] == cited["text"] and r.json()["entity"] == "阜新高新区"
    assert_error(client.get("/api/passages/no-such-id"), 404, "not_found")


def test_targets_and_zones(client: TestClient) -> None:
    targets = client.get("/api/targets").json()["targets"]
    assert {"indicator": "国家级高新区", "value": "8", "unit": "个"}.items() <= targets[0].items()
    rd = [t for t in targets if t["value"] == "2.8"]
    assert rd and rd[0]["unit"] == "%" and "科学研究与试验发展经费" in rd[0]["indicator"]
    zones = client.get("/api/zones").json()["zones"]
    assert len(zones) == 15 and "大连高新区" in zones and "绥中高新区" in zones
    zone = client.get("/api/zones/大连").json()
    assert zone["name"] == "大连高新区"
    texts = [p["text"] for s in zone["sections"] for p in s["passages"]]
    assert "大连高新区：软件和服务外包产业。" in texts
    assert_error(client.get("/api/zones/火星"), 404, "not_found")


def test_openai_models(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list" and body["data"][0]["id"] == MODEL_ID


def test_chat_completion_with_footnotes(client: TestClient) -> None:
    messages = [
        {"role": "system", "content": "你是一个助手。"},
        {"role": "user", "content": FUXIN},
        {"role": "assistant", "content": "阜新高新区：液压装备制造、农产品深加工、电子信息。[1]"},
        {"role": "user", "content": [{"type": "text", "text": "那大连呢？"}]},
    ]
    r = client.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": messages, "temperature": 0})
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    choice = body["choices"][0]
    assert choice["finish_reason"] == "stop" and choice["message"]["role"] == "assistant"
    content = choice["message"]["content"]
    assert content.startswith("大连高新区：软件和服务外包产业。[1]")
    assert "\n\n来源：\n[1] 《辽宁省高新技术产业开发区发展规划（2017-2020年）》" in content
    assert "专栏3" in body["citations"][0]["section"] and body["found"] is True


def sse_events(text: str) -> list[Any]:
    lines = [line for line in text.split("\n\n") if line]
    assert all(line.startswith("data: ") for line in lines)
    return [line[6:] if line == "data: [DONE]" else json.loads(line[6:]) for line in lines]


def test_chat_completion_stream(client: TestClient) -> None:
    req = {"messages": [{"role": "user", "content": FUXIN}]}
    plain = client.post("/v1/chat/completions", json=req).json()["choices"][0]["message"]["content"]
    r = client.post("/v1/chat/completions", json={**req, "stream": True})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert len({c["id"] for c in chunks}) == 1
    assert all(c["object"] == "chat.completion.chunk" and c["model"] == MODEL_ID for c in chunks)
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == plain
    assert len(chunks) > 5  # really streamed in pieces
    last = chunks[-1]
    assert last["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}
    assert "专栏3" in last["citations"][0]["section"]
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])


def test_openapi_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/search", "/api/zones/{name}", "/v1/chat/completions", "/healthz"} <= set(
        spec["paths"]
    )
    schemas = spec["components"]["schemas"]
    assert {"AskRequest", "AnswerOut", "ChatRequest", "ChatResponse", "ErrorBody"} <= set(schemas)
    docs = client.get("/docs").text
    assert "/static-offline-docs/swagger-ui-bundle.js" in docs and "cdn." not in docs  # nothing from outside
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200


# -- every bad input is a 4xx with the error body ----------------------------------------------
TURN = {"role": "user", "content": "阜新呢？"}
BAD: list[tuple[str, str, Any, int, str]] = [
    # (id, path, body: dict/list = JSON, bytes = raw, expected status, code)
    ("empty-question", "/api/ask", {"question": ""}, 400, "bad_question"),
    ("whitespace-question", "/api/ask", {"question": "  \n\t　"}, 400, "bad_question"),
    ("control-only-question", "/api/ask", {"question": "\u0000\u0007\u001b\u200b"}, 400, "bad_question"),
    ("punctuation-only", "/api/ask", {"question": "？？？"}, 400, "bad_question"),
    ("too-long-question", "/api/ask", {"question": "规" * 2001}, 400, "bad_question"),
    ("malformed-json", "/api/ask", b'{"question": "a"', 400, "invalid_json"),
    ("not-json-at-all", "/api/ask", b"question=hello", 400, "invalid_json"),
    ("array-body", "/api/ask", ["阜新"], 422, "invalid_request"),
    ("string-body", "/api/ask", '"阜新高新区"'.encode(), 422, "invalid_request"),
    ("null-body", "/api/ask", b"null", 422, "invalid_request"),
    ("empty-body", "/api/ask", b"", 422, "invalid_request"),
    ("missing-question", "/api/ask", {"history": []}, 422, "invalid_request"),
    ("number-question", "/api/ask", {"question": 42}, 422, "invalid_request"),
    ("list-question", "/api/ask", {"question": ["阜新"]}, 422, "invalid_request"),
    ("unknown-field", "/api/ask", {"question": "阜新", "qeustion": "x"}, 422, "invalid_request"),
    ("history-not-list", "/api/ask", {"question": "阜新", "history": "earlier"}, 422, "invalid_request"),
    ("history-bad-role", "/api/ask", {"question": "阜新", "history": [{"role": "system", "content": "x"}]}, 422, "invalid_request"),
    ("history-bad-content", "/api/ask", {"question": "阜新", "history": [{"role": "user", "content": 1}]}, 422, "invalid_request"),
    ("history-21-turns", "/api/ask", {"question": "阜新", "history": [TURN] * 21}, 400, "bad_question"),
    ("search-empty", "/api/search", {"query": " "}, 400, "bad_question"),
    ("search-k-zero", "/api/search", {"query": "众创空间", "k": 0}, 422, "invalid_request"),
    ("search-k-too-big", "/api/search", {"query": "众创空间", "k": 51}, 422, "invalid_request"),
    ("search-k-string", "/api/search", {"query": "众创空间", "k": "5"}, 422, "invalid_request"),
    ("search-k-bool", "/api/search", {"query": "众创空间", "k": True}, 422, "invalid_request"),
    ("chat-no-messages", "/v1/chat/completions", {"messages": []}, 422, "invalid_request"),
    ("chat-missing-messages", "/v1/chat/completions", {"model": MODEL_ID}, 422, "invalid_request"),
    ("chat-last-not-user", "/v1/chat/completions", {"messages": [TURN, {"role": "assistant", "content": "x"}]}, 400, "bad_question"),
    ("chat-only-system", "/v1/chat/completions", {"messages": [{"role": "system", "content": "x"}]}, 400, "bad_question"),
    ("chat-tool-role", "/v1/chat/completions", {"messages": [{"role": "tool", "content": "x"}]}, 422, "invalid_request"),
    ("chat-image-part", "/v1/chat/completions", {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}, 400, "bad_question"),
    ("chat-empty-question", "/v1/chat/completions", {"messages": [{"role": "user", "content": ""}]}, 400, "bad_question"),
    ("chat-stream-not-bool", "/v1/chat/completions", {"messages": [TURN], "stream": "yes"}, 422, "invalid_request"),
    ("chat-22-messages", "/v1/chat/completions", {"messages": [TURN] * 22}, 400, "bad_question"),
    ("body-over-64kb", "/api/ask", {"question": "规" * 30000}, 413, "payload_too_large"),
]  # fmt: skip


def send(client: TestClient, path: str, body: Any) -> Any:
    if isinstance(body, bytes):
        return client.post(path, content=body, headers={"content-type": "application/json"})
    return client.post(path, json=body)


@pytest.mark.parametrize(("path", "body", "status", "code"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_a_4xx(client: TestClient, path: str, body: Any, status: int, code: str) -> None:
    assert_error(send(client, path, body), status, code)


def test_body_limit_without_content_length(client: TestClient) -> None:
    """A chunked upload is cut off at the limit too."""

    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(80):
            yield "规".encode() * 400
        yield b'"}'

    assert_error(client.post("/api/ask", content=chunks()), 413, "payload_too_large")
    assert_error(send(client, "/api/ask", b"{" + b" " * MAX_BODY + b"}"), 413, "payload_too_large")


def test_wrong_method_and_unknown_route(client: TestClient) -> None:
    assert_error(client.get("/api/ask"), 405, "method_not_allowed")
    assert_error(client.get("/api/nothing-here"), 404, "not_found")


def snapshot(client: TestClient, settings: Settings) -> dict[str, Any]:
    """Everything a request could conceivably change: index files, answers, listings, stored feedback."""
    files = sorted(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in Path(settings.index_dir).rglob("*")
    )
    return {
        "files": files,
        "health": client.get("/healthz").json(),
        "answer": ask(client, FUXIN),
        "follow_up": ask(client, "那大连呢？", [{"role": "user", "content": FUXIN}]),
        "search": client.post("/api/search", json={"query": "众创空间"}).json(),
        "zones": client.get("/api/zones").json(),
        "feedback": FeedbackStore.for_dir(settings.data_dir).count(),
    }


def test_bad_input_changes_nothing(client: TestClient, settings: Settings) -> None:
    before = snapshot(client, settings)
    for _, path, body, status, _ in BAD:
        assert send(client, path, body).status_code == status
    assert snapshot(client, settings) == before


WEIRD: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    1e308,
    "",
    "x" * 3000,
    [],
    {},
    [None],
    {"a": 1},
    "\ud800",
    "\u0000",
]


def test_no_input_gives_a_500(client: TestClient) -> None:
    """Every field filled with odd values: always answered, 2xx or 4xx."""
    for value in WEIRD:
        for path, body in [
            ("/api/ask", {"question": value}),
            ("/api/ask", {"question": "阜新", "history": value}),
            ("/api/ask", {"question": "阜新", "history": [value]}),
            ("/api/search", {"query": "阜新", "k": value}),
            ("/v1/chat/completions", {"messages": value}),
            ("/v1/chat/completions", {"messages": [{"role": "user", "content": value}]}),
        ]:
            raw = json.dumps(body).encode()
            r = send(client, path, raw)
            assert r.status_code < 500, (path, body, r.text)
            assert r.status_code == 200 or "error" in r.json()
    for path in ["/api/passages/%00", "/api/passages/" + "x" * 3000, "/api/zones/%E2%80%8B", "/api/zones/ "]:
        assert client.get(path).status_code == 404


# -- security --------------------------------------------------------------------------------
def test_api_key_required_when_set(settings: Settings, bot: Assistant) -> None:
    app = create_app(replace(settings, api_key="s3cret-key"), bot=bot)
    with TestClient(app) as c:
        for headers in [
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": "s3cret-key"},
            {"Authorization": "Basic s3cret-key"},
        ]:
            r = c.post("/api/ask", json={"question": FUXIN}, headers=headers)
            assert_error(r, 401, "unauthorized")
            assert r.headers["www-authenticate"] == "Bearer"
            assert_error(c.get("/v1/models", headers=headers), 401, "unauthorized")
        # the key is checked before the body, so a bad body without a key is still 401
        assert_error(send(c, "/api/ask", b"{"), 401, "unauthorized")
        ok = {"Authorization": "Bearer s3cret-key"}
        assert c.post("/api/ask", json={"question": FUXIN}, headers=ok).status_code == 200
        assert c.get("/v1/models", headers=ok).status_code == 200
        assert c.get("/healthz").status_code == 200  # health checks need no key
        assert c.get("/docs").status_code == 200
        assert "HTTPBearer" in c.get("/openapi.json").json()["components"]["securitySchemes"]


def test_cors_off_by_default(client: TestClient) -> None:
    r = client.get("/api/zones", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options(
        "/api/ask", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in pre.headers


def test_cors_origins_configurable(settings: Settings, bot: Assistant) -> None:
    app = create_app(replace(settings, cors_origins="http://a.example, http://b.example"), bot=bot)
    with TestClient(app) as c:
        pre = c.options(
            "/api/ask",
            headers={
                "Origin": "http://b.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "http://b.example"
        r = c.get("/api/zones", headers={"Origin": "http://a.example"})
        assert r.headers["access-control-allow-origin"] == "http://a.example"
        other = c.get("/api/zones", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# -- while the index builds ------------------------------------------------------------------
def test_503_while_building_then_ready(settings: Settings, bot: Assistant) -> None:
    release = threading.Event()

    def slow_load() -> Assistant:
        release.wait(10)
        return bot

    loader = Loader(slow_load)
    with TestClient(create_app(settings, loader=loader)) as c:
        assert_error(c.get("/healthz"), 503, "index_unavailable")
        assert_error(c.post("/api/ask", json={"question": FUXIN}), 503, "index_unavailable")
        assert_error(c.get("/api/zones"), 503, "index_unavailable")
        assert c.get("/v1/models").status_code == 200  # needs no index
        assert loader.state == "building"
        release.set()
        assert loader.ready.wait(10)
        assert c.get("/healthz").json()["status"] == "ready"
        assert "液压装备制造" in c.post("/api/ask", json={"question": FUXIN}).json()["answer"]


def test_failed_load_is_503_with_the_reason(settings: Settings) -> None:
    def broken() -> Assistant:
        raise CorpusError("语料目录中没有规划文件 / no plan in corpus")

    loader = Loader(broken)
    with TestClient(create_app(settings, loader=loader)) as c:
        assert loader.ready.wait(10)
        r = c.get("/healthz")
        assert_error(r, 503, "corpus_error")
        assert "no plan in corpus" in r.json()["error"]["message"]
        assert loader.state == "failed"


def test_one_status_map() -> None:
    class Narrower(BadQuestion):
        pass

    assert status_for(BadQuestion("x")) == 400 and status_for(Narrower("x")) == 400
    assert status_for(NotFound("x")) == 404 and status_for(IndexUnavailable("x")) == 503
    assert status_for(Unauthorized("x")) == 401 and status_for(InvalidRequest("x")) == 422
    assert status_for(AssistantError("x")) == 500
    assert all(400 <= s < 600 for s in STATUS.values())
