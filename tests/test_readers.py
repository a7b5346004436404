"""Readers on fixtures each test builds itself from the seed plan's text (no real files needed)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assistant.errors import UnreadableDocument
from assistant.readers import detect, read_document
from assistant.readers import ocr as ocr_mod
from assistant.readers.base import RawDocument
from assistant.readers.layout import PAGE_NUMBER_RE, clean
from assistant.readers.pdf import page_ranges

SEED = next((Path(__file__).parent.parent / "corpus").glob("*.txt")).read_text(encoding="utf-8")
# The first paragraph of 一、 (一) in the seed plan: long enough to break across lines and pages.
BODY = next(
    line.strip("\u3000 ") for line in SEED.splitlines() if line.strip("\u3000 ").startswith("目前，全省有")
)
TARGETS = next(line.strip("\u3000 ") for line in SEED.splitlines() if "省级以上高新区数量达到25家" in line)
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


# --- fixtures ------------------------------------------------------------------------------

LEFT, SIZE, WIDTH = 72.0, 12.0, 451.0  # A4 with 1-inch margins, 12-pt text


def wrap(text: str, indent: bool = True) -> list[str]:
    """Lines of `text` as a layout engine breaks them: as many characters as fit the width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for char in text:
        room = WIDTH - (2 * SIZE if indent and not lines else 0)
        if stringWidth(line + char, "STSong-Light", SIZE) > room:
            lines.append(line)
            line = ""
        line += char
    return lines + [line] if line else lines


def split_at_line(text: str, count: int) -> tuple[str, str]:
    """`text` cut after its `count`-th wrapped line: a paragraph that goes on on the next page."""
    head = "".join(wrap(text)[:count])
    return head, text[len(head) :]


def make_pdf(pages: list[list[tuple[str, object]]]) -> bytes:
    """A PDF in a CJK font: each page a list of ("header"|"footer"|"heading"|"para"|"table"|"image", value)."""
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = A4
    left, size = LEFT, SIZE
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for page in pages:
        y = height - 90
        for kind, value in page:
            if kind == "header":
                c.setFont("STSong-Light", 9)
                c.drawCentredString(width / 2, height - 40, str(value))
            elif kind == "footer":
                c.setFont("STSong-Light", 9)
                c.drawCentredString(width / 2, 30, str(value))
            elif kind == "heading":
                c.setFont("STSong-Light", size)
                c.drawString(left + 2 * size, y, str(value))
                y -= 2 * size
            elif kind in ("para", "cont"):
                c.setFont("STSong-Light", SIZE)
                for i, line in enumerate(wrap(str(value), indent=kind == "para")):
                    c.drawString(LEFT + (2 * SIZE if i == 0 and kind == "para" else 0), y, line)
                    y -= 1.6 * SIZE
                y -= 0.4 * SIZE
            elif kind == "table":
                table = Table(value, colWidths=[200, 80, 80])
                table.setStyle(
                    TableStyle(
                        [
                            ("FONT", (0, 0), (-1, -1), "STSong-Light", 10),
                            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                        ]
                    )
                )
                _, h = table.wrapOn(c, width, height)
                table.drawOn(c, left, y - h)
                y -= h + size
            elif kind == "image":
                image = ImageReader(io.BytesIO(value))  # type: ignore[arg-type]
                w, h = image.getSize()
                c.drawImage(
                    image,
                    50,
                    height - 60 - (width - 100) * h / w,
                    width=width - 100,
                    height=(width - 100) * h / w,
                )
        c.showPage()
    c.save()
    return out.getvalue()


TABLE = [
    ["指标", "2015年", "2020年"],
    ["省级以上高新区数量（家）", "15", "25"],
    ["研发经费占GDP比重（%）", "2.3", "2.8"],
]


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    # BODY breaks across lines inside page 1, and TARGETS across the page 1 -> 2 boundary.
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    first, rest = split_at_line(TARGETS, 4)
    return make_pdf(
        [
            [
                ("header", "辽宁省高新技术产业开发区发展规划"),
                ("heading", "一、发展基础与面临形势"),
                ("heading", "（一）发展基础。"),
                ("para", BODY),
                ("table", TABLE),
                ("para", "专栏1 主要指标"),
                ("para", first),
                ("footer", "- 1 -"),
            ],
            [("header", "辽宁省高新技术产业开发区发展规划"), ("cont", rest), ("footer", "— 2 —")],
            [
                ("header", "辽宁省高新技术产业开发区发展规划"),
                ("heading", "二、总体要求"),
                ("para", "坚持创新驱动。"),
                ("footer", "第3页"),
            ],
        ]
    )


