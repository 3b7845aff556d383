"""ODS: a number in a cell merged down over several rows (table:number-rows-spanned) is no one row's."""

from __future__ import annotations

import io

from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

from gongkai.parse import parse_bytes
from gongkai.reading import sheets
from gongkai.reading.values import MERGED_ROWS_NOTE
from tests.test_bare_rows import MERGED_SHEET_ROWS


def _cell(value) -> TableCell:
    if isinstance(value, int):
        cell = TableCell(valuetype="float", value=str(value))
        cell.addElement(P(text=str(value)))
    else:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
    return cell


def _table(merged: bool) -> Table:
    table = Table(name="年报")
    for r, values in enumerate(MERGED_SHEET_ROWS):
        row = TableRow()
        for value in values:
            if value is None:
                row.addElement(CoveredTableCell() if merged else TableCell())
                continue
            cell = _cell(value)
            if merged and r == 4 and isinstance(value, int):
                cell.setAttribute("numberrowsspanned", 2)  # one figure for 行政处罚 and 行政强制
            row.addElement(cell)
        table.addElement(row)
    return table


def _ods(merged: bool = True) -> bytes:
    document = OpenDocumentSpreadsheet()
    document.spreadsheet.addElement(_table(merged))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def test_a_number_merged_over_rows_in_an_ods_sheet_is_no_rows():
    active = parse_bytes(_ods(), "report.ods").to_json()["active"]
    assert active["punishment"] == {"decisions": None}
    assert active["enforcement"] == {"decisions": None}


def test_the_same_number_in_one_row_is_that_rows():
    active = parse_bytes(_ods(merged=False), "report.ods").to_json()["active"]
    assert active["punishment"] == {"decisions": 656}


def test_a_number_merged_over_rows_in_an_odt_table_is_noted():
    document = OpenDocumentText()
    document.text.addElement(_table(merged=True))
    out = io.BytesIO()
    document.write(out)
    text = sheets.read(out.getvalue(), "ods").text
    assert "656" + MERGED_ROWS_NOTE in text
