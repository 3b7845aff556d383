"""The web side of writing a report: a draft with live checks, submission to the supervising office,
return with comments, approval, publication into the data center; files to download; who may do what."""

from __future__ import annotations

import random

import pytest

from gongkai.authoring.tables import layouts
from gongkai.proving.evaluate import table_differences
from gongkai.proving.synth import random_tables

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_JOBS_INLINE = True
    settings.CELERY_BROKER_URL = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(name: str, role: str, region=None):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from gongkai.web.center.models import Profile

    user = get_user_model().objects.create_user(name, password=f"pw-{name}-123")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    Profile.objects.create(user=user, region=region)
    return user


@pytest.fixture
def world():
    from gongkai.web.center.models import Agency

    city = Agency.objects.create(name="石家庄市人民政府", level="city")
    county = Agency.objects.create(name="正定县人民政府", level="county", parent=city)
    other = Agency.objects.create(name="濮阳市人民政府", level="city")
    return {
        "county": county,
        "author": _user("zhengding", "editor", county),
        "reviewer": _user("shijiazhuang", "editor", city),
        "outsider": _user("puyang", "editor", other),
        "viewer": _user("reader", "viewer"),
    }


def _form(tables: dict, format_id: str) -> dict:
    form = {}
    for table in layouts(format_id).values():
        for path in table.value_paths():
            name, row, column = path.split(".")
            if name == "active":
                value = tables["active"][row][column]
            else:
                columns = {"requests": 7, "review_litigation": 5}[name]
                keys = [c for c in ("natural_person", "commercial", "research", "public_interest", "legal_service",
                                    "other_org", "total")] if columns == 7 else ["maintained", "corrected", "other",
                                                                                 "pending", "total"]  # fmt: skip
                value = tables[name][row][keys.index(column)]
            form[f"cell:{path}"] = str(value)
    return form


def _start(client, world, year=2023):
    client.force_login(world["author"])
    response = client.post("/authoring/", {"agency": world["county"].pk, "year": year})
    assert response.status_code == 302
    from gongkai.web.authoring.models import ReportDraft

    return ReportDraft.objects.get(agency=world["county"], year=year)


