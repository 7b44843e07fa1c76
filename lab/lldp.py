"""LLDP neighbour tables rendered from the topology model, so both ends of every link agree.

Each physical interface whose link is up and whose `peer` names a far end lists that far end:
a lab device (its sysname, its bridge MAC as chassis ID, its interface as port ID) or something
that is not in the lab at all (a far end named in `peer` with no device behind it, such as the
rogue router `plug_rogue` connects). Layouts follow real captures (tests/real/*/…lldp…):
Comware's list, VRP's brief, IOS's detail blocks and RGOS's per-port blocks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from netkb.lab.model import Device, Network, Platform

# The router of the demo's 2026-09-29 incident: a home router's LAN ports, advertising LLDP.
ROGUE_NAME = "TL-WR842N"
ROGUE_PORTS = ("LAN1", "LAN2")
ROGUE_FIRST_PORT = 16  # the 17th and 18th user ports (GigabitEthernet1/0/17 and 1/0/18 in the story)


@dataclass(frozen=True)
class Seen:
    """One neighbour as the local device sees it."""

    local: str  # full local interface name
    name: str  # the far end's system name
    port: str  # the far end's port ID as it advertises it
    chassis: str  # xxxx-xxxx-xxxx


def _chassis(name: str) -> str:
    raw = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def _advertised_port(far: Device, name: str) -> str:
    """Cisco advertises its short name (`Gi1/0/1`), Ruijie its spaced one (`GigabitEthernet 0/1`),
    the others their full one."""
    if far.platform is Platform.IOS:
        from netkb.lab.platforms.ios_config import short_name

        return short_name(name)
    if far.platform is Platform.RGOS:
        from netkb.lab.platforms.rgos_show import rg_name

        return rg_name(name)
    return name


def neighbours(net: Network, dev: Device) -> list[Seen]:
    seen = []
    for iface in dev.interfaces.values():
        if iface.peer is None or not iface.is_physical or not net.link_up(dev, iface):
            continue
        far = net.devices.get(iface.peer[0])
        if far is None:
            seen.append(Seen(iface.name, iface.peer[0], iface.peer[1], _chassis(iface.peer[0])))
        else:
            port = _advertised_port(far, iface.peer[1])
            seen.append(Seen(iface.name, far.name, port, far.bridge_mac or _chassis(far.name)))
    return seen


# --- the rogue router (fault `rogue-neighbour`) ----------------------------------------------


def _user_ports(dev: Device) -> list:  # type: ignore[type-arg]
    return [i for i in dev.interfaces.values() if i.mode == "access" and i.is_physical and i.peer is None]


def plug_rogue(net: Network, dev: Device) -> None:
    ports = _user_ports(dev)[ROGUE_FIRST_PORT : ROGUE_FIRST_PORT + len(ROGUE_PORTS)]
    if len(ports) < len(ROGUE_PORTS):
        raise ValueError(f"{dev.name} has too few free user ports for a rogue router")
    for iface, lan in zip(ports, ROGUE_PORTS, strict=True):
        iface.peer, iface.cabled = (ROGUE_NAME, lan), True


def unplug_rogue(net: Network, dev: Device) -> None:
    for iface in dev.interfaces.values():
        if iface.peer is not None and iface.peer[0] == ROGUE_NAME:
            iface.peer = None


# --- the platforms' displays -----------------------------------------------------------------


def comware_list(net: Network, dev: Device) -> list[str]:
    """`display lldp neighbor-information list`: Comware 7 puts the system name first, Comware 5
    the local interface; nothing at all when there is no neighbour."""
    from netkb.lab.platforms.comware_text import short_name

    seen = neighbours(net, dev)
    if not seen:
        return []
    if dev.os_major >= 7:
        lines = [
            "Chassis ID : * -- -- Nearest nontpmr bridge neighbor",
            "             # -- -- Nearest customer bridge neighbor",
            "             Default -- -- Nearest bridge neighbor",
            "System Name          Local Interface Chassis ID      Port ID",
        ]
        for s in seen:
            name = s.name if len(s.name) <= 20 else f"{s.name[:20]}"
            lines.append(f"{name:<21}{short_name(s.local):<16}{s.chassis:<16}{s.port}")
            if len(s.name) > 20:  # a long name wraps onto the next line, as the real list does
                lines.append(s.name[20:])
        return lines
    lines = ["Local Interface Chassis ID      Port ID                    System Name"]
    lines += [f"{short_name(s.local):<16}{s.chassis:<16}{s.port:<27}{s.name}" for s in seen]
    return lines


_VRP_SHORT = (("XGigabitEthernet", "XGE"), ("GigabitEthernet", "GE"), ("Ethernet", "Eth"))


def _vrp_short(name: str) -> str:
    for long, short in _VRP_SHORT:
        if name.startswith(long) and name[len(long) : len(long) + 1].isdigit():
            return short + name[len(long) :]
    return name


def vrp_brief(net: Network, dev: Device) -> str:
    """`display lldp neighbor brief`; the far port is abbreviated like the local one."""
    lines = ["Local Intf       Neighbor Dev             Neighbor Intf             Exptime(s)"]
    for s in neighbours(net, dev):
        expires = 90 + dev.rng.randint(0, 30)
        lines.append(f"{_vrp_short(s.local):<17}{s.name:<25}{_vrp_short(s.port):<26}{expires}")
    return "".join(line + "\r\n" for line in lines)


def _dotted(mac: str) -> str:
    raw = mac.replace("-", "").replace(".", "").lower()
    return f"{raw[0:4]}.{raw[4:8]}.{raw[8:12]}"


def ios_detail(net: Network, dev: Device) -> list[str]:
    """`show lldp neighbors detail`: a dashed block per neighbour, then the count."""
    from netkb.lab.platforms.ios_config import short_name

    seen = neighbours(net, dev)
    lines: list[str] = []
    for s in seen:
        far = net.devices.get(s.name)
        lines += [
            "------------------------------------------------",
            f"Local Intf: {short_name(s.local)}",
            f"Chassis id: {_dotted(s.chassis)}",
            f"Port id: {s.port}",
            f"Port Description: {s.port}",
            f"System Name: {s.name}",
            "",
            "System Description: ",
            f"{far.model if far else 'Wireless Router'}",
            "",
            f"Time remaining: {90 + dev.rng.randint(0, 30)} seconds",
            "System Capabilities: B,R",
            "Enabled Capabilities: B,R" if far and far.role != "access" else "Enabled Capabilities: B",
            "Management Addresses:" if far else "Management Addresses - not advertised",
            *([f"    IP: {far.mgmt_ip}"] if far else []),
            "Auto Negotiation - supported, enabled",
            "Physical media capabilities - not advertised",
            "Media Attachment Unit type - not advertised",
            "Vlan ID: - not advertised",
            "",
        ]
    return ["", *lines, "", f"Total entries displayed: {len(seen)}"]


def rgos_detail(net: Network, dev: Device) -> list[str]:
    """`show lldp neighbors detail`: a block per local port, `Key  : value` lines."""
    from netkb.lab.platforms.rgos_show import rg_name

    lines: list[str] = []
    for s in neighbours(net, dev):
        lines += [
            f"LLDP neighbor-information of port [{rg_name(s.local)}]",
            "  Neighbor index                    : 1",
            "  Chassis ID type                   : MAC address",
            f"  Chassis ID                        : {_dotted(s.chassis)}",
            f"  System name                       : {s.name}",
            "  Port ID type                      : Interface name",
            f"  Port ID                           : {s.port}",
            f"  Port description                  : {s.port}",
            "",
        ]
    return lines


def port_key(name: str) -> str:
    """The numbers of an interface name (`GE0/0/1` and `GigabitEthernet0/0/1` give `0/0/1`)."""
    return re.sub(r"^\D*", "", name.replace(" ", ""))


# --- link aggregation: the lab's links are single cables, so every platform says "none" ----------


def comware_aggregation(net: Network, dev: Device) -> list[str]:
    """`display link-aggregation verbose` with no aggregate: nothing at all (collector/parsers/
    aggregation.py reads the legend-only and the empty answer alike)."""
    return []


def vrp_eth_trunk(net: Network, dev: Device) -> str:
    """`display eth-trunk` with no trunk, as a real S-series prints it (tests/real/vrp/display_eth-trunk)."""
    return "Info: No valid trunk in the system.\r\n"


def ios_etherchannel(net: Network, dev: Device) -> list[str]:
    """`show etherchannel summary` with no channel group (tests/real/ios/show_etherchannel_summary)."""
    return [
        "Flags:  D - down        P - bundled in port-channel",
        "        I - stand-alone s - suspended",
        "        H - Hot-standby (LACP only)",
        "        R - Layer3      S - Layer2",
        "        U - in use      f - failed to allocate aggregator",
        "",
        "        M - not in use, minimum links not met",
        "        u - unsuitable for bundling",
        "        w - waiting to be aggregated",
        "        d - default port",
        "",
        "",
        "Number of channel-groups in use: 0",
        "Number of aggregators:           0",
        "",
        "Group  Port-channel  Protocol    Ports",
        "------+-------------+-----------+-----------------------------------------------",
        "",
    ]
