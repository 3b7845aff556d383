"""The wider real corpus (corpus/real): real reports stored as found, every cell transcribed by hand; none is
read as a wrong value, and every cell left unread is named by a finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.parse import parse_file
from gongkai.proving.evaluate import evaluate_corpus, flatten, load_expected
from tests.conftest import ROOT

REAL = ROOT / "corpus" / "real"


@pytest.fixture(scope="module")
def result() -> dict:
    return evaluate_corpus(REAL)


def test_every_real_report_has_a_hand_written_expected_file():
    reports = [p for p in REAL.iterdir() if p.suffix != ".json" and p.name != "README.md"]
    assert reports
    for report in reports:
        expected = report.with_name(report.stem + ".expected.json")
        doc = json.loads(expected.read_text(encoding="utf-8"))
        assert {"agency", "year", "format", "active", "requests", "review_litigation"} <= set(doc)
        assert len(flatten(load_expected(expected))) > 100


def test_no_cell_of_a_real_report_is_read_wrong(result):
    t = result["totals"]
    assert t["reports"] >= 1 and t["refused"] == 0 and not result["unlabelled"]
    assert t["wrong_values"] == 0, [r["wrong"] for r in result["reports"]]
    meta = {Path(r["file"]).name: r["meta_mismatches"] for r in result["reports"] if r["meta_mismatches"]}
    assert t["meta_equal"] == t["meta_fields"], meta


def test_every_unread_cell_of_a_real_report_is_named_by_a_finding(result):
    """ "Every cell right, or unread with a finding": a reader may leave a cell it cannot determine, never silently."""
    silent = {}
    for report in result["reports"]:
        if not report["unread"]:
            continue
        findings = parse_file(Path(report["file"])).to_json().get("findings") or ()
        named = {cell for finding in findings for cell in finding.get("cells") or ()}
        missing = [c["path"] for c in report["unread"] if c["path"] not in named]
        if missing:
            silent[Path(report["file"]).name] = missing
    assert not silent


def test_the_problems_the_real_reports_really_have_are_found(result):
    """The expected files list the reports' own broken identities and prose/table disagreements (from 006 on)."""
    assert result["totals"]["expected_findings"] >= 10
    missed = {Path(r["file"]).name: r["missed_findings"] for r in result["reports"] if r["missed_findings"]}
    false = {Path(r["file"]).name: r["false_errors"] for r in result["reports"] if r["false_errors"]}
    assert not missed and not false
