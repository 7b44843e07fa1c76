"""Cisco IOS running/startup configuration, rendered from the device model.

The layout follows a Catalyst 2960X/3850 on IOS 15.2 / IOS-XE 16 (see
tests/lab/reference/ios/show_running-config.txt): header comments, `version`, services,
hostname, secrets, AAA, VTP-transparent VLANs, interfaces, OSPF, routes, ACLs, SNMP, AAA
servers, banner, lines, NTP, `end`.
"""

from __future__ import annotations

import re
import time

from netkb.lab.model import Device, Interface, ospf_area_of, prefix_to_mask
from netkb.lab.platforms import ios_secrets as sec
from netkb.lab.platforms.ios_config_servers import aaa_lines, ntp_lines, snmp_and_server_lines

TZ_NAME = "CST"  # China Standard Time, `clock timezone CST 8 0`
TZ_OFFSET = 8 * 3600
NVRAM_BYTES = {True: 2097152, False: 524288}  # IOS-XE 3850 vs classic 2960X
LOG_BUFFER_BYTES = 16384
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- shared helpers (also used by ios_show / ios_configmode) -------------------------


def local_time(epoch: float) -> time.struct_time:
    return time.gmtime(epoch + TZ_OFFSET)


def ios_datetime(epoch: float, msec: bool = False) -> str:
    """`10:12:01 CST Thu Nov 26 2026` (the form of show clock and config comments)."""
    t = local_time(epoch)
    frac = f".{int(epoch * 1000) % 1000:03d}" if msec else ""
    return (
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}{frac} {TZ_NAME} "
        f"{_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday} {t.tm_year}"
    )


def log_stamp(epoch: float) -> str:
    """`Nov 26 10:12:01.123 CST` (`service timestamps log datetime msec localtime show-timezone`)."""
    t = local_time(epoch)
    return (
        f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday:2d} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
        f".{int(epoch * 1000) % 1000:03d} {TZ_NAME}"
    )


def software_tuple(dev: Device) -> tuple[int, int, int]:
    """(15, 2, 7) from "15.2(7)E3"; (16, 9, 5) from "16.9.5"."""
    nums = [int(n) for n in re.findall(r"\d+", dev.software)[:3]]
    return tuple(([*nums, 0, 0, 0])[:3])  # type: ignore[return-value]


def version_line(dev: Device) -> str:
    major, minor, _ = software_tuple(dev)
    return f"{major}.{minor}" if major else "15.2"


def is_xe(dev: Device) -> bool:
    """IOS-XE boxes (3850/3650/9k) print XE-style version, memory and environment output."""
    return dev.model.upper().startswith(("WS-C3850", "WS-C3650", "C9")) or software_tuple(dev)[0] >= 16


def legacy_secrets(dev: Device) -> bool:
    """Images before 15.2 have no type 8/9: secrets print as type 5 (`$1$`)."""
    return software_tuple(dev)[:2] < (15, 2)


def enable_secret(dev: Device) -> str | None:
    return dev.enable_password if dev.enable_password is not None else dev.secrets.super_password


def vlan_of(iface: Interface) -> int:
    return int("".join(ch for ch in iface.name if ch.isdigit()) or 0)


def if_name(iface: Interface) -> str:
    """The IOS spelling; an SVI is `VlanN` whatever the model called it."""
    if iface.mode == "vlanif" or iface.name.lower().startswith("vlan"):
        return f"Vlan{vlan_of(iface)}"
    return iface.name


_SHORT = (
    ("TwentyFiveGigE", "Twe"),
    ("TenGigabitEthernet", "Te"),
    ("FortyGigabitEthernet", "Fo"),
    ("GigabitEthernet", "Gi"),
    ("FastEthernet", "Fa"),
    ("Port-channel", "Po"),
    ("Loopback", "Lo"),
    ("Vlan", "Vl"),
)


def short_name(name: str) -> str:
    for long, short in _SHORT:
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def _natural(name: str) -> list:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def ordered_interfaces(dev: Device) -> list[Interface]:
    """IOS order: Loopback, Port-channel, physical ports, then SVIs by VLAN number."""

    def key(iface: Interface) -> tuple:
        name = if_name(iface)
        rank = 0 if name.startswith("Loopback") else 1 if name.startswith("Port-channel") else 2
        if name.startswith("Vlan"):
            rank = 3
        return (rank, _natural(name))

    return sorted(dev.interfaces.values(), key=key)


