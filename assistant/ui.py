"""The Gradio UI (the only module that imports gradio): chat with cited sources, browse, targets, zones.

State per browser tab is one list, `turns`, aligned with the chat's messages: each turn keeps
the plain text the engine needs as history, the HTML shown, and what 👍/👎 should store.
"""

from __future__ import annotations

import hmac
import html
import os
import re
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

# Before gradio is imported: no telemetry and no version check (nothing leaves the machine).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from . import messages  # noqa: E402
from .errors import AssistantError  # noqa: E402
from .feedback import FeedbackStore  # noqa: E402
from .library import Library  # noqa: E402
from .loader import Loader  # noqa: E402
from .render import answer_html, pieces  # noqa: E402
from .schema import Answer  # noqa: E402
from .settings import Settings  # noqa: E402
from .ui_library import library_tab  # noqa: E402

if TYPE_CHECKING:
    from .core import Assistant

MAX_HISTORY = 20
STREAM_DELAY = 0.015  # seconds between streamed pieces: enough to read as typing, short enough not to wait
READY_WAIT = 120  # seconds a page load waits for the index to finish building

CSS = """
.answer.not-found { color: #4b5563; background: #f3f4f6; border-left: 4px solid #9ca3af;
  padding: 6px 10px; border-radius: 6px; font-style: italic; }
.answer.not-found .badge { font-style: normal; font-weight: 600; color: #374151; margin-right: 4px; }
.note { color: #6b7280; font-size: 0.85em; margin-top: 4px; }
details.original { margin-top: 8px; font-size: 0.92em; color: #4b5563; }
details.original summary { cursor: pointer; }
details.sources { margin-top: 8px; font-size: 0.92em; }
details.sources summary { cursor: pointer; color: #4b5563; }
ol.cites { padding-left: 1.4em; margin: 4px 0; }
li.cite { margin: 6px 0; }
.cite-n { font-weight: 600; }
.cite-section, .section-path { color: #1d4ed8; font-weight: 600; }
a.cite-ref { text-decoration: none; font-weight: 600; }
mark { background: #fde68a; padding: 0 1px; border-radius: 2px; }
.passages p { margin: 6px 0; line-height: 1.7; }
.passages h4 { margin: 14px 0 4px; }
.cite-page { color: #6b7280; margin-left: 4px; }
.outline ul { margin: 2px 0 2px 1.2em; padding: 0; }
"""

Turn = dict[str, Any]


def engine_history(turns: list[Turn]) -> list[dict[str, str]]:
    """The earlier turns as the engine wants them: answered turns only, plain text, at most MAX_HISTORY."""
    plain = [{"role": t["role"], "content": t["text"]} for t in turns if t["ok"]]
    return plain[-MAX_HISTORY:]


def chat_messages(turns: list[Turn]) -> list[dict[str, str]]:
    return [{"role": t["role"], "content": t["html"]} for t in turns]


def mark_terms(text: str, terms: list[str]) -> str:
    """`text` as HTML with every occurrence of the terms in <mark>, longest first.

    Example: mark_terms("大连高新区：软件", ["大连高新区", "大连"]) -> "<mark>大连高新区</mark>：软件"
    """
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    out, last = [], 0
    for m in pattern.finditer(text):
        out += [html.escape(text[last : m.start()]), f"<mark>{html.escape(m.group(0))}</mark>"]
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def passages_html(groups: list[tuple[str, list[dict[str, Any]]]], terms: list[str] | None = None) -> str:
    """Sections with their passages, as HTML. Example: [("一、… › （一）…", [{"id":…, "text":…}])]"""
    if not any(ps for _, ps in groups):
        return f"<p>{messages.UI_NO_PASSAGES}</p>"
    parts = ['<div class="passages">']
    for section, ps in groups:
        if not ps:
            continue
        parts.append(f'<h4 class="section-path">{html.escape(section)}</h4>')
        parts += [f'<p id="p-{html.escape(p["id"])}">{mark_terms(p["text"], terms or [])}</p>' for p in ps]
    parts.append("</div>")
    return "".join(parts)


