"""VRP `display` renderers for interfaces, VLANs and OSPF, derived from the model and the topology."""

from __future__ import annotations

from netkb.lab.model import Device, Interface, Network, ip_to_int
from netkb.lab.platforms.vrp_common import NL, hms, short_name, sort_key, split_name, vlan_runs

LEGEND = [
    "PHY: Physical",
    "*down: administratively down",
    "#down: LBDT down",
    "(l): loopback",
    "(s): spoofing",
    "(E): E-Trunk down",
    "(b): BFD down",
    "(e): ETHOAM down",
    "(dl): DLDP down",
    "(lb): LBDT block",
]


def all_interfaces(dev: Device) -> list[Interface]:
    """The model's interfaces plus NULL0 (every VRP box has one), sorted as `display interface` lists them."""
    ifaces = list(dev.interfaces.values())
    if not any(split_name(i.name)[0] == "NULL" for i in ifaces):
        ifaces.append(Interface(name="NULL0", mode="routed"))
    return sorted(ifaces, key=lambda i: sort_key(i.name))


def states(net: Network, dev: Device, iface: Interface) -> tuple[str, str]:
    """(PHY, Protocol) as VRP prints them."""
    kind = split_name(iface.name)[0]
    if kind in ("NULL", "LoopBack"):
        return ("*down", "down") if not iface.admin_up else ("up", "up(s)")
    if not iface.admin_up:
        return "*down", "down"
    up = net.link_up(dev, iface)
    if iface.mode == "routed" and kind != "Vlanif" and not iface.ip:
        return ("up" if up else "down"), "down"
    return ("up", "up") if up else ("down", "down")


def display_interface_brief(net: Network, dev: Device) -> str:
    lines = [
        *LEGEND,
        "InUti/OutUti: input utility/output utility",
        "Interface                   PHY   Protocol  InUti OutUti   inErrors  outErrors",
    ]
    for iface in all_interfaces(dev):
        phy, proto = states(net, dev, iface)
        kind = split_name(iface.name)[0]
        if kind == "Vlanif":
            inuti = oututi = "--"
        elif phy == "up" and kind not in ("NULL", "LoopBack"):
            inuti, oututi = _utility(dev), _utility(dev)
        else:
            inuti = oututi = "0%"
        name = f"{iface.name:<27} " if len(iface.name) < 28 else iface.name + " "
        lines.append(f"{name}{phy:<5} {proto:<9}{inuti:>6}{oututi:>7}{0:>11}{0:>11}")
    return NL.join(lines) + NL


def _utility(dev: Device) -> str:
    value = dev.rng.choice([0.0, 0.01, 0.01, 0.02, 0.05, 0.12, 0.31, 1.27])
    return "0%" if value == 0 else f"{value:.2f}%"


def display_interface_description(net: Network, dev: Device) -> str:
    lines = [*LEGEND, "Interface                     PHY     Protocol Description"]
    for iface in all_interfaces(dev):
        phy, proto = states(net, dev, iface)
        lines.append(f"{short_name(iface.name):<30}{phy:<8}{proto:<9}{iface.description}".rstrip())
    return NL.join(lines) + NL


def display_port_vlan(dev: Device) -> str:
    lines = ["Port                        Link Type    PVID  Trunk VLAN List", "-" * 79]
    for iface in all_interfaces(dev):
        if (
            not iface.is_physical
            or iface.mode not in ("access", "trunk")
            or split_name(iface.name)[0] == "MEth"
        ):
            continue
        if iface.mode == "trunk":
            runs = [r.replace(" to ", "-") for r in vlan_runs(iface.trunk_vlans)] or ["-"]
            lines.append(f"{iface.name:<28}{'trunk':<13}{1:<6}{' '.join(runs)}")
        else:
            lines.append(f"{iface.name:<28}{'access':<13}{iface.access_vlan:<6}-")
    return NL.join(lines) + NL


def vlan_members(dev: Device, vid: int) -> tuple[list[Interface], list[Interface]]:
    """(untagged, tagged) member ports of a VLAN."""
    untagged, tagged = [], []
    for iface in sorted(dev.interfaces.values(), key=lambda i: sort_key(i.name)):
        if not iface.is_physical or split_name(iface.name)[0] == "MEth":
            continue
        if iface.mode == "access" and iface.access_vlan == vid:
            untagged.append(iface)
        elif iface.mode == "trunk" and vid in iface.trunk_vlans:
            tagged.append(iface)
    return untagged, tagged


