"""One truth: `netkb inspect`, the run record (what the site shows) and the collect agree.

Nights of a core switch are collected through the collector's own inspection (`Collector._inspect`)
into a real snapshot repository (real git commits, run records as the collect writes them); then
`netkb inspect`'s own reading (`inspect_device`) must hold the same findings. Each case is one
of issue 13 §3's defects: a lost OSPF neighbour, abnormal until it returns; a reboot during an
outage; a device whose newest collect failed; records written from hosts in other time zones.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from netkb.collector.device_store import DeviceStore
from netkb.collector.expectations import config_facts, merged
from netkb.collector.gitstore import SnapshotRepo, atomic_write
from netkb.collector.inspect_command import Snapshots, inspect_device, read_runs
from netkb.collector.runrecord import (
    DeviceResult,
    Outcome,
    RunRecord,
    read_previous_of,
)
from netkb.collector.snapshot import Snapshot, dump_state
from netkb.inspection.checklist import Observation, Thresholds, Verdict, load_checklist
from netkb.inventory import DeviceEntry, Inventory, PlatformName
from netkb.run_records import newest_first
from netkb.settings import Settings

CHECKLIST = load_checklist()
CST = dt.timezone(dt.timedelta(hours=8))
NIGHT = dt.datetime(2026, 12, 1, 2, 0, tzinfo=CST)
ENTRY = DeviceEntry(
    name="core-1", host="10.0.0.1", platform=PlatformName("comware"), role="core", model="S7500E"
)

CONFIG = """#
 sysname core-1
#
interface Ten-GigabitEthernet1/3/0/1
 ip address 10.0.0.1 255.255.255.252
#
interface Ten-GigabitEthernet1/2/0/1
 ip address 10.0.0.5 255.255.255.252
#
interface Ten-GigabitEthernet1/2/0/2
 ip address 10.0.0.13 255.255.255.252
#
ospf 1 router-id 10.255.0.1
 area 0.0.0.0
  network 10.0.0.0 0.0.0.255
