"""The evaluation engine: perfect on the gold corpus and on generated reports, and able to say so when not.

corpus/expected/*.json were transcribed by hand (see corpus/README.md); the engine
must find every cell equal and every expected finding, and must name the cell when
an expected file and the report disagree.
"""

from __future__ import annotations

import io
import json
import shutil

import pytest
from rich.console import Console

from gongkai.proving import evaluate
from gongkai.proving.evaluate import (
    evaluate_corpus,
    evaluate_generated,
    flatten,
    load_expected,
    render_eval,
    write_eval_json,
)
from gongkai.proving.synth import FILE_LAYOUTS, FORMAT_IDS, LAYOUTS, get_cell
from tests.conftest import ROOT, SEEDS, seed_path

CORPUS = ROOT / "corpus"


def _text(renderable) -> str:
    console = Console(file=io.StringIO(), width=200)
    console.print(renderable)
    return console.file.getvalue()


@pytest.fixture(scope="module")
def corpus_result():
    return evaluate_corpus(SEEDS)  # the gold seeds; their expected documents are in ../expected


def test_gold_corpus_is_read_exactly(corpus_result):
    t = corpus_result["totals"]
    assert t["reports"] == len(list(SEEDS.glob("*.txt"))) and not corpus_result["unlabelled"]
    every_expected_cell = sum(len(flatten(load_expected(p))) for p in (CORPUS / "expected").glob("*.json"))
    assert t["cells"] == every_expected_cell and t["cells_equal"] == t["cells"], corpus_result["reports"]
    assert t["reports_exact"] == t["format_correct"] == t["reports"]
    assert t["meta_equal"] == t["meta_fields"] > 0
    assert t["expected_findings"] > 0 and t["findings_found"] == t["expected_findings"]
    assert t["false_errors"] == 0 and t["refused"] == 0


def test_expected_files_follow_the_schema():
    for path in sorted((CORPUS / "expected").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["schema"] == "gongkai.report/v1"
        assert (ROOT / doc["source"]).is_file() and path.stem == (ROOT / doc["source"]).stem
        assert set(doc["meta"]) == {"agency", "year", "published"}
        assert all(f["severity"] in ("error", "warning") for f in doc["findings"])


def test_generated_reports_are_read_exactly_and_mutations_caught():
    result = evaluate_generated(60)
    t = result["totals"]
    assert t["cells"] > 0 and t["cells_equal"] == t["cells"], result["failures"][:3]
    assert t["reports_exact"] == t["format_correct"] == t["reports"] == 60
    assert t["mutation_recall"] >= 0.99, [f["mutation"] for f in result["failures"]]
    assert t["mutations_read_as_printed"] == t["mutations"]
    assert t["false_errors"] == 0
    assert set(result["by_layout"]) == {f"{f}/{layout}" for f in FORMAT_IDS for layout in LAYOUTS + FILE_LAYOUTS}


# ---------------------------------------------------------------------------
# The engine can fail
# ---------------------------------------------------------------------------
def _copy_labelled(tmp_path, prefix: str, edit) -> dict:
    """Seed `prefix` and its expected document side by side in tmp_path, the expected one edited."""
    report = seed_path(prefix)
    shutil.copy(report, tmp_path / report.name)
    expected = json.loads((CORPUS / "expected" / f"{report.stem}.json").read_text(encoding="utf-8"))
    edit(expected)
    (tmp_path / f"{report.stem}.expected.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    return evaluate_corpus(tmp_path)


def test_a_wrong_expected_cell_is_named(tmp_path):
    def edit(doc):
        doc["requests"]["total"][6] += 1  # 223 → 224

    result = _copy_labelled(tmp_path, "004", edit)
    (report,) = result["reports"]
    assert report["mismatches"] == [{"path": "requests.total.total", "expected": 224, "got": 223}]
    t = result["totals"]
    assert t["cells_equal"] == t["cells"] - 1 and t["reports_exact"] == 0
    assert "requests.total.total 应为 224，实为 223" in _text(render_eval(result))


def test_a_wrong_decimal_is_not_rounded_away(tmp_path):
    def edit(doc):
        doc["active"]["procurement"]["amount_wan_yuan"] = 92042.4404  # printed 92042.4403

    (report,) = _copy_labelled(tmp_path, "002", edit)["reports"]
    assert [m["path"] for m in report["mismatches"]] == ["active.procurement.amount_wan_yuan"]


def test_a_wrong_expected_finding_is_missed_and_the_real_one_is_a_false_error(tmp_path):
    def edit(doc):
        doc["findings"][0]["found"] = 1887  # the report's sum is 1886

    result = _copy_labelled(tmp_path, "000", edit)
    (report,) = result["reports"]
    assert [(f["rule"], f["found"]) for f in report["missed_findings"]] == [("requests.balance", 1887)]
    assert [(f["rule"], f["found"]) for f in report["false_errors"]] == [("requests.balance", 1886)]
    assert result["totals"]["findings_recall"] < 1 and result["totals"]["false_errors"] == 1


def test_an_unreadable_report_counts_every_cell_as_wrong(tmp_path):
    expected = json.loads((CORPUS / "expected" / "001_quyang_jiedao_2021.json").read_text(encoding="utf-8"))
    (tmp_path / "blank.txt").write_text("这不是年报\n", encoding="utf-8")
    (tmp_path / "blank.expected.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "unlabelled.txt").write_text("没有预期结果\n", encoding="utf-8")
    result = evaluate_corpus(tmp_path)
    (report,) = result["reports"]
    assert report["refused"] and report["cells"] > 0 and report["cells_equal"] == 0
    assert result["unlabelled"] == [str(tmp_path / "unlabelled.txt")]


def test_an_undetected_mutation_is_reported(monkeypatch):
    def no_change(tables, rng):  # a "mutation" that changes nothing cannot be detected
        return tables, "requests.total.total", get_cell(tables, "requests.total.total")

    monkeypatch.setattr(evaluate, "perturb", no_change)
    result = evaluate_generated(4)
    t = result["totals"]
    assert t["mutations_detected"] == 0 and t["mutation_recall"] == 0 and t["false_errors"] == 0
    assert [f["mutation"]["path"] for f in result["failures"]] == ["requests.total.total"] * 4
    shown = _text(render_eval(result))
    assert "变异检出率" in shown and "0.00%" in shown and "未被任何错误指出" in shown


def test_errors_in_clean_reports_are_counted(monkeypatch):
    broken = evaluate.random_tables  # tables with one to three cells off: the "clean" reports have errors

    monkeypatch.setattr(evaluate, "random_tables", lambda rng, format_id: broken(rng, format_id, consistent=False))
    result = evaluate_generated(6)
    assert result["totals"]["false_errors"] > 0
    assert any(f["false_errors"] for f in result["failures"])


def test_results_are_written_as_json(tmp_path, corpus_result):
    path = write_eval_json(corpus_result, tmp_path / "out" / "eval.json")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(corpus_result))
    shown = _text(render_eval(corpus_result))
    for label in ("单元格准确率", "报告完全一致率", "格式识别准确率", "预期问题召回率", "误报错误数"):
        assert label in shown
