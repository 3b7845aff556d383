"""Word, web page and PDF: gongkai's own reader reads every generated file back to exactly the same cells,
with no finding other than those the data itself has; the Word file follows GB/T 9704-2012."""

from __future__ import annotations

import html.parser
import io
import shutil
import subprocess
import zipfile

import docx
import pypdfium2
import pytest
from docx.shared import Mm

from gongkai.authoring.docx_writer import build_docx, title_lines
from gongkai.authoring.html_writer import build_html
from gongkai.authoring.pdf_writer import build_pdfs, missing_fonts, soffice
from gongkai.parse import parse_bytes
from gongkai.proving.evaluate import table_differences
from tests.authoring.helpers import finding_keys, make_draft

FORMATS = ("2021", "2019")
LONG_PARAGRAPH = (
    "健全政府信息公开审查机制，严格落实先审查、后公开和一事一审制度，动态更新政府信息公开指南和目录，"
    "持续优化政府门户网站政府信息公开专栏，规范政务新媒体管理，发挥政务公开专区作用。"
)


def _round_trip(draft, truth: dict, format_id: str, data: bytes, name: str) -> None:
    parsed = parse_bytes(data, name).to_json()
    assert table_differences({"format": format_id, **truth}, parsed) == [], name
    own = draft.to_report()
    assert finding_keys(parsed["findings"]) == finding_keys(own.findings), name
    # The figures stated in the prose are read back too: the prose check works on the published file.
    assert [(f["key"], f["value"]) for f in parsed["narrative_facts"]] == [(f.key, f.value) for f in own.facts], name
    assert parsed["meta"]["agency"]["name"] == draft.agency and parsed["meta"]["year"]["value"] == draft.year


@pytest.mark.parametrize("format_id", FORMATS)
def test_docx_round_trip(format_id):
    for seed in range(30):
        draft, truth = make_draft(seed, format_id, consistent=seed % 3 != 0)  # every third one is broken
        _round_trip(draft, truth, format_id, build_docx(draft), f"{format_id}-{seed}.docx")


@pytest.mark.parametrize("format_id", FORMATS)
def test_html_round_trip(format_id):
    for seed in range(80):
        draft, truth = make_draft(seed, format_id, consistent=seed % 3 != 0)
        _round_trip(draft, truth, format_id, build_html(draft).encode(), f"{format_id}-{seed}.html")


def test_broken_drafts_keep_their_findings_through_the_files():
    draft, truth = make_draft(0, "2021", consistent=False)
    assert any(f.severity == "error" for f in draft.to_report().findings)
    _round_trip(draft, truth, "2021", build_docx(draft), "broken.docx")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_round_trip():
    cases = [make_draft(seed, f, consistent=seed != 2) for f in FORMATS for seed in (1, 2)]
    # A long section 一 pushes 表三 across a page break: its header rows repeat on the next page.
    long_draft, long_truth = make_draft(7, "2021")
    long_draft.texts["overview"] += "\n" + "\n".join(LONG_PARAGRAPH for _ in range(9))
    cases.append((long_draft, long_truth))
    pdfs = build_pdfs([draft for draft, _ in cases])
    header_pages = [
        i
        for i, page in enumerate(pypdfium2.PdfDocument(pdfs[-1]))
        if "本列数据的勾稽关系" in page.get_textpage().get_text_range()
    ]
    assert len(header_pages) == 2, header_pages  # 表三 runs over two pages
    for (draft, truth), data in zip(cases, pdfs, strict=True):
        assert data.startswith(b"%PDF")
        _round_trip(draft, truth, draft.format_id, data, f"{draft.format_id}.pdf")
    if shutil.which("pdffonts") and not missing_fonts():
        listing = subprocess.run(["pdffonts", "-"], input=pdfs[0], capture_output=True, timeout=60).stdout.decode()
        rows = [line.split() for line in listing.splitlines()[2:]]
        assert rows and all("yes" in row[-5:-3] for row in rows)  # every font embedded
        names = " ".join(row[0] for row in rows)
        assert "NotoSerifCJK" in names and "NotoSansCJK" in names  # 仿宋/标题 and 黑体 mapped to free fonts


def test_docx_follows_the_official_document_style():
    draft, _ = make_draft(3, "2021")
    data = build_docx(draft)
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)  # A4
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.left_margin - Mm(28)) < Mm(0.1)
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(text_width - Mm(156)) < Mm(0.1) and abs(text_height - Mm(225)) < Mm(0.1)
    package = zipfile.ZipFile(io.BytesIO(data))
    body = package.read("word/document.xml").decode()
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{font}"' in body
    assert 'w:val="44"' in body  # 2号 title: 22 pt in half points
    fonts = package.read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:altName w:val="仿宋"' in fonts
    footers = [package.read(n).decode() for n in package.namelist() if n.startswith("word/footer")]
    assert len(footers) == 2 and all("PAGE" in f and "—" in f for f in footers)
    assert "evenAndOddHeaders" in package.read("word/settings.xml").decode()
    tables = document.tables
    assert len(tables) == 3
    assert body.count("<w:tblHeader/>") == 6  # 表三 and 表四 repeat their three header rows
    requests = tables[1]._tbl
    first = requests.tr_lst[0].tc_lst
    assert [tc.grid_span for tc in first] == [3, 7]  # 勾稽 note over three label columns, 申请人情况 over seven


def test_long_titles_break_between_words():
    assert title_lines("石家庄市生态环境局2022年政府信息公开工作年度报告") == [
        "石家庄市生态环境局2022年",
        "政府信息公开工作年度报告",
    ]
    assert title_lines("雄县2022年政府信息公开工作年度报告") == ["雄县2022年政府信息公开工作年度报告"]


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {name for name, _ in attrs}


def test_html_is_clean_for_a_cms():
    draft, _ = make_draft(5, "2019")
    page = build_html(draft)
    tags = _Tags()
    tags.feed(page)
    assert tags.tags <= {"html", "head", "meta", "title", "body", "div", "h1", "h2", "h3", "p", "table", "colgroup",
                         "col", "tbody", "tr", "th", "td"}  # fmt: skip
    assert tags.attrs <= {"lang", "charset", "style", "border", "cellspacing", "cellpadding", "rowspan", "colspan"}
    assert "http" not in page and "url(" not in page and "<script" not in page
    assert 'rowspan="3" colspan="3"' in page  # the 勾稽 note of 表三
    assert 'colspan="10"' in page  # 行政诉讼 over both of its blocks in 表四
