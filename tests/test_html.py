"""An HTML page in the official layout: merged cells, &nbsp;, <br> in labels, scripts, navigation."""

from pathlib import Path

import pytest

from gongkai.parse import parse_file, parse_text

PAGE = Path(__file__).parent / "data" / "report_2021.html"


@pytest.fixture(scope="module")
def report():
    return parse_file(PAGE)


def test_tables(report):
    data = report.to_json()
    assert data["format"] == "2021"
    assert data["input"]["kind"] == "html"
    assert data["active"] == {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 3, "repealed": 1, "in_force": 1024},
        "licensing": {"decisions": 12345},
        "punishment": {"decisions": 678},
        "enforcement": {"decisions": 0},
        "fees": {"amount_wan_yuan": 20.3},
    }
    req = data["requests"]
    assert req["new_received"] == [12, 3, 0, 0, 1, 0, 16]
    assert req["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["granted"] == [5, 2, 0, 0, 1, 0, 8]
    assert req["withheld_third_party"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["unavailable_not_held"] == [3, 1, 0, 0, 0, 0, 4]
    assert req["not_processed_complaint"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["other_other"] == [1, 0, 0, 0, 0, 0, 1]
    assert req["total"] == [13, 3, 0, 0, 1, 0, 17]
    assert req["carried_forward"] == [0] * 7
    assert data["review_litigation"] == {
        "review": [1, 1, 0, 0, 2],
        "litigation_direct": [0, 0, 0, 1, 1],
        "litigation_after_review": [0, 0, 0, 0, 0],
    }
    assert [f.rule for f in report.findings if f.severity in ("error", "warning")] == ["tamper.spam", "tamper.hidden"]


def test_spam_and_hidden_links(report):
    source = PAGE.read_text(encoding="utf-8")
    spam = next(f for f in report.findings if f.rule == "tamper.spam")
    assert source[spam.span[0] : spam.span[1]] == "188比分直播"
    hidden = next(f for f in report.findings if f.rule == "tamper.hidden")
    assert source[hidden.span[0] : hidden.span[1]].startswith('<span style="position:absolute; display: none">')
    assert source[hidden.span[0] : hidden.span[1]].endswith("</span>")
    assert "澳门新葡京娱乐城" in hidden.message and "http://casino.example/" in hidden.message
    # Hidden text is not part of the page a reader sees.
    assert "澳门新葡京" not in report.to_json()["narrative_facts"].__repr__()


def test_value_semantics(report):
    assert report.cells["requests.carried_over.other_org"].kind == "empty"
    dash = report.cells["active.enforcement.decisions"]
    assert (dash.kind, dash.raw, dash.value) == ("placeholder", "—", 0)
    assert report.cells["active.normative_documents.issued"].raw == "３"


def test_evidence_points_into_the_html(report):
    source = PAGE.read_text(encoding="utf-8")
    for cell in report.cells.values():
        assert cell.start is not None
        snippet = source[cell.start : cell.end]
        if cell.kind == "empty":
            assert snippet.replace("&nbsp;", "").strip() == ""
        else:
            assert snippet == cell.raw, cell.path


def test_metadata(report):
    meta = report.meta
    assert meta["agency"]["name"] == "某某区人民政府"
    assert meta["agency"]["level"] == "county"
    assert meta["year"]["value"] == 2022
    assert meta["published"] == "2023-01-20"
    assert meta["index_no"] == "11A0-2023-000123"


def test_scripts_do_not_leak_into_text(report):
    assert "_hmt" not in "".join(c.raw or "" for c in report.cells.values())
    assert all("document.write" not in f.quote for f in report.facts)


def test_prose_facts_agree(report):
    facts = {f.key: f.value for f in report.facts}
    assert facts["requests_received"] == 16
    assert facts["requests_answered"] == 17
    assert facts["review_cases"] == 2
    assert facts["litigation_cases"] == 1


def test_html_detected_without_suffix():
    html = PAGE.read_text(encoding="utf-8")
    assert parse_text(html).to_json()["requests"]["total"] == [13, 3, 0, 0, 1, 0, 17]


def test_page_furniture_is_not_the_report():
    html = PAGE.read_text(encoding="utf-8").replace(
        '<div class="footer">',
        '<div class="related">相关链接：2021年度报告：全年共收到政府信息公开申请88件</div><div class="footer">',
    )
    report = parse_text(html)
    assert [f.value for f in report.facts if f.key == "requests_received"] == [16]
    source = html
    assert source[report.body["start"] :].startswith("某某区人民政府2022年政府信息公开工作年度报告</h1>")
    assert "本年度未收取信息处理费" in source[report.body["start"] : report.body["end"]]
    assert "相关链接" not in source[report.body["start"] : report.body["end"]]
