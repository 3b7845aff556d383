"""The path a new user takes, in a real browser (Playwright driving the system Chromium).

Sign in, upload seed 004, see its tables in the official layout, click a cell to see
where it came from, see the prose-vs-table finding, correct a cell, download the XLSX.
Skipped when no Chromium is installed (scripts/system-packages installs it for CI);
no test downloads a browser.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.web.conftest import SEEDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
# Flags for a closed network and a root user (see the machine notes): no sandbox, no background traffic.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def clerk(make_user):
    # Created before the browser starts: Playwright's event loop makes the ORM refuse this thread.
    return make_user("clerk", "editor")


@pytest.fixture
def browser_page(clerk, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def _shot(page, path: Path) -> Path:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, path  # a page, not a blank
    return path


def test_upload_inspect_correct_export(live_server, browser_page, tmp_path):
    page = browser_page

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-clerk-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/upload/")
    report_file = next(SEEDS.glob("004_*"))
    page.set_input_files("input[name=files]", str(report_file))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")  # not the sign-out button
    page.wait_for_selector("text=已处理 1 / 1 个文件")
    _shot(page, tmp_path / "1-job.png")
    page.click("table.list a[href*='/reports/']")
    page.wait_for_selector("text=三、本年度办理结果")
    _shot(page, tmp_path / "2-report.png")

    # The official layout: merged header cells, and the prose finding beside the tables.
    assert page.locator("th[rowspan]").count() > 5
    assert page.locator("text=已答复222件").count() >= 1

    # Where a number came from: the source text with the printed value highlighted.
    page.click("#c-requests\\.total\\.total a")
    evidence = page.locator("#evidence")
    evidence.locator("mark").first.wait_for()
    assert evidence.locator("mark").first.inner_text().strip() == "223"
    _shot(page, tmp_path / "3-evidence.png")

    # Correct it; the checks run again and the export uses the corrected value.
    evidence.locator("input[name=value]").fill("222")
    evidence.locator("textarea[name=reason]").fill("与正文“已答复222件”核对后更正")
    evidence.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#c-requests\\.total\\.total").wait_for()
    assert "222" in page.locator("#c-requests\\.total\\.total").inner_text()
    _shot(page, tmp_path / "4-corrected.png")

    with page.expect_download() as download:
        page.click("a:text-is('XLSX')")
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    workbook = openpyxl.load_workbook(saved, data_only=True)
    rows = list(workbook["单元格"].iter_rows(values_only=True))
    header = rows[0]
    total = dict(zip(header, next(r for r in rows if r[header.index("单元格")] == "requests.total.total"), strict=True))
    assert (total["数值（含更正）"], total["原文提取值"], total["已更正"]) == (222, 223, "是")
    layout = [cell for row in workbook.worksheets[1].iter_rows(values_only=True) for cell in row]
    assert 222 in layout and 223 not in layout  # the official layout shows the corrected value
