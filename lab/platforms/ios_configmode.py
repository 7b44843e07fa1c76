"""IOS configuration mode: global config and the interface/vlan/router/ACL sub-modes.

Each handler mutates the model (after `dev.before_config_change()`), so the next
`show running-config` and every `show` output reflect the change. A line the sub-mode does not
know is tried in global config, which leaves the sub-mode, as the IOS parser does.
"""

from __future__ import annotations

import re

from netkb.lab.model import Interface, LocalUser, NtpServer, Ospf, SnmpCommunity, Vlan, ip_to_int
from netkb.lab.platforms.base import CommandTable, Ctx, Handler, Mode, Reply

INTERFACE_TYPES = (
    "GigabitEthernet",
    "TenGigabitEthernet",
    "FastEthernet",
    "Vlan",
    "Loopback",
    "Port-channel",
)


class BadArg(Exception):
    """An argument IOS rejects; `index` is its position among the handler's arguments."""

    def __init__(self, index: int) -> None:
        self.index = index


class Incomplete(Exception):
    pass


def mark_changed(ctx: Ctx) -> None:
    ctx.dev.before_config_change()
    # The session remembers that this configuration session changed something, so that leaving
    # config mode logs %SYS-5-CONFIG_I (which also dates "Last configuration change").
    ctx.session.__dict__["ios_config_changed"] = True


def rest_of_line(line: str, words: int) -> str:
    """The raw text after the first `words` tokens (descriptions keep their spacing verbatim)."""
    match = re.match(r"\s*" + r"\S+\s+" * words + r"(.*)$", line)
    return match.group(1).rstrip("\r\n") if match else ""


def mask_to_prefix(mask: str) -> int:
    return bin(ip_to_int(mask)).count("1")


def parse_vlan_list(text: str, index: int) -> list[int]:
    vids: list[int] = []
    for part in text.split(","):
        try:
            low, _, high = part.partition("-")
            first, last = int(low), int(high or low)
        except ValueError:
            raise BadArg(index) from None
        if not 1 <= first <= last <= 4094:
            raise BadArg(index)
        vids += range(first, last + 1)
    return vids


def resolve_interface(ctx: Ctx, args: list[str]) -> Interface:
    if not args:
        raise Incomplete
    joined = "".join(args)
    match = re.match(r"([A-Za-z-]+)\s*([\d/.]+)$", joined)
    if not match:
        raise BadArg(0)
    kinds = [t for t in INTERFACE_TYPES if t.lower().startswith(match.group(1).lower())]
    if len(kinds) != 1:
        raise BadArg(0)
    kind, number = kinds[0], match.group(2)
    if kind == "Vlan":
        vid = int(number.split("/")[0])
        for iface in ctx.dev.interfaces.values():
            if iface.mode == "vlanif" and int("".join(c for c in iface.name if c.isdigit()) or 0) == vid:
                return iface
        mark_changed(ctx)
        iface = Interface(name=f"Vlan{vid}", mode="vlanif")
        ctx.dev.interfaces[iface.name] = iface
        return iface
    name = kind + number
    if name in ctx.dev.interfaces:
        return ctx.dev.interfaces[name]
    if kind == "Loopback":
        mark_changed(ctx)
        iface = Interface(name=name, mode="routed")
        ctx.dev.interfaces[name] = iface
        return iface
    raise BadArg(len(args) - 1)


def current_interface(ctx: Ctx) -> Interface:
    return ctx.dev.interfaces[ctx.session.views[-1].split(" ", 1)[1]]


# --- global configuration ---------------------------------------------------------------


