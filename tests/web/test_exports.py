import csv
import io
import json

import pytest
from openpyxl import load_workbook

from gongkai.spec import BALANCE_NOTE
from gongkai.web.center.services import corrections
from gongkai.web.center.services.exports import COLUMNS
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db
# No comma: a line with one reads as a sentence, not a title (fitting/meta.py).
FORMULA_TITLE = '=HYPERLINK("http://e.cn/x")&"石家庄市人民政府2021年政府信息公开工作年度报告"'


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[dict]:
    """The rows of a CSV export keyed by column key (the file's header row is in Chinese)."""
    key = {label: k for k, label in COLUMNS}
    reader = csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig")))
    return [{key[h]: v for h, v in row.items()} for row in reader]


def test_csv_header_is_chinese(client, shijiazhuang):
    header = next(csv.reader(io.StringIO(_body(client.get("/reports/export.csv")).decode("utf-8-sig"))))
    assert header[:6] == ["年报编号", "机关", "行政区划代码", "年度", "格式", "单元格"]


def test_csv_one_row_per_report_and_cell(client, shijiazhuang, puyang):
    response = client.get("/reports/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == shijiazhuang.cell_rows.count() + puyang.cell_rows.count()
    total = next(r for r in rows if r["report_id"] == str(shijiazhuang.pk) and r["path"] == "requests.total.total")
    assert (total["value"], total["agency"], total["division_code"], total["year"]) == (
        "2088",
        "石家庄市",
        "130100",
        "2021",
    )
    assert total["line"] and total["raw"] == "2088"
    only_2019 = csv_rows(client.get("/reports/export.csv?year=2019"))
    assert str(shijiazhuang.pk) not in {r["report_id"] for r in only_2019}


def test_xlsx_has_long_table_and_official_layout_with_merges(client, shijiazhuang, editor):
    corrections.correct_cell(shijiazhuang, "requests.total.total", "2090", "核实", editor)
    response = client.get(f"/reports/{shijiazhuang.pk}/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(_body(response)))
    assert wb.sheetnames[0] == "单元格"
    long = wb["单元格"]
    header = [c.value for c in long[1]]
    assert header[:3] == ["年报编号", "机关", "行政区划代码"] and long.max_row == 201
    layout = wb[wb.sheetnames[1]]
    merged = {str(r) for r in layout.merged_cells.ranges}
    note = next(c for row in layout.iter_rows() for c in row if c.value == BALANCE_NOTE)
    assert f"{note.coordinate}:C{note.row + 2}" in merged  # 3 × 3 header cell
    values = [c.value for row in layout.iter_rows() for c in row]
    assert 2090 in values and "三、本年度办理结果" in values and "行政诉讼" in values


def test_json_export_is_v1_with_corrections(client, shijiazhuang, editor):
    corrections.correct_cell(shijiazhuang, "requests.total.total", "2090", "核实", editor)
    docs = json.loads(_body(client.get(f"/reports/{shijiazhuang.pk}/export.json")))
    assert docs[0]["schema"] == "gongkai.report/v1"
    assert docs[0]["requests"]["total"][6] == 2090 and docs[0]["corrections"][0]["reason"] == "核实"
    assert json.loads(_body(client.get("/reports/export.json?year=1990"))) == []


def test_unknown_export_format_is_404(client, shijiazhuang):
    assert client.get(f"/reports/{shijiazhuang.pk}/export.exe").status_code == 404


def test_sqlite_export_for_datasette(client, shijiazhuang, puyang, editor, tmp_path):
    import sqlite3

    corrections.correct_cell(shijiazhuang, "requests.total.total", "2090", "核实", editor)
    response = client.get("/reports/export.sqlite")
    body = _body(response)
    assert response.status_code == 200 and body[:16] == b"SQLite format 3\x00"
    path = tmp_path / "out.sqlite"
    path.write_bytes(body)
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
    value, extracted, corrected = db.execute(
        "SELECT value, extracted, corrected FROM cells WHERE report_id = ? AND path = 'requests.total.total'",
        (shijiazhuang.pk,),
    ).fetchone()
    assert (value, extracted, corrected) == (2090, 2088, 1)
    assert db.execute("SELECT name FROM agencies WHERE division_code = '130000'").fetchone() == ("河北省",)
    assert db.execute("SELECT count(*) FROM corrections").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM findings WHERE severity = 'error'").fetchone()[0] >= 1
    # Foreign keys let Datasette link the tables.
    assert db.execute("PRAGMA foreign_key_list(cells)").fetchall()[0][2] == "reports"
    db.close()


def test_csv_in_the_official_layout(client, shijiazhuang):
    response = client.get(f"/reports/{shijiazhuang.pk}/export.layout.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert rows[0][0].startswith("石家庄市")
    total = next(r for r in rows if any("（七）总计" in x for x in r))
    # 自然人 … 总计 of 三（七）: what the report prints, the merged label once.
    assert total[-7:] == ["1869", "174", "5", "5", "13", "22", "2088"]
    assert sum(1 for r in rows for x in r if "三、本年度办理结果" in x) == 1


@pytest.fixture
def formula_report(db):
    """Seed 000 with a formula for a title, and formulas where uploaded text reaches the other columns."""
    from gongkai.web.center.models import Cell
    from gongkai.web.center.services.ingest import ingest_bytes

    name, data = seed("000")
    lines = data.decode("utf-8").split("\n")
    report = ingest_bytes("\n".join([FORMULA_TITLE, *lines[1:]]).encode("utf-8"), name).report
    Cell.objects.filter(report=report, path="requests.total.total").update(raw="=1+2", label="@SUM(A1)")
    Cell.objects.filter(report=report, path="requests.new_received.total").update(raw="-3")
    Cell.objects.filter(report=report, path="requests.carried_over.total").update(raw="-")
    report.agency.name = "+cmd|' /C calc'!A0"
    report.agency.save()
    return report


def test_uploaded_text_is_never_a_formula_in_xlsx(client, formula_report):
    wb = load_workbook(io.BytesIO(_body(client.get(f"/reports/{formula_report.pk}/export.xlsx"))))
    heading = wb[wb.sheetnames[1]]["A1"]
    assert (heading.value, heading.data_type) == (FORMULA_TITLE, "s")
    rows = list(wb["单元格"].iter_rows(min_row=2))
    total = next(r for r in rows if r[5].value == "requests.total.total")
    assert [(c.value, c.data_type) for c in (total[1], total[6], total[11])] == [
        ("+cmd|' /C calc'!A0", "s"),
        ("@SUM(A1)", "s"),
        ("=1+2", "s"),
    ]
    assert not [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert total[7].data_type == "n"  # numbers stay numbers


def test_uploaded_text_is_quoted_in_csv(client, formula_report):
    rows = csv_rows(client.get("/reports/export.csv"))
    total = next(r for r in rows if r["path"] == "requests.total.total")
    assert (total["agency"], total["label"], total["raw"]) == ("'+cmd|' /C calc'!A0", "'@SUM(A1)", "'=1+2")
    assert total["value"] == "2088"
    # A signed number or the placeholder "-" is no formula to a spreadsheet program: kept as printed.
    raw = {r["path"]: r["raw"] for r in rows}
    assert (raw["requests.new_received.total"], raw["requests.carried_over.total"]) == ("-3", "-")
    layout = _body(client.get(f"/reports/{formula_report.pk}/export.layout.csv")).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(layout))) == ["'" + FORMULA_TITLE]


def test_consolidation_workbook_keeps_agency_names_as_text(formula_report):
    from gongkai.web.center.services.consolidate import consolidate
    from gongkai.web.center.services.consolidation_export import to_xlsx

    province = formula_report.agency.parent
    province.name = "=1+1"
    province.save()
    wb = load_workbook(io.BytesIO(to_xlsx(consolidate(province, 2021))))
    names = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "+cmd|' /C calc'!A0"]
    assert names and {c.data_type for c in names} == {"s"}
    assert wb["汇总表"]["A1"].value.startswith("=1+1") and wb["汇总表"]["A1"].data_type == "s"


@pytest.mark.parametrize("fmt", ["csv", "layout.csv", "xlsx", "sqlite"])
def test_set_export_queries_do_not_grow_with_the_reports(client, six_reports, fmt, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as three:
        response = client.get(f"/reports/export.{fmt}?year=2030")
        assert response.status_code == 200 and _body(response)
    with django_assert_max_num_queries(6) as six:
        assert _body(client.get(f"/reports/export.{fmt}"))
    assert len(six) == len(three), [q["sql"][:60] for q in six.captured_queries]


def test_json_set_export_queries_do_not_grow_with_the_reports(client, six_reports, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as three:
        _body(client.get("/reports/export.json?year=2030"))
    with django_assert_max_num_queries(6) as six:
        _body(client.get("/reports/export.json"))
    assert len(six) == len(three), [q["sql"][:60] for q in six.captured_queries]


def test_set_exports_are_streamed(client, six_reports):
    assert client.get("/reports/export.csv").streaming and client.get("/reports/export.json").streaming
    xlsx = client.get("/reports/export.xlsx")
    assert xlsx.streaming and load_workbook(io.BytesIO(_body(xlsx))).sheetnames[0] == "单元格"
    assert len(json.loads(_body(client.get("/reports/export.json?year=2031")))) == 3


def test_a_set_over_the_export_limit_is_refused_not_truncated(client, shijiazhuang, puyang, settings):
    settings.GONGKAI_EXPORT_MAX_REPORTS = 1
    response = client.get("/reports/export.xlsx?format=")
    assert response.status_code == 302 and response["Location"] == "/reports/"
    page = client.get("/reports/export.csv?year=2021", follow=True)
    assert page.status_code == 200 and page.redirect_chain == []  # one report: within the limit
    html = client.get("/reports/export.sqlite", follow=True).content.decode()
    assert "筛选结果共 2 份，超过一次导出上限 1 份" in html


def test_report_list_offers_no_export_of_a_set_over_the_limit(client, shijiazhuang, puyang, settings):
    assert "/reports/export.xlsx" in client.get("/reports/").content.decode()
    settings.GONGKAI_EXPORT_MAX_REPORTS = 1
    html = client.get("/reports/").content.decode()
    assert "/reports/export.xlsx" not in html and "一次最多导出 1 份" in html
    assert "/reports/export.xlsx" in client.get("/reports/?year=2021").content.decode()


def test_control_characters_never_break_a_workbook():
    import io

    from openpyxl import Workbook, load_workbook

    from gongkai.web.center.services.exports import xlsx_value

    book = Workbook(write_only=True)
    ws = book.create_sheet()
    assert xlsx_value(ws, "本年\x07新收") == "本年\ufffd新收"
    ws.append([xlsx_value(ws, "=1+\x0b1")])
    out = io.BytesIO()
    book.save(out)  # openpyxl refuses control characters at this point
    cell = load_workbook(out).active["A1"]
    assert (cell.value, cell.data_type) == ("=1+\ufffd1", "s")