def test_write_submit_return_approve_publish(client, world):
    draft = _start(client, world)
    page = client.get(f"/authoring/{draft.pk}/").content.decode()
    assert "正定县人民政府2023年政府信息公开工作年度报告" in page
    assert "第一部分“总体情况”尚未填写" in page and "信息处理费" in page
    assert "2024年3月31日" in page  # a county government: 第四十九条

    tables = random_tables(random.Random(5), "2021")
    form = _form(tables, "2021")
    # Break one identity: the page flags the cell with the checker's message.
    broken = dict(form, **{"cell:requests.granted.natural_person": str(tables["requests"]["granted"][0] + 3)})
    client.post(f"/authoring/{draft.pk}/", broken)
    page = client.get(f"/authoring/{draft.pk}/").content.decode()
    assert 'input[name="cell:requests.granted.natural_person"]' in page and "（七）总计为" in page
    response = client.post(f"/authoring/{draft.pk}/submit/", follow=True)
    assert "报告尚不能报送" in response.content.decode()

    form["text:overview"] = "本年度共收到政府信息公开申请{}件。".format(tables["requests"]["new_received"][6])
    form["text:problems"] = "一是公开不够及时。针对上年度报告所列问题，已完成整改。"
    form["text:other_matters"] = "本年度未收取信息处理费。"
    form["fee"] = "0"
    client.post(f"/authoring/{draft.pk}/", form)
    page = client.get(f"/authoring/{draft.pk}/").content.decode()
    assert "检查全部通过" in page
    assert client.post(f"/authoring/{draft.pk}/approve/").status_code == 302  # the author cannot approve
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.post(f"/authoring/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    client.post(f"/authoring/{draft.pk}/", dict(form, **{"text:problems": "改了"}))  # no edits once submitted
    draft.refresh_from_db()
    assert draft.data["texts"]["problems"].startswith("一是")

    client.force_login(world["reviewer"])
    response = client.post(f"/authoring/{draft.pk}/return/", {"comment": ""}, follow=True)
    assert "请写明修改意见" in response.content.decode()
    client.post(f"/authoring/{draft.pk}/return/", {"comment": "第五部分请写具体整改措施"})
    draft.refresh_from_db()
    assert draft.status == "returned"

    client.force_login(world["author"])
    fixed = form["text:problems"] + "建立了公开时限台账。"
    client.post(f"/authoring/{draft.pk}/", dict(form, **{"text:problems": fixed}))
    client.post(f"/authoring/{draft.pk}/submit/")
    client.force_login(world["reviewer"])
    client.post(f"/authoring/{draft.pk}/approve/")
    client.post(f"/authoring/{draft.pk}/publish/", {"url": "javascript:alert(1)"})
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.published_url == ""  # not a web address: nothing published
    address = "https://www.example.gov.cn/zwgk/ndbg/2023.html"
    page = client.post(f"/authoring/{draft.pk}/publish/", {"url": address}, follow=True).text
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_report is not None
    assert draft.data["published"] is not None and draft.published_url == address and address in page
    published = draft.events.get(action="publish")
    assert {"path": "published_url", "label": "发布网址", "before": "", "after": address} in published.changes
    stored = draft.published_report
    assert stored.agency_id is not None and stored.year == 2023
    assert table_differences({"format": "2021", **tables}, stored.parsed) == []
    actions = list(draft.events.values_list("action", flat=True))
    assert actions[0] == "create" and actions[-3:] == ["submit", "approve", "publish"] and "return" in actions


def test_files_to_download(client, world):
    draft = _start(client, world, 2022)
    response = client.get(f"/authoring/{draft.pk}/file.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]
    html = client.get(f"/authoring/{draft.pk}/file.html")
    assert html["Content-Type"].startswith("text/html") and "<script" not in html.content.decode()


def test_who_may_see_and_change_a_draft(client, world):
    draft = _start(client, world, 2021)
    for who in ("outsider", "viewer"):
        client.force_login(world[who])
        assert client.get(f"/authoring/{draft.pk}/").status_code == 403
        assert client.post(f"/authoring/{draft.pk}/submit/").status_code == 403
    client.force_login(world["outsider"])
    response = client.post("/authoring/", {"agency": world["county"].pk, "year": 2024}, follow=True)
    assert "只能为本机关编写年报" in response.content.decode()
    client.force_login(world["reviewer"])  # the supervising office reads and reviews, but does not write
    assert client.get(f"/authoring/{draft.pk}/").status_code == 200
    client.post(f"/authoring/{draft.pk}/", {"text:overview": "上级改写"})
    draft.refresh_from_db()
    assert draft.data["texts"].get("overview", "") == ""
    assert client.get("/authoring/").content.decode().count(f"/authoring/{draft.pk}/") == 1


def test_a_year_without_the_format_is_refused(client, world):
    client.force_login(world["author"])
    response = client.post("/authoring/", {"agency": world["county"].pk, "year": 2017}, follow=True)
    assert "2019年起" in response.content.decode()


def _xlsx(rows: list[list]) -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_spreadsheets_fill_table_two(client, world):
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = _start(client, world, 2023)
    register = _xlsx(
        [
            ["标题", "文号", "类别", "制发日期", "废止日期"],
            ["正定县停车管理办法", "正政规〔2023〕1号", "行政规范性文件", "2023-03-01", None],
            ["旧办法", "正政规〔2019〕2号", "行政规范性文件", "2019-01-01", "2023-06-30"],
            ["另一办法", "正政规〔2020〕3号", "行政规范性文件", "2020-05-01", None],
        ]
    )
    upload = SimpleUploadedFile("登记簿.xlsx", register)
    response = client.post(f"/authoring/{draft.pk}/import/register/", {"file": upload}, follow=True)
    assert "已导入 登记簿.xlsx" in response.content.decode()
    assert "行政规范性文件：上年现行有效2件（登记簿推算）" in response.content.decode()
    draft.refresh_from_db()
    assert draft.data["active"]["normative_documents"] == {"issued": 1, "repealed": 1, "in_force": 2}
    figures = _xlsx([["事项", "数值", "单位"], ["行政许可", 120, "件"], ["行政事业性收费", "1,234,567.89", "元"]])
    upload = SimpleUploadedFile("数字.xlsx", figures)
    client.post(f"/authoring/{draft.pk}/import/figures/", {"file": upload})
    draft.refresh_from_db()
    assert draft.data["active"]["licensing"] == {"decisions": 120}
    assert Decimal(draft.data["active"]["fees"]["amount_wan_yuan"]) == Decimal("123.456789")
    bad = SimpleUploadedFile("坏.xlsx", _xlsx([["事项", "数值"], ["政府采购", 1]]))
    response = client.post(f"/authoring/{draft.pk}/import/figures/", {"file": bad}, follow=True)
    assert "不是2021年版格式" in response.content.decode()
