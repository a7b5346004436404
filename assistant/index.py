"""Build, check and open the versioned index: Chroma vectors + two BM25 views + facts.

chromadb lives only here. Layout of `index/`:

    manifest.json   format version, embedding model, corpus hash, file checksums (written last)
    store.json      documents (title, section tree) and passages
    lexical.json    jieba words and character bigrams of every passage, and the jieba lexicon
    facts.json      entities and targets extracted by rule
    chroma/         Chroma PersistentClient with one collection of passage vectors

A build goes to a temporary folder that replaces `index/` whole, so a reader
never sees half an index; a missing manifest, a checksum or count mismatch,
a changed corpus or a different model all mean "stale", never "serve anyway".
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from .bm25 import BM25
from .corpus import corpus_hash, read_corpus
from .embed import Embedder, make_embedder
from .errors import AssistantError, IndexUnavailable
from .facts import Entity, extract_entities, extract_targets
from .schema import SECTION_SEP, Document, Passage, Section, Target
from .segment import Segmenter, bigrams
from .settings import Settings

FORMAT_VERSION = 4
# The modules whose code decides what an index contains: changing any of them makes old indexes stale.
PIPELINE_MODULES = ("corpus.py", "segment.py", "facts.py", "index.py", "bm25.py", "glossary.py")
COLLECTION = "passages"
FILES = ("store.json", "lexical.json", "facts.json")
Progress = Callable[[int, int], None]


@register_embedding_function
class AssistantEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our Embedder. Registered so a reopened collection needs no download."""

    def __init__(self, embedder: Embedder | None = None, config: dict[str, Any] | None = None) -> None:
        self._config = config or {}
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(Settings(**self._config))
        return self._embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_documents(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self.embedder.embed_query(t) for t in input]

    @staticmethod
    def name() -> str:
        return "planning-assistant"

    def get_config(self) -> dict[str, Any]:
        return dict(self._config)

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> AssistantEmbeddingFunction:
        return AssistantEmbeddingFunction(config=config)

    def default_space(self) -> Any:
        return "cosine"


