"""Writing the index: per-document artifacts, the manifest, vectors into the cache and Chroma.

The one incremental-indexing mechanism, shared by the library (upload, remove, enable) and by
large corpora (answer early, embed in the background, resume after a kill):

- `sync` brings the lexical half up to date: a file whose (name, bytes, indexing code) already
  has an artifact is not read again; a new or changed file is read and parsed alone.
- `embed_all` gives every passage a vector: from the cache when its text was embedded before,
  else embedded now, batch by batch, each batch saved before the next starts. The most recently
  added documents go first (`priority_groups`): an upload is answered densely within seconds,
  not after the backlog of a large first build.
- A large first build parses its files in worker processes (`parse_all`): jieba is pure Python.

chromadb is imported only here and in nothing else (index.py reads through `chroma_client`).
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
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from .corpus import corpus_files, doc_key, parse_file
from .embed import Embedder, make_embedder
from .errors import CorpusError, IndexUnavailable, UnreadableDocument
from .facts import Entity, extract_entities, extract_targets
from .schema import SECTION_SEP, Document, Passage, Section, Target
from .segment import Segmenter, bigrams
from .settings import Settings
from .vectors import VectorCache, fill, vector_key

FORMAT_VERSION = 5
# The modules whose code decides what an artifact contains: changing any of them re-parses every file.
PIPELINE_MODULES = (
    "corpus.py",
    "segment.py",
    "facts.py",
    "store.py",
    "bm25.py",
    "glossary.py",
    "data/colloquial.tsv",  # its words join the segmenter's dictionary
    "readers/*.py",
)
COLLECTION = "passages"
VECTORS = "vectors.sqlite3"
# Chroma takes at most ~5,000 records per call; 1,000 keeps each call's memory small.
CHROMA_BATCH = 1000
Progress = Callable[[int, int], None]
# A first build of this many files or more parses in worker processes (`parse_all`); fewer, here.
PARALLEL_MIN_FILES = 16
PARSE_WORKERS = 4


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


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def pipeline_hash() -> str:
    """Hash of the indexing code itself, so a changed parser never serves artifacts it did not make.

    Computed once per process: the code that runs is the code imported at start (and every artifact
    key needs it: reading the modules again for each of 781 files cost 0.37 s a sync)."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for pattern in PIPELINE_MODULES:
        for path in sorted(here.glob(pattern)):
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def chroma_client(settings: Settings, folder: Path) -> Any:
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


def collection_name(settings: Settings, model: str) -> str:
    """Local indexes use one fixed name; on a shared Chroma server a library folder and model own one."""
    if not settings.chroma_url:
        return COLLECTION
    key = hashlib.sha1(f"{settings.corpus_dir}:{model}".encode()).hexdigest()[:16]
    return f"plans-{key}"


