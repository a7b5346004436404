"""The bundled embedder: questions asked at once are embedded together, and nobody waits forever."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from assistant.embed import E5Embedder, query_later

QUESTIONS = [
    "到2020年研发经费占GDP要达到多少？",
    "阜新高新区主导产业是什么？",
    "规划提出了哪些保障措施？",
    "国家级高新区有几个？",
    "怎样优化创新创业生态？",
    "沈阳高新区要建设哪些众创空间？",
]


@pytest.fixture(scope="module")
def embedder() -> E5Embedder:
    return E5Embedder()


def test_questions_asked_together_get_the_vectors_they_get_alone(embedder):
    alone = np.array([embedder.embed_query(q) for q in QUESTIONS])
    # Queued before the engine thread is free, so several wait and go in one call.
    calls = embedder.query_calls
    futures = [query_later(embedder, q) for q in QUESTIONS * 4]
    together = np.array([f.result(timeout=60) for f in futures])
    assert embedder.query_calls - calls < len(futures)
    assert np.allclose(together, np.tile(alone, (4, 1)), atol=1e-6)
    with ThreadPoolExecutor(16) as pool:
        threaded = np.array(list(pool.map(embedder.embed_query, QUESTIONS * 3)))
    assert np.allclose(threaded, np.tile(alone, (3, 1)), atol=1e-6)


def test_one_bad_text_fails_only_its_own_caller(embedder):
    futures = [query_later(embedder, q) for q in QUESTIONS[:2]]
    bad = query_later(embedder, None)  # type: ignore[arg-type]
    futures += [query_later(embedder, q) for q in QUESTIONS[2:]]
    with pytest.raises(AttributeError):
        bad.result(timeout=60)
    vectors = [f.result(timeout=60) for f in futures]
    assert all(v.shape == (384,) for v in vectors)
    assert embedder.embed_query(QUESTIONS[0]).shape == (384,)  # still serving afterwards
