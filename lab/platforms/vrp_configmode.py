"""VRP system view and its sub-views (interface, vlan, ospf, area, acl, aaa): commands that change the model.

Each handler takes (ctx, args) and returns a Reply or raises CliError for VRP's `^` errors. The
first mutation of a session calls `dev.before_config_change()` so `display saved-configuration`
keeps showing the previous configuration until `save`.
"""

from __future__ import annotations

import re

from netkb.lab.model import (
    Device,
    Interface,
    Network,
    NtpServer,
    Ospf,
    SnmpCommunity,
    Vlan,
    prefix_to_mask,
)
from netkb.lab.platforms.base import Ctx, Reply
from netkb.lab.platforms.vrp_common import (
    CREATABLE,
    CliError,
    VlanListError,
    parse_vlan_list,
    raw_line,
    resolve_interface_type,
)

DONE = Reply(text="", paged=False)
WAIT = "Info: This operation may take a few seconds. Please wait for a moment...done."
RESTART_OSPF = (
    "Info: The configuration succeeded. You need to restart the OSPF process to validate the new router ID."
)
IP_RE = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")


def message(text: str) -> Reply:
    return Reply(text=text, paged=False)


def changing(ctx: Ctx) -> Device:
    ctx.dev.before_config_change()
    return ctx.dev


def need(args: list[str], count: int, most: int | None = None) -> None:
    """At least `count` arguments (else Incomplete), at most `most` (else Too many)."""
    if len(args) < count:
        raise CliError("incomplete")
    if most is not None and len(args) > most:
        raise CliError("toomany", arg=most)


def number(args: list[str], i: int, low: int, high: int) -> int:
    if i >= len(args):
        raise CliError("incomplete")
    if not args[i].isdigit() or not low <= int(args[i]) <= high:
        raise CliError("wrong", arg=i)
    return int(args[i])


def address(args: list[str], i: int) -> str:
    if i >= len(args):
        raise CliError("incomplete")
    m = IP_RE.match(args[i])
    if not m or any(int(x) > 255 for x in m.groups()):
        raise CliError("wrong", arg=i)
    return args[i]


def vlan_list(args: list[str], start: int) -> list[int]:
    if start >= len(args):
        raise CliError("incomplete")
    try:
        return parse_vlan_list(args[start:])
    except VlanListError as err:
        raise CliError(
            "incomplete" if start + err.index >= len(args) else "wrong", arg=start + err.index
        ) from None


def current_interface(ctx: Ctx) -> Interface:
    return ctx.dev.interfaces[ctx.session.views[-1].split(" ", 1)[1]]


def current_view_arg(ctx: Ctx) -> str:
    return ctx.session.views[-1].split()[-1]


# --- system view ------------------------------------------------------------------------


def sysname(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 1, 1)
    rename_device(ctx.net, changing(ctx), args[0])
    return DONE


def rename_device(net: Network, dev: Device, new: str) -> None:
    """`sysname`: the name is also the topology key, so peers and broken adjacencies follow it."""
    old = dev.name
    if new == old:
        return
    if net.devices.get(old) is dev:
        net.devices = {(new if k == old else k): v for k, v in net.devices.items()}
    for other in net.devices.values():
        for iface in other.interfaces.values():
            if iface.peer is not None and iface.peer[0] == old:
                iface.peer = (new, iface.peer[1])
    net.broken_adjacencies = {
        frozenset((new if d == old else d, i) for d, i in pair) for pair in net.broken_adjacencies
    }
    dev.name = new


def vlan(ctx: Ctx, args: list[str]) -> Reply:
    vid = number(args, 0, 1, 4094)
    need(args, 1, 1)
    dev = ctx.dev
    if vid not in dev.vlans:
        changing(ctx).vlans[vid] = Vlan(vid)
    ctx.session.views = [f"vlan {vid}"]
    return DONE


def vlan_batch(ctx: Ctx, args: list[str]) -> Reply:
    vids = vlan_list(args, 0)
    dev = changing(ctx)
    for vid in vids:
        dev.vlans.setdefault(vid, Vlan(vid))
    return message(WAIT)


