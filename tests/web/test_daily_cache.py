"""The report page renders its costly parts from a cache keyed by the report's data version."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.web.center.services import corrections
from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_second_render_comes_from_the_cache(client, shijiazhuang):
    url = f"/reports/{shijiazhuang.pk}/"
    first, cold = _get(client, url)
    second, warm = _get(client, url)
    assert warm < cold and warm <= 2, (cold, warm)  # anonymous: the whole page
    assert first == second and first.count('data-cell="') > 200
    assert "X-CSRFToken" not in first  # nothing per-visitor in a shared page


def test_signed_in_pages_reuse_the_cached_parts(client, shijiazhuang, editor):
    client.force_login(editor)
    url = f"/reports/{shijiazhuang.pk}/"
    first, cold = _get(client, url)
    second, warm = _get(client, url)
    assert warm < cold and warm <= 10, (cold, warm)
    assert first.count('data-cell="') == second.count('data-cell="') > 200 and "X-CSRFToken" in second


def test_a_correction_shows_at_once(client, shijiazhuang, editor):
    url = f"/reports/{shijiazhuang.pk}/"
    assert ">2088</a>" in _get(client, url)[0]
    corrections.correct_cell(shijiazhuang, "requests.total.total", "2090", "核实", editor)
    html = _get(client, url)[0]
    assert ">2090</a>" in html and "修改记录" in html


def test_the_previous_year_arriving_changes_the_page(client):
    later = ingest_bytes(*reversed(seed("000"))).report
    url = f"/reports/{later.pk}/"
    assert "2020 年的年报尚未入库" in _get(client, url)[0]
    text = seed("000")[1].decode("utf-8").replace("2021", "2020")
    ingest_bytes(text.encode("utf-8"), "sjz2020.txt")
    html = _get(client, url)[0]
    assert "2020 年的年报尚未入库" not in html and "上一年度：" in html


def test_user_parts_are_not_shared_through_the_cache(client, shijiazhuang, editor):
    url = f"/reports/{shijiazhuang.pk}/"
    anonymous = _get(client, url)[0]
    assert "确认或修改机关、年度" not in anonymous
    client.force_login(editor)
    html = _get(client, url)[0]
    assert "确认或修改机关、年度" in html and "csrfmiddlewaretoken" in html and "editor" in html
    client.logout()
    assert "确认或修改机关、年度" not in _get(client, url)[0]
