"""Generative answers on the golden Q&A set: how many are verified and shown, how many fall back, how fast.

    ASSISTANT_LLM_BASE_URL=http://127.0.0.1:8080/v1 .venv/bin/python bench/llm.py [tests/qa/liaoning.yaml]
    .venv/bin/python bench/llm.py --endpoint http://127.0.0.1:11434/v1 --model qwen2.5:7b   # any endpoint

Each pair is asked twice, extractively and through the model, so the table
compares the golden pass rate of both on the same index. The model's answer is
asked for as the UI asks (`Assistant.answers`): the time to the first visible
answer (the extract) is measured apart from the time to the final one. Without
an endpoint the benchmark says it was skipped and exits 0.
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


def kind(note: str) -> str:
    """A fallback note without its details, so notes of one kind count together.

    Example: kind("生成的答案未通过核对（数字“3%”不在所引段落中），已改用原文摘录。")
    -> "生成的答案未通过核对（数字“…”不在所引段落中），已改用原文摘录。"
    """
    return re.sub(r"\d+", "N", re.sub(r"“[^”]*”", "“…”", note))


def stats(values: list[float]) -> dict[str, float]:
    return {
        "mean": round(statistics.fmean(values), 3) if values else 0.0,
        "p50": round(percentile(values, 0.5), 3),
        "p90": round(percentile(values, 0.9), 3),
        "max": round(max(values, default=0.0), 3),
    }


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
        steps = bot.answers(pair.question, history)
        first = next(steps)
        first_s = time.perf_counter() - start
        answer = next(steps, first)
        seconds = time.perf_counter() - start
        rows.append(
            {
                "id": pair.id,
                "question": pair.question,
                "mode": answer.mode,
                "note": answer.note,
                "first_s": round(first_s, 3),
                "seconds": round(seconds, 3),
                "answer": answer.answer,
                "problems": check(pair, answer),
                "extractive_problems": check(pair, base),
            }
        )
    latencies = [r["seconds"] for r in rows]
    firsts = [r["first_s"] for r in rows]
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
        "fallback_kinds": dict(Counter(kind(r["note"]) for r in fallbacks).most_common()),
        "pass_rate": round(sum(not r["problems"] for r in rows) / n, 4),
        "extractive_pass_rate": round(sum(not r["extractive_problems"] for r in rows) / n, 4),
        # The UI shows the extract first: what a user waits for is first_visible_s, not latency_s.
        "first_visible_s": stats(firsts),
        "latency_s": stats(latencies),
        "llm": bot.llm_status(),
        "rows": rows,
    }


def report(s: dict[str, Any]) -> str:
    lat, first = s["latency_s"], s["first_visible_s"]
    lines = [
        f"{s['qa_file']} via {s['endpoint']} (model {s['model'] or '-'}): {s['total']} questions",
        f"  verified and shown (generative): {s['generative']:>3}  {s['verified_share']:.1%}",
        f"  fell back to extractive:         {s['fallback']:>3}  {1 - s['verified_share']:.1%}",
    ]
    lines += [f"    {count:>3}  {kind}" for kind, count in s["fallback_kinds"].items()]
    lines += [
        f"  golden pass rate: with the model {s['pass_rate']:.1%}, extractive only {s['extractive_pass_rate']:.1%}",
        f"  first visible answer (s): mean {first['mean']}  p50 {first['p50']}  p90 {first['p90']}  max {first['max']}",
        f"  final answer (s):         mean {lat['mean']}  p50 {lat['p50']}  p90 {lat['p90']}  max {lat['max']}",
        f"  endpoint at the end: {s['llm']['state']}",
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
    parser.add_argument(
        "--endpoint", help="an OpenAI-compatible base URL ending in /v1 (else ASSISTANT_LLM_BASE_URL)"
    )
    parser.add_argument("--model", help="the model name the endpoint knows (else ASSISTANT_LLM_MODEL)")
    args = parser.parse_args(argv)
    settings = settings or Settings.from_env()
    if args.endpoint:
        settings = replace(settings, llm_base_url=args.endpoint)
    if args.model:
        settings = replace(settings, llm_model=args.model)
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
