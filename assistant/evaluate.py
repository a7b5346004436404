"""Run golden Q&A pairs against an assistant and report what passed, per category.

A pair passes when `found` matches, every expected string is in the answer
(an item may list alternatives), and a cited passage lies in the expected
section (or, for pairs that give only `cited_text`, some cited passage contains
that text). Separately, every number in a found answer must occur in its cited
passages: an answer that fails this is "ungrounded", whatever else it got right.

A QA file that names a `document:` is about that one document of its corpus
folder: it is evaluated on a corpus holding just that document (a folder with a
link to it under index-eval/<key>/, with its own cached index). The blind dev
sets (tests/qa/dev/NN.yaml) are split by document into tune and held-out
(tests/qa/dev/split.yaml); `dev_report` runs one side of the split.
"""

from __future__ import annotations

import hashlib
import os
import re
import statistics
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .corpus import heading_marker
from .errors import BadQuestion
from .schema import Answer, Passage
from .segment import normalize
from .settings import ROOT, Settings

DEV_DIR = ROOT / "tests" / "qa" / "dev"
EVAL_DIR = ROOT / "index-eval"  # git-ignored (index-*/): per-document corpora, indexes, embedding cache

NUMBER = re.compile(r"\d+(?:\.\d+)?")
REQUIRED = ("id", "category", "question", "found")


@dataclass(frozen=True)
class Pair:
    id: str
    category: str
    question: str
    found: bool
    history: tuple[dict[str, str], ...] = ()
    answer_contains: tuple[Any, ...] = ()
    cited_section: tuple[str, ...] = ()  # any one of these headings will do
    cited_text: str = ""
    cited_doc: str = ""


@dataclass
class Result:
    pair: Pair
    answer: Answer
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def load_pairs(path: Path) -> tuple[Path, list[Pair]]:
    """The corpus folder a QA file names (relative to the repository root) and its pairs."""
    corpus, _, pairs = load_qa(path)
    return corpus, pairs


def load_qa(path: Path) -> tuple[Path, str, list[Pair]]:
    """The corpus folder a QA file names, the one document it is about ("" for the whole corpus), its pairs."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BadQuestion(f"无法读取问答文件 / cannot read QA file {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("pairs"), list):
        raise BadQuestion(f"问答文件须含 pairs 列表 / QA file needs a 'pairs' list: {path}")
    pairs = []
    for raw in data["pairs"]:
        missing = [k for k in REQUIRED if k not in raw]
        if missing:
            raise BadQuestion(f"问答对缺少字段 / pair {raw.get('id', '?')} lacks {missing}")
        pairs.append(
            Pair(
                id=str(raw["id"]),
                category=str(raw["category"]),
                question=str(raw["question"]),
                found=bool(raw["found"]),
                history=tuple(raw.get("history") or ()),
                answer_contains=tuple(raw.get("answer_contains") or ()),
                cited_section=_alternatives(raw.get("cited_section")),
                cited_text=str(raw.get("cited_text") or ""),
                cited_doc=str(raw.get("cited_doc") or ""),
            )
        )
    corpus = ROOT / str(data.get("corpus", "corpus"))
    return corpus, str(data.get("document") or ""), pairs


def eval_settings(qa_file: Path, settings: Settings) -> Settings:
    """Settings for evaluating a QA file: its corpus (or its one document alone) with an index of its own."""
    corpus, document, _ = load_qa(qa_file)
    if document:
        source = corpus / document
        if not source.is_file():
            raise BadQuestion(f"问答文件所指文档不存在 / document not found: {source}")
        key = hashlib.sha1(str(source.resolve()).encode("utf-8")).hexdigest()[:10]
        folder = EVAL_DIR / key / "corpus"
        folder.mkdir(parents=True, exist_ok=True)
        link = folder / document
        if not link.is_symlink() or link.resolve() != source.resolve():
            link.unlink(missing_ok=True)
            link.symlink_to(source.resolve())
        return Settings.from_env(corpus_dir=folder, index_dir=EVAL_DIR / key / "index")
    if corpus.resolve() == settings.corpus_dir.resolve():
        return settings
    # A QA file about another corpus gets that corpus, with an index of its own beside the main one.
    return Settings.from_env(
        corpus_dir=corpus, index_dir=settings.index_dir.with_name(f"{settings.index_dir.name}-{corpus.name}")
    )


class CachedEmbedder:
    """An embedder whose vectors are kept on disk by text, so that re-indexing the same passages for an
    evaluation after a parser change costs no model time. The vectors are the wrapped model's own."""

    def __init__(self, inner: Any, path: Path) -> None:
        self.inner = inner
        self.name: str = inner.name
        self.path = path
        self.cache: dict[str, np.ndarray] = {}
        if path.is_file():
            try:
                with np.load(path) as data:
                    self.cache = {k: data[k] for k in data.files}
            except (OSError, ValueError, zipfile.BadZipFile):
                pass  # a damaged cache is only lost time: the vectors are computed again
        self.dirty = False

    @staticmethod
    def _key(kind: str, text: str) -> str:
        return kind + hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if self._key("p", t) not in self.cache]
        if missing:
            for t, v in zip(missing, self.inner.embed_documents(missing), strict=True):
                self.cache[self._key("p", t)] = np.asarray(v, dtype=np.float32)
            self.dirty = True
        return np.stack([self.cache[self._key("p", t)] for t in texts]) if texts else np.zeros((0, 384))

    def embed_query(self, text: str) -> np.ndarray:
        key = self._key("q", text)
        if key not in self.cache:
            self.cache[key] = np.asarray(self.inner.embed_query(text), dtype=np.float32)
            self.dirty = True
        return self.cache[key]

    def save(self) -> None:
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One temporary file per process: evaluations run side by side share the cache, and two writers
            # of one temporary file left a damaged archive behind.
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(tmp, **self.cache)  # type: ignore[arg-type]
            tmp.replace(self.path)
            self.dirty = False