def undo_vlan(ctx: Ctx, args: list[str]) -> Reply:
    vid = number(args, 0, 1, 4094)
    need(args, 1, 1)
    if vid == 1:
        return message("Error: The default VLAN cannot be deleted.")
    if vid in ctx.dev.vlans:
        del changing(ctx).vlans[vid]
    return DONE


def undo_vlan_batch(ctx: Ctx, args: list[str]) -> Reply:
    vids = vlan_list(args, 0)
    dev = changing(ctx)
    for vid in vids:
        if vid != 1:
            dev.vlans.pop(vid, None)
    return message(WAIT)


def parse_interface(args: list[str]) -> tuple[str, str]:
    """(type, number) from `GigabitEthernet0/0/1`, `g 0/0/1`, `Vlanif 10`, `Eth-Trunk1`."""
    need(args, 1)
    text = "".join(args[:2])
    m = re.match(r"^(40GE|[A-Za-z][A-Za-z-]*?)(\d[\d/.:]*)?$", text)
    kind = resolve_interface_type(m.group(1)) if m else None
    if kind is None:
        raise CliError("unknown", arg=0)
    if not m or not m.group(2):
        raise CliError("incomplete")
    if len(args) > (1 if args[0][len(m.group(1)) :] else 2):
        raise CliError("toomany", arg=1 if args[0][len(m.group(1)) :] else 2)
    return kind, m.group(2)


def interface(ctx: Ctx, args: list[str]) -> Reply:
    kind, num = parse_interface(args)
    name = f"{kind}{num}"
    if name not in ctx.dev.interfaces:
        if kind not in CREATABLE or not num.isdigit():
            raise CliError("wrong", arg=0 if len(args) == 1 else 1)
        mode = {"Vlanif": "vlanif", "LoopBack": "routed"}.get(kind, "access")
        changing(ctx).interfaces[name] = Interface(name=name, mode=mode, cabled=kind != "Vlanif")
    ctx.session.views = [f"interface {name}"]
    return DONE


def undo_interface(ctx: Ctx, args: list[str]) -> Reply:
    kind, num = parse_interface(args)
    name = f"{kind}{num}"
    if kind not in CREATABLE:
        raise CliError("wrong", arg=0)
    if name not in ctx.dev.interfaces:
        return message("Error: The interface does not exist.")
    del changing(ctx).interfaces[name]
    return DONE


def ospf(ctx: Ctx, args: list[str]) -> Reply:
    process = number(args, 0, 1, 65535) if args else 1
    router_id = None
    if len(args) > 1:
        if args[1].lower() != "router-id"[: len(args[1])] or len(args[1]) < 2:
            raise CliError("unknown", arg=1)
        router_id = address(args, 2)
        need(args, 3, 3)
    dev = ctx.dev
    if dev.ospf is None:
        loopback = next(
            (i.ip for i in dev.interfaces.values() if i.ip and i.name.startswith("LoopBack")), None
        )
        rid = router_id or (loopback or dev.mgmt_ip + "/32").split("/")[0]
        changing(ctx).ospf = Ospf(process=process, router_id=rid)
    elif dev.ospf.process != process:
        return message("Error: The lab supports one OSPF process per device.")
    elif router_id and router_id != dev.ospf.router_id:
        changing(ctx).ospf.router_id = router_id  # type: ignore[union-attr]
        ctx.session.views = [f"ospf {process}"]
        return message(RESTART_OSPF)
    ctx.session.views = [f"ospf {process}"]
    return DONE


def undo_ospf(ctx: Ctx, args: list[str]) -> Reply:
    process = number(args, 0, 1, 65535) if args else 1
    if ctx.dev.ospf is None or ctx.dev.ospf.process != process:
        return message(f"Error: The OSPF process {process} does not exist.")

    def confirm(answer: str) -> Reply:
        if answer.strip().lower() in ("y", "yes"):
            changing(ctx).ospf = None
        return DONE

    ctx.session.pending = confirm
    return Reply(
        text="",
        paged=False,
        question=f"Warning: The OSPF process {process} will be deleted. Continue? [Y/N]:",
    )


