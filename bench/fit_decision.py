"""Fit the answerability decision (assistant/decide.py) on questions that are not held out.

The fitting set: every blind question of the tune-side documents of the dev split (tests/qa/dev/split.yaml:
FIT_SPLITS), plus the golden pairs of the seed plan (tests/qa/liaoning.yaml) and of the second plan
(tests/qa/second.yaml), which were written with the engine and are no held-out evidence anyway.
For every question the engine finds the best span it could quote and computes decide.FEATURES; the
label is whether the document answers the question. Two logistic regressions (numpy, L2, standardised
features, classes weighted equally within each source) are fitted:

- "full" on every feature, with retrieval as it runs once every passage has its vector;
- "lexical" on the features without the dense ones, with retrieval run as if no passage had a vector
  yet (the server answers on the lexical half while vectors are computed in the background).

The validation set: the blind questions of the scale split (ten other documents). The weights are never
fitted on them; they choose which signals each model keeps (backward elimination) and its threshold
(best balanced accuracy there, letting through OWN_ANSWER_FLOOR of the own pairs' answerable questions).
A threshold chosen on the fitting set sat too low: in sample, questions look more answerable than on new
documents (the scale split's refusals fell from 76% to 66% with such a refit). Both models are written to
assistant/data/decision.json with the command and the documents and files they were fitted and chosen on.
Held-out documents are never read here.

    .venv/bin/python bench/fit_decision.py [--out assistant/data/decision.json] [--dump rows.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.core import Assistant  # noqa: E402
from assistant.decide import DATA, FORMAT, MODELS  # noqa: E402
from assistant.embed import make_embedder  # noqa: E402
from assistant.evaluate import EVAL_DIR, CachedEmbedder, dev_files, eval_settings, load_qa  # noqa: E402
from assistant.intent import meta_fields  # noqa: E402
from assistant.segment import normalize  # noqa: E402
from assistant.settings import Settings  # noqa: E402

L2 = 0.1  # ridge strength on standardised features; 0.1 vs 1.0 compared on the fitting set (bench sweep)
STEPS = 4000
RATE = 0.1
# The direction each signal may push the decision (+1 towards answering, -1 towards refusing, 0 either way):
# what the signal means, not what a fit finds. Left free, a fit gives correlated signals opposite signs that
# cancel on the fitting documents ("unknown" -1.3 beside "unknown_noun" +1.3, "focus_clause" -0.5), and a
# change of one feature's value on a few English questions then chose a different model (validation 0.826
# -> 0.820, held out -2.7 points). Projected onto these signs (a weight that would cross zero stays at zero),
# a signal counts the way it should or not at all. Measured by refitting with each tune document left out
# (10 refits, validation = the scale split): free, balanced accuracy 0.814 ± 0.010 and 95.9% of validation
# decisions the same as the full fit's (worst 90.1%); signed, 0.807 ± 0.004 and 97.7% (worst 95.9%).
SIGNS = {
    "coverage": 1,
    "focus": 1,
    "passage_coverage": 1,
    "unknown": -1,
    "unknown_focus": -1,
    "unknown_noun": -1,
    "focus_absent": -1,
    "old_rule": 1,
    "dense": 1,
    "dense_gap": -1,
    "lexical_rank": 1,
    "fused": 1,
    "type_present": 1,
    "entity": 1,
    "focus_clause": 1,
    "unit_match": 1,
    "span_score": 1,
    "year": 1,
    "asks_figure": 0,  # the kind of question: a prior, either way
    "asks_list": 0,
}
# Feature selection (select): stop dropping when the cross-validated score would fall by more than this
# (one question in about 170 moves it by ~0.003-0.014), and keep at least MIN_FEATURES.
SELECT_TOLERANCE = 0.002
MIN_FEATURES = 3
# The bounds on the own pairs (the seed's pairs ≥ 97% right, the second plan's not below 91.1%) as
# shares of their answerable questions the decision must let through: the rates the fit before the ten scale
# documents were added had (0.9929, 0.9487); a threshold that answers fewer is not chosen.
OWN_ANSWER_FLOOR = {"tests/qa/liaoning.yaml": 0.99, "tests/qa/second.yaml": 0.94}
# The dev splits the weights are fitted on. Tried in the fifth session: fresh-fresh4 (21 texts, read as
# development since) joining tune. Rotating them out (fit on the others, signals and threshold still chosen
# on the scale split, decide the one left out), the decision's balanced accuracy on the left-out split rose
# from 0.785 to 0.798 on average (fresh 0.835 -> 0.852, fresh2 0.752 -> 0.774, fresh3 0.779 -> 0.777,
# fresh4 0.773 -> 0.790); but end to end, with those splits in sample, it answered three questions fewer
# than the shipped model over tune, scale, fresh-fresh4 and the own pairs (the second plan 95.6% -> 93.3%).
# Not adopted: the gain is within one question per split.
FIT_SPLITS = ("tune",)
OWN_PAIRS = ("tests/qa/liaoning.yaml", "tests/qa/second.yaml")  # not held out: written beside the engine
# Feature selection keeps the own pairs decided right at least this often (the bounds: the seed's
# pairs ≥ 97%, the second plan's not below its 91.1%). Fixed bounds, not "no lower than the full model": with
# every signal the fit may decide all the seed's pairs right, and then no signal could ever be dropped.
OWN_DECIDED_FLOOR = (0.97, 0.911)


def fit_files() -> list[Path]:
    return [f for split in FIT_SPLITS for f in dev_files(split)] + [ROOT / f for f in OWN_PAIRS]


def validation_files() -> list[Path]:
    """Questions the weights are not fitted on, which choose the signals and the threshold: the scale
    split's blind sets (tune-side: their failures were read, but no weight was ever fitted on them)."""
    return dev_files("scale")


