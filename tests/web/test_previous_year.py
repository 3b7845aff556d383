"""The data center reads a 表二（一） run its text leaves open again with the agency's stored previous year."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.web.center.models import Cell
from gongkai.web.center.services.ingest import ingest_bytes

PINGTAN_2021 = Path("/work/shared/real-reports/pingtan_2021_flattened.txt")
ROW = "active.normative_documents"
FIELDS = ("issued", "repealed", "in_force")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not PINGTAN_2021.exists(), reason="shared real reports not available"),
]


def _glued(normative: str, year: int) -> bytes:
    # The real report's 规范性文件 row is printed glued ("693665"): it splits many ways.
    text = PINGTAN_2021.read_text(encoding="utf-8").replace("行政规范性文件693665", f"行政规范性文件{normative}")
    return text.replace("2021", str(year)).encode("utf-8")


def _row(report) -> list:
    values = dict(report.cell_rows.filter(path__startswith=ROW).values_list("path", "value"))
    return [values.get(f"{ROW}.{key}") for key in FIELDS]


def test_open_run_is_placed_by_the_stored_previous_year():
    last = ingest_bytes(_glued("00599", 2020), "pingtan_2020.txt").report
    assert last.year == 2020 and _row(last) == [0, 0, 599]

    report = ingest_bytes(PINGTAN_2021.read_bytes(), "pingtan_2021.txt").report
    assert _row(report) == [69, 3, 665]
    (cell,) = [c for c in report.parsed["cells"] if c["path"] == f"{ROW}.in_force"]
    assert cell["placed"] == "identity" and f"#{last.pk}" in cell["identity"]
    assert report.parsed["previous_year"]["in_force"]["normative_documents"] == 599
    assert f"#{last.pk}" in report.parsed["previous_year"]["source"]


def test_without_a_stored_previous_year_the_run_stays_unread():
    report = ingest_bytes(PINGTAN_2021.read_bytes(), "pingtan_2021.txt").report
    assert _row(report) == [None, None, None]
    assert "previous_year" not in report.parsed or not report.parsed["previous_year"]


def test_a_corrected_previous_year_is_what_counts():
    last = ingest_bytes(_glued("00598", 2020), "pingtan_2020.txt").report
    Cell.objects.filter(report=last, path=f"{ROW}.in_force").update(value=599, corrected=True)
    report = ingest_bytes(PINGTAN_2021.read_bytes(), "pingtan_2021.txt").report
    assert _row(report) == [69, 3, 665]


def test_two_stored_previous_years_that_disagree_are_not_used():
    ingest_bytes(_glued("00599", 2020), "a_2020.txt")
    ingest_bytes(_glued("00598", 2020) + "\n另一份".encode(), "b_2020.txt")
    report = ingest_bytes(PINGTAN_2021.read_bytes(), "pingtan_2021.txt").report
    assert _row(report) == [None, None, None]


def test_a_correction_elsewhere_keeps_the_placement_by_the_previous_year(editor):
    # Rechecking after a correction reads the original again: with the same previous year as when it was stored.
    from gongkai.web.center.services.corrections import correct_cell

    ingest_bytes(_glued("00599", 2020), "pingtan_2020.txt")
    report = ingest_bytes(PINGTAN_2021.read_bytes(), "pingtan_2021.txt").report
    rules_before = set(report.finding_rows.values_list("rule", flat=True))
    correct_cell(report, "requests.new_received.natural_person", "17", "核对原件", editor)
    report.refresh_from_db()
    assert _row(report) == [69, 3, 665]
    rules_after = set(report.finding_rows.values_list("rule", flat=True))
    assert "cells.ambiguous" not in rules_after and "cells.ambiguous" not in rules_before


def test_the_later_year_stored_first_is_read_again_when_its_previous_year_arrives():
    later = ingest_bytes(PINGTAN_2021.read_bytes(), "pingtan_2021.txt").report
    assert _row(later) == [None, None, None]
    updated = later.updated
    last = ingest_bytes(_glued("00599", 2020), "pingtan_2020.txt").report
    later.refresh_from_db()
    assert _row(later) == [69, 3, 665] and later.updated > updated
    assert f"#{last.pk}" in later.parsed["previous_year"]["source"]
    assert "cells.ambiguous" not in set(later.finding_rows.values_list("rule", flat=True))


def test_a_corrected_later_year_is_left_as_it_is(editor):
    from gongkai.web.center.services.corrections import correct_cell

    later = ingest_bytes(PINGTAN_2021.read_bytes(), "pingtan_2021.txt").report
    correct_cell(later, f"{ROW}.in_force", "665", "核对原件", editor)
    ingest_bytes(_glued("00599", 2020), "pingtan_2020.txt")
    later.refresh_from_db()
    assert _row(later) == [None, None, 665] and not later.parsed.get("previous_year")
