"""现行有效 continuity with last year's report: places an open 表二（一） row only when exactly one placement fits."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.fitting.continuity import PreviousYear
from gongkai.parse import parse_file, parse_text
from gongkai.proving.synth_damage import damaged_report

PINGTAN_2021 = Path("/work/shared/real-reports/pingtan_2021_flattened.txt")
ROW = "active.normative_documents"
FIELDS = ("issued", "repealed", "in_force")
needs_pingtan = pytest.mark.skipif(not PINGTAN_2021.exists(), reason="shared real reports not available")


def _row(report, row: str = "normative_documents") -> list:
    return [report.value(f"active.{row}.{key}") for key in FIELDS]


def _last_year(normative: int, rules: int = 5, year: int = 2020) -> PreviousYear:
    return PreviousYear({"rules": rules, "normative_documents": normative}, "last.txt", year)


@needs_pingtan
def test_glued_run_is_split_by_last_years_in_force():
    text = PINGTAN_2021.read_text(encoding="utf-8")
    assert _row(parse_text(text)) == [None, None, None]  # "693665" splits many ways
    report = parse_text(text, previous=_last_year(599))
    assert _row(report) == [69, 3, 665]
    assert _row(report, "rules") == [0, 0, 0]  # read from the text; last year's 5 breaks it: a warning
    cell = report.cells[f"{ROW}.in_force"]
    assert cell.placed == "identity"
    assert "599" in cell.identity and "last.txt" in cell.identity
    previous = {"source": "last.txt", "year": 2020, "in_force": {"rules": 5, "normative_documents": 599}}
    assert report.to_json()["previous_year"] == previous
    assert [f.cells for f in report.findings if f.rule == "continuity.in_force"] == [["active.rules.in_force"]]


@needs_pingtan
def test_last_year_that_contradicts_every_split_leaves_the_row_unread():
    report = parse_text(PINGTAN_2021.read_text(encoding="utf-8"), previous=_last_year(598))
    assert _row(report) == [None, None, None]
    assert "连续性不符" in report.cells[f"{ROW}.in_force"].unread_reason


def _glued_2021(normative: str) -> str:
    text = PINGTAN_2021.read_text(encoding="utf-8")
    return text.replace("行政规范性文件693665", f"行政规范性文件{normative}")


@needs_pingtan
def test_two_splits_that_both_fit_stay_unread():
    # 1/1/11 and 1/11/1 both give 11 + 制发 − 废止 = 现行有效.
    report = parse_text(_glued_2021("1111"), previous=_last_year(11))
    assert _row(report) == [None, None, None]
    assert "多种拆分" in report.cells[f"{ROW}.issued"].unread_reason


@needs_pingtan
def test_last_years_counts_are_only_what_it_read_in_the_2021_format():
    old = parse_file(Path("/work/shared/real-reports/pingtan_2019_flattened.txt"))
    assert PreviousYear.from_report(old) is None  # 2019 format: 对外公开总数量 is not 现行有效件数
    counts = PreviousYear.from_report(parse_file(PINGTAN_2021))
    assert counts is not None and counts.in_force == {"rules": 0}  # the open row gives nothing


def test_stray_value_in_a_row_is_placed_by_continuity():
    text = _PLAIN.format(normative="3 1 40 7")
    assert _row(parse_text(text)) == [None, None, None]
    assert _row(parse_text(text, previous=_last_year(38))) == [3, 1, 40]
    assert _row(parse_text(text, previous=_last_year(39))) == [None, None, None]  # no subset fits: unread


def test_label_placed_values_are_never_moved_and_a_break_is_a_warning():
    text = _PLAIN.format(normative="3 1 40")
    report = parse_text(text, previous=_last_year(30))
    assert _row(report) == [3, 1, 40]
    assert report.cells[f"{ROW}.in_force"].placed == "label"
    (finding,) = [f for f in report.findings if f.rule == "continuity.in_force"]
    assert finding.severity == "warning"
    assert finding.cells == [f"{ROW}.in_force"]
    assert "30" in finding.message and "32" in finding.message and "40" in finding.message
    assert not [f for f in parse_text(text, previous=_last_year(38)).findings if f.rule == "continuity.in_force"]
    assert not [f for f in parse_text(text).findings if f.rule == "continuity.in_force"]


def test_damaged_glued_reports_with_last_year_are_never_wrong():
    """Generated glued-cell reports: last year's count reads some open rows and never misreads one."""
    opened = read = 0
    for seed in range(150):
        case = damaged_report(random.Random(f"continuity:{seed}"), "glued_cells", "2021")
        truth = case.truth["active"]
        last = {
            row: truth[row]["in_force"] - truth[row]["issued"] + truth[row]["repealed"]
            for row in ("rules", "normative_documents")
        }
        if min(last.values()) < 0:
            continue
        without = parse_text(case.text)
        report = parse_text(case.text, previous=PreviousYear(last, "synth"))
        for row in last:
            before, after = _row(without, row), _row(report, row)
            expected = [truth[row][key] for key in FIELDS]
            assert all(v is None or v == e for v, e in zip(after, expected, strict=True)), (seed, row, after)
            assert all(b is None or b == a for b, a in zip(before, after, strict=True))  # read rows unchanged
            if None in before:
                opened += 1
                read += None not in after
    assert opened >= 5 and read >= opened // 2, (opened, read)