#
return
"""
PEERS = [
    ("10.255.0.2", "Ten-GigabitEthernet1/3/0/1"),
    ("10.255.1.1", "Ten-GigabitEthernet1/2/0/1"),
    ("10.255.1.2", "Ten-GigabitEthernet1/2/0/2"),
]


def state(peers: list[tuple[str, str]] = PEERS) -> dict[str, Any]:
    return {
        "ospf": [
            {"router_id": r, "address": "", "interface": i, "state": "Full/DR", "area": "0.0.0.0"}
            for r, i in peers
        ],
        "fans": [{"id": "1/1", "status": "normal", "raw_status": "Normal"}],
    }


def measures(uptime: int) -> dict[str, Any]:
    return {
        "cpu": {"five_seconds": 20, "one_minute": 15, "five_minutes": 12},
        "memory": {"used_percent": 45.0},
        "uptime": uptime,
        "config_saved": True,
    }


class Campus:
    """A snapshot repository fed night by night the way `netkb collect` feeds it."""

    def __init__(self, tmp: Path) -> None:
        self.path = tmp / "configs"
        self.repo = SnapshotRepo(self.path, "netkb", "netkb@example.org")
        self.store = DeviceStore(Settings(), Inventory(devices=[ENTRY]), CHECKLIST, None)

    def night(
        self,
        at: dt.datetime,
        parsed: dict[str, Any] | None,
        uptime: int = 0,
        config: str = CONFIG,
        stated: dict[str, Any] | None = None,
        failed: str = "",
    ) -> DeviceResult:
        name = ENTRY.name
        with self.repo.locked():
            previous_run = read_previous_of(self.repo.run_records_newest_first(), {name})
            record = RunRecord(at)
            result = DeviceResult(name, Outcome.FAILED, reason=failed)
            if parsed is not None:
                snap = Snapshot(
                    config,
                    {t: dump_state(v) for t, v in parsed.items()},
                    parsed,
                    measures(uptime),
                )
                expect = merged(config_facts("comware", config), stated or {})
                result.measures = dict(snap.measures)
                result.inspection = self.store._inspect(
                    self.repo, ENTRY, snap, [], previous_run, at, expect, result
                )
                changed = self.repo.write_files(snap.files(name))
                result.commit = self.repo.commit(changed, f"{name}: changed", at) if changed else None
                result.outcome = Outcome.CHANGED if result.commit else Outcome.UNCHANGED
            record.devices[name] = result
            atomic_write(self.path / record.path(), record.to_json().encode())
            self.repo.commit([record.path()], "run", at)
        return result

    def inspect(self, stated: dict[str, Any] | None = None, thresholds: Thresholds | None = None) -> Any:
        now = dt.datetime(2026, 12, 20, tzinfo=dt.UTC)
        return inspect_device(
            ENTRY,
            stated or {},
            read_runs(self.path),
            Snapshots(self.path),
            CHECKLIST,
            thresholds or Thresholds(),
            now,
        )


def found(result: DeviceResult, item: str) -> dict[str, str]:
    return next(f for f in result.inspection if f["item"] == item)


def inspected(campus: Campus, item: str, **kwargs: Any) -> tuple[Verdict, str]:
    finding = next(f for f in campus.inspect(**kwargs).findings if f.item_id == item)
    return finding.verdict, finding.detail


def same_as_record(campus: Campus, result: DeviceResult) -> None:
    """`netkb inspect` holds exactly the findings of the newest record (what the site shows)."""
    shown = [
        {"item": f.item_id, "verdict": f.verdict.value, "detail": f.detail, "suggestion": f.suggestion}
        for f in campus.inspect().findings
        if f.item_id != "collect"
    ]
    assert shown == result.inspection


# --- 2. a lost OSPF neighbour stays abnormal until it returns --------------------------------


def test_a_lost_neighbour_is_abnormal_every_night_until_it_returns(tmp_path: Path) -> None:
    campus = Campus(tmp_path)
    day = dt.timedelta(days=1)
    first = campus.night(NIGHT, state(), uptime=30 * 86400)
    assert found(first, "ospf")["verdict"] == "normal"
    lost = PEERS[:2]
    nights = [campus.night(NIGHT + n * day, state(lost), uptime=(30 + n) * 86400) for n in (1, 2, 3)]
    assert [found(r, "ospf")["verdict"] for r in nights] == ["abnormal"] * 3
    assert found(nights[0], "ospf")["detail"] == (
        "lost since the previous run: 10.255.1.2 on Ten-GigabitEthernet1/2/0/2"
    )
    assert found(nights[2], "ospf")["detail"] == (
        "still lost: 10.255.1.2 on Ten-GigabitEthernet1/2/0/2 (last settled 2026-12-01 02:00)"
    )
    same_as_record(campus, nights[2])
    back = campus.night(NIGHT + 4 * day, state(), uptime=34 * 86400)
    assert found(back, "ospf") == {
        "item": "ospf",
        "verdict": "normal",
        "detail": "3 neighbours settled (3 Full)",
        "suggestion": "",
    }
    same_as_record(campus, back)


def test_a_neighbour_is_no_longer_expected_once_the_config_stops_ospf_on_its_interface(
    tmp_path: Path,
) -> None:
    campus = Campus(tmp_path)
    day = dt.timedelta(days=1)
    campus.night(NIGHT, state(), uptime=30 * 86400)
    assert found(campus.night(NIGHT + day, state(PEERS[:2]), 31 * 86400), "ospf")["verdict"] == "abnormal"
    silent = CONFIG.replace(
        "  network 10.0.0.0", " silent-interface Ten-GigabitEthernet1/2/0/2\n  network 10.0.0.0"
    )
    quiet = campus.night(NIGHT + 2 * day, state(PEERS[:2]), 32 * 86400, config=silent)
    assert found(quiet, "ospf")["verdict"] == "normal"
    assert [e["router_id"] for e in quiet.expected["ospf_neighbour_set"]] == ["10.255.0.2", "10.255.1.1"]
    same_as_record(campus, quiet)


def test_the_inventory_count_overrides_the_carried_set(tmp_path: Path) -> None:
    campus = Campus(tmp_path)
    day = dt.timedelta(days=1)
    campus.night(NIGHT, state(), uptime=30 * 86400)
    campus.night(NIGHT + day, state(PEERS[:2]), 31 * 86400)
    stated = {"ospf_neighbours": 2}
    accepted = campus.night(NIGHT + 2 * day, state(PEERS[:2]), 32 * 86400, stated=stated)
    assert found(accepted, "ospf")["verdict"] == "normal"
    assert inspected(campus, "ospf", stated=stated)[0] is Verdict.NORMAL
    # The person removes the count again: what is settled now is what is expected.
    again = campus.night(NIGHT + 3 * day, state(PEERS[:2]), 33 * 86400)
    assert found(again, "ospf")["verdict"] == "normal"


def test_a_neighbour_lost_during_an_outage_is_still_reported(tmp_path: Path) -> None:
    campus = Campus(tmp_path)
    day = dt.timedelta(days=1)
    campus.night(NIGHT, state(), uptime=30 * 86400)
    campus.night(NIGHT + day, None, failed="connect: TimeoutError")
    after = campus.night(NIGHT + 2 * day, state(PEERS[1:]), 32 * 86400)
    assert found(after, "ospf")["verdict"] == "abnormal"
    assert "10.255.0.2 on Ten-GigabitEthernet1/3/0/1" in found(after, "ospf")["detail"]


# --- 3. a reboot during an outage ------------------------------------------------------------


def test_a_reboot_while_the_device_could_not_be_read_is_reported(tmp_path: Path) -> None:
    campus = Campus(tmp_path)
    day = dt.timedelta(days=1)
    campus.night(NIGHT, state(), uptime=30 * 86400)
    campus.night(NIGHT + day, None, failed="connect: connection refused")
    after = campus.night(NIGHT + 2 * day, state(), uptime=5 * 3600)  # up 5 h, two days later
    assert found(after, "reboot")["verdict"] == "abnormal"
    assert found(after, "reboot")["detail"] == (
        "uptime 5 h 0 min, expected about 32 d 0 h 0 min after the previous run at 2026-12-01 02:00: "
        "rebooted since"
    )
    same_as_record(campus, after)
    # The next night compares with that night: the same reboot is not reported twice.
    assert found(campus.night(NIGHT + 3 * day, state(), uptime=29 * 3600), "reboot")["verdict"] == "normal"


def test_a_reboot_is_an_uptime_shorter_than_the_time_since_the_last_good_run() -> None:
    from netkb.inspection.checklist import evaluate

    previous = Observation("d", "comware", "core", "", {}, {}, [], [], NIGHT)  # no uptime read then
    current = Observation(
        "d", "comware", "core", "", {}, {"uptime": 7200}, [], [], NIGHT + dt.timedelta(days=2)
    )
    reboot = {f.item_id: f for f in evaluate(current, previous, CHECKLIST, Thresholds())}["reboot"]
    assert reboot.verdict is Verdict.ABNORMAL
    assert "shorter than the 2 d 0 h 0 min since the previous good run" in reboot.detail


# --- 1. inspect says what the collect said, and that the newest collect failed ----------------


def test_inspect_reports_a_failed_newest_collect_and_the_age_of_what_it_shows(tmp_path: Path) -> None:
    campus = Campus(tmp_path)
    day = dt.timedelta(days=1)
    good = campus.night(NIGHT, state(), uptime=30 * 86400)
    campus.night(NIGHT + day, None, failed="connect: authentication failed for netkb")
    shown = campus.inspect()
    collect = [f for f in shown.findings if f.item_id == "collect"]
    assert len(collect) == 1 and collect[0].verdict is Verdict.ABNORMAL
    assert "failed: connect: authentication failed for netkb" in collect[0].detail
    assert (
        "the findings shown are from the collect of" in collect[0].detail
        and "19 d 6 h old" in collect[0].detail
    )
    assert shown.as_of == NIGHT
    assert [f for f in shown.findings if f.item_id != "collect"] == [
        f for f in campus.inspect().findings if f.item_id != "collect"
    ]
    assert {f.item_id: f.verdict.value for f in shown.findings if f.item_id != "collect"} == {
        f["item"]: f["verdict"] for f in good.inspection
    }


def test_inspect_judges_again_with_todays_thresholds_only(tmp_path: Path) -> None:
    campus = Campus(tmp_path)
    result = campus.night(NIGHT, state(), uptime=30 * 86400)
    same_as_record(campus, result)
    verdict, detail = inspected(campus, "cpu", thresholds=Thresholds(cpu_percent=10))
    assert verdict is Verdict.ABNORMAL and "the collect said normal" in detail


# --- 4. records ordered by instant, not by name ------------------------------------------------


def _old_style_name(started: dt.datetime) -> str:
    """How records were named before: the writing host's local time and offset."""
    return f"runs/{started:%Y}/{started:%m}/{started:%Y%m%dT%H%M%S%z}.json"


