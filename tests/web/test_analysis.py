import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from gongkai.spec import RATE_PATHS
from gongkai.web.center.models import Cell, Report
from gongkai.web.center.services import corrections
from gongkai.web.center.services.agencies import place_agency
from gongkai.web.center.services.compare import RATE_BY_KEY, rate_rows, reports_for_year, year_over_year
from gongkai.web.center.services.consolidate import consolidate, contributions
from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _as(report: Report, agency, year: int) -> Report:
    Report.objects.filter(pk=report.pk).update(agency=agency, year=year)
    report.refresh_from_db()
    return report


@pytest.fixture
def two_years(shijiazhuang):
    """石家庄 2021 (seed 000) and, standing in for its 2020 report, seed 001 (also 2021 format)."""
    earlier = _as(ingest_bytes(*reversed(seed("001"))).report, shijiazhuang.agency, 2020)
    return earlier, shijiazhuang


def _value(report, path):
    return Cell.objects.get(report=report, path=path).value


def test_year_over_year_checks_carry_over_and_in_force(two_years, editor):
    earlier, later = two_years
    yoy = year_over_year(later.agency)
    assert sorted(yoy.reports) == [2020, 2021]
    carry = [f for f in yoy.findings if f.rule == "cross_year.carry_over"]
    expected_mismatches = [
        c
        for c in ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")
        if _value(later, f"requests.carried_over.{c}") != _value(earlier, f"requests.carried_forward.{c}")
    ]
    assert [f.cells[0].rsplit(".", 1)[1] for f in carry] == expected_mismatches and carry[0].severity == "error"
    assert all(f.severity == "warning" for f in yoy.findings if f.rule == "cross_year.in_force")
    # Make 上年结转 agree in every column: the carry-over findings disappear.
    for c in expected_mismatches:
        path = f"requests.carried_forward.{c}"
        corrections.correct_cell(earlier, path, str(_value(later, f"requests.carried_over.{c}")), "对齐", editor)
    assert not [f for f in year_over_year(later.agency).findings if f.rule == "cross_year.carry_over"]


def test_in_force_continuity_is_a_warning(two_years, editor):
    earlier, later = two_years
    in_force = _value(later, "active.rules.in_force")
    consistent = in_force - _value(later, "active.rules.issued") + _value(later, "active.rules.repealed")
    corrections.correct_cell(earlier, "active.rules.in_force", str(consistent), "核实", editor)
    assert not [f for f in year_over_year(later.agency).findings if f.cells == ["active.rules.in_force"]]
    corrections.correct_cell(earlier, "active.rules.in_force", str(consistent + 3), "核实", editor)
    (finding,) = [f for f in year_over_year(later.agency).findings if f.cells == ["active.rules.in_force"]]
    assert finding.severity == "warning" and (finding.expected, finding.found) == (in_force + 3, in_force)


def test_agency_years_page_has_chart_and_findings(client, two_years):
    html = client.get(f"/agencies/{two_years[1].agency.pk}/years/").content.decode()
    assert "跨年度检查" in html and 'id="years-data"' in html and "/static/gongkai/vendor/echarts.min.js" in html
    assert "cdn" not in html.lower() and 'id="mix-data"' in html and "办理结果构成" in html


def test_outcome_mix_adds_up_to_the_total(two_years):
    yoy = year_over_year(two_years[1].agency)
    mix = {m["label"]: m["values"] for m in yoy.outcome_mix()}
    assert list(mix) == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    for i, year in enumerate(sorted(yoy.reports)):
        total = yoy.values[year]["requests.total.total"]
        assert sum(values[i] for values in mix.values()) == total, year  # the seeds' 总计 rows balance


def test_distribution_counts_ranked_agencies_per_band():
    from types import SimpleNamespace

    from gongkai.web.center.services.compare import distribution

    rows = [SimpleNamespace(rank=r, rate=v) for r, v in ((1, 1.0), (2, 0.95), (3, 0.05), (None, 0.5))]
    spread = distribution(rows)
    assert [b["agencies"] for b in spread] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert spread[0]["band"] == "0–10%" and spread[-1]["band"] == "90–100%"


