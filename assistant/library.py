"""The document library: add, remove, enable and list documents while the assistant serves.

The library folder (`settings.corpus_dir`) holds the files; the index follows it through the one
incremental mechanism (`store.sync`, then vectors in the background). A change is checked in full
before anything is written — a bad file gets a 4xx and the folder and index stay as they were —
then the file lands in the folder by an atomic rename, and a single worker thread re-indexes and
swaps the serving assistant. Changes queue behind one another; each returns a job to poll.

    Library(settings, loader)
      .add([(name, bytes), ...])  -> job      validate all, write, re-index in the background
      .remove(doc_id)             -> job
      .set_enabled(doc_id, bool)  -> document  (no re-indexing: the manifest only)
      .documents() / .document(doc_id) / .job(job_id) / .progress()
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import re
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import messages
from .corpus import DOCUMENT_SUFFIXES, corpus_files, doc_key
from .errors import AssistantError, Conflict, NotFound, UnreadableDocument
from .loader import Loader
from .settings import Settings

log = logging.getLogger(__name__)

# The suffix a detected format is stored under, so the folder lists it (content decides the format).
SUFFIX = {
    "pdf": ".pdf",
    "docx": ".docx",
    "html": ".html",
    "ofd": ".ofd",
    "image": ".png",
    "txt": ".txt",
    "md": ".md",
}
NAME_MAX = 120  # characters of a stored file name; longer titles are cut, the suffix kept
FILES_MAX = 20  # files in one upload
# Seconds between checks for a change another process made to the index (one stat call each).
WATCH_INTERVAL = 5.0


@dataclass
class Job:
    """One queued library change and what became of it."""

    id: str
    kind: str  # add | remove
    names: list[str]
    state: str = "queued"  # queued | indexing | ready | failed
    error: str = ""
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "documents": list(self.names),
            "state": self.state,
            "error": self.error,
            "created": round(self.created, 3),
            "finished": round(self.finished, 3) if self.finished else None,
        }


def safe_name(raw: str) -> str:
    """The name a file is stored under, or UnreadableDocument (400) for a name that tries to leave the folder.

    A name with a directory part ("../../etc/x.txt", "..\\x", "/abs/x") is refused, not trimmed: a client
    that sends one is not sending a plain upload. Control characters and characters a file system rejects
    are removed; hidden names are refused.
    Example: safe_name("规划（2021）.txt") -> "规划（2021）.txt"; safe_name("../x.txt") raises
    """
    name = unicodedata.normalize("NFC", str(raw))
    if "/" in name or "\\" in name:
        raise UnreadableDocument(messages.PATH_IN_NAME.format(name=raw), 400)
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip().strip(".")
    if not name or name.startswith(".") or name in {".", ".."}:
        raise UnreadableDocument(messages.BAD_FILE_NAME.format(name=raw), 400)
    return name


def stored_name(name: str, fmt: str) -> str:
    """The name a file is stored under: its own, with the suffix of the format its content has."""
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in DOCUMENT_SUFFIXES or (
        fmt in ("pdf", "docx", "ofd") and suffix.lower() != SUFFIX[fmt]
    ):
        stem, suffix = name, SUFFIX[fmt]
    if fmt == "html":
        suffix = suffix if suffix.lower() in (".html", ".htm") else ".html"
    return stem[: NAME_MAX - len(suffix)] + suffix


def check_files(settings: Settings, files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """(stored name, bytes) of each file after checking all of them; raises on the first bad one.

    Checked: the name, the type by content, size, damage, encryption, zip bombs (readers/), and
    duplicates of what the library holds or of another file in the same upload.
    """
    from .readers import read_document

    if not files:
        raise UnreadableDocument(messages.NO_FILES, 400)
    if len(files) > FILES_MAX:
        raise UnreadableDocument(messages.TOO_MANY_FILES.format(limit=FILES_MAX), 400)
    existing = {_sha(p): p.name for p in corpus_files(settings.corpus_dir)}
    checked: list[tuple[str, bytes]] = []
    for raw_name, data in files:
        name = safe_name(raw_name)
        raw = read_document(name, data, ocr=False)  # OCR waits for indexing; everything else is checked now
        digest = hashlib.sha256(data).hexdigest()
        if digest in existing:
            raise Conflict(messages.DUPLICATE.format(name=name, other=existing[digest]))
        target = stored_name(name, raw.format)
        if any(target == n for n, _ in checked):
            raise Conflict(messages.DUPLICATE.format(name=name, other=target))
        existing[digest] = target
        checked.append((target, data))
    return checked


def store_files(settings: Settings, checked: list[tuple[str, bytes]]) -> None:
    """Put checked files into the library folder, each by an atomic rename (a same-named file is replaced)."""
    settings.corpus_dir.mkdir(parents=True, exist_ok=True)
    for target, data in checked:
        tmp = settings.corpus_dir / f".upload-{uuid.uuid4().hex}"
        tmp.write_bytes(data)
        os.replace(tmp, settings.corpus_dir / target)


def find_file(settings: Settings, doc_id: str) -> Path:
    """The library file with this id (see /api/documents) or file name."""
    for path in corpus_files(settings.corpus_dir):
        if doc_id in (path.name, doc_key(path.name)):
            return path
    raise NotFound(messages.NO_DOCUMENT.format(id=doc_id))


def check_removable(settings: Settings, name: str) -> None:
    """The last readable document stays: an assistant with nothing to cite would only refuse."""
    from .store import read_manifest

    manifest, _ = read_manifest(settings.index_dir)
    readable = [e["name"] for e in (manifest or {}).get("documents", [])]
    if readable == [name]:
        raise Conflict(messages.LAST_DOCUMENT.format(name=name))


class Library:
    """The serving assistant's library; see the module docstring."""

    def __init__(self, settings: Settings, loader: Loader) -> None:
        self.settings = settings
        self.loader = loader
        self._jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()  # validation and writing of one change at a time
        self._worker: threading.Thread | None = None
        self._dense_stop = threading.Event()
        self._dense: threading.Thread | None = None
        self._busy = threading.Event()  # a library job is being indexed by this process
        self._seen = 0  # the manifest's mtime when the serving assistant was opened
        self._rate: float | None = None  # passages/s of the running background embedding, for the ETA

    # -- reading ------------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        """Every document with its status: ready, indexing, embedding (answers already) or failed."""
        from .store import read_manifest  # the store (chromadb) loads with the engine, not with the server

        manifest, _ = read_manifest(self.settings.index_dir)
        entries = {e["name"]: e for e in (manifest or {}).get("documents", [])}
        failed = {f["name"]: f for f in (manifest or {}).get("failed", [])}
        pending = {n for j in self._jobs.values() if j.state in ("queued", "indexing") for n in j.names}
        done = self._dense_by_doc()
        out = []
        for path in corpus_files(self.settings.corpus_dir):
            e = entries.get(path.name)
            if e is not None and path.name not in pending:
                state = "ready" if done.get(path.name, 0) >= e["passages"] else "embedding"
                out.append(_public(e, state, done.get(path.name, 0)))
            elif path.name in failed and path.name not in pending:
                f = failed[path.name]
                out.append(
                    {"id": doc_key(path.name), "name": path.name, "status": "failed", "error": f["error"]}
                )
            else:
                out.append({"id": doc_key(path.name), "name": path.name, "status": "indexing"})
        return out

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document's status and its parsed outline (the heading tree)."""
        doc = self._find(doc_id)
        if doc["status"] in ("ready", "embedding"):
            try:
                bot = self.loader.get()
                for d in bot.index.documents:
                    if d.name == doc["name"]:
                        doc["outline"] = [s.to_dict() for s in d.sections]
            except AssistantError:
                pass
            doc.setdefault("outline", _outline_from_disk(self.settings, doc["name"]))
        return doc

    def job(self, job_id: str) -> dict[str, Any]:
        job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(messages.NO_JOB.format(id=job_id))
        return job.to_dict()

    def progress(self) -> dict[str, Any]:
        """Dense progress of the serving index, for /healthz and the UI: done, total, ETA."""
        try:
            bot = self.loader.get()
        except AssistantError:
            return {"done": 0, "total": 0, "eta_s": None}
        done, total = bot.index.dense_progress
        rate = self._rate
        eta = round((total - done) / rate, 1) if rate and done < total else (0 if done >= total else None)
        return {"done": done, "total": total, "eta_s": eta}

    # -- changing -----------------------------------------------------------------------------
    def add(self, files: list[tuple[str, bytes]]) -> dict[str, Any]:
        """Check every file, then store them all and queue their indexing; nothing is stored if one is bad."""
        with self._lock:
            checked = check_files(self.settings, files)
            store_files(self.settings, checked)
            return self._enqueue("add", [t for t, _ in checked])

    def remove(self, doc_id: str) -> dict[str, Any]:
        with self._lock:
            doc = self._find(doc_id)
            check_removable(self.settings, doc["name"])
            (self.settings.corpus_dir / doc["name"]).unlink(missing_ok=True)
            return self._enqueue("remove", [doc["name"]])

    def set_enabled(self, doc_id: str, enabled: bool) -> dict[str, Any]:
        with self._lock:
            doc = self._find(doc_id)
            if doc["status"] not in ("ready", "embedding"):
                raise Conflict(messages.NOT_READY.format(name=doc["name"], status=doc["status"]))
            from .store import set_enabled

            set_enabled(self.settings, doc["name"], enabled)
            self._stop_dense()
            self._swap()
            self.start_dense()
            return self._find(doc_id)

    # -- the worker ---------------------------------------------------------------------------
    def _enqueue(self, kind: str, names: list[str]) -> dict[str, Any]:
        job = Job(id=uuid.uuid4().hex[:12], kind=kind, names=names)
        self._jobs[job.id] = job
        self._queue.put(job)
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="library", daemon=True)
            self._worker.start()
        return job.to_dict()

    def _work(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=1.0)
            except queue.Empty:
                return
            job.state = "indexing"
            self._busy.set()
            self._stop_dense()
            try:
                from .store import sync

                bot = self.loader.get()
                manifest = sync(self.settings, bot.index.embedder, dense=False)
                bad = {f["name"]: f["error"] for f in manifest["failed"]}
                self._swap()
                errors = [bad[n] for n in job.names if n in bad]
                job.state, job.error = ("failed", "；".join(errors)) if errors else ("ready", "")
            except AssistantError as exc:
                job.state, job.error = "failed", exc.message
            except Exception as exc:  # the worker must survive anything one file does
                log.exception("library job failed")
                job.state, job.error = "failed", str(exc)
            job.finished = time.time()
            self._busy.clear()
            self.start_dense()

    def _swap(self) -> None:
        seen = self._manifest_mtime()
        bot = self.loader.get().reopened()
        self.loader.replace(bot)
        self._seen = seen  # what this assistant was opened from

    # -- other processes --------------------------------------------------------------------
    def watch(self, interval: float = WATCH_INTERVAL, stop: threading.Event | None = None) -> None:
        """Reopen the index when another process changed it (several servers, one index and Chroma).

        Runs until `stop` is set; checks the manifest's modification time every `interval` seconds.
        """
        self._seen = self._manifest_mtime()
        while not (stop or threading.Event()).wait(interval):
            if self._manifest_mtime() == self._seen or not self.loader.ready.is_set():
                continue
            if self._lock.locked() or not self._queue.empty() or self._busy.is_set():
                continue  # our own change in progress: the worker swaps the assistant itself
            try:
                with self._lock:
                    self._stop_dense()
                    self._swap()
                log.info("the index was changed by another process: reopened")
                self.start_dense()
            except AssistantError as exc:  # half-way through the other's change: try at the next tick
                log.info("reopen deferred: %s", exc.message)

    def _manifest_mtime(self) -> int:
        path = self.settings.index_dir / "manifest.json"
        return path.stat().st_mtime_ns if path.exists() else 0

    # -- background vectors -------------------------------------------------------------------
    def start_dense(self) -> None:
        """Compute the serving index's missing vectors in the background (resumable)."""
        try:
            bot = self.loader.get()
        except AssistantError:
            return
        done, total = bot.index.dense_progress
        if done >= total or (self._dense is not None and self._dense.is_alive()):
            return
        self._dense_stop = threading.Event()
        stop = self._dense_stop

        def run() -> None:
            from .index import fill_dense

            t0, first = time.perf_counter(), bot.index.dense_progress[0]

            def progress(d: int, _t: int) -> None:
                spent = time.perf_counter() - t0
                if spent > 0 and d > first:
                    self._rate = (d - first) / spent

            try:
                fill_dense(self.settings, bot.index.embedder, bot.index, progress, stop)
            except Exception:  # logged; the lexical half keeps answering and a restart resumes
                log.exception("background embedding failed")

        self._dense = threading.Thread(target=run, name="dense", daemon=True)
        self._dense.start()

    def _stop_dense(self) -> None:
        self._dense_stop.set()
        if self._dense is not None:
            self._dense.join()

    def _dense_by_doc(self) -> dict[str, int]:
        try:
            index = self.loader.get().index
        except AssistantError:
            return {}
        done: dict[str, int] = {}
        if index.has_vector is None:
            for p in index.passages:
                done[p.doc] = done.get(p.doc, 0) + 1
        else:
            for p, has in zip(index.passages, index.has_vector, strict=True):
                done[p.doc] = done.get(p.doc, 0) + int(has)
        # Disabled documents are not in the serving index: their vectors are in the cache already.
        manifest = index.manifest
        for e in manifest.get("documents", []):
            if not e.get("enabled", True):
                done.setdefault(e["name"], e["passages"])
        return done

    def _find(self, doc_id: str) -> dict[str, Any]:
        for d in self.documents():
            if doc_id in (d["id"], d["name"]):
                return d
        raise NotFound(messages.NO_DOCUMENT.format(id=doc_id))


def _public(e: dict[str, Any], status: str, embedded: int) -> dict[str, Any]:
    return {
        "id": e["id"],
        "name": e["name"],
        "title": e["title"],
        "status": status,
        "format": e["format"],
        "pages": e["pages"],
        "passages": e["passages"],
        "embedded": min(embedded, e["passages"]),
        "enabled": e.get("enabled", True),
        "needs_ocr": e.get("needs_ocr", []),
        "ocr_pages": e.get("ocr_pages", []),
        "size": e.get("size"),
        "added_at": e.get("added_at"),
    }


def _outline_from_disk(settings: Settings, name: str) -> list[dict[str, Any]]:
    """A disabled document's outline, read from its artifact."""
    from .store import Artifact, read_manifest

    manifest, _ = read_manifest(settings.index_dir)
    for e in (manifest or {}).get("documents", []):
        if e["name"] == name:
            art = Artifact.load(settings.index_dir / e["artifact"])
            return [s.to_dict() for s in art.document.sections]
    return []


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
