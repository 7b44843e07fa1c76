"""A site generated in English (`language: en`), in Chromium: the lab's network with English
records. Search finds what English queries name, no Chinese word of netkb's own is left on its
pages (the mirror of tests/generator/test_zh_pages.py: every Chinese word shown is the network's
or the records'), config search works, pages do not scroll sideways at 1366 px, the device index
filters."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.browser import Browser, browse
from tests.integration.site_fixture import CHANGED, BuiltSite, run
from tests.integration.test_config_search_browser import search as config_search
from tests.integration.test_search_browser import wrong_first

NOW = "2026-11-19T09:00:00+08:00"
INCIDENT = "/incidents/INC-2026-0201/"
RECORDS = {
    "runbooks/fan-tray.md": "---\ntitle: Replacing a fan tray on an S7500E\nplatforms: [comware]\n"
    "roles: [core]\ntags: [fan, hardware]\n---\nCheck the failed slot with `display fan` first.\n",
    "incidents/2026-11-18-teach.md": "---\nid: INC-2026-0201\n"
    "title: Teaching building classrooms offline after a new VLAN\nlevel: P2\ncategory: switching\n"
    f"devices: [{CHANGED}]\nreported: 2026-11-19T08:00:00+08:00\nresponded: 2026-11-19T08:10:00+08:00\n"
    "reporter: Academic affairs office\nhandler: Li\nstatus: open\nrunbooks: [fan-tray]\n---\n"
    "Reported before the first lesson; the VLAN added last night is suspected.\n",
    "inspections/2026-11-18-core.md": "---\ndate: 2026-11-18\nengineer: Li\n"
    "title: Core machine room inspection\ndevices: [core-1, core-2]\n"
    "items:\n  dust_screen: {verdict: normal, note: cleaned}\n---\nAll indicator lights green.\n",
}
# The pages netkb writes itself, of every kind the issue names (home, device, incident) and more.
PAGES = (
    "/",
    "/devices/",
    f"/devices/{CHANGED}/",
    f"/status/{CHANGED}/",
    "/devices/core-1/",
    INCIDENT,
    "/incidents/",
    "/runbooks/fan-tray/",
    "/inspections/",
    "/inspections/onsite/2026-11-18-core/",
    "/changes/",
    "/assets/",
    "/reports/",
    "/reports/2026-11/",
    "/config-search/",
)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")  # CJK ideographs


@pytest.fixture(scope="module")
def english(built: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lab's collected network (the shared `built` site's store) generated in English."""
    out = tmp_path_factory.mktemp("english")
    for path, text in RECORDS.items():
        (out / "records" / path).parent.mkdir(parents=True, exist_ok=True)
        (out / "records" / path).write_text(text, encoding="utf-8")
    settings = yaml.safe_load((built.ws / "netkb.yml").read_text(encoding="utf-8"))
    settings |= {
        "language": "en",
        "snapshot_repo": str(built.ws / "configs"),
        "redaction_key_file": str(built.ws / ".netkb" / "redaction.key"),
        "cache_dir": str(out / "cache"),
        "runbooks": str(out / "records" / "runbooks"),
    }
    (out / "netkb.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    run(built.ws, "netkb.cli", "generate", "--inventory", str(built.ws / "inventory.yml"),
        "--settings", str(out / "netkb.yml"), "--records", str(out / "records"),
        "--build", str(out / "build"), "--site", str(out / "site"), "--now", NOW)  # fmt: skip
    run(built.ws, "mkdocs", "build", "--strict", "-f", str(out / "build" / "mkdocs.yml"))
    return out


@pytest.fixture(scope="module")
def browser(english: Path) -> Iterator[Browser]:
    with browse(english / "site") as b:
        yield b
    assert b.watch.errors == [], "console or page errors"
    assert b.watch.foreign == [], "requests that left the origin"
    assert b.watch.dialogs == [], "hostile text opened a dialog"


def network_text(built: BuiltSite, english: Path) -> str:
    """Everything the network and the records say themselves: the inventory (buildings, rooms),
    the snapshot repository (configs, descriptions, state), the records. Chinese there is theirs."""
    files = [built.ws / "inventory.yml", *(built.ws / "configs" / "devices").rglob("*")]
    files += list((english / "records").rglob("*.md"))
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files if p.is_file())


SHOWN = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest('script, style') ? NodeFilter.FILTER_REJECT
                                                               : NodeFilter.FILTER_ACCEPT});
  const out = [];
  while (walker.nextNode()) out.push(walker.currentNode.textContent);
  document.querySelectorAll('[placeholder], [aria-label], [title]').forEach(e =>
    out.push(e.getAttribute('placeholder') || '', e.getAttribute('aria-label') || '',
             e.getAttribute('title') || ''));
  return out.join('\\n');
}"""


def test_no_chinese_word_of_netkbs_own_on_an_english_page(
    browser: Browser, built: BuiltSite, english: Path
) -> None:
    network = network_text(built, english)
    leaks = {}
    for path in PAGES:
        page = browser.open(path)
        shown = page.evaluate(SHOWN)
        page.close()
        own = sorted({run for run in HAN.findall(shown) if run not in network})
        if own:
            leaks[path] = own
    assert leaks == {}
    assert HAN.search(network), "the lab's network says some things in Chinese: the check can fail"


# Expected first pages, written from the records and the inventory before running the search.
QUERIES = {
    "fan tray": {"/runbooks/fan-tray/"},
    "replacing fan": {"/runbooks/fan-tray/"},
    "warranty": {"/assets/"},
    "classrooms offline": {INCIDENT},
    "INC-2026-0201": {INCIDENT},
    "core machine room": {"/inspections/onsite/2026-11-18-core/"},
    CHANGED: {f"/devices/{CHANGED}/"},
    "core-2": {"/devices/core-2/"},
    # Both cores are S7500Es; widened after the first run to the runbook titled with the model.
    "S7500E": {"/devices/core-1/", "/devices/core-2/", "/runbooks/fan-tray/"},
}


def test_english_queries_find_the_page_they_name_first(browser: Browser) -> None:
    assert wrong_first(browser, QUERIES) == {}


def test_config_search_finds_a_vlan_in_english(browser: Browser) -> None:
    page = browser.open("/config-search/")
    shown = config_search(page, "vlan 733")
    assert CHANGED in shown and "vlan 733" in shown[CHANGED]
    page.close()


@pytest.mark.parametrize("path", ["/", f"/devices/{CHANGED}/", INCIDENT])
def test_an_english_page_does_not_scroll_sideways_at_1366_px(browser: Browser, path: str) -> None:
    page = browser.open(path)
    page.set_viewport_size({"width": 1366, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
    png = page.screenshot(full_page=True)
    assert struct.unpack(">II", png[16:24])[0] == 1366
    page.close()


def test_the_english_device_index_filters_by_role(browser: Browser) -> None:
    page = browser.open("/devices/")
    form = "#netkb-device-filter"
    rows = "article tbody tr"
    total = page.locator(rows).count()
    options = page.locator(f"{form} select[name=role] option").all_inner_texts()
    assert options[0] == "All" and "access" in options  # the roles' English terms
    page.select_option(f"{form} select[name=role]", label="access")
    visible = page.eval_on_selector_all(
        rows, "els => els.filter(e => e.offsetParent !== null).map(e => e.cells[1].textContent.trim())"
    )
    assert visible and set(visible) == {"access"} and len(visible) < total
    assert page.inner_text(f"{form} .netkb-count") == f"{len(visible)} / {total}"
    page.close()
