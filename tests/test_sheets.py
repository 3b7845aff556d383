"""Spreadsheet reports (.xlsx, .ods) and ODF text documents (.odt), built here from synth ground truth.

The tables follow the official layout of gongkai.proving.synth's table model; merged
cells are real merges (openpyxl `merge_cells`, ODF spanned and covered cells).
Every cell must come back equal to the ground truth with its sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from odf import dc
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import H, P
from openpyxl.utils import get_column_letter

from gongkai.errors import InputError, TooLarge, Unsupported
from gongkai.parse import parse_bytes
from gongkai.proving import synth
from gongkai.proving.evaluate import table_differences as differences
from gongkai.proving.synth import REVIEW_COLUMNS, REVIEW_ROWS, random_tables
from gongkai.proving.synth_files import HEADINGS, _typed, build_xlsx
from gongkai.proving.synth_files import sheet_tables as _tables
from gongkai.reading import sheets
from gongkai.spec import FORMATS


def expected_locations(format_id: str, tops: dict[str, tuple[str, int]]) -> dict[str, dict]:
    """Where each value sits: tops maps a table to (sheet, row of its first table row)."""
    fmt = FORMATS[format_id]
    out = {}
    sheet, r = tops["active"]
    r -= 1
    for block in fmt.active:
        r += 2  # the article row and the header row of the block
        for row in block.rows:
            r += 1
            for k, field in enumerate(block.fields):
                out[f"active.{row.key}.{field.key}"] = {"sheet": sheet, "cell": f"{get_column_letter(2 + k)}{r}"}
    sheet, top = tops["requests"]
    for i, row in enumerate(fmt.requests.rows):
        for k, column in enumerate(fmt.requests.columns):
            out[f"requests.{row.key}.{column.key}"] = {
                "sheet": sheet,
                "cell": f"{get_column_letter(4 + k)}{top + 3 + i}",
            }
    sheet, top = tops["review_litigation"]
    for j, key in enumerate(REVIEW_ROWS):
        for k, column in enumerate(REVIEW_COLUMNS):
            out[f"review_litigation.{key}.{column}"] = {
                "sheet": sheet,
                "cell": f"{get_column_letter(1 + 5 * j + k)}{top + 3}",
            }
    return out


def _check(report, truth: dict, locations: dict[str, dict]) -> None:
    assert differences(truth, report.to_json()) == []
    assert [f.rule for f in report.findings if f.severity == "error"] == []
    wrong = {p: report.cells[p].location for p, where in locations.items() if report.cells[p].location != where}
    assert wrong == {}


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(("format_id", "seed", "one_sheet"), [("2021", 41, False), ("2019", 42, True)])
def test_xlsx_reads_back_exactly(format_id: str, seed: int, one_sheet: bool) -> None:
    truth = random_tables(random.Random(seed), format_id)
    data, tops = build_xlsx(truth, seed, one_sheet=one_sheet, title="某市政府信息公开工作年度报告")
    report = parse_bytes(data, "report.xlsx")
    assert report.to_json()["input"]["kind"] == "xlsx"
    assert sheets.read(data, "xlsx").title == "某市政府信息公开工作年度报告"  # the workbook's title property
    _check(report, truth, expected_locations(format_id, tops))
    assert len(expected_locations(format_id, tops)) == len(FORMATS[format_id].cell_paths())


def test_xlsx_locations_spot_checks() -> None:
    truth = random_tables(random.Random(43), "2021")
    data, _ = build_xlsx(truth, 43)
    report = parse_bytes(data, "report.xlsx")
    cells = report.cells
    assert cells["requests.granted.natural_person"].location == {"sheet": "表三", "cell": "D7"}
    assert cells["requests.new_received.total"].location == {"sheet": "表三", "cell": "J5"}
    assert cells["requests.carried_forward.other_org"].location == {"sheet": "表三", "cell": "I29"}
    assert cells["review_litigation.litigation_direct.maintained"].location == {"sheet": "表四", "cell": "F5"}
    assert cells["active.rules.issued"].location == {"sheet": "表二", "cell": "B4"}
    assert all(c.location for c in cells.values())


def test_xlsx_merged_ranges_are_read_once() -> None:
    truth = random_tables(random.Random(44), "2021")
    data, _ = build_xlsx(truth, 44)
    document = sheets.read(data, "xlsx")
    for label in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理", "三、本年度办理结果"):
        assert document.text.count(label + " |") == 1, label
    # The 3×3 header is one cell followed directly by 申请人情况; its covered cells leave no empty cell.
    assert "第三项加第四项之和） |申请人情况 |\n自然人 |法人或其他组织 |总计 |\n商业企业 |" in document.text
    assert document.text.startswith("表二\n二、主动公开政府信息情况 |\n")


def test_xlsx_numbers_dates_and_empty_cells() -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "数据"
    ws.append(["金额", 20.3, 92042.4403, 3.0, 12, 1e16, dt.datetime(2024, 1, 15), dt.datetime(2024, 1, 15, 9, 30)])
    ws.append([])  # a fully empty row: skipped
    ws.append(["规章", 1, None, 3, None, None])  # interior empty kept, trailing dropped
    ws["B5"] = "   "
    out = io.BytesIO()
    workbook.save(out)
    document = sheets.read(out.getvalue(), "xlsx")
    assert document.text == (
        "数据\n金额 |20.3 |92042.4403 |3 |12 |10000000000000000 |2024-01-15 |2024-01-15T09:30:00 |\n规章 |1 | |3 |\n"
    )
    empty = document.text.index(" | |") + 3  # the blank before the empty cell's pipe
    assert document.locate(empty) == {"sheet": "数据", "cell": "C3"}


def test_xlsx_interior_empty_cell_is_empty_kind() -> None:
    truth = random_tables(random.Random(45), "2021")
    truth["review_litigation"]["review"] = [2, 0, 1, 0, 3]
    data, _ = build_xlsx(truth, 45)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook["表四"]["B5"] = None  # 结果纠正 of 行政复议 left blank
    out = io.BytesIO()
    workbook.save(out)
    report = parse_bytes(out.getvalue(), "report.xlsx")
    cell = report.cells["review_litigation.review.corrected"]
    assert (cell.kind, cell.value, cell.location) == ("empty", 0, {"sheet": "表四", "cell": "B5"})
    assert differences(truth, report.to_json()) == []


def test_xlsx_formula_cells_give_their_cached_values() -> None:
    """Totals computed by =SUM(...) formulas: the value Excel saved is read, not the formula."""
    truth = random_tables(random.Random(46), "2021")
    data, _ = build_xlsx(truth, 46)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    ws = workbook["表三"]
    for r in range(5, 30):
        ws[f"J{r}"] = f"=SUM(D{r}:I{r})"
    out = io.BytesIO()
    workbook.save(out)
    # openpyxl cannot calculate: store each total as Excel would, after the formula.
    totals = [values[6] for values in truth["requests"].values() if values is not None]
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    path = "xl/worksheets/sheet2.xml"
    xml = archive.read(path).decode()
    cached = iter(totals)
    xml, count = re.subn(r"(<f>SUM\(D\d+:I\d+\)</f>)<v></v>", lambda m: f"{m[1]}<v>{next(cached)}</v>", xml)
    assert count == 25
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            target.writestr(info.filename, xml if info.filename == path else archive.read(info))
    report = parse_bytes(patched.getvalue(), "report.xlsx")
    assert differences(truth, report.to_json()) == []
    assert report.cells["requests.total.total"].raw == str(truth["requests"]["total"][6])


def _xlsx_with_sheet_data(rows_xml: str) -> bytes:
    """A workbook whose one sheet (大表) holds the given <row> elements: quicker to write than cell by cell."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "大表"
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb"<sheetData\s*/>|<sheetData></sheetData>", f"<sheetData>{rows_xml}</sheetData>".encode(), content
                )
                assert rows_xml[:20].encode() in content
            target.writestr(info.filename, content)
    return out.getvalue()


