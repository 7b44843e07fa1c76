"""`show` renderers for network state: OSPF, VLANs, interfaces, logging, clock and NTP.

Layouts follow the real samples under tests/lab/reference/ios/ (sources in SOURCES.md).
"""

from __future__ import annotations

import re

from netkb.lab.model import Device, Network
from netkb.lab.platforms.ios_config import (
    LOG_BUFFER_BYTES,
    if_name,
    ios_datetime,
    log_stamp,
    ordered_interfaces,
    short_name,
)
from netkb.lab.platforms.ios_show import hex_of


def ntp_synced(dev: Device) -> bool:
    return bool(dev.secrets.ntp_servers)


def show_ospf_neighbor(net: Network, dev: Device) -> list[str]:
    neighbors = net.ospf_neighbors(dev)
    if not neighbors:
        return []
    out = ["", "Neighbor ID     Pri   State           Dead Time   Address         Interface"]
    for n in neighbors:
        state = f"{n.state.upper()}/{n.role.upper()}"
        dead = f"00:00:{n.dead_seconds:02d}"
        out.append(f"{n.router_id:<15}{n.priority:>4}   {state:<16}{dead:<12}{n.address:<16}{n.interface}")
    return out


def show_vlan_brief(dev: Device) -> list[str]:
    out = [
        "",
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
    ]
    vids = sorted(set(dev.vlans) | {1})
    for vid in vids:
        vlan = dev.vlans.get(vid)
        name = (vlan.name if vlan and vlan.name else ("default" if vid == 1 else f"VLAN{vid:04d}"))[:32]
        ports = [
            short_name(i.name)
            for i in ordered_interfaces(dev)
            if i.is_physical and i.mode == "access" and i.access_vlan == vid
        ]
        chunks = [ports[i : i + 4] for i in range(0, len(ports), 4)] or [[]]
        out.append(f"{vid:<4} {name:<32} {'active':<9} {', '.join(chunks[0])}")
        for chunk in chunks[1:]:
            out.append(" " * 48 + ", ".join(chunk))
    for vid, name in (
        (1002, "fddi-default"),
        (1003, "token-ring-default"),
        (1004, "fddinet-default"),
        (1005, "trnet-default"),
    ):
        out.append(f"{vid:<4} {name:<32} act/unsup ")
    return out


def _ios_message(entry) -> tuple[str, int, str, str]:
    """The shell logs logins in neutral words; IOS says them with its own facility and text."""
    who = re.match(r"(\S+) logged (?:in|out) from (\S+?)\.?$", entry.text)
    user, source = who.groups() if who else ("netkb", "127.0.0.1")
    if entry.mnemonic == "SHELL_LOGIN":
        text = (
            f"Login Success [user: {user}] [Source: {source}] [localport: 22] at {ios_datetime(entry.when)}"
        )
        return "SEC_LOGIN", 5, "LOGIN_SUCCESS", text
    if entry.mnemonic == "SHELL_LOGOUT":
        return "SYS", 6, "LOGOUT", f"User {user} has exited tty session 2({source})"
    facility = entry.module.upper().replace(" ", "_")
    return facility, entry.severity, entry.mnemonic.upper().replace(" ", "_"), entry.text


def log_line(entry, synced: bool) -> str:
    facility, severity, mnemonic, text = _ios_message(entry)
    star = "" if synced else "*"
    return f"{star}{log_stamp(entry.when)}: %{facility}-{severity}-{mnemonic}: {text}"


def show_logging(dev: Device) -> list[str]:
    count = len(dev.logbuffer)
    out = [
        "Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, "
        "xml disabled, filtering disabled)",
        "",
        "No Active Message Discriminator.",
        "",
        "",
        "",
        "No Inactive Message Discriminator.",
        "",
        "",
        "    Console logging: level debugging, 0 messages logged, xml disabled,",
        "                     filtering disabled",
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
        "                     filtering disabled",
        f"    Buffer logging:  level debugging, {count} messages logged, xml disabled,",
        "                    filtering disabled",
        "    Exception Logging: size (4096 bytes)",
        "    Count and timestamp logging messages: disabled",
        "    Persistent logging: disabled",
        "",
        "No active filter modules.",
        "",
        f"    Trap logging: level informational, {count} message lines logged",
        "        Logging Source-Interface:       VRF Name:",
        "",
        f"Log Buffer ({LOG_BUFFER_BYTES} bytes):",
        "",
    ]
    synced = ntp_synced(dev)
    return out + [log_line(entry, synced) for entry in dev.logbuffer]


