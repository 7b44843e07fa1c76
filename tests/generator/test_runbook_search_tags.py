"""A runbook's title is searched once: the parts its heading does not show become tags, the parts
it shows (in whatever punctuation) do not, so a runbook does not weigh its own title twice."""

from __future__ import annotations

from dataclasses import replace

import yaml

from netkb.generator.pages.runbooks import render_pages
from netkb.records.runbooks import parse_runbook
from tests.generator.test_pages import site


def tags(title: str, heading: str) -> list[str]:
    runbook, problems = parse_runbook(
        f"---\ntitle: {title}\ntags: [ssh]\n---\n# {heading}\n\nBody.\n", "ssh", "runbooks/ssh.md"
    )
    assert runbook and not problems
    page = render_pages(replace(site("en"), runbooks=[runbook]))["runbooks/ssh.md"]
    return yaml.safe_load(page.split("---\n")[1])["tags"]


def test_a_title_part_the_heading_shows_in_other_punctuation_is_not_a_tag_again() -> None:
    title = "Device not collected — SSH refused or timing out / 设备无法采集"
    assert tags(title, "Device not collected: SSH refused or timing out") == ["设备无法采集", "ssh"]


def test_the_title_parts_the_heading_does_not_show_are_tags() -> None:
    title = "Saving and rolling back a configuration / 配置保存与回退"
    assert tags(title, "Saving a configuration") == [*title.split(" / "), "ssh"]
    assert tags(title, "配置保存与回退") == ["Saving and rolling back a configuration", "ssh"]
