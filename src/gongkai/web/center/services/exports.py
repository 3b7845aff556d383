"""Exports with the current (corrected) values: CSV and XLSX (one row per report × cell, and the official
layout), JSON (v1 documents)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from gongkai.web.center.models import Agency, Report
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


def cell_rows(reports: Iterable[Report]) -> Iterator[list]:
    for report in reports:
        agency = report.agency
        head = [report.pk, agency.name if agency else "", agency.division_code if agency else "", report.year or ""]
        head.append(report.format)
        for cell in report.cell_rows.order_by("pk"):
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


def to_csv(reports: Iterable[Report]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 Chinese correctly only with a BOM
    writer = csv.writer(buf)
    writer.writerow([key for key, _ in COLUMNS])
    writer.writerows(cell_rows(reports))
    return buf.getvalue()


def to_layout_csv(reports: Iterable[Report]) -> str:
    """The tables in the official layout, as a spreadsheet program shows a CSV: a merged cell's text
    stands in its top-left position and the positions it covers stay empty."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    for report in reports:
        cells = {c.path: c for c in report.cell_rows.all()}
        writer.writerow([report.title])
        for table in tables(report.format):
            writer.writerow([f"{table.number} {table.title}"])
            grid = [[""] * table.columns for _ in table.rows]
            for r, c, slot in place(table):
                cell = cells.get(slot.path) if slot.path else None
                grid[r][c] = _n(number(cell.value, cell.kind)) if cell else ("" if slot.path else slot.text)
            writer.writerows(grid)
            writer.writerow([])
    return buf.getvalue()


def to_json(reports: Iterable[Report]) -> str:
    return json.dumps([current_document(r) for r in reports], ensure_ascii=False, indent=1)


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_CORRECTED_FILL = PatternFill("solid", fgColor="FFF2CC")


def _layout_sheet(wb: Workbook, report: Report, title: str) -> None:
    cells = {c.path: c for c in report.cell_rows.all()}

    def lookup(path: str):
        cell = cells.get(path)
        return (number(cell.value, cell.kind) if cell else None), bool(cell and cell.corrected)

    layout_sheet(wb, title, report.title, report.format, lookup)


def layout_sheet(wb: Workbook, title: str, heading: str, format_id: str, lookup) -> None:
    """One sheet with the tables of a format in the official layout; `lookup(path)` → (value, highlighted)."""
    ws = wb.create_sheet(title[:31])
    ws.cell(row=1, column=1, value=heading).font = Font(bold=True, size=13)
    top = 3
    width = 1
    for table in tables(format_id):
        ws.cell(row=top, column=1, value=f"{table.number} {table.title}").font = Font(bold=True)
        top += 1
        for r, c, slot in place(table):
            row, col = top + r, 1 + c
            if slot.path:
                value, highlighted = lookup(slot.path)
                target = ws.cell(row=row, column=col, value=value)
                if highlighted:
                    target.fill = _CORRECTED_FILL
            else:
                target = ws.cell(row=row, column=col, value=slot.text)
                target.fill = _HEAD_FILL
                target.font = Font(bold=True) if slot.cls in ("block", "group") else Font()
            target.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            for dr in range(slot.rowspan):
                for dc in range(slot.colspan):
                    ws.cell(row=row + dr, column=col + dc).border = _BORDER
            if slot.rowspan > 1 or slot.colspan > 1:
                ws.merge_cells(
                    start_row=row, start_column=col, end_row=row + slot.rowspan - 1, end_column=col + slot.colspan - 1
                )
        top += len(table.rows) + 2
        width = max(width, table.columns)
    for col in range(1, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14


def save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_xlsx(reports: list[Report]) -> bytes:
    wb = Workbook()
    long = wb.active
    long.title = "单元格"
    long.append([label for _, label in COLUMNS])
    for cell in long[1]:
        cell.font = Font(bold=True)
    for row in cell_rows(reports):
        long.append(row)
    if len(reports) <= LAYOUT_SHEET_LIMIT:
        for report in reports:
            title = re.sub(r"[\\/*?:\[\]]", "-", f"{report.pk} {report.agency or ''} {report.year or ''}")
            _layout_sheet(wb, report, title)
    return save(wb)


def filename_for(reports: list[Report], ext: str) -> str:
    if len(reports) == 1:
        r = reports[0]
        return f"gongkai-{r.pk}-{r.agency or '未识别机关'}-{r.year or ''}.{ext}"
    return f"gongkai-{len(reports)}份年报.{ext}"


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


def to_sqlite(reports: list[Report]) -> bytes:
    """A SQLite file (opens in Datasette) with agencies, reports, cells (current and extracted), findings and
    corrections, linked by foreign keys."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gongkai.sqlite"
        db = sqlite3.connect(path)
        try:
            db.executescript(_SQLITE_SCHEMA)
            agency_ids: set[int] = set()
            for report in reports:
                if report.agency is not None:
                    agency_ids |= {report.agency.pk, *(a.pk for a in report.agency.ancestors())}
            db.executemany(
                "INSERT INTO agencies VALUES (?, ?, ?, ?, ?, ?)",
                Agency.objects.filter(pk__in=agency_ids)
                .order_by("pk")
                .values_list("pk", "name", "level", "kind", "parent_id", "division_code"),
            )
            for r in reports:
                db.execute(
                    "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _report_row(r),
                )
                db.executemany(
                    "INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (_cell_row(r, c) for c in r.cell_rows.order_by("pk")),
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
                    (_correction_row(r, c) for c in r.corrections.select_related("cell", "user")),
                )
            db.commit()
        finally:
            db.close()
        return path.read_bytes()
