"""The supervising office's side and the versioned draft: the progress board with statutory lateness, the
history of every change, tables 三/四 from the request ledger, and the live check of the tables."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from gongkai.proving.synth import random_tables

from .test_web import _form, _settings, _user  # noqa: F401 — the shared settings fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    from gongkai.web.center.models import Agency

    city = Agency.objects.create(name="石家庄市人民政府", level="city")
    county = Agency.objects.create(name="正定县人民政府", level="county", parent=city)
    office = Agency.objects.create(name="石家庄市教育局", level="city", kind="department", parent=city)
    town = Agency.objects.create(name="正定镇人民政府", level="township", parent=county)
    other = Agency.objects.create(name="濮阳市人民政府", level="city")
    return {
        "city": city,
        "county": county,
        "office": office,
        "town": town,
        "other": other,
        "author": _user("zhengding", "editor", county),
        "education": _user("jiaoyu", "editor", office),
        "reviewer": _user("shijiazhuang", "editor", city),
        "viewer": _user("reader", "viewer"),
    }


def _start(client, user, agency, year):
    from gongkai.web.authoring.models import ReportDraft

    client.force_login(user)
    assert client.post("/authoring/", {"agency": agency.pk, "year": year}).status_code == 302
    return ReportDraft.objects.get(agency=agency, year=year)


def test_board_lists_subordinates_with_state_and_lateness(client, tree):
    from gongkai.web.authoring import supervision

    year = date.today().year - 1
    _start(client, tree["author"], tree["county"], year)
    rows = {r.agency.name: r for r in supervision.board(tree["reviewer"], year, today=date(year + 1, 2, 15))}
    assert list(rows) == ["石家庄市人民政府", "石家庄市教育局", "正定县人民政府", "正定镇人民政府"]
    assert "濮阳市人民政府" not in rows
    assert rows["正定县人民政府"].state == "draft" and not rows["正定县人民政府"].late
    assert rows["正定县人民政府"].deadline == date(year + 1, 3, 31)
    # the department's deadline (1月31日) has passed: late, not started
    assert rows["石家庄市教育局"].state == "none" and rows["石家庄市教育局"].late
    assert rows["石家庄市教育局"].late_days == 15
    assert rows["正定镇人民政府"].deadline is None and not rows["正定镇人民政府"].late  # the law names none
    late = {r.agency.name for r in supervision.board(tree["reviewer"], year, today=date(year + 1, 4, 1)) if r.late}
    assert late == {"石家庄市人民政府", "石家庄市教育局", "正定县人民政府"}

    client.force_login(tree["reviewer"])
    page = client.get(f"/authoring/supervision/?year={year}").content.decode()
    assert "共 4 个机关" in page and "正定县人民政府" in page and "濮阳市人民政府" not in page
    assert '<li data-state="draft"><a href="?year=' in page and "编写中 <strong>1</strong>" in page
    filtered = client.get(f"/authoring/supervision/?year={year}&state=draft").content.decode()
    assert 'data-agency="正定县人民政府"' in filtered and 'data-agency="石家庄市教育局"' not in filtered
    by_kind = client.get(f"/authoring/supervision/?year={year}&kind=department").content.decode()
    assert 'data-agency="石家庄市教育局"' in by_kind and 'data-agency="正定县人民政府"' not in by_kind
    client.force_login(tree["author"])  # the county sees itself and its township only
    page = client.get(f"/authoring/supervision/?year={year}").content.decode()
    assert "共 2 个机关" in page and 'data-agency="石家庄市人民政府"' not in page
    page = client.get("/authoring/supervision/?year=99999").content.decode()
    assert "年度应为2008至2100之间的年份" in page
    client.force_login(tree["viewer"])
    assert client.get("/authoring/supervision/").status_code == 403


def test_published_late_stays_late(tree):
    from gongkai.web.authoring import supervision
    from gongkai.web.authoring.models import ReportDraft

    draft = ReportDraft.objects.create(agency=tree["county"], year=2023, data={"published": "2024-04-02"})
    draft.status = "published"
    draft.save()
    rows = {r.agency.name: r for r in supervision.board(tree["reviewer"], 2023, today=date(2026, 1, 1))}
    assert rows["正定县人民政府"].late and rows["正定县人民政府"].late_days == 2
    draft.data = {"published": "2024-03-30"}
    draft.save()
    rows = {r.agency.name: r for r in supervision.board(tree["reviewer"], 2023, today=date(2026, 1, 1))}
    assert not rows["正定县人民政府"].late


def test_every_change_is_recorded_with_before_and_after(client, tree):
    draft = _start(client, tree["author"], tree["county"], 2023)
    client.post(f"/authoring/{draft.pk}/", {"cell:requests.new_received.natural_person": "5", "text:overview": "甲"})
    client.post(f"/authoring/{draft.pk}/", {"cell:requests.new_received.natural_person": "7", "text:overview": "乙"})
    event = draft.events.filter(action="save").last()
    assert event.user == tree["author"]
    changed = {c["path"]: c for c in event.changes}
    assert changed["requests.new_received.natural_person"]["before"] == 5
    assert changed["requests.new_received.natural_person"]["after"] == 7
    assert "一、本年新收政府信息公开申请数量" in changed["requests.new_received.natural_person"]["label"]
    assert changed["texts.overview"] == {"path": "texts.overview", "label": "正文 一、总体情况", "before": "甲",
                                          "after": "乙"}  # fmt: skip
    client.post(f"/authoring/{draft.pk}/", {"ack:some.rule": "已核实"})
    ack = draft.events.filter(action="save").last().changes
    assert [(c["path"], c["before"], c["after"]) for c in ack] == [("acknowledgements.some.rule", None, "已核实")]
    page = client.get(f"/authoring/{draft.pk}/history/").content.decode()
    assert "修改记录" in page and "正文 一、总体情况" in page and "zhengding" in page
    client.force_login(tree["viewer"])
    assert client.get(f"/authoring/{draft.pk}/history/").status_code == 403


def test_review_steps_record_status_and_comment(client, tree):
    tables = random_tables(random.Random(9), "2021")
    draft = _start(client, tree["author"], tree["county"], 2023)
    form = _form(tables, "2021") | {
        "text:overview": "本年度共收到政府信息公开申请{}件。".format(tables["requests"]["new_received"][6]),
        "text:problems": "一是公开不够及时。针对上年度报告所列问题，已完成整改。",
        "text:other_matters": "本年度未收取信息处理费。",
        "fee": "0",
    }
    client.post(f"/authoring/{draft.pk}/", form)
    client.post(f"/authoring/{draft.pk}/submit/")
    client.force_login(tree["reviewer"])
    client.post(f"/authoring/{draft.pk}/return/", {"comment": "请补充整改措施"})
    event = draft.events.last()
    assert event.action == "return" and event.comment == "请补充整改措施" and event.user == tree["reviewer"]
    assert event.changes == [{"path": "status", "label": "状态", "before": "已报送待审核", "after": "已退回修改"}]
    page = client.get(f"/authoring/{draft.pk}/history/").content.decode()
    assert "请补充整改措施" in page and "退回修改" in page


def test_tables_three_and_four_from_the_ledger(client, tree):
    from gongkai.web.ledger.services import records

    draft = _start(client, tree["author"], tree["county"], 2025)
    response = client.post(f"/authoring/{draft.pk}/ledger/", follow=True)
    assert "依申请公开台账中没有正定县人民政府的申请" in response.content.decode()

    def request(received, events, applicant="natural_person", **more):
        data = {"received": received, "channel": "online", "applicant_type": applicant, "content": "某事项"} | more
        req = records.create_request(tree["county"], data, tree["author"])
        for event in events:
            records.add_event(req, event, tree["author"])

    request("2025-03-03", [{"kind": "reply", "on": "2025-03-20", "outcome": "granted"}])
    request("2025-05-06", [{"kind": "reply", "on": "2025-05-20", "outcome": "granted"}], "commercial")
    request("2025-12-20", [])  # carried over to next year
    request(
        "2025-06-02",
        [
            {"kind": "fee_notice", "on": "2025-06-06", "pages": 50, "amount": "200"},
            {"kind": "fee_paid", "on": "2025-06-10", "amount": "200"},
            {"kind": "reply", "on": "2025-06-20", "outcome": "granted"},
        ],
        fee_method="volume",
    )
    response = client.post(f"/authoring/{draft.pk}/ledger/", follow=True)
    assert "已从依申请台账取得2025年度表三、表四数据，信息处理费200元" in response.content.decode()
    draft.refresh_from_db()
    assert draft.data["requests"]["new_received"] == [3, 1, 0, 0, 0, 0, 4]
    assert draft.data["requests"]["granted"][6] == 3
    assert draft.data["requests"]["carried_forward"][6] == 1
    assert Decimal(draft.data["processing_fee_yuan"]) == 200
    event = draft.events.last()
    assert event.action == "ledger" and event.user == tree["author"]
    assert {"path": "requests.new_received.total", "before": None, "after": 4} in [
        {k: c[k] for k in ("path", "before", "after")} for c in event.changes
    ]
    client.force_login(tree["reviewer"])  # the office reviews; it does not fill the agency's tables
    response = client.post(f"/authoring/{draft.pk}/ledger/", follow=True)
    assert "没有编辑该机关年报的权限" in response.content.decode()


def test_live_check_marks_cells_as_typed(client, tree):
    tables = random_tables(random.Random(5), "2021")
    draft = _start(client, tree["author"], tree["county"], 2023)
    form = _form(tables, "2021")
    good = client.post(f"/authoring/{draft.pk}/check/", form).content.decode()
    assert "表格勾稽关系检查通过" in good and 'input[name="cell:' not in good
    broken = dict(form, **{"cell:requests.granted.natural_person": str(tables["requests"]["granted"][0] + 3)})
    page = client.post(f"/authoring/{draft.pk}/check/", broken).content.decode()
    assert 'input[name="cell:requests.granted.natural_person"]' in page and "（七）总计为" in page
    bad = client.post(f"/authoring/{draft.pk}/check/", dict(form, **{"cell:requests.granted.commercial": "x"}))
    assert "不是整数" in bad.content.decode()
    draft.refresh_from_db()
    assert draft.data["requests"]["granted"][0] is None  # a check saves nothing
    detail = client.get(f"/authoring/{draft.pk}/").content.decode()
    assert f'hx-post="/authoring/{draft.pk}/check/"' in detail and "从依申请台账取数" in detail


def _filled(agency: str, seed: int):
    from gongkai.authoring import AnnualReportDraft

    tables = random_tables(random.Random(seed), "2021")
    draft = AnnualReportDraft(agency=agency, year=2023, level="city")
    draft.set_requests(tables)
    for row, values in tables["active"].items():
        draft.active[row].update(values)
    return draft


def test_consolidated_report_of_the_office(client, tree):
    from gongkai.authoring.html_writer import build_html
    from gongkai.web.authoring.models import ReportDraft
    from gongkai.web.center.services.ingest import ingest_bytes

    county = _filled("正定县人民政府", 1)
    ReportDraft.objects.create(agency=tree["county"], year=2023, data=county.to_json(), status="submitted")
    education = _filled("石家庄市教育局", 2)  # published: the data center holds its report
    stored = ingest_bytes(build_html(education).encode(), "教育局.html", tree["education"]).report
    stored.agency = tree["office"]
    stored.save()
    town = _filled("正定镇人民政府", 3)  # below the county: the county's report covers it, not the city's
    ReportDraft.objects.create(agency=tree["town"], year=2023, data=town.to_json(), status="approved")
    own = _filled("石家庄市人民政府", 4)
    mine = ReportDraft.objects.create(agency=tree["city"], year=2023, data=own.to_json())

    client.force_login(tree["reviewer"])
    page = client.get("/authoring/supervision/?year=2023").content.decode()
    assert "生成石家庄市人民政府2023年度汇总报告" in page
    for _ in range(2):  # a second run does not count the 本级 figures twice
        response = client.post("/authoring/consolidate/", {"agency": tree["city"].pk, "year": 2023}, follow=True)
        assert "汇总本级及2个所属部门、下级政府：石家庄市教育局、正定县人民政府" in response.content.decode()
    mine.refresh_from_db()
    cells = (("requests", "new_received", 6), ("requests", "granted", 0), ("review_litigation", "review", 4))
    for table, row, i in cells:
        expected = sum(getattr(d, table)[row][i] for d in (own, county, education))
        assert mine.data[table][row][i] == expected, (table, row)
    expected = sum(d.active["rules"]["in_force"] for d in (own, county, education))
    assert mine.data["active"]["rules"]["in_force"] == expected
    event = mine.events.last()
    assert event.action == "consolidate" and "正定县人民政府" in event.comment
    page = client.get(f"/authoring/{mine.pk}/").content.decode()
    assert "本报告为汇总报告（本级＋所属部门＋下级政府）" in page
    assert mine.own_tables["requests.new_received.total"] == own.requests["new_received"][6]

    client.force_login(tree["author"])  # the county cannot consolidate the city's report
    response = client.post("/authoring/consolidate/", {"agency": tree["city"].pk, "year": 2023}, follow=True)
    assert "没有编辑该机关年报的权限" in response.content.decode()
