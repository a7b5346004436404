"""Blind questions asked in one large library: does the assistant find the document that answers?

Usage: .venv/bin/python bench/library.py [--split tune|heldout|scale|fresh|fresh2|fresh3|fresh4|fresh5|fresh6|fresh7|fresh8|fresh9|fresh10|seed|all] [--work DIR] [--json OUT]

`assistant eval-dev` asks each dev document's blind questions (tests/qa/dev/) of that document alone.
Here the same questions, and the seed's golden pairs, are asked of one library holding all of them:
the 20 dev documents, the seed plan and the 780 texts of ../shared/corpora/scale/ (801 documents).
A question must now be answered from its own document among 800 others (documents are chosen first,
then passages: retrieve.py DOC_PASSAGES, core.Assistant.best_document), and a question about "this
document" (its 文号, its issuer) has no single right document at all, so the rates are lower than
alone by design. Reported per split: answerable right, unanswerable refused, and answers that cite
only other documents; then the same questions each limited to its own document (`documents=[…]`, as
a user picks it in the UI), which should match `assistant eval-dev` (each document indexed alone).

Vectors: the library's vector cache is seeded with those the per-document evaluation indexes
(index-eval/, made by `assistant eval-dev` and `assistant eval`) already hold, so the dev documents
and the seed have theirs; the 780 scale texts have none unless a vector cache is given with
--vectors (the library is answered on the lexical half for them, as while a large library's vectors
are still being computed). The count is printed.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.embed import make_embedder  # noqa: E402
from assistant.evaluate import DEV_SPLITS, EVAL_DIR, check, dev_files, load_qa  # noqa: E402
from assistant.index import open_index, stale_reason, sync  # noqa: E402
from assistant.store import VECTORS  # noqa: E402
from assistant.vectors import VectorCache  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
SEED_QA = ROOT / "tests" / "qa" / "liaoning.yaml"
SEED = "辽宁省高新技术产业开发区发展规划（2017-2020年）.txt"


def build(work: Path, vectors: Path | None) -> Assistant:
    corpus, index = work / "corpus", work / "index"
    corpus.mkdir(parents=True, exist_ok=True)
    index.mkdir(parents=True, exist_ok=True)
    sources = [*sorted((SHARED / "scale").iterdir()), *sorted((SHARED / "dev").iterdir())]
    sources += sorted((ROOT / "corpus").glob("*.txt"))
    for f in sources:
        link = corpus / f.name
        if not link.exists():
            link.symlink_to(f.resolve())
    settings = Settings.from_env(corpus_dir=corpus, index_dir=index, data_dir=work / "data", llm_base_url="")
    embedder = make_embedder(settings)
    VectorCache(index / VECTORS).close()  # creates the table
    caches = [
        *EVAL_DIR.glob("*/index/vectors.sqlite3"),
        ROOT / "index" / VECTORS,
        *([vectors] if vectors else []),
    ]
    db = sqlite3.connect(index / VECTORS)
    for other in caches:
        if other.is_file():
            db.execute("ATTACH ? AS o", (str(other),))
            db.execute("INSERT OR IGNORE INTO vectors SELECT * FROM o.vectors")
            db.commit()
            db.execute("DETACH o")
    db.close()
    if stale_reason(settings, embedder.name):
        t = time.perf_counter()
        sync(settings, embedder, dense=False)
        print(f"sync {time.perf_counter() - t:.1f} s", flush=True)
    return Assistant(settings, open_index(settings, embedder))


def files(split: str) -> list[tuple[Path, str]]:
    chosen = [] if split == "seed" else dev_files(split)  # dev_files knows every split and all
    out = [(f, load_qa(f)[1]) for f in chosen]
    if split in ("seed", "all"):
        out.append((SEED_QA, SEED))
    return out


def run(bot: Assistant, split: str, limited: bool = False) -> dict[str, Any]:
    """One split's questions asked of the whole library (or, `limited`, each of its own document)."""
    right = answerable = refused = unanswerable = elsewhere = 0
    for f, document in files(split):
        for pair in load_qa(f)[2]:
            answer = bot.ask(pair.question, list(pair.history), documents=[document] if limited else None)
            ok = not check(pair, answer)
            if pair.found:
                answerable += 1
                right += ok
                cited = {c.doc for c in answer.citations}
                elsewhere += bool(answer.found and cited and document not in cited)
            else:
                unanswerable += 1
                refused += ok
    return {
        "split": split + (" (each asked of its own document)" if limited else ""),
        "answerable": answerable,
        "answerable_right": right,
        "unanswerable": unanswerable,
        "unanswerable_refused": refused,
        "answered_from_other_documents": elsewhere,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--split",
        default="all",
        choices=[*DEV_SPLITS, "seed", "all"],
    )
    ap.add_argument("--work", type=Path, default=ROOT / "index-library", help="library folder (kept)")
    ap.add_argument("--vectors", type=Path, help="another vector cache (sqlite) to seed the library's from")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not (SHARED / "scale").is_dir():
        print(f"skipped: {SHARED} is absent", file=sys.stderr)
        return 0
    bot = build(args.work, args.vectors)
    have, total = bot.index.dense_progress
    print(f"library: {len(bot.index.documents)} documents, {total} passages, {have} with vectors")
    splits = [*DEV_SPLITS, "seed"] if args.split == "all" else [args.split]
    results = [run(bot, s, limited) for s in splits for limited in (False, True)]
    for r in results:
        print(
            f"{r['split']:<44} answerable right {r['answerable_right']}/{r['answerable']} "
            f"({r['answerable_right'] / max(r['answerable'], 1):.1%}), unanswerable refused "
            f"{r['unanswerable_refused']}/{r['unanswerable']} "
            f"({r['unanswerable_refused'] / max(r['unanswerable'], 1):.1%}), "
            f"answered only from other documents {r['answered_from_other_documents']}"
        )
    if args.json:
        payload = {
            "documents": len(bot.index.documents),
            "passages": total,
            "vectors": have,
            "results": results,
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
