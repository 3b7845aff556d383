"""The ledger in a real browser (Playwright driving the system Chromium; never a downloaded browser).

Import an Excel ledger, open a request, add a 补正 and see the deadline move, close it, view the year-end
tables, drill into a cell, and look the request up as the applicant with its 查询码.
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.web.test_e2e import ARGS, CHROMIUM, _shot

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")


@pytest.fixture
def ledger_file(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "申请"
    ws.append(["编号", "收到日期", "收到方式", "申请人类型", "申请人", "联系方式", "申请内容", "答复日期", "办理结果"])
    ws.append(["2025-001", "2025-06-03", "网上申请", "自然人", "赵六", "13700001234", "某路段拓宽工程批复", None, None])
    ws.append(
        [
            "2025-002",
            "2025年3月3日",
            "当面",
            "企业",
            "某建设公司",
            "010-66668888",
            "土地出让合同",
            "2025-03-20",
            "予以公开",
        ]
    )
    ws.append(
        ["2025-003", "2025/04/01", "信函", "个人", "钱七", "13600005678", "拆迁补偿方案", "2025-04-21", "部分公开"]
    )
    path = tmp_path / "某局依申请公开台账2025.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def browser(clerk, agency):
    # Users and agencies first: Playwright's event loop makes the ORM refuse this thread afterwards.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = chromium.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        chromium.close()


def test_import_correct_close_year_end_and_lookup(live_server, browser, agency, ledger_file, tmp_path):
    page = browser
    url = live_server.url
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-clerk-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    # Import: preview first (nothing stored), then confirm.
    page.goto(f"{url}/ledger/agency/{agency.pk}/import/")
    page.set_input_files("input[name=file]", str(ledger_file))
    page.click("#preview")
    page.wait_for_selector("#import-result")
    assert page.locator("#preview-requests").inner_text() == "3"
    _shot(page, tmp_path / "1-preview.png")
    page.click("#confirm-import")
    page.wait_for_selector("text=已导入 3 件申请")
    assert page.locator("#ledger-rows tr").count() == 4  # header + 3
    assert "赵六" not in page.content()  # masked in the list
    _shot(page, tmp_path / "2-list.png")

    # Open the open request: its deadline and the trace.
    page.click("#ledger-rows a:text-is('2025-001')")
    page.wait_for_selector("#due")
    due_before = page.locator("#due").inner_text()
    query_code = page.locator("#query-code").inner_text()
    assert due_before.startswith("2025-")

    # 补正: asked, then received — the deadline moves to 20 working days after the corrected application.
    page.select_option("#event-kind", "correction_requested")
    page.fill("#add-event input[name=on]", "2025-06-05")
    page.click("#add-event button[type=submit]")
    page.wait_for_selector("#state:text-is('等待补正')")
    page.select_option("#event-kind", "correction_received")
    page.fill("#add-event input[name=on]", "2025-06-11")
    page.click("#add-event button[type=submit]")
    page.wait_for_selector("text=答复期限已重新计算")
    due_after = page.locator("#due").inner_text()
    assert due_after > due_before
    _shot(page, tmp_path / "3-corrected.png")

    # An impossible reply (before receipt) is refused with the reason.
    page.select_option("#event-kind", "reply")
    page.fill("#add-event input[name=on]", "2025-05-01")
    page.select_option("#add-event select[name=outcome]", "granted")
    page.click("#add-event button[type=submit]")
    page.wait_for_selector("text=早于收到申请之日")

    # Close it.
    page.select_option("#event-kind", "reply")
    page.fill("#add-event input[name=on]", "2025-06-30")
    page.select_option("#add-event select[name=outcome]", "granted")
    page.click("#add-event button[type=submit]")
    page.wait_for_selector("#state:text-is('已办结')")

    # Year-end tables from the ledger, and a cell opening its requests.
    page.goto(f"{url}/ledger/agency/{agency.pk}/year/2025/")
    page.wait_for_selector("#table-requests")
    assert page.locator("#c-requests\\.new_received\\.total").inner_text().strip() == "3"
    assert page.locator("#c-requests\\.granted\\.total").inner_text().strip() == "2"
    _shot(page, tmp_path / "4-year.png")
    page.click("#c-requests\\.granted\\.total a")
    page.wait_for_selector("#drill")
    drill = page.locator("#drill").inner_text()
    assert "2025-001" in drill and "2025-002" in drill and "2025-003" not in drill
    _shot(page, tmp_path / "5-drill.png")

    # The applicant, signed out, with the 查询码: state and deadline only.
    page.click("header form button[type=submit]")  # 退出
    page.wait_for_load_state()
    page.goto(f"{url}/ledger/lookup/")
    page.fill("input[name=code]", query_code)
    page.click("main button[type=submit]")
    page.wait_for_selector("#lookup-result")
    assert page.locator("#lookup-state").inner_text() == "已办结"
    assert page.locator("#lookup-due").inner_text().startswith("2025年")
    assert "赵六" not in page.content() and "拓宽" not in page.content()
    _shot(page, tmp_path / "6-lookup.png")
