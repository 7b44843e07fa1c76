"""The Comware running configuration (`display current-configuration` / `saved-configuration`).

Shapes follow real Comware 7 and Comware 5 configurations (tests/lab/reference/comware/):
`#` separators, one leading space for global commands, `return` as the trailer.
"""

from __future__ import annotations

from netkb.lab.model import Device, Interface, ospf_area_of, prefix_to_mask
from netkb.lab.platforms.comware_text import (
    TZ_NAME,
    cipher,
    cipher7,
    hash7,
    interface_sort_key,
    vlan_description,
    vlan_list,
    vlan_name,
)


def render_config(dev: Device) -> list[str]:
    """Every line of the configuration, `#` separators included, ending with `return`."""
    v7 = dev.os_major >= 7
    blocks: list[list[str]] = [
        [f" version {dev.software}"],
        [f" sysname {dev.name}"],
        [f" clock timezone {TZ_NAME} add 08:00:00"] + ([" clock protocol ntp"] if v7 else []),
    ]
    if v7:  # a standalone Comware 7 box prints its IRF block too, as member 1
        blocks.append(_irf(dev))
    if dev.ospf is not None:
        blocks.append(_ospf(dev, v7))
    if v7:
        blocks.append([" lldp global enable"])
        blocks.append([" password-recovery enable"])
    else:
        blocks.append([" domain default enable system"])
        blocks.append([" password-recovery enable"])
    for acl_id, rules in dev.acls.items():
        blocks.append(_acl(dev, acl_id, rules))
    for vid in sorted(set(dev.vlans) | {1}):
        blocks.append(_vlan(dev, vid))
    if dev.role == "firewall":
        blocks.extend(_security_zones(dev))
    if not v7:
        blocks.extend(_aaa(dev, v7))
        blocks.extend(_local_users(dev, v7))
    for name in sorted(dev.interfaces, key=interface_sort_key):
        blocks.append(_interface(dev, dev.interfaces[name], v7))
    if dev.static_routes:
        blocks.append([f" ip route-static {p} {_mask_len(m)} {nh}" for p, m, nh in dev.static_routes])
    blocks.append(_snmp(dev, v7))
    if dev.secrets.ntp_servers:
        blocks.append(_ntp(dev, v7))
    blocks.append([" ssh server enable"])
    if dev.secrets.ike_peers:
        blocks.extend(_ike(dev))
    if v7:
        blocks.append(_lines_v7())
        blocks.extend(_aaa(dev, v7))
        blocks.extend(_local_users(dev, v7))
        if dev.secrets.super_password:
            blocks.append(
                [f" super password role network-admin hash {hash7(dev, dev.secrets.super_password)}"]
            )
    else:
        if dev.secrets.super_password:
            blocks.append([f" super password level 3 cipher {cipher(dev, dev.secrets.super_password)}"])
        blocks.append(_user_interfaces_v5())
    for line in dev.extra_config:
        blocks.append([line])
    out = ["#"]
    for block in blocks:
        out.extend(block)
        out.append("#")
    out.append("return")
    return out


def _mask_len(mask: str) -> str:
    bits = sum(bin(int(octet)).count("1") for octet in mask.split("."))
    return str(bits)


def _irf(dev: Device) -> list[str]:
    lines = [" irf mac-address persistent timer", " irf auto-update enable", " undo irf link-delay"]
    members = [(m.member, m.priority) for m in dev.irf] or [(1, 1)]
    lines += [f" irf member {member} priority {priority}" for member, priority in members]
    return lines


def _ospf(dev: Device, v7: bool) -> list[str]:
    ospf = dev.ospf
    assert ospf is not None
    lines = [f"ospf {ospf.process} router-id {ospf.router_id}"]
    for area in ospf.areas:
        lines.append(f" area {area.area}")
        if area.md5_key:
            if v7:
                lines.append(f"  authentication-mode md5 1 cipher {cipher7(dev, area.md5_key)}")
            else:  # Comware 5 keeps the key on the interfaces, the area only names the mode
                lines.append("  authentication-mode md5")
        for net, wildcard in area.networks:
            lines.append(f"  network {net} {wildcard}")
    return lines


