"""Service pages beyond the golden files: neighbours and late-found changes before an incident,
safe incident slugs, and report charts whose labels stay text through the site's Markdown."""

from __future__ import annotations

from netkb.generator.charts import bar_chart
from netkb.generator.pages import incidents as incident_pages
from netkb.generator.pages.service_common import chart
from netkb.generator.service_site import build_service, incident_slugs
from netkb.records.incidents import parse_incident, rules_from
from tests.generator.test_markdown import read, render
from tests.generator.test_pages import HOSTILE, site

# Reported at 01:00 on Nov 2: core-1's vlan 20 change was committed at 02:00, but the collect before
# it ran on Nov 1 at 02:00, so the change may have been made before the report.
NEIGHBOUR_INCIDENT = """---
id: INC-2026-0100
title: 图书馆接入上联丢包
level: P3
category: link
devices: [acc-lib-01]
reported: 2026-11-02T01:00:00+08:00
responded: 2026-11-02T01:10:00+08:00
status: open
---
"""


def test_changes_before_mark_the_neighbour_and_a_change_found_after_the_report() -> None:
    model = site("en", {})
    # acc-lib-01's uplink description names core-1: the two are neighbours.
    model.history.devices["acc-lib-01"].state["interfaces"] = [
        {"name": "GigabitEthernet1/0/52", "description": "uplink to core-1"}
    ]
    names = [d.name for d in model.inventory.devices]
    rules = rules_from(names, model.settings.sla.levels, model.settings.incident_categories)
    incident, problems = parse_incident(NEIGHBOUR_INCIDENT, "incidents/x.md", rules)
    assert incident and not problems
    model.extras["service"] = build_service(model, [incident])
    page = incident_pages.render_pages(model)["incidents/INC-2026-0100.md"]
    before = page.split("## Changes before", 1)[1].split("\n## ", 1)[0]
    assert "No change in that window." in before  # the only change was collected after the report
    section = page.split("## Changes collected after the report", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| 2026")]
    # core-1's config change; not its first snapshot (before the window), nor the state change,
    # which no run record ties to an earlier collection (so nothing says it came before the report).
    assert len(rows) == 1
    (config,) = rows
    assert "vlan 20" in config
    assert "[core-1](../devices/core-1.md#changes)" in config
    assert "neighbour of [acc-lib-01](../devices/acc-lib-01.md) (description GigabitEthernet1/0/52)" in config
    assert "[bbbbbbbbbb](../changes/2026-11.md#bbbbbbbbbb)" in config
    assert "| 2026-11-01 02:00 – 2026-11-02 02:00 |" in config  # when it was made
    assert "aaaaaaaaaa" not in section and "aaaaaaaaaa" not in before


def test_incident_slugs_are_safe_unique_and_never_the_index() -> None:
    slugs = incident_slugs(["INC-1", "inc-1", "index", "a/b c", "../x", "INC-1."])
    assert slugs["INC-1"] == "INC-1" and slugs["inc-1"] == "inc-1-2"  # case-folding file systems
    assert slugs["index"] == "index-incident"
    assert slugs["a/b c"] == "a-b-c" and slugs["../x"] == "x"
    assert len(set(slugs.values())) == len(slugs)
    assert all(s and "/" not in s and not s.startswith(".") for s in slugs.values())


def test_chart_labels_and_titles_stay_text_through_the_markdown_pipeline() -> None:
    svg = bar_chart([(HOSTILE, 2), ("</div><script>alert(2)</script>", 1)], HOSTILE)
    html = render(f"Before\n\n{chart(svg)}\n\nAfter *em*")
    page = read(html)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags and "a" not in tags and "img" not in tags
    assert tags.count("svg") == 1 and tags.count("rect") == 2
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    text = "".join(page.text)
    assert HOSTILE in text and "</div><script>alert(2)</script>" in text
    assert "em" in [t for t, _ in page.tags]  # Markdown after the chart is still Markdown
