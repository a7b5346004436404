"""Fit the answerability decision (assistant/decide.py) on the tune documents of the dev split.

For every blind question of a tune document (tests/qa/dev/split.yaml), the engine finds the best span
it could quote and computes decide.FEATURES; the label is whether the document answers the question.
A logistic regression (numpy, L2, standardised features) is fitted, the threshold chosen to maximise
balanced accuracy on those questions, and the model written to assistant/data/decision.json with
the command and the documents it was fitted on. Held-out documents are never read here.

    .venv/bin/python bench/fit_decision.py [--out assistant/data/decision.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.core import Assistant  # noqa: E402
from assistant.decide import DATA, FEATURES, FORMAT  # noqa: E402
from assistant.embed import make_embedder  # noqa: E402
from assistant.evaluate import EVAL_DIR, CachedEmbedder, dev_files, eval_settings, load_qa  # noqa: E402
from assistant.intent import meta_fields  # noqa: E402
from assistant.segment import normalize  # noqa: E402
from assistant.settings import Settings  # noqa: E402

L2 = 1.0  # ridge strength on standardised features; with ~400 questions, 1.0 barely shrinks well-supported weights
STEPS = 4000
RATE = 0.1


def collect(split: str = "tune") -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Features and labels of every tune question the decision judges (card questions and vetoes excluded)."""
    settings = Settings.from_env()
    embedder = CachedEmbedder(make_embedder(settings), EVAL_DIR / "embeddings.npz")
    rows, labels, documents = [], [], []
    try:
        for f in dev_files(split):
            _, document, pairs = load_qa(f)
            documents.append(document)
            bot = Assistant.load(eval_settings(f, settings), embedder=embedder)
            for pair in pairs:
                standalone = bot.standalone(pair.question, list(pair.history))
                q = bot.retriever.prepare(standalone)
                hits = bot.retriever.search(q, k=max(settings.top_k, 8))
                if meta_fields(normalize(q.text)):
                    continue
                reason, units, decision = bot.answerer.evidence(q, hits)
                if reason or decision is None:
                    continue
                rows.append([decision.features[n] for n in FEATURES])
                labels.append(1.0 if pair.found else 0.0)
    finally:
        embedder.save()
    return np.array(rows, dtype=np.float64), np.array(labels), documents


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    b = 0.0
    # Classes weighted equally: refusals are a minority of the questions but matter as much.
    cw = np.where(y == 1, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * cw
        w -= RATE * (z.T @ g / len(y) + L2 * w / len(y))
        b -= RATE * g.mean()
    return w, b, mean, scale


def choose_threshold(p: np.ndarray, y: np.ndarray) -> float:
    best = (0.0, 0.5)
    for t in np.linspace(0.2, 0.8, 61):
        tpr = ((p >= t) & (y == 1)).sum() / max((y == 1).sum(), 1)
        tnr = ((p < t) & (y == 0)).sum() / max((y == 0).sum(), 1)
        score = (tpr + tnr) / 2 - 0.001 * abs(t - 0.5)  # ties: nearer 0.5
        if score > best[0]:
            best = (score, float(t))
    return round(best[1], 3)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(DATA))
    args = ap.parse_args()
    x, y, documents = collect("tune")
    w, b, mean, scale = fit(x, y)
    p = 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b)))
    threshold = choose_threshold(p, y)
    tpr = float(((p >= threshold) & (y == 1)).sum() / max((y == 1).sum(), 1))
    tnr = float(((p < threshold) & (y == 0)).sum() / max((y == 0).sum(), 1))
    data = {
        "command": ".venv/bin/python bench/fit_decision.py",
        "fitted": date.today().isoformat(),
        "documents": documents,
        "questions": int(len(y)),
        "answerable": int(y.sum()),
        "tune_answer_rate_when_answerable": round(tpr, 4),
        "tune_refusal_rate_when_not": round(tnr, 4),
        "model": f"logistic regression, L2={L2}, {STEPS} steps, classes weighted equally",
        "features": list(FEATURES),
        "weights": [round(float(v), 5) for v in w],
        "bias": round(float(b), 5),
        "mean": [round(float(v), 5) for v in mean],
        "scale": [round(float(v), 5) for v in scale],
        "threshold": threshold,
    }
    Path(args.out).write_text(
        FORMAT + "\n" + json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(y)} questions ({int(y.sum())} answerable) from {len(documents)} tune documents")
    print(f"threshold {threshold}: answers {tpr:.1%} of answerable, refuses {tnr:.1%} of the rest")
    for name, weight in sorted(zip(FEATURES, w, strict=True), key=lambda nw: -abs(nw[1])):
        print(f"  {name:<18} {weight:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
