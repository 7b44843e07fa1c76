"""lab -> collect -> a change -> collect -> netkb generate -> mkdocs build --strict, and what it shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from lab.fidelity import connect
from lab.topology import HOSTILE_DESCRIPTIONS
from tests.conftest import RunningLab
from tests.site_html import broken_links, external_requests, read_page

FAST = {"timeouts": {"connect": 10, "command": 20, "device": 60}, "retries": 0}
HOSTILE_TITLE = "<img src=x onerror=alert(9)> </title><script>alert(8)</script> **B** {: .evil }"
CHANGED = "agg-teach"


@dataclass
class BuiltSite:
    ws: Path
    site: Path
    docs: Path
    build_log: str


def run(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "CI": "true", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return result


def write_records(ws: Path, inventory: Path) -> Path:
    """A hostile building in the inventory, a runbook and an on-site record with hostile fields."""
    data = yaml.safe_load(inventory.read_text(encoding="utf-8"))
    for device in data["devices"]:
        if device["name"] == "acc-lib-01":
            device["building"] = HOSTILE_TITLE
    data["credentials_file"] = str(inventory.parent / "credentials.yml")
    own = ws / "inventory.yml"
    own.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (ws / "runbooks").mkdir()
    (ws / "runbooks" / "fan-tray.md").write_text(
        "---\n"
        f"title: {json.dumps('S7500E 更换风扇框 ' + HOSTILE_TITLE, ensure_ascii=False)}\n"
        "platforms: [comware]\nroles: [core]\ntags: [风扇, fan]\n---\n"
        "更换风扇框前，先用 display fan 确认故障风扇的槽位。\n",
        encoding="utf-8",
    )
    (ws / "inspections").mkdir()
    (ws / "inspections" / "2026-11-19-core.md").write_text(
        "---\n"
        "date: 2026-11-19\n"
        f"engineer: {json.dumps(HOSTILE_TITLE, ensure_ascii=False)}\n"
        f"title: {json.dumps('核心机房巡检 ' + HOSTILE_TITLE, ensure_ascii=False)}\n"
        "devices: [core-1, acc-lib-01]\n"
        "items:\n  dust_screen: {verdict: normal, note: " + json.dumps(HOSTILE_TITLE) + "}\n"
        "---\n现场检查正常。\n",
        encoding="utf-8",
    )
    return own


@pytest.fixture(scope="module")
def built(lab: RunningLab, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    ws = tmp_path_factory.mktemp("site")
    (ws / "netkb.yml").write_text(yaml.safe_dump(FAST), encoding="utf-8")
    inventory = write_records(ws, lab.inventory)
    run(ws, "collector.cli", "collect", "--inventory", str(inventory), "--at", "2026-11-18T02:00:00+08:00")
    with connect(lab.devices[CHANGED], lab.profile(CHANGED)) as conn:
        conn.send_config_set(["vlan 733", "name teach-new", "description 教学楼新增"])
        conn.save_config()
    run(ws, "collector.cli", "collect", "--inventory", str(inventory), "--at", "2026-11-19T02:00:00+08:00")
    run(ws, "collector.cli", "generate", "--inventory", str(inventory), "--now", "2026-11-19T09:00:00+08:00")
    log = run(ws, "mkdocs", "build", "--strict", "-f", "build/mkdocs.yml")
    return BuiltSite(ws, ws / "site", ws / "build" / "docs", log.stderr)


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
    for path in sorted(built.docs.glob("devices/*.md")):
        text = path.read_text(encoding="utf-8")
        if "alert('netkb')" in text or "javascript:alert(1)" in text:
            hostile_devices.append(built.site / "devices" / path.stem / "index.html")
    assert hostile_devices, "the lab has devices with hostile descriptions"
    return [
        *hostile_devices,
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
        "collector.cli",
        "generate",
        "--inventory",
        str(built.ws / "inventory.yml"),
        "--now",
        "2026-11-19T09:00:00+08:00",
    )
    assert "(0 written, 0 removed)" in result.stdout
