"""The Gradio UI: its callbacks directly, then the page in a real browser (Debian's chromium + Playwright)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from live_server import live_server

from assistant import Assistant, Settings
from assistant.feedback import FeedbackStore
from assistant.loader import Loader
from assistant.render import answer_html, highlight, pieces
from assistant.server import build_app
from assistant.ui import UI, engine_history, mark_terms

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FUXIN = "阜新高新区主导产业是什么？"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


# -- rendering and callbacks, no browser -------------------------------------------------------
def test_highlight_and_pieces() -> None:
    assert highlight("a<b>c", (1, 4)) == "a<mark>&lt;b&gt;</mark>c"
    assert highlight("abc", None) == "abc" and highlight("abc", (2, 9)) == "abc"
    assert pieces("阜新：液压装备。[12]", 4) == ["阜新：液", "压装备。", "[12]"]
    assert mark_terms("沈阳、大连高新区", ["大连", "大连高新区"]) == "沈阳、<mark>大连高新区</mark>"


def test_answer_html(bot: Assistant) -> None:
    found = answer_html(bot.ask(FUXIN), turn=2)
    assert '<a class="cite-ref" href="#cite-2-1">[1]</a>' in found
    assert '<li id="cite-2-1" class="cite">' in found and "专栏3 高新区主导产业发展情况" in found
    assert "<mark>阜新高新区：液压装备制造、农产品深加工、电子信息。</mark>" in found
    missing = answer_html(bot.ask("规划对火星基地建设有什么要求？"), turn=4)
    assert 'class="answer not-found"' in missing and "规划中未找到" in missing
    noted = answer_html(replace(bot.ask(FUXIN), note="大模型不可用（超时），已改用原文摘录。"), turn=6)
    assert '<div class="note">大模型不可用（超时），已改用原文摘录。</div>' in noted


def test_respond_streams_and_keeps_context(bot: Assistant, tmp_path: Path) -> None:
    ui = UI(Loader.of(bot), FeedbackStore.for_dir(tmp_path))
    steps = list(ui.respond(FUXIN, []))
    assert len(steps) > 3  # streamed: partial texts before the final HTML
    box, chat, turns = steps[-1]
    assert box == "" and [m["role"] for m in chat] == ["user", "assistant"]
    partial = steps[1][1][-1]["content"]
    assert "液压装备制造".startswith(partial.removeprefix("阜新高新区：")) and "<details" not in partial
    assert "<mark>" in chat[-1]["content"]
    _, chat, turns = list(ui.respond("那大连呢？", turns))[-1]
    assert "软件和服务外包" in chat[-1]["content"]
    assert engine_history(turns)[-1]["content"] == "大连高新区：软件和服务外包产业。[1]"

    _, chat, turns = list(ui.respond("   ", turns))[-1]
    assert len(chat) == 4  # an empty box sends nothing

    fid, note = ui.rate(turns, gr.LikeData(None, {"index": 3, "value": chat[3]["content"], "liked": False}))
    assert fid is not None and note
    assert ui.comment(fid, "应列出全部产业") == ("", "已记录意见，谢谢！")
    row = ui.store.all()[0]
    assert (row.rating, row.question, row.answer, row.comment) == (
        -1,
        "那大连呢？",
        turns[3]["text"],
        "应列出全部产业",
    )
    assert ui.rate(turns, gr.LikeData(None, {"index": 2, "value": "", "liked": True})) == (
        None,
        "",
    )  # a user turn


def test_respond_while_building(bot: Assistant, tmp_path: Path) -> None:
    ui = UI(Loader(lambda: bot), FeedbackStore.for_dir(tmp_path))  # never started: still "building"
    _, chat, turns = list(ui.respond(FUXIN, []))[-1]
    assert "索引正在建立" in chat[-1]["content"]
    assert engine_history(turns) == []  # failed turns are not sent as context later


def test_browse_targets_zones(bot: Assistant, tmp_path: Path) -> None:
    ui = UI(Loader.of(bot), FeedbackStore.for_dir(tmp_path))
    docs, rows, zones, status, scope = ui.startup()
    assert status == "" and docs["value"].startswith("辽宁省高新技术产业开发区发展规划")
    assert rows[0][:3] == ["国家级高新区", 8.0, "个"] and "大连高新区" in zones["choices"][1]
    sections = ui.pick_doc(docs["value"])["choices"]
    path = next(v for label, v in sections if label.endswith("专栏3 高新区主导产业发展情况"))
    shown = ui.pick_section(docs["value"], path)
    assert "阜新高新区：液压装备制造、农产品深加工、电子信息。" in shown and "专栏3" in shown
    assert "<mark>大连高新区</mark>：软件和服务外包产业。" in ui.pick_zone("大连高新区")
    assert scope["choices"] == docs["choices"] and scope["value"] == []
    # A question limited to a chosen document, and to one that is not in the library.
    _, chat, _ = list(ui.respond(FUXIN, [], [docs["value"]]))[-1]
    assert "液压装备制造" in chat[-1]["content"]
    _, chat, _ = list(ui.respond(FUXIN, [], ["已删除的文件.txt"]))[-1]
    assert "已删除的文件.txt" in chat[-1]["content"]
    # Opening the picker again reads the library as it is now; a chosen name no longer there is dropped.
    again = ui.document_choices([docs["value"], "已删除的文件.txt"])
    assert again["choices"] == docs["choices"] and again["value"] == [docs["value"]]


# -- the page in a real browser ----------------------------------------------------------------
@pytest.fixture(scope="module")
def page_url(
    settings: Settings, bot: Assistant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Settings]]:
    s = replace(settings, api_key="", data_dir=tmp_path_factory.mktemp("ui-data"))
    with live_server(build_app(s, bot=bot)) as url:
        yield url, s


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


def local_only(page: Any) -> list[str]:
    """Every URL the page requests outside 127.0.0.1 (the list must stay empty)."""
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else outside.append(r.url),
    )
    return outside


@pytest.mark.browser
def test_chat_in_the_browser(browser: Any, page_url: tuple[str, Settings]) -> None:
    from playwright.sync_api import expect

    url, settings = page_url
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    outside = local_only(page)
    page.goto(url)
    box = page.locator("#question textarea")
    bots = page.locator("#chat [data-testid='bot']")

    box.fill(FUXIN)
    box.press("Enter")
    first = bots.nth(0)
    expect(first.locator(".cite-section")).to_contain_text("专栏3 高新区主导产业发展情况", timeout=20_000)
    expect(first.locator(".answer")).to_contain_text("液压装备制造")
    expect(first.locator("mark")).to_have_text("阜新高新区：液压装备制造、农产品深加工、电子信息。")
    expect(first.locator("a.cite-ref")).to_have_attribute("href", "#cite-2-1")

    box.fill("那大连呢？")
    box.press("Enter")
    expect(bots.nth(1).locator(".answer")).to_contain_text("软件和服务外包", timeout=20_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-chat.png"), full_page=True)

    page.locator(".example", has_text="规划提出了哪些保障措施").click()
    expect(bots.nth(2).locator(".cite-section").first).to_contain_text("四、保障措施", timeout=20_000)

    box.fill("规划对火星基地建设有什么要求？")
    box.press("Enter")
    expect(bots.nth(3).locator(".not-found")).to_contain_text("规划中未找到", timeout=20_000)

    # 👍 on the first answer, then a comment: both stored
    first.hover()
    page.locator("#chat button[aria-label='Like']").first.click()
    expect(page.locator("#feedback-status")).to_contain_text("已记录评价", timeout=10_000)
    page.locator("#comment textarea").fill("答案准确")
    page.get_by_role("button", name="提交意见").click()
    expect(page.locator("#feedback-status")).to_contain_text("已记录意见", timeout=10_000)
    rows = FeedbackStore.for_dir(settings.data_dir).all()
    assert [(r.rating, r.question, r.comment) for r in rows] == [(1, FUXIN, "答案准确")]

    page.screenshot(path=str(ARTIFACTS / "ui-chat-feedback.png"), full_page=True)

    page.locator("#clear").click()
    expect(bots).to_have_count(0)
    assert outside == []
    page.close()


@pytest.mark.browser
def test_tabs_in_the_browser(browser: Any, page_url: tuple[str, Settings]) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    outside = local_only(page)
    page.goto(page_url[0])
    page.get_by_role("tab", name="目标指标").click()
    expect(page.locator("#targets")).to_contain_text("国家级高新区", timeout=20_000)
    page.get_by_role("tab", name="高新区").click()
    page.locator("#zone input").click()
    page.get_by_role("option", name="大连高新区").click()
    expect(page.locator("#zone-view mark", has_text="大连高新区").first).to_be_visible(timeout=10_000)
    expect(page.locator("#zone-view")).to_contain_text("专栏3 高新区主导产业发展情况")
    page.get_by_role("tab", name="按章节浏览").click()
    expect(page.locator("#section-view")).to_contain_text("印发", timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-browse.png"))
    page.goto(page_url[0] + "/docs")  # Swagger UI from the package, not a CDN
    expect(page.get_by_text("/api/ask", exact=True).first).to_be_visible(timeout=10_000)
    assert outside == []
    page.close()


@pytest.mark.browser
def test_the_generated_answer_replaces_the_extract_in_the_browser(
    browser: Any, settings: Settings, bot: Assistant, tmp_path: Path
) -> None:
    """A slow model: the page shows the extract at once, then the model's verified answer in its place."""
    from playwright.sync_api import expect
    from stub_openai import stub_openai

    from assistant.llm import make_generator

    generated = "阜新高新区的主导产业是液压装备制造、农产品深加工和电子信息。"
    with stub_openai() as stub:
        stub.plan = [("slow", (3.0, generated))]
        s = replace(settings, api_key="", data_dir=tmp_path, llm_base_url=stub.url, llm_model="stub")
        slow = Assistant(s, bot.index, make_generator(s, bot.index))
        with live_server(build_app(s, bot=slow)) as url:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            outside = local_only(page)
            page.goto(url)
            box = page.locator("#question textarea")
            box.fill(FUXIN)
            box.press("Enter")
            answer = page.locator("#chat [data-testid='bot']").nth(0)
            # First the extract, with its source and a quiet note that the model is still at work.
            expect(answer.locator(".answer").first).to_have_text(
                "阜新高新区：液压装备制造、农产品深加工、电子信息。[1]", timeout=10_000
            )
            expect(answer.locator(".note.pending")).to_be_visible()
            expect(answer.locator(".cite-section").first).to_contain_text("专栏3 高新区主导产业发展情况")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "ui-upgrade-first.png"), full_page=True)
            # Then the model's answer, with the marker the verifier added; the extract one click away.
            expect(answer.locator(".answer").first).to_have_text(
                generated.replace("。", "[1]。"), timeout=15_000
            )
            expect(answer.locator(".note.pending")).to_have_count(0)
            answer.get_by_text("查看原文摘录").click()
            expect(answer.locator("details.original .answer")).to_have_text(
                "阜新高新区：液压装备制造、农产品深加工、电子信息。[1]"
            )
            page.screenshot(path=str(ARTIFACTS / "ui-upgrade-final.png"), full_page=True)
            assert outside == [] and len(stub.requests) == 1
            page.close()


@pytest.mark.browser
def test_question_limited_to_a_chosen_document_in_the_browser(
    browser: Any, page_url: tuple[str, Settings]
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    outside = local_only(page)
    page.goto(page_url[0])
    page.locator("#scope input").click()
    page.get_by_role("option", name="辽宁省高新技术产业开发区发展规划（2017-2020年）").click()
    page.locator("#question textarea").fill(FUXIN)
    page.locator("#question textarea").press("Enter")
    bot = page.locator("#chat [data-testid='bot']").first
    expect(bot.locator(".answer")).to_contain_text("液压装备制造", timeout=20_000)
    assert outside == []
    page.close()
