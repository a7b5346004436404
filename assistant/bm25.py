"""Okapi BM25 over pre-tokenised passages, as an inverted index in three numpy arrays.

A question touches only the postings of its own terms, so scoring stays fast at tens of
thousands of passages. The postings are built with numpy (one sort of (term, passage) pairs)
rather than a Python dict per term: at 55,000 passages that is seconds less before the first
answer and one array per view instead of a few hundred thousand small ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

CHUNK = 1 << 20  # tokens converted to a numpy array at a time (bounds the Python lists alive at once)


class Idf(Mapping[str, float]):
    """term -> idf, a read-only view over the index's vocabulary (no dict of floats kept)."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray) -> None:
        self._vocab, self._idf = vocab, idf

    def __getitem__(self, term: str) -> float:
        return float(self._idf[self._vocab[term]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._vocab)

    def __len__(self) -> int:
        return len(self._vocab)


class BM25:
    """BM25 with the usual k1/b; `scores(query)` returns one score per passage.

    Example: BM25([["a", "b"], ["b"]]).scores(["a"]) -> array([0.6027, 0.0])
    """

    def __init__(self, docs: Iterable[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        """`docs` may be a generator: each passage's tokens are needed only while it is counted."""
        self.k1, self.b = k1, b
        vocab: dict[str, int] = {}
        add = vocab.setdefault
        sizes: list[int] = []
        chunks: list[np.ndarray] = []
        ids: list[int] = []
        for doc in docs:
            sizes.append(len(doc))
            ids.extend([add(t, len(vocab)) for t in doc])
            if len(ids) >= CHUNK:
                chunks.append(np.asarray(ids, dtype=np.int64))
                ids = []
        chunks.append(np.asarray(ids, dtype=np.int64))
        self.n = n = len(sizes)
        self.vocab = vocab
        lengths = np.asarray(sizes, dtype=np.float32)
        self.lengths = lengths
        self.avgdl = float(lengths.mean()) if self.n else 0.0
        self._avgdl: dict[tuple[int, int], float] = {}  # per scope (rows), for `scores`
        norm = self._norm(lengths, max(self.avgdl, 1e-9))
        # One (term, passage) key per token; sorted and counted, they are the postings with frequencies.
        terms = np.concatenate(chunks)
        passage = np.repeat(np.arange(n, dtype=np.int64), np.asarray(sizes, dtype=np.int64))
        keys, tf_counts = np.unique(terms * max(n, 1) + passage, return_counts=True)
        term_of = keys // max(n, 1)
        self.indices = (keys % max(n, 1)).astype(np.int32)
        self.indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_of, minlength=len(vocab)), out=self.indptr[1:])
        df = np.diff(self.indptr).tolist()
        self.idf_values = np.asarray([scoped_idf(n, d) for d in df], dtype=np.float64)
        self.idf: Mapping[str, float] = Idf(vocab, self.idf_values)
        # The whole BM25 term weight is precomputed: a query only adds arrays. float32 throughout,
        # the same operations in the same order as a per-term computation.
        tf = tf_counts.astype(np.float32)
        self.tf = tf  # kept for scoring within rows, where the length normalisation is the rows' own
        idf32 = self.idf_values.astype(np.float32)
        self.weights = self._weight(idf32[term_of], tf, norm[self.indices])

    def _norm(self, lengths: np.ndarray, avgdl: float) -> np.ndarray:
        """BM25's length normalisation of passages of these lengths, against an average length."""
        out: np.ndarray = self.k1 * (1 - self.b + self.b * lengths / avgdl)
        return out

    def _weight(self, idf: np.ndarray | np.float32, tf: np.ndarray, norm: np.ndarray) -> np.ndarray:
        """BM25 term weights from idf, term frequencies and length normalisations (float32)."""
        out: np.ndarray = (idf * tf * np.float32(self.k1 + 1) / (tf + norm)).astype(np.float32)
        return out

    def _span(self, term: str) -> tuple[int, int] | None:
        """Where a term's postings lie in `indices`, `weights` and `tf`; None when no passage has it."""
        t = self.vocab.get(term)
        return None if t is None else (int(self.indptr[t]), int(self.indptr[t + 1]))

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(passage indices, BM25 weights) of one term, or None when no passage has it."""
        span = self._span(term)
        if span is None:
            return None
        start, end = span
        return self.indices[start:end], self.weights[start:end]

    def scores(self, query: Sequence[str], rows: tuple[int, int] | None = None) -> np.ndarray:
        """One score per passage; with `rows` (start, end), only those passages score, as if alone:
        each term's idf is that of its document frequency among those rows, and a passage's length is
        normalised by their average length, so that a document judged in a library of 800 ranks its
        passages as its own index would (a library-wide average had flipped near-ties).
        """
        out = np.zeros(self.n, dtype=np.float32)
        avgdl = 1.0
        if rows is not None:
            if rows not in self._avgdl:
                part = self.lengths[rows[0] : rows[1]]
                self._avgdl[rows] = max(float(part.mean()), 1e-9) if len(part) else 1.0
            avgdl = self._avgdl[rows]
        for term in set(query):
            span = self._span(term)
            if span is None:
                continue
            start, end = span
            idx = self.indices[start:end]
            if rows is None:
                out[idx] += self.weights[start:end]
                continue
            lo, hi = np.searchsorted(idx, rows)
            if hi > lo:
                at = idx[lo:hi]
                tf = self.tf[start + lo : start + hi]
                idf = np.float32(scoped_idf(rows[1] - rows[0], int(hi - lo)))
                out[at] += self._weight(idf, tf, self._norm(self.lengths[at], avgdl))
        return out

    def df(self, term: str, rows: tuple[int, int]) -> int:
        """How many passages among `rows` (start, end) hold the term."""
        posting = self.postings(term)
        if posting is None:
            return 0
        lo, hi = np.searchsorted(posting[0], rows)
        return int(hi - lo)


def scoped_idf(n: int, df: int) -> float:
    """The BM25 idf of a term held by `df` of `n` passages (the formula `BM25.__init__` uses)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))
