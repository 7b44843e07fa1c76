"""Cisco IOS (Catalyst 2960X / 3850) CLI: prompts, EXEC command tables, errors, enable, save.

Renderers live in ios_config (running/startup config), ios_show and ios_show_version (show
commands) and ios_configmode (configuration mode). This module dispatches lines and owns the exact IOS
error texts: the caret under the offending token (`% Invalid input detected at '^' marker.`),
`% Incomplete command.` and `% Ambiguous command:  "..."`.
"""

from __future__ import annotations

from netkb.lab import lldp, rancid_state
from netkb.lab.platforms import ios_config
from netkb.lab.platforms import ios_configmode as cm
from netkb.lab.platforms import ios_show as show
from netkb.lab.platforms import ios_show_net as shownet
from netkb.lab.platforms import ios_submodes as sub
from netkb.lab.platforms.base import Ambiguous, CommandTable, Ctx, Handler, Mode, Reply
from netkb.lab.platforms.ios_show_version import show_version

CONFIG_HELLO = "Enter configuration commands, one per line.  End with CNTL/Z."


def _lines(lines: list[str]) -> str:
    return "".join(line + "\r\n" for line in lines)


def noargs(render) -> Handler:
    """A command that takes no arguments: a trailing word is invalid input at that word."""

    def handler(ctx: Ctx, args: list[str]) -> Reply:
        if args:
            raise cm.BadArg(0)
        return Reply(_lines(render(ctx)))

    return handler


# --- EXEC handlers ------------------------------------------------------------------------


def _show_run(ctx: Ctx, args: list[str]) -> Reply:
    if args:
        if args[0].lower().startswith("int") and len(args) > 1:
            iface = cm.resolve_interface(ctx, args[1:])
            text = ios_config.running_config(ctx.dev)
            block = text.split("\r\n!\r\n")
            hit = next(b for b in block if b.startswith(f"interface {ios_config.if_name(iface)}\r\n"))
            size = len(hit.encode()) + 2
            head = f"Building configuration...\r\n\r\nCurrent configuration : {size} bytes\r\n!\r\n"
            return Reply(head + hit + "\r\nend\r\n\r\n")
        raise cm.BadArg(0)
    return Reply(ios_config.running_config(ctx.dev), is_config=True)


def _show_start(ctx: Ctx, args: list[str]) -> Reply:
    if args:
        raise cm.BadArg(0)
    return Reply(ios_config.startup_config(ctx.dev), is_config=True)


def _show_interfaces(ctx: Ctx, args: list[str]) -> Reply:
    dev, net, out = ctx.dev, ctx.net, []
    targets = [cm.resolve_interface(ctx, args)] if args else ios_config.ordered_interfaces(dev)
    for iface in targets:
        status, proto = shownet.link_states(net, dev, iface)
        suffix = "" if not iface.is_physical else " (connected)" if proto == "up" else " (notconnect)"
        if status.startswith("admin"):
            suffix = " (disabled)" if iface.is_physical else ""
        mac = show.mac_of(dev).replace(":", "")
        out.append(f"{ios_config.if_name(iface)} is {status}, line protocol is {proto}{suffix} ")
        hw = "Gigabit Ethernet" if iface.is_physical else "EtherSVI" if iface.mode == "vlanif" else "Loopback"
        dotted = f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"
        out.append(f"  Hardware is {hw}, address is {dotted} (bia {dotted})")
        if iface.description:
            out.append(f"  Description: {iface.description}")
        if iface.ip:
            out.append(f"  Internet address is {iface.ip}")
        out.append(f"  MTU 1500 bytes, BW {iface.speed_mbps * 1000} Kbit/sec, DLY 10 usec, ")
        out.append("     reliability 255/255, txload 1/255, rxload 1/255")
        out.append("  Encapsulation ARPA, loopback not set")
    return Reply(_lines(out))


