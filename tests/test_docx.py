"""Word (.docx) reports: written with python-docx in the official layout, with real merged cells, and read back.

The three tables come from gongkai.proving.synth's table model (rows of cells with
rowspan/colspan, exactly as the official template lays them out); `build_docx`
writes each into a Word table with `cell.merge()`, so the document holds the
gridSpan and vMerge cells Word itself writes.  Every cell must come back equal
to the ground truth, with no error finding, and with its table/row/cell.
"""

from __future__ import annotations

import io
import random
import time
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from gongkai.errors import InputError, TooLarge
from gongkai.parse import parse_bytes
from gongkai.proving.evaluate import table_differences as differences
from gongkai.proving.synth import REVIEW_COLUMNS, REVIEW_ROWS, random_tables
from gongkai.proving.synth_files import build_docx
from gongkai.reading import docx as docx_reader
from gongkai.spec import FORMATS, SECTIONS


# ---------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------
def expected_locations(format_id: str, review_table: int = 3) -> dict[str, dict]:
    """Where each value sits in the official layout (noise off): table, row and first grid column."""
    fmt = FORMATS[format_id]
    out = {}
    r = 0
    for block in fmt.active:
        r += 2  # the block's article row and its header row
        for row in block.rows:
            r += 1
            for k, field in enumerate(block.fields):
                out[f"active.{row.key}.{field.key}"] = {"table": 1, "row": r, "cell": 2 + k}
    for i, row in enumerate(fmt.requests.rows):
        for k, column in enumerate(fmt.requests.columns):
            out[f"requests.{row.key}.{column.key}"] = {"table": 2, "row": 4 + i, "cell": 4 + k}
    for j, key in enumerate(REVIEW_ROWS):
        for k, column in enumerate(REVIEW_COLUMNS):
            out[f"review_litigation.{key}.{column}"] = {"table": review_table, "row": 4, "cell": 1 + 5 * j + k}
    return out


def _errors(report) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in report.findings if f.severity == "error"]


# ---------------------------------------------------------------------------
# The official layout, every cell
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(("format_id", "seed"), [("2021", 11), ("2021", 12), ("2019", 21), ("2019", 22)])
def test_official_layout_reads_back_exactly(format_id: str, seed: int) -> None:
    truth = random_tables(random.Random(seed), format_id)
    data = build_docx(truth, seed)
    report = parse_bytes(data, "report.docx")

    assert report.to_json()["input"]["kind"] == "docx"
    assert differences(truth, report.to_json()) == []
    assert _errors(report) == []
    assert set(report.sections) == {section.key for section in SECTIONS}  # all six headings
    locations = expected_locations(format_id)
    assert set(locations) == set(FORMATS[format_id].cell_paths())
    wrong = {p: report.cells[p].location for p, where in locations.items() if report.cells[p].location != where}
    assert wrong == {}


def test_merged_cells_are_real_and_read_once() -> None:
    """The generated document really holds the merges; each merged label is read exactly once."""
    truth = random_tables(random.Random(5), "2021")
    data = build_docx(truth, 5)
    body = docx.Document(io.BytesIO(data)).element.body
    tables = body.findall(qn("w:tbl"))
    requests, review = tables[1], tables[2]

    first = requests.find(qn("w:tr")).find(qn("w:tc")).find(qn("w:tcPr"))
    assert first.find(qn("w:gridSpan")).get(qn("w:val")) == "3"  # the 3×3 top-left header
    assert first.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    spans = [tc.find(qn("w:tcPr")).find(qn("w:gridSpan")) for tc in review.find(qn("w:tr")).findall(qn("w:tc"))]
    assert [s.get(qn("w:val")) for s in spans] == ["5", "10"]  # 行政复议 | 行政诉讼
    continuations = [v for v in requests.iter(qn("w:vMerge")) if v.get(qn("w:val")) is None]
    assert len(continuations) > 20  # group labels and header cells continued below

    document = docx_reader.read(data, "docx")
    for label in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理", "三、本年度办理结果"):
        assert document.text.count(label + " |") == 1, label
    assert document.text.count("行政复议 |") == 1
    # Continued cells leave nothing behind, not even an empty cell: rows start with their own first cell.
    assert "第三项加第四项之和） |申请人情况 |\n自然人 |法人或其他组织 |总计 |\n商业企业 |" in document.text
    assert "\n2．其他法律行政法规禁止公开 |" in document.text
    assert "\n结果维持 |结果纠正 |其他结果 |尚未审结 |总计 |结果维持 |" in document.text
    assert document.text.count("结果维持 |") == 3
    assert document.title.endswith("政府信息公开工作年度报告")
    assert document.text.startswith(document.title + "\n")  # core properties, then the title paragraph
    assert "第 1 页" not in document.text  # footers are not the report


def test_spot_locations() -> None:
    truth = random_tables(random.Random(7), "2021")
    report = parse_bytes(build_docx(truth, 7), "report.docx")
    cells = report.cells
    assert cells["active.rules.issued"].location == {"table": 1, "row": 3, "cell": 2}
    assert cells["active.licensing.decisions"].location == {"table": 1, "row": 7, "cell": 2}
    assert cells["active.fees.amount_wan_yuan"].location == {"table": 1, "row": 14, "cell": 2}
    assert cells["requests.new_received.natural_person"].location == {"table": 2, "row": 4, "cell": 4}
    assert cells["requests.granted.commercial"].location == {"table": 2, "row": 6, "cell": 5}
    assert cells["requests.withheld_state_secret.total"].location == {"table": 2, "row": 8, "cell": 10}
    assert cells["requests.carried_forward.total"].location == {"table": 2, "row": 28, "cell": 10}
    assert cells["review_litigation.review.maintained"].location == {"table": 3, "row": 4, "cell": 1}
    assert cells["review_litigation.litigation_after_review.total"].location == {"table": 3, "row": 4, "cell": 15}
    assert all(c.location for c in cells.values())
    # The raw text of a cell is what the document prints there.
    assert cells["requests.carried_forward.total"].raw == str(truth["requests"]["carried_forward"][6])


