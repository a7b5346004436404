"""Okapi BM25 over pre-tokenised passages, as an inverted index of numpy postings.

A question touches only the postings of its own terms, so scoring stays fast at
tens of thousands of passages, and no per-passage Counter is kept in memory.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np


class BM25:
    """BM25 with the usual k1/b; `scores(query)` returns one score per passage.

    Example: BM25([["a", "b"], ["b"]]).scores(["a"]) -> array([0.6027, 0.0])
    """

    def __init__(self, docs: Iterable[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        """`docs` may be a generator: each passage's tokens are needed only while it is counted."""
        self.k1, self.b = k1, b
        # term -> (passage indices, term frequencies), built in one pass.
        rows: dict[str, list[int]] = {}
        freqs: dict[str, list[int]] = {}
        sizes: list[int] = []
        for i, doc in enumerate(docs):
            sizes.append(len(doc))
            counts: dict[str, int] = {}
            for t in doc:
                counts[t] = counts.get(t, 0) + 1
            for t, f in counts.items():
                rows.setdefault(t, []).append(i)
                freqs.setdefault(t, []).append(f)
        self.n = len(sizes)
        lengths = np.asarray(sizes, dtype=np.float32)
        self.avgdl = float(lengths.mean()) if self.n else 0.0
        self.idf = {t: math.log(1 + (self.n - len(r) + 0.5) / (len(r) + 0.5)) for t, r in rows.items()}
        norm = self.k1 * (1 - self.b + self.b * lengths / max(self.avgdl, 1e-9))
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for t, r in rows.items():
            idx = np.asarray(r, dtype=np.int32)
            tf = np.asarray(freqs[t], dtype=np.float32)
            # The whole BM25 term weight is precomputed: a query only adds arrays.
            weight = self.idf[t] * tf * (self.k1 + 1) / (tf + norm[idx])
            self.postings[t] = (idx, weight.astype(np.float32))

    def scores(self, query: Sequence[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        for term in set(query):
            posting = self.postings.get(term)
            if posting is not None:
                idx, weight = posting
                out[idx] += weight
        return out
