"""A large export in a real browser (Playwright driving the system Chromium): click export on the report list,
land on the job's page, watch its progress (htmx polling) while a background thread writes the file, download it.
Skipped when no Chromium is installed; no test downloads a browser."""

from __future__ import annotations

import csv
import io
import time

import pytest

from tests.web.test_e2e import ARGS, CHROMIUM, _shot

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
REPORTS = 8


@pytest.fixture
def large_selection(transactional_db, make_user, settings, monkeypatch):
    # Made before the browser starts: Playwright's event loop makes the ORM refuse this thread.
    from gongkai.web.center.services import bench, export_jobs, exports

    bench.load(REPORTS, templates=2, progress=lambda _: None)
    make_user("clerk", "editor")
    settings.GONGKAI_EXPORT_BACKGROUND_OVER = 3  # a "large" selection without writing hundreds of reports
    settings.GONGKAI_JOBS_INLINE = False  # the job runs in a thread of the server, as in `gongkai serve`
    monkeypatch.setattr(export_jobs, "PROGRESS_SECONDS", 0.2)
    real = exports.prefetched

    def slowly(reports, fmt):  # a report every 0.3 s: the page is seen while the job runs
        for report in real(reports, fmt):
            time.sleep(0.3)
            yield report

    monkeypatch.setattr(exports, "prefetched", slowly)


@pytest.fixture
def page(large_selection):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1200}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()


def test_a_large_export_runs_as_a_job_and_is_downloaded_when_done(live_server, page, tmp_path):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-clerk-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/reports/")
    assert page.locator(f"text=共 {REPORTS} 份").count() == 1
    assert page.locator("text=超过 3 份在后台生成").count() == 1
    page.click("a:text-is('CSV')")
    page.wait_for_url("**/exports/*/")
    assert page.locator("h1").inner_text().startswith("导出任务")
    running = page.locator("#export-job").inner_text()
    assert "已完成" not in running and ("排队中" in running or "处理中" in running), running
    _shot(page, tmp_path / "1-progress.png")

    link = page.locator("a:has-text('下载')")
    link.wait_for()  # swapped in by the polling once the thread has written the file
    assert f"已写出 {REPORTS} / {REPORTS} 份年报" in page.locator("#export-job").inner_text()
    _shot(page, tmp_path / "2-done.png")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"gongkai-{REPORTS}份年报.csv"
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "年报编号" and len({row[0] for row in rows[1:]}) == REPORTS

    page.click("nav a:text-is('我的导出')")
    assert page.locator(f"text=gongkai-{REPORTS}份年报.csv").count() == 1