def indexed_text(p: Passage) -> str:
    """What the rankers see: the last headings give a terse entry its context ("专栏3 主导产业 › 阜新高新区：…")."""
    return SECTION_SEP.join(p.section[-2:]) + "\n" + p.text


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pipeline_hash() -> str:
    """Hash of the indexing code itself, so a changed parser never serves an index it did not build."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in PIPELINE_MODULES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def _section_from_dict(doc: str, d: dict[str, Any]) -> Section:
    return Section(
        doc=doc,
        path=tuple(d["path"].split(SECTION_SEP)),
        start=d["start"],
        end=d["end"],
        children=tuple(_section_from_dict(doc, c) for c in d["children"]),
        passage_ids=tuple(d["passages"]),
    )


def _chroma_client(settings: Settings, folder: Path) -> Any:
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
    return chromadb.PersistentClient(
        path=str(folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )


def collection_name(settings: Settings, chash: str, model: str) -> str:
    """Local indexes use one fixed name; a shared Chroma server keys collections by corpus and model."""
    if not settings.chroma_url:
        return COLLECTION
    key = hashlib.sha1(f"{chash}:{model}".encode()).hexdigest()[:16]
    return f"plans-{key}"


@dataclass
class Index:
    """An opened index: everything retrieval and answering read, nothing they write."""

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
    matrix: np.ndarray | None = None  # unit passage vectors in passage order (local indexes)
    by_id: dict[str, Passage] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {p.id: p for p in self.passages}
        self.position = {p.id: i for i, p in enumerate(self.passages)}

    def dense(self, vector: Any, k: int) -> list[tuple[str, float]]:
        """Passage ids by cosine similarity to a query vector, best first.

        A local index's vectors are read from Chroma once and searched exactly in memory (a few hundred
        rows: a dot product beats a round trip through the HNSW index); a Chroma server is queried.
        """
        if self.matrix is not None:
            sims = self.matrix @ np.asarray(vector, dtype=np.float32)
            top = np.argsort(-sims, kind="stable")[: min(k, len(self.passages))]
            return [(self.passages[int(i)].id, float(sims[i])) for i in top]
        try:
            res = self.collection.query(
                query_embeddings=[list(map(float, vector))], n_results=min(k, len(self.passages))
            )
        except Exception as exc:  # chromadb raises its own and sqlite errors alike
            raise IndexUnavailable(f"向量索引查询失败 / vector index query failed: {exc}") from exc
        return [
            (pid, 1.0 - float(dist)) for pid, dist in zip(res["ids"][0], res["distances"][0], strict=True)
        ]


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    """One builder at a time per index folder, across processes."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.parent / f".{index_dir.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_index(settings: Settings, embedder: Embedder, progress: Progress | None = None) -> dict[str, Any]:
    """Parse the corpus, embed and index it in a temporary folder, then swap it in whole."""
    t0 = time.perf_counter()
    docs = read_corpus(settings.corpus_dir)
    chash = corpus_hash(settings.corpus_dir)
    passages = [p for d in docs for p in d.passages]
    entities = extract_entities(passages)
    targets = extract_targets(passages)
    lexicon = sorted({n for e in entities for n in e.all_names() if not n.isascii()} | _heading_terms(docs))
    seg = Segmenter(lexicon)
    texts = [indexed_text(p) for p in passages]

    index_dir = settings.index_dir
    with _build_lock(index_dir):
        tmp = index_dir.parent / f".{index_dir.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            store = {
                "documents": [
                    {"name": d.name, "title": d.title, "sections": [s.to_dict() for s in d.sections]}
                    for d in docs
                ],
                "passages": [p.to_dict() for p in passages],
            }
            lexical = {
                "lexicon": lexicon,
                "places": seg.places(" ".join(p.text for p in passages)),
                "words": [seg.words(t) for t in texts],
                "grams": [bigrams(t) for t in texts],
            }
            facts = {
                "entities": [{"name": e.name, "aliases": list(e.aliases)} for e in entities],
                "targets": [t.to_dict() for t in targets],
            }
            for name, data in zip(FILES, (store, lexical, facts), strict=True):
                (tmp / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

            name = collection_name(settings, chash, embedder.name)
            client = _chroma_client(settings, tmp)
            if settings.chroma_url:
                try:
                    client.delete_collection(name)
                except Exception:  # absent collection: nothing to delete
                    pass
            ef = AssistantEmbeddingFunction(embedder, config=_ef_config(settings))
            col = client.create_collection(name, embedding_function=ef, metadata={"hnsw:space": "cosine"})
            batch = 32
            for i in range(0, len(passages), batch):
                chunk = passages[i : i + batch]
                col.add(
                    ids=[p.id for p in chunk],
                    documents=texts[i : i + batch],
                    metadatas=[{"doc": p.doc, "section": p.section_path} for p in chunk],
                )
                if progress:
                    progress(min(i + batch, len(passages)), len(passages))
            del col, client
            _forget_chroma_clients()

            manifest = {
                "format_version": FORMAT_VERSION,
                "embedding_model": embedder.name,
                "corpus_hash": chash,
                "pipeline": pipeline_hash(),
                "collection": name,
                "chroma_url": settings.chroma_url,
                "documents": [d.name for d in docs],
                "passages": len(passages),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "build_seconds": round(time.perf_counter() - t0, 2),
                "files": {n: _sha(tmp / n) for n in FILES},
            }
            # The manifest is written last: its presence marks a complete build.
            (tmp / "manifest.json").write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
            )
            old = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}"
            if index_dir.exists():
                index_dir.rename(old)
            tmp.rename(index_dir)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            _forget_chroma_clients()
            raise
    return manifest


def _ef_config(settings: Settings) -> dict[str, Any]:
    return {
        "embedder": settings.embedder,
        "st_model": settings.st_model,
        "embed_threads": settings.embed_threads,
    }


