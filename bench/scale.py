"""Scale benchmark (issue 9): the seed plan among 780 other government texts.

Usage: .venv/bin/python bench/scale.py [--quick] [--docs N] [--dense-budget N] [--json OUT]

Indexes ../shared/corpora/scale/ together with the seed (corpus/*.txt) in a temporary library
folder (symlinks) and index folder, and reports same-run ratios against the issue's targets:

- time to first answer: a fresh process on an empty index, until its first `ask` is answered on
  the lexical half (sync without vectors, open, first answer);
- dense build rate: `fill_dense` (the product path: cache, Chroma, resumable batches) against the
  raw embedding throughput of the same passages, measured alternately in the same run. Embedding
  all ~55,000 passages takes over an hour on 2 cores, so a bounded budget is embedded and the full
  time extrapolated (said so in the table);
- resume after a kill: the dense fill runs in a child process, is SIGKILLed mid-way and restarted;
  the restart must embed nothing the killed one saved;
- incremental add of one ~20k-character file (until its vectors are in) against the raw time to
  embed its passages, and its removal;
- RSS of a process serving the full corpus; ask p50/p95 at full size against the seed alone;
- the seed's golden pairs (tests/qa/liaoning.yaml) with the seed among 781 documents against alone,
  with the vectors the run has (the seed's, plus the budget) and with none (lexical half only).

Child processes serve (`--child serve`) and fill (`--child fill`), so each RSS and each start is a
process's own. Numbers, not assertions: docs/benchmarks.md records runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALE = ROOT.parent / "shared" / "corpora" / "scale"
QA = ROOT / "tests" / "qa" / "liaoning.yaml"
ADD_CHARS = 20_000  # the incremental-add file: the scale text closest to this many characters


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else 0.0


def rss() -> dict[str, float]:
    """Current and peak resident memory of this process, MB (from /proc: the kernel's own count)."""
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out["rss_mb" if line.startswith("VmRSS") else "peak_rss_mb"] = round(
                int(line.split()[1]) / 1024, 1
            )
    return out


class Recording:
    """An embedder that records what it is asked to embed and the seconds it spends (the fill's own work)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.texts: list[str] = []
        self.seconds = 0.0
        self.first_call: float | None = None

    def embed_documents(self, texts: Any) -> Any:
        t = time.perf_counter()
        self.first_call = self.first_call or t
        out = self.inner.embed_documents(texts)
        self.seconds += time.perf_counter() - t
        self.texts.extend(texts)
        return out

    def embed_query(self, text: str) -> Any:
        return self.inner.embed_query(text)


def raw_embed(embedder: Any, texts: list[str]) -> float:
    """Seconds to embed `texts` straight through the model, in the fill's batch size."""
    from assistant.vectors import BATCH

    t = time.perf_counter()
    for i in range(0, len(texts), BATCH):
        embedder.embed_documents(texts[i : i + BATCH])
    return time.perf_counter() - t


# -- children -------------------------------------------------------------------------------------
def child_serve(corpus: Path, index: Path, golden: bool) -> dict[str, Any]:
    """Start like the server (lexical half first), answer once, then the golden pairs, timed."""
    t0 = time.perf_counter()
    from assistant import Assistant, Settings
    from assistant.embed import make_embedder
    from assistant.evaluate import check, load_pairs
    from assistant.index import open_index, stale_reason, sync

    t_import = time.perf_counter()
    settings = Settings.from_env(
        corpus_dir=corpus, index_dir=index, data_dir=index.parent / "data", llm_base_url=""
    )
    embedder = make_embedder(settings)
    built = stale_reason(settings, embedder.name) is not None
    if built:
        sync(settings, embedder, dense=False)
    t_sync = time.perf_counter()
    ix = open_index(settings, embedder)
    t_open = time.perf_counter()
    bot = Assistant(settings, ix)
    t_init = time.perf_counter()
    _, pairs = load_pairs(QA)
    first = bot.ask(pairs[0].question)
    t_first = time.perf_counter()
    out: dict[str, Any] = {
        "documents": len(ix.documents),
        "passages": len(ix.passages),
        "vectors": ix.dense_progress[0],
        "built": built,
        "import_s": round(t_import - t0, 2),
        "sync_s": round(t_sync - t_import, 2),
        "open_s": round(t_open - t_sync, 2),
        "assistant_init_s": round(t_init - t_open, 2),
        "first_ask_s": round(t_first - t_init, 2),
        "first_answer_s": round(
            t_first - t_import, 2
        ),  # imports excluded: a server pays them before listening
        "first_answer": first.answer[:80],
        **{f"{k}_after_load": v for k, v in rss().items()},
    }
    if golden:
        times, embeds, passed, failed = [], [], 0, []
        cats: dict[str, list[int]] = {}
        for p in pairs:
            t = time.perf_counter()
            embedder.embed_query(p.question)  # the question's own direct embedding, beside its ask
            embeds.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            a = bot.ask(p.question, list(p.history))
            times.append((time.perf_counter() - t) * 1000)
            ok = not check(p, a)
            passed += ok
            if not ok:
                failed.append(p.id)
            cats.setdefault(p.category, []).append(ok)
        out.update(
            {
                "golden_total": len(pairs),
                "golden_passed": passed,
                "golden_rate": round(passed / len(pairs), 4),
                "golden_categories": {c: f"{sum(v)}/{len(v)}" for c, v in sorted(cats.items())},
                "golden_failed": failed,
                "ask_p50_ms": round(pct(times, 0.5), 1),
                "ask_p95_ms": round(pct(times, 0.95), 1),
                "embed_query_median_ms": round(statistics.median(embeds), 1),
                "embed_query_p95_ms": round(pct(embeds, 0.95), 1),
                "ask_over_own_embed_p95": round(
                    pct([a / e for a, e in zip(times, embeds, strict=True)], 0.95), 2
                ),
            }
        )
    out.update(rss())
    return out


def child_fill(corpus: Path, index: Path) -> None:
    """Fill vectors until killed (the parent SIGKILLs this process mid-way)."""
    from assistant import Settings
    from assistant.embed import make_embedder
    from assistant.index import fill_dense

    settings = Settings.from_env(corpus_dir=corpus, index_dir=index, llm_base_url="")
    fill_dense(settings, make_embedder(settings))


def run_child(*args: str, timeout: float = 3600) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def serve(corpus: Path, index: Path, golden: bool = True) -> dict[str, Any]:
    return run_child("serve", str(corpus), str(index), "1" if golden else "0")


# -- the parent -----------------------------------------------------------------------------------
def library(folder: Path, files: list[Path]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        (folder / f.name).symlink_to(f.resolve())
    return folder


def cache_keys(index: Path) -> set[str]:
    import sqlite3

    db = sqlite3.connect(str(index / "vectors.sqlite3"), timeout=30)
    try:
        return {k for (k,) in db.execute("SELECT key FROM vectors")}
    finally:
        db.close()


def doc_texts(settings: Any, name: str) -> list[str]:
    """The indexed texts of one document's passages, read from its artifact."""
    from assistant.store import Artifact, indexed_text, read_manifest

    manifest, _ = read_manifest(settings.index_dir)
    assert manifest is not None
    entry = next(e for e in manifest["documents"] if e["name"] == name)
    return [indexed_text(p) for p in Artifact.load(settings.index_dir / entry["artifact"]).passages]


def dense_rate(settings: Any, embedder: Any, budget: int, rounds: int = 4) -> dict[str, Any]:
    """`fill_dense` for `budget` passages against raw embedding of the same passages, alternating."""
    import threading

    from assistant.index import fill_dense

    fill_s = raw_s = startup_s = 0.0
    n = 0
    ratios = []
    for _ in range(rounds):
        rec = Recording(embedder)
        stop = threading.Event()
        base: list[int] = []

        def progress(done: int, _total: int, base: list[int] = base, stop: threading.Event = stop) -> None:
            base.append(done)
            if done - base[0] >= budget // rounds:
                stop.set()

        t = time.perf_counter()
        fill_dense(settings, rec, progress=progress, stop=stop)
        took = time.perf_counter() - t
        fill_s += took
        startup_s += (rec.first_call or t) - t
        n += len(rec.texts)
        raw = raw_embed(embedder, rec.texts)
        raw_s += raw
        ratios.append(round(raw / took, 3))
    return {
        "passages": n,
        "fill_s": round(fill_s, 2),
        "fill_startup_s": round(startup_s, 2),
        "raw_s": round(raw_s, 2),
        "fill_rate": round(n / fill_s, 2),
        "raw_rate": round(n / raw_s, 2),
        "ratio": round((n / fill_s) / (n / raw_s), 3),
        "fill_calls": rounds,
        "round_ratios": ratios,  # the machine is shared: each round's fill and raw run back to back
    }


def resume_after_kill(settings: Any, embedder: Any, extra: int) -> dict[str, Any]:
    """SIGKILL a filling child once it saved `extra` vectors; restart; count re-embedded passages."""
    import threading

    from assistant.index import fill_dense
    from assistant.store import COLLECTION, chroma_client, read_manifest
    from assistant.vectors import vector_key

    before = len(cache_keys(settings.index_dir))
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", "fill", str(settings.corpus_dir), str(settings.index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    t = time.perf_counter()
    while len(cache_keys(settings.index_dir)) < before + extra:
        if proc.poll() is not None or time.perf_counter() - t > 900:
            raise RuntimeError(
                f"fill child ended early: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
            )
        time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    saved = cache_keys(settings.index_dir)
    rec = Recording(embedder)
    stop = threading.Event()
    first: list[int] = []

    def progress(done: int, _total: int) -> None:
        first.append(done)
        if done - first[0] >= 64:
            stop.set()

    t = time.perf_counter()
    fill_dense(settings, rec, progress=progress, stop=stop)
    restart_s = time.perf_counter() - t
    again = [t for t in rec.texts if vector_key(embedder.name, t) in saved]
    manifest, _ = read_manifest(settings.index_dir)
    assert manifest is not None
    col = chroma_client(settings, settings.index_dir).get_collection(manifest.get("collection", COLLECTION))
    now = cache_keys(settings.index_dir)
    return {
        "saved_by_killed_child": len(saved) - before,
        "restart_embedded": len(rec.texts),
        "reembedded": len(again),
        "restart_s": round(restart_s, 2),
        "chroma_rows": col.count(),
        "cache_rows": len(now),
    }


def add_and_remove(settings: Any, embedder: Any, source: Path) -> dict[str, Any]:
    """Add one file: re-index it (lexical half, then its vectors first); then remove it."""
    import threading

    from assistant.corpus import parse_file
    from assistant.index import fill_dense, open_index, sync
    from assistant.store import indexed_text

    # The raw time to embed its passages, measured before and after the add (the machine is shared).
    own = [indexed_text(p) for p in parse_file(source.name, source.read_bytes()).passages]
    raw_before = raw_embed(embedder, own)
    link = settings.corpus_dir / source.name
    link.symlink_to(source.resolve())
    rec = Recording(embedder)
    stop = threading.Event()
    n_new: list[int] = []
    first: list[int] = []

    def progress(done: int, _total: int) -> None:
        first.append(done)
        if done - first[0] >= n_new[0]:
            stop.set()

    t0 = time.perf_counter()
    sync(settings, embedder, dense=False)
    t_sync = time.perf_counter()
    n_new.append(len(doc_texts(settings, source.name)))
    fill_dense(settings, rec, progress=progress, stop=stop)
    t_dense = time.perf_counter()
    new_texts = set(doc_texts(settings, source.name))
    t_open0 = time.perf_counter()
    open_index(settings, embedder)
    t_open = time.perf_counter() - t_open0
    raw_s = (raw_before + raw_embed(embedder, own)) / 2
    # Remove it again: the lexical half, then Chroma reconciled (no embedding at all).
    link.unlink()
    rec2 = Recording(embedder)
    stop2 = threading.Event()
    stop2.set()
    t = time.perf_counter()
    sync(settings, embedder, dense=False)
    fill_dense(settings, rec2, stop=stop2)
    remove_s = time.perf_counter() - t
    return {
        "file": source.name,
        "chars": len(source.read_text(encoding="utf-8")),
        "passages": len(new_texts),
        "embedded": len(rec.texts),
        "embedded_of_other_documents": sum(t not in new_texts for t in rec.texts),
        "sync_s": round(t_sync - t0, 2),
        "reindex_s": round(t_dense - t0, 2),
        "raw_embed_s": round(raw_s, 2),
        "reopen_s": round(t_open, 2),
        "remove_s": round(remove_s, 2),
        "remove_embedded": len(rec2.texts),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100 scale documents, a small dense budget")
    ap.add_argument("--docs", type=int, default=0, help="scale documents to use (default: all)")
    ap.add_argument("--dense-budget", type=int, default=0, help="passages the dense-rate step embeds")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--scale", type=Path, default=SCALE, help="the folder of scale documents")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "serve":
            print(json.dumps(child_serve(Path(rest[0]), Path(rest[1]), rest[2] == "1"), ensure_ascii=False))
        elif kind == "fill":
            child_fill(Path(rest[0]), Path(rest[1]))
        return
    docs = args.docs or (100 if args.quick else 0)
    budget = args.dense_budget or (256 if args.quick else 1500)
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        # Every step measures from nothing (first answer on an empty index, a fresh vector cache).
        sys.exit(
            f"--keep {args.keep}: the folder must be new or empty (the run measures from an empty index)"
        )
    work = args.keep or Path(tempfile.mkdtemp(prefix="scale-bench-"))
    try:
        out = run(work, args.scale, docs, budget)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    out["command"] = " ".join(["bench/scale.py", *sys.argv[1:]])
    print(json.dumps(out, ensure_ascii=False, indent=1))
    print()
    print(table(out))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


def run(work: Path, scale: Path, docs: int, budget: int) -> dict[str, Any]:
    from assistant import Settings
    from assistant.embed import make_embedder
    from assistant.index import fill_dense

    seed_files = sorted((ROOT / "corpus").glob("*.txt"))
    scale_files = sorted(scale.glob("*.txt"))
    sizes = {f: len(f.read_text(encoding="utf-8")) for f in scale_files}
    add_file = min(scale_files, key=lambda f: abs(sizes[f] - ADD_CHARS))
    rest = [f for f in scale_files if f != add_file]
    rest = rest[:docs] if docs else rest
    out: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "scale_documents": len(rest) + 1,
        "scale_characters": sum(sizes[f] for f in rest) + sizes[add_file],
        "dense_budget": budget,
    }

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    # 1. The seed alone: lexical half first, then all its vectors.
    seed = Settings.from_env(
        corpus_dir=library(work / "seed" / "corpus", seed_files),
        index_dir=work / "seed" / "index",
        llm_base_url="",
    )
    embedder = make_embedder(seed)
    log("seed: lexical start")
    out["seed_lexical"] = serve(seed.corpus_dir, seed.index_dir)
    log("seed: vectors")
    fill_dense(seed, embedder)
    out["seed"] = serve(seed.corpus_dir, seed.index_dir)

    # 2. Seed + scale documents (the add-file kept out for step 6): first answer on the lexical half.
    full = Settings.from_env(
        corpus_dir=library(work / "full" / "corpus", seed_files + rest),
        index_dir=work / "full" / "index",
        llm_base_url="",
    )
    log(f"full: lexical start on {len(rest) + 1} documents")
    out["full_lexical"] = serve(full.corpus_dir, full.index_dir)
    # The seed's vectors come from its own cache: keyed by model and text, they are the same vectors.
    shutil.copy(seed.index_dir / "vectors.sqlite3", full.index_dir / "vectors.sqlite3")
    # 3. Dense build rate against raw throughput, on the same passages.
    log(f"full: dense rate, {budget} passages")
    out["dense"] = dense_rate(full, embedder, budget)
    total = out["full_lexical"]["passages"]
    d = out["dense"]
    out["dense"]["full_estimate_min"] = round(
        (d["fill_startup_s"] / d["fill_calls"] + total / d["fill_rate"]) / 60, 1
    )
    out["dense"]["raw_estimate_min"] = round(total / d["raw_rate"] / 60, 1)
    # 4. Resume after a kill.
    log("full: kill and resume")
    out["resume"] = resume_after_kill(full, embedder, extra=64)
    # 5. Serving the full corpus with the vectors made so far.
    log("full: serving")
    out["full"] = serve(full.corpus_dir, full.index_dir)
    # The seed alone again, next to the full run in time: the latency ratio compares neighbours.
    out["seed_again"] = serve(seed.corpus_dir, seed.index_dir)
    # 6. Add one ~20k-character file, then remove it.
    log("full: add and remove")
    out["add"] = add_and_remove(full, embedder, add_file)
    return out


def table(o: dict[str, Any]) -> str:
    s, f, fl, sl = o["seed_again"], o["full"], o["full_lexical"], o["seed_lexical"]
    d, r, a = o["dense"], o["resume"], o["add"]
    rows = [
        ("measure", "target", "measured"),
        (
            f"first answer, seed + {o['scale_documents'] - 1} documents, empty index",
            "≤ 60 s",
            f"{fl['first_answer_s']} s (sync {fl['sync_s']} + open {fl['open_s']} + init "
            f"{fl['assistant_init_s']} + ask {fl['first_ask_s']}); restart on a built index {f['first_answer_s']} s",
        ),
        (
            "dense build rate ÷ raw embedding rate",
            "≥ 0.9",
            f"{d['ratio']} ({d['fill_rate']} vs {d['raw_rate']} passages/s over {d['passages']} passages; "
            f"full build ≈ {d['full_estimate_min']} min vs raw {d['raw_estimate_min']} min, extrapolated)",
        ),
        (
            "passages re-embedded on resume after SIGKILL",
            "0",
            f"{r['reembedded']} (killed child saved {r['saved_by_killed_child']}; restart embedded "
            f"{r['restart_embedded']} new; Chroma {r['chroma_rows']} rows = cache {r['cache_rows']})",
        ),
        (
            f"re-index after adding one {a['chars']}-character file ÷ embedding its passages",
            "≤ 1.2×",
            f"{round(a['reindex_s'] / a['raw_embed_s'], 2)}× ({a['reindex_s']} s vs {a['raw_embed_s']} s, "
            f"{a['passages']} passages; {a['embedded_of_other_documents']} others embedded; reopen {a['reopen_s']} s)",
        ),
        ("remove that file", "no embedding", f"{a['remove_s']} s, {a['remove_embedded']} embedded"),
        (
            "RSS serving the full corpus",
            "≤ 1.5 GB",
            f"{f['rss_mb']} MB (peak {f['peak_rss_mb']} MB; {f['passages']} passages, {f['vectors']} with vectors)",
        ),
        (
            "ask p95 full ÷ seed alone",
            "≤ 2×",
            f"{round(f['ask_p95_ms'] / s['ask_p95_ms'], 2)}× (p50 {f['ask_p50_ms']} / p95 {f['ask_p95_ms']} ms vs "
            f"{s['ask_p50_ms']} / {s['ask_p95_ms']} ms; lexical only {fl['ask_p95_ms']} vs {sl['ask_p95_ms']} ms)",
        ),
        (
            "seed golden pass rate, among all vs alone",
            "within 2 points",
            f"{f['golden_rate']:.1%} vs {s['golden_rate']:.1%} "
            f"(lexical half only: {fl['golden_rate']:.1%} vs {sl['golden_rate']:.1%})",
        ),
        (
            "seed ask p95 ÷ one query embedding",
            "≤ 2×",
            f"{round(s['ask_p95_ms'] / s['embed_query_median_ms'], 2)}× ({s['ask_p95_ms']} vs "
            f"{s['embed_query_median_ms']} ms, the median embedding); {round(s['ask_p95_ms'] / s['embed_query_p95_ms'], 2)}× "
            f"the p95 embedding ({s['embed_query_p95_ms']} ms); each ask ÷ its own question's embedding, p95: "
            f"{s['ask_over_own_embed_p95']}×",
        ),
    ]
    w0 = max(len(x[0]) for x in rows)
    w1 = max(len(x[1]) for x in rows)
    return "\n".join(f"{a0:<{w0}}  {a1:<{w1}}  {a2}" for a0, a1, a2 in rows)


if __name__ == "__main__":
    main()