def collect(files: list[Path]) -> list[dict[str, Any]]:
    """One row per question the decision judges (card questions and vetoes excluded), in both modes."""
    settings = Settings.from_env()
    embedder = CachedEmbedder(make_embedder(settings), EVAL_DIR / "embeddings.npz")
    rows: list[dict[str, Any]] = []
    try:
        for f in files:
            _, document, pairs = load_qa(f)
            bot = Assistant.load(eval_settings(f, settings), embedder=embedder)
            source = document or f.name
            for mode in ("full", "lexical"):
                saved = bot.index.has_vector
                if mode == "lexical" and saved is not None:
                    bot.index.has_vector = np.zeros_like(saved)  # as if no vector were computed yet
                try:
                    for pair in pairs:
                        standalone = bot.standalone(pair.question, list(pair.history))
                        q = bot.retriever.prepare(standalone)
                        if meta_fields(normalize(q.text)):
                            continue
                        hits = bot.retriever.search(q, k=max(settings.top_k, 8))
                        if bot.answerer.missing(q):
                            continue  # vetoed before any decision (an unknown place or year)
                        focus = bot.answerer.focus(q)
                        units = bot.answerer.units(q, hits, focus)
                        if not units:
                            continue
                        features = bot.answerer.features(q, hits, focus, units[0])
                        rows.append(
                            {
                                "mode": mode,
                                "source": source,
                                "file": str(f.relative_to(ROOT)),
                                "id": pair.id,
                                "category": pair.category,
                                "label": 1.0 if pair.found else 0.0,
                                "features": features,
                            }
                        )
                finally:
                    bot.index.has_vector = saved
    finally:
        embedder.save()
    return rows


def fit(
    x: np.ndarray, y: np.ndarray, cw: np.ndarray, names: list[str]
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """Weighted logistic regression with an L2 penalty, each weight kept to its signal's SIGNS by projection."""
    signs = np.array([SIGNS[n] for n in names])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * cw
        w -= RATE * (z.T @ g / len(y) + L2 * w / len(y))
        w = np.where(signs > 0, np.maximum(w, 0.0), np.where(signs < 0, np.minimum(w, 0.0), w))
        b -= RATE * g.mean()
    return w, b, mean, scale


def predict(model: tuple[np.ndarray, float, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The fitted probability that each row's question is answered (decide.probability, for arrays)."""
    w, b, mean, scale = model
    p: np.ndarray = 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b)))
    return p


def fit_thresholded(
    x: np.ndarray, y: np.ndarray, families: list[str], names: list[str]
) -> tuple[tuple[np.ndarray, float, np.ndarray, np.ndarray], float, np.ndarray]:
    """One model fitted on these rows (classes weighted within each family), its threshold, and the
    rows' probabilities."""
    cw = weights(y, families)
    model = fit(x, y, cw, names)
    p = predict(model, x)
    return model, choose_threshold(p, y, cw, families), p


