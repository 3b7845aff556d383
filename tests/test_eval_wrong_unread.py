"""`gongkai eval` counts wrong values and unread cells apart, and reads the real-reports expected files."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.proving.evaluate import ExpectedError, classify_cells, evaluate_corpus, load_expected, same_agency
from tests.conftest import ROOT, seed_path

TRUTH = {
    "active": {"rules": {"issued": 3, "repealed": 0, "in_force": 12}},
    "requests": {"other_overdue_fee": None, "other_other": [1, 0, 0, 0, 0, 0, 1]},
}


def test_a_different_value_is_wrong_and_a_missing_one_unread():
    got = {
        "active": {"rules": {"issued": 4, "repealed": None, "in_force": 12}},
        "requests": {"other_overdue_fee": [None] * 7, "other_other": [1, 0, 0, 0, 0, 0, 1]},
    }
    result = classify_cells(TRUTH, got)
    assert result["cells"] == 10 and result["right"] == 8
    assert result["wrong"] == [{"path": "active.rules.issued", "expected": 3, "got": 4}]
    assert [m["path"] for m in result["unread"]] == ["active.rules.repealed"]


def test_a_value_in_a_row_the_report_does_not_print_is_wrong():
    got = {"requests": {"other_overdue_fee": [0, 0, 0, 0, 0, 0, 0], "other_other": [1, 0, 0, 0, 0, 0, 1]}}
    wrong = classify_cells(TRUTH, got)["wrong"]
    assert len(wrong) == 7 and wrong[0] == {
        "path": "requests.other_overdue_fee.natural_person",
        "expected": None,
        "got": 0,
    }


def test_cells_the_text_does_not_determine_may_be_unread():
    got = {"active": {"rules": {"issued": 3}}, "requests": {"other_other": [1, 0, 0, 0, 0, 0, 1]}}
    result = classify_cells(TRUTH, got, may_be_unread={"active.rules.repealed"})
    assert result["unread_allowed"] == 1 and [m["path"] for m in result["unread"]] == ["active.rules.in_force"]


def test_an_expected_name_may_add_its_short_form():
    assert same_agency("上海市科学技术委员会（市科委）", "上海市科学技术委员会")
    assert same_agency("上海市科学技术委员会（市科委）", "上海市科学技术委员会（市科委）")
    assert not same_agency("上海市科学技术委员会（市科委）", "上海市科委")


def test_the_real_reports_shape_is_read(tmp_path):
    doc = {"agency": "某县人民政府", "year": 2018, "format": "pre2019", "active": None, "requests": None}
    path = tmp_path / "x.expected.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    expected = load_expected(path)
    assert expected["meta"] == {"agency": "某县人民政府", "year": 2018} and expected["active"] == {}
    assert expected["findings"] is None


@pytest.mark.parametrize("text", ["{}", "[1, 2]", "not json", '{"schema": "other/v1", "format": "2021"}'])
def test_a_file_that_is_no_expected_document_is_refused_in_chinese(tmp_path, text):
    report = seed_path("001")
    shutil.copy(report, tmp_path / report.name)
    (tmp_path / f"{report.stem}.expected.json").write_text(text, encoding="utf-8")
    with pytest.raises(ExpectedError, match="预期结果文件"):
        evaluate_corpus(tmp_path)
    run = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert run.exit_code == 2 and "预期结果文件" in run.output and "Traceback" not in run.output


def test_eval_runs_on_the_shared_real_reports():
    # ../shared from the main checkout, ../../shared from a worktree under /work/wt
    shared = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT / "none")
    shared = shared / "real-reports"
    if not shared.is_dir():
        pytest.skip("../shared/real-reports is not on this machine")
    result = evaluate_corpus(shared)
    t = result["totals"]
    assert t["reports"] == 5 and not result["unlabelled"] and t["printed_cells"] > 700
    assert t["cells_equal"] + t["wrong_values"] + t["unread_cells"] >= t["printed_cells"]


def test_prose_figures_of_an_expected_file_are_matched_by_key_and_value():
    from gongkai.proving.evaluate import compare_facts

    expected = {
        "narrative_facts": {"reviews": {"value": 7, "quote": "行政复议7件"}, "press": {"value": 3, "quote": ""}}
    }
    got = {"narrative_facts": [{"key": "review_cases", "value": 7}]}
    assert compare_facts(expected, got) == (1, [])
    got = {"narrative_facts": [{"key": "review_cases", "value": 8}]}
    assert compare_facts(expected, got) == (1, [{"key": "reviews", "value": 7, "quote": "行政复议7件"}])