def test_records_from_hosts_in_other_time_zones_sort_by_instant(tmp_path: Path) -> None:
    laptop = dt.datetime(2026, 12, 7, 10, 0, tzinfo=CST)  # 02:00 UTC
    ci = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)  # an hour later
    repo = SnapshotRepo(tmp_path / "configs", "netkb", "netkb@example.org")
    for started, cursor in ((laptop, "laptop-cursor"), (ci, "ci-cursor")):
        record = RunRecord(started)
        record.devices["core-1"] = DeviceResult("core-1", Outcome.UNCHANGED, log_last_seen=cursor)
        atomic_write(repo.path / _old_style_name(started), record.to_json().encode())
    assert _old_style_name(laptop) > _old_style_name(ci)  # by name, the laptop's looks newer
    newest = json.loads(next(repo.run_records_newest_first()))
    assert newest["started"] == ci.isoformat()
    previous = read_previous_of(repo.run_records_newest_first(), {"core-1"})
    assert previous.log_cursor("core-1") == "ci-cursor"  # the laptop's would report CI's logs again
    assert [r.started for r in read_runs(repo.path)] == [ci, laptop]


def test_a_record_is_named_by_its_instant_in_utc() -> None:
    assert RunRecord(dt.datetime(2026, 1, 1, 5, 0, tzinfo=CST)).path() == "runs/2025/12/20251231T210000Z.json"
    utc_names = [
        RunRecord(t).path()
        for t in (dt.datetime(2026, 12, 7, 10, 0, tzinfo=CST), dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC))
    ]
    assert sorted(utc_names) == utc_names  # name order is instant order again
    mixed = [
        "runs/2026/12/20261207T100000+0800.json",
        "runs/2026/12/20261207T030000Z.json",
        "runs/2026/12/20261207T013000Z-shard1of2.json",
    ]
    assert newest_first(mixed) == [mixed[1], mixed[0], mixed[2]]