def _ef_config(settings: Settings) -> dict[str, Any]:
    return {
        "embedder": settings.embedder,
        "st_model": settings.st_model,
        "embed_threads": settings.embed_threads,
    }


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time per index folder, across processes."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.parent / f".{index_dir.name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# -- artifacts ------------------------------------------------------------------------------------
@dataclass
class Artifact:
    """One document's share of the index, as stored in docs/<key>.json."""

    document: Document
    passages: list[Passage]
    lexicon: list[str]
    places: dict[str, str]
    entities: list[Entity]
    targets: list[Target]
    word_lines: list[str]  # each passage's jieba words, space-joined (one string, not a list: memory)
    gram_lines: list[str]

    def words(self) -> Iterator[list[str]]:
        return (line.split(" ") if line else [] for line in self.word_lines)

    def grams(self) -> Iterator[list[str]]:
        return (line.split(" ") if line else [] for line in self.gram_lines)

    @staticmethod
    def make(doc: Document, seg: Segmenter) -> dict[str, Any]:
        """The JSON of a document's artifact; its tokens depend on this document alone."""
        passages = list(doc.passages)
        entities = extract_entities(passages)
        lexicon = sorted(
            {n for e in entities for n in e.all_names() if not n.isascii()} | _heading_terms(doc)
        )
        texts = [indexed_text(p) for p in passages]
        words = seg.words_with(texts, lexicon)
        return {
            "document": {
                "name": doc.name,
                "title": doc.title,
                "format": doc.format,
                "pages": doc.pages,
                "needs_ocr": list(doc.needs_ocr),
                "sections": [s.to_dict() for s in doc.sections],
            },
            "passages": [p.to_dict() for p in passages],
            "lexicon": lexicon,
            "places": seg.places_in(w for ws in words for w in ws),
            "entities": [{"name": e.name, "aliases": list(e.aliases)} for e in entities],
            "targets": [t.to_dict() for t in extract_targets(passages)],
            "words": [" ".join(ws) for ws in words],
            "grams": [" ".join(bigrams(t)) for t in texts],
        }

    @classmethod
    def load(cls, path: Path, digest: str | None = None) -> Artifact:
        """Read an artifact; with `digest`, the bytes read are checked against it (one read, not two)."""
        raw = path.read_bytes()
        if digest is not None and hashlib.sha256(raw).hexdigest() != digest:
            raise IndexUnavailable(f"索引文件已损坏 / index file damaged: {path.parent.name}/{path.name}")
        data = json.loads(raw.decode("utf-8"))
        d = data["document"]
        passages = [Passage.from_dict(p) for p in data["passages"]]
        document = Document(
            name=d["name"],
            title=d["title"],
            text="",
            sections=tuple(_section_from_dict(d["name"], s) for s in d["sections"]),
            passages=tuple(passages),
            format=d.get("format", "txt"),
            pages=d.get("pages", 0),
            needs_ocr=tuple(d.get("needs_ocr", ())),
        )
        if len(data["words"]) != len(passages) or len(data["grams"]) != len(passages):
            raise IndexUnavailable(f"索引条目数不一致 / index counts disagree: {path.name}")
        return cls(
            document=document,
            passages=passages,
            lexicon=data["lexicon"],
            places=data["places"],
            entities=[Entity(e["name"], tuple(e["aliases"])) for e in data["entities"]],
            targets=[Target(**t) for t in data["targets"]],
            word_lines=data["words"],
            gram_lines=data["grams"],
        )


def _section_from_dict(doc: str, d: dict[str, Any]) -> Section:
    return Section(
        doc=doc,
        path=tuple(d["path"].split(SECTION_SEP)),
        start=d["start"],
        end=d["end"],
        children=tuple(_section_from_dict(doc, c) for c in d["children"]),
        passage_ids=tuple(d["passages"]),
    )


def _heading_terms(doc: Document) -> set[str]:
    """Quoted terms become jieba words, so they are never split."""
    text = " ".join(p.text for p in doc.passages) + " " + doc.title
    terms = set(re.findall(r"[“\"《]([^”\"》]{2,12})[”\"》]", text))
    return {t for t in terms if not re.search(r"[，。、；]", t)}


def artifact_key(name: str, digest: str) -> str:
    return hashlib.sha1(f"{name}\0{digest}\0{pipeline_hash()}".encode()).hexdigest()[:20]


# -- the manifest ---------------------------------------------------------------------------------
def read_manifest(index_dir: Path) -> tuple[dict[str, Any] | None, str]:
    """The manifest, or None and why not."""
    path = index_dir / "manifest.json"
    if not path.is_file():
        return None, "索引不存在或未完成 / index missing or incomplete"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("documents"), list):
            raise ValueError("not a manifest")
        return manifest, ""
    except (OSError, ValueError):
        return None, "索引清单已损坏 / manifest unreadable"


def write_json(path: Path, data: Any) -> None:
    """Write whole or not at all: a temporary file renamed over the target."""
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def write_manifest(index_dir: Path, manifest: dict[str, Any]) -> None:
    manifest["files"] = {e["artifact"]: e["artifact_sha"] for e in manifest["documents"]}
    write_json(index_dir / "manifest.json", manifest)


def library_state(corpus_dir: Path) -> list[tuple[str, str]]:
    """(file name, content hash) of every document file in the library folder."""
    return [(p.name, sha(p)) for p in corpus_files(corpus_dir)]