def acl(ctx: Ctx, args: list[str]) -> Reply:
    if args and args[0].lower() in ("number", "n", "nu", "num", "numb", "numbe"):
        args = args[1:]
    acl_id = str(number(args, 0, 2000, 4999))
    need(args, 1, 1)
    if acl_id not in ctx.dev.acls:
        changing(ctx).acls[acl_id] = []
    ctx.session.views = [f"acl number {acl_id}"]
    return DONE


def undo_acl(ctx: Ctx, args: list[str]) -> Reply:
    if args and args[0].lower().startswith("nu"):
        args = args[1:]
    acl_id = str(number(args, 0, 2000, 4999))
    if acl_id in ctx.dev.acls:
        del changing(ctx).acls[acl_id]
    return DONE


def aaa(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 0, 0)
    ctx.session.views = ["aaa"]
    return DONE


def ntp_server(ctx: Ctx, args: list[str]) -> Reply:
    host = address(args, 0)
    key_id = None
    if len(args) > 1:
        if not "authentication-keyid".startswith(args[1].lower()):
            raise CliError("unknown", arg=1)
        key_id = number(args, 2, 1, 4294967295)
        need(args, 3, 3)
    dev = changing(ctx)
    dev.secrets.ntp_servers = [s for s in dev.secrets.ntp_servers if s.address != host]
    dev.secrets.ntp_servers.append(NtpServer(host, key_id=key_id, key=None))
    return DONE


def undo_ntp_server(ctx: Ctx, args: list[str]) -> Reply:
    host = address(args, 0)
    dev = changing(ctx)
    dev.secrets.ntp_servers = [s for s in dev.secrets.ntp_servers if s.address != host]
    return DONE


def snmp_community(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 2)
    access = args[0].lower()
    if access not in ("read", "write", "r", "re", "rea", "w", "wr", "wri", "writ"):
        raise CliError("unknown", arg=0)
    name_at = 2 if args[1].lower() in ("cipher", "simple") else 1
    need(args, name_at + 1)
    dev = changing(ctx)
    name = args[name_at]
    dev.secrets.snmp_communities = [c for c in dev.secrets.snmp_communities if c.name != name]
    dev.secrets.snmp_communities.append(SnmpCommunity(name, "read" if access.startswith("r") else "write"))
    return message("Warning: This command may cause security risks. Please use SNMPv3 instead.")


def undo_snmp_community(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 1, 1)
    dev = changing(ctx)
    dev.secrets.snmp_communities = [c for c in dev.secrets.snmp_communities if c.name != args[0]]
    return DONE


def static_route(ctx: Ctx, args: list[str]) -> Reply:
    prefix = address(args, 0)
    need(args, 2)
    mask = prefix_to_mask(number(args, 1, 0, 32)) if args[1].isdigit() else address(args, 1)
    hop = address(args, 2)
    need(args, 3, 3)
    route = (prefix, mask, hop)
    if route not in ctx.dev.static_routes:
        changing(ctx).static_routes.append(route)
    return DONE


def undo_static_route(ctx: Ctx, args: list[str]) -> Reply:
    prefix = address(args, 0)
    need(args, 2)
    mask = prefix_to_mask(number(args, 1, 0, 32)) if args[1].isdigit() else address(args, 1)
    hop = address(args, 2)
    if (prefix, mask, hop) in ctx.dev.static_routes:
        changing(ctx).static_routes.remove((prefix, mask, hop))
    return DONE


# Global commands the model has no slot for: kept verbatim so the running config shows them.
EXTRA_COMMANDS = [
    "info-center",
    "stp",
    "lldp",
    "dhcp",
    "dns",
    "ssh",
    "telnet",
    "http",
    "header",
    "igmp-snooping",
    "loopback-detect",
    "snmp-agent sys-info",
    "snmp-agent trap",
]


def extra_line(ctx: Ctx, args: list[str]) -> Reply:
    line = raw_line()
    if line not in ctx.dev.extra_config:
        changing(ctx).extra_config.append(line)
    return DONE


def undo_extra_line(ctx: Ctx, args: list[str]) -> Reply:
    line = raw_line().split(None, 1)[1]
    if line in ctx.dev.extra_config:
        changing(ctx).extra_config.remove(line)
    return DONE
