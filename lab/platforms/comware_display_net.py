"""Comware network `display` renderers: interface brief, VLANs, OSPF peers.

All are derived from the model and the network (links, OSPF adjacencies), so they agree with
the running configuration.
"""

from __future__ import annotations

from netkb.lab.model import Device, Interface, Network, prefix_to_mask
from netkb.lab.platforms.comware_text import short_name, vlan_description, vlan_name, vlanif_id


def _brief_key(iface: Interface) -> tuple:
    short = short_name(iface.name)
    numbers = tuple(int(p) for p in "".join(c if c.isdigit() else " " for c in short).split())
    return (short.startswith("Vlan"), short.rstrip("0123456789/"), numbers)


def _route_mode(iface: Interface) -> bool:
    return iface.mode in ("routed", "vlanif") or not iface.is_physical


# --- display interface brief ----------------------------------------------------------


def interface_brief(net: Network, dev: Device) -> list[str]:
    v7 = dev.os_major >= 7
    route = sorted((i for i in dev.interfaces.values() if _route_mode(i)), key=_brief_key)
    bridge = sorted((i for i in dev.interfaces.values() if not _route_mode(i)), key=_brief_key)
    return _route_mode_brief(net, dev, route, v7) + _bridge_mode_brief(net, dev, bridge, v7)


def _route_mode_brief(net: Network, dev: Device, route: list[Interface], v7: bool) -> list[str]:
    if v7:
        lines = [
            "Brief information on interfaces in route mode:",
            "Link: ADM - administratively down; Stby - standby",
            "Protocol: (s) - spoofing",
            "Interface            Link Protocol Primary IP        Description",
        ]
        ip_width = 18
        specials = [("InLoop0", "--"), ("NULL0", "--")]
    else:
        lines = [
            "The brief information of interface(s) under route mode:",
            "Link: ADM - administratively down; Stby - standby",
            "Protocol: (s) - spoofing",
            "Interface            Link Protocol Main IP         Description",
        ]
        ip_width = 16
        specials = [("NULL0", "--")]
    rows = [
        (name, "UP", "UP(s)", ip, "")
        for name, ip in specials
        if not any(short_name(i.name) == name for i in route)
    ]
    for iface in route:
        spoofing = iface.name.startswith(("LoopBack", "NULL", "InLoopBack"))
        if not iface.admin_up:
            link, proto = "ADM", "DOWN"
        elif spoofing:
            link, proto = "UP", "UP(s)"
        else:
            link = "UP" if net.link_up(dev, iface) else "DOWN"
            proto = link
        ip = iface.ip.split("/")[0] if iface.ip else "--"
        rows.append((short_name(iface.name), link, proto, ip, iface.description))
    rows.sort(key=lambda r: (r[0].startswith("Vlan"), r[0].rstrip("0123456789/"), r[0]))
    for name, link, proto, ip, desc in rows:
        lines.append(
            f"{name:<21}{link:<5}{proto:<9}{ip:<{ip_width}}{desc}".rstrip()
            if not desc
            else f"{name:<21}{link:<5}{proto:<9}{ip:<{ip_width}}{desc}"
        )
    lines.append("")
    return lines


def _bridge_mode_brief(net: Network, dev: Device, bridge: list[Interface], v7: bool) -> list[str]:
    if v7:
        lines = [
            "Brief information on interfaces in bridge mode:",
            "Link: ADM - administratively down; Stby - standby",
            "Speed: (a) - auto",
            "Duplex: (a)/A - auto; H - half; F - full",
            "Type: A - access; T - trunk; H - hybrid",
            "Interface            Link Speed     Duplex Type PVID Description",
        ]
        speed_width = 10
    else:
        lines = [
            "The brief information of interface(s) under bridge mode:",
            "Link: ADM - administratively down; Stby - standby",
            "Speed or Duplex: (a)/A - auto; H - half; F - full",
            "Type: A - access; T - trunk; H - hybrid",
            "Interface            Link Speed   Duplex Type PVID Description",
        ]
        speed_width = 8
    for iface in bridge:
        up = iface.admin_up and net.link_up(dev, iface)
        link = "ADM" if not iface.admin_up else ("UP" if up else "DOWN")
        speed = _speed(iface.speed_mbps) + "(a)" if up else "auto"
        duplex = "F(a)" if up else "A"
        kind = "T" if iface.mode == "trunk" else "A"
        pvid = iface.access_vlan if iface.mode == "access" else 1
        row = f"{short_name(iface.name):<21}{link:<5}{speed:<{speed_width}}{duplex:<7}{kind:<5}{pvid:<5}"
        lines.append(row + iface.description if iface.description else row.rstrip())
    return lines


def _speed(mbps: int) -> str:
    return f"{mbps // 1000}G" if mbps >= 1000 else f"{mbps}M"


# --- VLAN membership ------------------------------------------------------------------


def vlan_ids(dev: Device) -> list[int]:
    return sorted(set(dev.vlans) | {1})


def vlan_members(dev: Device, vid: int) -> tuple[list[Interface], list[Interface]]:
    """(tagged, untagged) ports of a VLAN; trunks carry VLAN 1 untagged as their PVID."""
    tagged: list[Interface] = []
    untagged: list[Interface] = []
    for iface in dev.interfaces.values():
        if not iface.is_physical or iface.mode in ("routed", "vlanif"):
            continue
        if iface.mode == "access" and iface.access_vlan == vid:
            untagged.append(iface)
        elif iface.mode == "trunk" and vid in iface.trunk_vlans:
            (untagged if vid == 1 else tagged).append(iface)
    return sorted(tagged, key=_brief_key), sorted(untagged, key=_brief_key)