def area_text(area: str) -> str:
    """IOS prints an area in the form it was entered; the campus configs use decimal."""
    if "." not in area:
        return area
    a, b, c, d = (int(x) for x in area.split("."))
    return str((a << 24) | (b << 16) | (c << 8) | d)


def vlan_ranges(vids: list[int]) -> str:
    """`10,20,30-32` as `switchport trunk allowed vlan` prints a list."""
    vids = sorted(set(vids))
    parts, i = [], 0
    while i < len(vids):
        j = i
        while j + 1 < len(vids) and vids[j + 1] == vids[j] + 1:
            j += 1
        parts.append(
            str(vids[i]) if j == i else f"{vids[i]}-{vids[j]}" if j > i + 1 else f"{vids[i]},{vids[j]}"
        )
        i = j + 1
    return ",".join(parts)


def last_change(dev: Device) -> tuple[float, str] | None:
    """When and by whom the config last changed: the newest %SYS-5-CONFIG_I entry."""
    for entry in reversed(dev.logbuffer):
        if entry.mnemonic == "CONFIG_I":
            match = re.search(r"by (\S+)", entry.text)
            return entry.when, match.group(1) if match else dev.username
    return None


def banner_lines(dev: Device) -> list[str]:
    """The campus MOTD (also what the shell prints at login)."""
    return [
        "***************************************************************",
        f"  {dev.building} - {dev.name} ({dev.model})",
        "  Campus network equipment. Authorized access only.",
        "  校园网设备，仅限授权人员访问，所有操作均被记录。",
        "***************************************************************",
    ]


# --- the configuration ------------------------------------------------------------------


def address_lines(dev: Device, iface: Interface) -> list[str]:
    """The interface's address and, in an OSPF area with MD5, its key; none without an address."""
    if not iface.ip:
        return []
    address, length = iface.ip.split("/")
    lines = [f" ip address {address} {prefix_to_mask(int(length))}"]
    area = ospf_area_of(dev.ospf, iface.ip) if dev.ospf else None
    key = next((a.md5_key for a in dev.ospf.areas if a.area == area), None) if dev.ospf else None
    if key:
        lines.append(f" ip ospf message-digest-key 1 md5 7 {sec.type7_encode(key, dev.name)}")
    return lines


def _interface_block(dev: Device, iface: Interface) -> list[str]:
    name = if_name(iface)
    lines = [f"interface {name}"]
    if iface.description:
        lines.append(f" description {iface.description}")
    layer3 = iface.mode in ("routed", "vlanif") or not iface.is_physical
    if iface.is_physical and iface.mode == "access":
        if iface.access_vlan != 1:
            lines.append(f" switchport access vlan {iface.access_vlan}")
        lines.append(" switchport mode access")
    elif iface.is_physical and iface.mode == "trunk":
        if iface.trunk_vlans:
            lines.append(f" switchport trunk allowed vlan {vlan_ranges(iface.trunk_vlans)}")
        lines.append(" switchport mode trunk")
    elif iface.is_physical and iface.mode == "routed":
        lines.append(" no switchport")
    if layer3:
        lines += address_lines(dev, iface) or [" no ip address"]
        if iface.ospf_cost is not None:
            lines.append(f" ip ospf cost {iface.ospf_cost}")
    if not iface.admin_up:
        lines.append(" shutdown")
    if iface.is_physical and iface.mode == "access":
        lines.append(" spanning-tree portfast")
    lines.append("!")
    return lines


def _secret_lines(dev: Device) -> list[str]:
    legacy = legacy_secrets(dev)
    lines = []
    enable = enable_secret(dev)
    if enable is not None:
        form = f"5 {sec.type5(enable, dev.name)}" if legacy else f"9 {sec.type9(enable, dev.name)}"
        lines += [f"enable secret {form}", "!"]
    for user in dev.secrets.users:
        if user.level >= 15:
            form = (
                f"5 {sec.type5(user.password, dev.name)}"
                if legacy
                else f"8 {sec.type8(user.password, dev.name)}"
            )
            lines.append(f"username {user.name} privilege {user.level} secret {form}")
        else:
            privilege = f" privilege {user.level}" if user.level != 1 else ""
            lines.append(
                f"username {user.name}{privilege} password 7 {sec.type7_encode(user.password, dev.name)}"
            )
    return lines


