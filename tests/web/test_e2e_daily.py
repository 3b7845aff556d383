"""Daily use in a real browser (Playwright driving the system Chromium): a phone-width screen, and a
finding's cell link that scrolls to and highlights its cell. Skipped when no Chromium is installed."""

from __future__ import annotations

import shutil

import pytest

from tests.web.conftest import seed

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def reports(transactional_db):
    # Stored before the browser starts: Playwright's event loop makes the ORM refuse this thread.
    from gongkai.web.center.services.ingest import ingest_bytes

    return {key: ingest_bytes(*reversed(seed(key))).report.pk for key in ("000", "004")}


def _browser(viewport):
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    playwright = manager.__enter__()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(15_000)
    return manager, browser, page


@pytest.fixture
def phone(reports):
    manager, browser, page = _browser(PHONE)
    yield page
    browser.close()
    manager.__exit__(None, None, None)


@pytest.fixture
def desktop(reports):
    manager, browser, page = _browser({"width": 1400, "height": 900})
    yield page
    browser.close()
    manager.__exit__(None, None, None)


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_phone_width_no_sideways_page_menu_collapsed_tables_scroll(live_server, phone, reports):
    page = phone
    for url in ("/", "/reports/", f"/reports/{reports['000']}/", "/findings/", "/agencies/", "/compare/", "/login/"):
        page.goto(live_server.url + url)
        assert _page_width(page) <= PHONE["width"], url  # the page itself never scrolls sideways

    page.goto(f"{live_server.url}/reports/{reports['000']}/")
    nav = page.locator("header.site nav")
    assert not nav.is_visible()
    page.click("text=☰ 菜单")
    assert nav.is_visible() and page.locator("header.site nav a:text-is('年报')").is_visible()
    box = nav.locator("a:text-is('问题汇总')").bounding_box()
    assert box["width"] > 3 * box["height"] / 2  # one line, not one character per line

    # Each official table has its own horizontal scroll area; the cells are big enough to tap.
    wraps = page.locator(".table-wrap")
    assert wraps.count() == 3
    widths = page.evaluate("[...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])")
    assert any(scroll > client for scroll, client in widths)  # 表三 is wider than a phone
    assert all(client <= PHONE["width"] for _, client in widths)
    cell = page.locator("#c-requests\\.total\\.total a").bounding_box()
    assert cell["height"] >= 32 and cell["width"] >= 40


def test_finding_link_scrolls_to_and_highlights_its_cell(live_server, desktop, reports):
    page = desktop
    page.goto(f"{live_server.url}/reports/{reports['004']}/")
    link = page.locator(".finding ul.cells a[data-cell='requests.total.total']").first
    assert page.evaluate("window.scrollY") == 0
    link.scroll_into_view_if_needed()
    link.click()
    target = page.locator("#c-requests\\.total\\.total")
    page.wait_for_function("document.getElementById('c-requests.total.total').classList.contains('flash')")
    assert "selected" in target.get_attribute("class")
    page.wait_for_timeout(800)  # the smooth scroll
    box = target.bounding_box()
    assert 0 <= box["y"] <= 900  # on screen
    page.locator("#evidence mark").first.wait_for()
    assert page.locator("#evidence mark").first.inner_text().strip() == "223"
    # Another link moves the highlight.
    page.locator(".finding ul.cells a[data-cell='requests.carried_over.other_org']").first.click()
    page.wait_for_function("document.getElementById('c-requests.carried_over.other_org').classList.contains('flash')")
    assert "selected" not in (target.get_attribute("class") or "")
