import csv
import io
import json

import pytest
from openpyxl import load_workbook

from gongkai.spec import BALANCE_NOTE
from gongkai.web.center.services import corrections

pytestmark = pytest.mark.django_db


def test_csv_one_row_per_report_and_cell(client, shijiazhuang, puyang):
    response = client.get("/reports/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == shijiazhuang.cell_rows.count() + puyang.cell_rows.count()
    total = next(r for r in rows if r["report_id"] == str(shijiazhuang.pk) and r["path"] == "requests.total.total")
    assert (total["value"], total["agency"], total["division_code"], total["year"]) == (
        "2088",
        "石家庄市",
        "130100",
        "2021",
    )
    assert total["line"] and total["raw"] == "2088"
    only_2019 = client.get("/reports/export.csv?year=2019").content.decode("utf-8-sig")
    assert str(shijiazhuang.pk) not in {r["report_id"] for r in csv.DictReader(io.StringIO(only_2019))}


def test_xlsx_has_long_table_and_official_layout_with_merges(client, shijiazhuang, editor):
    corrections.correct_cell(shijiazhuang, "requests.total.total", "2090", "核实", editor)
    response = client.get(f"/reports/{shijiazhuang.pk}/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
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
    docs = json.loads(client.get(f"/reports/{shijiazhuang.pk}/export.json").content)
    assert docs[0]["schema"] == "gongkai.report/v1"
    assert docs[0]["requests"]["total"][6] == 2090 and docs[0]["corrections"][0]["reason"] == "核实"
    assert json.loads(client.get("/reports/export.json?year=1990").content) == []


def test_unknown_export_format_is_404(client, shijiazhuang):
    assert client.get(f"/reports/{shijiazhuang.pk}/export.exe").status_code == 404


def test_sqlite_export_for_datasette(client, shijiazhuang, puyang, editor, tmp_path):
    import sqlite3

    corrections.correct_cell(shijiazhuang, "requests.total.total", "2090", "核实", editor)
    response = client.get("/reports/export.sqlite")
    assert response.status_code == 200 and response.content[:16] == b"SQLite format 3\x00"
    path = tmp_path / "out.sqlite"
    path.write_bytes(response.content)
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
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0].startswith("石家庄市")
    total = next(r for r in rows if any("（七）总计" in x for x in r))
    # 自然人 … 总计 of 三（七）: what the report prints, the merged label once.
    assert total[-7:] == ["1869", "174", "5", "5", "13", "22", "2088"]
    assert sum(1 for r in rows for x in r if "三、本年度办理结果" in x) == 1
