"""Optional generative answers from any OpenAI-compatible chat model, shown only once verified.

The extractive answer is always computed first: it is the fallback whenever
the model is unreachable, slow, silent or unfaithful, so a generative answer
can only ever be better evidenced than nothing. The model sees a short list
of numbered passages (about 2,000 characters) and must cite them as [n];
`verify.Verifier` checks every figure and place name against the passages
each sentence cites before the answer is returned.

A circuit breaker (`breaker.Breaker`) stops calling an endpoint that keeps failing
for a while, and a tally of recent verdicts (`breaker.Quality`) tells the UI and
/healthz when the model mostly fails verification.

LangChain lives here only, and is imported only when an endpoint is configured:
any object with `invoke(messages) -> message` works as the chat model, so
tests plug in LangChain's fake chat models.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol, TypeVar

from . import messages
from .breaker import Breaker, Quality, health
from .errors import LLMError
from .index import Index
from .intent import NUMERIC_Q
from .retrieve import find_entities
from .schema import Answer, Citation, Hit, Passage
from .segment import normalize
from .settings import Settings
from .verify import Verifier, renumber

FIGURE = re.compile(r"\d+(?:\.\d+)?")
MARKER = re.compile(r"\[\d+\]")

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 3.0  # a dead endpoint costs at most this, not the whole llm_timeout
CONTEXT_CHARS = 2000  # passages and their headers in the prompt
MAX_PASSAGES = 16
MAX_TOKENS = 1024
MAX_REWRITE = 200  # characters of a rewritten question
HISTORY_TURNS = 6  # earlier turns shown for rewriting, each cut to HISTORY_CHARS
HISTORY_CHARS = 300
DEFAULT_MODEL = "default"  # llama.cpp's server ignores the name; Ollama needs ASSISTANT_LLM_MODEL
THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S)
LEAD_IN = re.compile(r"^(?:答案|回答|答|改写后的问题|改写|问题)\s*[:：]\s*")
# jieba's tags of the words that carry a sentence's content (nouns, verbal nouns, abbreviations, idioms).
KEY_FLAGS = frozenset("n nt nz nl ng vn j l i eng".split())

T = TypeVar("T")


class ChatModel(Protocol):
    """A chat model: LangChain's `BaseChatModel` (ChatOpenAI, the fakes) satisfies this.

    `invoke` takes [(role, content), …] with roles "system" and "user", and returns
    a message whose `content` is the reply text.
    """

    def invoke(self, input: Any, /) -> Any: ...


def make_chat_model(settings: Settings) -> ChatModel:
    """ChatOpenAI for the endpoint in `settings`: no retries, a short connect timeout, deterministic output."""
    import httpx
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model or DEFAULT_MODEL,
        # Local servers accept any key, but the client insists on one.
        api_key=SecretStr(settings.llm_api_key or "not-needed"),
        timeout=httpx.Timeout(settings.llm_timeout, connect=CONNECT_TIMEOUT),
        max_retries=0,
        temperature=0,
        max_completion_tokens=MAX_TOKENS,
    )


def make_generator(
    settings: Settings, index: Index, chat: ChatModel | None = None, timeout: float | None = None
) -> Generator | None:
    """The generator for `settings`, or None (extractive only) when no endpoint or chat model is given."""
    if chat is None and not settings.llm_base_url:
        return None
    return Generator(
        chat or make_chat_model(settings),
        index,
        timeout or settings.llm_timeout,
        Breaker(settings.llm_breaker_failures, settings.llm_breaker_pause),
        Quality(settings.llm_quality_window),
    )


class Paused(LLMError):
    """The breaker is open: the endpoint failed repeatedly and is not called for a while."""


def reason(exc: BaseException) -> str:
    """A short Chinese reason for a failed call, for Answer.note. Example: APITimeoutError -> "超时" """
    import openai

    if isinstance(exc, TimeoutError | openai.APITimeoutError):
        return messages.LLM_TIMEOUT
    if isinstance(exc, openai.RateLimitError):
        return messages.LLM_RATE_LIMIT
    if isinstance(exc, openai.APIStatusError):
        return messages.LLM_HTTP.format(status=exc.status_code)
    if isinstance(exc, openai.APIConnectionError | ConnectionError):
        return messages.LLM_CONNECTION
    return messages.LLM_OTHER


def call_with_deadline(fn: Callable[[], T], seconds: float) -> T:
    """fn() in a daemon thread; TimeoutError if it has not returned after `seconds`.

    The HTTP client has its own timeouts, but a model that streams slowly or a
    plugged-in model without any must not hold the answer longer than this.
    A thread that overruns is abandoned, not killed (Python cannot), and dies with its call.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=run, name="llm-call", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"no reply in {seconds:.1f}s")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def reply_text(message: Any) -> str:
    """The text of a chat reply: a str `content`, or the text parts of a list of content blocks."""
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", "")) if isinstance(part, dict) else ""
            for part in content
        )
    return ""


