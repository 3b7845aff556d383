"""Spreadsheets (.xlsx, .ods) and ODF text documents (.odt): every table row as a row.

Each sheet is read in order, its name first as a line, then every row that holds
anything, one `row()` per sheet row.  A merged range is one cell: its top-left
cell carries the text and the cells it covers are skipped altogether (the table
fitter reads cells in reading order, so a repeated group label or a spurious
empty cell would shift what follows).  Empty cells inside a row are kept as
empty cells; empty cells at the end of a row are dropped.  What Excel does not
show is not read: hidden sheets, rows and columns (zero high or wide too), and
text in the colour of its ground (white on white, by its font or its number
format: a figure so hidden is noted, not read as 0).  A number is read as its
number format shows it (8546.4 under "0" is 8546), and a formula whose result
the file does not hold is printed as FORMULA_NOT_SAVED, not as an empty cell.

ODF likewise: hidden sheets (a table style with table:display="false"), rows and
columns (table:visibility collapse or filter) are not read, and a stored number
is rounded as the cell's text shows it.

Locations: {"sheet": name, "cell": "C5"}; in an .odt, {"paragraph": p} and
{"table": t, "row": r, "cell": c} as for Word documents.

The work is bounded: a sheet with more than MAX_CELLS non-empty cells or a row
reaching past MAX_COLUMNS is refused.  XLSX is streamed (openpyxl read-only
mode), so the limit is met before a large sheet is held in memory; merged
ranges, hidden rows and columns and formulas, which read-only mode does not
report, are read from the sheet's XML.
ODF content is parsed with defusedxml rather than odfpy's loader, which prints
a malformed part to stdout and carries on with an empty document.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from gongkai.errors import Corrupt, InputError, TooLarge, Unsupported
from gongkai.reading.document import Document, load_layout
from gongkai.reading.layout import LayoutBuilder, Location
from gongkai.reading.values import MERGED_ROWS_NOTE, NUMBER_TEXT, WHITE_NOTE, light_colour

MAX_CELLS = 100_000  # non-empty cells in one sheet: a report's tables have a few hundred
MAX_WORKBOOK_CELLS = 3 * MAX_CELLS
MAX_GRID = 10 * MAX_CELLS  # cells of the rows read, the empty ones between values included
MAX_COLUMNS = 2_000
MAX_ODF_CONTENT = 32 * 1024 * 1024  # content.xml is parsed whole: refuse it beyond this

# What a damaged workbook raises in openpyxl or the XML parsers (SyntaxError covers lxml's
# and ElementTree's parse errors, and InputError is a ValueError: it is re-raised first).
_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,
)
_XLSX_CORRUPT = ("Excel 文件已损坏，无法读取", "the Excel (.xlsx) file is corrupt and cannot be read")
_ODF_CORRUPT = ("OpenDocument 文件已损坏，无法读取", "the OpenDocument file is corrupt and cannot be read")


def read(data: bytes, kind: str = "xlsx") -> Document:
    """A Document from .xlsx or .ods/.odt bytes; `kind` is "ods" for any ODF file."""
    if kind == "ods":
        return _read_odf(data)
    return _read_xlsx(data, kind)


# ---------------------------------------------------------------------------
# Values and limits
# ---------------------------------------------------------------------------
def number_text(value: int | float | Decimal | str) -> str:
    """A number as a report prints it: 12 not 12.0, 20.3 not 20.300000000000001, never 1E+2."""
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite() or abs(number.adjusted()) > 40:
        return str(value)  # no number in a report has 40 digits; "1E+999999999" must not be written out
    text = format(number, "f")  # positional, whatever the exponent; no rounding to a context
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')  # quoted text, escapes, paddings, [colour]
_FORMAT_TEXT = re.compile(r'"([^"]*)"|\\(.)|_.|\*.|\[[^\]]*\]|@')  # shown text: quoted or escaped; the rest drops
_FORMAT_SECTIONS = re.compile(r'(?:"[^"]*"|\\.|[^;])+|(?<=;)(?=;|$)|^(?=;)')


def displayed_number(value: int | float | Decimal, number_format: str | None) -> str:
    """A number as its cell's number format shows it, as far as the digits go: 8546.4 under "0" is 8546, 0.12345
    under "0.00" 0.12, 1234567 under "#,##0," 1235, 0.5 under "0%" 50%, 0 under '0;-0;"-"' "-", 12 under ";;;"
    nothing.  Literal text beside digits ("件") is left out; a format this does not follow (fractions, exponents,
    conditions) leaves the stored value."""
    fmt = (number_format or "General").strip()
    if fmt.lower() in ("general", "@", ""):
        return number_text(value)
    sections = _FORMAT_SECTIONS.findall(fmt)
    if not sections or any(re.match(r"\[[<>=]", section.strip()) for section in sections):
        return number_text(value)  # conditional sections: which one shows is not read here
    number = Decimal(repr(value) if isinstance(value, float) else str(value))
    section = _section(number, sections)  # its sign (a minus, brackets) is kept as a minus
    negative, number = number < 0, abs(number)
    code = _FORMAT_LITERAL.sub("", section)
    if re.search(r"general", code, re.I) or re.search(r"[eE/]", code) or re.search(r"[ymdhs]", code, re.I):
        return number_text(value)
    if not re.search(r"[0#?]", code):
        # No digits shown: the section's text is what the cell shows ("-" for zero; nothing under ";;;").
        return _FORMAT_TEXT.sub(lambda m: m[1] or m[2] or "", section).strip()
    digits = re.search(r"[0#?][0#?,.]*", code)
    body = digits[0] if digits else ""
    scaled = len(body) - len(body.rstrip(","))  # each comma after the last digit divides by 1,000
    decimals = len(re.sub(r"[^0#?]", "", body.rstrip(",").partition(".")[2]))
    percent = code.count("%")
    number = number.scaleb(2 * percent - 3 * scaled)
    try:
        rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return number_text(value)
    text = number_text(rounded)
    return ("-" if negative and text != "0" else "") + text + "%" * percent


def _section(number: Decimal, sections: list[str]) -> str:
    """The section of a number format that shows `number`: negative numbers have the second if there is one, zero
    the third."""
    return sections[1 if number < 0 and len(sections) > 1 else 2 if number == 0 and len(sections) > 2 else 0]


_FORMAT_COLOUR = re.compile(r"\[(black|white|red|green|blue|yellow|magenta|cyan|colou?r\s*\d+)\]", re.I)
_FORMAT_WHITE = ("white", "color2", "colour2")  # [Color2] is the palette's white


def format_colour(value: int | float | Decimal, number_format: str | None) -> str | None:
    """The colour a number format paints `value` in ("white", "red", "color2"…), or None when it names none."""
    fmt = (number_format or "").strip()
    if "[" not in fmt:
        return None
    sections = _FORMAT_SECTIONS.findall(fmt)
    if not sections:
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        return None
    code = re.sub(r'"[^"]*"|\\.', "", _section(number, sections))
    match = _FORMAT_COLOUR.search(code)
    return re.sub(r"\s+", "", match[1]).lower() if match else None


def shown_in_white(value: int | float | Decimal, number_format: str | None) -> bool:
    """Whether a number format paints `value` white ('0;[White]-0' hides negative numbers on a white sheet)."""
    return format_colour(value, number_format) in _FORMAT_WHITE


def value_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Budget:
    """Counts the cells read and refuses a sheet (or workbook) past the limits."""

    def __init__(self) -> None:
        self.workbook = 0
        self.sheet = 0
        self.grid = 0  # cells emitted, empty ones inside rows included
        self.name = ""

    def start(self, name: str) -> None:
        self.name, self.sheet, self.grid = name, 0, 0

    def add(self, non_empty: int, width: int, rows: int = 1) -> None:
        """Account for `rows` rows of `width` cells, `non_empty` of them with text."""
        if width > MAX_COLUMNS:
            raise TooLarge(
                f"工作表“{self.name}”超过 {MAX_COLUMNS} 列，不像年报表格，已拒绝",
                f"sheet {self.name!r} reaches column {width} (limit {MAX_COLUMNS})",
            )
        self.sheet += non_empty * rows
        self.workbook += non_empty * rows
        self.grid += width * rows
        if self.sheet > MAX_CELLS or self.grid > MAX_GRID:
            raise TooLarge(
                f"工作表“{self.name}”的非空单元格超过 {MAX_CELLS:,} 个，不像年报表格，已拒绝",
                f"sheet {self.name!r} has more than {MAX_CELLS} non-empty cells (or {MAX_GRID} cells in rows)",
            )
        if self.workbook > MAX_WORKBOOK_CELLS:
            raise TooLarge(
                f"文件的非空单元格超过 {MAX_WORKBOOK_CELLS:,} 个，不像年报表格，已拒绝",
                f"more than {MAX_WORKBOOK_CELLS} non-empty cells in all sheets",
            )


def _trim(cells: list[tuple[str, Location]]) -> list[tuple[str, Location]]:
    """Drop the empty cells at the end of a row (a fully empty row becomes [])."""
    end = len(cells)
    while end and not cells[end - 1][0].strip():
        end -= 1
    return cells[:end]


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MERGE_CELL, _SHEET_DATA, _SHEET_FORMAT_PR, _ROW, _COL, _C, _F, _V = (
    f"{{{_SHEET_NS}}}{x}" for x in ("mergeCell", "sheetData", "sheetFormatPr", "row", "col", "c", "f", "v")
)


def _read_xlsx(data: bytes, kind: str) -> Document:
    import openpyxl

    out = LayoutBuilder()
    try:
        # openpyxl warns about features it skips ("extension is not supported"): nothing for a user.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            archive = zipfile.ZipFile(io.BytesIO(data))
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            title = (workbook.properties.title or "").strip() or None
            _read_worksheets(workbook, archive, out)
            workbook.close()
    except InputError:
        raise
    except _DAMAGE as exc:
        if isinstance(exc, DefusedXmlException):
            raise InputError("Excel 文件含有不安全的 XML 内容，已拒绝", f"unsafe XML in the workbook: {exc}") from None
        raise Corrupt(*_XLSX_CORRUPT) from None
    text, locator = out.build()
    return load_layout(text, locator, kind=kind, title=title)


def _read_worksheets(workbook, archive: zipfile.ZipFile, out: LayoutBuilder) -> None:
    paths = _sheet_paths(archive)
    budget = _Budget()
    for ws in workbook.worksheets:
        name = ws.title
        if ws.sheet_state != "visible":
            continue  # a hidden sheet (an old copy, a work sheet) is not part of what the workbook shows
        budget.start(name)
        # What the cells' values do not tell, from the sheet's XML (streamed, its rows not kept).
        marks = _SheetMarks(archive, paths.get(name))
        rows: list[tuple[int, list[str]]] = []
        ws.reset_dimensions()  # the declared dimension may be wrong: read rows as they are
        for r, row in enumerate(ws.iter_rows(), 1):
            if r in marks.hidden_rows:
                continue
            texts = [_xlsx_cell_text(cell, c, r, marks) for c, cell in enumerate(row, 1)]
            last = len(texts)
            while last and not texts[last - 1].strip():
                last -= 1
            if last:  # else a fully empty row
                budget.add(sum(1 for text in texts[:last] if text.strip()), last)
                rows.append((r, texts[:last]))
        merges = _Merges(marks.merges)
        out.line(name, {"sheet": name})
        for r, texts in rows:
            covered = merges.row(r)
            cells = [
                (merges.noted(c, r, text), {"sheet": name, "cell": f"{column_letter(c)}{r}"})
                for c, text in enumerate(texts, 1)
                if not covered(c) and marks.column_shown(c)
            ]
            if cells := _trim(cells):
                out.row(cells)


# Printed in place of a formula whose result the file does not hold (saved by a program that cannot calculate):
# Excel shows the result, we cannot, and an empty cell would be read as 0.
FORMULA_NOT_SAVED = "（公式结果未保存）"


def _xlsx_cell_text(cell, c: int, r: int, marks: _SheetMarks) -> str:
    value = cell.value
    if value is None:
        return FORMULA_NOT_SAVED if (c, r) in marks.formulas else ""
    colour = None  # the colour the number format paints the value in, when it names one
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number_format = getattr(cell, "number_format", None)
        text = displayed_number(value, number_format)
        colour = format_colour(value, number_format)
    else:
        text = value_text(value)
    if text.strip() and _unseen(cell, colour):
        # Text in the colour of its ground shows nothing; a figure is noted rather than dropped: the cell is there,
        # empty to the eye, and an empty cell would be read as 0.
        return text + WHITE_NOTE if any(ch.isdigit() for ch in text) else ""
    return text


_PALETTE_WHITE = (1, 9)  # the white entries of Excel's legacy colour palette


def _rgb(colour) -> str | None:
    """An openpyxl colour as RRGGBB, when it names one this can tell: an RGB value, the legacy palette, or theme
    colour 0 untinted (Excel's "white, background 1": theme indexes 0 and 1 are the light and dark first colours)."""
    kind = getattr(colour, "type", None)
    if kind == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) in (6, 8):
        return colour.rgb[-6:].upper()
    if kind == "indexed" and isinstance(colour.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX

        return (
            "FFFFFF"
            if colour.indexed in _PALETTE_WHITE
            else COLOR_INDEX[colour.indexed][-6:]
            if colour.indexed < 64
            else None
        )
    if kind == "theme" and colour.theme == 0 and not colour.tint:
        return "FFFFFF"
    return None


def _unseen(cell, format_colour_name: str | None) -> bool:
    """Whether a cell's text is painted in the colour of what lies behind it: white on no fill or a white one, or
    the very colour of its fill.  A colour this cannot tell (a theme's, a pattern, a gradient) counts as seen."""
    if format_colour_name is not None:
        text = "FFFFFF" if format_colour_name in _FORMAT_WHITE else None
    else:
        font = getattr(cell, "font", None)
        text = _rgb(getattr(font, "color", None))
    if text is None:
        return False
    fill = getattr(cell, "fill", None)
    if fill is not None and getattr(fill, "tagname", None) != "patternFill":
        return False  # a gradient
    pattern = getattr(fill, "patternType", None)
    if pattern in (None, "none"):
        ground = "FFFFFF"
    elif pattern == "solid":
        ground = _rgb(fill.fgColor)
    else:
        return False
    return ground is not None and (text == ground or (light_colour(text) and light_colour(ground)))


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part, from the workbook and its relationships."""
    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
    paths = {}
    for sheet in workbook.iter(f"{{{_SHEET_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        paths[sheet.get("name", "")] = path
    return paths


def _true(value: str | None) -> bool:
    return value in ("1", "true")


def _zero(value: str | None) -> bool:
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False


class _SheetMarks:
    """Read from a sheet's XML without keeping its rows: merged ranges ((min_col, min_row, max_col, max_row)),
    hidden rows and columns (hidden, or zero high or wide: Excel does not show them), and formula cells whose
    result was not saved ((column, row))."""

    def __init__(self, archive: zipfile.ZipFile, path: str | None) -> None:
        from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

        self.merges: list[tuple[int, int, int, int]] = []
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()
        self.formulas: set[tuple[int, int]] = set()
        self.widened: set[int] | None = None  # with a default column width of 0: the columns given a width
        if path is None or path not in archive.namelist():
            return
        sheet_data = None
        with archive.open(path) as source:
            for event, element in iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == _SHEET_DATA:
                        sheet_data = element
                elif tag == _MERGE_CELL and element.get("ref"):
                    self.merges.append(range_boundaries(element.get("ref")))
                elif tag == _SHEET_FORMAT_PR and _zero(element.get("defaultColWidth")):
                    self.widened = set()  # columns are of no width unless a <col> widens them
                elif tag == _COL:
                    first, last = int(element.get("min", "0")), int(element.get("max", "0"))
                    if 0 < first <= last <= MAX_COLUMNS:
                        hidden = _true(element.get("hidden")) or _zero(element.get("width"))
                        if hidden:
                            self.hidden_columns.update(range(first, last + 1))
                        elif self.widened is not None:
                            self.widened.update(range(first, last + 1))
                elif tag == _ROW:
                    # A custom height of zero, or none given (Excel then draws the row with no height), hides a row.
                    hidden = _true(element.get("hidden")) or (
                        _true(element.get("customHeight")) and (element.get("ht") is None or _zero(element.get("ht")))
                    )
                    if hidden and (element.get("r") or "").isdigit() and element.find(_C) is not None:
                        self.hidden_rows.add(int(element.get("r")))  # an empty hidden row matters not: not kept
                    for cell in element.iter(_C):
                        formula, value = cell.find(_F), cell.find(_V)
                        # No result, or an empty one not typed as text (an =IF(...,"",...) that shows nothing).
                        unsaved = value is None or (not (value.text or "").strip() and cell.get("t") != "str")
                        if formula is not None and unsaved and cell.get("r"):
                            column, row = coordinate_to_tuple(cell.get("r"))[::-1]
                            self.formulas.add((column, row))
                    if len(self.formulas) > MAX_CELLS:
                        raise TooLarge(
                            f"工作表中未保存结果的公式超过 {MAX_CELLS:,} 个，不像年报表格，已拒绝",
                            f"sheet {path} has more than {MAX_CELLS} formulas without results",
                        )
                    if sheet_data is not None:
                        sheet_data.clear()  # rows are not wanted here: keep memory flat

    def column_shown(self, c: int) -> bool:
        return c not in self.hidden_columns and (self.widened is None or c in self.widened)


class _Merges:
    """Merged ranges (min_col, min_row, max_col, max_row): which cells of a row they cover.

    Rows are asked for in increasing order, so only the ranges spanning the current row are scanned.
    """

    def __init__(self, ranges: Iterable[tuple[int, int, int, int]]) -> None:
        # Single cells "merged" with themselves cover nothing.
        self.pending = sorted((b for b in ranges if b[0] != b[2] or b[1] != b[3]), key=lambda b: -b[1])
        self.active: list[tuple[int, int, int, int]] = []

    def row(self, r: int) -> Callable[[int], bool]:
        while self.pending and self.pending[-1][1] <= r:
            self.active.append(self.pending.pop())
        self.active = [b for b in self.active if b[3] >= r]
        active = self.active
        if not active:
            return lambda c: False
        return lambda c: any(b[0] <= c <= b[2] and (c, r) != (b[0], b[1]) for b in active)

    def noted(self, c: int, r: int, text: str) -> str:
        """A number in a range merged down over several rows, with the note that makes it no one row's (as a web
        page's rowspan); any other text as it is.  Asked after `row(r)`."""
        down = any((b[0], b[1]) == (c, r) and b[3] > b[1] for b in self.active)
        return text + MERGED_ROWS_NOTE if down and NUMBER_TEXT.fullmatch(text.strip()) else text


# ---------------------------------------------------------------------------
# ODF (.ods spreadsheets, .odt text documents)
# ---------------------------------------------------------------------------
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
T_TABLE, T_ROW, T_CELL, T_COVERED, T_COLUMN = (
    f"{{{_TABLE}}}{x}" for x in ("table", "table-row", "table-cell", "covered-table-cell", "table-column")
)
_COLUMN_GROUPS = {f"{{{_TABLE}}}{x}" for x in ("table-columns", "table-column-group", "table-header-columns")}
_HIDDEN_VISIBILITY = ("collapse", "filter")  # rows and columns hidden by hand or by a filter
# Containers of rows: header rows, row groups.
_ROW_GROUPS = {f"{{{_TABLE}}}{x}" for x in ("table-header-rows", "table-rows", "table-row-group")}
X_P, X_H, X_S, X_TAB, X_BREAK = (f"{{{_TEXT}}}{x}" for x in ("p", "h", "s", "tab", "line-break"))
# Text a reader does not see in the body: comments, notes, deleted text kept for change tracking.
_HIDDEN = {
    f"{{{_OFFICE}}}annotation",
    f"{{{_OFFICE}}}annotation-end",
    f"{{{_TEXT}}}note",
    f"{{{_TEXT}}}tracked-changes",
    f"{{{_TEXT}}}sequence-decls",
    f"{{{_OFFICE}}}forms",
}
_SPREADSHEET = "application/vnd.oasis.opendocument.spreadsheet"
_TEXT_DOCUMENT = "application/vnd.oasis.opendocument.text"


def _read_odf(data: bytes) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        if not mimetype.startswith((_SPREADSHEET, _TEXT_DOCUMENT)):
            raise Unsupported(
                "只能读取 OpenDocument 表格（.ods）和文本（.odt）文件",
                f"OpenDocument type {mimetype!r} is not a spreadsheet or text document",
            )
        if archive.getinfo("content.xml").file_size > MAX_ODF_CONTENT:
            raise TooLarge(
                f"OpenDocument 文件内容过大（超过 {MAX_ODF_CONTENT // 1024 // 1024} MB），已拒绝",
                f"content.xml over {MAX_ODF_CONTENT} bytes",
            )
        content = fromstring(archive.read("content.xml"))
        title = _odf_title(archive)
    except InputError:
        raise
    except DefusedXmlException as exc:
        raise InputError("文件含有不安全的 XML 内容，已拒绝", f"unsafe XML in the OpenDocument file: {exc}") from None
    except _DAMAGE:
        raise Corrupt(*_ODF_CORRUPT) from None
    out = LayoutBuilder()
    body = content.find(f"{{{_OFFICE}}}body")
    if body is None:
        raise Corrupt(*_ODF_CORRUPT)
    spreadsheet = body.find(f"{{{_OFFICE}}}spreadsheet")
    kind = "ods" if spreadsheet is not None else "odt"
    try:
        if spreadsheet is not None:
            _read_spreadsheet(spreadsheet, out, _hidden_table_styles(content))
        else:
            office_text = body.find(f"{{{_OFFICE}}}text")
            _OdtWalker(out).blocks(office_text if office_text is not None else body)
    except RecursionError:  # the XML parser sets no depth limit; a real document nests a few levels
        raise TooLarge("文件结构嵌套过深，疑似恶意文件，已拒绝", "ODF content nested too deeply") from None
    text, locator = out.build()
    return load_layout(text, locator, kind=kind, title=title)


def _odf_title(archive: zipfile.ZipFile) -> str | None:
    if "meta.xml" not in archive.namelist():
        return None
    meta = fromstring(archive.read("meta.xml"))
    element = meta.find(f".//{{{_DC}}}title")
    return (element.text or "").strip() or None if element is not None else None


def _odf_text(element: Element) -> str:
    """A cell's or paragraph's text: paragraphs one per line, text:s as spaces."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        for child in node:
            tag = child.tag
            if tag in _HIDDEN:
                pass
            elif tag == X_S:
                count = child.get(f"{{{_TEXT}}}c", "1")
                parts.append(" " * (min(int(count), 100) if count.isdigit() else 1))
            elif tag == X_TAB:
                parts.append(" ")
            elif tag == X_BREAK:
                parts.append("\n")
            elif tag in (X_P, X_H):
                if parts:
                    parts.append("\n")
                parts.append(child.text or "")
                walk(child)
            else:
                parts.append(child.text or "")
                walk(child)
            parts.append(child.tail or "")

    if element.tag in (X_P, X_H):
        parts.append(element.text or "")
    walk(element)
    return "".join(parts)


def _odf_value(cell: Element) -> str:
    """The cell's value: the stored number or date when there is one, else its text."""
    value_type = cell.get(f"{{{_OFFICE}}}value-type")
    if value_type in ("float", "currency"):  # a percentage is printed as such: 50%, not 0.5
        value = cell.get(f"{{{_OFFICE}}}value")
        if value is not None:
            return _shown_number(value, _odf_text(cell))
    elif value_type == "date" and cell.get(f"{{{_OFFICE}}}date-value"):
        return cell.get(f"{{{_OFFICE}}}date-value", "")
    return _odf_text(cell)


def _shown_number(value: str, shown: str) -> str:
    """The stored number rounded as the cell shows it: 8546.4 shown "8,546" is 8546.  The places are found by
    matching the digits shown, whatever the separators; when none match (a fraction, an exponent) the stored value."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return number_text(value)
    digits = "".join(ch for ch in shown if ch.isascii() and ch.isdigit()).lstrip("0") or "0"
    if not number.is_finite() or not any(ch.isdigit() for ch in shown) or abs(number.adjusted()) > 40:
        return number_text(value)
    for places in range(16):
        rounded = abs(number).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if (format(rounded, "f").replace(".", "").lstrip("0") or "0") == digits:
            return ("-" if number < 0 and rounded else "") + number_text(rounded)
    return number_text(value)


def _hidden_columns(table: Element) -> set[int]:
    """Columns a table hides (table:visibility collapse or filter), from its column definitions."""
    hidden: set[int] = set()
    c = 1

    def walk(parent: Element) -> None:
        nonlocal c
        for child in parent:
            if c > MAX_COLUMNS:
                return
            if child.tag == T_COLUMN:
                count = min(_repeat(child, "number-columns-repeated"), MAX_COLUMNS)
                if child.get(f"{{{_TABLE}}}visibility", "visible") in _HIDDEN_VISIBILITY:
                    hidden.update(range(c, min(c + count, MAX_COLUMNS + 1)))
                c += count
            elif child.tag in _COLUMN_GROUPS:
                walk(child)

    walk(table)
    return hidden


def _odf_rows(table: Element) -> Iterator[Element]:
    for child in table:
        if child.tag == T_ROW:
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _odf_rows(child)


def _repeat(element: Element, attribute: str) -> int:
    try:
        return max(1, int(element.get(f"{{{_TABLE}}}{attribute}", "1")))
    except ValueError:
        return 1


def _odf_table(table: Element, out: LayoutBuilder, budget: _Budget, where: Callable[[int, int], Location]) -> None:
    """Emit the rows of an ODF table; repeated rows and cells are expanded only up to their last text."""
    r = 0
    hidden = _hidden_columns(table)
    for row in _odf_rows(table):
        rows = _repeat(row, "number-rows-repeated")
        if row.get(f"{{{_TABLE}}}visibility", "visible") in _HIDDEN_VISIBILITY:
            r += rows  # not shown (last year's figures kept hidden above this year's): not read
            continue
        runs: list[tuple[int, int, str | None]] = []  # (first column, count, text or None when covered)
        c = 1
        last = 0  # last column holding text
        for cell in row:
            if cell.tag not in (T_CELL, T_COVERED):
                continue
            count = _repeat(cell, "number-columns-repeated")
            text = _odf_value(cell) if cell.tag == T_CELL else None
            if text and _repeat(cell, "number-rows-spanned") > 1 and NUMBER_TEXT.fullmatch(text.strip()):
                text += MERGED_ROWS_NOTE  # a number merged down over rows is no one row's (as XLSX's merged range)
            runs.append((c, count, text))
            if text and text.strip():
                last = c + count - 1
            c += count
        if last:
            budget.add(sum(min(n, last - first + 1) for first, n, text in runs if text and text.strip()), last, rows)
            for i in range(rows):
                cells = [
                    (text, where(r + i + 1, first + k))
                    for first, n, text in runs
                    if text is not None and first <= last
                    for k in range(min(n, last - first + 1))
                    if first + k not in hidden
                ]
                out.row(_trim(cells))
        r += rows  # an empty row, however often repeated, costs nothing


def _hidden_table_styles(content: Element) -> set[str]:
    """Names of the table styles that hide a sheet (table:display="false")."""
    styles = content.find(f"{{{_OFFICE}}}automatic-styles")
    return {
        style.get(f"{{{_STYLE}}}name", "")
        for style in (styles if styles is not None else ())
        if style.tag == f"{{{_STYLE}}}style"
        and any(props.get(f"{{{_TABLE}}}display") == "false" for props in style.iter(f"{{{_STYLE}}}table-properties"))
    }


def _read_spreadsheet(spreadsheet: Element, out: LayoutBuilder, hidden_styles: set[str] = frozenset()) -> None:
    budget = _Budget()
    for table in spreadsheet:
        if table.tag != T_TABLE or table.get(f"{{{_TABLE}}}style-name") in hidden_styles:
            continue  # a hidden sheet (an old copy, a work sheet) is not part of what the document shows
        name = table.get(f"{{{_TABLE}}}name", "")
        budget.start(name)
        out.line(name, {"sheet": name})
        _odf_table(table, out, budget, lambda r, c, name=name: {"sheet": name, "cell": f"{column_letter(c)}{r}"})


class _OdtWalker:
    """An .odt body in document order: paragraphs and headings as lines, tables as rows."""

    def __init__(self, out: LayoutBuilder) -> None:
        self.out = out
        self.budget = _Budget()
        self.paragraphs = 0
        self.tables = 0

    def blocks(self, parent: Element) -> None:
        for child in parent:
            if child.tag in (X_P, X_H):
                self.paragraphs += 1
                self.out.line(_odf_text(child), {"paragraph": self.paragraphs})
            elif child.tag == T_TABLE:
                self.tables += 1
                t = self.tables
                self.budget.start(child.get(f"{{{_TABLE}}}name", f"表格{t}"))
                _odf_table(child, self.out, self.budget, lambda r, c, t=t: {"table": t, "row": r, "cell": c})
            elif child.tag not in _HIDDEN:
                self.blocks(child)  # lists, sections, frames
