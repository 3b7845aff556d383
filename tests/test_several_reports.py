"""A file holding several reports (a 汇编 of departments' reports, a page that appends another agency's): the first
is read, no table is taken from the next, and a finding says the rest was not read.  Generated reports, and two
crawled reports of the corpus one after the other."""

from __future__ import annotations

from pathlib import Path

from gongkai.parse import parse_text
from gongkai.proving.synth import make_report

REAL = Path(__file__).resolve().parents[1] / "corpus" / "real"


def _report(seed: int) -> str:
    return make_report(seed, "2021", "inline_pipes")[0]


def _without_review_table(text: str) -> str:
    start = text.index("四、")
    end = text.index("五、", start)
    section = "四、政府信息公开行政复议、行政诉讼情况\n本年度未发生政府信息公开行政复议、行政诉讼。\n"
    return text[:start] + section + text[end:]


def _several(report) -> list[dict]:
    return [f for f in report.to_json()["findings"] if f["rule"] == "document.several_reports"]


def test_a_table_the_first_report_does_not_print_is_not_taken_from_the_next():
    first, second = _without_review_table(_report(1)), _report(2)
    alone = parse_text(first).to_json()
    together = parse_text(first + "\n" + second)
    assert together.to_json()["review_litigation"] == alone["review_litigation"]
    assert all(v is None for row in alone["review_litigation"].values() for v in row)
    [finding] = _several(together)
    assert finding["severity"] == "warning"
    assert "年度报告" in finding["message"]


def test_the_first_of_two_whole_reports_is_read_as_it_is_alone():
    first, second = _report(3), _report(4)
    alone, together = parse_text(first).to_json(), parse_text(first + "\n" + second)
    for table in ("active", "requests", "review_litigation"):
        assert together.to_json()[table] == alone[table]
    assert together.to_json()["meta"]["agency"] == alone["meta"]["agency"]
    assert _several(together)


def test_a_table_of_contents_before_the_body_is_no_second_report():
    text = _report(5)
    title, rest = text.split("\n", 1)
    contents = "目录\n" + "".join(f"{h} {p}\n" for p, h in enumerate(("一、总体情况", "二、主动公开政府信息情况"), 1))
    report = parse_text(f"{title}\n{contents}{title}\n{rest}")
    assert not _several(report)
    assert report.to_json()["requests"] == parse_text(text).to_json()["requests"]


def test_two_crawled_reports_with_glued_cells_are_told_apart():
    # Crawler text glues a table's cells into digit runs: the first report's tables show as digits, not numbers.
    first = (REAL / "011_pingtan_2024.txt").read_text(encoding="utf-8")
    second = (REAL / "012_pingtan_2025.txt").read_text(encoding="utf-8")
    first = _without_review_table(first)
    report = parse_text(first + "\n" + second)
    assert report.to_json()["review_litigation"] == parse_text(first).to_json()["review_litigation"]
    assert _several(report)
