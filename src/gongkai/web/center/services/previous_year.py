"""Last year's 现行有效件数 from the database, for a new report whose 表二（一） row its text alone leaves open.

The command line chains the years of one agency given together (`gongkai parse 2022.txt 2023.txt`); the data
center does the same with the years it has stored: a glued or stray 规章 / 行政规范性文件 run that several placements
fit is read again with the stored previous year, and placed only when exactly one placement satisfies
现行有效 continuity (gongkai.fitting.continuity). The stored values are the current ones, so a user's correction counts.
Uploads come in any order: a year stored before its previous year is read again when that year arrives.
"""

from __future__ import annotations

import logging

from django.db import transaction

from gongkai.fitting.continuity import (
    CERTAIN_AGENCY_SOURCES,
    FIELDS,
    IN_FORCE_PATHS,
    PreviousYear,
    agency_year,
    in_force_block,
    left_open,
)
from gongkai.parse import parse_bytes, parse_bytes_with_text
from gongkai.report import Report as ParsedReport
from gongkai.spec import FORMATS
from gongkai.web.center.models import Report
from gongkai.web.center.services.store import replace_reading

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
        counts = _stored_counts(report)
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


def _stored_counts(report: Report) -> PreviousYear | None:
    values = dict(report.cell_rows.filter(path__in=IN_FORCE_PATHS).values_list("path", "value"))
    return PreviousYear.from_values(
        values, f"已入库的《{report.printed_title or report}》（#{report.pk}）", report.year
    )


_BLOCK = in_force_block(FORMATS["2021"])
_OPEN_ROW_PATHS = [f"active.{row.key}.{key}" for row in _BLOCK.rows for key in FIELDS] if _BLOCK else []


def reread_next_year(report: Report) -> list[Report]:
    """After `report` is stored: the same agency's next year, stored before it with a 表二（一） run left open, read
    again with it (so the order of uploads does not matter). A report someone has corrected is left as it is.
    Returns the reports read again and changed."""
    agency = (report.parsed.get("meta") or {}).get("agency") or {}
    if report.agency_id is None or not report.year or agency.get("source") not in CERTAIN_AGENCY_SOURCES:
        return []
    # Just stored, so its cells are as read: whether it has counts to give is in its JSON (no query).
    printed = {c["path"]: c["value"] for c in report.parsed.get("cells", ()) if c["path"] in IN_FORCE_PATHS}
    if PreviousYear.from_values(printed, "", report.year) is None:
        return []
    later = (
        Report.objects.filter(agency_id=report.agency_id, year=report.year + 1, corrections__isnull=True)
        .filter(cell_rows__path__in=_OPEN_ROW_PATHS, cell_rows__value__isnull=True)
        .exclude(pk=report.pk)
        .distinct()
    )
    changed = []
    for candidate in later:
        if candidate.parsed.get("previous_year"):
            continue  # read with a previous year already
        try:
            with transaction.atomic():
                if _read_again(candidate):
                    changed.append(candidate)
        except Exception:  # the new report is stored whatever happens to the later one
            log.exception("reading report %s again with its stored previous year failed", candidate.pk)
    return changed


def _read_again(report: Report) -> bool:
    data = report.document.read()
    parsed = parse_bytes(data, report.document.filename)
    if not left_open(parsed):
        return False
    previous = stored_previous_year(parsed)
    if previous is None:
        return False
    again = parse_bytes(data, report.document.filename, previous=previous)
    if again.to_json()["cells"] == parsed.to_json()["cells"]:
        return False  # last year's count places nothing: keep the stored reading as it is
    replace_reading(report, again)
    return True
