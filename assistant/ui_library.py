"""The 文档库 tab of the UI: upload with progress, status of every document, enable/disable,
delete, and each document's parsed outline (to check that its headings came out right).

Only delegates to `Library`, like the API routes; gradio is imported by the UI modules alone.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

import gradio as gr

from . import messages
from .errors import AssistantError
from .library import Library

HEADERS = ["编号", "文档", "状态", "格式", "页数", "段落", "启用", "说明"]
# Plain words, no emoji: the CJK font servers usually have (wqy-microhei) has no emoji glyphs.
STATUS = {"ready": "就绪", "embedding": "可回答（向量计算中）", "indexing": "处理中", "failed": "失败"}
POLL = 2.0  # seconds between refreshes while something is being indexed
JOB_WAIT = 900  # seconds an upload waits for its indexing before handing back to the table


def rows(library: Library) -> list[list[Any]]:
    out = []
    for d in library.documents():
        note = d.get("error", "")
        if d.get("needs_ocr"):
            note = f"第{d['needs_ocr']}页为扫描页，需安装 OCR（make setup 已含）"
        elif d.get("ocr_pages"):
            note = f"OCR识别页：{d['ocr_pages']}"
        elif d["status"] == "embedding":
            note = f"向量 {d.get('embedded', 0)}/{d.get('passages', 0)}"
        out.append(
            [
                d["id"],
                d["name"],
                STATUS.get(d["status"], d["status"]),
                d.get("format", ""),
                d.get("pages") or "—",
                d.get("passages", ""),
                "是" if d.get("enabled", True) else "否",
                note,
            ]
        )
    return out


def outline_html(nodes: list[dict[str, Any]]) -> str:
    """The heading tree as nested lists, with each section's passage count."""

    def walk(items: list[dict[str, Any]]) -> str:
        if not items:
            return ""
        parts = []
        for n in items:
            count = len(n.get("passages", []))
            parts.append(
                f"<li>{html.escape(n['title'])} <span class='note'>({count})</span>{walk(n.get('children', []))}</li>"
            )
        return "<ul>" + "".join(parts) + "</ul>"

    return (
        f"<div class='outline'>{walk(nodes)}</div>"
        if nodes
        else f"<p class='note'>{messages.UI_LIB_NO_OUTLINE}</p>"
    )


def library_tab(library: Library) -> None:
    """Build the tab inside the current gr.Blocks / gr.Tabs context."""
    with gr.Tab(messages.UI_TAB_LIBRARY, id="library"):
        with gr.Row():
            files = gr.File(
                label=messages.UI_LIB_UPLOAD,
                file_count="multiple",
                type="filepath",
                elem_id="lib-files",
                scale=3,
            )
            with gr.Column(scale=1):
                upload = gr.Button(messages.UI_LIB_ADD, variant="primary", elem_id="lib-add")
                refresh = gr.Button(messages.UI_LIB_REFRESH, elem_id="lib-refresh")
        status = gr.Markdown("", elem_id="lib-status")
        table = gr.Dataframe(
            headers=HEADERS, interactive=False, wrap=True, elem_id="lib-table", value=lambda: rows(library)
        )
        with gr.Row():
            pick = gr.Dropdown(label=messages.UI_LIB_PICK, choices=[], elem_id="lib-pick", scale=3)
            enable = gr.Button(messages.UI_LIB_ENABLE, elem_id="lib-enable", scale=1)
            disable = gr.Button(messages.UI_LIB_DISABLE, elem_id="lib-disable", scale=1)
            delete = gr.Button(messages.UI_LIB_DELETE, variant="stop", elem_id="lib-delete", scale=1)
        outline = gr.HTML(elem_id="lib-outline")
        timer = gr.Timer(POLL, active=True)

    def choices() -> Any:
        docs = library.documents()
        return gr.update(choices=[(f"{d['name']}（{d['id']}）", d["id"]) for d in docs])

    def show(doc_id: str | None) -> str:
        if not doc_id:
            return ""
        try:
            return outline_html(library.document(doc_id).get("outline", []))
        except AssistantError as exc:
            return f"<p class='note'>{html.escape(exc.message)}</p>"

    def add(paths: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, str, Any, Any]:  # noqa: B008 (gradio injects it)
        if not paths:
            return rows(library), messages.UI_LIB_NOTHING, choices(), None
        try:
            items = [(Path(p).name, Path(p).read_bytes()) for p in paths]
            job = library.add(items)
        except AssistantError as exc:
            return rows(library), f"失败：{exc.message}", choices(), None
        progress(0.1, desc=messages.UI_LIB_INDEXING)
        end = time.time() + JOB_WAIT
        while time.time() < end:
            job = library.job(job["id"])
            if job["state"] in ("ready", "failed"):
                break
            progress(0.5, desc=messages.UI_LIB_INDEXING)
            time.sleep(0.5)
        names = "、".join(job["documents"])
        text = f"已加入：{names}" if job["state"] == "ready" else f"失败：{job['error'] or job['state']}"
        return rows(library), text, choices(), None

    def toggle(doc_id: str | None, on: bool) -> tuple[Any, str]:
        if not doc_id:
            return rows(library), messages.UI_LIB_PICK_FIRST
        try:
            d = library.set_enabled(doc_id, on)
            return rows(library), f"{'已启用' if on else '已停用'}：{d['name']}"
        except AssistantError as exc:
            return rows(library), f"失败：{exc.message}"

    def remove(doc_id: str | None) -> tuple[Any, str, Any, str]:
        if not doc_id:
            return rows(library), messages.UI_LIB_PICK_FIRST, choices(), ""
        try:
            job = library.remove(doc_id)
        except AssistantError as exc:
            return rows(library), f"失败：{exc.message}", choices(), ""
        end = time.time() + JOB_WAIT
        while job["state"] not in ("ready", "failed") and time.time() < end:
            time.sleep(0.3)
            job = library.job(job["id"])
        return rows(library), f"已删除：{'、'.join(job['documents'])}", choices(), ""

    def tick() -> Any:
        return rows(library)

    upload.click(add, [files], [table, status, pick, files])
    refresh.click(lambda: (rows(library), choices()), None, [table, pick])
    enable.click(lambda d: toggle(d, True), [pick], [table, status])
    disable.click(lambda d: toggle(d, False), [pick], [table, status])
    delete.click(remove, [pick], [table, status, pick, outline])
    pick.change(show, [pick], [outline])
    pick.focus(choices, None, [pick])
    timer.tick(tick, None, [table])
