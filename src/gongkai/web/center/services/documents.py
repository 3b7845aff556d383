"""The public v1 document of a stored report with the current (corrected) values, and re-checking."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.db import transaction

from gongkai.checking.checks import run_checks
from gongkai.fitting.continuity import PreviousYear
from gongkai.fitting.meta import agency_level
from gongkai.parse import parse_bytes
from gongkai.report import Report as ParsedReport
from gongkai.report import json_number
from gongkai.spec import REQUEST_COLUMNS, REVIEW_COLUMNS
from gongkai.web.center.models import Report
from gongkai.web.center.services.store import current_figures, replace_findings, status_of

_REQUEST_INDEX = {c.key: i for i, c in enumerate(REQUEST_COLUMNS)}
_REVIEW_INDEX = {c.key: i for i, c in enumerate(REVIEW_COLUMNS)}


def number(value: Decimal | None, kind: str = "number"):
    """A stored Decimal as the JSON number the v1 contract uses (int when whole, except money)."""
    if value is None:
        return None
    if kind != "money" and value == value.to_integral_value():
        return int(value)
    return json_number(value.normalize())


def _set_table_value(doc: dict, path: str, value) -> None:
    table, row, column = path.split(".")
    if table == "active" and row in doc["active"]:
        doc["active"][row][column] = value
    elif table == "requests" and doc["requests"].get(row) is not None:
        doc["requests"][row][_REQUEST_INDEX[column]] = value
    elif table == "review_litigation" and row in doc["review_litigation"]:
        doc["review_litigation"][row][_REVIEW_INDEX[column]] = value


def agency_meta(report: Report) -> dict | None:
    if report.agency is None:
        return None
    info = agency_level(report.agency.name)
    level = report.agency.level or info["level"]
    return {
        "name": report.agency.name,
        "id": report.agency.pk,
        "division_code": report.agency.division_code or None,
        "source": report.agency_source,
        "confidence": report.agency_confidence,
        "level": level,
        "is_department": report.agency.kind == "department",
    }


def current_document(report: Report) -> dict:
    """Report.parsed with corrected values, current findings, confirmed agency/year and the correction history."""
    doc = copy.deepcopy(report.parsed)
    # An export of many reports prefetches these (services/exports.prefetched); one report reads them here.
    corrected_cells = getattr(report, "corrected_cells", None)
    if corrected_cells is None:
        corrected_cells = report.cell_rows.filter(corrected=True)
    corrected = {c.path: c for c in corrected_cells}
    for cell in doc["cells"]:
        row = corrected.get(cell["path"])
        if row is not None:
            cell["extracted_value"] = cell["value"]
            cell["value"] = number(row.value, row.kind)
            cell["corrected"] = True
            _set_table_value(doc, cell["path"], cell["value"])
    doc["findings"] = [f.to_json() for f in report.finding_rows.all()]
    meta = doc.setdefault("meta", {})
    if report.agency_source == "user":
        meta["agency"] = agency_meta(report)
    if report.year_source == "user":
        meta["year"] = {"value": report.year, "source": "user", "confidence": 1.0}
    history = getattr(report, "correction_list", None)
    if history is None:
        history = report.corrections.select_related("cell", "user")
    doc["corrections"] = [correction_json(c) | {"at": c.created.isoformat()} for c in history]
    doc["id"] = report.pk
    return doc


def rebuild(report: Report) -> ParsedReport:
    """The parser's Report for the stored original, with the current values and confirmed metadata applied: read
    with the previous year it was stored with, if any (see previous_year.py)."""
    previous = PreviousYear.from_json(report.parsed.get("previous_year"))
    parsed = parse_bytes(report.document.read(), report.document.filename, previous=previous)
    for row in report.cell_rows.filter(corrected=True):
        cell = parsed.cells.get(row.path)
        if cell is None:
            continue
        value = number(row.value, row.kind)
        cell.value = Decimal(str(value)) if isinstance(value, float) else value
        if cell.kind in ("missing", "empty", "placeholder"):
            cell.kind = "number"
    if report.year_source == "user":
        parsed.meta["year"] = {"value": report.year, "source": "user", "confidence": 1.0}
    if report.agency_source == "user":
        parsed.meta["agency"] = agency_meta(report)
    return parsed


@transaction.atomic
def recheck(report: Report) -> None:
    findings = run_checks(rebuild(report))
    replace_findings(report, [f.to_json() for f in findings])
    report.status, report.error_count, report.warning_count = status_of(findings)
    report.figures = current_figures(report)
    report.save(update_fields=["status", "error_count", "warning_count", "figures", "updated"])


def correction_json(c) -> dict:
    """One versioned correction as the API and the JSON export show it."""
    return {
        "version": c.version,
        "field": c.field,
        "path": c.cell.path if c.cell_id else None,
        "old": c.old,
        "new": c.new,
        "reason": c.reason,
        "user": c.user.get_username() if c.user_id else None,
    }
