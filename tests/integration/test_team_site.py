"""The team's own mkdocs.yml: their name, palette, logo, pages, CSS, plugin and extension, built
strictly from the project root with netkb's pages, search and plugin (netkb/site_config.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.integration.site_fixture import BuiltSite, run

TEAM_CONFIG = """\
INHERIT: build/mkdocs.yml
docs_dir: build/docs
site_dir: site
site_name: 某大学网络运维知识库
theme:
  name: material
  palette:
    primary: teal
  logo: assets/team/logo.svg
extra_css:
  - assets/team/team.css
nav:
  - 值班与联系人: team/contacts.md
plugins:
  tags: {}
markdown_extensions:
  abbr: {}
"""
CONTACTS = """\
---
tags: [值班]
---
# 值班与联系人

网络中心 7×24 值班电话：8888。NOC 负责夜间监控。

*[NOC]: Network Operations Centre
"""


def _project(built: BuiltSite, root: Path) -> list[str]:
    """A team's project next to the lab's store; the arguments that point netkb at the lab's files."""
    settings = yaml.safe_load((built.ws / "netkb.yml").read_text(encoding="utf-8"))
    settings["snapshot_repo"] = str(built.ws / "configs")
    (root / "netkb.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (root / "mkdocs.yml").write_text(TEAM_CONFIG, encoding="utf-8")
    for name, text in {
        "team/contacts.md": CONTACTS,
        "assets/team/team.css": ".md-header { border-bottom: 2px solid #333; }\n",
        "assets/team/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>\n',
    }.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return ["--inventory", str(built.ws / "inventory.yml"), "--records", str(built.ws)]


def _netkb(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args], cwd=root, capture_output=True, text=True, timeout=300
    )


def test_the_team_site_builds_strictly_with_netkbs_pages(built: BuiltSite, tmp_path: Path) -> None:
    project = _project(built, tmp_path)
    now = ["--now", "2026-11-19T09:00:00+08:00"]

    clash = tmp_path / "docs" / "devices" / "index.md"
    clash.parent.mkdir()
    clash.write_text("# mine\n", encoding="utf-8")
    refused = _netkb(tmp_path, "generate", *project, *now)
    assert refused.returncode != 0
    assert "docs/devices/index.md: netkb writes devices/index.md itself" in refused.stderr + refused.stdout
    clash.unlink()

    checked = _netkb(tmp_path, "check", *project)
    assert checked.returncode == 0, checked.stderr
    generated = _netkb(tmp_path, "generate", *project, *now)
    assert generated.returncode == 0, generated.stderr
    assert generated.stdout.rstrip().endswith("build the site with: mkdocs build")
    run(tmp_path, "mkdocs", "build", "--strict")

    site = tmp_path / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="teal"' in home
    assert re.search(r"<title>[^<]*某大学网络运维知识库</title>", home)
    assert re.search(r'<img src="assets/team/logo\.svg"', home)
    for asset in ("assets/team/team.css", "assets/netkb/netkb.css", "assets/netkb/search-segment.js"):
        assert f'"{asset}"' in home, asset
    nav = re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', home)
    assert nav[0] == "首页" and "设备" in nav and nav[-1] == "值班与联系人", nav  # netkb's first, then theirs

    contacts = (site / "team" / "contacts" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Network Operations Centre">NOC</abbr>' in contacts  # their extension
    assert "md-tag" in contacts  # their plugin (Material's tags)
    assert (site / "devices" / "index.html").is_file()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(d["location"] == "team/contacts/" and "值班" in d["title"] for d in index["docs"])
    runbook = (site / "runbooks" / "fan-tray" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(8)" not in runbook  # netkb's plugin still sanitizes the hand-written pages


def test_check_names_each_key_that_would_break_netkbs_pages(built: BuiltSite, tmp_path: Path) -> None:
    project = _project(built, tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ndocs_dir: docs\ntheme: {name: readthedocs}\nplugins: [search, tags]\n"
        "markdown_extensions: [abbr]\n",
        encoding="utf-8",
    )
    checked = _netkb(tmp_path, "check", *project)
    assert checked.returncode == 1
    lines = [line for line in checked.stderr.splitlines() if "mkdocs.yml: " in line]
    keys = [line.split("mkdocs.yml: ", 1)[1].split(":", 1)[0] for line in lines]
    assert keys == ["INHERIT", "docs_dir", "theme.name", "plugins", "markdown_extensions"], lines