def cfg_hostname(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    if len(args) > 1:
        raise BadArg(1)
    mark_changed(ctx)
    rename(ctx, args[0])
    return Reply(paged=False)


def rename(ctx: Ctx, new: str) -> None:
    """Rename the device in the network too, so links and adjacencies still find it."""
    net, dev, old = ctx.net, ctx.dev, ctx.dev.name
    if net.devices.get(old) is dev:
        del net.devices[old]
        net.devices[new] = dev
    for other in net.devices.values():
        for iface in other.interfaces.values():
            if iface.peer and iface.peer[0] == old:
                iface.peer = (new, iface.peer[1])
    net.broken_adjacencies = {
        frozenset((new if d == old else d, i) for d, i in pair) for pair in net.broken_adjacencies
    }
    dev.name = new


def cfg_vlan(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    vids = parse_vlan_list(args[0], 0)
    for vid in vids:
        if vid not in ctx.dev.vlans:
            mark_changed(ctx)
            ctx.dev.vlans[vid] = Vlan(vid)
    ctx.session.views = [f"vlan {vids[0]}"]
    return Reply(paged=False)


def cfg_no_vlan(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    for vid in parse_vlan_list(args[0], 0):
        if vid == 1 or 1002 <= vid <= 1005:
            return Reply(f"%Default VLAN {vid} may not be deleted.\r\n", paged=False)
        if vid in ctx.dev.vlans:
            mark_changed(ctx)
            del ctx.dev.vlans[vid]
    return Reply(paged=False)


def cfg_interface(ctx: Ctx, args: list[str]) -> Reply:
    iface = resolve_interface(ctx, args)
    ctx.session.views = [f"interface {iface.name}"]
    return Reply(paged=False)


def cfg_router_ospf(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    if not args[0].isdigit():
        raise BadArg(0)
    dev = ctx.dev
    if dev.ospf is None:
        mark_changed(ctx)
        loopbacks = [
            i.ip.split("/")[0] for i in dev.interfaces.values() if i.ip and i.name.startswith("Loopback")
        ]
        dev.ospf = Ospf(process=int(args[0]), router_id=(loopbacks or [dev.mgmt_ip])[0])
    elif dev.ospf.process != int(args[0]):
        mark_changed(ctx)
        dev.ospf.process = int(args[0])
    ctx.session.views = [f"router ospf {dev.ospf.process}"]
    return Reply(paged=False)


def cfg_acl(ctx: Ctx, args: list[str], kind: str) -> Reply:
    if not args:
        raise Incomplete
    if args[0] not in ctx.dev.acls:
        mark_changed(ctx)
        ctx.dev.acls[args[0]] = []
    ctx.session.views = [f"ip access-list {kind} {args[0]}"]
    return Reply(paged=False)


def cfg_ip_route(ctx: Ctx, args: list[str], remove: bool = False) -> Reply:
    if len(args) < 3:
        raise Incomplete
    route = (args[0], args[1], args[2])
    mark_changed(ctx)
    if remove:
        ctx.dev.static_routes = [r for r in ctx.dev.static_routes if r != route]
    elif route not in ctx.dev.static_routes:
        ctx.dev.static_routes.append(route)
    return Reply(paged=False)


def cfg_enable_secret(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    plain = args[-1]  # `enable secret X` or `enable secret 0 X`
    mark_changed(ctx)
    ctx.dev.enable_password = plain
    ctx.dev.secrets.super_password = plain
    return Reply(paged=False)


def cfg_username(ctx: Ctx, args: list[str]) -> Reply:
    if len(args) < 3:
        raise Incomplete
    level, i = 1, 1
    if args[1] == "privilege":
        level, i = int(args[2]), 3
    if len(args) < i + 2 or args[i] not in ("secret", "password"):
        raise BadArg(min(i, len(args) - 1))
    mark_changed(ctx)
    users = [u for u in ctx.dev.secrets.users if u.name != args[0]]
    ctx.dev.secrets.users = [*users, LocalUser(args[0], args[-1], level)]
    return Reply(paged=False)


def cfg_snmp_community(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    access = "write" if len(args) > 1 and args[1].upper() == "RW" else "read"
    mark_changed(ctx)
    communities = [c for c in ctx.dev.secrets.snmp_communities if c.name != args[0]]
    ctx.dev.secrets.snmp_communities = [*communities, SnmpCommunity(args[0], access)]
    return Reply(paged=False)


def cfg_ntp_server(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    mark_changed(ctx)
    if all(s.address != args[0] for s in ctx.dev.secrets.ntp_servers):
        ctx.dev.secrets.ntp_servers.append(NtpServer(args[0]))
    return Reply(paged=False)


GLOBAL: CommandTable[Handler] = CommandTable(
    {
        "hostname": cfg_hostname,
        "vlan": cfg_vlan,
        "no vlan": cfg_no_vlan,
        "interface": cfg_interface,
        "router ospf": cfg_router_ospf,
        "ip access-list extended": lambda ctx, a: cfg_acl(ctx, a, "extended"),
        "ip access-list standard": lambda ctx, a: cfg_acl(ctx, a, "standard"),
        "ip route": cfg_ip_route,
        "no ip route": lambda ctx, a: cfg_ip_route(ctx, a, remove=True),
        "enable secret": cfg_enable_secret,
        "username": cfg_username,
        "snmp-server community": cfg_snmp_community,
        "ntp server": cfg_ntp_server,
    }
)


# --- interface sub-mode -------------------------------------------------------------------


def if_description(ctx: Ctx, args: list[str], line: str = "") -> Reply:
    if not args:
        raise Incomplete
    mark_changed(ctx)
    current_interface(ctx).description = rest_of_line(line, 1)[:240]
    return Reply(paged=False)


def _set(attr: str, value):
    def handler(ctx: Ctx, args: list[str]) -> Reply:
        if args:
            raise BadArg(0)
        mark_changed(ctx)
        setattr(current_interface(ctx), attr, value)
        return Reply(paged=False)

    return handler


def if_access_vlan(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    vid = parse_vlan_list(args[0], 0)[0]
    mark_changed(ctx)
    current_interface(ctx).access_vlan = vid
    if vid not in ctx.dev.vlans:
        ctx.dev.vlans[vid] = Vlan(vid)
        return Reply(f"% Access VLAN does not exist. Creating vlan {vid}\r\n", paged=False)
    return Reply(paged=False)


def if_trunk_allowed(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    iface = current_interface(ctx)
    op, text = (
        (args[0], args[1] if len(args) > 1 else None)
        if args[0] in ("add", "remove", "except")
        else ("", args[0])
    )
    if op == "" and text == "all":
        vids: list[int] = []
    elif text is None:
        raise Incomplete
    else:
        given = parse_vlan_list(text, len(args) - 1)
        if op == "add":
            vids = sorted(set(iface.trunk_vlans) | set(given))
        elif op == "remove":
            vids = [v for v in iface.trunk_vlans if v not in given]
        elif op == "except":
            vids = [v for v in range(1, 4095) if v not in given]
        else:
            vids = sorted(set(given))
    mark_changed(ctx)
    iface.trunk_vlans = vids
    return Reply(paged=False)


def if_mode(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    modes = [m for m in ("access", "trunk") if m.startswith(args[0].lower())]
    if len(modes) != 1:
        raise BadArg(0)
    mark_changed(ctx)
    current_interface(ctx).mode = modes[0]
    return Reply(paged=False)


def if_ip_address(ctx: Ctx, args: list[str]) -> Reply:
    if len(args) < 2:
        raise Incomplete
    iface = current_interface(ctx)
    if iface.is_physical and iface.mode in ("access", "trunk"):
        return Reply("% Invalid input detected at '^' marker.\r\n", paged=False)
    mark_changed(ctx)
    iface.ip = f"{args[0]}/{mask_to_prefix(args[1])}"
    return Reply(paged=False)


def if_ospf_cost(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    if not args[0].isdigit() or not 1 <= int(args[0]) <= 65535:
        raise BadArg(0)
    mark_changed(ctx)
    current_interface(ctx).ospf_cost = int(args[0])
    return Reply(paged=False)


INTERFACE: CommandTable[Handler] = CommandTable(
    {
        "description": if_description,
        "no description": _set("description", ""),
        "shutdown": _set("admin_up", False),
        "no shutdown": _set("admin_up", True),
        "switchport access vlan": if_access_vlan,
        "switchport trunk allowed vlan": if_trunk_allowed,
        "switchport mode": if_mode,
        "switchport": _set("mode", "access"),
        "no switchport": _set("mode", "routed"),
        "ip address": if_ip_address,
        "no ip address": _set("ip", None),
        "ip ospf cost": if_ospf_cost,
        "no ip ospf cost": _set("ospf_cost", None),
    }
)


def leave_config(ctx: Ctx) -> None:
    """Back to privileged EXEC; a session that changed something logs %SYS-5-CONFIG_I."""
    ctx.session.mode = Mode.ENABLE
    ctx.session.views = []
    if ctx.session.__dict__.pop("ios_config_changed", False):
        ctx.dev.log(
            "SYS", 5, "CONFIG_I", f"Configured from console by {ctx.dev.username} on vty0 (127.0.0.1)"
        )
