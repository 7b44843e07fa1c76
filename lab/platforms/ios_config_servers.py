"""The server lines of the IOS configuration: AAA groups and servers, IKE keys, SNMP
communities and groups, NTP keys and servers (RGOS prints its NTP lines the same way), each
key as IOS prints it under `service password-encryption`."""

from __future__ import annotations

from netkb.lab.model import Device
from netkb.lab.platforms import ios_secrets as sec


def _aaa_names(dev: Device) -> list[tuple[str, str, str, str]]:
    """(kind, server name, host, key): IOS names each server; the model names the scheme."""
    out: list[tuple[str, str, str, str]] = []
    seen: dict[str, int] = {}
    for server in dev.secrets.aaa_servers:
        kind = "radius" if server.kind == "radius" else "tacacs"
        seen[server.scheme] = seen.get(server.scheme, 0) + 1
        name = server.scheme if seen[server.scheme] == 1 else f"{server.scheme}-{seen[server.scheme]}"
        out.append((kind, name, server.host, server.key))
    return out


def aaa_lines(dev: Device) -> list[str]:
    servers = _aaa_names(dev)
    if not servers:
        return ["no aaa new-model"]
    lines = ["aaa new-model", "!"]
    for kind in ("tacacs", "radius"):
        names = [name for k, name, _, _ in servers if k == kind]
        if names:
            group = f"{kind.upper()}-GROUP"
            lines.append(f"aaa group server {'tacacs+' if kind == 'tacacs' else 'radius'} {group}")
            lines += [f" server name {name}" for name in names]
            lines.append("!")
    first = "TACACS-GROUP" if any(k == "tacacs" for k, *_ in servers) else "RADIUS-GROUP"
    lines += [
        f"aaa authentication login default group {first} local",
        f"aaa authorization exec default group {first} local ",
        "!",
        "!",
        "!",
        "aaa session-id common",
    ]
    return lines


def snmp_and_server_lines(dev: Device) -> list[str]:
    """IKE keys, SNMP communities and groups, and the AAA servers with their keys."""
    out = []
    for peer in dev.secrets.ike_peers:
        out.append(f"crypto isakmp key {peer.psk} address {peer.address}")
    for community in dev.secrets.snmp_communities:
        out.append(f"snmp-server community {community.name} {'RW' if community.access == 'write' else 'RO'}")
    for group in dict.fromkeys(user.group for user in dev.secrets.snmp_users):
        out.append(f"snmp-server group {group} v3 priv ")  # v3 users never print (they live in the engine)
    for kind, name, host, key in _aaa_names(dev):
        out.append(f"{kind} server {name}")
        ports = " auth-port 1812 acct-port 1813" if kind == "radius" else ""
        out.append(f" address ipv4 {host}{ports}")
        out.append(f" key 7 {sec.type7_encode(key, dev.name)}")
        out.append("!")
    return out


def ntp_lines(dev: Device) -> list[str]:
    """NTP keys, `ntp authenticate` and the servers, as IOS and RGOS print them."""
    out = []
    for server in dev.secrets.ntp_servers:
        if server.key_id is not None and server.key:
            out.append(
                f"ntp authentication-key {server.key_id} md5 {sec.type7_encode(server.key, dev.name)} 7"
            )
    keyed = [s for s in dev.secrets.ntp_servers if s.key_id is not None and s.key]
    if keyed:
        out.append("ntp authenticate")
        out += [f"ntp trusted-key {kid}" for kid in dict.fromkeys(s.key_id for s in keyed)]
    for server in dev.secrets.ntp_servers:
        out.append(
            f"ntp server {server.address}" + (f" key {server.key_id}" if server.key_id is not None else "")
        )
    return out