@pytest.mark.parametrize("format_id", ["2021", "2019"])
def test_noisy_reports(format_id: str) -> None:
    """Labels on two lines, traditional characters, full-width digits, blanks and placeholders."""
    for seed in range(100, 106):
        truth = random_tables(random.Random(seed), format_id)
        report = parse_bytes(build_docx(truth, seed, noise=True), "report.docx")
        assert differences(truth, report.to_json()) == [], seed
        assert _errors(report) == [], seed
        assert all(c.location for c in report.cells.values() if c.present), seed


def test_tables_nested_in_a_layout_frame() -> None:
    truth = random_tables(random.Random(31), "2021")
    report = parse_bytes(build_docx(truth, 31, frame=True), "report.docx")
    assert differences(truth, report.to_json()) == []
    assert _errors(report) == []
    # The frame is table 3, the real 表四 nested inside it table 4.
    assert report.cells["review_litigation.review.maintained"].location == {"table": 4, "row": 4, "cell": 1}


def test_unit_line_before_review_table() -> None:
    truth = random_tables(random.Random(31), "2021")
    report = parse_bytes(build_docx(truth, 31, review_note="单位：件"), "report.docx")
    assert differences(truth, report.to_json()) == []


def test_empty_cell_reads_as_empty() -> None:
    truth = random_tables(random.Random(3), "2021")
    truth["requests"]["new_received"] = [5, 0, 0, 0, 0, 0, 5]
    truth = _balanced(truth)

    def blank(tables: list) -> None:
        requests = tables[1]
        row = requests.rows[3]  # 一、本年新收…: label, then 自然人, 商业企业, …
        assert row[0].text.startswith("一、") and row[2].text == "0"
        row[2].text = ""

    report = parse_bytes(build_docx(truth, 3, edit=blank), "report.docx")
    cell = report.cells["requests.new_received.commercial"]
    assert (cell.kind, cell.value) == ("empty", 0)
    assert cell.location == {"table": 2, "row": 4, "cell": 5}
    assert differences(truth, report.to_json()) == []
    assert report.cells["requests.new_received.research"].kind == "number"


def test_a_review_table_whose_values_row_is_left_blank_reads_zeros() -> None:
    # The official template's 表四 ships with its values row empty; an agency with no review or litigation keeps it.
    truth = random_tables(random.Random(5), "2021")
    truth["review_litigation"] = {row: [0] * 5 for row in truth["review_litigation"]}

    def blank(tables: list) -> None:
        values = tables[2].rows[-1]
        assert all(c.text == "0" for c in values)
        for c in values:
            c.text = ""

    report = parse_bytes(build_docx(truth, 5, edit=blank), "report.docx")
    assert differences(truth, report.to_json()) == []
    assert report.cells["review_litigation.review.total"].kind == "empty"
    assert not _errors(report)


def _balanced(truth: dict) -> dict:
    """Ground truth whose 表三 rows of outcomes add up to its new 一 row (K1–K3 hold)."""
    req = truth["requests"]
    zero = [0] * 7
    for key, values in req.items():
        if values is not None and key not in ("new_received",):
            req[key] = list(zero)
    req["granted"] = list(req["new_received"])
    req["total"] = list(req["new_received"])
    return truth


# ---------------------------------------------------------------------------
# Damaged and hostile files
# ---------------------------------------------------------------------------
def _valid_docx() -> bytes:
    return build_docx(random_tables(random.Random(1), "2021"), 1)


def test_truncated_docx_is_a_clean_input_error() -> None:
    data = _valid_docx()
    for cut in (len(data) // 2, len(data) - 30, 200):
        with pytest.raises(InputError) as caught:
            parse_bytes(data[:cut], "report.docx")
        assert caught.value.message_zh and caught.value.message_en
        if cut > 200:  # enough of the file is left to show it is a Word document
            assert (caught.value.message_zh, caught.value.code) == ("Word 文件已损坏，无法读取", "corrupt")
        # The reader itself names the damage in Chinese and English.
        with pytest.raises(InputError) as caught:
            docx_reader.read(data[:cut], "docx")
        assert caught.value.message_zh == "Word 文件已损坏，无法读取"
        assert caught.value.code == "corrupt"


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


def test_malformed_document_xml() -> None:
    data = _valid_docx()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    for broken in (xml[: len(xml) // 2], xml.replace(b"<w:body>", b"<w:body><w:p>", 1), b"not xml at all"):
        with pytest.raises(InputError) as caught:
            parse_bytes(_replace_member(data, "word/document.xml", broken), "report.docx")
        assert caught.value.message_zh == "Word 文件已损坏，无法读取"


def test_zip_bomb_refused_before_inflating() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, deflated to ~300 kB
                member.write(zeros)
    data = out.getvalue()
    assert len(data) < 2_000_000

    started = time.perf_counter()
    with pytest.raises(TooLarge) as caught:
        parse_bytes(data, "bomb.docx")
    assert time.perf_counter() - started < 0.5
    assert "已拒绝" in caught.value.message_zh