def manifest_state(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [(e["name"], e["sha"]) for e in manifest.get("documents", [])]
    rows += [(f["name"], f["sha"]) for f in manifest.get("failed", [])]
    return sorted(rows)


# -- sync -----------------------------------------------------------------------------------------
def sync(
    settings: Settings,
    embedder: Embedder,
    progress: Progress | None = None,
    dense: bool = True,
    rebuild: bool = False,
    stop: Any = None,
) -> dict[str, Any]:
    """Bring the index up to date with the library folder; returns the new manifest.

    Only new or changed files are read (all of them with rebuild=True). Unreadable files are
    listed in the manifest with the reason and never stop the others. dense=False leaves the
    vectors to `embed_all` (answering starts on the lexical half at once).
    """
    t0 = time.perf_counter()
    index_dir = settings.index_dir
    with build_lock(index_dir):
        clean_leftovers(settings)
        (index_dir / "docs").mkdir(parents=True, exist_ok=True)
        old, _ = read_manifest(index_dir)
        reusable = (
            old is not None
            and old.get("format_version") == FORMAT_VERSION
            and old.get("pipeline") == pipeline_hash()
        )
        before = {e["name"]: e for e in old["documents"]} if old and reusable else {}
        entries: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        keys_seen: dict[str, str] = {}
        files = corpus_files(settings.corpus_dir)
        # One time for every file this sync adds: they are one group when vectors are prioritised.
        added_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        plan: list[tuple[Path, str, int, str, Path, dict[str, Any] | None, bool]] = []
        todo: list[tuple[str, bytes, str]] = []
        for path in files:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            key = artifact_key(path.name, digest)
            art = index_dir / "docs" / f"{key}.json"
            prev = before.get(path.name)
            reuse = (
                not rebuild
                and prev is not None
                and prev["sha"] == digest
                and art.is_file()
                and sha(art) == prev["artifact_sha"]
            )
            plan.append((path, digest, len(data), key, art, prev, reuse))
            if not reuse:
                todo.append((path.name, data, str(art)))
        parsed = parse_all(todo)
        for path, digest, size, key, art, prev, reuse in plan:
            if reuse:
                assert prev is not None
                entries.append(prev)
                keys_seen[doc_key(path.name)] = path.name
                continue
            clash = keys_seen.get(doc_key(path.name))
            try:
                if clash:
                    raise UnreadableDocument(
                        f"{path.name}：与 {clash} 的编号冲突，请改名 / id clashes with {clash}: rename the file"
                    )
                result = parsed[path.name]
                if "error" in result:
                    raise UnreadableDocument(result["error"], result["status"])
            except UnreadableDocument as exc:
                failed.append({"name": path.name, "sha": digest, "error": exc.message, "status": exc.status})
                continue
            keys_seen[doc_key(path.name)] = path.name
            entries.append(
                {
                    "name": path.name,
                    "id": doc_key(path.name),
                    "sha": digest,
                    "size": size,
                    "artifact": f"docs/{key}.json",
                    "artifact_sha": sha(art),
                    **result,
                    "added_at": (prev or {}).get("added_at") or added_at,
                }
            )
        if not entries:
            why = "；".join(f["error"] for f in failed) or f"no document in {settings.corpus_dir}"
            raise CorpusError(f"语料目录中没有可读的文档 / no readable document: {why}")
        disabled = set(old.get("disabled", [])) if old else set()
        for e in entries:
            e["enabled"] = e["name"] not in disabled
        manifest: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "embedding_model": embedder.name,
            "pipeline": pipeline_hash(),
            "collection": collection_name(settings, embedder.name),
            "chroma_url": settings.chroma_url,
            "documents": entries,
            "failed": failed,
            "disabled": sorted(disabled & {e["name"] for e in entries}),
            "passages": sum(e["passages"] for e in entries),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(time.perf_counter() - t0, 2),
        }
        _ensure_collection(settings, embedder, index_dir, manifest["collection"])
        write_manifest(index_dir, manifest)  # the commit point
        referenced = {e["artifact"].split("/")[-1] for e in entries}
        for p in (index_dir / "docs").iterdir():
            if p.name not in referenced:
                p.unlink(missing_ok=True)
        if dense:
            embed_all(settings, embedder, progress, stop)
    return manifest


def parse_one(name: str, data: bytes, art: str, seg: Segmenter | None = None) -> dict[str, Any]:
    """Parse one file and write its artifact; the manifest's fields for it, or why it is unreadable."""
    try:
        doc = parse_file(name, data)
        if not doc.passages:
            raise UnreadableDocument(
                f"{name}：没有读出文字 / no text found in {name}"
                + (f"（第{list(doc.needs_ocr)}页需要 OCR / pages need OCR）" if doc.needs_ocr else "")
            )
    except UnreadableDocument as exc:
        return {"error": exc.message, "status": exc.status}
    write_json(Path(art), Artifact.make(doc, seg or Segmenter()))
    return {
        "title": doc.title,
        "format": doc.format,
        "pages": doc.pages,
        "needs_ocr": list(doc.needs_ocr),
        "ocr_pages": sorted({p.page for p in doc.passages if p.ocr and p.page}),
        "passages": len(doc.passages),
    }


