"""The demo as `make demo` builds it — the campus scenario replayed on its own lab, the records
of demo/, the site — proven in a real browser (Chromium over HTTP)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from netkb.lab.topology import DEFAULT_DEVICES
from tests.browser import Browser, browse, search
from tests.conftest import netkb, start_lab
from tests.integration.site_fixture import run
from tests.print_a4 import a4_problems, print_a4

# The replay of 90 nights is part of the first test's setup: give it room on a slow machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-25T09:00+08:00"  # the Makefile's DEMO_NOW


@dataclass
class Demo:
    ws: Path
    inventory: Path
    browser: Browser

    def mgmt_ip(self, name: str) -> str:
        data = yaml.safe_load(self.inventory.read_text(encoding="utf-8"))
        return str(next(d["mgmt_ip"] for d in data["devices"] if d["name"] == name))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    ws = tmp_path_factory.mktemp("demo")
    state = ws / "lab"
    # The demo's settings name their store relative to themselves (../.demo): a copy keeps this
    # test's store in its own folder, apart from the checkout's `make demo`.
    (ws / "demo").mkdir()
    shutil.copy(ROOT / "demo" / "netkb.yml", ws / "demo" / "netkb.yml")
    settings = str(ws / "demo" / "netkb.yml")
    # The site is shaped by the checkout's own mkdocs.yml and pages, as `make demo` builds it.
    shutil.copy(ROOT / "mkdocs.yml", ws / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", ws / "docs")
    shutil.copytree(ROOT / "runbooks", ws / "runbooks")  # the demo's settings name ../runbooks
    try:
        lab = start_lab(state, DEFAULT_DEVICES, seed=7)
        scenario = str(ROOT / "lab" / "scenarios" / "campus.yaml")
        run(ws, "netkb.cli", "lab", "--state", str(state), "scenario", scenario, "--settings", settings)
    finally:
        netkb("lab", "--state", str(state), "stop", check=False)
    run(ws, "netkb.cli", "generate", "--inventory", str(lab.inventory), "--settings", settings,
        "--records", str(ROOT / "demo"), "--now", NOW)  # fmt: skip
    run(ws, "mkdocs", "build", "--strict")
    with browse(ws / "site") as browser:
        yield Demo(ws, lab.inventory, browser)
    assert browser.watch.errors == [], "console or page errors"
    assert browser.watch.foreign == [], "requests that left the origin"
    assert browser.watch.dialogs == [], "hostile text opened a dialog"


def test_the_team_mkdocs_yml_shapes_the_demo(demo: Demo) -> None:
    page = demo.browser.open("/")
    assert page.get_attribute("body", "data-md-color-primary") == "indigo"
    tabs = page.eval_on_selector_all(".md-tabs__link", "els => els.map(e => e.textContent.trim())")
    assert tabs[0] == "首页" and tabs[-1] == "值班与联系人 / Duty & contacts", tabs
    page.close()
    page = demo.browser.open("/team/contacts/")
    assert page.locator("abbr[title^='Network Operations Centre']").count() >= 1
    page.close()


def test_a_chinese_word_finds_its_runbook(demo: Demo) -> None:
    page = demo.browser.open("/")
    assert any("/runbooks/s7500e-fan-tray/" in link for link in search(page, "风扇框"))
    page.close()


def test_a_hostname_and_a_management_address_find_the_device(demo: Demo) -> None:
    for query in ("agg-lib", demo.mgmt_ip("agg-lib")):
        page = demo.browser.open("/")
        assert "/devices/agg-lib/" in search(page, query)[0], query
        page.close()


def test_config_search_finds_the_devices_holding_a_line(demo: Demo) -> None:
    page = demo.browser.open("/config-search/?config=vlan%20105")
    page.wait_for_selector("#netkb-config-results li")
    names = page.eval_on_selector_all("#netkb-config-results li > a", "els => els.map(e => e.textContent)")
    assert {"agg-lib", "acc-lib-01"} <= set(names)  # the library's new VLAN, on both switches
    page.close()


def test_a_device_page_shows_its_diff(demo: Demo) -> None:
    page = demo.browser.open("/devices/agg-lib/")
    assert page.locator(".language-diff .gi", has_text="vlan 105").count() >= 1
    page.close()


def test_a_device_page_shows_its_open_finding_since_the_night_that_found_it(demo: Demo) -> None:
    # agg-dorm's power supply fails again on 11-23 18:20 and is still open at the end of the term:
    # the device page names it with the night it began; the night's detail is on the status page.
    page = demo.browser.open("/devices/agg-dorm/")
    row = page.locator("#findings + * tr", has_text="电源状态")  # the table after the heading
    assert row.count() == 1 and "异常" in row.inner_text() and "2026-11-24" in row.inner_text()
    page.locator("article a[href*='status/']").first.click()
    page.wait_for_url("**/status/agg-dorm/")
    row = page.locator("#inspection ~ * tr", has_text="电源状态")
    assert row.count() == 1 and "异常" in row.inner_text()
    assert page.locator("svg.netkb-sparkline").count() >= 3 and page.locator("#health").count() == 1
    page.close()


def test_an_incident_page_shows_its_sla_and_the_change_before_it(demo: Demo) -> None:
    page = demo.browser.open("/incidents/INC-2026-0047/")
    text = page.inner_text("article")
    assert "未达成" in text and "2 小时 30 分" in text  # the on-site target it missed, and by what
    changes = page.locator("table", has_text="agg-teach").filter(has_text="GigabitEthernet1/0/1")
    assert changes.count() >= 1  # the trunk change of the evening before
    page.close()


def test_every_report_prints_on_a4_without_the_navigation_or_cut_tables(demo: Demo) -> None:
    reports = sorted(
        p.stem for p in (demo.ws / "build" / "docs" / "reports").glob("*.md") if p.stem != "index"
    )
    # The term from its first night (08-28) to 11-25: four months, two quarters and the year, 7 of
    # the 17 reports (12 + 4 + 1) a whole year has.
    assert reports == ["2026", "2026-08", "2026-09", "2026-10", "2026-11", "2026-Q3", "2026-Q4"]
    printed = {}
    for key in reports:  # the module's one browser
        page = demo.browser.open(f"/reports/{key}/")
        printed[key] = print_a4(page)
        page.close()
    assert {key: a4_problems(*found) for key, found in printed.items()} == {key: [] for key in reports}


def test_hostile_device_text_does_not_execute(demo: Demo) -> None:
    docs = demo.ws / "build" / "docs" / "devices"
    hostile = [p.stem for p in docs.glob("*.md") if "alert('netkb')" in p.read_text(encoding="utf-8")]
    assert hostile
    for name in hostile:
        page = demo.browser.open(f"/devices/{name}/")
        page.wait_for_load_state("load")
        assert "<script>alert('netkb')</script>" in page.inner_text("article")
        page.close()


def test_the_unplanned_trunk_change_is_on_the_home_page_and_in_the_q4_report(demo: Demo) -> None:
    # demo/change-requests/ covers every config change of the term but agg-teach's trunk clean-up
    # of 11-02 22:30, found by the 11-03 02:00 collect; the dorm-02 change was never carried out.
    page = demo.browser.open("/")
    assert "最近 30 天内有 1 次配置变更没有已批准的变更单覆盖" in page.inner_text("article")
    row = page.locator("table tr", has_text="agg-teach").filter(has_text="计划外")
    assert row.count() == 1 and "2026-11-03 02:00" in row.inner_text()
    page.close()
    page = demo.browser.open("/reports/2026-Q4/")
    # Q4 to 11-25: covered agg-lib 10-14, core-2, fw-1, fw-2, core-1, rlab-1, dorm-01; emergency
    # acc-admin-02 10-01, agg-lib 10-15, agg-teach 11-04; unplanned agg-teach 11-03
    text = page.inner_text("article")
    assert "配置变更 11 次：计划内 7，紧急 3，计划外 1，设备不符 0；未实施的变更单 1 个。" in text
    assert page.locator("table tr", has_text="agg-teach").filter(has_text="计划外").count() == 1
    page.close()


def test_the_baseline_shows_dorm_01_failing_remote_syslog_until_its_planned_fix(demo: Demo) -> None:
    # lab/scenarios/campus.yaml 2026-11-12 21:15, change record CHG-2026-051, found by the 11-13 collect
    page = demo.browser.open("/baseline/")
    row = page.locator("table tr", has_text="dorm-01").filter(has_text="2026-11-13")
    assert row.count() == 1 and "未通过 → 通过" in row.inner_text()
    assert page.locator("svg.netkb-sparkline").count() >= 10  # a score line per building
    page.close()
    page = demo.browser.open("/buildings/")
    page.get_by_role("link", name="学生宿舍1号楼").first.click()
    page.wait_for_load_state("load")
    article = page.inner_text("article")
    assert "安全基线" in article and "2026-11-13" in article
    page.close()
    page = demo.browser.open("/reports/2026-11/")
    assert "本期 1 项判定变化" in page.inner_text("article")
    page.close()
