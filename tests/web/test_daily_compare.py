"""Comparisons warn about figures that their own report fails a check on; compare one level at a time."""

from __future__ import annotations

import re

import pytest

from gongkai.web.center.services import corrections
from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _as(agency: str, filename: str):
    text = seed("000")[1].decode("utf-8").replace("石家庄市人民政府", agency).replace("石家庄", agency[:2])
    return ingest_bytes(text.encode("utf-8"), filename).report


def _rows(html: str) -> dict[str, str]:
    """Agency name → the text of its row in the ranking table."""
    return {
        m.group(1): m.group(2)
        for m in re.finditer(r'<td><a href="/reports/\d+/">([^<]+)</a></td>(.*?)</tr>', html, re.S)
    }


def test_ranking_flags_a_rate_whose_figures_fail_a_check(client, shijiazhuang, editor):
    hongze = _as("淮安市洪泽区人民政府", "hz.txt")
    rows = _rows(client.get("/compare/?year=2021&rate=granted").content.decode())
    assert "数字未通过检查" not in rows["洪泽区"]  # seed 000's errors are in other columns
    assert "年报有其他错误" in rows["洪泽区"]
    corrections.correct_cell(hongze, "requests.total.total", "9999", "测试：制造不平衡", editor)
    rows = _rows(client.get("/compare/?year=2021&rate=granted").content.decode())
    assert "⚠ 数字未通过检查：勾稽关系" in rows["洪泽区"]
    assert "数字未通过检查" not in rows["石家庄市"]


def test_compare_one_level_only(client, shijiazhuang):
    _as("淮安市洪泽区人民政府", "hz.txt")
    assert set(_rows(client.get("/compare/?year=2021").content.decode())) == {"石家庄市", "洪泽区"}
    assert set(_rows(client.get("/compare/?year=2021&level=county").content.decode())) == {"洪泽区"}
    assert set(_rows(client.get("/compare/?year=2021&level=city").content.decode())) == {"石家庄市"}
    assert "只比县级" in client.get("/compare/").content.decode()


def test_trend_warns_about_a_figure_from_a_failing_report(client):
    name, data = seed("004")
    report = ingest_bytes(data, name).report
    assert any("requests.total.total" in (f.cells or []) for f in report.finding_rows.filter(severity="warning"))
    html = client.get(f"/agencies/{report.agency_id}/years/").content.decode()
    assert "以下数字来自未通过检查的年报" in html
    assert "2020年 办理结果总计：正文数字与表格不一致" in html
    assert re.search(r'<td class="doubtful"[^>]*>223 ⚠</td>', html)
