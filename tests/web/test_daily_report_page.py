"""The report page in daily use: editors open reports whose agency was not recognised."""

from __future__ import annotations

import re

import pytest

from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _anonymous_report():
    """Seed 000 with every mention of its agency removed: the agency is not recognised."""
    _name, data = seed("000")
    text = data.decode("utf-8")
    for old, new in (("石家庄市人民政府", "本机关"), ("石家庄市", "本市"), ("石家庄", "本地")):
        text = text.replace(old, new)
    report = ingest_bytes(text.encode("utf-8"), "未署名年报.txt").report
    assert report.agency is None and report.parsed["meta"]["agency"] is None
    return report


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_open_a_report_without_an_agency(client, make_user, role):
    report = _anonymous_report()
    client.force_login(make_user("u-" + role, role))
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "确认或修改机关、年度" in html and 'name="value" value=""' in html


def test_report_page_works_after_the_agency_is_set_through_the_api(client, editor, editor_token):
    report = _anonymous_report()
    response = client.post(
        f"/api/reports/{report.pk}/corrections",
        {"field": "agency", "value": "正定县人民政府", "reason": "按网站主办单位确认"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {editor_token}"},
    )
    assert response.status_code == 201, response.content
    client.force_login(editor)
    html = client.get(f"/reports/{report.pk}/").content.decode()
    # The government is the county's node in the division tree.
    assert 'name="value" value="正定县"' in html and "区划代码 130123" in html
    assert client.get("/reports/").status_code == 200


def test_anonymous_users_see_the_report_without_an_agency(client):
    report = _anonymous_report()
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200 and "未识别" in response.content.decode()


def _td(html: str, path: str) -> str:
    """The value cell of this path: its opening tag and its link text."""
    m = re.search(r'<td class="([^"]*)" id="c-' + re.escape(path) + r'"([^>]*)><a [^>]*>([^<]*)</a></td>', html)
    assert m, path
    return m.group(1), m.group(2), m.group(3)


@pytest.fixture
def hulunbuir(db):
    name, data = seed("004")
    return ingest_bytes(data, name).report


def test_blank_cells_stay_blank_and_amounts_carry_their_unit(client, hulunbuir):
    html = client.get(f"/reports/{hulunbuir.pk}/").content.decode()
    classes, attrs, text = _td(html, "requests.carried_over.other_org")
    assert "empty" in classes and text == "" and "原文此格空白" in attrs
    classes, attrs, text = _td(html, "active.procurement.amount_wan_yuan")
    assert text == "311700 万元" and "原文“31.17亿元”" in attrs
    panel = client.get(f"/reports/{hulunbuir.pk}/evidence/?path=active.procurement.amount_wan_yuan").content.decode()
    assert "311700 万元" in panel and "31.17亿元" in panel


def test_identity_placed_cells_are_marked(client, shijiazhuang):
    path = "requests.total.total"
    cell = shijiazhuang.cell_rows.get(path=path)
    assert "identity" not in _td(client.get(f"/reports/{shijiazhuang.pk}/").content.decode(), path)[0]
    cell.evidence = {**cell.evidence, "placed": "identity"}  # what the core writes for such a cell
    cell.save()
    shijiazhuang.save(update_fields=["updated"])  # a change of data moves the page's cache version
    classes, attrs, _ = _td(client.get(f"/reports/{shijiazhuang.pk}/").content.decode(), path)
    assert "identity" in classes and "由表内勾稽关系推定位置" in attrs
    panel = client.get(f"/reports/{shijiazhuang.pk}/evidence/?path={path}").content.decode()
    assert "由表内勾稽关系推定位置" in panel


def test_identity_placement_read_from_the_parsed_cells_too(client, shijiazhuang):
    path = "requests.total.total"
    for c in shijiazhuang.parsed["cells"]:
        if c["path"] == path:
            c["placed"] = "identity"
    shijiazhuang.save(update_fields=["parsed"])
    assert "identity" in _td(client.get(f"/reports/{shijiazhuang.pk}/").content.decode(), path)[0]


def test_finding_cell_links_are_separate_and_point_at_the_cell(client, shijiazhuang):
    html = client.get(f"/reports/{shijiazhuang.pk}/").content.decode()
    links = re.findall(r'<li><a href="\?path=([^"#]+)#c-([^"]+)"[^>]*data-cell="([^"]+)" data-scroll="1"', html)
    assert links and all(cell == anchor for _, anchor, cell in links)
    assert 'src="/static/gongkai/report.js"' in html


def test_confidence_badges_are_explained(client, shijiazhuang):
    html = client.get(f"/reports/{shijiazhuang.pk}/").content.decode()
    assert "依据标题，可信度 95%" in html and "把握程度" in html
    assert "可信度 95%" in client.get("/reports/").content.decode()


def _html_report():
    """Seed 001 as a web page with real table rows, written one line: the page a CMS publishes."""
    rows, row = [], []
    lines = seed("001")[1].decode("utf-8").splitlines()
    body = []
    for line in lines:
        if line.strip().endswith("|") or line.strip() == "|||":
            cell = line.strip().rstrip("|").strip()
            if line.strip() in ("|", "|||"):
                if row:
                    rows.append(row)
                row = []
            else:
                row.append(cell)
        else:
            if row:
                rows.append(row)
                row = []
            if rows:
                body.append(
                    "<table>"
                    + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
                    + "</table>"
                )
                rows = []
            body.append(f"<p>{line}</p>")
    page = "<html><head><title>曲阳街道2021年政府信息公开工作年度报告</title></head><body>" + "".join(body)
    return ingest_bytes((page + "</body></html>").encode("utf-8"), "quyang.html").report


def test_html_evidence_names_the_table_row_and_reads_clean(client):
    report = _html_report()
    assert report.document.kind == "html" and report.document.source_text.count("\n") == 0
    panel = client.get(f"/reports/{report.pk}/evidence/?path=active.rules.repealed").content.decode()
    assert "网页中的表格行（第 3 格）" in panel
    assert re.search(r'<span>规章</span><span>0</span><span class="hit">0</span>', panel)
    assert "第 1 行" not in panel and "⏎" not in panel and "| |" not in panel
