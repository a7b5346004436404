"""Nothing is downloaded at run time: build, load and answer inside a network namespace with no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import socket, sys
sys.path.insert(0, {root!r})
real_connect = socket.socket.connect
def guarded(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (host.startswith("127.") or host in ("::1", "localhost") or host.startswith("/")):
        raise SystemExit(f"network access attempted: {{address}}")
    return real_connect(self, address)
socket.socket.connect = guarded
from assistant import Assistant, Settings
bot = Assistant.load(Settings.from_env(corpus_dir={corpus!r}, index_dir={index!r}))
answer = bot.ask("到2025年园区农产品加工转化率要达到多少？")
assert answer.found and "75%" in answer.answer, answer
print("OFFLINE-OK", bot.info()["passages"])
"""


def run_isolated(tmp_path: Path, prefix: list[str]) -> subprocess.CompletedProcess[str]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(next((ROOT / "tests" / "corpus_second").glob("*.txt")), corpus)
    script = SCRIPT.format(root=str(ROOT), corpus=str(corpus), index=str(tmp_path / "index"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    return subprocess.run(
        [*prefix, sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env
    )


def test_build_and_answer_with_sockets_guarded(tmp_path):
    """Any connection to a non-loopback address ends the process: none may be attempted."""
    out = run_isolated(tmp_path, [])
    assert "network access attempted" not in out.stdout + out.stderr
    assert out.returncode == 0 and "OFFLINE-OK" in out.stdout, out.stderr[-2000:]


def _unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _unshare_works(), reason="needs unshare -n (root in a Linux sandbox)")
def test_build_and_answer_without_any_network(tmp_path):
    out = run_isolated(tmp_path, ["unshare", "-n"])
    assert out.returncode == 0 and "OFFLINE-OK" in out.stdout, out.stderr[-2000:]