# The parts of tests/qa/dev/split.yaml, in the order reports list them (a test checks them against the file).
DEV_SPLITS = (
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
)


def dev_files(split: str) -> list[Path]:
    """The blind QA files (tests/qa/dev/NN.yaml) of one part of the split: tune, heldout, scale (ten
    scale/ texts, tune-side but not fitted on: the decision's validation set), fresh (six more scale/
    texts), fresh2 to fresh6 (five more each: held out when written, development since: fresh2-fresh4 from the
    fifth session, fresh5 and fresh6 from the sixth, fresh7 and fresh8 from the seventh), fresh9 and fresh10 (five more
    each, held out) or all."""
    chosen = yaml.safe_load((DEV_DIR / "split.yaml").read_text(encoding="utf-8"))
    names = set().union(*chosen.values()) if split == "all" else set(chosen[split])
    return [f for f in sorted(DEV_DIR.glob("[0-9]*.yaml")) if load_qa(f)[1] in names]


def dev_report(split: str, settings: Settings | None = None, progress: Any = None) -> dict[str, Any]:
    """Evaluate every dev QA file of one side of the split, each on its document alone; one summary."""
    from .core import Assistant
    from .embed import make_embedder

    settings = settings or Settings.from_env()
    embedder = CachedEmbedder(make_embedder(settings), EVAL_DIR / "embeddings.npz")
    results: list[Result] = []
    documents = []
    try:
        for f in dev_files(split):
            _, document, pairs = load_qa(f)
            bot = Assistant.load(eval_settings(f, settings), embedder=embedder, progress=progress)
            results += run(bot.ask, pairs)
            documents.append(document)
    finally:
        embedder.save()
    summary = summarize(results)
    summary["split"] = split
    summary["documents"] = documents
    return summary


def ungrounded_numbers(answer: Answer) -> list[str]:
    """Numbers in the answer (outside [n] markers) that no cited passage or section contains."""
    body = re.sub(r"\[\d+\]", "", normalize(answer.answer))
    body = re.sub(r"^\d+\. ", "", body, flags=re.M)  # list numbering is ours, not a claim
    cited = " ".join(normalize(c.text + " " + c.section) for c in answer.citations)
    return [n for n in NUMBER.findall(body) if n not in cited]


def check(pair: Pair, answer: Answer) -> list[str]:
    problems = []
    if answer.found != pair.found:
        problems.append(f"found={answer.found}, expected {pair.found}")
    if pair.found and answer.found:
        text = normalize(answer.answer)
        for item in pair.answer_contains:
            options = item if isinstance(item, list) else [item]
            if not any(normalize(str(o)) in text for o in options):
                problems.append(f"answer lacks {options}")
        if pair.cited_section and not any(
            _same_section(s, c.section) for s in pair.cited_section for c in answer.citations
        ):
            problems.append(f"no citation in section {pair.cited_section!r}")
        elif pair.cited_text and not pair.cited_section and not _cites_text(pair.cited_text, answer):
            problems.append(f"no citation contains {pair.cited_text!r}")
        if pair.cited_doc and not any(pair.cited_doc in c.doc for c in answer.citations):
            problems.append(f"no citation from document {pair.cited_doc!r}")
    if answer.found:
        loose = ungrounded_numbers(answer)
        if loose:
            problems.append(f"numbers not in cited passages: {loose}")
    return problems


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text))


def _cites_text(expected: str, answer: Answer) -> bool:
    """Some cited passage contains the expected text (compared normalised, whitespace ignored), or the
    expected text is a whole heading of a cited passage's section: a heading line ("七、初创企业经营者能力
    提升补助") is the title of the passages under it, not the text of any of them."""
    key = _squash(expected)
    # A heading is kept without the full stop its line may end on: "（三）第三阶段为……阶段。" is the heading
    # "（三）第三阶段为……阶段".
    title = key.rstrip("。.；;")
    return any(
        key in _squash(c.text)
        or any(title in (_squash(h), _squash(_unnumbered(h))) for h in c.section.split(" › "))
        for c in answer.citations
    )