def upgraded_html(first: Answer, final: Answer, turn: int) -> str:
    """The final answer; when the model's answer replaced the extract, the extract stays one click away.

    The extract's sources get anchors of their own (turn -n), apart from the final answer's.
    """
    shown = answer_html(final, turn)
    if final.mode != "generative":
        return shown
    return (
        f'{shown}<details class="original"><summary>{messages.UI_ORIGINAL}</summary>'
        f"{answer_html(first, -turn)}</details>"
    )


def _flatten(nodes: list[dict[str, Any]], depth: int = 0) -> Iterator[tuple[int, dict[str, Any]]]:
    for n in nodes:
        yield depth, n
        yield from _flatten(n["children"], depth + 1)


class UI:
    """The callbacks behind the page; plain methods so they can be tested without a browser."""

    def __init__(self, loader: Loader, store: FeedbackStore) -> None:
        self.loader = loader
        self.store = store

    # -- chat ----------------------------------------------------------------------------
    def respond(
        self, message: str, turns: list[Turn], scope: list[str] | None = None
    ) -> Iterator[tuple[str, list[dict[str, str]], list[Turn]]]:
        """Answer a message (from the `scope` documents only, when some are chosen), streaming the turns."""
        question = (message or "").strip()
        if not question:
            yield "", chat_messages(turns), turns
            return
        turns = [*turns, {"role": "user", "text": question, "html": html.escape(question), "ok": True}]
        try:
            bot = self.loader.get()
            steps = bot.answers(question, engine_history(turns[:-1]), list(scope) if scope else None)
            answer = next(steps)
        except AssistantError as exc:
            text = messages.UI_ERROR.format(message=exc.message)
            turns[-1]["ok"] = False
            turns.append({"role": "assistant", "text": text, "html": html.escape(text), "ok": False})
            yield "", chat_messages(turns), turns
            return
        reply: Turn = {
            "role": "assistant",
            "text": answer.answer,
            "html": "",
            "ok": True,
            "question": question,
            "found": answer.found,
            "citations": [c.id for c in answer.citations],
        }
        turns.append(reply)
        shown = ""
        # With a model the extract is a preview the upgrade replaces: shown whole at once, not typed out.
        for piece in [] if bot.generator else pieces(answer.answer, 4):
            shown += piece
            reply["html"] = html.escape(shown)
            yield "", chat_messages(turns), turns
            time.sleep(STREAM_DELAY)
        turn = len(turns)
        # The extract with its sources at once; the model's answer, if verified, replaces it below.
        pending = f'<div class="note pending">{messages.UI_UPGRADING}</div>' if bot.generator else ""
        reply["html"] = answer_html(answer, turn) + pending
        yield "", chat_messages(turns), turns
        final = next(steps, None)
        if final is None:
            return
        reply.update(text=final.answer, found=final.found, citations=[c.id for c in final.citations])
        reply["html"] = upgraded_html(answer, final, turn)
        if bot.generator and bot.generator.quality.poor and not any(t.get("warned") for t in turns):
            reply["html"] += f'<div class="note poor">{messages.UI_LLM_POOR}</div>'
            reply["warned"] = True  # once per conversation
        yield "", chat_messages(turns), turns

    def clear(self) -> tuple[list[dict[str, str]], list[Turn], None, str]:
        return [], [], None, ""

    def rate(self, turns: list[Turn], like: gr.LikeData) -> tuple[int | None, str]:
        index = like.index if isinstance(like.index, int) else like.index[0]
        if like.liked not in (True, False) or not 0 <= index < len(turns):
            return None, ""
        turn = turns[index]
        if turn["role"] != "assistant" or not turn["ok"]:
            return None, ""
        fid = self.store.add(
            turn["question"],
            turn["text"],
            rating=1 if like.liked else -1,
            citations=turn["citations"],
            found=turn["found"],
        )
        return fid, messages.UI_FEEDBACK_THANKS

    def comment(self, feedback_id: int | None, text: str) -> tuple[str, str]:
        if feedback_id is None:
            return text, messages.UI_COMMENT_FIRST
        if text.strip():
            self.store.comment(feedback_id, text.strip())
        return "", messages.UI_COMMENT_THANKS

    # -- browsing ------------------------------------------------------------------------
    def startup(self) -> tuple[Any, Any, Any, str, Any]:
        """Fill the document lists, targets table and zone list once the index is ready."""
        self.loader.ready.wait(READY_WAIT)
        try:
            bot = self.loader.get()
        except AssistantError as exc:
            empty = gr.update(choices=[])
            return empty, [], empty, messages.UI_ERROR.format(message=exc.message), empty
        docs = _document_list(bot)
        rows = [
            [
                t.indicator,
                float(t.value) if t.value.replace(".", "", 1).isdigit() else None,
                t.unit,
                t.year,
                messages.UI_TARGET_KINDS.get(t.kind, t.kind),
                t.section,
                t.text,
            ]
            for t in bot.targets()
        ]
        zones = bot.zones()
        return (
            gr.update(choices=docs, value=docs[0][1] if docs else None),
            rows,
            gr.update(choices=zones, value=None),
            "",
            gr.update(choices=docs, value=[]),
        )

    def _doc(self, doc: str) -> dict[str, Any]:
        for d in self.loader.get().sections():
            if d["doc"] == doc:
                return d
        return {"sections": []}

    def document_choices(self, chosen: list[str] | None) -> Any:
        """The document picker's choices from the library as it is now (a file uploaded or deleted in the
        文档库 tab since the page loaded), keeping the chosen ones that are still there."""
        try:
            docs = _document_list(self.loader.get())
        except AssistantError:
            return gr.update()
        names = {name for _, name in docs}
        return gr.update(choices=docs, value=[d for d in chosen or [] if d in names])

    def pick_doc(self, doc: str | None) -> Any:
        if not doc:
            return gr.update(choices=[], value=None)
        choices = [
            ("　" * depth + n["title"], n["path"]) for depth, n in _flatten(self._doc(doc)["sections"])
        ]
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def pick_section(self, doc: str | None, path: str | None) -> str:
        if not doc or not path:
            return ""
        bot = self.loader.get()
        for _, node in _flatten(self._doc(doc)["sections"]):
            if node["path"] == path:
                groups = [
                    (n["path"], [bot.passage(pid).to_dict() for pid in n["passages"]])
                    for _, n in _flatten([node])
                ]
                return passages_html(groups)
        return ""

    def pick_zone(self, name: str | None) -> str:
        if not name:
            return ""
        zone = self.loader.get().zone(name)
        names = [zone["name"], *zone["aliases"]]
        return passages_html([(g["section"], g["passages"]) for g in zone["sections"]], names)


