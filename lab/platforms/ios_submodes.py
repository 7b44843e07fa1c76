"""IOS configuration sub-modes other than interface: VLAN, OSPF router and named ACLs."""

from __future__ import annotations

from netkb.lab.model import OspfArea
from netkb.lab.platforms.base import CommandTable, Ctx, Handler, Reply
from netkb.lab.platforms.ios_configmode import INTERFACE, BadArg, Incomplete, mark_changed

# --- vlan / router / ACL sub-modes ---------------------------------------------------------


def vlan_name(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    mark_changed(ctx)
    ctx.dev.vlans[int(ctx.session.views[-1].split()[1])].name = args[0][:32]
    return Reply(paged=False)


def vlan_no_name(ctx: Ctx, args: list[str]) -> Reply:
    mark_changed(ctx)
    ctx.dev.vlans[int(ctx.session.views[-1].split()[1])].name = ""
    return Reply(paged=False)


VLAN: CommandTable[Handler] = CommandTable({"name": vlan_name, "no name": vlan_no_name})


def _area_dotted(text: str) -> str:
    if "." in text:
        return text
    value = int(text)
    return ".".join(str((value >> s) & 0xFF) for s in (24, 16, 8, 0))


def ospf_network(ctx: Ctx, args: list[str], remove: bool = False) -> Reply:
    if len(args) < 4:
        raise Incomplete
    if args[2].lower() != "area":
        raise BadArg(2)
    ospf = ctx.dev.ospf
    area_id = _area_dotted(args[3])
    mark_changed(ctx)
    assert ospf is not None  # the router sub-mode is entered by `router ospf`, which creates it
    area = next((a for a in ospf.areas if a.area == area_id), None)
    if area is None:
        if remove:
            return Reply(paged=False)
        area = OspfArea(area_id)
        ospf.areas.append(area)
    entry = (args[0], args[1])
    if remove:
        area.networks = [n for n in area.networks if n != entry]
    elif entry not in area.networks:
        area.networks.append(entry)
    return Reply(paged=False)


def ospf_router_id(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    mark_changed(ctx)
    ospf = ctx.dev.ospf
    assert ospf is not None  # the router sub-mode is entered by `router ospf`, which creates it
    ospf.router_id = args[0]
    return Reply(
        '% OSPF: Reload or use "clear ip ospf process" command, for this to take effect\r\n', paged=False
    )


ROUTER: CommandTable[Handler] = CommandTable(
    {
        "network": ospf_network,
        "no network": lambda ctx, a: ospf_network(ctx, a, remove=True),
        "router-id": ospf_router_id,
    }
)


def acl_rule(ctx: Ctx, args: list[str], action: str = "", line: str = "") -> Reply:
    if not args:
        raise Incomplete
    mark_changed(ctx)
    name = ctx.session.views[-1].split()[-1]
    rule = f"{action} {' '.join(args)}"
    if rule not in ctx.dev.acls[name]:
        ctx.dev.acls[name].append(rule)
    return Reply(paged=False)


def acl_no(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise Incomplete
    mark_changed(ctx)
    name = ctx.session.views[-1].split()[-1]
    ctx.dev.acls[name] = [r for r in ctx.dev.acls[name] if r != " ".join(args)]
    return Reply(paged=False)


ACL: CommandTable[Handler] = CommandTable(
    {
        "permit": lambda ctx, a: acl_rule(ctx, a, "permit"),
        "deny": lambda ctx, a: acl_rule(ctx, a, "deny"),
        "remark": lambda ctx, a: acl_rule(ctx, a, "remark"),
        "no permit": lambda ctx, a: acl_no(ctx, ["permit", *a]),
        "no deny": lambda ctx, a: acl_no(ctx, ["deny", *a]),
        "no remark": lambda ctx, a: acl_no(ctx, ["remark", *a]),
    }
)


def submode_table(view: str) -> tuple[CommandTable[Handler], str]:
    """The sub-mode's table and the prompt suffix IOS shows for it."""
    if view.startswith("interface"):
        return INTERFACE, "config-if"
    if view.startswith("vlan"):
        return VLAN, "config-vlan"
    if view.startswith("router"):
        return ROUTER, "config-router"
    if "standard" in view:
        return ACL, "config-std-nacl"
    return ACL, "config-ext-nacl"
