"""Comware system view and its sub-views: commands that really change the device model.

Each view has a keyword table (abbreviations as on the device: `int g1/0/1`, `port a vlan 20`,
`undo sh`). A command unknown in a sub-view is tried in system view, as Comware does
(`[sw-vlan10]vlan 20` moves to VLAN 20).
"""

from __future__ import annotations

from netkb.lab.model import Interface, Ospf, OspfArea, Vlan
from netkb.lab.platforms.base import CommandTable, Ctx, Mode, Reply
from netkb.lab.platforms.comware_configmode_common import (
    OK,
    ConfigError,
    ConfigHandler,
    change,
    current_view,
    vid_arg,
)
from netkb.lab.platforms.comware_interface_view import interface_table
from netkb.lab.platforms.comware_text import normalize_interface

# --- system view ----------------------------------------------------------------------


def sysname(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if len(args) != 1:
        raise ConfigError("Incomplete command" if not args else "Too many parameters", min(len(args), 1))
    dev, net = ctx.dev, ctx.net
    old, new = dev.name, args[0]
    if new == old:
        return OK
    change(ctx)
    # The lab indexes devices by name and links name their far end: keep both consistent.
    if net.devices.get(old) is dev:
        del net.devices[old]
        net.devices[new] = dev
    for other in net.devices.values():
        for iface in other.interfaces.values():
            if iface.peer and iface.peer[0] == old:
                iface.peer = (new, iface.peer[1])
    dev.name = new
    return OK


def vlan(ctx: Ctx, args: list[str], raw: str) -> Reply:
    vid = vid_arg(args)
    if len(args) > 1:
        raise ConfigError("Too many parameters", 1)
    if vid not in ctx.dev.vlans:
        change(ctx)
        ctx.dev.vlans[vid] = Vlan(vid)
    ctx.session.views = [f"vlan {vid}"]
    return OK


def undo_vlan(ctx: Ctx, args: list[str], raw: str) -> Reply:
    vid = vid_arg(args)
    if vid == 1:
        return Reply(text=" The default VLAN cannot be deleted.", paged=False)
    if vid in ctx.dev.vlans:
        change(ctx)
        del ctx.dev.vlans[vid]
    return OK


def interface(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if not args:
        raise ConfigError("Incomplete command", 0)
    name = normalize_interface(" ".join(args))
    if name is None:
        raise ConfigError("Wrong parameter", 0)
    dev = ctx.dev
    if name not in dev.interfaces:
        if name.startswith("Vlan-interface"):
            change(ctx)
            dev.interfaces[name] = Interface(name, mode="vlanif")
        elif name.startswith("LoopBack"):
            change(ctx)
            dev.interfaces[name] = Interface(name, mode="routed", cabled=False)
        else:
            raise ConfigError("Wrong parameter", 0)
    ctx.session.views = [f"interface {name}"]
    return OK


def ospf(ctx: Ctx, args: list[str], raw: str) -> Reply:
    process = int(args[0]) if args and args[0].isdigit() else 1
    rest = args[1:] if args and args[0].isdigit() else args
    router_id = rest[1] if len(rest) >= 2 and "router-id".startswith(rest[0].lower()) else None
    dev = ctx.dev
    if dev.ospf is None or dev.ospf.process != process:
        if dev.ospf is not None:
            return Reply(text=" The OSPF process already exists with a different process ID.", paged=False)
        change(ctx)
        loop = dev.interfaces.get("LoopBack0")
        default_id = loop.ip.split("/")[0] if loop and loop.ip else "0.0.0.0"
        dev.ospf = Ospf(process, router_id or default_id)
    elif router_id and router_id != dev.ospf.router_id:
        change(ctx)
        dev.ospf.router_id = router_id
    ctx.session.views = [f"ospf {process}"]
    return OK


def acl(kind: str) -> ConfigHandler:
    def enter(ctx: Ctx, args: list[str], raw: str) -> Reply:
        if not args:
            raise ConfigError("Incomplete command", 0)
        number = args[0]
        low, high = (2000, 2999) if kind == "basic" else (3000, 3999) if kind == "advanced" else (2000, 3999)
        if not number.isdigit() or not low <= int(number) <= high:
            raise ConfigError("Wrong parameter", 0)
        if number not in ctx.dev.acls:
            change(ctx)
            ctx.dev.acls[number] = []
        ctx.session.views = [f"acl {kind} {number}"]
        return OK

    return enter


# --- VLAN view ------------------------------------------------------------------------


def _vlan_obj(ctx: Ctx) -> Vlan:
    vid = int(current_view(ctx)[1])
    return ctx.dev.vlans.setdefault(vid, Vlan(vid))


def vlan_name(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if not raw:
        raise ConfigError("Incomplete command", 0)
    change(ctx)
    _vlan_obj(ctx).name = raw
    return OK


def vlan_description(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if not raw:
        raise ConfigError("Incomplete command", 0)
    change(ctx)
    _vlan_obj(ctx).description = raw
    return OK


def vlan_undo_name(ctx: Ctx, args: list[str], raw: str) -> Reply:
    change(ctx)
    _vlan_obj(ctx).name = ""
    return OK


def vlan_undo_description(ctx: Ctx, args: list[str], raw: str) -> Reply:
    change(ctx)
    _vlan_obj(ctx).description = ""
    return OK


# --- OSPF / area views ----------------------------------------------------------------


def ospf_area(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if not args:
        raise ConfigError("Incomplete command", 0)
    text = args[0]
    if text.isdigit():
        value = int(text)
        text = ".".join(str((value >> s) & 0xFF) for s in (24, 16, 8, 0))
    elif len(text.split(".")) != 4:
        raise ConfigError("Wrong parameter", 0)
    ospf_obj = ctx.dev.ospf
    assert ospf_obj is not None
    if not any(a.area == text for a in ospf_obj.areas):
        change(ctx)
        ospf_obj.areas.append(OspfArea(text))
    ctx.session.views = [*ctx.session.views[:1], f"area {text}"]
    return OK


def _area(ctx: Ctx) -> OspfArea:
    assert ctx.dev.ospf is not None
    name = current_view(ctx)[1]
    return next(a for a in ctx.dev.ospf.areas if a.area == name)


def area_network(add: bool) -> ConfigHandler:
    def handler(ctx: Ctx, args: list[str], raw: str) -> Reply:
        if len(args) < 2:
            raise ConfigError("Incomplete command", len(args))
        for i in (0, 1):
            parts = args[i].split(".")
            if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
                raise ConfigError("Wrong parameter", i)
        area = _area(ctx)
        entry = (args[0], args[1])
        change(ctx)
        if add and entry not in area.networks:
            area.networks.append(entry)
        elif not add and entry in area.networks:
            area.networks.remove(entry)
        return OK

    return handler


def area_auth(ctx: Ctx, args: list[str], raw: str) -> Reply:
    # authentication-mode md5 <key-id> { plain | cipher } <key>
    if len(args) < 4:
        raise ConfigError("Incomplete command", len(args))
    change(ctx)
    _area(ctx).md5_key = args[3]
    return OK


# --- ACL view -------------------------------------------------------------------------


def acl_rule(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if not args:
        raise ConfigError("Incomplete command", 0)
    rules = ctx.dev.acls[current_view(ctx)[1].split()[-1]]
    numbers = [int(r.split()[1]) for r in rules if len(r.split()) > 1 and r.split()[1].isdigit()]
    if args[0].isdigit():
        number, body = int(args[0]), raw.split(None, 1)[1] if len(raw.split(None, 1)) > 1 else ""
    else:
        number, body = (max(numbers) // 5 + 1) * 5 if numbers else 0, raw
    if not body or body.split()[0].lower() not in ("permit", "deny"):
        raise ConfigError(
            "Incomplete command" if not body else "Wrong parameter", 1 if args[0].isdigit() else 0
        )
    change(ctx)
    rules[:] = [r for r in rules if r.split()[1] != str(number)]
    rules.append(f"rule {number} {body}")
    rules.sort(key=lambda r: int(r.split()[1]) if r.split()[1].isdigit() else 0)
    return OK


def acl_undo_rule(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if not args or not args[0].isdigit():
        raise ConfigError("Incomplete command" if not args else "Wrong parameter", 0)
    rules = ctx.dev.acls[current_view(ctx)[1].split()[-1]]
    change(ctx)
    rules[:] = [r for r in rules if r.split()[1] != args[0]]
    return OK


# --- navigation -----------------------------------------------------------------------


def quit_view(ctx: Ctx, args: list[str], raw: str) -> Reply:
    if ctx.session.views:
        ctx.session.views.pop()
    else:
        ctx.session.mode = Mode.USER
    return OK


def return_view(ctx: Ctx, args: list[str], raw: str) -> Reply:
    ctx.session.views = []
    ctx.session.mode = Mode.USER
    return OK


def view_tables(os_major: int) -> dict[str, CommandTable[ConfigHandler]]:
    """The keyword table of each view kind (`system`, `vlan`, `interface`, `ospf`, `area`, `acl`)."""
    nav: dict[str, ConfigHandler] = {"quit": quit_view, "return": return_view}
    system: dict[str, ConfigHandler] = {
        "sysname": sysname,
        "vlan": vlan,
        "undo vlan": undo_vlan,
        "interface": interface,
        "ospf": ospf,
        **nav,
    }
    if os_major >= 7:
        system |= {"acl advanced": acl("advanced"), "acl basic": acl("basic")}
    else:
        system |= {"acl number": acl("number")}
    return {
        "system": CommandTable(system),
        "vlan": CommandTable(
            {
                "name": vlan_name,
                "description": vlan_description,
                "undo name": vlan_undo_name,
                "undo description": vlan_undo_description,
                **nav,
            }
        ),
        "interface": interface_table(nav),
        "ospf": CommandTable({"area": ospf_area, **nav}),
        "area": CommandTable(
            {
                "network": area_network(True),
                "undo network": area_network(False),
                "authentication-mode md5": area_auth,
                **nav,
            }
        ),
        "acl": CommandTable({"rule": acl_rule, "undo rule": acl_undo_rule, **nav}),
    }