def _document_list(bot: Assistant) -> list[tuple[str, str]]:
    """(title, name) of each document, for the pickers (titles only: no section trees are built)."""
    return [(d.title, d.name) for d in bot.index.documents]


def build_ui(loader: Loader, store: FeedbackStore, library: Library | None = None) -> gr.Blocks:
    ui = UI(loader, store)
    with gr.Blocks(title=messages.UI_TITLE, analytics_enabled=False) as demo:
        turns = gr.State([])
        feedback_id = gr.State(None)
        gr.Markdown(f"## {messages.UI_TITLE}\n{messages.UI_INTRO}")
        status = gr.Markdown("", elem_id="status")
        with gr.Tabs():
            with gr.Tab(messages.UI_TAB_CHAT, id="chat"):
                scope = gr.Dropdown(
                    label=messages.UI_SCOPE, choices=[], multiselect=True, value=[], elem_id="scope"
                )
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    height=520,
                    show_label=False,
                    sanitize_html=True,
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                )
                with gr.Row():
                    box = gr.Textbox(
                        elem_id="question",
                        placeholder=messages.UI_PLACEHOLDER,
                        show_label=False,
                        lines=1,
                        max_lines=4,
                        scale=8,
                        autofocus=True,
                    )
                    send = gr.Button(messages.UI_SEND, variant="primary", scale=1, min_width=80)
                    clear = gr.Button(messages.UI_CLEAR, scale=1, min_width=80, elem_id="clear")
                gr.Markdown(f"**{messages.UI_EXAMPLES_LABEL}**")
                with gr.Row():
                    examples = [
                        gr.Button(q, size="sm", elem_classes=["example"]) for q in messages.UI_EXAMPLES
                    ]
                with gr.Row():
                    comment = gr.Textbox(
                        label=messages.UI_COMMENT,
                        placeholder=messages.UI_COMMENT_HINT,
                        scale=8,
                        elem_id="comment",
                    )
                    comment_send = gr.Button(messages.UI_COMMENT_SEND, scale=1, min_width=80)
                feedback_status = gr.Markdown("", elem_id="feedback-status")
            with gr.Tab(messages.UI_TAB_BROWSE, id="browse"):
                with gr.Row():
                    doc = gr.Dropdown(label=messages.UI_DOC, choices=[], scale=1)
                    section = gr.Dropdown(label=messages.UI_SECTION, choices=[], scale=2, elem_id="section")
                section_view = gr.HTML(elem_id="section-view")
            with gr.Tab(messages.UI_TAB_TARGETS, id="targets"):
                targets = gr.Dataframe(
                    headers=list(messages.UI_TARGET_HEADERS),
                    datatype=["str", "number", "str", "number", "str", "str", "str"],
                    interactive=False,
                    wrap=True,
                    show_search="filter",
                    column_widths=["20%", "7%", "6%", "6%", "6%", "22%", "33%"],
                    elem_id="targets",
                )
            with gr.Tab(messages.UI_TAB_ZONES, id="zones"):
                zone = gr.Dropdown(label=messages.UI_ZONE, choices=[], elem_id="zone")
                zone_view = gr.HTML(elem_id="zone-view")
            if library is not None:
                library_tab(library)

        chat_out = [box, chatbot, turns]
        box.submit(ui.respond, [box, turns, scope], chat_out)
        send.click(ui.respond, [box, turns, scope], chat_out)
        for button in examples:
            button.click(ui.respond, [button, turns, scope], chat_out)
        clear.click(ui.clear, None, [chatbot, turns, feedback_id, feedback_status])
        chatbot.clear(ui.clear, None, [chatbot, turns, feedback_id, feedback_status])  # its own 🗑 button
        chatbot.like(ui.rate, [turns], [feedback_id, feedback_status])
        comment_send.click(ui.comment, [feedback_id, comment], [comment, feedback_status])
        comment.submit(ui.comment, [feedback_id, comment], [comment, feedback_status])
        doc.change(ui.pick_doc, [doc], [section])
        section.change(ui.pick_section, [doc, section], [section_view])
        zone.change(ui.pick_zone, [zone], [zone_view])
        scope.focus(ui.document_choices, [scope], [scope])
        demo.load(ui.startup, None, [doc, targets, zone, status, scope])
    demo.queue(default_concurrency_limit=8)
    return cast(gr.Blocks, demo)


def password_check(api_key: str) -> Callable[[str, str], bool]:
    """Gradio's login: any user name, the API key as password."""

    def check(username: str, password: str) -> bool:
        return hmac.compare_digest(password.encode(), api_key.encode())

    return check


def mount_ui(app: FastAPI, loader: Loader, settings: Settings, store: FeedbackStore) -> FastAPI:
    """Mount the UI at "/" of `app`; behind a login when settings.api_key is set. Never shared publicly."""
    demo = build_ui(loader, store, getattr(app.state, "library", None))
    mounted = gr.mount_gradio_app(
        app,
        demo,
        path="/",
        auth=password_check(settings.api_key) if settings.api_key else None,
        auth_message=messages.UI_LOGIN,
        css=CSS,
        ssr_mode=False,
        mcp_server=False,
        footer_links=[],
    )
    return cast(FastAPI, mounted)
