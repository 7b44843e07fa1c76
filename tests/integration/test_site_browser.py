"""The lab's site in a real browser (Chromium over HTTP): search, config search, diffs, safety."""

from __future__ import annotations

from tests.browser import Browser, search
from tests.integration import watched_browser
from tests.integration.site_fixture import CHANGED, BuiltSite

browser = watched_browser.browser  # the module's Chromium, watched for errors and dialogs


def test_a_chinese_word_from_a_runbook_finds_it(browser: Browser) -> None:
    page = browser.open("/")
    assert any("/runbooks/fan-tray/" in link for link in search(page, "槽位"))
    page.close()


def test_a_hostname_and_a_management_address_find_the_device(browser: Browser, built: BuiltSite) -> None:
    page = browser.open("/")
    assert any(f"/devices/{CHANGED}/" in link for link in search(page, CHANGED))
    address = built.inventory_entry(CHANGED)["mgmt_ip"]
    page.close()
    page = browser.open("/")
    assert any(f"/devices/{CHANGED}/" in link for link in search(page, address))
    page.close()


def test_config_search_finds_the_devices_holding_a_line(browser: Browser) -> None:
    page = browser.open("/config-search/?config=vlan%20733")
    page.wait_for_selector("#netkb-config-results li")
    names = page.eval_on_selector_all("#netkb-config-results li > a", "els => els.map(e => e.textContent)")
    assert names == [CHANGED]
    page.fill("#netkb-config-search input[name=q]", "^ ?description .*<script>")
    page.check("#netkb-config-search input[name=regex]")
    page.click("#netkb-config-search button")
    page.wait_for_function("() => document.querySelector('#netkb-config-results li code')")
    shown = page.inner_text("#netkb-config-results")
    assert "<script>alert('netkb')</script>" in shown  # found, and shown as text
    page.close()


def test_a_device_page_shows_its_diff_highlighted(browser: Browser) -> None:
    page = browser.open(f"/devices/{CHANGED}/")
    page.locator("details", has_text="vlan 733").first.locator("summary").click()  # diffs are folded
    diff = page.locator("code", has_text="+vlan 733").first
    assert diff.is_visible()
    assert page.locator(".language-diff .gi", has_text="vlan 733").count() >= 1
    page.close()


def test_hostile_device_text_does_not_execute(browser: Browser, built: BuiltSite) -> None:
    for path in built.hostile_pages():
        page = browser.open(path)
        page.wait_for_load_state("load")
        assert page.evaluate("() => document.querySelectorAll('.evil, img[src=x]').length") == 0
        page.close()


def test_an_incident_page_shows_its_sla_and_the_change_before_it(browser: Browser) -> None:
    page = browser.open("/incidents/INC-2026-0101/")
    text = page.inner_text("article")
    assert "INC-2026-0101" in text
    assert "15 分钟" in text and "10 分钟" in text  # the response target and the time it took
    change = page.locator(f"a[href*='devices/{CHANGED}/#changes'], a[href*='devices/{CHANGED}/']").first
    assert change.is_visible()
    assert "vlan 733" in text  # the change made the evening before, named by its section
    page.close()
