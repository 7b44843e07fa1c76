"""Pages that read at a glance: folded diffs without git's plumbing, quiet nights counted,
unchanged runs on one line, sparklines with their figures."""

from __future__ import annotations

import datetime as dt
from array import array
from importlib import resources

import yaml

from netkb.generator.charts import sparkline
from netkb.generator.model import Collections, DeviceRun
from netkb.generator.pages.config_search import parents
from netkb.generator.pages.device_history import diff_files, folded_diff, quiet_nights, run_groups
from netkb.generator.pages.device_trends import trends_section
from netkb.i18n import Strings

PATCH = """diff --git a/devices/agg-teach/config.txt b/devices/agg-teach/config.txt
index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644
--- a/devices/agg-teach/config.txt
+++ b/devices/agg-teach/config.txt
@@ -3,4 +3,5 @@
 vlan 10
--- an old comment removed (a config line, not a header)
+vlan 733
+ name teach-new
diff --git a/devices/agg-teach/state/vlans.yml b/devices/agg-teach/state/vlans.yml
new file mode 100644
index 0000000000000000000000000000000000000000..3333333333333333333333333333333333333333
--- /dev/null
+++ b/devices/agg-teach/state/vlans.yml
@@ -0,0 +1 @@
+- id: 733
"""
ZH = Strings("zh")
EN = Strings("en")
TZ = dt.timezone(dt.timedelta(hours=8))


def test_a_diff_loses_git_plumbing_but_keeps_its_changed_lines() -> None:
    files = diff_files(PATCH)
    assert [name for name, _ in files] == ["config.txt", "state/vlans.yml"]
    lines = [line for _, body in files for line in body]
    assert not any(line.startswith(("diff --git", "index ", "+++ ", "new file mode")) for line in lines)
    assert "--- an old comment removed (a config line, not a header)" in lines
    shown = folded_diff(EN, PATCH, 400, "cut")
    assert shown.count("??? abstract") == 2
    assert '"config.txt: +2 / -1 lines"' in shown and '"state/vlans.yml: +1 / -0 lines"' in shown


def test_a_long_diff_is_cut_and_says_so() -> None:
    shown = folded_diff(EN, PATCH, 3, "first 3 lines shown")
    assert "first 3 lines shown" in shown and "vlan 733" not in shown


def _at(day: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, 2, tzinfo=TZ)


def test_quiet_nights_are_the_collections_between_two_changes() -> None:
    times = array("d", (_at(d).timestamp() for d in range(1, 11)))  # nightly, Nov 1 to 10
    collections = Collections(10, 0, times, array("i", [8 * 3600] * 10))
    # changed on the 2nd and the 7th: quiet on the 3rd to the 6th, and the 8th to the 10th
    assert quiet_nights(collections, _at(7), _at(2)) == 4
    assert quiet_nights(collections, None, _at(7)) == 3
    assert quiet_nights(collections, None, _at(10)) == 0
    assert ZH("quiet_nights", count=90) == "连续 90 晚无变化"
    assert EN("quiet_nights", count=90) == "90 nights, no change"


def test_consecutive_unchanged_runs_make_one_line() -> None:
    outcomes = ["unchanged", "unchanged", "changed", "unchanged", "failed", "unchanged", "unchanged"]
    assert run_groups(outcomes) == [(0, 1), (2, 2), (3, 3), (4, 4), (5, 6)]


def test_a_sparkline_marks_its_lowest_and_highest_and_escapes_its_label() -> None:
    svg = sparkline([3.0, None, 9.0, 5.0], "CPU <b>")
    assert svg.count("<circle") == 2 and "\n" not in svg
    assert "CPU &lt;b&gt;" in svg and "<b>" not in svg


def test_trends_show_each_measure_with_figures_and_leave_out_measures_never_given() -> None:
    today = dt.date(2026, 11, 25)
    run = DeviceRun("unchanged", "", 1.5, None, (), 0, (), cpu=12.0, memory=40.0)
    failed = DeviceRun("failed", "timeout", 20.0, None, (), 0, ())
    nights = {
        today: run,
        today - dt.timedelta(days=40): run._replace(cpu=30.0),
        today - dt.timedelta(days=1): failed,
    }
    section = trends_section(EN, nights, today)
    assert section is not None
    assert "Hottest sensor" not in section  # no run measured a temperature
    assert "| CPU | Last 30 days | 12 % | 12 % | 12 % | 12 % |" in section
    assert "| CPU | Last 90 days | 12 % | 30 % | 21 % | 12 % |" in section
    assert "| Collection time | Last 30 days | 1.5 s | 20 s |" in section  # a failure's time counts
    assert section.count("<svg") == 9  # CPU, memory, collection time over three windows
    assert trends_section(EN, {}, today) is None


def test_each_config_line_knows_the_block_it_belongs_to() -> None:
    config = [
        "#",
        "interface Ten-GigabitEthernet1/0/49",
        " port link-type trunk",
        " port trunk permit vlan 10 201 to 204",
        "#",
        "ospf 1 router-id 10.255.0.1",
        " area 0.0.0.0",
        "  network 10.0.0.0 0.0.0.255",
        "!",
        "vlan 10",
    ]
    assert parents(config) == [-1, -1, 1, 1, -1, -1, 5, 6, -1, -1]


def test_the_config_syntax_is_data_the_search_receives() -> None:
    syntax = yaml.safe_load(
        resources.files("netkb.generator").joinpath("static/config-syntax.yaml").read_text(encoding="utf-8")
    )
    names = {n for family in syntax["interfaces"] for n in family["names"] + family["short"]}
    assert {"GigabitEthernet", "GE", "Gi", "XGE", "Eth-Trunk", "BAGG", "Port-channel"} <= names
    assert len(names) == sum(len(f["names"]) + len(f["short"]) for f in syntax["interfaces"])  # no name twice
    assert syntax["lists"]["ranges"]["comware"]["through"] == ["to"]
    assert syntax["lists"]["ranges"]["ios"]["through"] == ["-"]


def test_a_year_is_drawn_in_few_points_but_its_extremes_come_from_every_day() -> None:
    today = dt.date(2026, 11, 25)
    run = DeviceRun("unchanged", "", 1.0, None, (), 0, (), cpu=10.0)
    nights = {today - dt.timedelta(days=d): run for d in range(365)}
    nights[today - dt.timedelta(days=200)] = run._replace(cpu=95.0)  # one busy night
    section = trends_section(EN, nights, today)
    assert section is not None
    year = section.split("<td>CPU</td>", 1)[1].split("</td>")[2]  # the 365-day cell
    points = year.split('points="', 1)[1].split('"', 1)[0].split()
    assert len(points) <= 92
    assert "10 % – 95 %" in year
