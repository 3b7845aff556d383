"""Writing a report in a real browser (Playwright driving the system Chromium; never a downloaded browser).

The author imports the register, types the tables and watches a 勾稽 error appear and go away as they type,
writes section 五, downloads Word and PDF, submits; the supervising office returns it with a comment; the
author fixes it and submits again; the office approves and publishes it into the data center."""

from __future__ import annotations

import random

import pytest

from gongkai.authoring.tables import layouts
from gongkai.proving.synth import random_tables

from .test_e2e_support import ARGS, CHROMIUM, form_values, register_xlsx
from .test_web import _settings, _user  # noqa: F401 — the shared settings fixture

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def people():
    # Created before the browser starts: Playwright's event loop makes the ORM refuse its thread.
    from gongkai.web.center.models import Agency

    city = Agency.objects.create(name="石家庄市人民政府", level="city")
    county = Agency.objects.create(name="正定县人民政府", level="county", parent=city)
    return {"county": county, "author": _user("zhengding", "editor", county), "reviewer": _user("sjz", "editor", city)}


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()


def _login(page, base: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", f"pw-{name}-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _shot(page, path) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, path  # a page, not a blank


def _message(page, text: str) -> None:
    page.wait_for_selector(f"text={text}")


def test_write_review_publish_in_the_browser(live_server, people, page, tmp_path):
    base = live_server.url
    tables = random_tables(random.Random(5), "2021")
    _login(page, base, "zhengding")
    page.goto(f"{base}/authoring/")
    page.select_option("select[name=agency]", label="正定县人民政府")
    page.fill("input[name=year]", "2023")
    page.click("form.inline button[type=submit]")
    _message(page, "正定县人民政府2023年政府信息公开工作年度报告")

    # The register of 行政规范性文件 from Excel: 表二's first rows are computed from it.
    page.set_input_files("input[type=file] >> nth=0", str(register_xlsx(tmp_path / "登记簿.xlsx")))
    page.click("text=导入并计算第二十条（一）项")
    _message(page, "已导入 登记簿.xlsx")
    assert page.input_value("input[name='cell:active.normative_documents.issued']") == "1"

    # The tables typed in, cell by cell (the register's rows are kept).
    values = form_values(tables, layouts("2021"))
    for path, value in values.items():
        if not path.startswith("active.normative_documents"):
            page.fill(f"input[name='cell:{path}']", value)
    _message(page, "表格勾稽关系检查通过")

    # A wrong figure: the live check marks it and says why; put right, the message goes.
    cell = "input[name='cell:requests.granted.natural_person']"
    page.fill(cell, str(int(values["requests.granted.natural_person"]) + 3))
    page.wait_for_selector(".live-findings >> text=（七）总计为")
    assert page.eval_on_selector(cell, "e => getComputedStyle(e).backgroundColor") == "rgb(253, 226, 225)"
    _shot(page, tmp_path / "1-live-error.png")
    page.fill(cell, values["requests.granted.natural_person"])
    _message(page, "表格勾稽关系检查通过")
    assert page.locator(".live-findings").count() == 0
    assert page.eval_on_selector(cell, "e => getComputedStyle(e).backgroundColor") != "rgb(253, 226, 225)"

    new = tables["requests"]["new_received"][6]
    page.fill("textarea[name='text:overview']", f"本年度共收到政府信息公开申请{new}件。")
    page.fill("textarea[name='text:problems']", "一是公开不够及时。")
    page.fill("textarea[name='text:other_matters']", "本年度未收取信息处理费。")
    page.fill("input[name=fee]", "0")
    page.click("text=保存并检查")
    _message(page, "未提及上年度报告所列问题的改进情况")  # no previous report: section 五 must still say so
    page.fill("textarea[name='text:problems']", "一是公开不够及时。针对上年度报告所列问题，已完成整改。")
    page.click("text=保存并检查")
    _message(page, "检查全部通过，可以报送。")

    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        with page.expect_download() as download:
            page.click(f"a[href$='file.{fmt}']")
        path = tmp_path / f"report.{fmt}"
        download.value.save_as(path)
        assert path.read_bytes()[: len(magic)] == magic and path.stat().st_size > 5_000

    page.click("text=报送上级主管部门审核")
    _message(page, "已报送")

    _login(page, base, "sjz")
    page.goto(f"{base}/authoring/supervision/?year=2023")
    assert page.locator("tr[data-agency='正定县人民政府'] >> text=已报送待审核").count() == 1
    _shot(page, tmp_path / "2-board.png")
    page.click("tr[data-agency='正定县人民政府'] >> text=查看草稿")
    page.click("text=退回修改")
    _message(page, "退回时请写明修改意见")
    page.fill("textarea[name=comment]", "第五部分请写具体整改措施")
    page.click("text=退回修改")
    _message(page, "已退回")

    _login(page, base, "zhengding")
    page.goto(f"{base}/authoring/")
    page.click("table.grid a:text('正定县人民政府')")
    _message(page, "第五部分请写具体整改措施")
    page.fill(
        "textarea[name='text:problems']",
        "一是公开不够及时。针对上年度报告所列问题，已完成整改，建立了公开时限台账，每月通报。",
    )
    page.click("text=保存并检查")
    _message(page, "检查全部通过，可以报送。")
    page.click("text=报送上级主管部门审核")
    _message(page, "已报送")

    _login(page, base, "sjz")
    page.goto(f"{base}/authoring/")
    page.click("table.grid a:text('正定县人民政府')")
    page.click("text=审核通过")
    _message(page, "已审核通过")
    page.click("button:text('发布')")
    _message(page, "数据中心中的年报")
    page.click("text=修改记录")
    _message(page, "第五部分请写具体整改措施")
    assert page.locator("section.event").count() >= 8
