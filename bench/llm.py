"""Generative answers on the golden Q&A set: how many are verified and shown, how many fall back, how fast.

    ASSISTANT_LLM_BASE_URL=http://127.0.0.1:8080/v1 .venv/bin/python bench/llm.py [tests/qa/liaoning.yaml]

Each pair is asked twice, extractively and through the model, so the table
compares the golden pass rate of both on the same index. Without an endpoint
the benchmark says it was skipped and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.evaluate import check, load_pairs  # noqa: E402

SKIPPED = "skipped: ASSISTANT_LLM_BASE_URL is not set, so answers are extractive only (see docs/llm.md)"


def percentile(values: list[float], q: float) -> float:
    """Example: percentile([1, 2, 3, 4], 0.5) -> 2.5"""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def run(bot: Assistant, qa_file: Path, limit: int | None = None) -> dict[str, Any]:
    """Ask every pair extractively and through the model; the tallies and per-pair rows."""
    _, pairs = load_pairs(qa_file)
    pairs = pairs[:limit] if limit else pairs
    extractive = bot.with_chat(None)
    rows: list[dict[str, Any]] = []
    for pair in pairs:
        history = list(pair.history)
        base = extractive.ask(pair.question, history)
        start = time.perf_counter()
        answer = bot.ask(pair.question, history)
        seconds = time.perf_counter() - start
        rows.append(
            {
                "id": pair.id,
                "question": pair.question,
                "mode": answer.mode,
                "note": answer.note,
                "seconds": round(seconds, 3),
                "answer": answer.answer,
                "problems": check(pair, answer),
                "extractive_problems": check(pair, base),
            }
        )
    latencies = [r["seconds"] for r in rows]
    fallbacks = [r for r in rows if r["mode"] == "fallback"]
    n = max(len(rows), 1)
    return {
        "qa_file": str(qa_file),
        "endpoint": bot.settings.llm_base_url,
        "model": bot.settings.llm_model,
        "total": len(rows),
        "generative": sum(r["mode"] == "generative" for r in rows),
        "fallback": len(fallbacks),
        "verified_share": round(sum(r["mode"] == "generative" for r in rows) / n, 4),
        # "…未通过核对（数字“3%”不在所引段落中）…" -> "…未通过核对（…）…": the kind of fallback, not its detail.
        "fallback_kinds": dict(
            Counter(re.sub(r"（.*）", "（…）", r["note"]) for r in fallbacks).most_common()
        ),
        "pass_rate": round(sum(not r["problems"] for r in rows) / n, 4),
        "extractive_pass_rate": round(sum(not r["extractive_problems"] for r in rows) / n, 4),
        "latency_s": {
            "mean": round(statistics.fmean(latencies), 3) if latencies else 0.0,
            "p50": round(percentile(latencies, 0.5), 3),
            "p90": round(percentile(latencies, 0.9), 3),
            "max": round(max(latencies, default=0.0), 3),
        },
        "rows": rows,
    }


def report(s: dict[str, Any]) -> str:
    lat = s["latency_s"]
    lines = [
        f"{s['qa_file']} via {s['endpoint']} (model {s['model'] or '-'}): {s['total']} questions",
        f"  verified and shown (generative): {s['generative']:>3}  {s['verified_share']:.1%}",
        f"  fell back to extractive:         {s['fallback']:>3}  {1 - s['verified_share']:.1%}",
    ]
    lines += [f"    {count:>3}  {kind}" for kind, count in s["fallback_kinds"].items()]
    lines += [
        f"  golden pass rate: with the model {s['pass_rate']:.1%}, extractive only {s['extractive_pass_rate']:.1%}",
        f"  latency (s): mean {lat['mean']}  p50 {lat['p50']}  p90 {lat['p90']}  max {lat['max']}",
    ]
    for r in s["rows"]:
        if r["problems"] and r["mode"] == "generative":
            lines.append(f"  FAIL {r['id']} [generative] {r['answer'][:120]!r}: {'; '.join(r['problems'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("qa_file", nargs="?", default=str(ROOT / "tests" / "qa" / "liaoning.yaml"))
    parser.add_argument("--limit", type=int, help="ask only the first N pairs")
    parser.add_argument("--json", help="also write the summary and every row here")
    args = parser.parse_args(argv)
    settings = settings or Settings.from_env()
    if not settings.llm_base_url:
        print(SKIPPED)
        return 0
    corpus, _ = load_pairs(Path(args.qa_file))
    if corpus.resolve() != settings.corpus_dir.resolve():
        # As `assistant eval` does: another corpus gets an index of its own beside the main one.
        index_dir = settings.index_dir.with_name(f"{settings.index_dir.name}-{corpus.name}")
        settings = replace(settings, corpus_dir=corpus, index_dir=index_dir)
    summary = run(Assistant.load(settings), Path(args.qa_file), args.limit)
    print(report(summary))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
