"""Incremental indexing: per-document artifacts, the vector cache, resume after a kill, Chroma kept in step."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, Settings
from assistant.embed import E5Embedder
from assistant.index import ensure_index, fill_dense, open_index, sync
from assistant.store import read_manifest, set_enabled
from assistant.vectors import VectorCache, vector_key

PLAN_A = """甲市数字经济发展规划（2021-2025年）
一、发展目标
　　到2025年，全市数字经济核心产业增加值占地区生产总值比重达到12%；建成5G基站2万个。
二、重点任务
（一）建设数字基础设施。
　　1.推进网络建设。加快千兆光网覆盖，推动5G网络向县城延伸。
"""
PLAN_B = """乙市养老服务体系建设方案
一、主要目标
　　到2025年，全市养老机构护理型床位占比达到55%，建成社区养老服务综合体30个。
二、主要任务
（一）发展居家社区养老。
　　推进街道综合养老服务中心建设，每个街道至少建成1个。
"""


class CountingEmbedder:
    """The real e5 model, counting the passages it is asked to embed (what the cache must save)."""

    def __init__(self, inner: E5Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.embedded = 0
        self.calls = 0

    def embed_documents(self, texts):
        self.embedded += len(texts)
        self.calls += 1
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


@pytest.fixture()
def lib(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(PLAN_A, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data")


def test_adding_a_document_embeds_only_its_passages(lib, e5):
    emb = CountingEmbedder(e5)
    sync(lib, emb)
    first = emb.embedded
    index_a = open_index(lib, emb)
    assert first == len({vector_key(emb.name, t) for t in _texts(index_a)}) > 0
    (lib.corpus_dir / "b.txt").write_text(PLAN_B, encoding="utf-8")
    sync(lib, emb)
    index = open_index(lib, emb)
    b_passages = [p for p in index.passages if p.doc == "b.txt"]
    assert emb.embedded - first == len(b_passages)
    assert index.collection.count() == len(index.passages)
    assert index.dense_progress == (len(index.passages), len(index.passages))


def test_removing_a_document_drops_it_everywhere_without_embedding(lib, e5):
    (lib.corpus_dir / "b.txt").write_text(PLAN_B, encoding="utf-8")
    emb = CountingEmbedder(e5)
    sync(lib, emb)
    before = emb.embedded
    (lib.corpus_dir / "b.txt").unlink()
    sync(lib, emb)
    index = open_index(lib, emb)
    assert emb.embedded == before
    assert {p.doc for p in index.passages} == {"a.txt"}
    assert index.collection.count() == len(index.passages)
    assert len(list((lib.index_dir / "docs").glob("*.json"))) == 1


def test_changing_a_document_reembeds_only_changed_passages(lib, e5):
    (lib.corpus_dir / "b.txt").write_text(PLAN_B, encoding="utf-8")
    emb = CountingEmbedder(e5)
    sync(lib, emb)
    before = emb.embedded
    (lib.corpus_dir / "b.txt").write_text(PLAN_B.replace("55%", "60%"), encoding="utf-8")
    sync(lib, emb)
    assert emb.embedded - before == 1  # only the passage whose text changed
    index = open_index(lib, emb)
    assert any("60%" in p.text for p in index.passages)
    stored = index.collection.get(where={"doc": "b.txt"}, include=["documents"])
    assert any("60%" in d for d in stored["documents"]) and not any("55%" in d for d in stored["documents"])


def test_a_killed_embedding_resumes_without_repeating_work(tmp_path, e5):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # Enough passages for several batches of 32.
    body = "\n".join(f"（{i}）第{i}项任务。推进第{i}个园区建设，新增企业{i * 3}家。" for i in range(1, 100))
    (corpus / "big.txt").write_text("丙市园区建设方案\n一、主要任务\n" + body, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    emb = CountingEmbedder(e5)
    stop = threading.Event()
    sync(settings, emb, dense=False)
    lexical = open_index(settings, emb)  # answers at once on the lexical half
    total = len(lexical.passages)
    assert lexical.dense_progress == (0, total)
    assert (
        "第7个园区" in Assistant(settings, lexical).search("第7个园区新增企业多少家？", k=1)[0].passage.text
    )

    def kill_after_first_batch(done: int, _total: int) -> None:
        if done > 0:
            stop.set()

    fill_dense(settings, emb, lexical, progress=kill_after_first_batch, stop=stop)
    saved = VectorCache(settings.index_dir / "vectors.sqlite3").count()
    assert 0 < saved < total and emb.embedded == saved
    assert 0 < lexical.dense_progress[0] < total  # the serving index saw the batch at once
    emb2 = CountingEmbedder(e5)
    index = ensure_index(settings, emb2)  # a restart: resumes
    assert emb2.embedded == total - saved
    assert index.dense_progress == (total, total)
    assert index.collection.count() == total


def test_a_disabled_document_is_not_answered_from(lib, e5):
    (lib.corpus_dir / "b.txt").write_text(PLAN_B, encoding="utf-8")
    sync(lib, e5)
    bot = Assistant(lib, open_index(lib, e5))
    assert "55%" in bot.ask("护理型床位占比要达到多少？").answer
    manifest = set_enabled(lib, "b.txt", False)
    assert manifest["disabled"] == ["b.txt"]
    bot = bot.reopened()
    assert {p.doc for p in bot.index.passages} == {"a.txt"}
    assert "55%" not in bot.ask("护理型床位占比要达到多少？").answer
    sync(lib, e5)  # a later sync keeps the choice
    assert read_manifest(lib.index_dir)[0]["disabled"] == ["b.txt"]


def test_unreadable_files_are_listed_and_do_not_stop_the_others(lib, e5):
    (lib.corpus_dir / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (lib.corpus_dir / "empty.txt").write_bytes(b"")
    (lib.corpus_dir / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    manifest = sync(lib, e5)
    assert [d["name"] for d in manifest["documents"]] == ["a.txt"]
    failed = {f["name"]: f["error"] for f in manifest["failed"]}
    assert set(failed) == {"empty.txt", "old.docx"}  # .doc is not a library suffix at all
    assert "old.docx" in failed["old.docx"]


def test_vector_cache_roundtrip(tmp_path):
    cache = VectorCache(tmp_path / "v.sqlite3")
    v = np.arange(4, dtype=np.float32)
    cache.put_many([("k", v)])
    assert np.array_equal(cache.get_many(["k", "missing"])["k"], v)
    assert cache.count() == 1


def _texts(index):
    from assistant.index import indexed_text

    return [indexed_text(p) for p in index.passages]


def test_leftovers_of_killed_writers_are_cleaned(lib, e5):
    sync(lib, e5)
    junk = [
        lib.index_dir / "docs" / "abc.json.tmp123",
        lib.index_dir / "manifest.json.tmp99",
        lib.corpus_dir / ".upload-deadbeef",
    ]
    for p in junk:
        p.write_text("half", encoding="utf-8")
    (lib.index_dir.parent / ".index.tmp-4242").mkdir()
    sync(lib, e5)
    assert not any(p.exists() for p in junk) and not (lib.index_dir.parent / ".index.tmp-4242").exists()
    assert open_index(lib, e5).passages


def test_many_files_parse_in_worker_processes_to_the_same_artifacts(tmp_path):
    from assistant.store import PARALLEL_MIN_FILES, parse_all

    texts = [PLAN_A.replace("甲市", f"第{i}市") if i % 2 else PLAN_B for i in range(PARALLEL_MIN_FILES)]
    todo = [(f"{i:02d}.txt", t.encode("utf-8"), str(tmp_path / f"{i:02d}.json")) for i, t in enumerate(texts)]
    todo.append(("empty.txt", b"", str(tmp_path / "empty.json")))
    here = tmp_path / "here"
    here.mkdir()
    parallel = parse_all(todo, workers=2)
    serial = parse_all([(n, d, str(here / Path(a).name)) for n, d, a in todo], workers=1)
    assert parallel == serial and "error" in parallel["empty.txt"]
    for name, _, art in todo[:-1]:
        assert Path(art).read_text(encoding="utf-8") == (here / Path(art).name).read_text(encoding="utf-8"), (
            name
        )
