"""Year-end statistics of one agency from its ledger (the core's year_statistics), compared with the report it
published (the center's stored report, with corrections), and handed to report authoring as gongkai.report/v1."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max, Q

from gongkai.ledger import model as core
from gongkai.ledger.stats import Statistics, cell_label, compare_with_published, year_statistics
from gongkai.report import Cell as CoreCell
from gongkai.report import Report as CoreReport
from gongkai.spec import FORMATS
from gongkai.web.center.models import Report
from gongkai.web.center.services.presentation import fill
from gongkai.web.ledger.models import Case, Request
from gongkai.web.ledger.services.cases import core_case

TABLE_KEYS = ("requests", "review_litigation")


def statistics(agency, year: int) -> Statistics:
    """表三 and 表四 of one agency-year, kept in the cache until a request or case of the agency changes (a
    click on a cell reads the same statistics again)."""
    stamp = [
        Request.objects.filter(agency=agency).aggregate(n=Count("pk"), u=Max("updated")),
        Case.objects.filter(agency=agency).aggregate(n=Count("pk"), u=Max("updated")),
    ]
    key = "gongkai:ledger:stats:" + hashlib.sha256(repr((agency.pk, agency.name, year, stamp)).encode()).hexdigest()
    stats = cache.get(key)
    if stats is None:
        stats = compute_statistics(agency, year)
        cache.set(key, stats, 3600)
    return stats


def compute_statistics(agency, year: int) -> Statistics:
    """表三 and 表四 of one agency-year, by the core's year_statistics.

    Only the requests that can count are read (received by 31 December, not closed before 1 January), and of
    each only what the year-end rules look at: its received date, applicant type, and the closing date and
    outcome that the core's clock stored on the row when the closing event was recorded (a closed request
    is handed over with that one closing event, as a reply with its outcome). Ten thousand requests are then
    one narrow query instead of every event of every request."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = (
        Request.objects.filter(agency=agency, received__lte=end)
        .filter(Q(closed_on=None) | Q(closed_on__gte=start))
        .values_list("pk", "received", "channel", "applicant_type", "closed_on", "outcome")
    )
    requests = [
        core.Request(
            id=str(pk),
            agency=agency.name,
            received=received,
            channel=channel,
            applicant_type=applicant_type,
            events=(core.Event("reply", closed_on, outcome=outcome),) if closed_on else (),
        )
        for pk, received, channel, applicant_type, closed_on, outcome in rows
    ]
    cases = [core_case(c) for c in Case.objects.filter(agency=agency, filed__year=year).select_related("agency")]
    return year_statistics(requests, cases, year)


def filled(stats: Statistics, marks: dict[str, str] | None = None) -> list[dict]:
    """表三 and 表四 in the official layout (the center's layout), each cell with its ledger count."""
    marks = marks or {}

    def lookup(path: str):
        if not path.startswith(TABLE_KEYS):  # 表二 is not the ledger's: it is left out below
            return "", "v"
        classes = ["v"]
        if path in marks:
            classes.append(marks[path])
        return stats.value(path), " ".join(classes)

    return [t for t in fill("2021", lookup) if t["table"].key in TABLE_KEYS]


def published_report(agency, year: int) -> Report | None:
    return Report.objects.filter(agency=agency, year=year).order_by("-created").first()


def as_core_report(report: Report) -> CoreReport:
    """The stored report's 表三/表四 cells with their current (corrected) values, as the core's Report."""
    cells = {}
    for row in report.cell_rows.filter(table__in=TABLE_KEYS):
        value = row.value
        if value is not None and value == value.to_integral_value():
            value = int(value)
        cells[row.path] = CoreCell(path=row.path, label=row.label, value=value, kind=row.kind, raw=row.raw)
    return CoreReport(source=report.document.filename, text="", format=FORMATS[report.format], cells=cells)


def compare(stats: Statistics, report: Report) -> list:
    return compare_with_published(stats, as_core_report(report))


def report_json(stats: Statistics, agency) -> dict:
    """The year's 表三 and 表四 in gongkai.report/v1 shape, for report authoring."""
    report = stats.to_report()
    report.meta["agency"] = {"name": agency.name, "source": "ledger", "confidence": 1.0}
    report.source = f"台账：{agency.name} {stats.year}年"
    doc = report.to_json()
    doc["findings"] = [f.to_json() for f in stats.check()]
    doc["ledger"] = {"agency_id": agency.pk, "year": stats.year, "excluded": stats.excluded}
    return doc


def drill_rows(stats: Statistics, path: str, limit: int = 200):
    """The requests (or cases) behind one cell: (total, first `limit` rows, kind)."""
    ids = [int(i) for i in stats.drill.get(path, [])]
    model = Case if path.startswith("review_litigation.") else Request
    shown = list(model.objects.filter(pk__in=ids[:limit]).order_by("pk"))
    return len(ids), shown, model is Case


def restrict_to_cell(flt, agency) -> str:
    """Limit a ledger filter to the requests counted in one cell of a year's 表三 (its `cell` and `cell_year`);
    returns the cell's label ("" when the filter names no cell)."""
    if not (flt.cell and flt.cell_year):
        return ""
    stats = statistics(agency, flt.cell_year)
    flt.ids = [int(i) for i in stats.drill.get(flt.cell, [])]
    return f"{flt.cell_year}年 {cell_label(flt.cell)}" if flt.cell in stats.drill else ""