@pytest.mark.parametrize("name", ["runs/2026/12/odd.json", "runs/2026/12/20261207.json"])
def test_a_record_whose_name_says_no_instant_is_ordered_by_its_content(name: str) -> None:
    inside = RunRecord(dt.datetime(2026, 12, 8, tzinfo=dt.UTC)).to_json().encode()
    assert newest_first([name, "runs/2026/12/20261207T030000Z.json"], lambda p: inside)[0] == name


def test_reading_only_the_wanted_lines_gives_what_parsing_whole_records_gives() -> None:
    from netkb.collector.runrecord import merge_previous, read_previous

    day = dt.timedelta(days=1)
    records = []
    for n in range(6):  # a device failing for four nights, another collected by every second run only
        record = RunRecord(NIGHT + n * day, shard="1/2" if n % 2 else None)
        for name in ("a", "b", "设备-3") if n % 2 == 0 else ("a", "b"):
            failing = name == "a" and n >= 2
            record.devices[name] = DeviceResult(
                name,
                Outcome.FAILED if failing else Outcome.UNCHANGED,
                reason="connect: refused" if failing else "",
                measures={} if failing else {"uptime": n},
                expected={"ospf_neighbour_set": [{"router_id": f"r{n}", "interface": "i", "seen": "s"}]},
                log_last_seen=f"{name}@{n}",
            )
        records.append(record.to_json().encode())
    newest = list(reversed(records))
    for names in ({"a"}, {"a", "b", "设备-3"}, {"设备-3", "gone"}):
        fast = read_previous_of(newest, names)
        plain = merge_previous([read_previous(raw) for raw in newest], names)
        for name in names:
            assert fast.measures(name) == plain.measures(name), name
            assert fast.started_of(name) == plain.started_of(name), name
            assert fast.expected(name) == plain.expected(name), name
            assert fast.log_cursor(name) == plain.log_cursor(name), name
    previous = read_previous_of(newest, {"a"})
    assert previous.measures("a") == {"uptime": 1} and previous.log_cursor("a") == "a@5"


def test_a_neighbour_on_an_interface_the_config_reading_never_recognised_stays_expected(
    tmp_path: Path,
) -> None:
    campus = Campus(tmp_path)
    day = dt.timedelta(days=1)
    unknown = CONFIG.replace("  network 10.0.0.0 0.0.0.255", "  network 10.0.0.0 0.0.0.3")  # 1/3/0/1 only
    campus.night(NIGHT, state(), uptime=30 * 86400, config=unknown)
    nights = [
        campus.night(NIGHT + n * day, state(PEERS[:2]), (30 + n) * 86400, config=unknown) for n in (1, 2)
    ]
    assert [found(r, "ospf")["verdict"] for r in nights] == ["abnormal", "abnormal"]


@pytest.mark.parametrize(
    ("platform", "config", "running"),
    [
        (
            "ios",
            "interface GigabitEthernet0/1\n ip address 10.1.0.1 255.255.255.252\n!\n"
            "interface GigabitEthernet0/2\n ip address 10.1.0.5 255.255.255.252\n!\n"
            "interface Vlan10\n ip ospf 1 area 0\n!\n"
            "router ospf 1\n passive-interface GigabitEthernet0/2\n"
            " network 10.1.0.0 0.0.0.255 area 0\n!\nend\n",
            ["GigabitEthernet0/1", "Vlan10"],
        ),
        (
            "vrp",
            "interface Vlanif100\n ip address 192.168.100.1 255.255.255.0\n ospf enable 1 area 0.0.0.0\n#\n"
            "interface GigabitEthernet0/0/1\n ip address 10.2.0.1 255.255.255.252\n#\n"
            "ospf 1 router-id 192.168.100.1\n silent-interface all\n undo silent-interface Vlanif100\n"
            " area 0.0.0.0\n  network 10.2.0.0 0.0.0.3\n#\nreturn\n",
            ["Vlanif100"],
        ),
        ("comware", "#\n sysname x\n#\nreturn\n", []),
    ],
)
def test_the_interfaces_a_config_runs_ospf_on(platform: str, config: str, running: list[str]) -> None:
    from netkb.collector.expectations import ospf_interfaces

    assert ospf_interfaces(platform, config) == running
    assert ospf_interfaces(platform, "") is None
