"""Change correlation on a real snapshot repository: lab -> collect -> change a device over SSH
-> collect (dated with --at) -> an incident after it. The change made before the incident on a
neighbour is found; a change made after it is not; a device two hops away is not a neighbour."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from netkb.generator.correlation import LinkSource, changes_before, topology
from netkb.generator.history import read_history
from netkb.lab.fidelity import connect
from netkb.records.incidents import Incident, Status
from tests.conftest import RunningLab
from tests.integration.test_collect import collect, workspace

DEVICES = "core-1,agg-lib,acc-lib-01"
CST = dt.timezone(dt.timedelta(hours=8))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CST)


def configure(lab: RunningLab, device: str, lines: list[str]) -> None:
    with connect(lab.devices[device], lab.profile(device)) as conn:
        conn.send_config_set(lines)
        conn.save_config()


def incident(devices: tuple[str, ...], reported: str) -> Incident:
    return Incident(
        path="incidents/x.md",
        id="INC-2026-0007",
        title="图书馆汇聚 OSPF 邻居中断",
        level="P2",
        category="routing",
        devices=devices,
        reported=at(reported),
        responded=None,
        onsite=None,
        resolved=None,
        status=Status.OPEN,
    )


def test_correlation_finds_the_change_before_and_not_the_one_after(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    try:
        assert collect(ws, lab, "--limit", DEVICES, "--at", "2026-09-10T02:00+08:00").returncode == 0
        # Before the incident: the OSPF cost on agg-lib's uplink to core-1, and a VLAN on
        # acc-lib-01 (connected to agg-lib, two hops from core-1).
        configure(lab, "agg-lib", ["interface Ten-GigabitEthernet1/0/25", "ospf cost 55", "quit"])
        configure(lab, "acc-lib-01", ["vlan 3902", "name before-incident", "quit"])
        assert collect(ws, lab, "--limit", DEVICES, "--at", "2026-09-13T02:00+08:00").returncode == 0
        assert collect(ws, lab, "--limit", DEVICES, "--at", "2026-09-14T12:00+08:00").returncode == 0
        # After the incident (reported 2026-09-14 09:12, collected again at 12:00): core-1 itself.
        configure(lab, "core-1", ["vlan 3903", "name after-incident", "quit"])
        assert collect(ws, lab, "--limit", DEVICES, "--at", "2026-09-15T02:00+08:00").returncode == 0
    finally:
        configure(lab, "agg-lib", ["interface Ten-GigabitEthernet1/0/25", "undo ospf cost", "quit"])
        configure(lab, "acc-lib-01", ["undo vlan 3902"])
        configure(lab, "core-1", ["undo vlan 3903"])

    history = read_history(ws / "configs")
    [agg_change] = [c for c in history.devices["agg-lib"].changes if c.kind != "first"]
    [core_change] = [c for c in history.devices["core-1"].changes if c.kind != "first"]
    assert agg_change.date == at("2026-09-13 02:00") and "ospf cost 55" in agg_change.diff
    assert core_change.date == at("2026-09-15 02:00") and "vlan 3903" in core_change.diff

    topo = topology(history, DEVICES.split(","))
    assert topo.neighbours("core-1")["agg-lib"].source is LinkSource.OSPF
    assert topo.neighbours("agg-lib")["acc-lib-01"].source is LinkSource.DESCRIPTION
    assert "acc-lib-01" not in topo.neighbours("core-1")

    # The incident on core-1: agg-lib's change (a neighbour, via OSPF) in the 72 h before it.
    found = changes_before(incident(("core-1",), "2026-09-14 09:12"), history, topo, 72)
    assert [(r.device, r.relation, r.neighbour_of, r.change.sha) for r in found] == [
        ("agg-lib", "neighbour", "core-1", agg_change.sha)
    ]
    assert found[0].made_after == at("2026-09-10 02:00") and not found[0].found_after

    # On agg-lib itself: its own change and acc-lib-01's (a neighbour through its uplink description).
    on_agg = changes_before(incident(("agg-lib",), "2026-09-14 09:12"), history, topo, 72)
    assert [(r.device, r.relation) for r in on_agg] == [("agg-lib", "affected"), ("acc-lib-01", "neighbour")]

    # A window that closes before the change finds nothing.
    assert changes_before(incident(("core-1",), "2026-09-14 09:12"), history, topo, 24) == []

    # Reported at 20:00, after the 12:00 collection: core-1's change, found at the next
    # collection (2026-09-15 02:00), may have been made before the report: listed, marked so.
    late = changes_before(incident(("core-1",), "2026-09-14 20:00"), history, topo, 72)
    assert [(r.device, r.found_after, r.made_after) for r in late] == [
        ("core-1", True, at("2026-09-14 12:00")),
        ("agg-lib", False, at("2026-09-10 02:00")),
    ]
