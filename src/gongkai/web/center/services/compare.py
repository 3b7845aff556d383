"""Comparisons: one agency year over year (with the cross-year checks K5/K6), and agencies against each other
for one year (rates with their definitions and denominators; small denominators are flagged, not ranked)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter

from gongkai.checking.cross_year import YearFinding, cross_year_findings
from gongkai.spec import FORMATS, RATES, SMALL_DENOMINATOR, Rate
from gongkai.web.center.models import Agency, Cell, Finding, Report


def latest_by(reports, key) -> dict:
    """One report per key (its year, its agency…), the most recently stored: re-publications replace earlier
    versions. Reports whose key is None are left out. Report instances or ReportRef."""
    out: dict = {}
    for report in sorted(reports, key=lambda r: (r.created, r.pk)):
        if (k := key(report)) is not None:
            out[k] = report
    return out


def values(report: Report) -> dict[str, Decimal | None]:
    return dict(Cell.objects.filter(report=report).values_list("path", "value"))


FLAGGING = ("error", "warning")  # findings that make a figure doubtful in a comparison


def doubtful_figures(report_ids, paths) -> dict[int, dict[str, list[str]]]:
    """For each report, the figures among `paths` that one of its own checks fails on (error or warning):
    report id → {path: [finding titles]}. A comparison shows these with a warning instead of at face value."""
    wanted = set(paths)
    out: dict[int, dict[str, list[str]]] = {}
    findings = Finding.objects.filter(report_id__in=list(report_ids), severity__in=FLAGGING)
    for report_id, cells, title in findings.values_list("report_id", "cells", "title"):
        for path in set(cells or ()) & wanted:
            titles = out.setdefault(report_id, {}).setdefault(path, [])
            if title not in titles:
                titles.append(title)
    return out


# -- year over year ------------------------------------------------------------------------------------------


SERIES = [
    ("requests.new_received.total", "本年新收申请"),
    ("requests.granted.total", "予以公开"),
    ("requests.total.total", "办理结果总计"),
    ("requests.carried_forward.total", "结转下年度"),
    ("review_litigation.review.total", "行政复议"),
    ("review_litigation.litigation_direct.total", "行政诉讼（直接起诉）"),
    ("review_litigation.litigation_after_review.total", "行政诉讼（复议后起诉）"),
]


def _outcome_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The outcome rows of 表三 grouped as the table groups them: （一）予以公开 … （六）其他处理 (总计 column)."""
    groups: dict[str, list[str]] = {}
    for row in FORMATS["2021"].requests.rows:
        if row.outcome:
            heading = row.group if row.group and row.group.startswith("（") else row.label
            name = re.sub(r"^（.）", "", heading).split("（")[0]
            groups.setdefault(name, []).append(f"requests.{row.key}.total")
    return tuple((name, tuple(paths)) for name, paths in groups.items())


OUTCOME_GROUPS = _outcome_groups()


@dataclass
class YearOverYear:
    agency: Agency
    reports: dict[int, Report]
    values: dict[int, dict[str, Decimal | None]]
    findings: list[YearFinding]

    def series(self) -> list[dict]:
        years = sorted(self.reports)
        return [{"path": p, "label": label, "values": [self.values[y].get(p) for y in years]} for p, label in SERIES]

    def doubtful(self) -> list[dict]:
        """The trend's figures that their own year's report fails a check on: year, figure, the checks."""
        by_report = doubtful_figures([r.pk for r in self.reports.values()], [p for p, _ in SERIES])
        labels = dict(SERIES)
        out = []
        for year in sorted(self.reports):
            for path, titles in by_report.get(self.reports[year].pk, {}).items():
                out.append({"year": year, "path": path, "label": labels[path], "checks": titles})
        return sorted(out, key=lambda d: (d["year"], [p for p, _ in SERIES].index(d["path"])))

    def outcome_mix(self) -> list[dict]:
        """Per outcome group (予以公开, 部分公开, 不予公开…): its cases in each year, for a stacked chart.
        None for a year whose report lacks any of the group's cells."""
        years = sorted(self.reports)
        out = []
        for name, paths in OUTCOME_GROUPS:
            values = []
            for year in years:
                cells = [self.values[year].get(p) for p in paths]
                values.append(None if None in cells else sum(cells, Decimal(0)))
            out.append({"label": name, "values": values})
        return out


