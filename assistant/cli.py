"""The `assistant` command: index, ask, chat, eval (and serve, feedback when the server parts are installed)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import messages
from .errors import AssistantError
from .schema import Answer
from .settings import Settings


def format_answer(answer: Answer) -> str:
    """The answer followed by its numbered sources, as shown in a terminal."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append(messages.SOURCES)
        for i, c in enumerate(answer.citations, 1):
            page = f" 第{c.page}页" if c.page else ""
            lines.append(
                f"[{i}] 《{Path(c.doc).stem}》 {c.section}{page}{messages.OCR_MARK if c.ocr else ''}"
            )
            lines.append(f"    {c.text}")
    return "\n".join(lines)


def _progress_bar() -> Any:
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, desc="嵌入段落 / embedding passages", unit="段", file=sys.stderr)
        bar["bar"].update(done - bar["bar"].n)
        if done >= total:
            bar["bar"].close()

    return update


def _load(settings: Settings) -> Any:
    from .core import Assistant

    return Assistant.load(settings, progress=_progress_bar())


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from .embed import make_embedder
    from .index import build_index, manifest_summary, stale_reason, sync

    embedder = make_embedder(settings)
    if not args.rebuild and stale_reason(settings, embedder.name) is None:
        from .index import open_index

        done, total = open_index(settings, embedder).dense_progress
        if done == total:
            print(f"索引已是最新 / index is up to date: {settings.index_dir}")
            return 0
    if args.rebuild:
        manifest = build_index(settings, embedder, progress=_progress_bar())
    else:
        manifest = sync(settings, embedder, progress=_progress_bar())
    for line in manifest_summary(manifest):
        print(line)
    print(
        f"已建立索引 / built index: {manifest['passages']} passages from {len(manifest['documents'])} document(s) "
        f"→ {settings.index_dir}"
    )
    return 0


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from .embed import make_embedder
    from .index import manifest_summary, sync
    from .library import check_files, store_files

    files = []
    for name in args.files:
        try:
            files.append((Path(name).name, Path(name).read_bytes()))
        except OSError as exc:
            raise AssistantError(f"无法读取文件 / cannot read {name}: {exc.strerror}") from exc
    checked = check_files(settings, files)
    store_files(settings, checked)
    manifest = sync(settings, make_embedder(settings), progress=_progress_bar())
    added = {name for name, _ in checked}
    for line in manifest_summary(manifest):
        if line.split(":", 1)[0] in added:
            print(line)
    failed = [f for f in manifest["failed"] if f["name"] in added]
    return 1 if failed else 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from .embed import make_embedder
    from .index import sync
    from .library import check_removable, find_file

    path = find_file(settings, args.name)
    check_removable(settings, path.name)
    path.unlink()
    manifest = sync(settings, make_embedder(settings), progress=_progress_bar())
    print(f"已移除 / removed {path.name}; {len(manifest['documents'])} document(s) left")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    bot = _load(settings)
    answer = bot.ask(args.question, documents=args.doc or None)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    bot = _load(settings)
    history: list[dict[str, str]] = []
    print("规划问答助手 — 输入问题，空行或 Ctrl-D 退出 / empty line or Ctrl-D to quit")
    while True:
        try:
            question = input("问> ").strip()
        except EOFError:
            print()
            break
        if not question:
            break
        try:
            answer = bot.ask(question, history[-18:])
        except AssistantError as exc:
            print(f"错误 / error: {exc.message}")
            continue
        print(format_answer(answer))
        print()
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from .core import Assistant
    from .evaluate import eval_settings, format_report, load_pairs, run, summarize

    _, pairs = load_pairs(Path(args.qa_file))
    settings = eval_settings(Path(args.qa_file), settings)  # its corpus, or its one document alone
    bot = Assistant.load(settings, progress=_progress_bar())
    summary = summarize(run(bot.ask, pairs))
    print(format_report(summary))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    if summary["pass_rate"] < args.min_score:
        print(f"\n通过率 {summary['pass_rate']:.1%} 低于要求 {args.min_score:.1%} / pass rate below minimum")
        return 1
    return 0


def cmd_eval_dev(args: argparse.Namespace, settings: Settings) -> int:
    """The blind dev sets of one side of the split (tests/qa/dev/split.yaml), each on its document alone."""
    from .evaluate import dev_report, format_report

    summary = dev_report(args.split, settings, progress=_progress_bar())
    print(f"dev split: {args.split} ({len(summary['documents'])} documents)")
    print(format_report(summary, failures=args.failures))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import replace

    from .server import serve

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    serve(replace(settings, **overrides))  # type: ignore[arg-type]
    return 0


def cmd_feedback_export(args: argparse.Namespace, settings: Settings) -> int:
    from .feedback import FeedbackStore

    store = FeedbackStore.for_dir(settings.data_dir)
    if args.out == "-":
        count = store.export_csv(sys.stdout)
    else:
        # utf-8-sig: Excel opens the Chinese text correctly only with a BOM.
        with open(args.out, "w", encoding="utf-8-sig", newline="") as fh:
            count = store.export_csv(fh)
    print(f"已导出 {count} 条反馈 / exported {count} ratings → {args.out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant", description="规划问答助手 — planning-document Q&A with citations"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build the index for the corpus (if missing or stale)")
    p.add_argument("--rebuild", action="store_true", help="rebuild even when the index is up to date")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser(
        "add", help="add files (PDF, DOCX, HTML, OFD, TXT, images) to the library and index them"
    )
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", help="remove a document from the library (by file name or id)")
    p.add_argument("name")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("ask", help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p.add_argument(
        "--doc", action="append", metavar="NAME", help="answer only from this document (repeatable)"
    )
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="multi-turn chat in the terminal")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="run golden Q&A pairs and report pass rates")
    p.add_argument("qa_file")
    p.add_argument("--json", metavar="OUT", help="also write the summary as JSON to OUT")
    p.add_argument(
        "--min-score", type=float, default=0.0, help="exit 1 when the pass rate is below this (0-1)"
    )
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("eval-dev", help="run the blind dev Q&A sets of one side of the document split")
    p.add_argument(
        "--split",
        # evaluate.DEV_SPLITS and "all", written out: importing evaluate here would load jieba for every command.
        choices=(
            "tune",
            "heldout",
            "scale",
            "fresh",
            "fresh2",
            "fresh3",
            "fresh4",
            "fresh5",
            "fresh6",
            "fresh7",
            "fresh8",
            "fresh9",
            "fresh10",
            "all",
        ),
        default="heldout",
    )
    p.add_argument("--json", help="write the full report (failures included) as JSON")
    p.add_argument(
        "--failures",
        action="store_true",
        help="print each failure (read them for tune-side splits only, tune and scale: a split whose failures "
        "were read is no longer held out)",
    )
    p.set_defaults(func=cmd_eval_dev)

    p = sub.add_parser("serve", help="run the web UI, JSON API and OpenAI-compatible endpoint (like app.py)")
    p.add_argument("--host", help="address to bind (default ASSISTANT_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default ASSISTANT_PORT or 7860)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("feedback", help="the 👍/👎 ratings collected in the UI")
    fsub = p.add_subparsers(dest="feedback_command", required=True)
    fp = fsub.add_parser("export", help="write every rating as CSV")
    fp.add_argument("--out", default="-", help="CSV file to write (default: standard output)")
    fp.set_defaults(func=cmd_feedback_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return int(args.func(args, settings))
    except AssistantError as exc:
        print(f"错误 / error: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
