"""The 文档库 tab in a real browser: upload a PDF, wait for ready, ask about it, see the page; disable it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from live_server import live_server
from test_library import PLAN, pdf_plan
from test_ui import ARTIFACTS, BROWSER_ARGS, CHROMIUM, local_only

from assistant import Assistant, Settings
from assistant.server import build_app
from assistant.ui_library import outline_html

QUESTION = "省级以上高新区数量到2020年要达到多少家？"


def test_outline_html() -> None:
    tree = [{"title": "一、目标", "passages": ["a"], "children": [{"title": "（一）总体", "passages": []}]}]
    out = outline_html(tree)
    assert "一、目标" in out and "（一）总体" in out and out.count("<ul>") == 2
    assert "尚无大纲" in outline_html([])


@pytest.mark.browser
def test_upload_ask_and_disable_in_the_browser(tmp_path: Path) -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
    from playwright.sync_api import expect, sync_playwright

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(PLAN, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data")
    Assistant.load(settings)
    upload = tmp_path / "乙市规划.pdf"
    upload.write_bytes(pdf_plan())

    with live_server(build_app(settings)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page: Any = browser.new_page(viewport={"width": 1280, "height": 1100})
        outside = local_only(page)
        page.goto(url)
        page.get_by_role("tab", name="文档库").click()
        page.locator("#lib-files input[type=file]").set_input_files(str(upload))
        page.locator("#lib-add").click()
        expect(page.locator("#lib-status")).to_contain_text("已加入", timeout=90_000)
        expect(page.locator("#lib-table")).to_contain_text("乙市规划.pdf")

        page.get_by_role("tab", name="问答").click()
        box = page.locator("#question textarea")
        bots = page.locator("#chat [data-testid='bot']")
        box.fill(QUESTION)
        box.press("Enter")
        expect(bots.nth(0).locator(".answer")).to_contain_text("25", timeout=30_000)
        expect(bots.nth(0).locator(".cite-page").first).to_contain_text("第2页")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "ui-library-answer.png"), full_page=True)

        page.get_by_role("tab", name="文档库").click()
        page.locator("#lib-pick input").click()
        page.get_by_role("option", name="乙市规划.pdf", exact=False).click()
        expect(page.locator("#lib-outline")).to_contain_text("主要指标", timeout=15_000)
        page.locator("#lib-disable").click()
        expect(page.locator("#lib-status")).to_contain_text("已停用", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "ui-library.png"), full_page=True)

        page.get_by_role("tab", name="问答").click()
        box.fill(QUESTION)
        box.press("Enter")
        second = bots.nth(1)
        expect(second).to_be_visible(timeout=30_000)
        expect(second.locator(".answer")).not_to_contain_text("25家", timeout=30_000)
        expect(second).not_to_contain_text("乙市规划")
        assert outside == []
        browser.close()
