"""Commands of the VRP sub-views: interface, vlan, ospf, ospf area, acl and aaa."""

from __future__ import annotations

from netkb.lab.model import LocalUser, OspfArea, ip_to_int, prefix_to_mask
from netkb.lab.platforms.base import Ctx, Reply
from netkb.lab.platforms.vrp_common import CliError, raw_args, split_name
from netkb.lab.platforms.vrp_configmode import (
    DONE,
    WAIT,
    address,
    changing,
    current_interface,
    current_view_arg,
    message,
    need,
    number,
    vlan_list,
)

RENEW = "Error: Please renew the default configurations."

# --- interface view ------------------------------------------------------------------------


def description(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 1)
    text = raw_args()
    if len(text) > 242:
        raise CliError("wrong", arg=0)
    view = ctx.session.views[-1]
    dev = changing(ctx)
    if view.startswith("vlan "):
        dev.vlans[int(current_view_arg(ctx))].description = text
    else:
        current_interface(ctx).description = text
    return DONE


def undo_description(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 0, 0)
    dev = changing(ctx)
    if ctx.session.views[-1].startswith("vlan "):
        dev.vlans[int(current_view_arg(ctx))].description = ""
    else:
        current_interface(ctx).description = ""
    return DONE


def vlan_name(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 1)
    changing(ctx).vlans[int(current_view_arg(ctx))].name = raw_args()
    return DONE


def undo_vlan_name(ctx: Ctx, args: list[str]) -> Reply:
    changing(ctx).vlans[int(current_view_arg(ctx))].name = ""
    return DONE


def shutdown(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 0, 0)
    iface = current_interface(ctx)
    if split_name(iface.name)[0] == "NULL":
        raise CliError("unknown", absolute=0)
    changing(ctx)
    iface.admin_up = False
    return DONE


def undo_shutdown(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 0, 0)
    changing(ctx)
    current_interface(ctx).admin_up = True
    return DONE


def switchport(ctx: Ctx) -> None:
    """Layer-2 commands exist only on switch ports; elsewhere VRP does not know the word."""
    iface = current_interface(ctx)
    if (not iface.is_physical and split_name(iface.name)[0] != "Eth-Trunk") or iface.mode == "routed":
        raise CliError("unknown", absolute=0)


def link_type(ctx: Ctx, args: list[str]) -> Reply:
    switchport(ctx)
    need(args, 1, 1)
    word = args[0].lower()
    choices = [c for c in ("access", "trunk", "hybrid", "dot1q-tunnel") if c.startswith(word)]
    if len(choices) != 1:
        raise CliError("unknown" if not choices else "ambiguous", arg=0)
    target = choices[0]
    iface = current_interface(ctx)
    if target == iface.mode:
        return DONE
    if target not in ("access", "trunk"):
        return message("Error: The lab models access and trunk ports only.")
    if (iface.mode == "access" and iface.access_vlan != 1) or (
        iface.mode == "trunk" and sorted(iface.trunk_vlans) not in ([], [1])
    ):
        return message(RENEW)
    changing(ctx)
    iface.mode = target
    iface.access_vlan = 1
    iface.trunk_vlans = [1] if target == "trunk" else []
    return DONE


def default_vlan(ctx: Ctx, args: list[str]) -> Reply:
    switchport(ctx)
    vid = number(args, 0, 1, 4094)
    need(args, 1, 1)
    iface = current_interface(ctx)
    if iface.mode != "access":
        return message("Error: Please first set the port link-type to access.")
    if vid not in ctx.dev.vlans and vid != 1:
        return message("Error: The VLAN does not exist.")
    changing(ctx)
    iface.access_vlan = vid
    return DONE


def undo_default_vlan(ctx: Ctx, args: list[str]) -> Reply:
    switchport(ctx)
    changing(ctx)
    current_interface(ctx).access_vlan = 1
    return DONE


def _trunk_vids(args: list[str]) -> list[int]:
    if args and args[0].lower() == "all":
        need(args, 1, 1)
        return list(range(1, 4095))
    return vlan_list(args, 0)


