"""The neighbour rows of a device through its history, rebuilt from the patches the history
keeps: the dates the topology changed, the rows of each night, and a history that cannot be
rebuilt said as such (never a guessed "unchanged")."""

from __future__ import annotations

import datetime as dt
import difflib

from netkb.generator.model import Change
from netkb.generator.topology import Device, build_graph, dump_rows
from netkb.generator.topology_history import around, changed_dates, night, not_rebuilt, timeline
from tests.collector.test_checks_topology import ROGUE, UPLINK  # acc-admin-02's rows of the story

TZ = dt.timezone(dt.timedelta(hours=8))
PATH = "devices/acc-admin-02/state/neighbours.yml"


def change(day: int, before: list[dict], after: list[dict], kind: str = "state") -> Change:
    old, new = dump_rows(before), dump_rows(after)
    body = "\n".join(difflib.unified_diff(old, new, f"a/{PATH}", f"b/{PATH}", lineterm=""))
    patch = f"diff --git a/{PATH} b/{PATH}\nindex 1111111..2222222 100644\n{body}\n"
    when = dt.datetime(2026, 9, day, 2, 0, tzinfo=TZ)
    return Change(f"{day:040d}", when, "acc-admin-02: neighbours", kind, [], ["neighbours"], [PATH], patch)


# The demo's story: first collected 09-26, the rogue router plugged in for 09-28, gone for 10-01.
CHANGES = [
    change(26, [], [UPLINK], "first"),
    change(28, [UPLINK], [UPLINK, ROGUE]),
    change(30, [UPLINK, ROGUE], [UPLINK]),
]


def test_the_dates_a_link_changed_and_the_rows_of_each_night() -> None:
    line = timeline(PATH, [UPLINK], CHANGES)
    assert changed_dates({"acc-admin-02": line}) == [dt.date(2026, 9, 28), dt.date(2026, 9, 30)]
    assert line.at_end_of(dt.date(2026, 9, 27)) == [UPLINK]  # the first snapshot is not a change
    assert line.at_end_of(dt.date(2026, 9, 28)) == [UPLINK, ROGUE]
    assert line.at_end_of(dt.date(2026, 9, 29)) == [UPLINK, ROGUE]
    assert line.before(dt.date(2026, 9, 30)) == [UPLINK, ROGUE] and line.at_end_of(dt.date(2026, 10, 5)) == [
        UPLINK
    ]
    assert line.unknown_before is None


def test_each_changed_night_shows_the_rogue_router_added_then_lost() -> None:
    lines = {"acc-admin-02": timeline(PATH, [UPLINK], CHANGES)}
    devices = [Device("acc-admin-02", "access", "行政楼"), Device("agg-admin", "aggregation", "行政楼")]
    seen = {}
    for day in changed_dates(lines):
        tonight, before = night(lines, day)
        seen[day.isoformat()] = {
            (lk.status, lk.b.device) for lk in build_graph(devices, tonight, before).changed()
        }
    assert seen == {"2026-09-28": {("added", "TL-WR842N")}, "2026-09-30": {("lost", "TL-WR842N")}}


def test_a_patch_that_does_not_fit_makes_the_earlier_history_unknown() -> None:
    unfit = CHANGES[2].diff.replace(
        "   chassis_id: null\n-", '   chassis_id: "x"\n-'
    )  # context not in the rows
    broken = [*CHANGES[:2], CHANGES[2]._replace(diff=unfit)]
    line = timeline(PATH, [UPLINK], broken)
    assert line.unknown_before == dt.date(2026, 9, 30) and line.steps == []
    assert not_rebuilt({"acc-admin-02": line}, dt.date(2026, 9, 28)) == ["acc-admin-02"]
    assert not_rebuilt({"acc-admin-02": line}, dt.date(2026, 10, 1)) == []


def test_a_nights_map_shows_the_changed_links_ends_and_their_neighbours() -> None:
    links = [
        ("core-1", "agg-admin"),
        ("agg-admin", "acc-admin-02"),
        ("acc-admin-02", "TL-WR842N"),
        ("core-1", "agg-lib"),
    ]
    assert around(links, [("acc-admin-02", "TL-WR842N")]) == {"acc-admin-02", "TL-WR842N", "agg-admin"}


def test_a_night_read_around_the_changed_devices_finds_the_same_changed_links() -> None:
    agg_rows = [
        {
            **UPLINK,
            "interface": "GE1/0/2",
            "neighbour": "acc-admin-02",
            "neighbour_interface": "GigabitEthernet1/0/49",
        }
    ]
    agg_rows.append({**UPLINK, "interface": "GE1/0/3", "neighbour": "acc-admin-03"})
    lines = {
        "acc-admin-02": timeline(PATH, [UPLINK], CHANGES),
        "agg-admin": timeline("devices/agg-admin/state/neighbours.yml", agg_rows, []),
    }
    devices = [Device("acc-admin-02", "access", "行政楼"), Device("agg-admin", "aggregation", "行政楼")]
    day = dt.date(2026, 9, 28)
    full = build_graph(devices, *night(lines, day))
    near = night(lines, day, {"acc-admin-02"})
    assert near[0]["agg-admin"] == agg_rows[:1]  # of the far end, only the rows naming the changed device
    assert build_graph(devices, *near).changed() == full.changed()
    assert all(lk.both_ends for lk in build_graph(devices, *near).links if lk.b.device == "agg-admin")


def test_the_night_a_device_first_reports_neighbours_is_not_a_change() -> None:
    new_file = f"diff --git a/{PATH} b/{PATH}\nnew file mode 100644\n--- /dev/null\n+++ b/{PATH}\n"
    added = change(27, [], [UPLINK])._replace(diff=new_file + "@@ -0,0 +1,4 @@\n")
    line = timeline(PATH, [UPLINK], [change(26, [], [], "first"), added])
    assert line.steps == [] and changed_dates({"acc-admin-02": line}) == []