def weights(y: np.ndarray, families: list[str]) -> np.ndarray:
    """Answerable and unanswerable questions weighted equally within each family of questions (the dev
    tune documents, the seed's pairs, the second plan's pairs); each family keeps its share of rows."""
    family = np.array(families)
    cw = np.zeros(len(y))
    for fam in set(families):
        members = family == fam
        for label in (0.0, 1.0):
            sel = members & (y == label)
            if sel.any():
                cw[sel] = members.sum() / (2.0 * sel.sum())
    return cw * len(y) / cw.sum()


THRESHOLDS = np.linspace(0.2, 0.8, 61)


def allowed_thresholds(p: np.ndarray, y: np.ndarray, families: list[str]) -> list[float]:
    """The thresholds that answer at least OWN_ANSWER_FLOOR of each own-pairs file's answerable questions."""
    family = np.array(families)
    allowed = []
    for t in THRESHOLDS:
        ok = True
        for own, floor in OWN_ANSWER_FLOOR.items():
            sel = (family == own) & (y == 1)
            ok &= not sel.any() or bool((p[sel] >= t).mean() >= floor)
        if ok:
            allowed.append(float(t))
    return allowed


def balanced_score(p: np.ndarray, y: np.ndarray, t: float, cw: np.ndarray) -> float:
    """Weighted balanced accuracy of answering when p ≥ t, less a tie-breaker towards t = 0.5."""
    tpr = (cw * ((p >= t) & (y == 1))).sum() / max((cw * (y == 1)).sum(), 1e-9)
    tnr = (cw * ((p < t) & (y == 0))).sum() / max((cw * (y == 0)).sum(), 1e-9)
    return float((tpr + tnr) / 2 - 0.001 * abs(t - 0.5))


def choose_threshold(p: np.ndarray, y: np.ndarray, cw: np.ndarray, families: list[str]) -> float:
    """The threshold of best weighted balanced accuracy among those that answer at least OWN_ANSWER_FLOOR
    of each own-pairs file's answerable questions (all thresholds if none does)."""
    best = (0.0, 0.5)
    for t in allowed_thresholds(p, y, families) or list(THRESHOLDS):
        score = balanced_score(p, y, t, cw)
        if score > best[0]:
            best = (score, float(t))
    return round(best[1], 3)


def _family(row: dict[str, Any]) -> str:
    return "dev tune" if row["file"].startswith("tests/qa/dev") else row["file"]


