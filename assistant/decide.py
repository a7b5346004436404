"""Answer or refuse: one decision from measured signals, with weights fitted on the tune documents.

The answerer finds the best span it could quote; this module says whether the
plan really answers the question with it. `features` turns the evidence into
named numbers; `decide` weighs them with a logistic model whose weights,
feature scaling and threshold live in data/decision.json. That file starts
with a format line and records the command that produced it and the
documents it was fitted on (bench/fit_decision.py writes it; nobody edits it
by hand). Three vetoes stay outside the model because they hold for any
document: a place or a year the corpus never mentions, and an asked subject
whose modifier the corpus never uses ("火星基地"; Answerer.missing).

The file holds two models fitted on the same questions: "full" may weigh any
feature; "lexical" weighs none of the dense ones, and decides while passage
vectors are still being computed (the best passage has no vector yet, so its
similarity to the question is unknown). Each model names the features it
weighs, a subset of FEATURES chosen by the fitting script: the weights are
fitted on the tune documents' questions, and the signals and the threshold
chosen on other documents' questions (the scale split), so that a signal that
helps only on the documents it was fitted on is dropped, and the threshold is
where new documents' questions are decided best.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "decision.json"
FORMAT = "assistant-decision v3"
# The named signals, in the order of the weight vector.
FEATURES = (
    "coverage",  # weighted share of the question's content terms in the span (and its headings)
    "focus",  # the same for the terms next to the question word
    "passage_coverage",  # coverage over the whole passage
    "unknown",  # weight share of question terms the corpus never uses
    "unknown_focus",  # share of the focus that is an unknown noun
    "unknown_noun",  # weight share of the question's nouns that the corpus never uses ("天气", "股票")
    "focus_absent",  # 1 when the question has focus terms and none of them is in the span
    "old_rule",  # 1 when the former hand-written rule answers (coverage ≥ min_evidence, focus, type present)
    "dense",  # cosine of the question's vector and the best passage's
    "dense_gap",  # how far that passage is below the corpus's nearest one
    "lexical_rank",  # 1 / rank of the best passage in the jieba-BM25 ranking (0: not ranked)
    "fused",  # the fused retrieval score of the best passage, relative to the top hit
    "type_present",  # the asked kind (a figure, a date, a list) occurs in the span; 1 when none is asked
    "entity",  # how squarely the span is about the asked entity (0 when none is asked)
    "focus_clause",  # the focus's coverage in the span's best clause (a figure question: a clause with a figure)
    "unit_match",  # the span gives the kind of figure asked (家, a share, a duration, a year): 1/0; 0.5 none asked
    "span_score",  # the answerer's own score of the span (coverage, focus, asked unit and time frame, entity)
    "year",  # 1 when an asked year occurs with the span, 0 when it does not, 0.5 when none is asked
    "asks_figure",  # the question asks for a figure
    "asks_list",  # the question asks for a list
)
DENSE = ("dense", "dense_gap")  # unknown until the best passage has a vector
LEXICAL = tuple(name for name in FEATURES if name not in DENSE)
MODELS = {"full": FEATURES, "lexical": LEXICAL}  # the features each model may weigh


@dataclass(frozen=True)
class Decision:
    """Whether to answer, the model's probability that the plan answers, and the features behind it."""

    answer: bool
    probability: float
    features: dict[str, float]
    model: str = "full"  # "lexical" while the best passage has no vector yet

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "probability": round(self.probability, 4),
            "model": self.model,
            "features": self.features,
        }


@dataclass(frozen=True)
class Model:
    name: str
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float


def read_model(path: Path = DATA, name: str = "full") -> Model:
    """One fitted model; the file must start with the format line, and the model weighs only features
    this code computes (the lexical one: none of the dense ones)."""
    lines = path.read_text(encoding="utf-8").split("\n", 1)
    if lines[0].strip() != FORMAT:
        raise ValueError(f"{path}: expected the format line {FORMAT!r}, found {lines[0]!r}")
    data = json.loads(lines[1])["models"][name]
    unknown = [f for f in data["features"] if f not in MODELS[name]]
    if unknown:
        raise ValueError(f"{path}: {name} weighs features {unknown}, which this model cannot use")
    return Model(
        name=name,
        features=tuple(data["features"]),
        weights=tuple(data["weights"]),
        bias=float(data["bias"]),
        mean=tuple(data["mean"]),
        scale=tuple(data["scale"]),
        threshold=float(data["threshold"]),
    )


@lru_cache(maxsize=2)
def model(name: str = "full") -> Model:
    return read_model(DATA, name)


def probability(features: dict[str, float], m: Model | None = None) -> float:
    m = m or model()
    z = m.bias + sum(
        w * (features[name] - mu) / sd
        for name, w, mu, sd in zip(m.features, m.weights, m.mean, m.scale, strict=True)
    )
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def decide(features: dict[str, float], m: Model | None = None, lexical: bool = False) -> Decision:
    """Answer when the fitted probability that the plan answers reaches the fitted threshold.

    lexical=True (or a lexical model): the dense features are not used and need not be given.
    """
    m = m or model("lexical" if lexical else "full")
    missing = [name for name in m.features if name not in features]
    if missing:
        raise KeyError(f"features missing: {missing}")
    p = probability(features, m)
    # Every signal given is kept, weighed or not: callers read some (the year agreement) directly.
    return Decision(p >= m.threshold, p, {k: round(v, 4) for k, v in features.items()}, m.name)