def link_states(net: Network, dev: Device, iface) -> tuple[str, str]:
    if not iface.admin_up:
        return "administratively down", "down"
    up = net.link_up(dev, iface)
    return ("up", "up") if up else ("down", "down")


def show_ip_interface_brief(net: Network, dev: Device) -> list[str]:
    out = ["Interface              IP-Address      OK? Method Status                Protocol"]
    for iface in ordered_interfaces(dev):
        status, proto = link_states(net, dev, iface)
        address = iface.ip.split("/")[0] if iface.ip else "unassigned"
        method = "NVRAM" if iface.ip else "unset"
        out.append(f"{if_name(iface):<22} {address:<16}YES {method:<6} {status:<22}{proto}")
    return out


def _pad_bytes(text: str, width: int) -> str:
    """IOS pads and cuts by bytes (a UTF-8 Chinese character takes three columns of the budget)."""
    out, used = "", 0
    for ch in text:
        size = len(ch.encode("utf-8"))
        if used + size > width:
            break
        out, used = out + ch, used + size
    return out + " " * (width - used)


def show_interfaces_status(net: Network, dev: Device) -> list[str]:
    out = ["", "Port      Name               Status       Vlan       Duplex  Speed Type "]
    for iface in ordered_interfaces(dev):
        if not iface.is_physical:
            continue
        if not iface.admin_up:
            status = "disabled"
        else:
            status = "connected" if net.link_up(dev, iface) else "notconnect"
        vlan = {"trunk": "trunk", "routed": "routed"}.get(iface.mode, str(iface.access_vlan))
        sfp = iface.name.startswith("TenGigabitEthernet") or "/1/" in iface.name
        if status == "connected":
            duplex, speed = (
                ("full", "10G") if iface.speed_mbps >= 10000 else ("a-full", f"a-{iface.speed_mbps}")
            )
        else:
            duplex, speed = "auto", "auto"
        if sfp:
            kind = (
                ("SFP-10GBase-SR" if iface.speed_mbps >= 10000 else "1000BaseSX SFP")
                if iface.cabled
                else "Not Present"
            )
        else:
            kind = "10/100/1000BaseTX"
        name = _pad_bytes(iface.description, 18)
        out.append(
            f"{short_name(iface.name):<9} {name} {status:<12} {vlan:<10} {duplex:>6} {speed:>6} {kind}"
        )
    return out


def show_clock(dev: Device) -> list[str]:
    return [("" if ntp_synced(dev) else "*") + ios_datetime(dev.now(), msec=True)]


def show_ntp_status(dev: Device) -> list[str]:
    now = dev.now()
    up = int((now - dev.boot_time) * 100)
    if not ntp_synced(dev):
        return [
            "Clock is unsynchronized, stratum 16, no reference clock",
            "nominal freq is 286.1023 Hz, actual freq is 286.1023 Hz, precision is 2**21",
            f"ntp uptime is {up} (1/100 of seconds), resolution is 3496",
            "reference time is 00000000.00000000 (08:00:00.000 CST Mon Jan 1 1900)",
            "clock offset is 0.0000 msec, root delay is 0.00 msec",
            "root dispersion is 0.00 msec, peer dispersion is 0.00 msec",
            "loopfilter state is 'FSET' (Drift set from file), drift is 0.000000000 s/s",
            f"system poll interval is 64, last update was {int(now - dev.boot_time)} sec ago.",
        ]
    ref = dev.secrets.ntp_servers[0].address
    ago = 17 + dev.rng.randint(0, 900)
    ntp_seconds = int(now - ago) + 2208988800
    offset = dev.rng.uniform(-1.5, 1.5)
    return [
        f"Clock is synchronized, stratum 3, reference is {ref}        ",
        "nominal freq is 286.1023 Hz, actual freq is 286.1009 Hz, precision is 2**21",
        f"ntp uptime is {up} (1/100 of seconds), resolution is 3496",
        f"reference time is {ntp_seconds:08X}.{hex_of(dev, str(ago), 8)} "
        f"({ios_datetime(now - ago, msec=True)})",
        f"clock offset is {offset:.4f} msec, root delay is 2.34 msec",
        f"root dispersion is {abs(offset) * 3 + 1:.2f} msec, peer dispersion is 1.07 msec",
        "loopfilter state is 'CTRL' (Normal Controlled Loop), drift is 0.000004934 s/s",
        f"system poll interval is 1024, last update was {ago} sec ago.",
    ]
