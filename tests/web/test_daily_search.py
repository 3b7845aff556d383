"""Finding reports: search by title and full agency name, a region's subtree, filters and sortable columns."""

from __future__ import annotations

import re

import pytest

from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _as(agency: str, filename: str, year: str | None = "2021"):
    """Seed 000 published by another agency (and, with year=None, without any year)."""
    text = seed("000")[1].decode("utf-8").replace("石家庄市人民政府", agency).replace("石家庄", agency[:2])
    if year is None:
        text = text.replace("2021年", "本年度").replace("2021", "本年")
    return ingest_bytes(text.encode("utf-8"), filename).report


@pytest.fixture
def reports(shijiazhuang):
    return {
        "hongze": _as("淮安市洪泽区人民政府", "hz.txt"),
        "pudong": _as("上海市浦东新区人民政府", "pd.txt"),
        "sjz": shijiazhuang,
    }


def _found(client, query: str) -> set[int]:
    html = client.get("/reports/?" + query).content.decode()
    return {int(pk) for pk in re.findall(r'href="/reports/(\d+)/"', html)}


def test_search_by_full_agency_name_and_title(client, reports):
    assert reports["hongze"].agency.name == "洪泽区"  # the tree keeps the place name
    assert _found(client, "q=洪泽区人民政府") == {reports["hongze"].pk}
    assert _found(client, "q=上海") == {reports["pudong"].pk}
    assert _found(client, "q=浦东新区人民政府2021年政府信息公开") == {reports["pudong"].pk}  # the title


def test_a_region_includes_its_subtree(client, reports):
    assert reports["hongze"].agency.parent.name == "淮安市"
    assert _found(client, "q=淮安") == {reports["hongze"].pk}
    assert _found(client, "region=淮安市") == {reports["hongze"].pk}
    assert _found(client, "region=江苏省人民政府") == {reports["hongze"].pk}
    assert _found(client, "region=河北") == {reports["sjz"].pk}


def test_filters_by_level_missing_errors_and_rule(client, reports):
    assert _found(client, "level=county") == {reports["hongze"].pk, reports["pudong"].pk}
    assert _found(client, "level=city") == {reports["sjz"].pk}
    anonymous = ingest_bytes(
        seed("000")[1].decode("utf-8").replace("石家庄市人民政府", "本机关").replace("石家庄", "本地").encode(), "x.txt"
    ).report
    assert _found(client, "missing=agency") == {anonymous.pk}
    assert _found(client, "has_errors=true") == {r.pk for r in (*reports.values(), anonymous) if r.error_count}
    rule = reports["sjz"].finding_rows.first().rule
    assert reports["sjz"].pk in _found(client, f"rule={rule}")
    html = client.get("/reports/").content.decode()
    assert f'<option value="{rule}"' in html and "未识别机关" in html  # the filter offers rules and "no agency"


def test_no_year_filter(client, reports):
    undated = _as("淮安市洪泽区人民政府", "undated.txt", year=None)
    if undated.year is not None:
        pytest.skip("the year was still found in the text")
    assert _found(client, "missing=year") == {undated.pk}


def test_columns_sort_both_ways(client, reports):
    def order(query):
        html = client.get("/reports/?" + query).content.decode()
        return [int(pk) for pk in re.findall(r'<td><a href="/reports/(\d+)/"', html)]

    by_name = order("sort=agency")
    assert by_name == sorted(by_name, key=lambda pk: {r.pk: r.agency.name for r in reports.values()}[pk])
    assert order("sort=-agency") == by_name[::-1]
    html = client.get("/reports/?sort=agency&year=2021").content.decode()
    assert 'href="?year=2021&amp;sort=-agency"' in html and "机关 ▲" in html


def test_a_report_without_agency_is_listed_by_its_title(client):
    text = seed("000")[1].decode("utf-8").replace("石家庄市人民政府", "本机关").replace("石家庄", "本地")
    report = ingest_bytes(text.encode(), "x.txt").report
    html = client.get("/reports/").content.decode()
    assert f'<a href="/reports/{report.pk}/">本机关2021年政府信息公开工作年度报告</a>' in html
    assert "机关待确认" in html and "未识别机关 未知年" not in html


def test_the_api_finds_reports_the_same_way(client, reports):
    def ids(query):
        response = client.get("/api/reports?" + query)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids("q=洪泽区人民政府") == {reports["hongze"].pk}
    assert ids("region=淮安") == {reports["hongze"].pk}
    assert ids("level=city") == {reports["sjz"].pk}
    bad = client.get("/api/reports?level=village")
    assert bad.status_code == 422 and "level：只能是" in bad.json()["message"]