def clean(text: str) -> str:
    """The reply without a reasoning block or a lead-in. Example: "<think>…</think>\\n答：甲[1]" -> "甲[1]" """
    text = THINK.sub("", text).strip()
    return LEAD_IN.sub("", text).strip()


def verifier_for(index: Index) -> Verifier:
    """A verifier that knows the index's zones, jieba's place tags and the plans' wording."""
    segmenter = index.segmenter
    titles = [d.title for d in index.documents]
    corpus = normalize("\n".join([*titles, *(p.section_path + " " + p.text for p in index.passages)]))

    def terms(text: str) -> list[str]:
        # Only words the plans use: a word of the model's own can be in no passage, so it decides nothing.
        return [w for w, f in segmenter.tagged(text) if f in KEY_FLAGS and len(w) >= 2 and w in corpus]

    return Verifier(
        index.entities, lambda text: [w for w, f in segmenter.tagged(text) if f == "ns"], corpus, terms
    )


class Generator:
    """Asks the chat model, verifies its answer, and falls back to the extractive answer when it must."""

    def __init__(
        self,
        chat: ChatModel,
        index: Index,
        timeout: float = 30.0,
        breaker: Breaker | None = None,
        quality: Quality | None = None,
    ) -> None:
        self.chat = chat
        self.index = index
        self.timeout = timeout
        self.breaker = breaker or Breaker()
        self.quality = quality or Quality()
        self.titles = {d.name: d.title for d in index.documents}
        self.verifier = verifier_for(index)

    def complete(self, prompt: Sequence[tuple[str, str]]) -> str:
        """The model's cleaned reply; LLMError (with a short reason) on any failure of the call.

        Paused, without calling, while the breaker is open.
        """
        if not self.breaker.allow():
            raise Paused(
                messages.NOTE_LLM_PAUSED.format(
                    failures=self.breaker.threshold, seconds=max(1, round(self.breaker.retry_in()))
                )
            )
        try:
            # The thread deadline sits a little past the client's own timeout, which usually fires first.
            message = call_with_deadline(lambda: self.chat.invoke(list(prompt)), self.timeout + 1.0)
        except Exception as exc:  # every client, HTTP and model error alike: the caller falls back
            self.breaker.failure()
            log.warning("LLM call failed: %s: %s", type(exc).__name__, exc)
            if self.breaker.state == "open":
                log.warning("LLM endpoint paused for %.0f s after repeated failures", self.breaker.pause)
            raise LLMError(reason(exc)) from exc
        self.breaker.success()
        return clean(reply_text(message))

    def status(self) -> dict[str, Any]:
        """The endpoint's state for /healthz: the breaker's and the recent verification tally."""
        return health(self.breaker, self.quality)

    # -- follow-ups -------------------------------------------------------------------
    def rewrite(self, question: str, turns: Sequence[dict[str, str]], resolved: str) -> str:
        """The question made standalone by the model; `resolved` (the rule-based one) when its rewrite is unusable.

        Raises LLMError when the model cannot be reached, so the caller need not try again.
        """
        if not any(t["role"] == "user" for t in turns):
            return resolved
        roles = {"user": messages.LLM_ROLE_USER, "assistant": messages.LLM_ROLE_ASSISTANT}
        shown = "\n".join(
            f"{roles[t['role']]}：{t['content'][:HISTORY_CHARS]}" for t in turns[-HISTORY_TURNS:]
        )
        reply = self.complete(
            [
                ("system", messages.LLM_REWRITE_SYSTEM),
                ("user", messages.LLM_REWRITE_USER.format(turns=shown, question=question)),
            ]
        )
        candidate = LEAD_IN.sub("", reply.split("\n")[0].strip()).strip(" \"'“”「」")
        if not self.faithful_rewrite(candidate, question, turns):
            log.info("LLM rewrite %r rejected; using %r", candidate, resolved)
            return resolved
        return candidate

    def faithful_rewrite(self, candidate: str, question: str, turns: Sequence[dict[str, str]]) -> bool:
        """A rewrite may fill in what the conversation said, never a zone or number it did not.

        It must also keep the zones the question names, and actually rewrite: a model that
        echoes "那大连呢？" has resolved nothing, and the rule-based resolver may have.
        """
        if not 2 <= len(candidate) <= MAX_REWRITE or candidate == question.strip():
            return False
        context = question + "\n" + "\n".join(t["content"] for t in turns)
        known = {e.name for e in find_entities(context, self.index.entities)}
        named = {e.name for e in find_entities(candidate, self.index.entities)}
        if named - known or {e.name for e in find_entities(question, self.index.entities)} - named:
            return False
        numbers = set(re.findall(r"\d+(?:\.\d+)?", normalize(context)))
        return all(n in numbers for n in re.findall(r"\d+(?:\.\d+)?", normalize(candidate)))

    # -- answers ----------------------------------------------------------------------
    def context(self, hits: Sequence[Hit], extractive: Answer) -> list[tuple[Passage, float]]:
        """Passages for the prompt: the extractive answer's first, then the ranked hits, within CONTEXT_CHARS."""
        candidates: dict[str, tuple[Passage, float]] = {}
        if extractive.found:
            for c in extractive.citations:
                if c.id in self.index.by_id:
                    candidates.setdefault(c.id, (self.index.by_id[c.id], c.score))
        for h in hits:
            candidates.setdefault(h.passage.id, (h.passage, h.score))
        chosen: list[tuple[Passage, float]] = []
        used = 0
        for p, score in candidates.values():
            size = len(self.source(p)) + 8
            if chosen and (used + size > CONTEXT_CHARS or len(chosen) >= MAX_PASSAGES):
                continue  # a shorter passage further down may still fit
            chosen.append((p, score))
            used += size
        return chosen

    def source(self, p: Passage) -> str:
        """Where a passage stands: its document's title and section path."""
        return " › ".join(x for x in (self.titles.get(p.doc, p.doc), p.section_path) if x)

    def prompt(self, question: str, passages: Sequence[Passage]) -> list[tuple[str, str]]:
        blocks = "\n\n".join(
            messages.LLM_PASSAGE.format(n=i, source=self.source(p), text=p.text)
            for i, p in enumerate(passages, 1)
        )
        return [
            ("system", messages.LLM_SYSTEM),
            ("user", messages.LLM_USER.format(passages=blocks, question=question)),
        ]

    def answer(self, question: str, hits: Sequence[Hit], extractive: Answer) -> Answer:
        """The model's answer if it passes verification, else `extractive` marked as a fallback with the reason."""
        chosen = self.context(hits, extractive)
        passages = [p for p, _ in chosen]
        try:
            text = self.complete(self.prompt(question, passages))
        except LLMError as exc:
            return self.fallback(extractive, exc)
        if not text:
            self.quality.record(False)
            return replace(extractive, mode="fallback", note=messages.NOTE_LLM_EMPTY)
        sources = [f"{self.source(p)}\n{p.text}" for p in passages]
        verdict = self.verifier.check(text, sources, question)
        self.quality.record(verdict.ok)
        if verdict.added:
            log.info("verifier attributed %d unmarked sentence(s): %r", verdict.added, verdict.answer)
        if not verdict.ok:
            log.info("generated answer rejected (%s): %r", "; ".join(verdict.problems), text)
            return replace(
                extractive,
                mode="fallback",
                note=messages.NOTE_LLM_UNVERIFIED.format(reason=verdict.problems[0]),
            )
        if verdict.refusal:
            if extractive.found:
                return replace(extractive, mode="fallback", note=messages.NOTE_LLM_DECLINED)
            return Answer(text, False, extractive.citations, mode="generative", question=question)
        if not extractive.found:
            # Verification proves the answer faithful to its passages, not that they answer the question:
            # a model that quotes a nearby passage for "规划对西藏有什么安排？" would pass. The extractive
            # answerer's calibrated "not in the plan" (unknown places, years, terms; weak evidence) stands.
            return replace(extractive, mode="fallback", note=messages.NOTE_LLM_UNSUPPORTED)
        if NUMERIC_Q.search(normalize(question)) and not _keeps_a_figure(
            verdict.answer or text, extractive.answer
        ):
            # Faithful but beside the point: the extract gives the figure asked for, the model's text none.
            self.quality.record(False)
            return replace(extractive, mode="fallback", note=messages.NOTE_LLM_NO_FIGURE)
        citations = tuple(
            Citation(p.id, p.doc, p.section_path, p.text, score, page=p.page, ocr=p.ocr)
            for p, score in (chosen[n - 1] for n in verdict.cited)
        )
        shown = renumber(verdict.answer or text, verdict.cited)
        return Answer(shown, True, citations, mode="generative", question=question)

    @staticmethod
    def fallback(extractive: Answer, exc: LLMError) -> Answer:
        if isinstance(exc, Paused):
            return replace(extractive, mode="fallback", note=exc.message)
        return replace(extractive, mode="fallback", note=messages.NOTE_LLM_FAILED.format(reason=exc.message))


def _keeps_a_figure(generated: str, extract: str) -> bool:
    """Whether the generated answer states one of the figures of the extractive answer (or the extract has none).

    Example: _keeps_a_figure("比重达到2.8%[1]。", "…达到2.8%[1]") -> True; ("继续保持较快增长[1]。", same) -> False
    """
    figures = set(FIGURE.findall(MARKER.sub("", normalize(extract))))
    return not figures or bool(figures & set(FIGURE.findall(MARKER.sub("", normalize(generated)))))
