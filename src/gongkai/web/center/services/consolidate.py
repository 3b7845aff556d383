"""Consolidation: sum the reports of an agency's direct children for one year, list who is missing or failed
the checks, and compare the sum with the agency's own published report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from django.db.models import Count, Sum

from gongkai.web.center.models import Agency, Cell, Report
from gongkai.web.center.services.compare import latest_by


@dataclass
class Contributor:
    agency: Agency
    report: Report | None

    @property
    def state(self) -> str:
        if self.report is None:
            return "missing"
        return "errors" if self.report.error_count else "ok"


@dataclass
class Consolidation:
    agency: Agency
    year: int
    contributors: list[Contributor]
    format_id: str | None
    sums: dict[str, Decimal] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # how many contributors reported each cell
    own: Report | None = None
    own_values: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def reports(self) -> list[Report]:
        return [c.report for c in self.contributors if c.report is not None]

    @property
    def missing(self) -> list[Contributor]:
        return [c for c in self.contributors if c.report is None]

    @property
    def failed(self) -> list[Contributor]:
        return [c for c in self.contributors if c.state == "errors"]

    def differences(self) -> list[tuple[str, Decimal | None, Decimal | None]]:
        """(path, sum of children, the agency's own value) where they differ."""
        if self.own is None:
            return []
        return [
            (path, self.sums.get(path), own)
            for path, own in sorted(self.own_values.items())
            if path in self.sums and own != self.sums[path]
        ]


def consolidate(agency: Agency, year: int) -> Consolidation:
    children = list(agency.children.order_by("kind", "name"))
    by_agency = attrgetter("agency_id")
    filed = Report.objects.filter(agency__in=children, year=year).select_related("agency").defer("parsed")
    reports = latest_by(filed, by_agency)
    contributors = [Contributor(child, reports.get(child.pk)) for child in children]
    own = latest_by(Report.objects.filter(agency=agency, year=year).defer("parsed"), by_agency).get(agency.pk)
    formats = Counter(r.format for r in reports.values())
    format_id = own.format if own else (formats.most_common(1)[0][0] if formats else None)
    result = Consolidation(agency, year, contributors, format_id, own=own)
    rows = (
        Cell.objects.filter(report__in=list(reports.values()))
        .exclude(kind="missing", corrected=False)
        .values("path")
        .annotate(total=Sum("value"), n=Count("value"))
    )
    for row in rows:
        if row["total"] is not None:
            result.sums[row["path"]] = row["total"]
            result.counts[row["path"]] = row["n"]
    if own is not None:
        result.own_values = dict(Cell.objects.filter(report=own).values_list("path", "value"))
    return result


def contributions(consolidation: Consolidation, path: str) -> list[tuple[Contributor, Decimal | None]]:
    """Each child's value of one cell (None: missing report or cell), for the drill-down."""
    values = dict(Cell.objects.filter(report__in=consolidation.reports, path=path).values_list("report_id", "value"))
    return [(c, values.get(c.report.pk) if c.report else None) for c in consolidation.contributors]
