"""Helpers the test modules share (pytest puts this folder on sys.path: `from support import plan_bot`)."""

from __future__ import annotations

from pathlib import Path

from assistant import Assistant, Settings


def plan_bot(root: Path, files: dict[str, str | bytes]) -> Assistant:
    """An assistant over `files` (name -> text or bytes) written to root/corpus, indexed under root/index."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name, body in files.items():
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        (corpus / name).write_bytes(data)
    return Assistant.load(Settings(corpus_dir=corpus, index_dir=root / "index", llm_base_url=""))
