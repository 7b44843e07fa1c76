"""The lab's LLDP displays: every platform answers from the topology model, and what each end
of a link reports (read back through the collector's own parsers) agrees with the other end."""

from __future__ import annotations

import pytest

from netkb.collector.parsers import get_parser
from netkb.lab import faults, lldp
from netkb.lab.model import Fault, Network
from netkb.lab.platforms import cli_for
from netkb.lab.platforms.base import Ctx, Mode, Session
from netkb.lab.topology import build_network
from netkb.spec import load_spec


def _neighbours(net: Network, name: str) -> list[dict[str, object]]:
    dev = net.devices[name]
    spec = load_spec(dev.platform.value)
    command = next(c for c in spec.commands if "neighbours" in c.state)
    session = Session(mode=Mode.ENABLE if spec.enable else Mode.USER, paging=False)
    reply = cli_for(dev).execute(Ctx(net, dev, session), command.command)
    assert "Unrecognized" not in reply.text and "Invalid input" not in reply.text, reply.text
    return get_parser(command.state["neighbours"])(reply.text)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def net() -> Network:
    return build_network()


@pytest.fixture(scope="module")
def seen(net: Network) -> dict[str, list[dict[str, object]]]:
    return {name: _neighbours(net, name) for name in net.devices}


def test_every_platform_lists_its_uplinks(net: Network, seen: dict[str, list[dict[str, object]]]) -> None:
    platforms = {dev.platform for dev in net.devices.values() if seen[dev.name]}
    assert platforms == {dev.platform for dev in net.devices.values()}
    for dev in net.devices.values():
        linked = {i.name for i in dev.interfaces.values() if i.peer and net.link_up(dev, i)}
        assert {str(row["interface"]).replace(" ", "") for row in seen[dev.name]} == linked, dev.name


def test_both_ends_of_every_link_agree(net: Network, seen: dict[str, list[dict[str, object]]]) -> None:
    links = 0
    for name, rows in seen.items():
        for row in rows:
            far = str(row["neighbour"])
            assert far in net.devices, f"{name}: unknown neighbour {far}"
            back = [
                r
                for r in seen[far]
                if r["neighbour"] == name and str(r["interface"]).replace(" ", "") == _full(net, far, row)
            ]
            assert len(back) == 1, f"{name} {row['interface']} -> {far} {row['neighbour_interface']}: {back}"
            assert lldp.port_key(str(back[0]["neighbour_interface"])) == lldp.port_key(str(row["interface"]))
            links += 1
    assert links > 80  # 43 devices: every uplink, seen from both ends


def _full(net: Network, far: str, row: dict[str, object]) -> str:
    """The far end's own name for the port it advertised (Cisco advertises `Gi1/0/1`)."""
    key = lldp.port_key(str(row["neighbour_interface"]))
    return next(
        i
        for i in net.devices[far].interfaces
        if lldp.port_key(i) == key and net.devices[far].interfaces[i].peer
    )


def test_a_rogue_router_is_a_neighbour_until_its_ports_are_shut() -> None:
    net = build_network()
    dev = net.devices["acc-admin-02"]
    faults.inject(net, dev, Fault.ROGUE_NEIGHBOUR)
    rogue = [r for r in _neighbours(net, dev.name) if r["neighbour"] == lldp.ROGUE_NAME]
    assert [r["interface"] for r in rogue] == ["GigabitEthernet1/0/17", "GigabitEthernet1/0/18"]
    dev.interfaces["GigabitEthernet1/0/17"].admin_up = False
    rogue = [r for r in _neighbours(net, dev.name) if r["neighbour"] == lldp.ROGUE_NAME]
    assert [r["interface"] for r in rogue] == ["GigabitEthernet1/0/18"]
    faults.clear(net, dev, Fault.ROGUE_NEIGHBOUR)
    assert not [r for r in _neighbours(net, dev.name) if r["neighbour"] == lldp.ROGUE_NAME]