def test_cell_limit_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_CELLS", 20)
    row = "".join(f'<c r="{c}{{r}}"><v>1</v></c>' for c in "ABCDEFGHIJ")
    two_rows = "".join(f'<row r="{r}">' + row.format(r=r) + "</row>" for r in (1, 2))
    assert sheets.read(_xlsx_with_sheet_data(two_rows), "xlsx").text.count("1 |") == 20  # at the limit: read
    with pytest.raises(TooLarge):
        sheets.read(_xlsx_with_sheet_data(two_rows + '<row r="3"><c r="A3"><v>1</v></c></row>'), "xlsx")


def test_oversized_sheets_are_refused() -> None:
    columns = [get_column_letter(c) for c in range(1, 11)]
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in columns) + "</row>" for r in range(1, 10_002)
    )  # 100,010 non-empty cells
    with pytest.raises(TooLarge) as caught:
        sheets.read(_xlsx_with_sheet_data(rows), "xlsx")
    assert "非空单元格超过" in caught.value.message_zh and "大表" in caught.value.message_zh

    with pytest.raises(TooLarge) as caught:
        sheets.read(_xlsx_with_sheet_data('<row r="1"><c r="A1"><v>1</v></c><c r="BXY1"><v>2</v></c></row>'), "xlsx")
    assert "2000 列" in caught.value.message_zh


