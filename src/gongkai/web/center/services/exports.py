"""Exports with the current (corrected) values: CSV and XLSX (one row per report × cell, and the official
layout), JSON (v1 documents) and SQLite (for Datasette).

A set is read a chunk of reports at a time in a fixed number of queries per chunk and written as it is read:
CSV and JSON as a stream of text, XLSX (write-only) and SQLite into a file. Every value written to a
spreadsheet goes through `csv_row` or `xlsx_value`: the text comes from uploaded documents and must never
run as a formula."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import IO

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from gongkai.web.center.models import Agency, Cell, Correction, Report
from gongkai.web.center.services.documents import current_document, number
from gongkai.web.center.services.layout import place, tables

COLUMNS = [
    ("report_id", "年报编号"),
    ("agency", "机关"),
    ("division_code", "行政区划代码"),
    ("year", "年度"),
    ("format", "格式"),
    ("path", "单元格"),
    ("label", "名称"),
    ("value", "数值（含更正）"),
    ("extracted", "原文提取值"),
    ("corrected", "已更正"),
    ("kind", "类型"),
    ("raw", "原文"),
    ("line", "原文行号"),
    ("start", "原文起始位置"),
    ("end", "原文结束位置"),
]
LAYOUT_SHEET_LIMIT = 50  # beyond this, a workbook for a set keeps only the long table
CHUNK_SIZE = 50  # reports (with their cells) held in memory at once while a set is written

# A spreadsheet program runs a CSV field starting with one of these as a formula; a signed number, or a sign
# alone (the placeholder "-"), it reads as a number or as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-](\d[\d,]*(\.\d+)?%?)?")


def csv_row(values: Iterable) -> list:
    """CSV fields that a spreadsheet program shows and never runs: text that would start a formula gets a
    leading apostrophe. Numbers, and text that is only a signed number (a printed "-3") or the placeholder
    "-", stay as they are."""
    return [
        "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) and not _SIGNED_NUMBER.fullmatch(v) else v
        for v in values
    ]


def xlsx_value(ws, value, **style):
    """A value for a write-only sheet, with `style` (font=…, fill=…) when given. Text is always stored as
    text: openpyxl would store a str starting with "=" as a formula and "#N/A" as an error value. Control
    characters, which a worksheet cannot hold (openpyxl refuses them), become U+FFFD."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if not style:
        if value == "":
            return None  # a blank rather than an empty cell: a fifth less to write in the long table
        if not (isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES)):
            return value
    cell = WriteOnlyCell(ws, value)
    if isinstance(value, str):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


# What the writers read of a cell, as plain rows: a set holds hundreds of thousands of cells, and as model
# instances they take longer to build and, held for a chunk, keep the garbage collector busy.
_CELL_FIELDS = ("report_id", "path", "label", "kind", "raw", "extracted", "value", "corrected", "evidence")