def trunk_allow(ctx: Ctx, args: list[str]) -> Reply:
    switchport(ctx)
    vids = _trunk_vids(args)
    iface = current_interface(ctx)
    if iface.mode != "trunk":
        return message("Error: Please first set the port link-type to trunk.")
    changing(ctx)
    iface.trunk_vlans = sorted(set(iface.trunk_vlans) | set(vids))
    return message(WAIT)


def undo_trunk_allow(ctx: Ctx, args: list[str]) -> Reply:
    switchport(ctx)
    vids = _trunk_vids(args)
    iface = current_interface(ctx)
    if iface.mode != "trunk":
        return message("Error: Please first set the port link-type to trunk.")
    changing(ctx)
    iface.trunk_vlans = sorted(set(iface.trunk_vlans) - set(vids))
    return message(WAIT)


def ip_address(ctx: Ctx, args: list[str]) -> Reply:
    iface = current_interface(ctx)
    if iface.mode not in ("vlanif", "routed"):
        raise CliError("unknown", absolute=0)
    ip = address(args, 0)
    need(args, 2)
    if args[1].isdigit():
        length = number(args, 1, 0, 32)
    else:
        mask = ip_to_int(address(args, 1))
        length = bin(mask).count("1")
        if prefix_to_mask(length) != args[1]:
            raise CliError("wrong", arg=1)
    need(args, 2, 2)
    changing(ctx)
    iface.ip = f"{ip}/{length}"
    return DONE


def undo_ip_address(ctx: Ctx, args: list[str]) -> Reply:
    iface = current_interface(ctx)
    if iface.mode not in ("vlanif", "routed"):
        raise CliError("unknown", absolute=1)
    changing(ctx)
    iface.ip = None
    return DONE


def ospf_cost(ctx: Ctx, args: list[str]) -> Reply:
    cost = number(args, 0, 1, 65535)
    need(args, 1, 1)
    changing(ctx)
    current_interface(ctx).ospf_cost = cost
    return DONE


def undo_ospf_cost(ctx: Ctx, args: list[str]) -> Reply:
    changing(ctx)
    current_interface(ctx).ospf_cost = None
    return DONE


# --- ospf and area views ---------------------------------------------------------------------


def area_id(args: list[str], i: int) -> str:
    if i >= len(args):
        raise CliError("incomplete")
    text = args[i]
    if text.isdigit() and int(text) <= 4294967295:
        value = int(text)
        return ".".join(str((value >> s) & 0xFF) for s in (24, 16, 8, 0))
    return address(args, i)


def area(ctx: Ctx, args: list[str]) -> Reply:
    aid = area_id(args, 0)
    need(args, 1, 1)
    assert ctx.dev.ospf is not None
    if not any(a.area == aid for a in ctx.dev.ospf.areas):
        changing(ctx).ospf.areas.append(OspfArea(aid))  # type: ignore[union-attr]
    ctx.session.views = [ctx.session.views[0], f"area {aid}"]
    return DONE


def undo_area(ctx: Ctx, args: list[str]) -> Reply:
    aid = area_id(args, 0)
    assert ctx.dev.ospf is not None
    if not any(a.area == aid for a in ctx.dev.ospf.areas):
        return message(f"Error: The area {aid} does not exist.")
    ospf = changing(ctx).ospf
    assert ospf is not None
    ospf.areas = [a for a in ospf.areas if a.area != aid]
    return DONE


def current_area(ctx: Ctx) -> OspfArea:
    assert ctx.dev.ospf is not None
    aid = current_view_arg(ctx)
    return next(a for a in ctx.dev.ospf.areas if a.area == aid)


def network(ctx: Ctx, args: list[str]) -> Reply:
    net = address(args, 0)
    wildcard = address(args, 1)
    need(args, 2, 2)
    changing(ctx)
    the_area = current_area(ctx)
    if (net, wildcard) not in the_area.networks:
        the_area.networks.append((net, wildcard))
    return DONE