def _unnumbered(heading: str) -> str:
    """A heading without its number: "（一）考评以日常监测……方式进行" -> "考评以日常监测……方式进行"."""
    m = heading_marker(heading)
    return heading[m[1] :] if m else heading


def _alternatives(value: Any) -> tuple[str, ...]:
    """A YAML string or list of strings, as a tuple. Example: "专栏3" -> ("专栏3",)"""
    if not value:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def _same_section(expected: str, path: str) -> bool:
    """Headings compare after folding width and spacing: "第二章\u3000总体要求" matches "第二章 总体要求"."""
    return normalize(expected).replace(" ", "") in normalize(path).replace(" ", "")


def gold_ids(pair: Pair, passages: list[Passage]) -> set[str]:
    """Passages in the expected section that contain the expected text (the retrieval target)."""
    if not pair.found or not pair.cited_text:
        return set()
    key = normalize(pair.cited_text)
    return {
        p.id
        for p in passages
        if any(_same_section(s, p.section_path) for s in pair.cited_section)
        and key in normalize(p.text)
        and pair.cited_doc in p.doc
    }


def run(ask: Callable[[str, list[dict[str, str]]], Answer], pairs: list[Pair]) -> list[Result]:
    return [Result(p, answer := ask(p.question, list(p.history)), check(p, answer)) for p in pairs]


def summarize(results: list[Result]) -> dict[str, Any]:
    by_cat: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_cat[r.pair.category].append(r)
    absent = [r for r in results if not r.pair.found]
    present = [r for r in results if r.pair.found]
    found_answers = [r for r in results if r.answer.found]
    return {
        "total": len(results),
        "passed": sum(r.passed for r in results),
        "pass_rate": round(sum(r.passed for r in results) / max(len(results), 1), 4),
        "not_in_plan_rate": round(sum(not r.answer.found for r in absent) / max(len(absent), 1), 4),
        "answerable": len(present),
        "answerable_rate": round(sum(r.passed for r in present) / max(len(present), 1), 4),
        "unanswerable": len(absent),
        "median_answer_chars": statistics.median(_answer_chars(r.answer) for r in found_answers)
        if found_answers
        else 0,
        "ungrounded_answers": sum(bool(ungrounded_numbers(r.answer)) for r in found_answers),
        "categories": {
            c: {
                "total": len(rs),
                "passed": sum(r.passed for r in rs),
                "rate": round(sum(r.passed for r in rs) / len(rs), 4),
            }
            for c, rs in sorted(by_cat.items())
        },
        "failures": [
            {
                "id": r.pair.id,
                "category": r.pair.category,
                "question": r.pair.question,
                "expected": {
                    "found": r.pair.found,
                    "answer_contains": list(r.pair.answer_contains),
                    "cited_section": list(r.pair.cited_section),
                },
                "got": {
                    "found": r.answer.found,
                    "answer": r.answer.answer,
                    "sections": [c.section for c in r.answer.citations],
                },
                "problems": r.problems,
            }
            for r in results
            if not r.passed
        ],
    }


def _answer_chars(answer: Answer) -> int:
    """Length of the answer as read: without [n] markers."""
    return len(re.sub(r"\[\d+\]", "", answer.answer))


def format_report(summary: dict[str, Any], failures: bool = True) -> str:
    lines = [f"{'category':<16} {'passed':>7} {'total':>6} {'rate':>7}"]
    for cat, s in summary["categories"].items():
        lines.append(f"{cat:<16} {s['passed']:>7} {s['total']:>6} {s['rate']:>7.1%}")
    lines.append(
        f"{'ALL':<16} {summary['passed']:>7} {summary['total']:>6} {summary['pass_rate']:>7.1%}"
        f"   not-in-plan → found=False: {summary['not_in_plan_rate']:.1%}"
        f"   ungrounded answers: {summary['ungrounded_answers']}"
    )
    lines.append(
        f"answerable right: {summary['answerable_rate']:.1%} of {summary['answerable']}"
        f"   unanswerable → 规划中未提及: {summary['not_in_plan_rate']:.1%} of {summary['unanswerable']}"
        f"   median answer: {summary['median_answer_chars']} characters"
    )
    for f in summary["failures"] if failures else []:
        lines.append("")
        lines.append(f"FAIL {f['id']} [{f['category']}] {f['question']}")
        lines.append(f"  expected: {f['expected']}")
        lines.append(f"  got:      found={f['got']['found']} {f['got']['answer'][:160]!r}")
        lines.append(f"            sections={f['got']['sections'][:3]}")
        lines.append(f"  problems: {'; '.join(f['problems'])}")
    return "\n".join(lines)
