"""A real server on a free port (API + UI in one app), driven by the official `openai` client and httpx."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import httpx
import openai
import pytest
from live_server import live_server

from assistant import Assistant, Settings
from assistant.api import MODEL_ID
from assistant.loader import Loader
from assistant.server import build_app

ROOT = Path(__file__).resolve().parent.parent
KEY = "test-key-123"
FUXIN = "阜新高新区主导产业是什么？"


@pytest.fixture(scope="module")
def server_settings(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return replace(settings, api_key=KEY, data_dir=tmp_path_factory.mktemp("server-data"))


@pytest.fixture(scope="module")
def base_url(server_settings: Settings, bot: Assistant) -> Iterator[str]:
    with live_server(build_app(server_settings, bot=bot)) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=KEY, max_retries=0, timeout=30)


def test_openai_client_plain(client: openai.OpenAI) -> None:
    assert [m.id for m in client.models.list()] == [MODEL_ID]
    reply = client.chat.completions.create(
        model=MODEL_ID,
        messages=[{"role": "system", "content": "请简洁回答。"}, {"role": "user", "content": FUXIN}],
    )
    text = reply.choices[0].message.content or ""
    assert text.startswith("阜新高新区：液压装备制造、农产品深加工、电子信息。[1]")
    assert "来源：" in text and "专栏3 高新区主导产业发展情况" in text
    assert reply.choices[0].finish_reason == "stop"
    extra = reply.model_extra or {}
    assert "专栏3" in extra["citations"][0]["section"] and extra["found"] is True


def test_openai_client_streaming_follow_up(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model=MODEL_ID,
        messages=[
            {"role": "user", "content": FUXIN},
            {"role": "assistant", "content": "阜新高新区：液压装备制造、农产品深加工、电子信息。[1]"},
            {"role": "user", "content": "那大连呢？"},
        ],
        stream=True,
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text.startswith("大连高新区：软件和服务外包产业。[1]") and "专栏3" in text
    assert len(chunks) > 5
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert "专栏3" in (chunks[-1].model_extra or {})["citations"][0]["section"]


def test_openai_client_errors(base_url: str, client: openai.OpenAI) -> None:
    wrong = openai.OpenAI(base_url=f"{base_url}/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": FUXIN}])
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": "   "}])
    assert err.value.status_code == 400 and "问题为空" in str(err.value)


def test_api_and_ui_on_one_port(base_url: str) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    with httpx.Client(base_url=base_url, timeout=30) as h:
        assert h.get("/healthz").json()["status"] == "ready"
        assert h.post("/api/ask", json={"question": FUXIN}).status_code == 401
        r = h.post("/api/ask", json={"question": FUXIN}, headers=auth)
        assert "液压装备制造" in r.json()["answer"]
        assert h.get("/docs").status_code == 200
        page = h.get("/")
        assert page.status_code == 200 and "<html" in page.text  # the Gradio page (its login form here)
        # with a key set the UI's own endpoints need a login too
        assert h.get("/config").status_code == 401
        assert h.post("/login", data={"username": "anyone", "password": "wrong"}).status_code == 400
        assert h.post("/login", data={"username": "anyone", "password": KEY}).status_code == 200
        assert h.get("/config").status_code == 200


def test_concurrent_requests(base_url: str) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    questions = [
        FUXIN,
        "沈阳高新区要建设哪些众创空间？",
        "国家级高新区有几个？",
        "规划提出了哪些保障措施？",
    ] * 4
    with httpx.Client(base_url=base_url, timeout=60, headers=auth) as h, ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda q: h.post("/api/ask", json={"question": q}), questions))
    assert [r.status_code for r in results] == [200] * len(questions)
    assert "液压装备制造" in results[0].json()["answer"] and "液压装备制造" in results[4].json()["answer"]


def test_listens_at_once_and_answers_503_while_building(settings: Settings, bot: Assistant) -> None:
    release = threading.Event()

    def slow_load() -> Assistant:
        release.wait(20)
        return bot

    app = build_app(replace(settings, api_key=""), loader=Loader(slow_load))
    with live_server(app) as url, httpx.Client(base_url=url, timeout=10) as h:
        r = h.get("/healthz")
        assert r.status_code == 503 and r.json()["error"]["code"] == "index_unavailable"
        assert h.post("/api/ask", json={"question": FUXIN}).status_code == 503
        assert h.get("/").status_code == 200  # the page is served while the index builds
        release.set()
        deadline = time.monotonic() + 10
        while h.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "液压装备制造" in h.post("/api/ask", json={"question": FUXIN}).json()["answer"]


def test_app_py_serves(settings: Settings, bot: Assistant, tmp_path: Path) -> None:
    """`python app.py` as a user runs it: env settings, one port, UI and API."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "ASSISTANT_PORT": str(port),
        "ASSISTANT_HOST": "127.0.0.1",
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),  # the session's index, already built
        "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
        "ASSISTANT_DATA_DIR": str(tmp_path),
        "ASSISTANT_API_KEY": "",
        "ASSISTANT_LLM_BASE_URL": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as h:
            while True:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline
                try:
                    if h.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            assert "液压装备制造" in h.post("/api/ask", json={"question": FUXIN}).json()["answer"]
            # The UI is built in the background: a self-refreshing loading page (503), then Gradio's.
            while (page := h.get("/")).status_code == 503:
                assert "加载中" in page.text and time.monotonic() < deadline
                time.sleep(0.1)
            assert page.status_code == 200 and "规划问答助手" in page.text and "gradio" in page.text.lower()
            assert h.get("/config").status_code == 200  # Gradio's own routes answer behind the mount
    finally:
        proc.terminate()
        proc.wait(10)