def _acl(dev: Device, acl_id: str, rules: list[str]) -> list[str]:
    number = int(acl_id) if acl_id.isdigit() else 0
    kind = "basic" if 2000 <= number < 3000 else "advanced"
    if dev.os_major >= 7:
        head = f"acl {kind} {acl_id}" if acl_id.isdigit() else f"acl advanced name {acl_id}"
    else:
        head = f"acl number {acl_id}" if acl_id.isdigit() else f"acl name {acl_id}"
    return [head] + [f" {rule}" for rule in rules]


def _vlan(dev: Device, vid: int) -> list[str]:
    lines = [f"vlan {vid}"]
    default = f"VLAN {vid:04d}"
    if vlan_name(dev, vid) != default:
        lines.append(f" name {vlan_name(dev, vid)}")
    if vlan_description(dev, vid) != default:
        lines.append(f" description {vlan_description(dev, vid)}")
    return lines


def _security_zones(dev: Device) -> list[list[str]]:
    trust = [i.name for i in dev.interfaces.values() if i.mode == "routed" and i.peer and i.is_physical]
    untrust = [i.name for i in dev.interfaces.values() if i.mode == "routed" and not i.peer and i.is_physical]
    zones = [("Local", []), ("Trust", trust), ("DMZ", []), ("Untrust", untrust), ("Management", [])]
    return [
        [f"security-zone name {zone}"] + [f" import interface {name}" for name in names]
        for zone, names in zones
    ]


def _interface(dev: Device, iface: Interface, v7: bool) -> list[str]:
    lines = [f"interface {iface.name}"]
    chassis_switch = v7 and dev.role != "firewall" and any(b.chassis is not None for b in dev.boards)
    if iface.mode == "routed" and iface.is_physical and dev.role != "firewall":
        lines.append(" port link-mode route")
    elif iface.mode in ("access", "trunk") and chassis_switch:
        lines.append(" port link-mode bridge")
    if iface.description:
        lines.append(f" description {iface.description}")
    if not iface.admin_up:
        lines.append(" shutdown")
    if iface.ip:
        address, length = iface.ip.split("/")
        lines.append(f" ip address {address} {prefix_to_mask(int(length))}")
    if iface.mode == "trunk":
        lines.append(" port link-type trunk")
        if 1 not in iface.trunk_vlans:
            lines.append(" undo port trunk permit vlan 1")
        permitted = [v for v in iface.trunk_vlans if v != 1]
        if permitted:
            lines.append(f" port trunk permit vlan {vlan_list(permitted)}")
    elif iface.mode == "access" and iface.is_physical and iface.access_vlan != 1:
        lines.append(f" port access vlan {iface.access_vlan}")
    if iface.ospf_cost is not None:
        lines.append(f" ospf cost {iface.ospf_cost}")
    lines += [f" packet-filter {applied}" for applied in iface.packet_filters]
    if not v7 and dev.ospf and iface.ip:
        area = ospf_area_of(dev.ospf, iface.ip)
        key = next((a.md5_key for a in dev.ospf.areas if a.area == area), None)
        if key:
            lines.append(f" ospf authentication-mode md5 1 cipher {cipher(dev, key)}")
    return lines


def _snmp(dev: Device, v7: bool) -> list[str]:
    engine = "800063A280" + dev.bridge_mac.replace("-", "").upper() + "00000001"
    lines = [" snmp-agent", f" snmp-agent local-engineid {engine}"]
    for community in dev.secrets.snmp_communities:
        if v7:
            lines.append(f" snmp-agent community {community.access} cipher {cipher7(dev, community.name)}")
        else:
            lines.append(f" snmp-agent community {community.access} {community.name}")
    lines.append(" snmp-agent sys-info version v3" if v7 else " snmp-agent sys-info version all")
    for user in dev.secrets.snmp_users:
        lines.append(f" snmp-agent group v3 {user.group} privacy")
        lines.append(
            f" snmp-agent usm-user v3 {user.name} {user.group} cipher authentication-mode sha "
            f"{cipher(dev, user.auth_key)} privacy-mode aes128 {cipher(dev, user.priv_key)}"
        )
    return lines