def _matrix(rows: list[dict[str, Any]], names: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    x = np.array([[r["features"][n] for n in names] for r in rows], dtype=np.float64)
    return x, np.array([r["label"] for r in rows]), [_family(r) for r in rows]


def validation_score(
    rows: list[dict[str, Any]], names: list[str], min_refusal: float = 0.0
) -> tuple[float, float, list[float]]:
    """Weights fitted on the fitting rows, then the threshold of best balanced accuracy on the validation
    rows among those that let through OWN_ANSWER_FLOOR of the own pairs' answerable questions: that
    accuracy, that threshold, and at it the share of each own-pairs file's questions (seed, second plan)
    decided right: the model as it ships. A threshold chosen on the rows the weights were fitted on sits
    too low (they look more answerable in sample than new documents do). Only thresholds that refuse at
    least `min_refusal` of the validation rows' unanswerable questions are considered (see main)."""
    fit_rows = [r for r in rows if r["role"] == "fit"]
    val_rows = [r for r in rows if r["role"] == "validation"]
    x, y, families = _matrix(fit_rows, names)
    model = fit(x, y, weights(y, families), names)
    xv, yv, _ = _matrix(val_rows, names)
    pv = predict(model, xv)
    p = predict(model, x)
    best = (-1.0, 0.5)
    for t in allowed_thresholds(p, y, families):
        if (pv[yv == 0] < t).mean() < min_refusal:
            continue
        score = balanced_score(pv, yv, t, np.ones(len(yv)))
        if score > best[0]:
            best = (score, round(float(t), 3))
    return best[0], best[1], own_rates(p, y, families, best[1])


def own_rates(p: np.ndarray, y: np.ndarray, families: list[str], t: float) -> list[float]:
    """At threshold t, the share of each own-pairs file's questions (seed, second plan) decided right."""
    right = (p >= t) == (y == 1)
    return [float(right[[f == o for f in families]].mean()) for o in OWN_PAIRS]


def select(rows: list[dict[str, Any]], name: str, min_refusal: float = 0.0) -> tuple[list[str], float, float]:
    """Backward elimination: drop the feature whose removal most raises the validation score, while that
    score does not fall by more than SELECT_TOLERANCE and the own pairs stay decided right at least
    OWN_DECIDED_FLOOR of the time at the threshold the model would ship with. With twenty correlated
    signals and ~170 dev questions to fit on, the full model fits the tune documents' quirks; fewer
    signals transfer better. Returns the features, and their own validation score and threshold (not
    those of a larger set seen on the way)."""
    chosen = [r for r in rows if r["mode"] == name]
    names = list(MODELS[name])
    best, threshold, _ = validation_score(chosen, names, min_refusal)
    current = best
    print(f"{name}: validation balanced accuracy {best:.3f} with all {len(names)} features")
    while len(names) > MIN_FEATURES:
        scored = []
        for drop in names:
            option = [n for n in names if n != drop]
            score, t, own = validation_score(chosen, option, min_refusal)
            # The other bounds: the seed's and second plan's pairs stay decided right often enough.
            if all(a >= b for a, b in zip(own, OWN_DECIDED_FLOOR, strict=True)):
                scored.append((score, t, drop))
        if not scored:
            break
        score, t, drop = max(scored)
        if score < best - SELECT_TOLERANCE:
            break
        best = max(best, score)
        current, threshold = score, t
        names.remove(drop)
        print(f"  without {drop:<18} {score:.3f}")
    return names, current, threshold


def fit_model(rows: list[dict[str, Any]], name: str, min_refusal: float = 0.0) -> dict[str, Any]:
    names, score, threshold = select(rows, name, min_refusal)
    chosen = [r for r in rows if r["mode"] == name and r["role"] == "fit"]
    x, y, families = _matrix(chosen, names)
    (w, b, mean, scale), _, p = fit_thresholded(x, y, families, names)
    rates = {}
    for group in sorted(set(families)):
        sel = np.array([f == group for f in families])
        pos, neg = sel & (y == 1), sel & (y == 0)
        rates[group] = {
            "answers_answerable": round(float((p[pos] >= threshold).mean()), 4) if pos.any() else None,
            "refuses_unanswerable": round(float((p[neg] < threshold).mean()), 4) if neg.any() else None,
        }
    print(f"{name}: {len(y)} questions ({int(y.sum())} answerable), threshold {threshold}")
    for group, r in rates.items():
        print(f"  {group:<28} answers {r['answers_answerable']}  refuses {r['refuses_unanswerable']}")
    for n, weight in sorted(zip(names, w, strict=True), key=lambda nw: -abs(nw[1])):
        print(f"    {n:<18} {weight:+.3f}")
    return {
        "questions": int(len(y)),
        "answerable": int(y.sum()),
        "rates_on_fitting_set": rates,
        "validation_balanced_accuracy": round(score, 4),
        "features": list(names),
        "weights": [round(float(v), 5) for v in w],
        "bias": round(float(b), 5),
        "mean": [round(float(v), 5) for v in mean],
        "scale": [round(float(v), 5) for v in scale],
        "threshold": threshold,
    }


def incumbent(
    rows: list[dict[str, Any]], name: str, path: Path, min_refusal: float = 0.0
) -> dict[str, Any] | None:
    """The model the data file ships now, judged as it stands on this code's rows: its validation balanced
    accuracy at its own threshold, or None when it is missing, cannot be read, or decides the own pairs
    right less often than OWN_DECIDED_FLOOR, or refuses less than `min_refusal` of the validation rows'
    unanswerable questions.

    A refit is one draw of a noisy search (backward elimination over twenty correlated signals, ~240
    validation questions: one question moves the score by 0.004-0.02). A change to one feature made the
    refit choose a model that scored 0.826 on the validation split where the shipped one still scored 0.837;
    the refit replaces the shipped model only when it does better where both are judged."""
    try:
        head, body = path.read_text(encoding="utf-8").split("\n", 1)
        data = json.loads(body)["models"][name] if head.strip() == FORMAT else None
    except (OSError, ValueError, KeyError):
        return None
    if data is None or any(f not in MODELS[name] for f in data["features"]):
        return None
    if head.strip() == FORMAT and json.loads(body).get("qa_files") != [
        str(f.relative_to(ROOT)) for f in fit_files()
    ]:
        return None  # fitted on other questions: a new fitting set is judged by rotating folds, not here
    chosen = [r for r in rows if r["mode"] == name]
    t = data["threshold"]
    pv, yv = shipped_probabilities([r for r in chosen if r["role"] == "validation"], data)
    if (pv[yv == 0] < t).mean() < min_refusal:
        return None
    own = [r for r in chosen if r["role"] == "fit" and r["file"] in OWN_PAIRS]
    p, y = shipped_probabilities(own, data)
    if not all(
        a >= b for a, b in zip(own_rates(p, y, [r["file"] for r in own], t), OWN_DECIDED_FLOOR, strict=True)
    ):
        return None
    return {**data, "validation_balanced_accuracy": round(balanced_score(pv, yv, t, np.ones(len(yv))), 4)}


def shipped_probabilities(rows: list[dict[str, Any]], data: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """A model as written to the data file, applied to rows: their probabilities and labels."""
    x, y, _ = _matrix(rows, data["features"])
    model = (np.array(data["weights"]), float(data["bias"]), np.array(data["mean"]), np.array(data["scale"]))
    return predict(model, x), y


def choose(rows: list[dict[str, Any]], name: str, path: Path, min_refusal: float = 0.0) -> dict[str, Any]:
    """The refit, unless the shipped model scores higher on the validation split (see `incumbent`)."""
    refit = fit_model(rows, name, min_refusal)
    kept = incumbent(rows, name, path, min_refusal)
    if kept is not None and kept["validation_balanced_accuracy"] > refit["validation_balanced_accuracy"]:
        print(
            f"{name}: the shipped model stays: validation {kept['validation_balanced_accuracy']:.4f}"
            f" vs the refit's {refit['validation_balanced_accuracy']:.4f}"
        )
        return {
            **kept,
            "kept": f"over a refit scoring {refit['validation_balanced_accuracy']} ({date.today()})",
        }
    return refit


def refusal(rows: list[dict[str, Any]], model: dict[str, Any]) -> float:
    """The share of the validation rows' unanswerable questions a fitted full model refuses."""
    val = [r for r in rows if r["role"] == "validation" and r["mode"] == "full" and r["label"] == 0]
    p, _ = shipped_probabilities(val, model)
    return float((p < model["threshold"]).mean()) if val else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", default=str(DATA))
    ap.add_argument("--dump", help="also write every row (features, label) to this JSON file")
    args = ap.parse_args()
    files = fit_files()
    rows = [{**r, "role": "fit"} for r in collect(files)]
    rows += [{**r, "role": "validation"} for r in collect(validation_files())]
    if args.dump:
        Path(args.dump).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    data = {
        "command": ".venv/bin/python bench/fit_decision.py",
        "fitted": date.today().isoformat(),
        "qa_files": [str(f.relative_to(ROOT)) for f in files],
        "validation_files": [str(f.relative_to(ROOT)) for f in validation_files()],
        "documents": sorted({load_qa(f)[1] for f in files if load_qa(f)[1]}),
        "model": f"logistic regression, L2={L2}, {STEPS} steps, classes weighted equally within each source",
        "selection": (
            f"backward elimination and threshold by balanced accuracy on the validation files, tolerance {SELECT_TOLERANCE};"
            " the shipped model stays where it scores higher there"
        ),
        "models": {},
    }
    full = choose(rows, "full", Path(args.out))
    # Issue 9: "the refusal calibration must hold in both states". The lexical model decides while vectors are
    # still being computed; it may not refuse fewer of the validation split's unanswerable questions than the
    # full model does. Chosen by balanced accuracy alone, it traded refusals for answers (0.80 refused vs the
    # full model's 0.84), and the seed among 781 documents, most of them without vectors yet, fell from
    # 97.0% to 95.1% on questions no plan answers ("明天沈阳天气怎么样？").
    data["models"] = {"full": full, "lexical": choose(rows, "lexical", Path(args.out), refusal(rows, full))}
    Path(args.out).write_text(
        FORMAT + "\n" + json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
