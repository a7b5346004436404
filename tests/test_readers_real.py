"""Readers on the real government files in ../shared/corpora/formats/ (see SOURCES.md there).

OCR takes seconds a page on two cores, so at most one page per document is OCR'd here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assistant.corpus import heading_rank
from assistant.readers import RawDocument, read_document
from assistant.readers import ocr as ocr_mod

FORMATS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "formats"
pytestmark = pytest.mark.skipif(not FORMATS.is_dir(), reason=f"{FORMATS} is absent (real format files)")

HUBEI = "省文化和旅游厅关于印发《湖北省文物事业发展“十四五”规划》的通知.pdf"
STATE_COUNCIL = "国务院办公厅关于印发“十四五”文物保护和科技创新规划的通知.pdf"
FILES = sorted(p.name for p in FORMATS.iterdir() if p.suffix != ".md") if FORMATS.is_dir() else []


@cache
def read(name: str, ocr: bool = False) -> RawDocument:
    return read_document(name, (FORMATS / name).read_bytes(), ocr=ocr, max_ocr_pages=1)


def heading_lines(doc: RawDocument) -> list[str]:
    return [line for line in doc.text.split("\n") if heading_rank(line) is not None]


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_reads(name: str) -> None:
    doc = read(name)
    assert len(doc.text) > 200
    # The Beijing report is set in one font size throughout and has no metadata title: none to find.
    assert doc.title or name == "2024年北京市政府工作报告.pdf"
    if doc.format in ("pdf", "ofd"):
        assert doc.pages[0] == 0 and list(doc.pages) == sorted(doc.pages)


def test_hubei_main_indicators_table_rows() -> None:
    lines = read(HUBEI).text.split("\n")
    assert "指标 | 2025年 | 属性" in lines
    assert "保护利用 | 湖北省文物保护单位增加数量 | 2025年：≥50 | 约束性" in lines
    assert "博物馆 | 博物馆数量 | 2025年：≥260 | 预期性" in lines
    assert "人才培养 | 省级层面培训人员（人次） | 2025年：≥1000 | 约束性" in lines
    assert read(HUBEI).table_rows >= 25


def test_hubei_structure_pages_and_footers() -> None:
    doc = read(HUBEI)
    assert doc.title == "湖北省文物事业发展“十四五”规划" and len(doc.pages) == 44
    lines = doc.text.split("\n")
    assert "一、背景形势" in lines and "九、保障措施" in lines and "专栏 1 构筑文物安全防护体系" in lines
    assert lines.count("一、背景形势") == 1  # the table of contents is gone
    assert not [line for line in lines if line.strip().isdigit()]  # page numbers dropped
    # A sentence broken at a page foot (pages 7 -> 8) is one line again, on page 7.
    joined = "全省博物馆免费接待观众1.44亿人次。"
    assert any(joined in line for line in lines)
    assert doc.page_at(doc.text.index(joined)) == 7
    assert doc.page_at(doc.text.index("“十四五”时期湖北省文物事业发展主要指标")) == 10


def test_hubei_scanned_notice_is_ocrd_or_listed() -> None:
    doc = read(HUBEI)
    assert doc.needs_ocr == (1,) and doc.ocr_pages == ()
    if not ocr_mod.available():
        pytest.skip("the ocr extra is not installed")
    ocrd = read(HUBEI, ocr=True)
    assert ocrd.ocr_pages == (1,) and ocrd.needs_ocr == ()
    first_page = ocrd.text[: ocrd.pages[1]]
    assert "湖北省文化和旅游厅办公室文件" in first_page and "2021" in first_page
    assert ocrd.title == doc.title  # the cover title, not the scanned red header


def test_state_council_boxes_are_images() -> None:
    doc = read(STATE_COUNCIL)
    assert doc.needs_ocr == (3, 5, 7, 8, 9, 10, 12, 13, 14, 15, 17)
    assert "一、发展环境" in doc.text.split("\n")
    if not ocr_mod.available():
        pytest.skip("the ocr extra is not installed")
    ocrd = read(STATE_COUNCIL, ocr=True)
    assert ocrd.ocr_pages == (3,)
    page3 = ocrd.text[ocrd.pages[2] : ocrd.pages[3]]
    assert "专栏1" in page3 and "5058" in page3  # only in the image of the 主要指标 box


@pytest.mark.parametrize("name", ["hzq2023_working.pdf", "hzq2024_working.pdf"])
def test_district_reports_tables_and_footers(name: str) -> None:
    doc = read(name)
    lines = doc.text.split("\n")
    assert "一、总体情况" in lines and "二、主动公开政府信息情况" in lines
    assert not [line for line in lines if line.startswith("-") and line.endswith("-")]  # "-2-" footers
    assert any(line.startswith("行政规范性文件 | ") for line in lines)
    assert doc.table_rows >= 30


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2025年广东省政府工作报告.docx", ["一、2024年工作回顾", "二、2025年工作安排"]),
        ("2025年浙江省政府工作报告.docx", ["一、2024年工作回顾", "二、2025年目标任务和重点工作"]),
    ],
)
def test_work_reports_have_heading_lines(name: str, expected: list[str]) -> None:
    doc = read(name)
    headings = heading_lines(doc)
    for line in expected:
        assert line in headings
    assert doc.title == name.removesuffix(".docx")


def test_standard_docx_styled_headings() -> None:
    doc = read("核电厂定期安全审查指南 第1部分：通用要求（征求意见稿）.docx")
    styled = {doc.text[pos:].split("\n")[0]: level for pos, level in doc.headings}
    assert styled["范围"] == 2 and styled["确定评价范围和内容"] == 3
    assert doc.title == "核电厂定期安全评价 第1部分：通用要求"
    assert doc.table_rows > 0


@pytest.mark.parametrize(
    ("name", "first", "content"),
    [
        (
            "08_家庭医生实施方案_穗卫函2023-1930号.html",
            "穗卫函〔2023〕1930号",
            "到2035年，签约服务覆盖率达到75%以上",
        ),
        ("13_户籍家庭住房保障通知_穗建规字2024-5号.html", "穗建规字〔2024〕5号", "家庭年人均收入49952元"),
    ],
)
def test_html_pages_main_text_without_navigation(name: str, first: str, content: str) -> None:
    doc = read(name)
    lines = doc.text.split("\n")
    assert first in lines[:3] and content in doc.text
    assert "一、" in "".join(heading_lines(doc))
    for noise in ("扫一扫", "市委组织部", "网站地图", "您的浏览器"):
        assert noise not in doc.text


def test_html_attachment_table_kept() -> None:
    lines = read("08_家庭医生实施方案_穗卫函2023-1930号.html").text.split("\n")
    assert "一级指标 | 二级指标 | 评价标准 | 指标含义 | 数据来源" in lines


def test_ofd_letter_has_text() -> None:
    doc = read("testPathFillOpacity.ofd")
    assert doc.title == "关于加快南货场铁路涵洞下穿建设的函"
    assert doc.text.split("\n")[:2] == ["关于加快南货场铁路涵洞下穿建设的函", "蚌山区政府："]
    assert "你区需尽快落实南货场铁路涵洞下穿建设方案" in doc.text and doc.text.endswith("2023年7月12日")
