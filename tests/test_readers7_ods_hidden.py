"""ODS red-teamed at the reader: hidden rows, columns and sheets, and numbers shown rounded."""

from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

from gongkai.parse import parse_bytes
from gongkai.proving.evaluate import table_differences
from gongkai.reading import sheets
from tests.test_readers7_docx import _truth
from tests.test_sheets import build_ods

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _t(tag: str) -> str:
    return f"{{{TABLE}}}{tag}"


def _o(tag: str) -> str:
    return f"{{{OFFICE}}}{tag}"


def _read(edit, seed: int = 9) -> tuple[dict, dict]:
    truth, data = _built(edit, seed)
    return truth, parse_bytes(data, "report.ods").to_json()


def _built(edit, seed: int = 9) -> tuple[dict, bytes]:
    truth = _truth(seed)
    archive = zipfile.ZipFile(io.BytesIO(build_ods(truth, seed)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename == "content.xml":
                root = etree.fromstring(content)
                edit(root, truth)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, content)
    return truth, out.getvalue()


def _cell(root, figure: int):
    return next(cell for cell in root.iter(_t("table-cell")) if cell.get(_o("value")) == str(figure))


def _older(element):
    """A copy holding last year's figures: each one more."""
    old = copy.deepcopy(element)
    for cell in old.iter(_t("table-cell")):
        if value := cell.get(_o("value")):
            cell.set(_o("value"), str(int(value) + 1))
    return old


def test_a_hidden_row_of_other_figures_is_not_read():
    for visibility in ("collapse", "filter"):

        def edit(root, truth, visibility=visibility):
            row = _cell(root, truth["active"]["licensing"]["decisions"]).getparent()
            old = _older(row)
            old.set(_t("visibility"), visibility)
            row.addprevious(old)

        truth, got = _read(edit)
        assert table_differences(truth, got) == [], visibility


def test_a_hidden_column_of_other_figures_is_not_read():
    """表二 with a hidden column of last year's figures before this year's."""

    def edit(root, truth):
        table = next(t for t in root.iter(_t("table")) if t.get(_t("name")) == "表二")
        for element in list(table):
            if element.tag == _t("table-column"):
                table.remove(element)
        columns = [etree.Element(_t("table-column")) for _ in range(3)]
        columns[1].set(_t("visibility"), "collapse")
        for k, column in enumerate(columns):
            table.insert(k, column)
        for row in table.iter(_t("table-row")):
            cells = [c for c in row if c.tag in (_t("table-cell"), _t("covered-table-cell"))]
            if len(cells) > 1 and cells[1].get(_o("value")):
                cells[1].addprevious(_older(cells[1]))
            elif len(cells) > 1:
                cells[1].addprevious(etree.Element(_t("table-cell")))
            elif cells and cells[0].get(_t("number-columns-spanned")):
                cells[0].addnext(etree.Element(_t("covered-table-cell")))

    truth, got = _read(edit)
    assert table_differences(truth, got) == []


def test_a_hidden_sheet_is_not_read():
    def edit(root, truth):
        tables = list(root.iter(_t("table")))
        old = _older(tables[1])
        old.set(_t("name"), "旧表三")
        old.set(_t("style-name"), "taHidden")
        styles = root.find(_o("automatic-styles"))
        style = etree.SubElement(styles, f"{{{STYLE}}}style", {f"{{{STYLE}}}name": "taHidden"})
        style.set(f"{{{STYLE}}}family", "table")
        etree.SubElement(style, f"{{{STYLE}}}table-properties", {_t("display"): "false"})
        tables[0].addprevious(old)

    truth, data = _built(edit)
    assert "旧表三" not in sheets.read(data, "ods").text
    assert table_differences(truth, parse_bytes(data, "report.ods").to_json()) == []


def test_a_number_is_read_as_the_cell_shows_it():
    """8546.4 stored, "8,546" shown (a format with no decimals): the report prints 8546."""

    def edit(root, truth):
        _cell(root, truth["requests"]["granted"][0]).set(_o("value"), f"{truth['requests']['granted'][0]}.4")

    truth, got = _read(edit)
    assert table_differences(truth, got) == []


def test_shown_number():
    shown = sheets._shown_number
    assert shown("8546.4", "8,546") == "8546"
    assert shown("8546.4", "8546,4") == "8546.4"  # a decimal comma
    assert shown("0.125", "0.13") == "0.13"
    assert shown("12", "12.00") == "12"
    assert shown("-5", "(5)") == "-5"
    assert shown("0", "-") == "0"
    assert shown("12000", "1.2E+04") == "12000"  # digits that match no rounding: the stored value
    assert shown("12", "12件") == "12"
