"""Each rule fires on the input that breaks it, and only there (edits of the real seeds)."""

from pathlib import Path

from gongkai.parse import parse_text
from tests.conftest import seed_path


def _seed(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def _rules(report, severity=None):
    return sorted(f.rule for f in report.findings if severity is None or f.severity == severity)


def test_changed_total_breaks_three_identities():
    text = _seed("002").replace("(七) 总计\t\t199\t", "(七) 总计\t\t198\t")
    report = parse_text(text)
    assert report.value("requests.total.natural_person") == 198
    errors = [f for f in report.findings if f.severity == "error"]
    assert sorted((f.rule, f.expected, f.found) for f in errors) == [
        ("requests.applicant_total", 269, 270),
        ("requests.balance", 199, 198),
        ("requests.outcomes_total", 199, 198),
    ]
    for finding in errors:
        assert "requests.total.natural_person" in finding.cells or finding.rule == "requests.applicant_total"


def test_review_block_total():
    text = _seed("004").replace("8 | 0 | 1 | 3 | 12 |", "8 | 0 | 1 | 3 | 13 |")
    report = parse_text(text)
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.rule, f.cells[0], f.expected, f.found) for f in errors] == [
        ("review_litigation.block_total", "review_litigation.review.total", 12, 13)
    ]
    assert "总计为13" in errors[0].message
    # The prose still says 12 cases: the table now disagrees with it.
    assert "prose.table_mismatch" in _rules(report, "warning")


def test_missing_row_is_reported_and_nothing_shifts():
    text = _seed("002").replace("\t\t2.重复申请\t\t0\t0\t0\t0\t0\t0\t0\n", "")
    report = parse_text(text)
    missing = [f for f in report.findings if f.rule == "cells.missing"]
    assert len(missing) == 1
    columns = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")
    assert missing[0].cells == [f"requests.not_processed_duplicate.{c}" for c in columns]
    assert report.to_json()["requests"]["other_other"] == [11, 0, 0, 0, 0, 0, 11]


def test_negative_count():
    text = _seed("004").replace("5.属于三类内部事务信息 | 2 |", "5.属于三类内部事务信息 | -2 |")
    report = parse_text(text)
    assert "cells.non_negative_integer" in _rules(report, "error")


def test_2019_format_in_a_2021_report_is_a_warning():
    text = _seed("004").replace("2020年1月1日至2020年12月31日", "2021年1月1日至2021年12月31日")
    report = parse_text(text)
    outdated = [f for f in report.findings if f.rule == "format.outdated"]
    assert len(outdated) == 1 and outdated[0].severity == "warning"
    assert "2021年度" in outdated[0].message and "2019年版" in outdated[0].message


def test_missing_section_heading():
    text = _seed("001").replace("六、其他需要报告的事项", "")
    report = parse_text(text)
    missing = [f for f in report.findings if f.rule == "sections.missing"]
    assert [f.message for f in missing] == ["未找到第六部分“其他需要报告的事项”。"]


def test_prose_report_after_2019_has_no_tables():
    text = _seed("003").replace("秦皇岛市2016年政府信息公开工作年度报告", "秦皇岛市2020年政府信息公开工作年度报告", 1)
    report = parse_text(text)
    # No table label decides the format: a 2020 report follows the 2019 条例, so the year's format (never the
    # 2007 one), and its tables are not found.
    assert (report.format.id, report.format_basis) == ("2019", "year")
    assert _rules(report, "error") == ["tables.not_found"]


def test_clean_report_has_no_errors():
    for prefix in ("001", "002", "004"):
        assert _rules(parse_text(_seed(prefix)), "error") == []


def test_tables_published_as_images():
    """Headings of the new format but no table text: one clear error, not 25 missing rows."""
    text = _seed("000")
    start = text.index("二、主动公开政府信息情况")
    end = text.index("五、存在的问题及改进情况")
    text = (
        text[:start] + "二、主动公开政府信息情况\n（图片）\n三、收到和处理政府信息公开申请情况\n（图片）\n"
        "四、政府信息公开行政复议、行政诉讼情况\n（图片）\n" + text[end:]
    )
    report = parse_text(text)
    data = report.to_json()
    assert (data["format"], data["format_basis"]) == ("2021", "headings")
    assert _rules(report, "error") == ["tables.not_found"]
    assert data["requests"]["total"] == [None] * 7


def test_published_after_the_deadline():
    on_time = parse_text(_seed("003"))
    assert on_time.meta["published"] == "2017-02-22"
    assert "timeliness.late" not in _rules(on_time)
    late = parse_text(_seed("003").replace("发布时间:2017-02-22", "发布时间:2017-04-06"))
    finding = next(f for f in late.findings if f.rule == "timeliness.late")
    assert (finding.expected, finding.found, finding.severity) == ("2017-03-31", "2017-04-06", "warning")
    assert "2007年《政府信息公开条例》第三十一条" in finding.message


def test_department_deadline_is_january_31():
    html = (Path(__file__).parent / "data" / "report_2021.html").read_text(encoding="utf-8")
    department = html.replace("某某区人民政府2022年", "某某区交通运输局2022年").replace("2023-01-20", "2023-02-15")
    report = parse_text(department)
    assert report.meta["agency"]["is_department"] is True
    finding = next(f for f in report.findings if f.rule == "timeliness.late")
    assert (finding.expected, finding.found) == ("2023-01-31", "2023-02-15")
    government = parse_text(html.replace("2023-01-20", "2023-02-15"))
    assert "timeliness.late" not in _rules(government)  # 县级以上地方人民政府: 3月31日


def test_followup_on_last_years_problems():
    assert "sections.no_followup" in _rules(parse_text(_seed("001")))
    followed = _seed("001").replace("(二)改进情况\n", "(二)改进情况\n针对上年度报告指出的问题，已全部整改。\n")
    assert "sections.no_followup" not in _rules(parse_text(followed))