def _forget_chroma_clients() -> None:
    """Chroma caches one client per path in-process; a swapped folder must be opened afresh."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _heading_terms(docs: list[Document]) -> set[str]:
    """Quoted terms and short heading phrases become jieba words, so they are never split."""
    terms: set[str] = set()
    for d in docs:
        terms.update(re.findall(r"[“\"《]([^”\"》]{2,12})[”\"》]", d.text))
    return {t for t in terms if not re.search(r"[，。、；]", t)}


def stale_reason(settings: Settings, embedder_name: str) -> str | None:
    """Why the index cannot be served as is (missing, damaged, stale), or None when it is sound."""
    index_dir = settings.index_dir
    mpath = index_dir / "manifest.json"
    if not mpath.is_file():
        return "索引不存在或未完成 / index missing or incomplete"
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "索引清单已损坏 / manifest unreadable"
    if manifest.get("format_version") != FORMAT_VERSION:
        return "索引格式版本已变 / index format changed"
    if manifest.get("pipeline") != pipeline_hash():
        return "索引程序已更新 / indexing code changed"
    if manifest.get("embedding_model") != embedder_name:
        return "嵌入模型已变 / embedding model changed"
    if manifest.get("chroma_url", "") != settings.chroma_url:
        return "向量库位置已变 / Chroma location changed"
    if manifest.get("corpus_hash") != corpus_hash(settings.corpus_dir):
        return "语料已变 / corpus changed"
    for name, digest in manifest.get("files", {}).items():
        path = index_dir / name
        if not path.is_file() or _sha(path) != digest:
            return f"索引文件已损坏 / index file damaged: {name}"
    if not settings.chroma_url and not (index_dir / "chroma" / "chroma.sqlite3").is_file():
        return "向量索引缺失 / vector index missing"
    return None


def open_index(settings: Settings, embedder: Embedder) -> Index:
    """Open a sound index read-only; raise IndexUnavailable (with the reason) otherwise."""
    reason = stale_reason(settings, embedder.name)
    if reason:
        raise IndexUnavailable(reason)
    d = settings.index_dir
    try:
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
        store = json.loads((d / "store.json").read_text(encoding="utf-8"))
        lexical = json.loads((d / "lexical.json").read_text(encoding="utf-8"))
        facts = json.loads((d / "facts.json").read_text(encoding="utf-8"))
        passages = [Passage.from_dict(p) for p in store["passages"]]
        by_doc: dict[str, list[Passage]] = {}
        for p in passages:
            by_doc.setdefault(p.doc, []).append(p)
        documents = [
            Document(
                name=doc["name"],
                title=doc["title"],
                text="",
                sections=tuple(_section_from_dict(doc["name"], s) for s in doc["sections"]),
                passages=tuple(by_doc.get(doc["name"], [])),
            )
            for doc in store["documents"]
        ]
        client = _chroma_client(settings, d)
        ef = AssistantEmbeddingFunction(embedder, config=_ef_config(settings))
        collection = client.get_collection(manifest["collection"], embedding_function=ef)
        count = collection.count()
        matrix = None
        if not settings.chroma_url:
            stored = collection.get(include=["embeddings"])
            order = {pid: i for i, pid in enumerate(stored["ids"])}
            vectors = np.asarray(stored["embeddings"], dtype=np.float32)
            matrix = vectors[[order[p.id] for p in passages]]
    except AssistantError:
        raise
    except Exception as exc:  # json, sqlite and chromadb errors all mean a damaged index
        raise IndexUnavailable(f"索引已损坏 / index damaged: {exc}") from exc
    if count != len(passages) or len(lexical["words"]) != len(passages):
        raise IndexUnavailable("索引条目数不一致 / index counts disagree")
    return Index(
        settings=settings,
        manifest=manifest,
        documents=documents,
        passages=passages,
        entities=[Entity(e["name"], tuple(e["aliases"])) for e in facts["entities"]],
        targets=[Target(**t) for t in facts["targets"]],
        segmenter=Segmenter(lexical["lexicon"]),
        places=lexical["places"],
        words=BM25(lexical["words"]),
        grams=BM25(lexical["grams"]),
        collection=collection,
        embedder=embedder,
        matrix=matrix,
    )


def ensure_index(settings: Settings, embedder: Embedder, progress: Progress | None = None) -> Index:
    """Open the index, building it first when it is missing, stale or damaged."""
    try:
        return open_index(settings, embedder)
    except IndexUnavailable:
        build_index(settings, embedder, progress)
        return open_index(settings, embedder)
