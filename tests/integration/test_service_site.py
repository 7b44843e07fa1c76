"""The service pages (incidents, assets, reports, the Atom feed) built by MkDocs and printed by Chromium.

The site is the fixed model of tests/generator/test_pages.py (no lab needed) plus an incident
whose every free-text field is hostile, reported in August so that September is a month with no
incident. The tree is written with `render_site`, built with `mkdocs build --strict`, then read
back as HTML, parsed as Atom, and printed to PDF on A4 by headless Chromium.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from netkb.generator.generate import render_site
from netkb.generator.mkdocs_config import mkdocs_config
from netkb.generator.tree import write_tree
from tests.browser import browse
from tests.generator.test_pages import HOSTILE, INCIDENTS, site
from tests.print_a4 import a4_problems, media_boxes, print_a4
from tests.site_html import broken_links, external_requests, read_page

HOSTILE_TITLE = "<img src=x onerror=alert(9)> </title><script>alert(8)</script> **B** {: .evil } | `c`"
HOSTILE_ID = "INC-2026-0099"
ATOM = "{http://www.w3.org/2005/Atom}"


def _hostile_incident() -> str:
    fields = {
        "id": HOSTILE_ID,
        "title": HOSTILE_TITLE,
        "level": "P4",
        "category": "other",
        "devices": ["acc-lib-01"],
        "reported": "2026-08-15T10:00:00+08:00",
        "responded": "2026-08-15T10:20:00+08:00",
        "resolved": "2026-08-17T10:00:00+08:00",
        "reporter": HOSTILE_TITLE,
        "handler": HOSTILE,
        "status": "resolved",
        "cause": HOSTILE_TITLE,
        "actions": HOSTILE,
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


@dataclass
class Built:
    docs: Path
    site: Path
    log: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("service-site")
    model = site("zh", {**INCIDENTS, "incidents/2026-08-15-hostile.md": _hostile_incident()})
    build, out = root / "build", root / "site"
    write_tree(build / "docs", render_site(model))
    (build / "mkdocs.yml").write_text(
        mkdocs_config(model.strings, "netkb test", build, out), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(build / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return Built(build / "docs", out, result.stderr)


def test_the_service_pages_build_strict_with_no_broken_link(built: Built) -> None:
    assert "WARNING" not in built.log
    for page in (
        "incidents",
        f"incidents/{HOSTILE_ID}",
        "assets",
        "reports",
        "reports/2026-Q3",
        "reports/2026",
    ):
        assert (built.site / page / "index.html").exists(), page
    assert (built.site / "feed.xml").exists()
    assert broken_links(built.site) == []
    assert external_requests(built.site) == []


def test_hostile_incident_fields_are_text_not_markup(built: Built) -> None:
    pages = [
        built.site / "incidents" / "index.html",
        built.site / "incidents" / HOSTILE_ID / "index.html",
        built.site / "devices" / "acc-lib-01" / "index.html",
        built.site / "reports" / "2026-08" / "index.html",
        built.site / "reports" / "2026-Q3" / "index.html",
    ]
    for path in pages:
        page = read_page(path)
        raw = path.read_text(encoding="utf-8")
        assert page.handlers == [], f"{path}: event handler attributes {page.handlers}"
        assert not any("alert" in code or (src or "").startswith("javascript") for src, code in page.scripts)
        assert not any(url.strip().lower().startswith("javascript:") for _, url in page.links), path
        assert "evil" not in page.classes and "x" not in page.classes, path
        assert "B" not in page.tags.get("strong", []) and "b" not in page.tags.get("strong", []), path
        assert "</title><script>" not in raw and "<img src=x" not in raw, path
        assert HOSTILE_TITLE in page.text, f"{path}: the hostile title is not shown verbatim"
    path = built.site / "incidents" / HOSTILE_ID / "index.html"
    assert HOSTILE in read_page(path).text  # the handler, the actions and acc-lib-01's building
    title = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"))
    assert title and "<" not in title.group(1).replace("&lt;", "")  # the page title cannot open a tag


def test_the_feed_lists_incidents_and_reports_newest_first_as_text(built: Built) -> None:
    feed = ET.parse(built.site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    updated = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert updated == sorted(updated, reverse=True)
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert f"{HOSTILE_ID} {HOSTILE_TITLE}" in titles  # escaped as XML, read back exactly
    assert "服务报告 · 2026年9月" in titles and "服务报告 · 2026年第三季度" in titles
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) == 4 + 7  # four incidents, reports of Aug–Nov, Q3, Q4, 2026
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None and (built.site / link.get("href", "") / "index.html").exists()
    index = read_page(built.site / "incidents" / "index.html")
    assert ("a", "../feed.xml") in index.links


def test_a_month_without_incidents_renders_a_correct_report(built: Built) -> None:
    text = (built.docs / "reports" / "2026-09.md").read_text(encoding="utf-8")
    assert "| 故障数 | 0 |" in text and "| 未解决 | 0 |" in text
    assert "| 平均响应时间 | — |" in text and "| 平均修复时间 | — |" in text
    assert "| 重复故障率 | — (0/0) ≤ 5.0% |" in text  # no incident is no rate, not 0 %
    assert "| 响应 | — |" in text  # nothing decided: no compliance figure, not 100 %
    assert "本期没有故障记录。" in text
    level_rows = re.findall(r"^\| P\d \S+ \| (\d+) \|$", text, re.M)
    assert level_rows == ["0", "0", "0", "0"]
    html = read_page(built.site / "reports" / "2026-09" / "index.html")
    assert "本期没有故障记录。" in html.text and "svg" in html.tags  # the trend chart, all zeros
    index = (built.docs / "reports" / "index.md").read_text(encoding="utf-8")
    assert "| [2026年9月](2026-09.md) | 0 | 0 | — | — | — | — | 0 |" in index


def test_every_report_prints_on_a4_without_cut_tables(built: Built) -> None:
    reports = sorted(p.stem for p in (built.docs / "reports").glob("*.md") if p.stem != "index")
    # From the hostile incident's August to the model's 11-03: four months, two quarters, the year.
    assert reports == ["2026", "2026-08", "2026-09", "2026-10", "2026-11", "2026-Q3", "2026-Q4"]
    printed = {}
    with browse(built.site) as browser:  # one browser for all of them
        for key in reports:
            page = browser.open(f"/reports/{key}/")
            printed[key] = print_a4(page)
            page.close()
    assert browser.watch.errors == [] and browser.watch.foreign == [] and browser.watch.dialogs == []
    assert {key: a4_problems(*found) for key, found in printed.items()} == {key: [] for key in reports}
    layout, pdf = printed["2026-Q4"]
    assert len(layout["tables"]) >= 10 and len(layout["charts"]) >= 3
    assert len(media_boxes(pdf)) >= 2, "a quarterly report spans several pages"


def test_generate_fails_on_a_bad_incident_naming_file_and_field(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(
        yaml.safe_dump({"devices": [{"name": "core-1", "host": "10.0.0.1", "platform": "comware"}]}),
        encoding="utf-8",
    )
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "bad.md").write_text(
        "---\nid: INC-1\ntitle: x\nlevel: P9\ncategory: hardware\ndevices: [core-9]\n"
        "reported: 2026-09-14T09:12:00+08:00\nresolved: 2026-09-14T08:00:00+08:00\nstatus: resolved\n---\n",
        encoding="utf-8",
    )
    build = tmp_path / "build"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "netkb.cli", "generate", "--inventory", str(inventory)),
            *("--records", str(tmp_path), "--build", str(build)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert "incidents/bad.md: level: 'P9'" in result.stderr
    assert "incidents/bad.md: devices[0]: 'core-9' is not in the inventory" in result.stderr
    assert "incidents/bad.md: resolved: before reported" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (build / "docs").exists() and not (build / "mkdocs.yml").exists()