_PLAIN = """某某市人民政府2021年政府信息公开工作年度报告
一、总体情况
本机关依法公开政府信息。
二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 0 5
行政规范性文件 {normative}
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 12
"""


@needs_pingtan
def test_cli_previous_option_and_folder_chaining(tmp_path: Path):
    last = tmp_path / "pingtan_2020.txt"
    last.write_text(_glued_2021("00599").replace("2021", "2020"), encoding="utf-8")
    now = tmp_path / "pingtan_2021.txt"
    now.write_text(PINGTAN_2021.read_text(encoding="utf-8"), encoding="utf-8")
    runner = CliRunner()

    result = runner.invoke(app, ["parse", str(now), "--previous", str(last), "--json", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["active"]["normative_documents"] == {"issued": 69, "repealed": 3, "in_force": 665}

    result = runner.invoke(app, ["parse", str(tmp_path), "--jsonl", "-j", "1"])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    by_source = {Path(d["source"]).name: d for d in docs if "source" in d}
    assert by_source["pingtan_2021.txt"]["active"]["normative_documents"]["in_force"] == 665
    assert by_source["pingtan_2020.txt"]["active"]["normative_documents"]["in_force"] == 599

    later = tmp_path / "pingtan_2022.txt"  # 10/5/670 only with 2021's 665, itself known only through 2020
    later.write_text(_glued_2021("105670").replace("2021", "2022"), encoding="utf-8")
    result = runner.invoke(app, ["parse", str(tmp_path), "--jsonl", "-j", "1"])
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    by_source = {Path(d["source"]).name: d for d in docs if "source" in d}
    assert by_source["pingtan_2022.txt"]["active"]["normative_documents"] == {
        "issued": 10,
        "repealed": 5,
        "in_force": 670,
    }
    assert by_source["pingtan_2022.txt"]["previous_year"]["in_force"]["normative_documents"] == 665

    result = runner.invoke(app, ["parse", str(now), "--previous", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2


def test_last_year_from_stored_cell_values():
    from decimal import Decimal

    stored = {"active.rules.in_force": Decimal("5.0000"), "active.normative_documents.in_force": None, "x": 3}
    counts = PreviousYear.from_values(stored, "年报#12", 2020)
    assert counts is not None and counts.in_force == {"rules": 5} and counts.source == "年报#12"
    assert PreviousYear.from_values({"active.rules.in_force": None}, "年报#13") is None


@needs_pingtan
def test_a_previous_report_of_another_year_is_not_used():
    text = PINGTAN_2021.read_text(encoding="utf-8")
    report = parse_text(text, previous=_last_year(599, year=2019))
    assert _row(report) == [None, None, None] and report.previous is None
    assert _row(parse_text(text, previous=PreviousYear({"normative_documents": 599}, "x"))) == [
        69,
        3,
        665,
    ]  # year unknown


@needs_pingtan
def test_cells_the_splits_agree_on_do_not_claim_continuity():
    # 0/1/23 and 0/12/3: 制发 0 is read either way (by the splits agreeing); last year's 100 fits neither split.
    report = parse_text(_glued_2021("0123"), previous=_last_year(100))
    issued = report.cells[f"{ROW}.issued"]
    assert issued.value == 0 and issued.placed == "identity" and issued.identity is None
    assert report.value(f"{ROW}.in_force") is None
    fitted = parse_text(_glued_2021("0123"), previous=_last_year(15)).cells[f"{ROW}.in_force"]
    assert (fitted.value, fitted.placed) == (3, "identity") and "15" in fitted.identity
