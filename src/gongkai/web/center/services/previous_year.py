"""Last year's 现行有效件数 from the database, for a new report whose 表二（一） row its text alone leaves open.

The command line chains the years of one agency given together (`gongkai parse 2022.txt 2023.txt`); the data
center does the same with the years it has stored: a glued or stray 规章 / 行政规范性文件 run that several placements
fit is read again with the stored previous year, and placed only when exactly one placement satisfies
现行有效 continuity (gongkai.continuity). The stored values are the current ones, so a user's correction counts.
"""

from __future__ import annotations

import logging

from gongkai.continuity import CERTAIN_AGENCY_SOURCES, IN_FORCE_PATHS, PreviousYear, agency_year, left_open
from gongkai.parse import parse_bytes_with_text
from gongkai.report import Report as ParsedReport
from gongkai.web.center.models import Report

log = logging.getLogger(__name__)

# More stored reports than this for one agency name and year: the name is not specific enough to chain by.
_MAX_CANDIDATES = 5


def stored_previous_year(parsed: ParsedReport) -> PreviousYear | None:
    """The stored previous year of the report's agency (named by its title, matched exactly), when the stored
    reports of that agency and year all give the same counts; None otherwise."""
    key = agency_year(parsed)
    if key is None:
        return None
    name, year = key
    stored = list(
        Report.objects.filter(year=year - 1, parsed__meta__agency__name=name).order_by("pk")[: _MAX_CANDIDATES + 1]
    )
    found: PreviousYear | None = None
    for report in stored:
        agency = (report.parsed.get("meta") or {}).get("agency") or {}
        if agency.get("source") not in CERTAIN_AGENCY_SOURCES:
            continue
        values = dict(report.cell_rows.filter(path__in=IN_FORCE_PATHS).values_list("path", "value"))
        source = f"已入库的《{report.printed_title or report}》（#{report.pk}）"
        counts = PreviousYear.from_values(values, source, year - 1)
        if counts is None:
            continue
        if found is not None and found.in_force != counts.in_force:
            return None  # two stored versions disagree: which one is right is not known
        found = found or counts
    return found if len(stored) <= _MAX_CANDIDATES else None


def with_stored_previous_year(parsed: ParsedReport, rendered: str, data: bytes, filename: str):
    """(parsed, rendered) read again with the stored previous year when a 表二（一） row was left open and that
    year is stored; unchanged otherwise."""
    if not left_open(parsed):
        return parsed, rendered
    previous = stored_previous_year(parsed)
    if previous is None:
        return parsed, rendered
    try:
        return parse_bytes_with_text(data, filename, previous=previous)
    except Exception:  # it was read once already: keep that reading rather than lose the upload
        log.exception("reading %s again with its stored previous year failed", filename)
        return parsed, rendered
