"""BM25: the inverted index, and scoring a run of rows as if they were indexed alone."""

from __future__ import annotations

import numpy as np

from assistant.bm25 import BM25

DOCS = [["高新区", "产业"], ["产业", "集群", "产业"], ["高新区"], ["人才", "产业"], ["集群"]]


def test_scores_match_the_okapi_formula():
    bm = BM25([["a", "b"], ["b"]])
    assert np.allclose(bm.scores(["a"]), [0.6027, 0.0], atol=1e-4)
    assert bm.df("b", (0, 2)) == 2 and bm.df("a", (1, 2)) == 0 and bm.df("zzz", (0, 2)) == 0


def test_rows_score_as_if_indexed_alone():
    """A run of rows scores exactly as an index of those rows: idf and average length are the rows' own."""
    whole = BM25(DOCS)
    alone = BM25(DOCS[1:4])
    query = ["产业", "高新区", "集群", "不存在"]
    scoped = whole.scores(query, rows=(1, 4))
    assert np.allclose(scoped[1:4], alone.scores(query), rtol=1e-5)
    assert not scoped[:1].any() and not scoped[4:].any()
    # Every row: the same as no rows at all.
    assert np.array_equal(whole.scores(query, rows=(0, len(DOCS))), whole.scores(query))
