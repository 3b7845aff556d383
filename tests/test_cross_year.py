"""Checks across an agency's consecutive years, in the core and from `gongkai check` on a folder."""

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from gongkai.checking.cross_year import cross_year_findings
from gongkai.cli import app

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seeds" / "000_shijiazhuang_2021.txt"


def test_carry_over_must_equal_last_years_carried_forward():
    before = {"requests.carried_forward.total": Decimal(18), "requests.carried_forward.natural_person": Decimal(17)}
    now = {"requests.carried_over.total": Decimal(23), "requests.carried_over.natural_person": Decimal(17)}
    (finding,) = cross_year_findings({2020: before, 2021: now})
    assert (finding.rule, finding.severity, finding.year) == ("cross_year.carry_over", "error", 2021)
    assert finding.cells == ["requests.carried_over.total"] and (finding.expected, finding.found) == (18, 23)
    assert finding.message == "“总计”列：2021年“上年结转”为23，而2020年“结转下年度继续办理”为18。"
    assert cross_year_findings({2019: before, 2021: now}) == []  # not consecutive: nothing to compare


def test_in_force_continuity_is_a_warning():
    before = {"active.rules.in_force": Decimal(10)}
    now = {"active.rules.in_force": Decimal(12), "active.rules.issued": Decimal(3), "active.rules.repealed": Decimal(1)}
    assert cross_year_findings({2020: before, 2021: now}) == []
    now["active.rules.in_force"] = Decimal(15)
    (finding,) = cross_year_findings({2020: before, 2021: now})
    assert finding.severity == "warning" and (finding.expected, finding.found) == (12, 15)
    assert "2020年现行有效10件＋2021年制发3件－废止1件＝12件" in finding.message


def _two_years(folder: Path) -> Path:
    """石家庄 2021 (seed 000) and a 2020 stand-in that calls itself 石家庄市政府."""
    text = SEED.read_text(encoding="utf-8")
    (folder / "2021.txt").write_text(text, encoding="utf-8")
    earlier = text.replace("2021年", "2020年").replace("2022年", "2021年").replace("石家庄市人民政府", "石家庄市政府")
    (folder / "2020.txt").write_text(earlier, encoding="utf-8")
    return folder


def test_check_on_a_folder_of_years_reports_cross_year_findings(tmp_path):
    folder = _two_years(tmp_path)
    result = CliRunner().invoke(app, ["check", str(folder), "--jsonl", "--no-progress"])
    assert result.exit_code == 1
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    (cross,) = [d for d in docs if d["schema"] == "gongkai.cross_year/v1"]
    assert cross["agency"] == "石家庄市"  # one government under its two printed names
    assert {f["rule"] for f in cross["findings"]} == {"cross_year.carry_over", "cross_year.in_force"}
    assert all(f["year"] == 2021 for f in cross["findings"])
    # One year alone has nothing to compare with.
    (folder / "2020.txt").unlink()
    alone = CliRunner().invoke(app, ["check", str(folder), "--jsonl", "--no-progress"])
    assert "gongkai.cross_year/v1" not in alone.stdout