def test_rates_show_denominators_and_do_not_rank_small_counts(shijiazhuang, puyang):
    quyang = ingest_bytes(*reversed(seed("001"))).report
    reports = reports_for_year(2021)
    assert {r.pk for r in reports} == {shijiazhuang.pk, quyang.pk}
    rows = rate_rows(RATE_BY_KEY["granted"], reports)
    top = rows[0]
    assert top.report.pk == shijiazhuang.pk and top.report.agency == "石家庄市" and top.rank == 1
    assert top.numerator == _value(shijiazhuang, "requests.granted.total")
    assert top.denominator == _value(shijiazhuang, "requests.total.total")
    assert top.rate == pytest.approx(float(top.numerator / top.denominator))
    for row in rows:
        assert (row.rank is None) == (row.small or row.rate is None)
    review = next(r for r in rate_rows(RATE_BY_KEY["review_corrected"], reports) if r.report.pk == shijiazhuang.pk)
    assert review.denominator == _value(shijiazhuang, "review_litigation.review.total") - _value(
        shijiazhuang, "review_litigation.review.pending"
    )


def test_compare_page(client, shijiazhuang, puyang):
    html = client.get("/compare/?year=2021&rate=withheld").content.decode()
    assert "不予公开率" in html and "÷" in html and "石家庄市" in html and "分母小于 10 件" in html
    assert 'id="spread-data"' in html and "参与排名的机关" in html
    assert client.get("/compare/?year=abc&rate=zzz&within=x").status_code == 200
    for within in ("²", "99999999999999999999", "-1"):
        assert client.get(f"/compare/?year=2021&within={within}").status_code == 200
    assert client.get("/reports/?agency=99999999999999999999&year=٣").status_code == 200
    figures = shijiazhuang.figures | {"review_litigation.review.corrected": None}
    Report.objects.filter(pk=shijiazhuang.pk).update(figures=figures)
    row = client.get("/compare/?year=2021&rate=review_corrected").content.decode().split("石家庄市</a></td>", 1)[1]
    assert row.split("</tr>", 1)[0].count("<td>—</td>") == 2  # no rate, no numerator: "—", not an empty cell


@pytest.fixture
def region(shijiazhuang, puyang):
    """石家庄市 with two children that reported for 2021 (seeds 001 and 002 reassigned), and one that did not."""
    city = shijiazhuang.agency
    a = _as(ingest_bytes(*reversed(seed("001"))).report, place_agency("石家庄市长安区人民政府"), 2021)
    b = _as(puyang, place_agency("石家庄市桥西区人民政府"), 2021)
    place_agency("石家庄市新华区人民政府")
    return city, a, b


def test_consolidation_sums_children_and_compares_with_own_report(region):
    city, a, b = region
    result = consolidate(city, 2021)
    assert {c.agency.name for c in result.missing} == {"新华区"}
    assert {c.report.pk for c in result.failed} == {r.pk for r in (a, b) if r.error_count}
    path = "requests.new_received.total"
    assert result.sums[path] == _value(a, path) + _value(b, path)
    assert result.own is not None and result.own_values[path] == 2083
    assert (path, result.sums[path], 2083) in result.differences()
    parts = {c.agency.name: v for c, v in contributions(result, path)}
    assert parts == {"长安区": _value(a, path), "桥西区": _value(b, path), "新华区": None}


def test_consolidation_page_and_drill_down(client, region):
    city = region[0]
    html = client.get(f"/agencies/{city.pk}/consolidation/?year=2021").content.decode()
    assert "未报送" in html and "新华区" in html and "与本机关发布的年报对比" in html
    assert 'rowspan="3" colspan="3"' in html
    drill = client.get(f"/agencies/{city.pk}/consolidation/cell/?year=2021&path=requests.new_received.total")
    assert drill.status_code == 200 and "长安区" in drill.content.decode() and "合计" in drill.content.decode()
    assert client.get(f"/agencies/{city.pk}/consolidation/cell/").status_code == 404
    empty = client.get(f"/agencies/{region[1].agency.pk}/consolidation/").content.decode()
    assert "还没有可汇总的年报" in empty


