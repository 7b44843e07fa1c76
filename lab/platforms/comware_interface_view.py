"""Comware interface view: description, shutdown, access/trunk VLANs, OSPF cost, addresses, packet filters."""

from __future__ import annotations

from netkb.lab.model import Interface, Vlan
from netkb.lab.platforms.base import CommandTable, Ctx, Reply
from netkb.lab.platforms.comware_configmode_common import (
    OK,
    ConfigError,
    ConfigHandler,
    change,
    current_view,
    vid_arg,
)
from netkb.lab.platforms.comware_text import parse_vlan_list

# --- interface view -------------------------------------------------------------------


def _iface(ctx: Ctx) -> Interface:
    return ctx.dev.interfaces[current_view(ctx)[1]]


def if_description(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if not raw:
        raise ConfigError("Incomplete command", 0)
    change(ctx)
    _iface(ctx).description = raw
    return OK


def if_undo_description(ctx: Ctx, args: list[str], raw: str) -> Reply:
    change(ctx)
    _iface(ctx).description = ""
    return OK


def if_shutdown(up: bool) -> ConfigHandler:
    def handler(ctx: Ctx, args: list[str], raw: str) -> Reply:
        if args:
            raise ConfigError("Too many parameters", 0)
        change(ctx)
        _iface(ctx).admin_up = up
        return OK

    return handler


def _switchport(ctx: Ctx) -> Interface:
    iface = _iface(ctx)
    if iface.mode in ("routed", "vlanif") or not iface.is_physical:
        raise ConfigError("Unrecognized command", -1)
    return iface


def if_link_type(ctx: Ctx, args: list[str], raw: str) -> Reply:
    iface = _switchport(ctx)
    if not args:
        raise ConfigError("Incomplete command", 0)
    choice = next((k for k in ("access", "trunk", "hybrid") if k.startswith(args[0].lower())), None)
    if choice is None or choice == "hybrid":
        raise ConfigError("Wrong parameter", 0)
    change(ctx)
    if choice == "trunk" and iface.mode != "trunk":
        iface.mode, iface.trunk_vlans = "trunk", [1]
    elif choice == "access" and iface.mode != "access":
        iface.mode, iface.trunk_vlans, iface.access_vlan = "access", [], 1
    return OK


def if_access_vlan(ctx: Ctx, args: list[str], raw: str) -> Reply:
    iface = _switchport(ctx)
    vid = vid_arg(args)
    if iface.mode != "access":
        return Reply(text=" Please set the link type of the port to access first.", paged=False)
    change(ctx)
    iface.access_vlan = vid
    ctx.dev.vlans.setdefault(vid, Vlan(vid))
    return OK


def if_trunk_permit(allow: bool) -> ConfigHandler:
    def handler(ctx: Ctx, args: list[str], raw: str) -> Reply:
        iface = _switchport(ctx)
        if not args:
            raise ConfigError("Incomplete command", 0)
        vids = parse_vlan_list(args)
        if vids is None:
            raise ConfigError("Wrong parameter", 0)
        if iface.mode != "trunk":
            return Reply(text=" Please set the link type of the port to trunk first.", paged=False)
        change(ctx)
        current = set(iface.trunk_vlans)
        current = current | set(vids) if allow else current - set(vids)
        iface.trunk_vlans = sorted(current)
        return OK

    return handler


def if_ospf_cost(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if not args:
        raise ConfigError("Incomplete command", 0)
    if not args[0].isdigit() or not 1 <= int(args[0]) <= 65535:
        raise ConfigError("Wrong parameter", 0)
    change(ctx)
    _iface(ctx).ospf_cost = int(args[0])
    return OK


def if_undo_ospf_cost(ctx: Ctx, args: list[str], raw: str) -> Reply:
    change(ctx)
    _iface(ctx).ospf_cost = None
    return OK


def _prefix_len(mask: str) -> int | None:
    if mask.isdigit():
        return int(mask) if 0 <= int(mask) <= 32 else None
    try:
        bits = "".join(f"{int(o):08b}" for o in mask.split("."))
    except ValueError:
        return None
    return bits.count("1") if len(bits) == 32 and "01" not in bits else None


def if_ip_address(ctx: Ctx, args: list[str], raw: str) -> Reply:
    iface = _iface(ctx)
    if iface.mode in ("access", "trunk") and iface.is_physical:
        raise ConfigError("Unrecognized command", -1)
    if len(args) < 2:
        raise ConfigError("Incomplete command", len(args))
    parts = args[0].split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
        raise ConfigError("Wrong parameter", 0)
    length = _prefix_len(args[1])
    if length is None:
        raise ConfigError("Wrong parameter", 1)
    change(ctx)
    iface.ip = f"{args[0]}/{length}"
    return OK


def if_undo_ip(ctx: Ctx, args: list[str], raw: str) -> Reply:
    change(ctx)
    _iface(ctx).ip = None
    return OK


def if_packet_filter(apply: bool) -> ConfigHandler:
    # packet-filter [ipv6] { acl-number | name acl-name } { inbound | outbound }: the ACL need not exist yet
    def handler(ctx: Ctx, args: list[str], raw: str) -> Reply:
        if len(args) < 2:
            raise ConfigError("Incomplete command", len(args))
        direction = next((d for d in ("inbound", "outbound") if d.startswith(args[1].lower())), None)
        if not args[0].isdigit() or not 2000 <= int(args[0]) <= 5999:
            raise ConfigError("Wrong parameter", 0)
        if direction is None or len(args) > 2:
            raise ConfigError("Wrong parameter" if direction is None else "Too many parameters", 1)
        applied, iface = f"{args[0]} {direction}", _iface(ctx)
        change(ctx)
        iface.packet_filters = [a for a in iface.packet_filters if a.split()[1] != direction]
        if apply:
            iface.packet_filters.append(applied)
        return OK

    return handler


def interface_table(nav: dict[str, ConfigHandler]) -> CommandTable[ConfigHandler]:
    return CommandTable(
        {
            "description": if_description,
            "undo description": if_undo_description,
            "shutdown": if_shutdown(False),
            "undo shutdown": if_shutdown(True),
            "port link-type": if_link_type,
            "port access vlan": if_access_vlan,
            "port trunk permit vlan": if_trunk_permit(True),
            "undo port trunk permit vlan": if_trunk_permit(False),
            "ospf cost": if_ospf_cost,
            "undo ospf cost": if_undo_ospf_cost,
            "ip address": if_ip_address,
            "undo ip address": if_undo_ip,
            "packet-filter": if_packet_filter(True),
            "undo packet-filter": if_packet_filter(False),
            **nav,
        }
    )