def png_of_text(lines: list[str]) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 80 + 60 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(WQY), 36)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 60 * i), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "辽宁省高新技术产业开发区发展规划（2017-2020年）"
    document.add_paragraph("辽宁省高新技术产业开发区发展规划（2017-2020年）")
    document.add_heading("总则", level=1)  # a styled heading without a 一、 marker
    document.add_paragraph().add_run("一、发展基础与面临形势").bold = True
    inline = document.add_paragraph()
    inline.add_run("（一）发展基础。").bold = True
    inline.add_run(BODY[:60])
    document.add_paragraph(TARGETS)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(TABLE):
        for k, value in enumerate(row):
            table.cell(r, k).text = value
    document.add_paragraph("二、总体要求")  # not bold: the parser, not the reader, decides
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HTML = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>辽宁省高新技术产业开发区发展规划 - 辽宁省人民政府门户网站</title></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a>政务公开</a></li><li><a>办事服务</a></li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
<div class="main"><div class="article-content">
<h1>辽宁省高新技术产业开发区发展规划</h1>
<p>　　一、发展基础与面临形势</p>
<p>　　<strong>（一）发展</strong><strong>基础。</strong>{BODY}</p>
<table><tr><td>指标</td><td>2015年</td><td>2020年</td></tr><tr><td>省级以上高新区数量（家）</td><td>15</td><td>25</td></tr></table>
<p>{TARGETS}</p>
</div><div class="share">分享到：微信 微博</div></div>
<div class="footer"><p>主办：辽宁省人民政府办公厅 版权所有 网站标识码2100000022</p></div>
<script>var x = "脚本里的字";</script></body></html>"""


def make_ofd() -> bytes:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'

    def text(x: float, y: float, size: float, value: str) -> str:
        return (
            f'<ofd:TextObject Boundary="{x} {y} 170 {size * 1.4}" Size="{size}" Font="1">'
            f'<ofd:TextCode X="0" Y="{size}" DeltaX="g {len(value) - 1} {size}">{value}</ofd:TextCode></ofd:TextObject>'
        )

    body = BODY[:90]
    lines = [text(40, 30, 7.5, "关于加快高新区建设的函")]
    lines += [
        text(24 + (11.2 if i == 0 else 0), 50 + 8 * i, 5.6, chunk)
        for i, chunk in enumerate([body[:28], body[28:58], body[58:]])
    ]
    lines += [text(35, 80, 5.6, "此函。"), text(100, 285, 5.6, "- 1 -")]
    content = f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">{"".join(lines)}</ofd:Layer></ofd:Content></ofd:Page>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.1"><ofd:DocBody><ofd:DocInfo><ofd:Title>某局</ofd:Title></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        )
        zf.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
        )
        zf.writestr("Doc_0/Pages/Page_0/Content.xml", content)
    return out.getvalue()


def expect_error(name: str, data: bytes, status: int, *words: str) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as info:
        read_document(name, data, ocr=False)
    assert info.value.status == status
    assert name in info.value.message and " / " in info.value.message  # names the file, in both languages
    for word in words:
        assert word in info.value.message
    return info.value


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_joins_broken_lines_and_drops_running_headers_and_page_numbers(plan_pdf: bytes) -> None:
    doc = read_document("plan.pdf", plan_pdf)
    lines = doc.text.split("\n")
    assert doc.format == "pdf" and len(doc.pages) == 3
    assert BODY in lines  # one paragraph, broken over 4 lines in the PDF
    assert TARGETS in lines  # broken across the page boundary, joined again
    assert "辽宁省高新技术产业开发区发展规划" not in doc.text  # the running header
    for number in ("- 1 -", "— 2 —", "第3页"):
        assert number not in doc.text
    assert lines[:2] == ["一、发展基础与面临形势", "（一）发展基础。"]  # headings on their own line
    assert "二、总体要求" in lines and "专栏1 主要指标" in lines


def test_pdf_table_rows_keep_figure_next_to_indicator(plan_pdf: bytes) -> None:
    doc = read_document("plan.pdf", plan_pdf)
    lines = doc.text.split("\n")
    assert "指标 | 2015年 | 2020年" in lines
    assert "省级以上高新区数量（家） | 2015年：15 | 2020年：25" in lines
    assert "研发经费占GDP比重（%） | 2015年：2.3 | 2020年：2.8" in lines
    assert doc.table_rows == 3


def test_pdf_pages_and_page_at(plan_pdf: bytes) -> None:
    doc = read_document("plan.pdf", plan_pdf)
    assert doc.pages[0] == 0
    assert doc.page_at(doc.text.index("一、发展基础")) == 1
    assert doc.page_at(doc.text.index("二、总体要求")) == 3
    # The page 2 text continues a paragraph of page 1: page 2 starts inside that line.
    page2 = doc.text.index(split_at_line(TARGETS, 4)[1])
    assert doc.pages[1] == page2
    assert doc.page_at(page2) == 2 and doc.page_at(page2 - 1) == 1


def test_pdf_scanned_page_is_listed_when_not_ocrd(plan_pdf: bytes) -> None:
    pytest.importorskip("PIL")
    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(blank, format="PNG")
    data = make_pdf(
        [[("image", blank.getvalue())], [("heading", "一、发展基础与面临形势"), ("para", BODY[:100])]]
    )
    doc = read_document("scan.pdf", data, ocr=False)
    assert doc.needs_ocr == (1,) and doc.ocr_pages == ()
    assert doc.pages == (0, 0) and doc.text.startswith("一、发展基础")
    only_scan = make_pdf([[("image", blank.getvalue())]])
    error = expect_error("scan-only.pdf", only_scan, 422, "OCR", "make setup")
    assert "第 1 页" in error.message


@pytest.mark.skipif(
    not (ocr_mod.available() and WQY.exists()), reason="needs the ocr extra and fonts-wqy-microhei"
)
def test_pdf_scanned_page_is_ocrd() -> None:
    data = make_pdf([[("image", png_of_text(["省级以上高新区数量达到25家", "研发经费比重达到2.8%"]))]])
    doc = read_document("scan.pdf", data)
    assert doc.ocr_pages == (1,) and doc.needs_ocr == ()
    assert "25家" in doc.text and "2.8%" in doc.text


def test_pdf_encrypted_truncated_and_garbage() -> None:
    pypdf = pytest.importorskip("pypdf")
    plain = make_pdf([[("para", BODY[:80])]])
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(plain))
    writer.encrypt("secret", algorithm="AES-128")
    locked = io.BytesIO()
    writer.write(locked)
    expect_error("locked.pdf", locked.getvalue(), 422, "密码", "password")
    expect_error("cut.pdf", plain[: len(plain) // 3], 422, "损坏", "damaged")
    expect_error("garbage.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4, 422)


# --- DOCX, HTML, OFD, text -------------------------------------------------------------------


def test_docx_headings_tables_and_order() -> None:
    doc = read_document("plan.docx", make_docx())
    lines = doc.text.split("\n")
    assert doc.format == "docx" and doc.title == "辽宁省高新技术产业开发区发展规划（2017-2020年）"
    assert lines[1:5] == [
        "总则",
        "一、发展基础与面临形势",
        "（一）发展基础。",
        BODY[:60],
    ]  # bold lead split off
    assert lines.index(TARGETS) < lines.index("指标 | 2015年 | 2020年") < lines.index("二、总体要求")
    assert "省级以上高新区数量（家） | 2015年：15 | 2020年：25" in lines and doc.table_rows == 3
    heading_lines = {doc.text[pos:].split("\n")[0]: level for pos, level in doc.headings}
    assert heading_lines == {"总则": 1, "一、发展基础与面临形势": 3, "（一）发展基础。": 4}


def test_html_main_text_without_navigation() -> None:
    doc = read_document("page.html", HTML.encode("utf-8"))
    lines = doc.text.split("\n")
    assert doc.format == "html" and doc.title == "辽宁省高新技术产业开发区发展规划"
    assert lines[:3] == [
        "辽宁省高新技术产业开发区发展规划",
        "一、发展基础与面临形势",
        "（一）发展基础。" + BODY,
    ]
    assert "省级以上高新区数量（家） | 2015年：15 | 2020年：25" in lines and TARGETS in lines
    for noise in ("首页", "当前位置", "分享到", "版权所有", "脚本里的字"):
        assert noise not in doc.text
    # Detected by content, whatever the name says; GBK pages decode too.
    assert read_document("page.txt", HTML.replace("utf-8", "gbk").encode("gbk")).format == "html"


def test_ofd_text_layer_in_reading_order() -> None:
    doc = read_document("letter.ofd", make_ofd())
    assert doc.format == "ofd" and doc.title == "关于加快高新区建设的函"
    assert doc.text.split("\n") == ["关于加快高新区建设的函", BODY[:90], "此函。"]  # page number dropped
    assert doc.pages == (0,) and doc.page_at(50) == 1


def test_text_kept_verbatim_but_line_endings() -> None:
    doc = read_document("plan.md", "# 规划\r\n\r\n　　一、总则\r\n正文。\r".encode())
    assert doc.text == "# 规划\n\n　　一、总则\n正文。\n" and doc.format == "md" and doc.title == "规划"
    assert read_document("plan.txt", "一、总则\n".encode("gb18030")).text == "一、总则\n"
    assert read_document("plan.txt", "\ufeff一、总则".encode()).text == "一、总则"


# --- bad input -------------------------------------------------------------------------------


def test_old_word_and_other_office_files_are_415() -> None:
    expect_error("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), 415, ".docx", "另存为")
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    expect_error("data.xlsx", xlsx.getvalue(), 415, "xlsx")
    expect_error("tool.exe", b"MZ\x90\x00" + bytes(range(256)), 415)
    expect_error("plan.rtf", b"{\\rtf1\\ansi hello}", 415, ".docx")


def test_empty_files_are_422() -> None:
    expect_error("empty.pdf", b"", 422, "空文件", "empty")
    expect_error("blank.txt", b" \r\n\t ", 422, "空文件")
    blank = make_pdf([[("header", "")]])
    expect_error("blank.pdf", blank, 422, "没有可读取的文字")


def test_zip_bomb_and_damaged_zip() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))  # 8 MB of zeros in ~8 KB
    assert len(bomb.getvalue()) < 100_000
    expect_error("bomb.docx", bomb.getvalue(), 413, "压缩炸弹", "zip bomb")
    docx = make_docx()
    expect_error("cut.docx", docx[: len(docx) // 2], 422, "损坏")
    locked = io.BytesIO()
    with zipfile.ZipFile(locked, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    raw = bytearray(locked.getvalue())
    raw[6] |= 1  # the local header's "encrypted" flag
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 8] |= 1
    expect_error("locked.docx", bytes(raw), 422, "密码")


def test_too_large_is_413(monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.readers as readers

    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    expect_error("big.txt", "规划".encode() * 1000, 413, "太大", "too large")


def test_image_needs_ocr_without_it() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    assert detect("scan.png", png) == "image"
    expect_error("scan.png", png, 422, "OCR")


@pytest.mark.skipif(
    not (ocr_mod.available() and WQY.exists()), reason="needs the ocr extra and fonts-wqy-microhei"
)
def test_image_is_ocrd() -> None:
    doc = read_document("scan.png", png_of_text(["一、发展基础与面临形势", "省级以上高新区数量达到25家"]))
    assert doc.format == "image" and doc.ocr_pages == (1,)
    assert doc.text.split("\n") == ["一、发展基础与面临形势", "省级以上高新区数量达到25家"]


# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize("footer", ["3", "-3-", "- 3 -", "— 3 —", "第3页", "第 3 页 共 44 页", "3/44"])
def test_page_number_patterns(footer: str) -> None:
    assert PAGE_NUMBER_RE.match(footer)


@pytest.mark.parametrize("text", ["2025年", "一、总则", "3.5%"])
def test_not_page_numbers(text: str) -> None:
    assert not PAGE_NUMBER_RE.match(text)


def test_helpers() -> None:
    assert clean("号 ， 邮 编 ： 223100") == "号，邮编：223100"
    assert clean("到 2025 年，完成 40 处") == "到2025年，完成40处" and clean("专栏 1 主要") == "专栏 1 主要"
    assert page_ranges((1, 2, 3, 7, 9, 10)) == "1-3, 7, 9-10"
    assert RawDocument("a", "xxyy", "pdf", pages=(0, 2)).page_at(3) == 2
    assert RawDocument("a", "xxyy", "txt").page_at(3) is None


def test_table_rows_carry_the_year_of_their_figures() -> None:
    from assistant.readers.table import is_header, label_row

    header = ["指标", "2025 年", "属性"]
    assert is_header(header) and not is_header(["指标", "15", "25"])
    # Rows longer than the header (a merged category cell repeated) align from the right.
    assert label_row(header, ["博物馆", "县级博物馆覆盖率（%）", "100", "约束性"]) == (
        "博物馆 | 县级博物馆覆盖率（%） | 2025 年：100 | 约束性"
    )
    assert label_row(None, ["甲", "1"]) == "甲 | 1" and label_row(header, header) == "指标 | 2025 年 | 属性"


def test_a_figure_row_is_not_a_header() -> None:
    from assistant.readers.table import is_header

    assert not is_header(["博物馆", "陈列展览数量（含临展）", "≥2000", "预期性"])
    assert is_header(["指标", "2020", "2025"])
