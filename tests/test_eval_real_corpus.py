"""The wider real corpus (corpus/real): real reports stored as found, every cell transcribed by hand; none is
read as a wrong value."""

from __future__ import annotations

import json

from gongkai.evaluate import evaluate_corpus, flatten, load_expected
from tests.conftest import ROOT

REAL = ROOT / "corpus" / "real"


def test_every_real_report_has_a_hand_written_expected_file():
    reports = [p for p in REAL.iterdir() if p.suffix != ".json" and p.name != "README.md"]
    assert reports
    for report in reports:
        expected = report.with_name(report.stem + ".expected.json")
        doc = json.loads(expected.read_text(encoding="utf-8"))
        assert {"agency", "year", "format", "active", "requests", "review_litigation"} <= set(doc)
        assert len(flatten(load_expected(expected))) > 100


def test_no_cell_of_a_real_report_is_read_wrong():
    result = evaluate_corpus(REAL)
    t = result["totals"]
    assert t["reports"] >= 1 and t["refused"] == 0 and not result["unlabelled"]
    assert t["wrong_values"] == 0, [r["wrong"] for r in result["reports"]]
    assert t["meta_equal"] == t["meta_fields"]