def year_over_year(agency: Agency) -> YearOverYear:
    reports = latest_by(Report.objects.filter(agency=agency).defer("parsed"), attrgetter("year"))
    vals = {year: values(report) for year, report in reports.items()}
    return YearOverYear(agency, reports, vals, cross_year_findings(vals))


def against_previous_year(report: Report) -> tuple[Report | None, list[YearFinding]]:
    """The same agency's report for the year before, and the cross-year findings of this report against it."""
    if report.agency_id is None or report.year is None:
        return None, []
    earlier = Report.objects.filter(agency_id=report.agency_id, year=report.year - 1).defer("parsed")
    previous = latest_by(earlier, attrgetter("year")).get(report.year - 1)
    if previous is None:
        return None, []
    return previous, cross_year_findings({report.year - 1: values(previous), report.year: values(report)})


# -- agencies against each other -----------------------------------------------------------------------------


RATE_BY_KEY = {r.key: r for r in RATES}


@dataclass(frozen=True)
class ReportRef:
    """What a ranking needs of a report, read without building model instances (thousands per page)."""

    pk: int
    agency_id: int
    agency: str
    error_count: int
    created: object
    figures: dict


@dataclass
class RateRow:
    report: ReportRef
    numerator: Decimal | None
    denominator: Decimal | None
    rate: float | None
    small: bool
    rank: int | None = None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)


def _sum(figures: dict, paths: tuple[str, ...]) -> Decimal | None:
    """The sum of the cells, or None when any is missing: a rate is never computed from half the figures."""
    values = [figures.get(p) for p in paths]
    return None if None in values else sum((Decimal(v) for v in values), Decimal(0))


def rate_rows(rate: Rate, reports: list[ReportRef]) -> list[RateRow]:
    """Ranked rows first (highest rate first), then the ones with small or missing denominators, unranked."""
    rows = []
    for report in reports:
        num, den = _sum(report.figures, rate.numerator), _sum(report.figures, rate.denominator)
        if den is not None and rate.minus:
            minus = _sum(report.figures, rate.minus)
            den = None if minus is None else den - minus
        small = den is None or den < SMALL_DENOMINATOR
        value = float(num / den) if num is not None and den and den > 0 else None
        rows.append(RateRow(report, num, den, value, small))
    ranked = sorted((r for r in rows if not r.small and r.rate is not None), key=lambda r: -r.rate)
    for i, row in enumerate(ranked, 1):
        row.rank = i
    unranked = sorted((r for r in rows if r.rank is None), key=lambda r: -(r.denominator or 0))
    return ranked + unranked


def reports_for_year(year: int, within: Agency | None = None, level: str = "") -> list[ReportRef]:
    """The latest report of each agency for the year, within a region's subtree and of one level if asked
    (city against city, district against district: a ranking of mixed levels compares unlike bodies)."""
    qs = Report.objects.filter(year=year).exclude(agency=None).order_by()  # ordered below, in Python
    if within is not None:
        qs = qs.filter(agency_id__in=within.subtree_ids())
    if level:
        qs = qs.filter(agency__level=level)
    fields = ("pk", "agency_id", "agency__name", "error_count", "created", "figures")
    return list(latest_by((ReportRef(*row) for row in qs.values_list(*fields)), attrgetter("agency_id")).values())


def distribution(rows: list[RateRow], bins: int = 10) -> list[dict]:
    """How many ranked agencies fall in each band of the rate (0–10%, 10–20% …): the shape of the field,
    which a top-N bar chart hides."""
    counts = [0] * bins
    for row in rows:
        if row.rank is not None:
            counts[min(int(row.rate * bins), bins - 1)] += 1
    width = 100 // bins
    return [{"band": f"{i * width}–{(i + 1) * width}%", "agencies": n} for i, n in enumerate(counts)]