def test_corrupt_xlsx() -> None:
    data, _ = build_xlsx(random_tables(random.Random(47), "2021"), 47)
    archive = zipfile.ZipFile(io.BytesIO(data))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for info in archive.infolist():
            content = archive.read(info)
            target.writestr(info.filename, content[: len(content) // 2] if "worksheets/" in info.filename else content)
    with pytest.raises(InputError) as caught:
        parse_bytes(broken.getvalue(), "report.xlsx")
    assert caught.value.message_zh == "Excel 文件已损坏，无法读取"


# ---------------------------------------------------------------------------
# ODS and ODT
# ---------------------------------------------------------------------------
def _odf_value_cell(text: str) -> TableCell:
    typed = _typed(text) if text else None
    if isinstance(typed, int | float):
        cell = TableCell(valuetype="float", value=text)
        cell.addElement(P(text=f"{typed:,}"))  # the display text may differ from the stored value
        return cell
    cell = TableCell(valuetype="string") if text else TableCell()
    for line in text.split("\n") if text else ():
        cell.addElement(P(text=line))
    return cell


def _odf_table(name: str, table: synth._Table, heading: str | None = None) -> Table:
    """A synth table as an ODF table: spanned cells and covered cells, as LibreOffice writes them."""
    out = Table(name=name)
    if heading:
        row = TableRow()
        cell = TableCell(valuetype="string", numbercolumnsspanned=table.ncols)
        cell.addElement(P(text=heading))
        row.addElement(cell)
        row.addElement(CoveredTableCell(numbercolumnsrepeated=table.ncols - 1))
        out.addElement(row)
    for slots in synth._slots(table):
        row = TableRow()
        for kind, cell in slots:
            if kind != "cell":
                row.addElement(CoveredTableCell())
                continue
            element = _odf_value_cell(cell.text)
            if cell.colspan > 1:
                element.setAttribute("numbercolumnsspanned", cell.colspan)
            if cell.rowspan > 1:
                element.setAttribute("numberrowsspanned", cell.rowspan)
            row.addElement(element)
        row.addElement(TableCell(numbercolumnsrepeated=1000))  # the empty rest of the row
        out.addElement(row)
    out.addElement(TableRow(numberrowsrepeated=1_048_000))  # the empty rest of the sheet
    return out


def build_ods(truth: dict, seed: int) -> bytes:
    document = OpenDocumentSpreadsheet()
    document.meta.addElement(dc.Title(text="某区政府信息公开工作年度报告"))
    for i, (key, table) in enumerate(_tables(truth, seed).items()):
        document.spreadsheet.addElement(_odf_table("表" + "二三四"[i], table, HEADINGS[key]))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def test_ods_reads_back_exactly() -> None:
    truth = random_tables(random.Random(51), "2021")
    report = parse_bytes(build_ods(truth, 51), "report.ods")
    tops = {"active": ("表二", 2), "requests": ("表三", 2), "review_litigation": ("表四", 2)}
    assert report.to_json()["input"]["kind"] == "ods"
    _check(report, truth, expected_locations("2021", tops))
    assert report.cells["requests.granted.natural_person"].location == {"sheet": "表三", "cell": "D7"}


def test_ods_merged_and_repeated_cells() -> None:
    truth = random_tables(random.Random(52), "2019")
    document = sheets.read(build_ods(truth, 52), "ods")
    assert document.title == "某区政府信息公开工作年度报告"
    for label in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "三、本年度办理结果"):
        assert document.text.count(label + " |") == 1, label
    assert "第三项加第四项之和） |申请人情况 |\n自然人 |法人或其他组织 |总计 |\n" in document.text
    assert len(document.text) < 20_000  # a million repeated empty rows cost nothing


def test_ods_repeated_interior_empty_cells_are_kept() -> None:
    document = OpenDocumentSpreadsheet()
    table = Table(name="表")
    row = TableRow()
    row.addElement(_odf_value_cell("规章"))
    row.addElement(_odf_value_cell("3"))
    row.addElement(TableCell(numbercolumnsrepeated=2))
    row.addElement(_odf_value_cell("20.3"))
    row.addElement(TableCell(numbercolumnsrepeated=5000))
    table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    assert sheets.read(out.getvalue(), "ods").text == "表\n规章 |3 | | |20.3 |\n"


def test_ods_oversized_sheet_is_refused() -> None:
    document = OpenDocumentSpreadsheet()
    table = Table(name="大表")
    row = TableRow(numberrowsrepeated=20_000)
    row.addElement(_odf_value_cell("1"))
    row.addElement(TableCell(numbercolumnsrepeated=5))  # interior: five repeated values below
    cell = _odf_value_cell("2")
    cell.setAttribute("numbercolumnsrepeated", 5)
    row.addElement(cell)
    table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    with pytest.raises(TooLarge):
        sheets.read(out.getvalue(), "ods")


def test_odt_text_document() -> None:
    """An .odt arrives as kind "ods" (same container); paragraphs and tables are read like Word's."""
    truth = random_tables(random.Random(53), "2021")
    rng = random.Random(53)
    title, org, year = synth._title(truth, rng)
    prose = synth._prose(truth, org, year, rng)
    tables = _tables(truth, 53)
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=title))
    for line in prose["intro"]:
        document.text.addElement(P(text=line))
    document.text.addElement(H(outlinelevel=2, text="一、总体情况"))
    for line in prose["overview"]:
        document.text.addElement(P(text=line))
    for i, (key, table) in enumerate(tables.items()):
        document.text.addElement(H(outlinelevel=2, text=HEADINGS[key]))
        document.text.addElement(_odf_table(f"表格{i + 1}", table))
    for heading, lines in (
        ("五、存在的主要问题及改进情况", prose["problems"]),
        ("六、其他需要报告的事项", prose["other"]),
    ):
        document.text.addElement(H(outlinelevel=2, text=heading))
        for line in lines:
            document.text.addElement(P(text=line))
    out = io.BytesIO()
    document.write(out)

    report = parse_bytes(out.getvalue(), "report.odt")
    assert report.to_json()["input"]["kind"] == "odt"
    assert differences(truth, report.to_json()) == []
    assert [f.rule for f in report.findings if f.severity == "error"] == []
    assert report.cells["requests.new_received.natural_person"].location == {"table": 2, "row": 4, "cell": 4}
    assert report.cells["review_litigation.review.total"].location == {"table": 3, "row": 4, "cell": 5}
    assert report.sections["overview"]  # headings are paragraphs in document order


