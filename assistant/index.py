"""Build, update and open the index, one document at a time: artifacts, a vector cache, Chroma.

chromadb lives only here. Layout of `index/`:

    manifest.json     format version, model, indexing-code hash, the documents (name, file hash,
                      artifact, format, pages, passages, enabled), unreadable files and why, artifact
                      checksums. Written last and atomically (os.replace): the commit point of a change.
    docs/<key>.json   one document's parse (title, section tree, passages with pages), its jieba
                      words and bigrams, lexicon, places, entities and targets. Immutable, named by
                      the hash of (file name, file bytes, indexing code).
    vectors.sqlite3   the vector cache (vectors.py): passage vectors by hash of (model, text)
    chroma/           Chroma PersistentClient, one collection of passage vectors, upserted per document

Adding, changing or removing one file parses that file alone and embeds only passages whose text
is new (`sync`). The lexical half (BM25, structure, facts) is ready in seconds; vectors may follow
in the background (`fill_dense`), and retrieval uses whatever vectors exist. A reader never sees
half a change: until the new manifest replaces the old one, the old documents are served.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from . import store
from .bm25 import BM25
from .embed import Embedder
from .errors import AssistantError, IndexUnavailable
from .facts import Entity
from .schema import Document, Passage, Target
from .segment import Segmenter
from .settings import Settings
from .store import (
    FORMAT_VERSION,
    PIPELINE_MODULES,
    Artifact,
    Progress,
    build_lock,
    collection_name,
    indexed_text,
    pipeline_hash,
    read_manifest,
    sync,
)
from .vectors import VectorCache, vector_key

__all__ = [
    "FORMAT_VERSION",
    "PIPELINE_MODULES",
    "Index",
    "Progress",
    "build_index",
    "collection_name",
    "ensure_index",
    "fill_dense",
    "indexed_text",
    "open_index",
    "stale_reason",
    "sync",
]


@dataclass
class Index:
    """An opened index: everything retrieval and answering read, nothing they write.

    `matrix` rows are unit passage vectors in passage order; `has_vector` says which rows are real
    (vectors still being computed in the background are zero rows that never rank).
    """

    settings: Settings
    manifest: dict[str, Any]
    documents: list[Document]
    passages: list[Passage]
    entities: list[Entity]
    targets: list[Target]
    segmenter: Segmenter
    places: dict[str, str]  # pinyin of the corpus's place names -> the name, for English questions
    words: BM25
    grams: BM25
    collection: Any
    embedder: Embedder
    matrix: np.ndarray | None = None
    has_vector: np.ndarray | None = None
    keys: list[str] = field(default_factory=list)  # vector-cache key of each passage
    by_id: dict[str, Passage] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.passages}
        self.position = {p.id: i for i, p in enumerate(self.passages)}
        self._rows: dict[str, list[int]] = {}
        for i, key in enumerate(self.keys):
            self._rows.setdefault(key, []).append(i)
        # Each document's passages are one run of rows (the store lists them document by document):
        # a search narrowed to one document reads only its rows.
        self.doc_rows: dict[str, tuple[int, int]] = {}
        for i, p in enumerate(self.passages):
            start, _ = self.doc_rows.get(p.doc, (i, i))
            self.doc_rows[p.doc] = (start, i + 1)
        if sum(end - start for start, end in self.doc_rows.values()) != len(self.passages):
            raise ValueError("passages must be grouped by document")

    @property
    def dense_progress(self) -> tuple[int, int]:
        """(passages with a vector, passages)."""
        if self.has_vector is None:
            return len(self.passages), len(self.passages)
        return int(self.has_vector.sum()), len(self.passages)

    def add_vectors(self, keys: list[str], vectors: np.ndarray) -> None:
        """Show newly computed vectors to retrieval at once (background embedding)."""
        if self.matrix is None or self.has_vector is None or not len(vectors):
            return
        if self.matrix.shape[1] == 0:  # the first vectors of an index opened with none
            self.matrix = np.zeros((len(self.passages), len(vectors[0])), dtype=np.float32)
        for key, vector in zip(keys, vectors, strict=True):
            for row in self._rows.get(key, ()):
                self.matrix[row] = vector
                self.has_vector[row] = True  # set after the row is written: never a half row

    def dense(self, vector: Any, k: int, doc: str | None = None) -> list[tuple[str, float]]:
        """Passage ids by cosine similarity to a query vector, best first (passages with vectors only;
        with `doc`, that document's only).

        A local index searches its vectors exactly in memory: at 55,000 rows of 384 floats one
        matrix-vector product and top-k takes ~5–12 ms on 2 shared cores (measured 2026-11-26), no
        more than one query embedding, with no second copy of the vectors to keep in step.
        A Chroma server is queried, and its answers outside this index's passages are dropped.
        """
        if self.matrix is not None:
            if self.matrix.shape[1] == 0 or self.has_vector is None or not self.has_vector.any():
                return []
            start, end = self.doc_rows[doc] if doc is not None else (0, len(self.passages))
            sims = self.matrix[start:end] @ np.asarray(vector, dtype=np.float32)
            has = self.has_vector[start:end]
            if not has.all():
                sims = np.where(has, sims, -np.inf)
            k = min(k, len(sims))
            top = np.argpartition(-sims, k - 1)[:k] if 0 < k < len(sims) else np.arange(len(sims))
            top = top[np.argsort(-sims[top], kind="stable")]
            return [(self.passages[start + int(i)].id, float(sims[i])) for i in top if np.isfinite(sims[i])]
        try:
            res = self.collection.query(
                query_embeddings=[list(map(float, vector))],
                n_results=min(k * 3, 300),
                where={"doc": doc} if doc is not None else None,
            )
        except Exception as exc:  # chromadb raises its own and sqlite errors alike
            raise IndexUnavailable(f"向量索引查询失败 / vector index query failed: {exc}") from exc
        pairs = zip(res["ids"][0], res["distances"][0], strict=True)
        return [(pid, 1.0 - float(dist)) for pid, dist in pairs if pid in self.by_id][:k]


def build_index(settings: Settings, embedder: Embedder, progress: Progress | None = None) -> dict[str, Any]:
    """Re-read every file and bring the index up to date, vectors included (cached vectors reused)."""
    return sync(settings, embedder, progress, rebuild=True)


def stale_reason(settings: Settings, embedder_name: str, artifacts: bool = True) -> str | None:
    """Why the index cannot be served as is (missing, damaged, stale), or None when it is sound.

    artifacts=False leaves the artifacts' checksums to the caller (`open_index` checks each one
    on the bytes it reads anyway, instead of reading every artifact twice).
    """
    manifest, reason = read_manifest(settings.index_dir)
    if manifest is None:
        return reason
    if manifest.get("format_version") != FORMAT_VERSION:
        return "索引格式版本已变 / index format changed"
    if manifest.get("pipeline") != pipeline_hash():
        return "索引程序已更新 / indexing code changed"
    if manifest.get("embedding_model") != embedder_name:
        return "嵌入模型已变 / embedding model changed"
    if manifest.get("chroma_url", "") != settings.chroma_url:
        return "向量库位置已变 / Chroma location changed"
    if store.library_state(settings.corpus_dir) != store.manifest_state(manifest):
        return "语料已变 / corpus changed"
    for name, digest in manifest.get("files", {}).items() if artifacts else ():
        path = settings.index_dir / name
        if not path.is_file() or store.sha(path) != digest:
            return f"索引文件已损坏 / index file damaged: {name}"
    if not settings.chroma_url and not (settings.index_dir / "chroma" / "chroma.sqlite3").is_file():
        return "向量索引缺失 / vector index missing"
    return None


# numpy's BLAS runs a matrix-vector product over tens of thousands of rows on a team of threads
# that then spin, waiting for more work, on the cores the query embedder's own threads need: at
# 57,860 passages that doubled the embedding inside `ask` (12 -> 26 ms median) and took ask p95 from
# 37 to 107 ms (bench/scale.py, 2026-11-26). One BLAS thread does that product in a few milliseconds.
BLAS_THREADS = 1


def open_index(settings: Settings, embedder: Embedder) -> Index:
    """Open a sound index read-only (enabled documents only); raise IndexUnavailable otherwise."""
    threadpool_limits(limits=BLAS_THREADS, user_api="blas")  # process-wide, see BLAS_THREADS
    reason = stale_reason(settings, embedder.name, artifacts=False)
    if reason:
        raise IndexUnavailable(reason)
    d = settings.index_dir
    manifest, _ = read_manifest(d)
    assert manifest is not None
    try:
        enabled = [e for e in manifest["documents"] if e.get("enabled", True)]
        arts = [Artifact.load(d / e["artifact"], e["artifact_sha"]) for e in enabled]
        passages = [p for a in arts for p in a.passages]
        texts = [indexed_text(p) for p in passages]
        keys = [vector_key(embedder.name, t) for t in texts]
        matrix, has_vector = _vectors(d, keys)
        client = store.chroma_client(settings, d)
        collection = client.get_collection(manifest["collection"])
    except AssistantError:
        raise
    except Exception as exc:  # json, sqlite and chromadb errors all mean a damaged index
        raise IndexUnavailable(f"索引已损坏 / index damaged: {exc}") from exc
    entities: dict[str, Entity] = {}
    for a in arts:
        for e in a.entities:
            entities.setdefault(e.name, e)
    places: dict[str, str] = {}
    for a in arts:
        for k, v in a.places.items():
            places.setdefault(k, v)
    return Index(
        settings=settings,
        manifest=manifest,
        documents=[a.document for a in arts],
        passages=passages,
        entities=list(entities.values()),
        targets=[t for a in arts for t in a.targets],
        segmenter=Segmenter(sorted({w for a in arts for w in a.lexicon})),
        places=places,
        words=BM25(w for a in arts for w in a.words()),
        grams=BM25(g for a in arts for g in a.grams()),
        collection=collection,
        embedder=embedder,
        matrix=None if settings.chroma_url else matrix,
        has_vector=None if settings.chroma_url else has_vector,
        keys=keys,
    )


def _vectors(index_dir: Path, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    cache = VectorCache(index_dir / store.VECTORS)
    try:
        found = cache.get_many(keys)
    finally:
        cache.close()
    dim = len(next(iter(found.values()))) if found else 0
    matrix = np.zeros((len(keys), dim), dtype=np.float32)
    has = np.zeros(len(keys), dtype=bool)
    for i, key in enumerate(keys):
        v = found.get(key)
        if v is not None:
            matrix[i] = v
            has[i] = True
    return matrix, has


def fill_dense(
    settings: Settings,
    embedder: Embedder,
    index: Index | None = None,
    progress: Progress | None = None,
    stop: Any = None,
) -> None:
    """Compute the vectors the index still lacks, saving each batch to the cache and to Chroma.

    With `index`, each batch is also shown to that serving index at once. Safe to kill at any
    point: a restart finds the saved batches in the cache and goes on from there.
    """
    with build_lock(settings.index_dir):
        store.embed_all(settings, embedder, progress, stop, index.add_vectors if index else None)


def ensure_index(
    settings: Settings, embedder: Embedder, progress: Progress | None = None, dense: bool = True
) -> Index:
    """Open the index, bringing it up to date first when anything changed or is damaged.

    dense=False: only the lexical half is brought up to date before opening; call `fill_dense`.
    """
    if stale_reason(settings, embedder.name) is not None:
        sync(settings, embedder, progress, dense=dense)
    elif dense:
        index = open_index(settings, embedder)
        if index.has_vector is not None and not index.has_vector.all():
            fill_dense(settings, embedder, index, progress)
        return index
    return open_index(settings, embedder)


def manifest_summary(manifest: dict[str, Any]) -> Iterator[str]:
    """Human lines about a manifest (CLI)."""
    for e in manifest.get("documents", []):
        state = "" if e.get("enabled", True) else " (停用 / disabled)"
        yield f"{e['name']}: {e['passages']} passages, {e['format']}{state}"
    for f in manifest.get("failed", []):
        yield f"{f['name']}: 无法读取 / unreadable — {f['error']}"
