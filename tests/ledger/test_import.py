"""Import of agency ledgers (CSV/XLSX), export, and the `gongkai ledger` command line."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gongkai.cli import app
from gongkai.ledger.export import mask_digits, mask_name, to_xlsx
from gongkai.ledger.importer import CANONICAL_COLUMNS, import_ledger, load_mapping, parse_date, save_mapping
from gongkai.ledger.stats import year_statistics
from gongkai.ledger.synth import generate_cases, generate_ledger

runner = CliRunner()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024年3月5日", date(2024, 3, 5)),
        ("2024 年 3 月 5 日", date(2024, 3, 5)),
        ("2024.3.5", date(2024, 3, 5)),
        ("2024/03/05", date(2024, 3, 5)),
        ("2024-3-5", date(2024, 3, 5)),
        ("２０２４．３．５", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
        ("2024-03-05 14:30", date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),  # Excel serial
        ("45356", date(2024, 3, 5)),
        (45356.0, date(2024, 3, 5)),
        (datetime(2024, 3, 5, 9, 0), date(2024, 3, 5)),
    ],
)
def test_dates_in_the_usual_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2024年2月30日", "三月五日", "2024-13-01", "abc", -3])
def test_bad_dates_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


CSV_OK = """编号,收到日期,申请人类型,收到方式,答复日期,办理结果,申请人,联系方式
A1,2024年3月5日,个人,网上申请,2024.3.20,同意公开,张三,13812345678
A2,2024/03/06,律师事务所,邮寄,2024-04-01,不予公开-国家秘密,某律所,
A3,45366,公司,当面,,,,
A4,2024.3.7,企业,,2024/3/8,信访举报投诉,,
"""


def test_csv_with_free_words():
    result = import_ledger(CSV_OK.encode(), "ledger.csv", agency="甲局")
    assert result.ok, result.errors
    by_id = {r.id: r for r in result.requests}
    assert by_id["A1"].applicant_type == "natural_person" and by_id["A1"].outcome == "granted"
    assert by_id["A1"].channel == "online"
    assert by_id["A2"].applicant_type == "legal_service" and by_id["A2"].outcome == "withheld_state_secret"
    assert by_id["A3"].received == date(2024, 3, 15) and by_id["A3"].closed is None
    assert by_id["A4"].outcome == "not_processed_complaint"
    assert all(r.agency == "甲局" for r in result.requests)


def test_gbk_csv():
    result = import_ledger(CSV_OK.encode("gb18030"), "ledger.csv")
    assert result.ok and len(result.requests) == 4


CSV_BAD = """编号,收到日期,申请人类型,答复日期,办理结果
B1,2024-03-05,个人,2024-03-20,予以公开
B2,2024-02-30,个人,,
B3,2024-03-05,外星人,2024-03-20,予以公开
B4,2024-03-05,个人,2024-03-01,予以公开
B5,2024-03-05,个人,2024-03-20,随便答复
B1,2024-03-06,个人,,
"""


def test_bad_rows_have_row_numbers_and_nothing_is_imported():
    result = import_ledger(CSV_BAD.encode(), "bad.csv")
    assert not result.ok
    assert result.requests == []
    rows = {e.row for e in result.errors}
    assert rows == {3, 4, 5, 6, 7}
    text = "\n".join(str(e) for e in result.errors)
    assert "第3行" in text and "不存在" in text
    assert "外星人" in text and "早于收到申请之日" in text and "与第2行重复" in text
    assert result.unmapped == {"申请人类型": {"外星人": [4]}, "办理结果": {"随便答复": [6]}}


def test_dry_run_returns_good_rows_for_preview():
    result = import_ledger(CSV_BAD.encode(), "bad.csv", dry_run=True)
    assert not result.ok and [r.id for r in result.requests] == ["B1"]


def test_missing_required_column():
    result = import_ledger("编号,申请人类型\n1,个人\n".encode(), "x.csv")
    assert not result.ok and "收到日期" in result.errors[0].message_zh and result.errors[0].row == 1


def test_unsupported_and_broken_files():
    assert "不支持" in import_ledger(b"x", "a.pdf").errors[0].message_zh
    assert "Excel" in import_ledger(b"not a zip", "a.xlsx").errors[0].message_zh


def test_column_mapping_saved_per_agency(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path))
    csv_text = "登记号,来件时间,主体,结果,回复时间\nX1,2024-03-05,自然人,予以公开,2024-03-08\n"
    assert not import_ledger(csv_text.encode(), "x.csv").ok
    mapping = {
        "编号": "登记号",
        "收到日期": "来件时间",
        "申请人类型": "主体",
        "办理结果": "结果",
        "答复日期": "回复时间",
    }
    save_mapping("乙局", mapping)
    assert load_mapping("乙局") == mapping
    result = import_ledger(csv_text.encode(), "x.csv", mapping=load_mapping("乙局"))
    assert result.ok and result.requests[0].outcome == "granted"


def test_header_not_on_first_row_and_excel_dates():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某局2024年依申请公开台账"])
    ws.append(["序号", "受理日期", "申请人类别", "办结日期", "处理结果"])
    ws.append([1, datetime(2024, 3, 5), "企业", 45371, "部分公开"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_ledger(buffer.getvalue(), "t.xlsx", agency="丙局")
    assert result.ok, result.errors
    (r,) = result.requests
    assert (r.id, r.received, r.closed, r.outcome) == ("1", date(2024, 3, 5), date(2024, 3, 20), "partially_granted")


def test_export_masks_and_imports_back():
    requests = generate_ledger(300, 2024, seed=3)
    cases = generate_cases(requests, share=0.1, seed=3)
    data = to_xlsx(requests, cases, mask=False)
    back = import_ledger(data, "export.xlsx")
    assert back.ok, back.errors[:3]
    assert back.requests == requests
    assert back.cases == cases
    assert year_statistics(back.requests, back.cases, 2024).requests == year_statistics(requests, cases, 2024).requests
    masked = openpyxl.load_workbook(io.BytesIO(to_xlsx(requests[:1])), read_only=True)
    header, row = list(masked["申请"].iter_rows(values_only=True))[:2]
    assert list(header) == list(CANONICAL_COLUMNS)
    values = dict(zip(header, row, strict=True))
    assert "*" in values["申请人"] and "*" in values["联系方式"] and "*" in values["证件号码"]
    assert values["证件号码"] != requests[0].id_number


def test_masks():
    assert mask_name("张三") == "张*"
    assert mask_digits("13812345678", 3, 4) == "138****5678"
    assert mask_digits("110101199001011234", 4, 4) == "1101**********1234"


# -- command line --------------------------------------------------------------
def test_cli_deadline_example():
    result = runner.invoke(app, ["ledger", "deadline", "2024-01-31", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["deadline"] == "2024-03-04"
    counted = [t for t in doc["trace"] if t["kind"] == "counted"]
    assert len(counted) == 20 and {"2024-02-04", "2024-02-18"} <= {t["date"] for t in counted}


def test_cli_deadline_options_and_text():
    result = runner.invoke(app, ["ledger", "deadline", "2024年3月1日", "--extend"])
    assert result.exit_code == 0 and "2024-04-28" in result.output
    result = runner.invoke(app, ["ledger", "deadline", "2024-09-02", "--pause", "2024-09-10:2024-10-10", "--json"])
    assert json.loads(result.output)["deadline"] == "2024-10-30"
    result = runner.invoke(app, ["ledger", "deadline", "2024-03-01", "--corrected", "2024-03-08", "--json"])
    assert json.loads(result.output)["deadline"] == "2024-04-08"


def test_cli_deadline_refuses_missing_year_and_bad_input():
    result = runner.invoke(app, ["ledger", "deadline", "2026-12-10"])
    assert result.exit_code != 0 and "2027年节假日安排尚未录入" in result.output
    result = runner.invoke(app, ["ledger", "deadline", "明天"])
    assert result.exit_code == 2 and "无法识别" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["ledger", "deadline", "2024-01-31", "--pause", "2024-02-01"])
    assert result.exit_code == 2


def test_cli_stats_compare_import_export(tmp_path):
    requests = generate_ledger(200, 2024, seed=5, as_of=date(2024, 12, 20))
    cases = generate_cases(requests, share=0.1, seed=5)
    ledger = tmp_path / "ledger.xlsx"
    ledger.write_bytes(to_xlsx(requests, cases, mask=False))
    result = runner.invoke(app, ["ledger", "stats", str(ledger), "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    expected = year_statistics(requests, cases, 2024)
    assert doc["requests"] == expected.requests and doc["review_litigation"] == expected.review_litigation
    assert doc["findings"] == []
    text = runner.invoke(app, ["ledger", "stats", str(ledger), "--year", "2024"])
    assert text.exit_code == 0 and "勾稽关系检查通过" in text.output
    drill = runner.invoke(app, ["ledger", "stats", str(ledger), "--year", "2024", "--drill", "requests.granted.total"])
    assert drill.output.split() == expected.drill["requests.granted.total"]

    from tests.ledger.test_stats import _report_text

    published = tmp_path / "report.txt"
    published.write_text(_report_text(expected, bump=("carried_forward", 0)), encoding="utf-8")
    compared = runner.invoke(app, ["ledger", "compare", str(ledger), str(published), "--year", "2024", "--json"])
    assert compared.exit_code == 1
    diffs = json.loads(compared.output)["differences"]
    assert {d["path"] for d in diffs} == {"requests.carried_forward.natural_person"}
    assert diffs[0]["ids"] == expected.drill["requests.carried_forward.natural_person"]

    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_BAD, encoding="utf-8")
    imported = runner.invoke(app, ["ledger", "import", str(bad), "--dry-run"])
    assert imported.exit_code == 2 and "第4行" in imported.output and "未导入任何记录" in imported.output
    out = tmp_path / "out.xlsx"
    good = tmp_path / "good.csv"
    good.write_text(CSV_OK, encoding="utf-8")
    assert runner.invoke(app, ["ledger", "import", str(good), "--out", str(out)]).exit_code == 0
    assert len(import_ledger(out.read_bytes(), "out.xlsx").requests) == 4
    status = runner.invoke(app, ["ledger", "status", str(ledger), "--today", "2024-12-31", "--json"])
    assert status.exit_code == 0
    states = {row["state"] for row in json.loads(status.output)}
    assert states and "closed" not in states and states <= {"open", "due_soon", "overdue", "paused", "awaiting_payment",
                                                              "awaiting_correction"}  # fmt: skip
    some = requests[0].id
    one = runner.invoke(app, ["ledger", "status", str(ledger), "--id", some, "--today", "2024-12-20", "--json"])
    assert one.exit_code == 0 and json.loads(one.output)["trace"]
    assert runner.invoke(app, ["ledger", "status", str(ledger), "--id", "nope"]).exit_code == 2
    text_report = tmp_path / "tables.txt"
    assert (
        runner.invoke(app, ["ledger", "stats", str(ledger), "--year", "2024", "--report", str(text_report)]).exit_code
        == 0
    )
    assert "（七）总计" in text_report.read_text(encoding="utf-8")
    exported = tmp_path / "masked.xlsx"
    assert runner.invoke(app, ["ledger", "export", str(ledger), "--out", str(exported)]).exit_code == 0
    assert exported.stat().st_size > 0


def test_cli_template_has_the_canonical_columns(tmp_path):
    out = tmp_path / "模板.xlsx"
    assert runner.invoke(app, ["ledger", "template", "--out", str(out)]).exit_code == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["申请", "复议诉讼"]
    assert list(next(wb["申请"].iter_rows(values_only=True))) == list(CANONICAL_COLUMNS)


def test_cli_fee_and_calendar():
    result = runner.invoke(app, ["ledger", "fee", "--pages", "150"])
    assert result.exit_code == 0 and "合计1700元" in result.output
    assert runner.invoke(app, ["ledger", "fee", "--pages", "1", "--pieces", "1"]).exit_code == 2
    shown = runner.invoke(app, ["ledger", "calendar", "show", "2024"])
    assert "2024-02-04" in shown.output and "调休" in shown.output
    assert runner.invoke(app, ["ledger", "calendar", "show", "2031"]).exit_code == 2


def test_cases_from_a_csv_file():
    text = (
        "编号,案件类型,收到日期,结果,审结日期,申请编号\n"
        "K1,复议,2024-02-01,维持,2024-04-01,A1\n"
        "K2,直接起诉,2024.5.6,审理中,,\n"
    )
    result = import_ledger(text.encode(), "cases.csv")
    assert result.ok, result.errors
    assert [(c.id, c.kind, c.outcome, c.request_id) for c in result.cases] == [
        ("K1", "review", "maintained", "A1"),
        ("K2", "litigation_direct", "pending", None),
    ]
    bad = import_ledger("编号,案件类型,收到日期,结果\nK3,复议,2024-02-01,胜诉\n".encode(), "cases.csv")
    assert not bad.ok and bad.errors[0].row == 2 and bad.unmapped == {"结果": {"胜诉": [2]}}


def test_cli_calendar_add_then_deadline(tmp_path, monkeypatch):
    from tests.ledger.test_deadlines import VALID_2027

    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "data"))
    assert runner.invoke(app, ["ledger", "deadline", "2026-12-10"]).exit_code == 2
    source = tmp_path / "2027.toml"
    source.write_text(VALID_2027.replace("2027-01-08", "x"), encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text("year = 2027\n", encoding="utf-8")
    assert runner.invoke(app, ["ledger", "calendar", "add", str(broken)]).exit_code == 2
    assert runner.invoke(app, ["ledger", "calendar", "add", str(source)]).exit_code == 0
    result = runner.invoke(app, ["ledger", "deadline", "2026-12-10", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["deadline"].startswith("2027-01")
    assert runner.invoke(app, ["ledger", "stats", str(tmp_path / "none.csv"), "--year", "2024"]).exit_code == 2


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("（三）不予公开 1．属于国家秘密", "withheld_state_secret"),
        ("三、本年度办理结果 （一）予以公开", "granted"),
        ("（六）其他处理 3．其他", "other_other"),
        ("部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
        ("（四）无法提供 2．没有现成信息需要另行制作", "unavailable_needs_creation"),
        ("信息不存在", "unavailable_not_held"),
        ("逾期不补正", "other_overdue_correction"),
    ],
)
def test_official_labels_and_free_words_map_to_outcomes(word, key):
    from gongkai.ledger.importer import OUTCOME_WORDS, norm

    assert OUTCOME_WORDS[norm(word)] == key


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("法人或其他组织-其他", "other_org"),
        ("律师", "legal_service"),
        ("公民", "natural_person"),
        ("公司", "commercial"),
    ],
)
def test_applicant_words(word, key):
    from gongkai.ledger.importer import APPLICANT_WORDS, norm

    assert APPLICANT_WORDS[norm(word)] == key


def test_ambiguous_words_are_not_guessed():
    from gongkai.ledger.importer import OUTCOME_WORDS, norm

    assert norm("不予公开") not in OUTCOME_WORDS  # eight rows of （三）: the ledger must say which


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_every_usual_form_of_a_date_reads_back(day):
    forms = [
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        day.isoformat(),
        day.strftime("%Y%m%d"),
        (day - date(1899, 12, 30)).days,  # Excel serial
        datetime(day.year, day.month, day.day, 10, 30),
    ]
    assert all(parse_date(f) == day for f in forms)


def test_workbook_with_a_notes_sheet_first():
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["本台账按月更新"])
    ws = wb.create_sheet("台账")
    ws.append(["编号", "收到日期", "申请人类型", "答复日期", "办理结果"])
    ws.append(["N1", "2024-03-05", "个人", "2024-03-06", "予以公开"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_ledger(buffer.getvalue(), "n.xlsx")
    assert result.ok and [r.id for r in result.requests] == ["N1"]
    assert [w.sheet for w in result.warnings] == ["填表说明"]
    del wb["台账"]
    buffer = io.BytesIO()
    wb.save(buffer)
    assert "缺少必需的列" in import_ledger(buffer.getvalue(), "n.xlsx").errors[0].message_zh


def test_shipped_calendars_name_every_statutory_holiday():
    from gongkai.ledger.calendar import default_calendar

    cal = default_calendar()
    assert set(range(2019, 2027)) <= set(cal.years)
    for year in range(2019, 2027):
        names = "".join(set(cal.years[year].holidays.values()))
        for holiday in ("元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆"):
            assert holiday in names, (year, holiday)


def test_export_lists_every_event_even_two_of_a_kind():
    from dataclasses import replace

    from gongkai.ledger.export import EVENT_SHEET
    from gongkai.ledger.model import Event

    (request,) = generate_ledger(1, 2024, seed=9)
    days = [request.received + timedelta(days=n) for n in (1, 4, 5, 7)]
    twice = (
        Event("consult_sent", days[0], party="third_party"),
        Event("consult_answered", days[1]),
        Event("consult_sent", days[2], party="other_agency"),
        Event("consult_answered", days[3]),
    )
    request = replace(request, events=twice)
    data = to_xlsx([request], mask=False)
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)[EVENT_SHEET]
    rows = list(sheet.iter_rows(values_only=True))[1:]
    sent, answered = "征求意见（发出）", "征求意见（收到意见）"
    assert [(r[1], r[2].date()) for r in rows] == list(zip((sent, answered, sent, answered), days, strict=True))
    back = import_ledger(data, "export.xlsx", dry_run=True)
    assert back.ok and not back.warnings, back.errors  # the reading sheet is not taken for a ledger
