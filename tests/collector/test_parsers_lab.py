"""Parsers against live lab renders: healthy devices read all-normal, injected faults read as faults.

Outputs come from the platform's `execute` (what the SSH server sends, CR LF and all), so a
change in the lab's rendering or in a parser that breaks their agreement fails here.
"""

from __future__ import annotations

import pytest

from netkb.collector.parsers import get_parser
from netkb.spec import load_spec

lab_topology = pytest.importorskip("netkb.lab.topology")
lab_platforms = pytest.importorskip("netkb.lab.platforms")
from netkb.lab import faults  # noqa: E402
from netkb.lab.model import Fault  # noqa: E402
from netkb.lab.platforms.base import Ctx, Mode, Session  # noqa: E402

# One device per platform variant: Comware 7 IRF chassis with a WLAN card, Comware 7 box,
# Comware 5 box, VRP S5700, IOS-XE 3850, IOS 2960X, RGOS N18000 chassis and S2910 box.
DEVICES = ["core-1", "acc-lib-01", "acc-admin-01", "dorm-01", "rlab-1", "rlab-2", "rg-core-1", "rg-acc-2"]
HARDWARE = ("boards", "power", "fans")


def _read_all(net, dev) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Every spec parser's result for this device, keyed by parser function name."""
    cli = lab_platforms.cli_for(dev)
    session = Session(mode=Mode.ENABLE if load_spec(dev.platform.value).enable else Mode.USER, paging=False)
    results: dict[str, object] = {}
    spec = load_spec(dev.platform.value)
    for command in spec.commands:
        names = [p for p in [*command.state.values(), *command.measure.values(), command.log] if p]
        if not names:
            continue
        reply = cli.execute(Ctx(net, dev, session), command.command)
        for name in names:
            if command.optional and any(error in reply.text for error in spec.errors):
                continue  # an optional feature (IRF, WLAN) this device does not have
            results[name.split(".")[1]] = get_parser(name)(reply.text)
    return results


@pytest.fixture
def net():  # type: ignore[no-untyped-def]
    return lab_topology.build_network()


@pytest.mark.parametrize("name", DEVICES)
def test_healthy_device_reads_normal(net, name: str) -> None:  # type: ignore[no-untyped-def]
    dev = net.devices[name]
    results = _read_all(net, dev)
    for topic in (t for t in HARDWARE if t in results or t != "boards"):  # RGOS reads no boards
        for item in results[topic]:  # type: ignore[attr-defined]
            if item.get("id", "").startswith("RPS"):
                assert item["status"] in ("normal", "absent")  # a 2960's optional redundant supply
            else:
                assert item["status"] == "normal", (topic, item)
    assert all(s["celsius"] < s["warning"] for s in results["temperature"])  # type: ignore[attr-defined]
    assert results["cpu"]["five_minutes"] < 50  # type: ignore[index]
    assert 0 < results["memory"]["used_percent"] < 90  # type: ignore[index]
    assert results["ntp"]["synchronized"] is True  # type: ignore[index]
    assert results["version"]["model"] == dev.model  # type: ignore[index]
    assert abs(results["uptime"] - dev.uptime_seconds()) < 120  # type: ignore[operator]
    assert not [e for e in results["logbuffer"] if e["severity"] <= 3]  # type: ignore[attr-defined]
    names = {i["name"].replace(" ", "") for i in results["interfaces"]}  # type: ignore[attr-defined]
    assert {i for i in dev.interfaces if i.startswith(("GigabitEthernet", "Ten-GigabitEthernet"))} <= names


@pytest.mark.parametrize("name", DEVICES)
def test_faults_read_as_fault(net, name: str) -> None:  # type: ignore[no-untyped-def]
    dev = net.devices[name]
    faults.inject(net, dev, Fault.FAN)
    faults.inject(net, dev, Fault.POWER)
    faults.inject(net, dev, Fault.TEMPERATURE)
    faults.inject(net, dev, Fault.CPU)
    faults.inject(net, dev, Fault.LOG_ERRORS)
    results = _read_all(net, dev)
    assert any(f["status"] == "fault" for f in results["fans"])  # type: ignore[attr-defined]
    assert any(p["status"] == "fault" for p in results["power"])  # type: ignore[attr-defined]
    assert any(s["celsius"] >= s["warning"] for s in results["temperature"])  # type: ignore[attr-defined]
    assert results["cpu"]["five_minutes"] >= 80  # type: ignore[index]
    assert [e for e in results["logbuffer"] if e["severity"] <= 3]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["core-1", "acc-admin-01", "dorm-01", "rlab-1"])
def test_board_fault_reads_as_fault(net, name: str) -> None:  # type: ignore[no-untyped-def]
    dev = net.devices[name]
    faults.inject(net, dev, Fault.BOARD)
    boards = _read_all(net, dev)["boards"]
    assert any(b["status"] == "fault" for b in boards), boards  # type: ignore[attr-defined]


def test_ospf_down_loses_a_full_neighbour(net) -> None:  # type: ignore[no-untyped-def]
    dev = net.devices["core-1"]
    before = [p for p in _read_all(net, dev)["ospf_peers"] if p["state"].startswith("Full")]  # type: ignore[attr-defined]
    faults.inject(net, dev, Fault.OSPF_DOWN)
    after = [p for p in _read_all(net, dev)["ospf_peers"] if p["state"].startswith("Full")]  # type: ignore[attr-defined]
    assert before and len(after) < len(before)