def test_year_over_year_endpoint(client, two_years):
    years = client.get(f"/api/agencies/{two_years[1].agency.pk}/years").json()
    assert years["years"] == [2020, 2021] and years["reports"] == {"2020": two_years[0].pk, "2021": two_years[1].pk}
    assert any(f["rule"] == "cross_year.carry_over" and f["severity"] == "error" for f in years["findings"])
    assert client.get("/api/agencies/999999/years").status_code == 404


def test_compare_and_consolidation_endpoints(client, region):
    city, a, b = region
    rates = client.get("/api/compare?year=2021&rate=granted").json()
    assert rates["rate"]["definition"].startswith("（一）予以公开") and rates["items"][0]["rank"] == 1
    assert {i["report_id"] for i in rates["items"]} == {city.reports.get().pk, a.pk, b.pk}
    assert client.get("/api/compare?year=2021&rate=nope").status_code == 422
    assert client.get("/api/compare?year=abc").status_code == 422
    assert client.get("/api/compare?year=2021&within=999999").status_code == 404
    data = client.get(f"/api/agencies/{city.pk}/consolidation?year=2021").json()
    states = {c["agency"]: c["state"] for c in data["contributors"]}
    assert states["新华区"] == "missing" and states["长安区"] in ("ok", "errors")
    assert data["own_report_id"] == city.reports.get().pk
    path = "requests.new_received.total"
    assert data["sums"][path] == _value(a, path) + _value(b, path)
    assert {"path": path, "sum": data["sums"][path], "own": 2083} in data["differences"]


def test_rankings_follow_corrections(shijiazhuang, editor):
    def granted_rate():
        return next(r for r in rate_rows(RATE_BY_KEY["granted"], reports_for_year(2021))).numerator

    assert granted_rate() == 1273
    corrections.correct_cell(shijiazhuang, "requests.granted.total", "1200", "核实", editor)
    assert granted_rate() == 1200  # the stored figures follow the correction: no stale rate
    stored = {
        p: v for p, v in Cell.objects.filter(report=shijiazhuang, path__in=RATE_PATHS).values_list("path", "value")
    }
    shijiazhuang.refresh_from_db()
    assert {p: Decimal(v) for p, v in shijiazhuang.figures.items()} == stored and len(stored) == len(RATE_PATHS)


def test_report_page_checks_against_the_previous_year(client, two_years):
    earlier, later = two_years
    html = client.get(f"/reports/{later.pk}/").content.decode()
    assert "与上一年度对比" in html and f"/reports/{earlier.pk}/" in html
    assert "“上年结转”为" in html
    assert 'class="v sev-error" id="c-requests.carried_over.total"' in html
    first = client.get(f"/reports/{earlier.pk}/").content.decode()
    assert "2019 年的年报尚未入库" in first


def test_consolidation_workbook(client, region):
    import io

    from openpyxl import load_workbook

    city, a, b = region
    response = client.get(f"/agencies/{city.pk}/consolidation/export.xlsx?year=2021")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["报送情况", "汇总表", "各单位数值", "与本机关年报对比"]
    states = {row[0]: row[3] for row in wb["报送情况"].iter_rows(min_row=2, values_only=True)}
    assert states["新华区"] == "未报送"
    path = "requests.new_received.total"
    total = _value(a, path) + _value(b, path)
    per_unit = {row[0]: row for row in wb["各单位数值"].iter_rows(min_row=2, values_only=True)}
    assert per_unit[path][1] == total and set(per_unit[path][2:]) == {_value(a, path), _value(b, path)}
    layout_values = [c.value for row in wb["汇总表"].iter_rows() for c in row]
    assert total in layout_values and wb["汇总表"].merged_cells.ranges
    assert client.get(f"/agencies/{city.pk}/consolidation/export.xlsx").status_code == 404


def test_migration_fills_figures_of_reports_stored_before_them(shijiazhuang, puyang):
    expected = {r.pk: r.figures for r in Report.objects.all()}
    Report.objects.update(figures={})
    importlib.import_module("gongkai.web.center.migrations.0003_report_figures").fill_figures(apps, None)
    assert {r.pk: r.figures for r in Report.objects.all()} == expected
    assert expected[shijiazhuang.pk]["requests.granted.total"] == "1273"
