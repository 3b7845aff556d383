"""What the report page shows: the layout tables filled with current values and marked by findings."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.render import SEVERITY_NAME
from gongkai.web.center.models import Report
from gongkai.web.center.services.documents import number
from gongkai.web.center.services.layout import tables

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class _AsFinding:
    severity: str
    cells: list[str]


def cell_marks(findings) -> dict[str, str]:
    """The worst severity of a finding on each cell path."""
    marks: dict[str, str] = {}
    for finding in findings:
        for path in finding.cells or []:
            current = marks.get(path)
            if current is None or SEVERITY_ORDER[finding.severity] < SEVERITY_ORDER[current]:
                marks[path] = finding.severity
    return marks


def fill(format_id: str, lookup) -> list[dict]:
    """The layout tables of a format with each value slot filled by `lookup(path)` → (display, css classes)."""
    out = []
    for table in tables(format_id):
        rows = []
        for row in table.rows:
            slots = []
            for slot in row:
                item = {"slot": slot}
                if slot.path:
                    display, classes = lookup(slot.path)
                    item |= {"display": display, "classes": classes}
                slots.append(item)
            rows.append(slots)
        out.append({"table": table, "rows": rows})
    return out


def filled_tables(report: Report, findings, cross_year=()) -> list[dict]:
    """The report's tables with current values, marked by its findings and by the cross-year checks."""
    cells = {c.path: c for c in report.cell_rows.all()}
    marks = cell_marks([*findings, *(_AsFinding(f.severity, f.cells) for f in cross_year)])

    def lookup(path: str):
        cell = cells.get(path)
        value = number(cell.value, cell.kind) if cell else None
        classes = ["v"]
        if cell is None or (cell.kind == "missing" and not cell.corrected):
            classes.append("missing")
        if cell and cell.corrected:
            classes.append("corrected")
        if path in marks:
            classes.append(f"sev-{marks[path]}")
        return ("—" if value is None else value), " ".join(classes)

    return fill(report.format, lookup)


def sorted_findings(findings) -> list:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.pk))


def severity_name(severity: str) -> str:
    return SEVERITY_NAME.get(severity, severity)