def _ntp(dev: Device, v7: bool) -> list[str]:
    lines = [" ntp-service enable"] if v7 else []
    keyed = [s for s in dev.secrets.ntp_servers if s.key_id is not None and s.key]
    if keyed:
        lines.append(" ntp-service authentication enable")
        for server in keyed:
            lines.append(
                f" ntp-service authentication-keyid {server.key_id} authentication-mode md5 "
                f"cipher {cipher(dev, server.key or '')}"
            )
            lines.append(f" ntp-service reliable authentication-keyid {server.key_id}")
    for server in dev.secrets.ntp_servers:
        suffix = f" authentication-keyid {server.key_id}" if server.key_id is not None and server.key else ""
        lines.append(f" ntp-service unicast-server {server.address}{suffix}")
    return lines


def _ike(dev: Device) -> list[list[str]]:
    blocks = []
    for peer in dev.secrets.ike_peers:
        blocks.append(
            [
                f"ike keychain {peer.name}",
                f" pre-shared-key address {peer.address} 255.255.255.255 key cipher {cipher7(dev, peer.psk)}",
            ]
        )
        blocks.append(
            [
                f"ike profile {peer.name}",
                f" keychain {peer.name}",
                f" match remote identity address {peer.address} 255.255.255.255",
            ]
        )
    return blocks


def _lines_v7() -> list[str]:
    return [
        "line class aux",
        " user-role network-admin",
        "#",
        "line class vty",
        " user-role network-operator",
        "#",
        "line aux 0",
        " user-role network-admin",
        "#",
        "line vty 0 63",
        " authentication-mode scheme",
        " user-role network-operator",
    ]


def _user_interfaces_v5() -> list[str]:
    return [
        "user-interface aux 0",
        " authentication-mode scheme",
        "user-interface vty 0 4",
        " authentication-mode scheme",
        " protocol inbound ssh",
        "user-interface vty 5 15",
    ]


def _aaa(dev: Device, v7: bool) -> list[list[str]]:
    blocks = []
    for server in dev.secrets.aaa_servers:
        key = cipher(dev, server.key)
        if server.kind == "radius":
            block = [f"radius scheme {server.scheme}"]
            if not v7:
                block.append(" server-type extended")
            port_auth, port_acct = ("", "") if v7 else (" 1812", " 1813")
            block += [
                f" primary authentication {server.host}{port_auth}",
                f" primary accounting {server.host}{port_acct}",
                f" key authentication cipher {key}",
                f" key accounting cipher {key}",
            ]
        else:  # hwtacacs (an IOS-style "tacacs" server is configured the same way here)
            block = [f"hwtacacs scheme {server.scheme}"]
            for part in ("authentication", "authorization", "accounting"):
                block.append(f" primary {part} {server.host}")
            for part in ("authentication", "authorization", "accounting"):
                block.append(f" key {part} cipher {key}")
        blocks.append(block)
    if v7:
        blocks.append(["domain system"])
        blocks.append([" domain default enable system"])
    else:
        blocks.append(
            [
                "domain system",
                " access-limit disable",
                " state active",
                " idle-cut disable",
                " self-service-url disable",
            ]
        )
    return blocks


def _local_users(dev: Device, v7: bool) -> list[list[str]]:
    blocks = []
    for user in dev.secrets.users:
        if v7:
            role = "network-admin" if user.level >= 15 else "network-operator"
            blocks.append(
                [
                    f"local-user {user.name} class manage",
                    f" password hash {hash7(dev, user.password)}",
                    f" service-type {' '.join(user.services)}",
                    f" authorization-attribute user-role {role}",
                ]
            )
        else:
            level = 3 if user.level >= 15 else min(user.level, 3)
            blocks.append(
                [
                    f"local-user {user.name}",
                    f" password cipher {cipher(dev, user.password)}",
                    f" authorization-attribute level {level}",
                    f" service-type {' '.join(user.services)}",
                ]
            )
    return blocks
