import re

import pytest

from gongkai.spec import BALANCE_NOTE
from gongkai.web.center.services.ingest import ingest_bytes
from tests.web.conftest import seed

pytestmark = pytest.mark.django_db


def _th(html: str, text: str) -> str:
    """The opening <th …> tag of the header cell with this text."""
    m = re.search(r"<th([^>]*)>" + re.escape(text) + "</th>", html)
    assert m, f"no header cell {text!r}"
    return m.group(1)


def test_report_page_renders_the_official_merged_layout(client, shijiazhuang):
    html = client.get(f"/reports/{shijiazhuang.pk}/").content.decode()
    assert 'rowspan="3" colspan="3"' in _th(html, BALANCE_NOTE)
    assert 'colspan="7"' in _th(html, "申请人情况")
    assert 'colspan="5"' in _th(html, "法人或其他组织")
    assert 'rowspan="22"' in _th(html, "三、本年度办理结果")
    assert 'rowspan="8"' in _th(html, "（三）不予公开")
    assert 'rowspan="3"' in _th(html, "（四）无法提供")
    assert 'rowspan="5"' in _th(html, "（五）不予处理")
    assert 'rowspan="3"' in _th(html, "（六）其他处理")
    assert 'colspan="2"' in _th(html, "（七）总计")
    assert 'colspan="3"' in _th(html, "四、结转下年度继续办理")
    assert 'colspan="5"' in _th(html, "行政复议")
    assert 'colspan="10"' in _th(html, "行政诉讼")
    assert 'colspan="5"' in _th(html, "未经复议直接起诉") and 'colspan="5"' in _th(html, "复议后起诉")
    assert 'colspan="4"' in _th(html, "第二十条第（一）项")
    assert 'colspan="3"' in _th(html, "本年处理决定数量")
    # Every value cell asks for its evidence; cells in an error are marked.
    assert html.count('hx-get="/reports/') >= 200
    assert re.search(r'<td class="v sev-error" id="c-requests.new_received.natural_person"', html)
    assert "疑似被篡改或植入" in html and "天天棋牌" in html
    assert "2088" in html


def test_2019_report_has_its_own_layout(client, puyang):
    html = client.get(f"/reports/{puyang.pk}/").content.decode()
    assert 'rowspan="20"' in _th(html, "三、本年度办理结果")
    assert 'colspan="2"' in _th(html, "（六）其他处理")
    assert "第二十条第（九）项" in html


def test_pre2019_report_explains_there_are_no_tables(client):
    name, data = seed("003")
    report = ingest_bytes(data, name).report
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert "文字版格式" in html and '<table class="official"' not in html


def test_evidence_panel_highlights_the_printed_value(client, shijiazhuang):
    response = client.get(f"/reports/{shijiazhuang.pk}/evidence/?path=requests.total.total")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "<mark>2088</mark>" in html and "第 " in html
    missing = client.get(f"/reports/{shijiazhuang.pk}/evidence/?path=nope")
    assert missing.status_code == 404


def test_linking_to_a_cell_opens_its_evidence_without_javascript(client, shijiazhuang):
    html = client.get(f"/reports/{shijiazhuang.pk}/?path=requests.total.total").content.decode()
    assert "<mark>2088</mark>" in html


def test_html_original_is_shown_as_escaped_text_only(client):
    body = seed("001")[1].decode("utf-8").replace("\n", "<br>\n")
    page = (
        "<html><head><title>曲阳街道2021年政府信息公开工作年度报告</title>"
        "<script>alert('x')</script></head><body>"
        '<div style="display:none"><a href="http://spam.example/">澳门赌场</a></div>'
        f"{body}<img src=x onerror=alert(1)></body></html>"
    )
    report = ingest_bytes(page.encode("utf-8"), "quyang.html").report
    html = client.get(f"/reports/{report.pk}/source/").content.decode()
    assert "<script>alert" not in html and "onerror=alert" not in html and 'href="http://spam' not in html
    assert "本年新收" in html or "信息公开" in html
    evidence = client.get(f"/reports/{report.pk}/evidence/?path=requests.total.total").content.decode()
    assert "<br>" not in evidence.split("quote", 1)[-1].split("</div>", 1)[0]


def test_report_list_filters_and_agency_pages(client, shijiazhuang, puyang):
    html = client.get("/reports/?year=2019").content.decode()
    assert "濮阳" in html and "石家庄" not in html.split("<table", 1)[1]
    assert "石家庄" in client.get("/reports/?has_errors=true").content.decode()
    assert client.get("/reports/?year=abc&format=zzz").status_code == 200  # bad filters are ignored
    tree = client.get("/agencies/").content.decode()
    assert "河北省" in tree and "石家庄市" in tree
    agency = client.get(f"/agencies/{shijiazhuang.agency.pk}/").content.decode()
    assert "河北省" in agency and str(shijiazhuang.year) in agency
    home = client.get("/").content.decode()
    assert "年报数据中心" in home


def test_missing_pages_are_friendly(client, db):
    response = client.get("/reports/999999/")
    assert response.status_code == 404 and "不存在" in response.content.decode()


def test_findings_overview_counts_reports_per_rule(client, shijiazhuang, puyang):
    html = client.get("/findings/").content.decode()
    assert "requests.balance" in html and "问题汇总" in html
    assert html.index("requests.balance") < html.index("sections.no_followup")  # errors first
    listed = client.get("/reports/?rule=requests.balance").content.decode()
    assert "石家庄市" in listed and "濮阳市" not in listed.split("<table", 1)[1]
    assert "濮阳市" in client.get("/reports/?rule=prose.table_mismatch").content.decode()
    assert "没有发现问题" in client.get("/findings/?year=1999").content.decode()


def test_original_file_is_a_download_for_signed_in_users(client, shijiazhuang, viewer):
    url = f"/reports/{shijiazhuang.pk}/original/"
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment") and response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == seed("000")[1]


def test_pdf_evidence_shows_the_page_with_the_box(client, db):
    import random

    from gongkai.proving import synth, synth_files
    from gongkai.web.center.services.ingest import ingest_bytes

    tables = synth.random_tables(random.Random(7), "2021")
    report = ingest_bytes(synth_files.report_pdf(tables, random.Random(7)), "report.pdf").report
    panel = client.get(f"/reports/{report.pk}/evidence/?path=requests.total.total")
    assert panel.status_code == 200
    assert f"/reports/{report.pk}/page.png?path=requests.total.total" in panel.content.decode()
    image = client.get(f"/reports/{report.pk}/page.png?path=requests.total.total")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG") and len(image.content) > 20_000
    assert client.get(f"/reports/{report.pk}/page.png?path=nope").status_code == 404


def test_prose_placed_cells_are_marked_on_the_page_and_in_their_evidence(client, db):
    from pathlib import Path

    data = (Path(__file__).parents[2] / "corpus" / "real" / "009_pingtan_2022.txt").read_bytes()
    report = ingest_bytes(data, "009_pingtan_2022.txt").report
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert re.search(r'<td class="v[^"]* prose[^"]*" id="c-active.normative_documents.in_force"', html)
    panel = client.get(f"/reports/{report.pk}/evidence/?path=active.normative_documents.in_force").content.decode()
    assert "按正文定位" in panel and "8855698" in panel and "<mark>698</mark>" in panel
