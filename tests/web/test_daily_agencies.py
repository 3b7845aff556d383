"""The agency tree in daily use: division-code order, streets under the county their report names, 待归属."""

from __future__ import annotations

import re

import pytest

from gongkai.web.center.models import Agency
from gongkai.web.center.services.agencies import named_county
from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def test_the_county_named_in_the_text():
    text = "本年报全文在“相山区人民政府门户网站”公布。2021年相山区人民政府……"
    assert [u.name for u in named_county(text)] == ["安徽省", "淮北市", "相山区"]
    assert named_county("没有提到任何县区。") is None
    assert named_county("正定县人民政府与相山区人民政府") is None  # a tie: no guess


def test_a_street_report_goes_under_the_county_it_names(client):
    name, data = seed("001")  # 曲阳街道; the text names 相山区人民政府
    report = ingest_bytes(data, name).report
    street = report.agency
    assert street.name == "曲阳街道"
    assert [a.name for a in street.ancestors()] == ["安徽省", "淮北市", "相山区"]
    html = client.get("/agencies/?all=1").content.decode()
    assert "待归属" not in html


def test_a_street_without_a_county_is_shown_as_awaiting_placement(client):
    text = seed("001")[1].decode("utf-8").replace("相山区人民政府", "本级政府")
    report = ingest_bytes(text.encode("utf-8"), "q.txt").report
    assert report.agency.parent is None
    html = client.get("/agencies/").content.decode()
    head = html.index("待归属（1）")
    assert html.index(">曲阳街道</a>") > head
    assert 'title="上级未确定' in html


def test_same_named_street_in_another_county_gets_its_own_node():
    ingest_bytes(*reversed(seed("001")))
    text = seed("001")[1].decode("utf-8").replace("相山区", "正定县")
    other = ingest_bytes(text.encode("utf-8"), "zd.txt").report
    assert other.agency.parent.name == "正定县"
    assert Agency.objects.filter(name="曲阳街道").count() == 2


def test_tree_is_in_division_code_order_and_names_align(client):
    for key in ("000", "002", "004"):  # 石家庄 130100, 濮阳 410900, 呼伦贝尔 150700
        ingest_bytes(*reversed(seed(key)))
    html = client.get("/agencies/").content.decode()
    codes = [c for c in re.findall(r'<td class="code">(\d{6})</td>', html)]
    provinces = [c for c in codes if c.endswith("0000")]
    assert provinces == sorted(provinces) and len(provinces) == 3
    assert re.search(r'<span class="tree-pad" style="--depth: 1"></span><span class="tree-branch">└</span>', html)
