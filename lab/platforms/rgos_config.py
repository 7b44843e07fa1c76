"""The RGOS running and startup configuration: `!`-separated blocks ending in `end`, interfaces
spelled with a space (`interface GigabitEthernet 0/1`), secrets as RGOS prints them with
`service password-encryption`: `enable secret 5 $1$…`, `username x password 7 …`,
`snmp-server community 7 …`, `radius-server host … key 7 …`, `ntp authentication-key 1 md5 … 7`.
"""

from __future__ import annotations

from netkb.lab.model import Device, Interface
from netkb.lab.platforms import ios_secrets as sec
from netkb.lab.platforms.ios_config import address_lines, area_text, ordered_interfaces, vlan_ranges
from netkb.lab.platforms.ios_config_servers import ntp_lines
from netkb.lab.platforms.rgos_show import rg_name


def _interface_block(dev: Device, iface: Interface) -> list[str]:
    lines = [f"interface {rg_name(iface)}"]
    if iface.is_physical and iface.mode == "access" and iface.access_vlan != 1:
        lines.append(f" switchport access vlan {iface.access_vlan}")
    elif iface.is_physical and iface.mode == "trunk":
        lines.append(" switchport mode trunk")
        if iface.trunk_vlans:
            lines.append(f" switchport trunk allowed vlan only {vlan_ranges(iface.trunk_vlans)}")
    elif iface.is_physical and iface.mode == "routed":
        lines.append(" no switchport")
    if iface.description:
        lines.append(f" description {iface.description}")
    if iface.mode in ("routed", "vlanif") or not iface.is_physical:
        lines += address_lines(dev, iface)
        if iface.ospf_cost is not None:
            lines.append(f" ip ospf cost {iface.ospf_cost}")
    if not iface.admin_up:
        lines.append(" shutdown")
    return [*lines, "!"]


def config_body(dev: Device) -> list[str]:
    """Every line from `version` to `end`."""
    out = ["!", f"version {dev.software}", f"hostname {dev.name}", "!"]
    for vid in sorted(set(dev.vlans) | {1}):
        out.append(f"vlan {vid}")
        vlan = dev.vlans.get(vid)
        if vid != 1 and vlan and vlan.name:
            out.append(f" name {vlan.name}")
        out.append("!")
    enable = dev.enable_password if dev.enable_password is not None else dev.secrets.super_password
    if enable is not None:
        out.append(f"enable secret 5 {sec.type5(enable, dev.name)}")
    for local_user in dev.secrets.users:
        privilege = f" privilege {local_user.level}" if local_user.level != 1 else ""
        cipher = sec.type7_encode(local_user.password, dev.name)
        out.append(f"username {local_user.name}{privilege} password 7 {cipher}")
    out += ["!", "service password-encryption", "!"]
    for aaa in dev.secrets.aaa_servers:
        kind = "radius" if aaa.kind == "radius" else "tacacs"
        out.append(f"{kind}-server host {aaa.host} key 7 {sec.type7_encode(aaa.key, dev.name)}")
    if dev.secrets.aaa_servers:
        out += ["aaa new-model", "aaa authentication login default group radius local", "!"]
    for community in dev.secrets.snmp_communities:
        access = "rw" if community.access == "write" else "ro"
        out.append(f"snmp-server community 7 {sec.type7_encode(community.name, dev.name)} {access}")
    for user in dev.secrets.snmp_users:
        auth, priv = (sec.type7_encode(key, dev.name) for key in (user.auth_key, user.priv_key))
        out.append(f"snmp-server user {user.name} {user.group} v3 auth md5 7 {auth} priv des56 7 {priv}")
    out += ["snmp-server location " + dev.building, "!", "clock timezone beijing 8", "!"]
    for iface in ordered_interfaces(dev):
        out += _interface_block(dev, iface)
    if dev.ospf:
        out.append(f"router ospf {dev.ospf.process}")
        out.append(f" router-id {dev.ospf.router_id}")
        for area in dev.ospf.areas:
            if area.md5_key:
                out.append(f" area {area_text(area.area)} authentication message-digest")
            for net, wildcard in area.networks:
                out.append(f" network {net} {wildcard} area {area_text(area.area)}")
        out.append("!")
    for prefix, mask, hop in dev.static_routes:
        out.append(f"ip route {prefix} {mask} {hop}")
    out += list(dev.extra_config)
    out += ntp_lines(dev)
    out += ["!", "line console 0", "line vty 0 4", " login local", " transport input ssh", "!", "end"]
    return out


def _framed(body: list[str]) -> str:
    size = len(("\n".join(body) + "\n").encode("utf-8"))
    lines = ["Building configuration...", f"Current configuration : {size} bytes", "", *body]
    return "\r\n".join(lines) + "\r\n"


def running_config(dev: Device) -> str:
    return _framed(config_body(dev))


def startup_config(dev: Device) -> str:
    return _framed(config_body(dev.saved if dev.saved is not None else dev))