def display_vlan(net: Network, dev: Device, only: list[int] | None = None) -> str:
    """The V200R011+ S-series layout: a ports table, then the status table (Type/STAT/BC/MC/UC)."""
    vids = sorted(set(dev.vlans) | {1})
    if only is not None:
        vids = [v for v in vids if v in only]
    rule = "-" * 80
    lines = [] if only is not None else [f"The total number of vlans is : {len(vids)}"]
    lines += [
        rule,
        "U: Up;         D: Down;         TG: Tagged;         UT: Untagged;",
        "MP: Vlan-mapping;               ST: Vlan-stacking;",
        "#: ProtocolTransparent-vlan;    *: Management-vlan;",
        "MAC-LRN: MAC-address learning;  STAT: Statistic;",
        "BC: Broadcast; MC: Multicast;   UC: Unknown-unicast;",
        "FWD: Forward;  DSD: Discard;",
        rule,
        "",
        f"{'VID          Ports':<76}",
        rule,
    ]
    for vid in vids:
        untagged, tagged = vlan_members(dev, vid)
        first = True
        for tag, members in (("UT", untagged), ("TG", tagged)):
            if not members:
                continue
            cells = [f"{short_name(m.name)}({'U' if net.link_up(dev, m) else 'D'})" for m in members]
            for i in range(0, len(cells), 4):
                chunk = "".join(f"{c:<16}" for c in cells[i : i + 4])
                if i == 0:
                    head = f"{vid:>4}{'':9}" if first else " " * 13
                    lines.append(f"{head}{tag}:{chunk}".ljust(80))
                    first = False
                else:
                    lines.append(f"{'':16}{chunk}".ljust(80))
        if first:
            lines.append(f"{vid:>4}".ljust(80))
    lines += [" " * 80, "VID  Type     Status  Property  MAC-LRN STAT    BC  MC  UC  Description", rule]
    for vid in vids:
        vlan = dev.vlans.get(vid)
        description = (vlan.description if vlan is not None else "") or f"VLAN {vid:04d}"
        row = f"{vid:>4} {'common':<9}{'enable':<8}{'default':<10}{'enable':<8}{'disable':<8}FWD FWD FWD"
        lines.append(f"{row} {description}".ljust(80))
    return NL.join(lines) + NL


def display_ospf_peer_brief(net: Network, dev: Device) -> str:
    if dev.ospf is None:
        return ""
    rule = " " + "-" * 76
    lines = [
        "",
        f"\t OSPF Process {dev.ospf.process} with Router ID {dev.ospf.router_id}",
        "\t\t  Peer Statistic Information",
        rule,
        " Area Id          Interface                        Neighbor id      State    ",
    ]
    for nbr in net.ospf_neighbors(dev):
        lines.append(f" {nbr.area:<17}{nbr.interface:<33}{nbr.router_id:<17}{nbr.state:<12}")
    lines.append(rule)
    return NL.join(lines) + NL


def display_ospf_peer(net: Network, dev: Device) -> str:
    if dev.ospf is None:
        return ""
    lines = ["", f"\t OSPF Process {dev.ospf.process} with Router ID {dev.ospf.router_id}"]
    for nbr in net.ospf_neighbors(dev):
        own = dev.interfaces[nbr.interface].ip or "0.0.0.0/0"
        own_ip = own.split("/")[0]
        dr, bdr = (nbr.address, own_ip) if nbr.role == "DR" else (own_ip, nbr.address)
        master = "Master" if ip_to_int(nbr.router_id) > ip_to_int(dev.ospf.router_id) else "Slave"
        up = dev.uptime_seconds()
        far = net.peer_interface(dev, dev.interfaces[nbr.interface])
        if far is not None:
            up = min(up, far[0].uptime_seconds())
        lines += [
            "\t\t Neighbors ",
            "",
            f" Area {nbr.area} interface {own_ip}({nbr.interface})'s neighbors",
            f" Router ID: {nbr.router_id:<17}Address: {nbr.address:<16}",
            f"   State: {nbr.state}  Mode:Nbr is  {master}  Priority: {nbr.priority}",
            f"   DR: {dr}  BDR: {bdr}  MTU: 0    ",
            f"   Dead timer due in {nbr.dead_seconds}  sec ",
            "   Retrans timer interval: 5 ",
            f"   Neighbor is up for {hms(up - 40)}     ",
            "   Authentication Sequence: [ 0 ] ",
            "",
        ]
    return NL.join(lines) + NL