def config_body(dev: Device) -> list[str]:
    """Every line from `version` to `end`."""
    out = _header_lines(dev)
    out += _secret_lines(dev)
    out += aaa_lines(dev)
    out += [f"clock timezone {TZ_NAME} 8 0", f"switch 1 provision {dev.model.lower()}", "!"]
    out += ["no ip domain-lookup", "ip domain-name campus.edu.cn", "!", "!"]
    out += [
        "vtp mode transparent",
        "!",
        "spanning-tree mode rapid-pvst",
        "spanning-tree extend system-id",
        "!",
    ]
    out += ["vlan internal allocation policy ascending", "!"]
    out += _vlan_lines(dev)
    for iface in ordered_interfaces(dev):
        out += _interface_block(dev, iface)
    out += _ospf_lines(dev)
    out += ["ip forward-protocol nd", "no ip http server", "no ip http secure-server", "!"]
    for prefix, mask, hop in dev.static_routes:
        out.append(f"ip route {prefix} {mask} {hop}")
    out += ["ip ssh version 2", "!"]
    out += _acl_lines(dev)
    out += snmp_and_server_lines(dev)
    out += list(dev.extra_config)
    out += ["!", "!", "banner motd ^C", *banner_lines(dev), "^C", "!"]
    out += [
        "line con 0",
        " stopbits 1",
        "line vty 0 4",
        " transport preferred none",
        " transport input ssh",
        "line vty 5 15",
        " transport preferred none",
        " transport input ssh",
        "!",
    ]
    out += ntp_lines(dev)
    out.append("end")
    return out


def _header_lines(dev: Device) -> list[str]:
    return [
        f"version {version_line(dev)}",
        "no service pad",
        "service timestamps debug datetime msec localtime show-timezone",
        "service timestamps log datetime msec localtime show-timezone",
        "service password-encryption",
        "!",
        f"hostname {dev.name}",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
        f"logging buffered {LOG_BUFFER_BYTES}",
    ]


def _vlan_lines(dev: Device) -> list[str]:
    out = []
    for vid in sorted(dev.vlans):
        if vid == 1:
            continue
        out.append(f"vlan {vid}")
        if dev.vlans[vid].name:
            out.append(f" name {dev.vlans[vid].name}")
        out.append("!")
    out.append("!")
    return out


def _ospf_lines(dev: Device) -> list[str]:
    if not dev.ospf:
        return []
    out = [f"router ospf {dev.ospf.process}", f" router-id {dev.ospf.router_id}"]
    for area in dev.ospf.areas:
        if area.md5_key:
            out.append(f" area {area_text(area.area)} authentication message-digest")
    for area in dev.ospf.areas:
        for net, wildcard in area.networks:
            out.append(f" network {net} {wildcard} area {area_text(area.area)}")
    out.append("!")
    return out


def _acl_lines(dev: Device) -> list[str]:
    out = []
    for name, rules in dev.acls.items():
        if name.isdigit() and int(name) < 100:
            out += [f"access-list {name} {rule}" for rule in rules]
        else:
            out.append(f"ip access-list extended {name}")
            out += [f" {rule}" for rule in rules]
        out.append("!")
    return out


def _byte_count(lines: list[str]) -> int:
    # IOS counts the stored text: newline-terminated lines, descriptions as their UTF-8 bytes.
    return len(("\n".join(lines) + "\n").encode("utf-8"))


def running_config(dev: Device) -> str:
    change = last_change(dev)
    header = ["!"]
    if change is not None:
        header.append(f"! Last configuration change at {ios_datetime(change[0])} by {change[1]}")
    else:
        header.append(f"! Last configuration change at {ios_datetime(dev.boot_time + 41)}")
    header.append("!")
    body = header + config_body(dev)
    lines = ["Building configuration...", "", f"Current configuration : {_byte_count(body)} bytes", *body]
    return "\r\n".join(lines) + "\r\n"


def startup_config(dev: Device) -> str:
    stored = dev.saved if dev.saved is not None else dev
    body = ["!", *config_body(stored)]
    lines = [f"Using {_byte_count(body)} out of {NVRAM_BYTES[is_xe(dev)]} bytes", *body]
    return "\r\n".join(lines) + "\r\n"
