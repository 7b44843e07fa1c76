"""Huawei VRP 5 (S5700 access switches, V200R0xx): prompts, banner, command tables and dispatch.

Renderers live in vrp_config.py (running configuration), vrp_display.py / vrp_display_net.py
(`display` commands) and vrp_configmode.py / vrp_views.py (system view and sub-views).
"""

from __future__ import annotations

from collections.abc import Callable

from netkb.lab import lldp, rancid_state
from netkb.lab.platforms import vrp_configmode as cm
from netkb.lab.platforms import vrp_display as hw
from netkb.lab.platforms import vrp_display_net as netd
from netkb.lab.platforms import vrp_views as views
from netkb.lab.platforms.base import Ambiguous, CommandTable, Ctx, Handler, Mode, Reply
from netkb.lab.platforms.vrp_common import CURRENT, ERROR_TEXT, NL, CliError, cipher, iso_stamp, token_columns
from netkb.lab.platforms.vrp_config import (
    aaa_lines,
    interface_body,
    ospf_lines,
    running_config,
    saved_config,
)

SAVE_NOTICE = (
    "The current configuration (excluding the configurations of unregistered boards or cards) "
    "will be written to flash:/vrpcfg.zip."
)


def _page(render: Callable[[Ctx], str]) -> Handler:
    """A display command that takes no arguments."""

    def handler(ctx: Ctx, args: list[str]) -> Reply:
        if args:
            raise CliError("toomany" if args[0] in ("|",) else "unknown", arg=0)
        return Reply(text=render(ctx))

    return handler