def vlan_brief(dev: Device) -> list[str]:
    lines = [
        "Brief information about all VLANs:",
        "Supported Minimum VLAN ID: 1",
        "Supported Maximum VLAN ID: 4094",
        "Default VLAN ID: 1",
        "VLAN ID   Name                             Port",
    ]
    for vid in vlan_ids(dev):
        tagged, untagged = vlan_members(dev, vid)
        ports = sorted((short_name(i.name) for i in tagged + untagged), key=_port_key)
        head = f"{vid:<10}{vlan_name(dev, vid):<33}"
        if not ports:
            lines.append(head[:-1])
            continue
        # Ports wrap at 80 columns under the Port column, two spaces after each, as printed.
        current = ""
        for port in ports:
            if current and 43 + len(current) + len(port) + 2 > 80:
                lines.append(head + current)
                head, current = " " * 43, ""
            current += port + "  "
        lines.append(head + current)
    return lines


def _port_key(short: str) -> tuple:
    numbers = tuple(int(p) for p in "".join(c if c.isdigit() else " " for c in short).split())
    return (short.rstrip("0123456789/"), numbers)


def _svi(dev: Device, vid: int) -> Interface | None:
    for iface in dev.interfaces.values():
        if iface.mode == "vlanif" and vlanif_id(iface) == vid:
            return iface
    return None


def vlan_all(dev: Device) -> list[str]:
    v7 = dev.os_major >= 7
    lines: list[str] = []
    for vid in vlan_ids(dev):
        tagged, untagged = vlan_members(dev, vid)
        svi = _svi(dev, vid)
        if lines:
            lines.append("")
        lines.append(f" VLAN ID: {vid}")
        lines += _route_interface(svi, v7)
        lines.append(f" Description: {vlan_description(dev, vid)}")
        lines.append(f" Name: {vlan_name(dev, vid)}")
        if v7:
            lines += _ports7(" Tagged ports:   ", tagged) + _ports7(" Untagged ports: ", untagged)
        else:
            lines += _ports5(" Tagged   Ports:", tagged) + _ports5(" Untagged Ports:", untagged)
    return lines


# How Comware 7 and 5 word a VLAN's type and its route interface in `display vlan`.
_ROUTE_WORDS = {
    True: (" VLAN type: Static", " Route interface: ", "Configured", "Not configured", " IPv4 address: ",
           " IPv4 subnet mask: "),
    False: (" VLAN Type: static", " Route Interface: ", "configured", "not configured", " IP Address: ",
            " Subnet Mask: "),
}  # fmt: skip


def _route_interface(svi: Interface | None, v7: bool) -> list[str]:
    kind, route, configured, not_configured, address_label, mask_label = _ROUTE_WORDS[v7]
    if not (svi and svi.ip):
        return [kind, route + not_configured]
    address, length = svi.ip.split("/")
    return [kind, route + configured, address_label + address, mask_label + prefix_to_mask(int(length))]


def _ports7(label: str, ports: list[Interface]) -> list[str]:
    if not ports:
        return [label + "None"]
    names = [p.name for p in ports]
    return [label] + [
        "    " + "".join(n.ljust(30) for n in names[i : i + 2]) for i in range(0, len(names), 2)
    ]


def _ports5(label: str, ports: list[Interface]) -> list[str]:
    if not ports:
        return [label + " none"]
    names = [p.name for p in ports]
    return [label] + [
        "    " + "".join(n.ljust(25) for n in names[i : i + 3]).rstrip() for i in range(0, len(names), 3)
    ]


# --- display ospf peer ----------------------------------------------------------------


def ospf_peer(net: Network, dev: Device) -> list[str]:
    if dev.ospf is None:
        return []
    v7 = dev.os_major >= 7
    neighbors = net.ospf_neighbors(dev)
    if v7:
        lines = [
            "",
            f"         OSPF Process {dev.ospf.process} with Router ID {dev.ospf.router_id}",
            "               Neighbor Brief Information",
        ]
    else:
        lines = [
            "",
            f"          OSPF Process {dev.ospf.process} with Router ID {dev.ospf.router_id}",
            "                        Neighbor Brief Information",
        ]
    for area in dict.fromkeys(n.area for n in neighbors):
        lines.append("")
        if v7:
            lines += [
                f" Area: {area:<15}",
                " Router ID       Address         Pri Dead-Time  State             Interface",
            ]
        else:
            lines += [
                f" Area: {area}",
                " Router ID       Address         Pri  Dead-Time  Interface       State",
            ]
        for n in (n for n in neighbors if n.area == area):
            state = f"{n.state}/{n.role}" if n.role else f"{n.state}/ -"
            iface = short_name(n.interface)
            if v7:
                lines.append(
                    f" {n.router_id:<16}{n.address:<16}{n.priority:<4}{n.dead_seconds:<11}{state:<18}{iface}"
                )
            else:
                lines.append(
                    f" {n.router_id:<16}{n.address:<16}{n.priority:<5}{n.dead_seconds:<11}{iface:<16}{state}"
                )
    return lines