def test_other_odf_types_are_refused() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(Unsupported) as caught:
        parse_bytes(data.getvalue(), "slides.odp")
    assert "只能读取" in caught.value.message_zh


def test_number_text() -> None:
    assert [sheets.number_text(x) for x in (12, 12.0, 20.3, 0.1 + 0.2, 1e16, "92042.4403", "1E+3", -2, -0.0, 1e30)] == [
        "12",
        "12",
        "20.3",
        "0.30000000000000004",
        "10000000000000000",
        "92042.4403",
        "1000",
        "-2",
        "0",
        "1" + "0" * 30,
    ]
    assert Decimal(sheets.number_text(92042.4403)) == Decimal("92042.4403")


def _odf_zip(content: str, mimetype: str = "application/vnd.oasis.opendocument.spreadsheet") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", content)
    return out.getvalue()


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def test_hostile_odf_content() -> None:
    deep = "<text:span>" * 20_000 + "政府信息公开" + "</text:span>" * 20_000
    content = (
        f"<office:document-content {ODF_NS}><office:body><office:spreadsheet><table:table><table:table-row>"
        f"<table:table-cell><text:p>{deep}</text:p></table:table-cell>"
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with pytest.raises(TooLarge):
        parse_bytes(_odf_zip(content), "deep.ods")

    odd = (
        f'<office:document-content {ODF_NS}><office:body><office:spreadsheet><table:table table:name="表">'
        '<table:table-row table:number-rows-repeated="x"><table:table-cell office:value-type="float" '
        'office:value="1E+999999999" table:number-columns-repeated="-4"><text:p>信息公开<text:s text:c="many"/>'
        "1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    assert sheets.read(_odf_zip(odd), "ods").text == "表\n1E+999999999 |\n"

    laughs = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "信息公开信息公开"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f"<office:document-content {ODF_NS}><office:body><office:text><text:p>&b;</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    with pytest.raises(InputError) as caught:
        parse_bytes(_odf_zip(laughs, "application/vnd.oasis.opendocument.text"), "laughs.odt")
    assert "不安全" in caught.value.message_zh
