import pytest

from gongkai.web.center.models import Agency, Report
from gongkai.web.center.services import bench
from gongkai.web.center.services.consolidate import consolidate
from gongkai.web.center.services.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_reports_fill_the_tree_once():
    created, existing = load_demo()
    assert (created, existing) == (8, 0) and load_demo() == (0, 8)
    city = Agency.objects.get(name="石家庄市")
    assert {a.name for a in city.children.all()} >= {"长安区", "新华区", "石家庄市教育局"}
    result = consolidate(city, 2021)
    assert [c.agency.name for c in result.missing] == ["新华区"] and len(result.reports) == 6
    assert Report.objects.get(agency__name="长安区", year=2020).document.filename.startswith("合成示例")


def test_benchmark_loads_and_measures(settings):
    assert bench.load(12, templates=2, progress=lambda _: None) == 12
    assert bench.load(12, templates=2, progress=lambda _: None) == 0  # already there
    results = bench.measure(requests=2)
    assert len(results) == 12 and all(r["p95_ms"] >= r["p50_ms"] > 0 for r in results)