def prefetched(reports: QuerySet[Report], fmt: str) -> Iterator[Report]:
    """The reports with what the writer of `fmt` reads, a chunk at a time: per chunk one query for the reports
    (with agency and document) and one for each related set; the cells as `report.export_cells`, in the
    order the parser found them. Each report is to be written before the next one is asked for."""
    if fmt == "json":  # what current_document reads
        related = [
            "finding_rows",
            Prefetch("cell_rows", Cell.objects.filter(corrected=True), to_attr="corrected_cells"),
            Prefetch("corrections", Correction.objects.select_related("cell", "user"), to_attr="correction_list"),
        ]
    elif fmt == "sqlite":
        related = ["finding_rows", Prefetch("corrections", Correction.objects.select_related("cell", "user"))]
    else:
        related = []
    unread = ["document__source_text", "document__rendered_text"] + ([] if fmt == "json" else ["parsed"])
    rows = (
        reports.select_related("agency", "document")
        .defer(None)
        .defer(*unread)
        .prefetch_related(*related)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    while chunk := list(islice(rows, CHUNK_SIZE)):
        cells: dict[int, list] = defaultdict(list)
        if fmt != "json":
            chunk_cells = Cell.objects.filter(report__in=chunk).order_by("pk").values_list(*_CELL_FIELDS, named=True)
            for cell in chunk_cells:
                cells[cell.report_id].append(cell)
        for report in chunk:
            report.export_cells = cells.pop(report.pk, [])
            yield report
            # Written: free the cells now. The report is in a reference cycle with its document (select_related
            # caches both directions of the one-to-one), which only a full garbage collection would free.
            del report.export_cells


def _cell_rows(report: Report) -> Iterator[list]:
    agency = report.agency
    head = [report.pk, agency.name if agency else "", agency.division_code if agency else "", report.year or ""]
    head.append(report.format)
    for cell in report.export_cells:
        ev = cell.evidence or {}
        yield [
            *head,
            cell.path,
            cell.label,
            _n(number(cell.value, cell.kind)),
            _n(number(cell.extracted, cell.kind)),
            "是" if cell.corrected else "",
            cell.kind,
            cell.raw if cell.raw is not None else "",
            ev.get("line", ""),
            ev.get("start", ""),
            ev.get("end", ""),
        ]


def _n(value):
    return "" if value is None else value


def _csv_chunks(blocks: Iterable[Iterable[list]]) -> Iterator[str]:
    """CSV text, one chunk per block of rows (a report's)."""
    yield "\ufeff"  # Excel opens UTF-8 Chinese correctly only with a BOM
    for rows in blocks:
        buf = io.StringIO()
        csv.writer(buf).writerows(csv_row(row) for row in rows)
        yield buf.getvalue()


def csv_chunks(reports: Iterable[Report]) -> Iterator[str]:
    header = [[label for _, label in COLUMNS]]  # Chinese, as in the XLSX
    return _csv_chunks(chain([header], (_cell_rows(r) for r in reports)))


def _layout_rows(report: Report) -> Iterator[list]:
    cells = {c.path: c for c in report.export_cells}
    yield [report.title]
    for table in tables(report.format):
        yield [f"{table.number} {table.title}"]
        grid = [[""] * table.columns for _ in table.rows]
        for r, c, slot in place(table):
            cell = cells.get(slot.path) if slot.path else None
            grid[r][c] = _n(number(cell.value, cell.kind)) if cell else ("" if slot.path else slot.text)
        yield from grid
        yield []


def layout_csv_chunks(reports: Iterable[Report]) -> Iterator[str]:
    """The tables in the official layout, as a spreadsheet program shows a CSV: a merged cell's text
    stands in its top-left position and the positions it covers stay empty."""
    return _csv_chunks(_layout_rows(r) for r in reports)


def json_chunks(reports: Iterable[Report]) -> Iterator[str]:
    """A JSON array of v1 documents, one chunk per document."""
    yield "["
    separator = "\n"
    for report in reports:
        yield separator + json.dumps(current_document(report), ensure_ascii=False, indent=1)
        separator = ",\n"
    yield "\n]"


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTERED = Alignment(wrap_text=True, vertical="center", horizontal="center")
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_CORRECTED_FILL = PatternFill("solid", fgColor="FFF2CC")


def bold_row(ws, values: Iterable) -> list:
    """A header row for a write-only sheet."""
    return [xlsx_value(ws, v, font=_BOLD) for v in values]


def _layout_sheet(wb: Workbook, report: Report, title: str) -> None:
    cells = {c.path: c for c in report.export_cells}

    def lookup(path: str):
        cell = cells.get(path)
        return (number(cell.value, cell.kind) if cell else None), bool(cell and cell.corrected)

    layout_sheet(wb, title, report.title, report.format, lookup)


def layout_sheet(wb: Workbook, title: str, heading: str, format_id: str, lookup) -> None:
    """One sheet of a write-only workbook with the tables of a format in the official layout;
    `lookup(path)` → (value, highlighted)."""
    ws = wb.create_sheet(title[:31])
    format_tables = tables(format_id)
    for col in range(1, max((t.columns for t in format_tables), default=1) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14  # a write-only sheet takes widths before rows
    ws.append([xlsx_value(ws, heading, font=Font(bold=True, size=13))])
    ws.append([])
    next_row = 3
    for table in format_tables:
        ws.append([xlsx_value(ws, f"{table.number} {table.title}", font=_BOLD)])
        top = next_row + 1
        grid: dict[tuple[int, int], WriteOnlyCell] = {}
        for r, c, slot in place(table):
            style = {"alignment": _CENTERED, "border": _BORDER}
            if slot.path:
                value, highlighted = lookup(slot.path)
                if highlighted:
                    style["fill"] = _CORRECTED_FILL
            else:
                value = slot.text
                style |= {"fill": _HEAD_FILL, "font": _BOLD if slot.cls in ("block", "group") else Font()}
            for dr in range(slot.rowspan):
                for dc in range(slot.colspan):
                    grid[r + dr, c + dc] = xlsx_value(ws, None, border=_BORDER)  # the border of a merged area
            grid[r, c] = xlsx_value(ws, value, **style)
            if slot.rowspan > 1 or slot.colspan > 1:
                last_row, last_col = top + r + slot.rowspan - 1, c + slot.colspan
                ws.merged_cells.add(CellRange(min_row=top + r, min_col=c + 1, max_row=last_row, max_col=last_col))
        for r in range(len(table.rows)):
            ws.append([grid.get((r, c)) for c in range(table.columns)])
        ws.append([])
        ws.append([])
        next_row = top + len(table.rows) + 2


def save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xlsx(reports: Iterable[Report], out: IO[bytes], *, layouts: bool) -> None:
    """The long table (one row per report × cell) and, with `layouts`, a sheet per report in the official
    layout; written as the reports are read, each sheet streamed to a temporary file by openpyxl."""
    wb = Workbook(write_only=True)
    long = wb.create_sheet("单元格")
    long.append(bold_row(long, (label for _, label in COLUMNS)))
    for report in reports:
        for row in _cell_rows(report):
            long.append([xlsx_value(long, v) for v in row])
        if layouts:
            title = re.sub(r"[\\/*?:\[\]]", "-", f"{report.pk} {report.agency or ''} {report.year or ''}")
            _layout_sheet(wb, report, title)
    wb.save(out)


STREAMED = {"csv": csv_chunks, "layout.csv": layout_csv_chunks, "json": json_chunks}  # formats written as text


def write_file(reports: Iterable[Report], fmt: str, count: int, out: IO[bytes]) -> None:
    """The export of `count` reports as `fmt` into a binary file, the same bytes a download gets (the text
    formats in UTF-8, as the response encodes them)."""
    if fmt in STREAMED:
        for chunk in STREAMED[fmt](reports):
            out.write(chunk.encode("utf-8"))
    elif fmt == "xlsx":
        write_xlsx(reports, out, layouts=count <= LAYOUT_SHEET_LIMIT)
    else:
        write_sqlite(reports, out)


def filename_for(report: Report | None, count: int, ext: str) -> str:
    """The download's name: agency and year for one report, the number of reports for a set."""
    if report is not None:
        return f"gongkai-{report.pk}-{report.agency or '未识别机关'}-{report.year or ''}.{ext}"
    return f"gongkai-{count}份年报.{ext}"


_SQLITE_SCHEMA = """
CREATE TABLE agencies (id INTEGER PRIMARY KEY, name TEXT, level TEXT, kind TEXT,
                       parent_id INTEGER REFERENCES agencies(id), division_code TEXT);
CREATE TABLE reports (id INTEGER PRIMARY KEY, agency_id INTEGER REFERENCES agencies(id), agency TEXT, year INTEGER,
                      format TEXT, status TEXT, error_count INTEGER, warning_count INTEGER, title TEXT,
                      filename TEXT, sha256 TEXT);
CREATE TABLE cells (report_id INTEGER REFERENCES reports(id), path TEXT, label TEXT, value NUMERIC,
                    extracted NUMERIC, corrected INTEGER, kind TEXT, raw TEXT, line INTEGER,
                    start INTEGER, "end" INTEGER, PRIMARY KEY (report_id, path));
CREATE TABLE findings (report_id INTEGER REFERENCES reports(id), rule TEXT, severity TEXT, title TEXT,
                       message TEXT, cells TEXT);
CREATE TABLE corrections (report_id INTEGER REFERENCES reports(id), version INTEGER, field TEXT, path TEXT,
                          old TEXT, new TEXT, reason TEXT, user TEXT, created TEXT);
CREATE INDEX cells_path ON cells(path, value);
CREATE INDEX reports_agency_year ON reports(agency_id, year);
"""


def _report_row(r: Report) -> list:
    agency = r.agency.name if r.agency else None
    counts = [r.error_count, r.warning_count]
    return [
        r.pk,
        r.agency_id,
        agency,
        r.year,
        r.format,
        r.status,
        *counts,
        r.title,
        r.document.filename,
        r.document.sha256,
    ]


def _cell_row(r: Report, c) -> list:
    evidence = c.evidence or {}
    value, extracted = number(c.value, c.kind), number(c.extracted, c.kind)
    where = [evidence.get(k) for k in ("line", "start", "end")]
    return [r.pk, c.path, c.label, value, extracted, c.corrected, c.kind, c.raw, *where]


def _correction_row(r: Report, c) -> list:
    user = c.user.get_username() if c.user_id else None
    return [
        r.pk,
        c.version,
        c.field,
        c.cell.path if c.cell_id else None,
        c.old,
        c.new,
        c.reason,
        user,
        c.created.isoformat(),
    ]


def _agency_rows(agency_ids: set[int]) -> list[tuple]:
    """The rows of these agencies and of every agency above them: the tree read in one query and walked in
    memory, whatever the number of reports."""
    tree = {
        row[0]: row for row in Agency.objects.values_list("pk", "name", "level", "kind", "parent_id", "division_code")
    }
    wanted: set[int] = set()
    for pk in agency_ids:
        while pk in tree and pk not in wanted:  # a pk already wanted also ends a cycle made in the admin
            wanted.add(pk)
            pk = tree[pk][4]
    return [tree[pk] for pk in sorted(wanted)]


def write_sqlite(reports: Iterable[Report], out: IO[bytes]) -> None:
    """A SQLite file (opens in Datasette) with agencies, reports, cells (current and extracted), findings and
    corrections, linked by foreign keys."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gongkai.sqlite"
        db = sqlite3.connect(path)
        try:
            db.executescript(_SQLITE_SCHEMA)
            agency_ids: set[int] = set()
            for r in reports:
                if r.agency_id is not None:
                    agency_ids.add(r.agency_id)
                db.execute(
                    "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _report_row(r),
                )
                db.executemany(
                    "INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (_cell_row(r, c) for c in r.export_cells),
                )
                db.executemany(
                    "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        (r.pk, f.rule, f.severity, f.title, f.message, json.dumps(f.cells, ensure_ascii=False))
                        for f in r.finding_rows.all()
                    ),
                )
                db.executemany(
                    "INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (_correction_row(r, c) for c in r.corrections.all()),
                )
            db.executemany("INSERT INTO agencies VALUES (?, ?, ?, ?, ?, ?)", _agency_rows(agency_ids))
            db.commit()
        finally:
            db.close()
        with path.open("rb") as built:
            shutil.copyfileobj(built, out)
