"""Pages that read at a glance, in Chromium on the lab's site: the width used without a page that
scrolls sideways, a device page's folded diffs without git's plumbing, its status page's trend
sparklines with their figures, the device index's filter, runbooks and incidents linked both ways."""

from __future__ import annotations

import re
import struct

import pytest

from tests.browser import Browser
from tests.integration import watched_browser
from tests.integration.site_fixture import CHANGED, HOSTILE_TITLE, BuiltSite

browser = watched_browser.browser  # the module's Chromium, watched for errors and dialogs

WIDTH = 1366
INCIDENT = "/incidents/INC-2026-0101/"


@pytest.mark.parametrize("path", ["/", f"/devices/{CHANGED}/", f"/status/{CHANGED}/", INCIDENT])
def test_a_page_does_not_scroll_sideways_at_1366_px(browser: Browser, path: str) -> None:
    page = browser.open(path)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    # The screenshot of the whole page is as wide as the window: nothing sticks out to the right.
    png = page.screenshot(full_page=True)
    width, _ = struct.unpack(">II", png[16:24])
    assert width == WIDTH
    # The width is used: no empty left sidebar, the text column wider than Material's default.
    assert page.locator(".md-sidebar--primary").is_hidden()
    assert page.evaluate("() => document.querySelector('.md-content').clientWidth") > 900
    page.close()


def test_a_device_page_folds_its_diffs_and_shows_no_git_plumbing(browser: Browser) -> None:
    page = browser.open(f"/devices/{CHANGED}/")
    fold = page.locator("#changes ~ details", has_text="vlan 733").first
    assert fold.get_attribute("open") is None  # folded
    assert not page.get_by_text("+vlan 733").first.is_visible()
    fold.locator("summary").click()
    assert page.locator(".language-diff .gi", has_text="vlan 733").first.is_visible()
    diffs = page.eval_on_selector_all(".language-diff", "els => els.map(e => e.textContent).join('\\n')")
    lines = diffs.splitlines()
    assert any("vlan 733" in line for line in lines)
    assert not [
        line
        for line in lines
        if line.startswith(("diff --git", "index ", "--- a/", "+++ b/", "new file mode"))
    ]
    page.close()


def test_a_device_status_page_draws_its_trends_with_their_figures(browser: Browser) -> None:
    # The trends move every night: they are on the status page, one link away from the device page.
    page = browser.open(f"/devices/{CHANGED}/")
    assert page.locator("svg.netkb-sparkline").count() == 0
    page.locator("article a[href*='status/']").first.click()
    page.wait_for_url(f"**/status/{CHANGED}/")
    sparklines = page.locator("svg.netkb-sparkline")
    assert sparklines.count() >= 3  # at least collection time over 30, 90 and 365 days
    label = sparklines.first.get_attribute("aria-label") or ""
    assert "最低" in label and "最高" in label
    # The text alternative: every figure in a folded table.
    figures = page.locator("#trends ~ details", has_text="趋势数据").first
    figures.locator("summary").click()
    rows = figures.locator("tbody tr")
    assert rows.count() >= 3 and "近 30 天" in rows.first.inner_text()
    page.close()


def test_the_device_index_filters_by_building_role_and_platform(browser: Browser, built: BuiltSite) -> None:
    page = browser.open("/devices/")
    form = "#netkb-device-filter"
    rows = "article tbody tr"
    total = page.locator(rows).count()
    role = page.locator(f"{form} select[name=role] option").nth(1).inner_text()
    page.select_option(f"{form} select[name=role]", label=role)
    visible = page.eval_on_selector_all(
        rows, "els => els.filter(e => e.offsetParent !== null).map(e => e.cells[1].textContent.trim())"
    )
    assert visible and set(visible) == {role} and len(visible) < total
    assert page.inner_text(f"{form} .netkb-count") == f"{len(visible)} / {total}"
    # A building named with markup is an option's text, and picks its own device alone.
    page.select_option(f"{form} select[name=role]", index=0)
    page.select_option(f"{form} select[name=building]", label=HOSTILE_TITLE)
    names = page.eval_on_selector_all(
        rows, "els => els.filter(e => e.offsetParent !== null).map(e => e.cells[0].textContent.trim())"
    )
    assert names == ["acc-lib-01"]
    headings = page.eval_on_selector_all(
        "article h2", "els => els.filter(e => e.offsetParent !== null).length"
    )
    assert headings == 1
    page.close()


def test_a_runbook_lists_the_incidents_that_used_it_and_the_incident_links_back(browser: Browser) -> None:
    page = browser.open("/runbooks/fan-tray/")
    link = page.locator("a", has_text="INC-2026-0101")
    assert link.count() == 1
    link.click()
    page.wait_for_url(f"**{INCIDENT}")
    assert page.locator("a[href*='runbooks/fan-tray']").count() >= 1
    page.close()


def test_every_chart_has_its_figures_and_counts_tick_in_whole_numbers(browser: Browser) -> None:
    page = browser.open("/reports/2026-11/")
    charts = page.locator("div.netkb-chart")
    assert charts.count() >= 1
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator("svg + details.netkb-chart-figures tbody tr").count() >= 1
        ticks = chart.locator("svg text[text-anchor=end]").all_text_contents()
        if not any("%" in t for t in ticks):  # a count axis
            assert all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    page.close()