def display_vlan(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        return Reply(text=netd.display_vlan(ctx.net, ctx.dev))
    # `display vlan 10`; S5700 has no `brief` keyword here, so VRP reports a wrong parameter.
    vid = cm.number(args, 0, 1, 4094)
    cm.need(args, 1, 1)
    if vid != 1 and vid not in ctx.dev.vlans:
        return cm.message("Error: The VLAN does not exist.")
    return Reply(text=netd.display_vlan(ctx.net, ctx.dev, only=[vid]))


def display_temperature(ctx: Ctx, args: list[str]) -> Reply:
    cm.need(args, 1, 1)
    if not "all".startswith(args[0].lower()):
        raise CliError("unknown", arg=0)
    return Reply(text=hw.display_temperature(ctx.dev))


def display_current(ctx: Ctx, args: list[str]) -> Reply:
    if args:
        raise CliError("unknown", arg=0)
    return Reply(text=running_config(ctx.dev, ctx.dev.rng), is_config=True)


def display_saved(ctx: Ctx, args: list[str]) -> Reply:
    if args:
        raise CliError("unknown", arg=0)
    return Reply(text=saved_config(ctx.dev), is_config=True)


def display_this(ctx: Ctx, args: list[str]) -> Reply:
    cm.need(args, 0, 0)
    dev, views_ = ctx.dev, ctx.session.views

    def enc(plain: str) -> str:
        return cipher(plain, dev.rng)

    if not views_:
        return Reply(text=running_config(dev, dev.rng), is_config=True)
    head, _, arg = views_[0].partition(" ")
    if head == "interface":
        body = [f"interface {arg}", *interface_body(dev.interfaces[arg])]
    elif head == "vlan":
        vlan = dev.vlans[int(arg)]
        body = [f"vlan {vlan.vid}"]
        body += [f" description {vlan.description}"] if vlan.description else []
        body += [f" name {vlan.name}"] if vlan.name else []
    elif head == "ospf":
        lines = ospf_lines(dev, enc)
        if len(views_) > 1:
            area = views_[1].split()[1]
            start = lines.index(f" area {area}")
            lines = [
                lines[i][1:] for i in range(start, len(lines)) if i == start or lines[i].startswith("  ")
            ]
        body = lines
    elif head == "acl":
        body = [f"acl number {arg.split()[-1]}", *(f" {r}" for r in dev.acls[arg.split()[-1]])]
    else:  # aaa
        body = aaa_lines(dev, enc)
    return Reply(text=NL.join(["#", *body, "#", "return"]) + NL)


def screen_length(ctx: Ctx, args: list[str]) -> Reply:
    length = cm.number(args, 0, 0, 512)
    cm.need(args, 2, 2)
    if not "temporary".startswith(args[1].lower()):
        raise CliError("unknown", arg=1)
    ctx.session.paging = length != 0
    if length:
        ctx.session.screen_length = length
    return cm.message("Info: The configuration takes effect on the current user terminal interface only.")


def save(ctx: Ctx, args: list[str]) -> Reply:
    cm.need(args, 0, 1)

    def confirm(answer: str) -> Reply:
        if answer.strip().lower() not in ("y", "yes"):
            return cm.DONE
        ctx.dev.save()
        ctx.dev.log(
            "CFM",
            4,
            "SAVE",
            "The user chose Y when deciding whether to save the configuration to the device.",
        )
        return cm.message(
            f"Now saving the current configuration to the slot 0..{NL}Save the configuration successfully."
        )

    ctx.session.pending = confirm
    return Reply(text=SAVE_NOTICE, paged=False, question="Are you sure to continue?[Y/N]")


def system_view(ctx: Ctx, args: list[str]) -> Reply:
    cm.need(args, 0, 0)
    ctx.session.mode = Mode.CONFIG
    ctx.session.views = []
    return cm.message("Enter system view, return user view with Ctrl+Z.")


def quit_(ctx: Ctx, args: list[str]) -> Reply:
    cm.need(args, 0, 0)
    session = ctx.session
    if session.mode is Mode.USER:
        session.closed = True
    elif session.views:
        session.views.pop()
    else:
        session.mode = Mode.USER
    return cm.DONE


def return_(ctx: Ctx, args: list[str]) -> Reply:
    cm.need(args, 0, 0)
    ctx.session.mode = Mode.USER
    ctx.session.views = []
    return cm.DONE


COMMON: dict[str, Handler] = {
    "display version": _page(lambda c: hw.display_version(c.dev)),
    "display device": _page(lambda c: hw.display_device(c.dev)),
    "display power": _page(lambda c: hw.display_power(c.dev)),
    "display fan": _page(lambda c: hw.display_fan(c.dev)),
    "display temperature": display_temperature,
    "display cpu-usage": _page(lambda c: hw.display_cpu_usage(c.dev)),
    "display memory-usage": _page(lambda c: hw.display_memory_usage(c.dev)),
    "display clock": _page(lambda c: hw.display_clock(c.dev)),
    "display ntp-service status": _page(lambda c: hw.display_ntp_status(c.dev)),
    "display logbuffer": _page(lambda c: hw.display_logbuffer(c.dev)),
    "display startup": _page(lambda c: hw.display_startup(c.dev)),
    "display esn": _page(lambda c: hw.display_esn(c.dev)),
    "display interface brief": _page(lambda c: netd.display_interface_brief(c.net, c.dev)),
    "display interface description": _page(lambda c: netd.display_interface_description(c.net, c.dev)),
    "display port vlan": _page(lambda c: netd.display_port_vlan(c.dev)),
    "display vlan": display_vlan,
    "display ospf peer": _page(lambda c: netd.display_ospf_peer(c.net, c.dev)),
    "display ospf peer brief": _page(lambda c: netd.display_ospf_peer_brief(c.net, c.dev)),
    "display lldp neighbor brief": _page(lambda c: lldp.vrp_brief(c.net, c.dev)),
    "display eth-trunk": _page(lambda c: lldp.vrp_eth_trunk(c.net, c.dev)),
    "dir": _page(lambda c: rancid_state.vrp_dir(c.dev)),  # lab/rancid_state.py
    "display license verbose": _page(lambda c: NL.join(rancid_state.vrp_license_verbose(c.dev))),
    "display current-configuration": display_current,
    "display saved-configuration": display_saved,
    "display this": display_this,
    "save": save,
    "screen-length": screen_length,
}
CONFIG_COMMON: dict[str, Handler] = {**COMMON, "quit": quit_, "return": return_}

USER_TABLE: CommandTable[Handler] = CommandTable({**COMMON, "system-view": system_view, "quit": quit_})
SYSTEM_COMMANDS: dict[str, Handler] = {
    "sysname": cm.sysname,
    "vlan": cm.vlan,
    "vlan batch": cm.vlan_batch,
    "undo vlan": cm.undo_vlan,
    "undo vlan batch": cm.undo_vlan_batch,
    "interface": cm.interface,
    "undo interface": cm.undo_interface,
    "ospf": cm.ospf,
    "undo ospf": cm.undo_ospf,
    "acl": cm.acl,
    "undo acl": cm.undo_acl,
    "aaa": cm.aaa,
    "ntp-service unicast-server": cm.ntp_server,
    "undo ntp-service unicast-server": cm.undo_ntp_server,
    "snmp-agent community": cm.snmp_community,
    "undo snmp-agent community": cm.undo_snmp_community,
    "ip route-static": cm.static_route,
    "undo ip route-static": cm.undo_static_route,
    **{word: cm.extra_line for word in cm.EXTRA_COMMANDS},
    **{f"undo {word}": cm.undo_extra_line for word in cm.EXTRA_COMMANDS},
}
SYSTEM_TABLE: CommandTable[Handler] = CommandTable({**CONFIG_COMMON, **SYSTEM_COMMANDS})
VIEW_TABLES: dict[str, CommandTable[Handler]] = {
    "interface": CommandTable(
        {
            **CONFIG_COMMON,
            "description": views.description,
            "undo description": views.undo_description,
            "shutdown": views.shutdown,
            "undo shutdown": views.undo_shutdown,
            "port link-type": views.link_type,
            "port default vlan": views.default_vlan,
            "undo port default vlan": views.undo_default_vlan,
            "port trunk allow-pass vlan": views.trunk_allow,
            "undo port trunk allow-pass vlan": views.undo_trunk_allow,
            "ip address": views.ip_address,
            "undo ip address": views.undo_ip_address,
            "ospf cost": views.ospf_cost,
            "undo ospf cost": views.undo_ospf_cost,
        }
    ),
    "vlan": CommandTable(
        {
            **CONFIG_COMMON,
            "description": views.description,
            "undo description": views.undo_description,
            "name": views.vlan_name,
            "undo name": views.undo_vlan_name,
        }
    ),
    "ospf": CommandTable({**CONFIG_COMMON, "area": views.area, "undo area": views.undo_area}),
    "area": CommandTable(
        {
            **CONFIG_COMMON,
            "network": views.network,
            "undo network": views.undo_network,
            "authentication-mode": views.authentication_mode,
            "undo authentication-mode": views.undo_authentication_mode,
        }
    ),
    "acl": CommandTable({**CONFIG_COMMON, "rule": views.rule, "undo rule": views.undo_rule}),
    "aaa": CommandTable(
        {**CONFIG_COMMON, "local-user": views.local_user, "undo local-user": views.undo_local_user}
    ),
}
# Commands that only read: everything else run in system view is recorded in the log buffer.
READ_ONLY = {h for h in COMMON.values() if h is not save} | {quit_, return_, system_view}


def view_suffix(view: str) -> str:
    head, _, arg = view.partition(" ")
    if head == "interface":
        return f"-{arg}"
    if head == "vlan":
        return f"-vlan{arg}"
    if head in ("ospf", "area"):
        return f"-{head}-{arg}"
    if head == "acl":
        acl_id = arg.split()[-1]
        kind = {"2": "basic", "3": "adv", "4": "L2"}.get(acl_id[0], "adv")
        return f"-acl-{kind}-{acl_id}"
    return f"-{head}"


class VrpCli:
    more_prompt = "  ---- More ----"
    # What a real S5700 sends after a key press at the More prompt: cursor back 42, blank, back 42.
    more_erase = "\x1b[42D" + " " * 42 + "\x1b[42D"

    def banner(self, ctx: Ctx) -> str:
        return NL.join(
            [
                "",
                "Info: The max number of VTY users is 5, and the number",
                "      of current VTY users on line is 1.",
                f"      The current login time is {iso_stamp(ctx.dev.now())}.",
                "",
            ]
        )

    def prompt(self, ctx: Ctx) -> str:
        if ctx.session.mode is Mode.USER:
            return f"<{ctx.dev.name}>"
        return f"[{ctx.dev.name}{''.join(view_suffix(v) for v in ctx.session.views)}]"

    def tables(self, ctx: Ctx) -> list[CommandTable[Handler]]:
        """Where a line is looked up: the current view first, then system view (VRP falls back to it)."""
        session = ctx.session
        if session.mode is Mode.USER:
            return [USER_TABLE]
        if not session.views:
            return [SYSTEM_TABLE]
        return [VIEW_TABLES[session.views[-1].split()[0]], SYSTEM_TABLE]

    def execute(self, ctx: Ctx, line: str) -> Reply:
        session = ctx.session
        if session.pending is not None:
            answer, session.pending = session.pending, None
            return answer(line)
        if not line.strip():
            return Reply(text="", paged=False)
        prompt = self.prompt(ctx)
        tables = self.tables(ctx)
        for depth, table in enumerate(tables):
            try:
                found = table.lookup(line)
            except Ambiguous:
                return self.error(prompt, line, "ambiguous", ambiguous_column(table, line))
            if found is None:
                continue
            handler, args = found
            keywords = len(line.split()) - len(args)
            saved_views = list(session.views)
            if depth > 0:
                session.views = []  # a system-view command typed in a sub-view runs in system view
            token = CURRENT.set((line, keywords))
            try:
                reply = handler(ctx, args)
            except CliError as err:
                session.views = saved_views
                return self.error(prompt, line, err.kind, self.column(line, keywords, err))
            finally:
                CURRENT.reset(token)
            if session.mode is Mode.CONFIG and handler not in READ_ONLY:
                self.record(ctx, line)
            return reply
        column = max(t.unknown_position(line) for t in tables)
        kind = "incomplete" if column >= len(line.rstrip()) else "unknown"
        if kind == "incomplete":
            column = len(line.rstrip()) + 1
        return self.error(prompt, line, kind, column)

    @staticmethod
    def column(line: str, keywords: int, err: CliError) -> int:
        columns = token_columns(line)
        index = err.absolute if err.absolute is not None else None
        if index is None and err.arg is not None:
            index = keywords + err.arg
        if index is None or index >= len(columns):
            return len(line.rstrip()) + 1
        return columns[index]

    @staticmethod
    def error(prompt: str, line: str, kind: str, column: int) -> Reply:
        # The caret sits under the echoed line, which follows the prompt on the terminal.
        return Reply(text=" " * (len(prompt) + column) + "^" + NL + ERROR_TEXT[kind], paged=False)

    @staticmethod
    def record(ctx: Ctx, line: str) -> None:
        ctx.dev.log(
            "SHELL",
            5,
            "CMDRECORD",
            f"Recorded command information. (Task=VT0, Ip=127.0.0.1, VpnName=, User={ctx.dev.username}, "
            f'AuthenticationMethod="Local-user", Command="{line.strip()}")',
        )


def ambiguous_column(table: CommandTable[Handler], line: str) -> int:
    """Column of the first token that abbreviates two different keywords."""
    tokens = line.split()
    columns = token_columns(line)
    candidates = table.keywords()
    for i, token in enumerate(tokens):
        words = {k[i] for k in candidates if len(k) > i and k[i].startswith(token.lower())}
        if len(words) > 1 and token.lower() not in words:
            return columns[i]
        candidates = [k for k in candidates if len(k) > i and k[i].startswith(token.lower())]
    return columns[-1] if columns else 0
