"""The vector cache: passage vectors keyed by a hash of (model, indexed text), persisted as made.

Embedding is the one slow step (~10 passages/s on 2 cores), so a vector is never
computed twice: adding, changing or removing one document only embeds passages
whose text is new, and a build killed halfway resumes from the last saved batch.
The cache is a single SQLite file (WAL), safe to share between processes.

Layout: table `vectors(key TEXT PRIMARY KEY, vec BLOB)`; `vec` is float32 bytes.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Passages per embedding call and per commit. 32 measured no slower than larger batches on 2 cores
# (docs/benchmarks.md, "dense build rate"), and a kill loses at most one batch.
BATCH = 32
DenseProgress = Callable[[int, int], None]


def vector_key(model: str, text: str) -> str:
    """The cache key of one passage's vector. Example: vector_key("m", "x") -> "5d6f…" (32 hex)"""
    return hashlib.sha1(f"{model}\0{text}".encode()).hexdigest()[:32]


class VectorCache:
    """Passage vectors on disk; `get_many` returns what is there, `put_many` commits a batch."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self._db.commit()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = list(keys[i : i + 500])
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk
                ):
                    out[key] = np.frombuffer(blob, dtype=np.float32)
        return out

    def has_many(self, keys: Sequence[str]) -> set[str]:
        """The keys that have a vector (without reading the vectors)."""
        out: set[str] = set()
        with self._lock:
            for i in range(0, len(keys), 500):
                chunk = list(keys[i : i + 500])
                marks = ",".join("?" * len(chunk))
                out.update(
                    k for (k,) in self._db.execute(f"SELECT key FROM vectors WHERE key IN ({marks})", chunk)
                )
        return out

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)", rows)
            self._db.commit()

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


@dataclass(frozen=True)
class DenseReport:
    """What one `fill` did: vectors found in the cache, vectors computed, seconds spent embedding."""

    cached: int
    computed: int
    seconds: float


def fill(
    cache: VectorCache,
    embed: Callable[[list[str]], np.ndarray],
    keys: Sequence[str],
    texts: Sequence[str],
    progress: DenseProgress | None = None,
    on_batch: Callable[[list[str], np.ndarray], None] | None = None,
    stop: threading.Event | None = None,
) -> DenseReport:
    """Make sure every key has a vector: embed the missing ones in batches, saving each batch.

    `on_batch(keys, vectors)` sees each newly saved batch (to upsert into Chroma, or to show
    the vectors to a serving index at once). `stop` ends the work between batches.
    """
    have = cache.has_many(keys)
    todo = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in have]
    done = len(keys) - len(todo)
    if progress:
        progress(done, len(keys))
    spent = 0.0
    for i in range(0, len(todo), BATCH):
        if stop is not None and stop.is_set():
            break
        batch = todo[i : i + BATCH]
        t0 = time.perf_counter()
        vectors = embed([t for _, t in batch])
        spent += time.perf_counter() - t0
        bkeys = [k for k, _ in batch]
        cache.put_many(zip(bkeys, vectors, strict=True))
        if on_batch:
            on_batch(bkeys, vectors)
        done += len(batch)
        if progress:
            progress(done, len(keys))
    computed = done - (len(keys) - len(todo))
    return DenseReport(cached=len(keys) - len(todo), computed=computed, seconds=spent)