def undo_network(ctx: Ctx, args: list[str]) -> Reply:
    net = address(args, 0)
    wildcard = address(args, 1)
    the_area = current_area(ctx)
    if (net, wildcard) not in the_area.networks:
        return message("Error: The network does not exist.")
    changing(ctx)
    the_area.networks.remove((net, wildcard))
    return DONE


def authentication_mode(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 1)
    if not "md5".startswith(args[0].lower()) and not "hmac-md5".startswith(args[0].lower()):
        raise CliError("wrong", arg=0)
    number(args, 1, 1, 255)
    need(args, 4, 4)
    if args[2].lower() not in ("cipher", "plain"):
        raise CliError("wrong", arg=2)
    changing(ctx)
    current_area(ctx).md5_key = args[3]
    return DONE


def undo_authentication_mode(ctx: Ctx, args: list[str]) -> Reply:
    changing(ctx)
    current_area(ctx).md5_key = None
    return DONE


# --- acl view ----------------------------------------------------------------------------------


def rule(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 1)
    rules = ctx.dev.acls[current_view_arg(ctx)]
    numbers = [int(r.split()[1]) for r in rules if len(r.split()) > 1 and r.split()[1].isdigit()]
    if args[0].isdigit():
        rule_id = number(args, 0, 0, 4294967294)
        rest = args[1:]
        action_at = 1
    else:
        rule_id = (max(numbers) // 5 + 1) * 5 if numbers else 5
        rest = args
        action_at = 0
    if not rest:
        raise CliError("incomplete")
    if rest[0].lower() not in ("permit", "deny"):
        raise CliError("unknown", arg=action_at)
    text = f"rule {rule_id} {rest[0].lower()} {raw_args(action_at + 1)}".rstrip()
    changing(ctx)
    kept = [r for r in rules if r.split()[:2] != ["rule", str(rule_id)]]
    kept.append(text)
    kept.sort(key=lambda r: int(r.split()[1]) if r.split()[1].isdigit() else 0)
    ctx.dev.acls[current_view_arg(ctx)] = kept
    return DONE


def undo_rule(ctx: Ctx, args: list[str]) -> Reply:
    rule_id = number(args, 0, 0, 4294967294)
    rules = ctx.dev.acls[current_view_arg(ctx)]
    if not any(r.split()[:2] == ["rule", str(rule_id)] for r in rules):
        return message(f"Error: The rule {rule_id} does not exist.")
    changing(ctx)
    ctx.dev.acls[current_view_arg(ctx)] = [r for r in rules if r.split()[:2] != ["rule", str(rule_id)]]
    return DONE


# --- aaa view ----------------------------------------------------------------------------------


def local_user(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 2)
    name, what = args[0], args[1].lower()
    users = ctx.dev.secrets.users
    user = next((u for u in users if u.name == name), None)
    if "password".startswith(what):
        need(args, 4, 4)
        if args[2].lower() not in ("irreversible-cipher", "cipher"):
            raise CliError("wrong", arg=2)
        changing(ctx)
        if user is None:
            users.append(LocalUser(name, args[3], level=0, services=[]))
        else:
            user.password = args[3]
        return DONE
    if user is None:
        return message("Error: The user does not exist.")
    if "privilege".startswith(what):
        if len(args) < 3 or not "level".startswith(args[2].lower()):
            raise CliError("incomplete" if len(args) < 3 else "unknown", arg=2)
        level = number(args, 3, 0, 15)
        changing(ctx)
        user.level = level
        return DONE
    if "service-type".startswith(what):
        need(args, 3)
        changing(ctx)
        user.services = [s.lower() for s in args[2:]]
        return DONE
    raise CliError("unknown", arg=1)


def undo_local_user(ctx: Ctx, args: list[str]) -> Reply:
    need(args, 1, 1)
    users = ctx.dev.secrets.users
    if args[0] == ctx.dev.username:
        return message("Error: Have user(s) online, can not be deleted.")
    if not any(u.name == args[0] for u in users):
        return message("Error: The user does not exist.")
    changing(ctx).secrets.users = [u for u in users if u.name != args[0]]
    return DONE
