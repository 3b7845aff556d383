"""Excel workbooks red-teamed at the reader: what Excel does not show, formulas without results, number formats."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange

from gongkai.parse import parse_bytes
from gongkai.proving.evaluate import table_differences
from gongkai.proving.synth_files import build_xlsx
from gongkai.reading import sheets
from tests.test_readers7_docx import _truth


def _edited(truth: dict, edit) -> dict:
    workbook = openpyxl.load_workbook(io.BytesIO(build_xlsx(truth, 8)[0]))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return parse_bytes(out.getvalue(), "report.xlsx").to_json()


def _find(ws, value):
    return next(cell for row in ws.iter_rows() for cell in row if cell.value == value)


def _insert_row(ws, at: int) -> None:
    """Insert a row, moving the merged ranges with it (openpyxl's insert_rows leaves them in place)."""
    ranges = [CellRange(m.coord) for m in ws.merged_cells.ranges]
    for merged in ranges:
        ws.unmerge_cells(merged.coord)
    ws.insert_rows(at)
    for merged in ranges:
        if merged.min_row >= at:
            merged.shift(0, 1)
        elif merged.max_row >= at:
            merged.expand(down=1)
        ws.merge_cells(merged.coord)


def _insert_column(ws, at: int) -> None:
    ranges = [CellRange(m.coord) for m in ws.merged_cells.ranges]
    for merged in ranges:
        ws.unmerge_cells(merged.coord)
    ws.insert_cols(at)
    for merged in ranges:
        if merged.min_col >= at:
            merged.shift(1, 0)
        elif merged.max_col >= at:
            merged.expand(right=1)
        ws.merge_cells(merged.coord)


@pytest.mark.parametrize(("sheet", "path"), [("表三", ("requests", "granted", 0)), ("表二", ("active", "licensing"))])
def test_a_hidden_row_of_other_figures_is_not_read(sheet, path):
    """Last year's row kept hidden above this year's, under the same label: Excel shows only this year's."""
    truth = _truth(8)
    table, key, *rest = path
    figure = truth[table][key][rest[0]] if rest else truth[table][key]["decisions"]

    def edit(workbook):
        ws = workbook[sheet]
        at = _find(ws, figure).row
        _insert_row(ws, at)
        for column in range(1, ws.max_column + 1):
            below = ws.cell(at + 1, column)
            if not isinstance(below, openpyxl.cell.cell.MergedCell) and below.value is not None:
                ws.cell(at, column, below.value + 1 if isinstance(below.value, int) else below.value)
        ws.row_dimensions[at].hidden = True

    assert table_differences(truth, _edited(truth, edit)) == []


def _old_figures_column(ws) -> list:
    """A column B inserted before 表二's figures, holding each figure plus one (last year's): its cells."""
    _insert_column(ws, 2)
    return [ws.cell(r, 2, value + 1) for r in range(1, ws.max_row + 1) if isinstance(value := ws.cell(r, 3).value, int)]


def test_a_hidden_column_of_other_figures_is_not_read():
    truth = _truth(8)

    def edit(workbook):
        ws = workbook["表二"]
        _old_figures_column(ws)
        ws.column_dimensions["B"].hidden = True

    assert table_differences(truth, _edited(truth, edit)) == []


def test_a_hidden_sheet_is_not_read():
    workbook = openpyxl.Workbook()
    workbook.active.title = "年报"
    workbook.active.append(["行政许可", 12])
    old = workbook.create_sheet("旧表")
    old.append(["行政许可", 13])
    old.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    assert sheets.read(out.getvalue()).text == "年报\n行政许可 |12 |\n"


def test_a_formula_without_a_saved_result_is_not_read_as_zero():
    """A total written as =SUM(...) by a program that cannot calculate: Excel shows the sum, the file holds none."""
    truth = _truth(8)

    def edit(workbook):
        ws = workbook["表四"]
        cell = _find(ws, truth["review_litigation"]["review"][4])
        cell.value = f"=SUM(A{cell.row}:D{cell.row})"

    got = _edited(truth, edit)
    assert got["review_litigation"]["review"][4] is None
    assert [line for line in table_differences(truth, got) if "got None" not in line] == []


def test_a_number_is_read_as_its_format_shows_it():
    """8546.4 under "0" shows 8546; a fee of 6730.004 under "0.00" shows 6730."""
    truth = _truth(8)

    def edit(workbook):
        cell = _find(workbook["表三"], truth["requests"]["granted"][0])
        cell.value, cell.number_format = cell.value + 0.4, "0"
        fee = _find(workbook["表二"], truth["active"]["fees"]["amount_wan_yuan"])
        fee.value, fee.number_format = fee.value + 0.004, '#,##0.00"万元"'

    assert table_differences(truth, _edited(truth, edit)) == []


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (8546.4, "0", "8546"),
        (12.5, "0", "13"),
        (0.12345, "0.00", "0.12"),
        (1234567, "#,##0,", "1235"),
        (0.5, "0%", "50%"),
        (12, '#,##0"件"', "12"),
        (-5.26, "0.0;-0.0", "-5.3"),
        (-5, "0;(0)", "-5"),
        (0, '0;-0;"-"', "-"),  # what a zero shows: a placeholder
        (12, ";;;", ""),  # a number hidden by its format shows nothing
        (0, "0;-0;;@", ""),
        (12, 'General;-General;"-"', "12"),
        (1234.5678, "#,##0.00_);[Red](#,##0.00)", "1234.57"),
        (3.25, "General", "3.25"),
        (5.5, "[>100]0;0.0", "5.5"),
        (1.5, "# ?/?", "1.5"),
        (12.34, "0.0#", "12.34"),
    ],
)
def test_displayed_number(value, number_format, shown):
    assert sheets.displayed_number(value, number_format) == shown


def _sheet_with(cells_xml: str) -> bytes:
    """A workbook whose one sheet holds one row with the given <c> elements after the label 行政许可."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "年报"
    workbook.active["A1"] = "行政许可"
    out = io.BytesIO()
    workbook.save(out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                row = rb"(<row r=\"1\"[^>]*>.*?)</row>"
                content = re.sub(row, lambda m: m[1] + cells_xml.encode() + b"</row>", content)
            target.writestr(info, content)
    return patched.getvalue()


def test_a_formula_result_saved_as_empty_text_is_an_empty_cell():
    """=IF(...,"",...) showing nothing is saved as an empty text result: an empty cell, not a missing result."""
    data = _sheet_with('<c r="B1" t="str"><f>IF(C1=0,"",C1)</f><v></v></c><c r="C1"><f>1+1</f><v></v></c>')
    assert sheets.read(data).text == f"年报\n行政许可 | |{sheets.FORMULA_NOT_SAVED} |\n"
