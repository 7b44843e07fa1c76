"""The baseline pages rendered from the generator's fixed site model (tests/generator/test_pages.py),
in both languages, with hostile strings from configs and waivers escaped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from netkb.generator.mkdocs_config import mkdocs_config
from netkb.generator.pages.baseline import render_pages
from netkb.records.waivers import Waiver
from tests.generator.test_pages import HOSTILE, site

HOSTILE_WAIVER = Waiver(
    "compliance/ntp.yml", "ntp", ("acc-lib-01",), (), HOSTILE, "王主任 " + HOSTILE, dt.date(2027, 1, 31)
)
EXPIRED = Waiver("compliance/old.yml", "login-banner", ("core-1",), (), "旧", "王主任", dt.date(2026, 1, 31))


def pages(language: str) -> dict[str, str]:
    built = site(language)
    built.extras["waivers"] = [HOSTILE_WAIVER, EXPIRED]
    return render_pages(built)


def test_index_links_every_rule_and_each_failing_device_in_zh_and_en() -> None:
    zh, en = pages("zh"), pages("en")
    assert "# 安全基线" in zh["baseline/index.md"] and "# Security baseline" in en["baseline/index.md"]
    index = en["baseline/index.md"]
    assert "[SSH version 2 only](rules/ssh-v2-only.md)" in index
    assert "[core-1](devices/core-1.md)" in index
    assert "no config collected yet" in index  # new-1 has no snapshot
    assert "Expired waivers" in index and "compliance/old.yml" in index
    assert "baseline/rules/snmp-community-acl.md" in en


def test_device_page_shows_the_config_lines_and_remediation() -> None:
    page = pages("en")["baseline/devices/core-1.md"]
    section = page.split("## No SNMPv1/v2c community without an ACL")[1].split("\n## ")[0]
    assert "11  snmp-agent community read <secret:1a2b3c4d>" in section  # line 11, inside a fence
    assert "snmp-agent community read cipher <community> acl 2000" in section.split("Remediation")[1]
    assert "[core-1](../../devices/core-1.md)" in page


def test_waiver_and_config_strings_are_escaped() -> None:
    for language in ("zh", "en"):
        page = pages(language)["baseline/devices/acc-lib-01.md"]
        assert "compliance/ntp.yml" in page
        assert "<script>" not in page and "&#60;script&#62;alert(1)" in page
        assert "[l](javascript:x)" not in page


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_navigation_links_the_baseline(language: str) -> None:
    built = site(language)
    config = mkdocs_config(built.strings, "x", Path("build"), Path("site"))
    assert "baseline/index.md" in config


def test_index_shows_the_score_per_building_over_time_in_zh_and_en() -> None:
    zh, en = pages("zh")["baseline/index.md"], pages("en")["baseline/index.md"]
    assert "## 各楼宇达标率趋势" in zh and "## 基线判定变化" in zh and "首晚达标率" in zh
    assert "## Score per building over time" in en and "## Verdict changes" in en
    assert 'class="netkb-sparkline"' in en and "| 网络中心 |" in en
