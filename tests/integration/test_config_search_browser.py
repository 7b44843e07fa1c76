"""Config search that understands configs, in Chromium on the lab's site: VLAN lists and ranges
in each vendor's syntax, interface names in any spelling, each hit under its block."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
from playwright.sync_api import Page

from tests.browser import Browser
from tests.integration import watched_browser
from tests.integration.site_fixture import BuiltSite

browser = watched_browser.browser  # the module's Chromium, watched for errors and dialogs

FORM = "#netkb-config-search"
RESULTS = "#netkb-config-results"


@pytest.fixture(scope="module")
def configs(built: BuiltSite) -> dict[str, list[str]]:
    """Each device's config lines, as the site's data file holds them."""
    data = json.loads((built.site / "assets/netkb/configs.json").read_text(encoding="utf-8"))
    return {d["name"]: [data["lines"][i] for i in d["lines"]] for d in data["devices"]}


def search(page: Page, query: str) -> dict[str, str]:
    """Device name -> the text shown under it."""
    page.fill(f"{FORM} input[name=q]", query)
    page.evaluate("() => { document.getElementById('netkb-config-results').textContent = ''; }")
    page.click(f"{FORM} button")
    page.wait_for_selector(f"{RESULTS} .netkb-count")
    return dict(
        page.eval_on_selector_all(
            f"{RESULTS} li",
            "els => els.map(e => [e.querySelector('a').textContent, e.querySelector('pre').textContent])",
        )
    )


def _lines_with(configs: dict[str, list[str]], pattern: str) -> dict[str, list[str]]:
    found = {n: [line for line in lines if re.search(pattern, line)] for n, lines in configs.items()}
    return {n: lines for n, lines in found.items() if lines}


def test_a_vlan_is_found_inside_comware_ranges(browser: Browser, configs: dict[str, list[str]]) -> None:
    trunks = _lines_with(configs, r"^ port trunk permit vlan .*\d to \d")
    assert trunks, "the lab's Comware trunks list VLAN ranges"
    name, lines = next(iter(trunks.items()))
    low, high = map(int, re.search(r"(\d+) to (\d+)", lines[0]).groups())  # type: ignore[union-attr]
    inside = (low + high) // 2 if high - low > 1 else high
    page = browser.open("/config-search/")
    shown = search(page, f"vlan {inside}")
    assert name in shown
    assert lines[0] in shown[name]
    # The hit is shown under its interface, and the device is a link to its config.
    assert re.search(r"^interface \S+\n" + re.escape(lines[0]), shown[name], re.M)
    href = page.locator(f"{RESULTS} li > a", has_text=name).first.get_attribute("href") or ""
    assert href.endswith(f"devices/{name}/#config")
    # A VLAN number is whole: vlan {high}0 is not vlan {high}.
    assert not any(f"vlan {high}0" in text for text in search(page, f"vlan {high}").values())
    page.close()


def test_a_vlan_is_found_inside_ios_lists(browser: Browser, configs: dict[str, list[str]]) -> None:
    lists = _lines_with(configs, r"switchport trunk allowed vlan (\S+,)?\d+-\d+")
    if not lists:
        pytest.skip("no IOS-style VLAN list in the lab's configs")
    name, lines = next(iter(lists.items()))
    high = int(re.search(r"\d+-(\d+)", lines[0]).group(1))  # type: ignore[union-attr]
    page = browser.open("/config-search/")
    shown = search(page, f"vlan {high}")
    assert name in shown and lines[0].strip() in shown[name]
    page.close()


def test_an_interface_is_found_by_any_of_its_names(browser: Browser, configs: dict[str, list[str]]) -> None:
    page = browser.open("/config-search/")
    full = search(page, "GigabitEthernet1/0/1")
    assert full
    for other in ("GE1/0/1", "Gi1/0/1", "ge1/0/1"):
        assert search(page, other) == full, other
    # 1/0/1 is not 1/0/10, and GigabitEthernet is not Ten-GigabitEthernet.
    assert not any(re.search(r"GigabitEthernet1/0/1\d|Ten-GigabitEthernet1/0/1\b", t) for t in full.values())
    tens = _lines_with(configs, r"^interface Ten-GigabitEthernet\d+/\d+/\d+$")
    assert tens, "the lab's Comware devices have 10G ports"
    name, lines = next(iter(tens.items()))
    port = lines[0].removeprefix("interface Ten-GigabitEthernet")
    assert lines[0] in search(page, f"XGE{port}")[name]
    assert not any(lines[0] in text for text in search(page, f"GE{port}").values())
    page.close()


def test_the_form_is_styled_like_the_theme(browser: Browser) -> None:
    page = browser.open("/config-search/?" + urllib.parse.urlencode({"config": "sysname"}))
    page.wait_for_selector(f"{RESULTS} li")
    box = page.locator(f"{FORM} input[name=q]")
    style = box.evaluate("e => { const s = getComputedStyle(e); return [s.borderTopWidth, s.fontSize]; }")
    assert style[0] == "0px"  # no browser-default border: the theme's flat field
    assert box.get_attribute("placeholder")
    page.close()
