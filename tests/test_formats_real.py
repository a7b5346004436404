"""The real files of ../shared/corpora/formats/ as a user adds them: parsed with an outline, indexed,
and answered with the page cited — the Hubei plan's 主要指标 table, and a State Council 专栏 that
exists only as an image (found through OCR)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.corpus import parse_file

FORMATS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "formats"
pytestmark = pytest.mark.skipif(not FORMATS.is_dir(), reason=f"{FORMATS} is absent (real format files)")
FILES = (
    sorted(p.name for p in FORMATS.iterdir() if p.suffix not in (".md", ".txt")) if FORMATS.is_dir() else []
)
HUBEI = "省文化和旅游厅关于印发《湖北省文物事业发展“十四五”规划》的通知.pdf"
COUNCIL = "国务院办公厅关于印发“十四五”文物保护和科技创新规划的通知.pdf"


@pytest.mark.parametrize("name", [n for n in FILES if n != COUNCIL])  # the council PDF: OCR, below
def test_every_real_file_parses_with_an_outline(name: str) -> None:
    doc = parse_file(name, (FORMATS / name).read_bytes())
    assert doc.passages, name
    headings = [s.title for s in doc.sections] + [c.title for s in doc.sections for c in s.children]
    if not name.endswith(".ofd"):  # the OFD sample is a one-page letter without headings
        assert len(headings) >= 3, (name, headings)


@pytest.fixture(scope="module")
def hubei(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("hubei")
    (root / "corpus").mkdir()
    (root / "corpus" / HUBEI).write_bytes((FORMATS / HUBEI).read_bytes())
    return Assistant.load(Settings(corpus_dir=root / "corpus", index_dir=root / "index", llm_base_url=""))


def test_hubei_outline(hubei: Assistant) -> None:
    top = [s.title for s in hubei.index.documents[0].sections]
    assert "一、背景形势" in top and "九、保障措施" in top


def test_hubei_main_indicator_answered_with_its_page(hubei: Assistant) -> None:
    a = hubei.ask("县级博物馆覆盖率目标是多少？")
    assert a.found and "100" in a.answer and "2025年" in a.answer
    assert a.citations[0].page == 11


def test_hubei_box_item_answered_with_its_page(hubei: Assistant) -> None:
    a = hubei.ask("湖北省博物馆世界一流博物馆创建工程要做什么？")
    assert a.found and "三期扩建工程" in a.answer
    assert a.citations[0].page == 35 and "专栏 5" in a.citations[0].section
    hit = hubei.search("楚天文物平安工程要完成多少处省级文物保护单位防火防盗设施建设？", k=3)
    assert any(
        "完成40处湖北省文物保护单位防火防盗设施建设" in h.passage.text and h.passage.page == 15 for h in hit
    )


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    pytest.importorskip(
        "rapidocr_onnxruntime", reason="the ocr extra is not installed (make setup installs it)"
    )
    from pypdf import PdfReader, PdfWriter

    # Pages 3 and 7 of the real file (专栏1 and 专栏3 are images there): OCR costs seconds a page.
    reader, writer = PdfReader(str(FORMATS / COUNCIL)), PdfWriter()
    for number in (2, 6):
        writer.add_page(reader.pages[number])
    out = io.BytesIO()
    writer.write(out)
    root = tmp_path_factory.mktemp("council")
    (root / "corpus").mkdir()
    (root / "corpus" / "council-p3-p7.pdf").write_bytes(out.getvalue())
    return Assistant.load(Settings(corpus_dir=root / "corpus", index_dir=root / "index", llm_base_url=""))


def test_an_image_only_box_item_is_found_through_ocr(council: Assistant) -> None:
    a = council.ask("文物科技成果转化专项要实施多少个科技成果应用示范项目？")
    assert a.found and "30个" in a.answer
    assert a.citations[0].ocr and a.citations[0].page == 2  # page 7 of the original, 2 of the extract


def test_an_image_only_indicator_table_is_read_row_by_row(council: Assistant) -> None:
    a = council.ask("到2025年全国备案博物馆数量要达到多少家？")
    assert a.found and "6500" in a.answer and a.citations[0].ocr
