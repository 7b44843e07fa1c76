"""The VRP running configuration (`display current-configuration`), rendered from the model.

The layout follows real S-series V200R0xx configs (see tests/lab/reference/vrp/): `#` between
sections, `vlan batch` with `a to b` ranges ten items a line, vlan blocks without separators,
Vlanif interfaces before the physical ones, `NULL0` last, and `return` at the end.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable

from netkb.lab.model import Device, Interface, prefix_to_mask
from netkb.lab.platforms.vrp_common import (
    CONFIG_ORDER,
    NL,
    TAIL_ORDER,
    TZ_NAME,
    cipher,
    irreversible,
    release,
    sort_key,
    split_name,
    vlan_list_lines,
)

# Turns a plain secret into its `%^%#...%^%#` form.
Encrypt = Callable[[str], str]


def running_config(dev: Device, rng: random.Random) -> str:
    """The configuration text; reversible secrets are salted from `rng` (fresh on every display)."""
    return NL.join(config_lines(dev, rng)) + NL


def saved_config(dev: Device) -> str:
    """The saved file: its cipher text was fixed when it was written, so it is stable between displays."""
    snapshot = dev.saved if dev.saved is not None else dev
    plain = NL.join(config_lines(snapshot, random.Random(0)))
    seed = hashlib.sha256(f"{dev.name}\0{plain}".encode()).digest()
    return running_config(snapshot, random.Random(seed))


def config_lines(dev: Device, rng: random.Random) -> list[str]:
    def enc(plain: str) -> str:
        return cipher(plain, rng)

    sec = dev.secrets
    out = [f"!Software Version {release(dev)}", "#", f"sysname {dev.name}", "#"]
    vids = sorted(v for v in dev.vlans if v != 1)
    if vids:
        out += [*vlan_list_lines("vlan batch", vids), "#"]
    out += [f"clock timezone {TZ_NAME} add 08:00:00", "#"]
    if sec.super_password:
        out += [f"super password level 15 cipher {enc(sec.super_password)}", "#"]
    if dev.extra_config:
        out += [*dev.extra_config, "#"]
    for server in sec.aaa_servers:
        out += [*aaa_server_lines(server.kind, server.scheme, server.host, enc(server.key)), "#"]
    for number, rules in sorted(dev.acls.items(), key=lambda item: (not item[0].isdigit(), item[0])):
        head = f"acl number {number}" if number.isdigit() else f"acl name {number}"
        out += [head, *(f" {rule.strip()}" for rule in rules), "#"]
    # VLAN 1 named "default" with no description is VRP's built-in state and not printed.
    described = [
        vlan
        for vid, vlan in sorted(dev.vlans.items())
        if vlan.description or (vlan.name and not (vid == 1 and vlan.name == "default"))
    ]
    if described:
        for vlan in described:
            out.append(f"vlan {vlan.vid}")
            if vlan.description:
                out.append(f" description {vlan.description}")
            if vlan.name:
                out.append(f" name {vlan.name}")
        out.append("#")
    out += [*aaa_lines(dev, enc), "#"]
    if sec.ntp_servers:
        out += [*ntp_lines(dev, enc), "#"]
    for iface in ordered_interfaces(dev):
        out += [f"interface {iface.name}", *interface_body(iface), "#"]
    if dev.ospf is not None:
        out += [*ospf_lines(dev, enc), "#"]
    if dev.static_routes:
        out += [f"ip route-static {p} {m} {nh}" for p, m, nh in dev.static_routes] + ["#"]
    out += [*snmp_lines(dev, enc), "#"]
    out += [
        "stelnet server enable",
        f"ssh user {dev.username}",
        f"ssh user {dev.username} authentication-type password",
        f"ssh user {dev.username} service-type stelnet",
        "#",
        "user-interface con 0",
        " authentication-mode aaa",
        "user-interface vty 0 4",
        " authentication-mode aaa",
        " protocol inbound ssh",
        "user-interface vty 16 20",
        "#",
        "return",
    ]
    return out


def ordered_interfaces(dev: Device) -> list[Interface]:
    """Config order: Vlanif, MEth, trunks, physical ports, then NULL0 and loopbacks."""
    rank = {kind: i for i, kind in enumerate(CONFIG_ORDER + TAIL_ORDER)}
    ifaces = list(dev.interfaces.values())
    if not any(split_name(i.name)[0] == "NULL" for i in ifaces):
        ifaces.append(Interface(name="NULL0", mode="routed"))
    return sorted(
        ifaces, key=lambda i: (rank.get(split_name(i.name)[0], len(CONFIG_ORDER)), sort_key(i.name))
    )


def interface_body(iface: Interface) -> list[str]:
    kind = split_name(iface.name)[0]
    lines = []
    if iface.description:
        lines.append(f" description {iface.description}")
    if not iface.admin_up:
        lines.append(" shutdown")
    if kind in ("NULL", "LoopBack", "Vlanif", "MEth") or iface.mode in ("routed", "vlanif"):
        if iface.mode == "routed" and kind not in ("NULL", "LoopBack", "Vlanif", "MEth"):
            lines.append(" undo portswitch")
        if iface.ip:
            address, length = iface.ip.split("/")
            lines.append(f" ip address {address} {prefix_to_mask(int(length))}")
    elif iface.mode == "trunk":
        lines.append(" port link-type trunk")
        if 1 not in iface.trunk_vlans:
            lines.append(" undo port trunk allow-pass vlan 1")
        lines += vlan_list_lines(" port trunk allow-pass vlan", [v for v in iface.trunk_vlans if v != 1])
    else:
        lines.append(" port link-type access")
        if iface.access_vlan != 1:
            lines.append(f" port default vlan {iface.access_vlan}")
    if iface.ospf_cost is not None:
        lines.append(f" ospf cost {iface.ospf_cost}")
    return lines


def aaa_server_lines(kind: str, scheme: str, host: str, key_cipher: str) -> list[str]:
    if kind == "radius":
        return [
            f"radius-server template {scheme}",
            f" radius-server shared-key cipher {key_cipher}",
            f" radius-server authentication {host} 1812 weight 80",
            f" radius-server accounting {host} 1813 weight 80",
        ]
    return [  # hwtacacs (VRP's TACACS+)
        f"hwtacacs-server template {scheme}",
        f" hwtacacs-server authentication {host}",
        f" hwtacacs-server authorization {host}",
        f" hwtacacs-server accounting {host}",
        f" hwtacacs-server shared-key cipher {key_cipher}",
    ]


def aaa_lines(dev: Device, enc: Encrypt) -> list[str]:
    out = [
        "aaa",
        " authentication-scheme default",
        " authorization-scheme default",
        " accounting-scheme default",
        " domain default",
        " domain default_admin",
    ]
    for user in dev.secrets.users:
        if user.name == dev.username:
            hashed = irreversible(user.password, dev.name)
            out.append(f" local-user {user.name} password irreversible-cipher {hashed}")
        else:
            # Accounts created before the upgrade to V200R keep the reversible form.
            out.append(f" local-user {user.name} password cipher {enc(user.password)}")
        out.append(f" local-user {user.name} privilege level {user.level}")
        if user.services:
            out.append(f" local-user {user.name} service-type {' '.join(user.services)}")
    return out


def ntp_lines(dev: Device, enc: Encrypt) -> list[str]:
    out = []
    keyed = [s for s in dev.secrets.ntp_servers if s.key_id is not None and s.key]
    if keyed:
        out.append("ntp-service authentication enable")
        for server in keyed:
            key = enc(server.key or "")
            out.append(
                f"ntp-service authentication-keyid {server.key_id} authentication-mode md5 cipher {key}"
            )
            out.append(f"ntp-service reliable authentication-keyid {server.key_id}")
    for server in dev.secrets.ntp_servers:
        suffix = f" authentication-keyid {server.key_id}" if server.key_id is not None and server.key else ""
        out.append(f"ntp-service unicast-server {server.address}{suffix}")
    return out


def ospf_lines(dev: Device, enc: Encrypt) -> list[str]:
    assert dev.ospf is not None
    out = [f"ospf {dev.ospf.process} router-id {dev.ospf.router_id}"]
    for area in dev.ospf.areas:
        out.append(f" area {area.area}")
        if area.md5_key:
            out.append(f"  authentication-mode md5 1 cipher {enc(area.md5_key)}")
        out += [f"  network {net} {wildcard}" for net, wildcard in area.networks]
    return out


def snmp_lines(dev: Device, enc: Encrypt) -> list[str]:
    mac = dev.bridge_mac.replace("-", "").replace(":", "").replace(".", "").upper() or "00E0FC000000"
    out = ["snmp-agent", f"snmp-agent local-engineid 800007DB03{mac}"]
    for community in dev.secrets.snmp_communities:
        out.append(f"snmp-agent community {community.access} cipher {enc(community.name)}")
    out.append("snmp-agent sys-info version v2c v3")
    for group in dict.fromkeys(u.group for u in dev.secrets.snmp_users):
        out.append(f"snmp-agent group v3 {group} privacy")
    for user in dev.secrets.snmp_users:
        out += [
            f"snmp-agent usm-user v3 {user.name}",
            f"snmp-agent usm-user v3 {user.name} group {user.group}",
            f"snmp-agent usm-user v3 {user.name} authentication-mode sha cipher {enc(user.auth_key)}",
            f"snmp-agent usm-user v3 {user.name} privacy-mode aes128 cipher {enc(user.priv_key)}",
        ]
    return out