def _terminal_length(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise cm.Incomplete
    if not args[0].isdigit() or int(args[0]) > 512:
        raise cm.BadArg(0)
    ctx.session.paging = int(args[0]) != 0
    if int(args[0]):
        ctx.session.screen_length = int(args[0])
    return Reply(paged=False)


def _terminal_width(ctx: Ctx, args: list[str]) -> Reply:
    if not args:
        raise cm.Incomplete
    if not args[0].isdigit() or not 0 <= int(args[0]) <= 512:
        raise cm.BadArg(0)
    ctx.session.width = int(args[0])
    return Reply(paged=False)


def _enable(ctx: Ctx, args: list[str]) -> Reply:
    if ctx.session.mode is not Mode.USER:
        return Reply(paged=False)
    secret = ios_config.enable_secret(ctx.dev)
    if secret is None:
        return Reply("% No password set\r\n", paged=False)
    aaa = bool(ctx.dev.secrets.aaa_servers)  # with aaa new-model one wrong try is "% Access denied"
    attempts = [0]

    def answer(line: str) -> Reply:
        ctx.session.pending = None
        if line.rstrip("\r\n") == secret:
            ctx.session.mode = Mode.ENABLE
            return Reply(paged=False)
        attempts[0] += 1
        if aaa:
            return Reply("% Access denied\r\n\r\n", paged=False)
        if attempts[0] >= 3:
            return Reply("% Bad secrets\r\n\r\n", paged=False)
        ctx.session.pending = answer
        return Reply(paged=False, question="Password: ", hide_input=True)

    ctx.session.pending = answer
    return Reply(paged=False, question="Password: ", hide_input=True)


def _disable(ctx: Ctx, args: list[str]) -> Reply:
    ctx.session.mode = Mode.USER
    return Reply(paged=False)


def _exit(ctx: Ctx, args: list[str]) -> Reply:
    ctx.session.closed = True
    return Reply(paged=False)


def _configure(ctx: Ctx, args: list[str]) -> Reply:
    if args and not "terminal".startswith(args[0].lower()):
        raise cm.BadArg(0)
    if not args:

        def answer(line: str) -> Reply:
            ctx.session.pending = None
            word = line.strip().lower() or "terminal"
            if not "terminal".startswith(word):
                return Reply('?Must be "terminal", "memory" or "network"\r\n', paged=False)
            return _configure(ctx, ["terminal"])

        ctx.session.pending = answer
        return Reply(paged=False, question="Configuring from terminal, memory, or network [terminal]? ")
    ctx.session.mode = Mode.CONFIG
    ctx.session.views = []
    return Reply(CONFIG_HELLO + "\r\n", paged=False)


def _write(ctx: Ctx, args: list[str]) -> Reply:
    if args:
        raise cm.BadArg(0)
    ctx.dev.save()
    return Reply("Building configuration...\r\n[OK]\r\n", paged=False)


def _copy_run_start(ctx: Ctx, args: list[str]) -> Reply:
    if args:
        raise cm.BadArg(0)

    def answer(line: str) -> Reply:
        ctx.session.pending = None
        name = line.strip() or "startup-config"
        if name not in ("startup-config", "nvram:startup-config", "nvram:/startup-config"):
            return Reply(f"%Error opening nvram:/{name} (No such file or directory)\r\n", paged=False)
        return _write(ctx, [])

    ctx.session.pending = answer
    return Reply(paged=False, question="Destination filename [startup-config]? ")


def _show(render) -> Handler:
    return noargs(render)


# The session's own commands and the way into configuration mode, shared with RGOS (rgos.py).
SESSION_COMMANDS: dict[str, Handler] = {
    "terminal length": _terminal_length,
    "terminal width": _terminal_width,
    "enable": _enable,
    "disable": _disable,
    "exit": _exit,
    "quit": _exit,
    "logout": _exit,
}
CONFIGURE_COMMANDS: dict[str, Handler] = {
    "configure": _configure,
    "configure terminal": lambda ctx, a: _configure(ctx, ["terminal", *a]),
}

_COMMON: dict[str, Handler] = {
    "show version": _show(lambda c: show_version(c.dev)),
    "show inventory": _show(lambda c: show.show_inventory(c.dev)),
    "show environment": _show(lambda c: show.show_environment(c.dev)),
    "show environment all": _show(lambda c: show.show_environment(c.dev)),
    "show processes": _show(lambda c: show.show_processes_cpu(c.dev)),
    "show processes cpu": _show(lambda c: show.show_processes_cpu(c.dev)),
    "show processes cpu sorted": _show(lambda c: show.show_processes_cpu(c.dev, sort=True)),
    "show processes memory": _show(lambda c: show.show_processes_memory(c.dev)),
    "show processes memory sorted": _show(lambda c: show.show_processes_memory(c.dev, sort=True)),
    "show memory statistics": _show(lambda c: show.show_memory_statistics(c.dev)),
    "show ip ospf neighbor": _show(lambda c: shownet.show_ospf_neighbor(c.net, c.dev)),
    "show lldp neighbors detail": _show(lambda c: lldp.ios_detail(c.net, c.dev)),
    "show etherchannel summary": _show(lambda c: lldp.ios_etherchannel(c.net, c.dev)),
    **{cmd: _show(lambda c, f=f: f(c.dev)) for cmd, f in rancid_state.IOS.items()},  # lab/rancid_state.py
    "show vlan brief": _show(lambda c: shownet.show_vlan_brief(c.dev)),
    "show vlan": _show(lambda c: shownet.show_vlan_brief(c.dev)[1:]),
    "show logging": _show(lambda c: shownet.show_logging(c.dev)),
    "show ip interface brief": _show(lambda c: shownet.show_ip_interface_brief(c.net, c.dev)),
    "show interfaces": _show_interfaces,
    "show interfaces status": _show(lambda c: shownet.show_interfaces_status(c.net, c.dev)),
    "show clock": _show(lambda c: shownet.show_clock(c.dev)),
    "show ntp status": _show(lambda c: shownet.show_ntp_status(c.dev)),
    "show switch": _show(lambda c: show.show_switch(c.dev)),
    **SESSION_COMMANDS,
}


def privileged_commands(show_run: Handler, show_start: Handler, write: Handler) -> dict[str, Handler]:
    """What privileged EXEC adds to a platform's common commands (IOS and RGOS alike): the
    configurations, configuration mode, and saving."""
    return {
        "show running-config": show_run,
        "show startup-config": show_start,
        **CONFIGURE_COMMANDS,
        "write": write,
        "write memory": write,
    }


USER_TABLE: CommandTable[Handler] = CommandTable(_COMMON)
ENABLE_TABLE: CommandTable[Handler] = CommandTable(
    {
        **_COMMON,
        **privileged_commands(_show_run, _show_start, _write),
        "copy running-config startup-config": _copy_run_start,
    }
)


def _token_column(line: str, index: int) -> int:
    """Column where the index-th whitespace-separated token of `line` starts."""
    column, tokens = 0, 0
    while column < len(line):
        while column < len(line) and line[column].isspace():
            column += 1
        if tokens == index or column >= len(line):
            return column
        while column < len(line) and not line[column].isspace():
            column += 1
        tokens += 1
    return column


class IosCli:
    more_prompt = " --More-- "
    # IOS answers a key at --More-- by backspacing over the prompt, blanking it, backspacing again.
    more_erase = "\x08" * 10 + " " * 10 + "\x08" * 10

    def banner(self, ctx: Ctx) -> str:
        return "\r\n" + "\r\n".join(ios_config.banner_lines(ctx.dev)) + "\r\n\r\n"

    def prompt(self, ctx: Ctx) -> str:
        name, session = ctx.dev.name, ctx.session
        if session.mode is Mode.USER:
            return f"{name}>"
        if session.mode is Mode.ENABLE:
            return f"{name}#"
        if not session.views:
            return f"{name}(config)#"
        return f"{name}({sub.submode_table(session.views[-1])[1]})#"

    def execute(self, ctx: Ctx, line: str) -> Reply:
        line = line.rstrip("\r\n")
        if ctx.session.pending is not None:  # the answer to our question (password, filename)
            answer, ctx.session.pending = ctx.session.pending, None
            return answer(line)
        if line.strip() == "\x1a" and ctx.session.mode is Mode.CONFIG:  # Ctrl-Z
            cm.leave_config(ctx)
            return Reply(paged=False)
        if not line.strip() or line.lstrip().startswith("!"):
            return Reply(paged=False)
        prompt = self.prompt(ctx)
        if ctx.session.mode is Mode.CONFIG:
            return self._config(ctx, line, prompt)
        table = USER_TABLE if ctx.session.mode is Mode.USER else ENABLE_TABLE
        return self._run(ctx, table, line, prompt)

    # --- dispatch -----------------------------------------------------------------------

    def _run(self, ctx: Ctx, table: CommandTable[Handler], line: str, prompt: str, offset: int = 0) -> Reply:
        try:
            found = table.lookup(line)
        except Ambiguous:
            return Reply(f'% Ambiguous command:  "{line.strip()}"\r\n', paged=False)
        if found is None:
            return self._unknown(table, line, prompt, offset)
        handler, args = found
        try:
            if handler is cm.if_description:
                return handler(ctx, args, line=line)
            return handler(ctx, args)
        except cm.Incomplete:
            return Reply("% Incomplete command.\r\n\r\n", paged=False)
        except cm.BadArg as bad:
            first_arg = len(line.split()) - len(args)
            return self._caret(prompt, offset + _token_column(line, first_arg + bad.index))

    def _unknown(self, table: CommandTable[Handler], line: str, prompt: str, offset: int) -> Reply:
        tokens = [t.lower() for t in line.split()]
        if len(tokens) == 1 and "show".startswith(tokens[0]) and len(tokens[0]) > 1:
            return Reply('% Type "show ?" for a list of subcommands\r\n', paged=False)
        for keys in table.keywords():
            if len(keys) > len(tokens) and all(keys[i].startswith(t) for i, t in enumerate(tokens)):
                return Reply("% Incomplete command.\r\n\r\n", paged=False)
        return self._caret(prompt, offset + table.unknown_position(line))

    @staticmethod
    def _caret(prompt: str, column: int) -> Reply:
        text = " " * (len(prompt) + column) + "^\r\n% Invalid input detected at '^' marker.\r\n\r\n"
        return Reply(text, paged=False)

    def _config(self, ctx: Ctx, line: str, prompt: str) -> Reply:
        session = ctx.session
        words = line.split()
        first = words[0].lower()
        if first == "end" and len(words) == 1:
            cm.leave_config(ctx)
            return Reply(paged=False)
        if first == "exit" and len(words) == 1:
            if session.views:
                session.views = []
            else:
                cm.leave_config(ctx)
            return Reply(paged=False)
        if first == "do" and len(words) > 1:
            rest = line[line.lower().index("do") + 2 :]
            offset = len(line) - len(rest)
            return self._run(ctx, ENABLE_TABLE, rest, prompt, offset)
        if session.views:
            table = sub.submode_table(session.views[-1])[0]
            try:
                known = table.lookup(line) is not None
            except Ambiguous:
                known = True
            if known:
                return self._run(ctx, table, line, prompt)
            # Unknown in the sub-mode: the global parser may take it (and leaves the sub-mode).
            try:
                if cm.GLOBAL.lookup(line) is None:
                    return self._run(ctx, table, line, prompt)
            except Ambiguous:
                pass
            views, session.views = session.views, []
            reply = self._run(ctx, cm.GLOBAL, line, prompt)
            if reply.text.endswith("marker.\r\n\r\n") and not session.views:
                session.views = views
            return reply
        return self._run(ctx, cm.GLOBAL, line, prompt)