def parse_all(todo: list[tuple[str, bytes, str]], workers: int | None = None) -> dict[str, dict[str, Any]]:
    """`parse_one` of each (name, bytes, artifact path): in worker processes when there are many.

    jieba is pure Python and single-threaded: tokenising 4 M characters takes ~40 s on one core,
    most of the time to first answer on a large first build. Worker processes share that over the
    cores. They are plain subprocesses reading their share on stdin, not multiprocessing: that
    would fork a threaded server, or re-run the caller's main script in each worker. A few files
    (an upload) are parsed here.
    """
    workers = workers if workers is not None else min(os.cpu_count() or 1, PARSE_WORKERS)
    if len(todo) < PARALLEL_MIN_FILES or workers < 2:
        seg = Segmenter() if todo else None
        return {name: parse_one(name, data, art, seg) for name, data, art in todo}
    import pickle
    import subprocess
    import sys

    # Largest first, each to the least loaded worker: the shares end at about the same time.
    shares: list[list[tuple[str, bytes, str]]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for item in sorted(todo, key=lambda t: -len(t[1])):
        w = loads.index(min(loads))
        shares[w].append(item)
        loads[w] += len(item[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")]
        ),
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", "from assistant.store import parse_worker; parse_worker()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        for _ in shares
    ]
    for proc, share in zip(procs, shares, strict=True):
        assert proc.stdin is not None
        proc.stdin.write(pickle.dumps(share))
        proc.stdin.close()
    results: dict[str, dict[str, Any]] = {}
    for proc in procs:
        assert proc.stdout is not None
        out = proc.stdout.read()
        if proc.wait() != 0:
            raise IndexUnavailable(f"解析进程失败 / a parsing worker failed (exit {proc.returncode})")
        results.update(pickle.loads(out))
    return results


def parse_worker() -> None:
    """A `parse_all` worker: (name, bytes, artifact path) items on stdin, their results on stdout."""
    import pickle
    import sys

    todo = pickle.loads(sys.stdin.buffer.read())
    seg = Segmenter()
    results = {name: parse_one(name, data, art, seg) for name, data, art in todo}
    sys.stdout.buffer.write(pickle.dumps(results))


def clean_leftovers(settings: Settings) -> list[Path]:
    """Remove what killed writers left: temporary artifacts and manifests, half-written uploads,
    and the build folders of the index format before this one. The caller holds the build lock."""
    index_dir = settings.index_dir
    gone: list[Path] = []
    patterns = [(index_dir / "docs", "*.tmp*"), (index_dir, "*.tmp*"), (settings.corpus_dir, ".upload-*")]
    patterns += [
        (index_dir.parent, f".{index_dir.name}.tmp-*"),
        (index_dir.parent, f".{index_dir.name}.old-*"),
    ]
    for folder, pattern in patterns:
        for p in folder.glob(pattern) if folder.is_dir() else []:
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            gone.append(p)
    return gone


def set_enabled(settings: Settings, name: str, enabled: bool) -> dict[str, Any]:
    """Enable or disable one document for answering: the manifest changes, nothing is re-read."""
    with build_lock(settings.index_dir):
        manifest, reason = read_manifest(settings.index_dir)
        if manifest is None:
            raise IndexUnavailable(reason)
        disabled = set(manifest.get("disabled", []))
        (disabled.discard if enabled else disabled.add)(name)
        manifest["disabled"] = sorted(disabled)
        for e in manifest["documents"]:
            e["enabled"] = e["name"] not in disabled
        write_manifest(settings.index_dir, manifest)
        return manifest


def _ensure_collection(settings: Settings, embedder: Embedder, index_dir: Path, name: str) -> Any:
    if not settings.chroma_url and not (index_dir / "chroma" / "chroma.sqlite3").is_file():
        forget_chroma_clients()  # a cached client of a deleted folder would write nowhere
    client = chroma_client(settings, index_dir)
    ef = AssistantEmbeddingFunction(embedder, config=_ef_config(settings))
    try:
        return client.get_or_create_collection(name, embedding_function=ef, metadata={"hnsw:space": "cosine"})
    except Exception as exc:  # a damaged chroma folder or an unreachable server
        if settings.chroma_url:
            raise IndexUnavailable(f"无法连接向量库 / cannot reach Chroma: {exc}") from exc
        shutil.rmtree(index_dir / "chroma", ignore_errors=True)
        forget_chroma_clients()
        client = chroma_client(settings, index_dir)
        return client.get_or_create_collection(name, embedding_function=ef, metadata={"hnsw:space": "cosine"})


def forget_chroma_clients() -> None:
    """Chroma caches one client per path in-process; a replaced folder must be opened afresh."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def embed_all(
    settings: Settings,
    embedder: Embedder,
    progress: Progress | None = None,
    stop: Any = None,
    on_batch: Callable[[list[str], Any], None] | None = None,
) -> None:
    """Give every passage of the manifest's documents a vector, in the cache and in Chroma.

    Chroma is reconciled with the manifest too: passages of removed or changed documents are
    deleted from it, and vectors that came from the cache are upserted without embedding.
    The caller holds the build lock.
    """
    index_dir = settings.index_dir
    manifest, reason = read_manifest(index_dir)
    if manifest is None:
        raise IndexUnavailable(reason)
    entries = manifest["documents"]
    total = sum(int(e.get("passages", 0)) for e in entries)
    col = _ensure_collection(settings, embedder, index_dir, manifest["collection"])
    got = col.get(include=["metadatas"])
    present: dict[str, dict[str, Any]] = {
        i: m or {} for i, m in zip(got["ids"], got["metadatas"], strict=True)
    }
    # Rows of documents no longer in the manifest go at once; those of a changed document when its
    # group comes (a changed file is re-added: it is in the first group).
    names = {e["name"] for e in entries}
    _delete(col, [i for i, m in present.items() if m.get("doc") not in names])
    cache = VectorCache(index_dir / VECTORS)
    try:
        start = 0
        # The newest documents first, each group read only when its turn comes: a file just added
        # to a library of hundreds gets its vectors without waiting for every other artifact to load.
        for group in priority_groups(entries):
            passages = [p for e in group for p in Artifact.load(index_dir / e["artifact"]).passages]
            _embed_group(col, cache, embedder, passages, present, start, total, progress, stop, on_batch)
            if stop is not None and stop.is_set():
                break
            start += len(passages)
    finally:
        cache.close()


def _delete(col: Any, ids: list[str]) -> None:
    for i in range(0, len(ids), CHROMA_BATCH):
        col.delete(ids=ids[i : i + CHROMA_BATCH])


def _embed_group(
    col: Any,
    cache: VectorCache,
    embedder: Embedder,
    passages: list[Passage],
    present: dict[str, dict[str, Any]],
    start: int,
    total: int,
    progress: Progress | None,
    stop: Any,
    on_batch: Callable[[list[str], Any], None] | None,
) -> None:
    """One group of documents' passages brought into the cache and into Chroma (`embed_all`).

    `present` is Chroma's rows (id -> metadata); rows of these documents whose passage is gone or
    whose text changed are deleted, cached vectors missing from Chroma are upserted without
    embedding, and the rest are embedded in batches. Progress counts from `start` of `total`.
    """
    texts = [indexed_text(p) for p in passages]
    keys = [vector_key(embedder.name, t) for t in texts]
    wanted = {p.id: k for p, k in zip(passages, keys, strict=True)}
    docs = {p.doc for p in passages}
    _delete(col, [i for i, m in present.items() if m.get("doc") in docs and wanted.get(i) != m.get("key")])
    rows_of: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        rows_of.setdefault(k, []).append(i)
    done_ids = {i for i, k in wanted.items() if present.get(i, {}).get("key") == k}

    def upsert(bkeys: list[str], vectors: Any) -> None:
        rows = [(r, v) for k, v in zip(bkeys, vectors, strict=True) for r in rows_of[k]]
        rows = [(r, v) for r, v in rows if passages[r].id not in done_ids]
        for i in range(0, len(rows), CHROMA_BATCH):
            chunk = rows[i : i + CHROMA_BATCH]
            col.upsert(
                ids=[passages[r].id for r, _ in chunk],
                embeddings=[list(map(float, v)) for _, v in chunk],
                documents=[texts[r] for r, _ in chunk],
                metadatas=[
                    {"doc": passages[r].doc, "section": passages[r].section_path, "key": keys[r]}
                    for r, _ in chunk
                ],
            )
            done_ids.update(passages[r].id for r, _ in chunk)
        if on_batch:
            on_batch(bkeys, vectors)

    # Vectors already in the cache but not in Chroma (a restored cache, a re-added file).
    todo = list(dict.fromkeys(k for p, k in zip(passages, keys, strict=True) if p.id not in done_ids))
    for i in range(0, len(todo), CHROMA_BATCH):
        found = cache.get_many(todo[i : i + CHROMA_BATCH])
        if found:
            upsert(list(found), list(found.values()))

    def shifted(done: int, _total: int) -> None:
        if progress:
            progress(start + done, total)

    fill(cache, embedder.embed_documents, keys, texts, shifted, upsert, stop)


def priority_groups(entries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Manifest entries in the order their vectors are made: the most recently added documents first.

    A document just uploaded is the one its user is about to ask about, so its passages are
    embedded before the backlog of a large first build (all added at once: one group, file order).
    Example: added_at 10:02 (b), 10:01 (a, c) -> [[b], [a, c]]
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        out.setdefault(str(e.get("added_at") or ""), []).append(e)
    return [out[k] for k in sorted(out, reverse=True)]
