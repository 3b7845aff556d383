"""Checks across one agency's consecutive years (checks.toml entries with scope = "years").

上年结转 of a year must equal 结转下年度继续办理 of the year before, column by column (an error: one of the two
reports is wrong); 现行有效件数 should equal last year's count plus this year's 制发 minus 废止 (a warning:
revisions and clean-ups explain differences). They need the agency's reports side by side, so they run where
several years are at hand: `gongkai check` on a folder, and the web data center.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from gongkai.fitting.divisions import GOVERNMENT_SUFFIX
from gongkai.report import Finding, Report
from gongkai.spec import REQUEST_COLUMNS, check_by_id

Values = dict[str, Decimal | None]  # a report's current value per cell path
IN_FORCE_ROWS = (("rules", "规章"), ("normative_documents", "行政规范性文件"))


@dataclass
class YearFinding(Finding):
    year: int = 0  # the later of the two years compared


def shown(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def cross_year_findings(years: dict[int, Values]) -> list[YearFinding]:
    """The findings between each year and the year before it, when both are given."""
    out: list[YearFinding] = []
    for year in sorted(years):
        previous = years.get(year - 1)
        if previous is not None:
            out += _carry_over(year, years[year], previous) + _in_force(year, years[year], previous)
    return out


def _finding(check_id: str, year: int, cells: list[str], expected, found, /, **fields) -> YearFinding:
    # Positional-only: the message templates have fields named `expected` and `found` too.
    check = check_by_id(check_id)
    message = check.message.format(year=year, previous=year - 1, **fields)
    return YearFinding(check.id, check.severity, check.title, message, cells, expected, found, year=year)


def _carry_over(year: int, now: Values, before: Values) -> list[YearFinding]:
    out = []
    for column in REQUEST_COLUMNS:
        carried_in, carried_out = f"requests.carried_over.{column.key}", f"requests.carried_forward.{column.key}"
        a, b = now.get(carried_in), before.get(carried_out)
        if a is not None and b is not None and a != b:
            fields = {"column": column.label, "now": shown(a), "before": shown(b)}
            out.append(_finding("cross_year.carry_over", year, [carried_in], b, a, **fields))
    return out


def _in_force(year: int, now: Values, before: Values) -> list[YearFinding]:
    out = []
    for row, label in IN_FORCE_ROWS:
        path = f"active.{row}.in_force"
        in_force, last, issued = now.get(path), before.get(path), now.get(f"active.{row}.issued")
        repealed = now.get(f"active.{row}.repealed")
        if None in (in_force, last, issued, repealed):
            continue  # pre-2021 formats have no 现行有效件数
        expected = last + issued - repealed
        if expected != in_force:
            fields = {"label": label, "before": shown(last), "issued": shown(issued), "repealed": shown(repealed)}
            fields |= {"expected": shown(expected), "found": shown(in_force)}
            out.append(_finding("cross_year.in_force", year, [path], expected, in_force, **fields))
    return out


def report_values(report: Report) -> Values:
    return {path: None if c.value is None else Decimal(str(c.value)) for path, c in report.cells.items()}


class YearBook:
    """Parsed reports collected by the agency and year their metadata names, for the cross-year checks at the
    end (a later report of the same agency and year replaces an earlier one). Keeps only the values."""

    def __init__(self) -> None:
        self.years: dict[str, dict[int, Values]] = defaultdict(dict)

    def add(self, report: Report) -> None:
        agency, year = (report.meta.get("agency") or {}).get("name"), (report.meta.get("year") or {}).get("value")
        if agency and year and report.format.has_tables:
            # One government prints itself as "石家庄市人民政府" one year and "石家庄市政府" the next.
            name = GOVERNMENT_SUFFIX.sub("", agency) or agency
            self.years[name][int(year)] = report_values(report)

    def findings(self) -> dict[str, list[YearFinding]]:
        """Each agency's cross-year findings, for the agencies that have any."""
        found = {agency: cross_year_findings(by_year) for agency, by_year in sorted(self.years.items())}
        return {agency: findings for agency, findings in found.items() if findings}
