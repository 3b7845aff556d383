"""Excel workbooks red-teamed at the reader, round 8: figures hidden by their colour, rows hidden by default,
columns of no width, phonetic runs of shared strings."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
from openpyxl.styles import Font, PatternFill

from gongkai.proving.evaluate import table_differences
from gongkai.reading import sheets
from tests.test_readers7_docx import _truth, _unread_only
from tests.test_readers7_xlsx import _edited, _find, _old_figures_column


def test_a_figure_in_white_is_not_read():
    """A figure in white on a cell without fill shows nothing: neither the figure nor a blank 0 is read."""
    truth = _truth(8)

    def edit(workbook):
        _find(workbook["表三"], truth["requests"]["granted"][0]).font = Font(color="FFFFFFFF")

    _unread_only(truth, _edited(truth, edit), ("requests", "granted", 0))


def test_a_figure_in_the_theme_background_colour_is_not_read():
    """Excel's "white, background 1" is theme colour 0."""
    truth = _truth(8)

    def edit(workbook):
        cell = _find(workbook["表三"], truth["requests"]["granted"][0])
        cell.font = Font(color=openpyxl.styles.colors.Color(theme=0))

    _unread_only(truth, _edited(truth, edit), ("requests", "granted", 0))


def test_a_column_of_old_figures_in_white_is_not_read_into_the_row():
    """Last year's figures kept in a column of white text: the row is not read with them as its values."""
    truth = _truth(8)

    def edit(workbook):
        for cell in _old_figures_column(workbook["表二"]):
            cell.font = Font(color="FFFFFF")

    got = _edited(truth, edit)
    assert [line for line in table_differences(truth, got) if "got None" not in line] == []


def test_a_figure_in_white_on_a_dark_fill_is_read():
    truth = _truth(8)

    def edit(workbook):
        cell = _find(workbook["表三"], truth["requests"]["granted"][0])
        cell.font = Font(color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")

    assert table_differences(truth, _edited(truth, edit)) == []


def test_a_figure_in_the_colour_of_its_fill_is_not_read():
    truth = _truth(8)

    def edit(workbook):
        cell = _find(workbook["表三"], truth["requests"]["granted"][0])
        cell.font = Font(color="FFFFFF00")
        cell.fill = PatternFill("solid", fgColor="FFFFFF00")

    _unread_only(truth, _edited(truth, edit), ("requests", "granted", 0))


def test_a_figure_whose_format_paints_it_white_is_not_read():
    """'[White]0': the number format's colour, not the font's."""
    truth = _truth(8)

    def edit(workbook):
        _find(workbook["表三"], truth["requests"]["granted"][0]).number_format = "[White]0"

    _unread_only(truth, _edited(truth, edit), ("requests", "granted", 0))


def test_a_format_painting_other_sections_white_leaves_this_one_seen():
    assert sheets.shown_in_white(12, "0;[White]-0") is False
    assert sheets.shown_in_white(-12, "0;[White]-0") is True
    assert sheets.shown_in_white(0, '[Red]0;-0;[White]"-"') is True
    assert sheets.shown_in_white(5, "[Color2]0") is True
    assert sheets.shown_in_white(5, '"[White]"0') is False


def _patched(data: bytes, name: str, edit) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in archive.infolist():
            content = archive.read(info)
            target.writestr(info, edit(content) if info.filename == name else content)
    return out.getvalue()


def _workbook(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "年报"
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_rows_of_a_sheet_hidden_by_default_are_read_when_written():
    """sheetFormatPr zeroHeight="1" hides the rows the sheet does not write (Excel's way of hiding all the empty
    rows below a table); a row written with its cells is shown, as XlsxWriter's hide_unused_rows relies on."""
    data = _workbook([["行政许可", 12], ["行政处罚", 7]])
    data = _patched(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"<sheetFormatPr ", b'<sheetFormatPr zeroHeight="1" ', xml),
    )
    assert b'zeroHeight="1"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert sheets.read(data).text == "年报\n行政许可 |12 |\n行政处罚 |7 |\n"


def test_a_row_of_custom_height_without_a_height_is_hidden():
    """customHeight="1" with no ht: Excel draws the row with no height (not shown)."""
    data = _patched(
        _workbook([["行政许可", 13], ["行政许可", 12]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<row r="1"', b'<row r="1" customHeight="1"'),
    )
    assert sheets.read(data).text == "年报\n行政许可 |12 |\n"


def test_columns_of_no_default_width_are_hidden():
    """sheetFormatPr defaultColWidth="0": a column the sheet does not widen has no width (not shown)."""

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb"<sheetFormatPr ", b'<sheetFormatPr defaultColWidth="0" ', xml)
        return xml.replace(
            b"<sheetData>",
            b'<cols><col min="1" max="1" width="12" customWidth="1"/>'
            b'<col min="3" max="3" width="9" customWidth="1"/></cols><sheetData>',
        )

    data = _patched(_workbook([["行政许可", 13, 12]]), "xl/worksheets/sheet1.xml", edit)
    assert sheets.read(data).text == "年报\n行政许可 |12 |\n"


def test_a_phonetic_run_of_a_shared_string_is_not_read():
    """A shared string's rPh (a reading guide, shown above the text when asked) is not part of its text."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "年报"
    workbook.active["A1"] = "行政许可"
    workbook.active["B1"] = "十二"
    out = io.BytesIO()
    workbook.save(out)
    shared = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
        b"<si><t>\xe8\xa1\x8c\xe6\x94\xbf\xe8\xae\xb8\xe5\x8f\xaf</t></si>"
        b'<si><t>12</t><rPh sb="0" eb="2"><t>34</t></rPh><phoneticPr fontId="1"/></si></sst>'
    )

    def sheet(xml: bytes) -> bytes:
        return re.sub(
            rb'<c r="B1"[^>]*>.*?</c>',
            b'<c r="B1" t="s"><v>1</v></c>',
            re.sub(rb'<c r="A1"[^>]*>.*?</c>', b'<c r="A1" t="s"><v>0</v></c>', xml),
        )

    data = _patched(out.getvalue(), "xl/worksheets/sheet1.xml", sheet)
    archive = zipfile.ZipFile(io.BytesIO(data))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for info in archive.infolist():
            target.writestr(info, archive.read(info))
        if "xl/sharedStrings.xml" not in archive.namelist():
            target.writestr("xl/sharedStrings.xml", shared)
    data = patched.getvalue()
    data = _patched(
        data,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
            b'.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    data = _patched(
        data,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        ),
    )
    assert sheets.read(data).text == "年报\n行政许可 |12 |\n"
