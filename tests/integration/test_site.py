"""lab -> collect -> a change -> collect -> netkb generate -> mkdocs build --strict, and what it shows."""

from __future__ import annotations

import json
from pathlib import Path

from netkb.generator.pages.buildings import building_page
from netkb.lab.topology import HOSTILE_DESCRIPTIONS
from tests.integration.site_fixture import CHANGED, HOSTILE_TITLE, BuiltSite, run
from tests.site_html import broken_links, external_requests, read_page


def test_the_site_builds_strict_without_warnings(built: BuiltSite) -> None:
    assert "WARNING" not in built.build_log
    assert (built.site / "index.html").exists()
    assert (built.site / "search" / "search_index.json").exists()


def test_the_device_page_shows_the_change_with_its_section_and_diff(built: BuiltSite) -> None:
    page = read_page(built.site / "devices" / CHANGED / "index.html")
    assert "vlan 733" in page.text and "#, vlan 733" not in page.text  # the section, not the separator
    diffs = [t for t in page.tags.get("code", []) if "+vlan 733" in t]
    assert diffs and "+ name teach-new" in diffs[0] and "教学楼新增" in diffs[0]
    month = read_page(built.site / "changes" / "2026-11" / "index.html")
    assert CHANGED in month.text


def test_no_internal_link_is_broken_and_nothing_leaves_the_origin(built: BuiltSite) -> None:
    assert broken_links(built.site) == []
    assert external_requests(built.site) == []


def _hostile_pages(built: BuiltSite) -> list[Path]:
    """Every page kind the lab's hostile descriptions and the hostile record fields reach."""
    hostile_devices = []
    for path in sorted([*built.docs.glob("devices/*.md"), *built.docs.glob("status/*.md")]):
        text = path.read_text(encoding="utf-8")
        if "alert('netkb')" in text or "javascript:alert(1)" in text:
            hostile_devices.append(built.site / path.parent.name / path.stem / "index.html")
    assert hostile_devices, "the lab has devices with hostile descriptions"
    building = building_page(HOSTILE_TITLE).removesuffix(".md")  # acc-lib-01's building
    return [
        *hostile_devices,
        built.site / "buildings" / "index.html",
        built.site / building / "index.html",
        built.site / "index.html",
        built.site / "devices" / "index.html",
        built.site / "inspections" / "index.html",
        built.site / "inspections" / "onsite" / "2026-11-19-core" / "index.html",
        built.site / "runbooks" / "index.html",
        built.site / "runbooks" / "fan-tray" / "index.html",
    ]


def test_hostile_text_is_text_not_markup_on_every_page_kind(built: BuiltSite) -> None:
    shown = 0
    for path in _hostile_pages(built):
        page = read_page(path)
        raw = path.read_text(encoding="utf-8")
        assert page.handlers == [], f"{path}: event handler attributes {page.handlers}"
        assert not any(
            "alert" in code or (src or "").startswith("javascript") for src, code in page.scripts
        ), path
        assert not any(url.strip().lower().startswith("javascript:") for _, url in page.links), path
        assert "evil" not in page.classes and "x" not in page.classes, path
        assert not any("粗体" in t for t in page.tags.get("strong", [])), path
        assert "</title><script>" not in raw, path
        for hostile in (*HOSTILE_DESCRIPTIONS, HOSTILE_TITLE):
            if hostile.split()[0] in page.text:
                assert hostile in page.text, f"{path}: {hostile!r} not shown verbatim"
                shown += 1
    assert shown >= 8


def test_the_config_search_data_holds_every_current_config(built: BuiltSite) -> None:
    data = json.loads((built.site / "assets" / "netkb" / "configs.json").read_text(encoding="utf-8"))
    names = {d["name"] for d in data["devices"]}
    assert CHANGED in names and len(names) >= 18
    teach = next(d for d in data["devices"] if d["name"] == CHANGED)
    assert "vlan 733" in [data["lines"][i] for i in teach["lines"]]
    search = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in search["docs"]}
    assert not any(loc.startswith("config-search/") for loc in locations)
    config_text = " ".join(doc["text"] for doc in search["docs"])
    assert "teach-new" not in config_text  # configs and diffs stay out of the main index


def test_generate_again_writes_nothing_new(built: BuiltSite) -> None:
    result = run(
        built.ws,
        "netkb.cli",
        "generate",
        "--inventory",
        str(built.ws / "inventory.yml"),
        "--now",
        "2026-11-19T09:00:00+08:00",
    )
    assert "(0 written, 0 removed)" in result.stdout
    # Each step is told on stderr as it starts; the result line alone is on stdout.
    steps = [
        line.split(": ", 1)[1] for line in result.stderr.splitlines() if line.startswith("netkb generate: ")
    ]
    assert [step.split(" ")[0] for step in steps] == ["reading", "history", result.stdout.split(" ")[0]], (
        steps
    )
    assert "netkb generate:" not in result.stdout
