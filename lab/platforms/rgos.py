"""Ruijie RGOS CLI (RG-S2910, RG-S5750, RG-N18000): Cisco-like, so it is the IOS CLI with RGOS's
own command tables and renderers.

What it shares with IOS (lab/platforms/ios.py): the prompts `Hostname>` / `Hostname#` /
`Hostname(config)#`, `enable` asking `Password:`, ` --More-- ` paging turned off by
`terminal length 0`, `terminal width`, configuration mode and its sub-modes, and the error
texts (`% Invalid input detected at '^' marker.` under a caret, as a real RG-S8607E prints it).
What is its own: the `show` commands netkb/specs/rgos.yaml runs (rgos_show.py) and the
configuration (rgos_config.py).
"""

from __future__ import annotations

from netkb.lab import lldp, rancid_state
from netkb.lab.platforms import ios, rgos_config
from netkb.lab.platforms import rgos_show as show
from netkb.lab.platforms.base import CommandTable, Ctx, Handler, Mode, Reply


def _show_run(ctx: Ctx, args: list[str]) -> Reply:
    if args:
        raise ios.cm.BadArg(0)
    return Reply(rgos_config.running_config(ctx.dev), is_config=True)


def _show_start(ctx: Ctx, args: list[str]) -> Reply:
    if args:
        raise ios.cm.BadArg(0)
    return Reply(rgos_config.startup_config(ctx.dev), is_config=True)


def _write(ctx: Ctx, args: list[str]) -> Reply:
    if args and not "memory".startswith(args[0].lower()):
        raise ios.cm.BadArg(0)
    ctx.dev.save()
    return Reply("Building configuration...\r\n[OK]\r\n", paged=False)


_show = ios.noargs

_COMMON: dict[str, Handler] = {
    "show version": _show(lambda c: show.show_version(c.dev)),
    "show power": _show(lambda c: show.show_power(c.dev)),
    "show fan": _show(lambda c: show.show_fan(c.dev)),
    "show temperature": _show(lambda c: show.show_temperature(c.dev)),
    "show cpu": _show(lambda c: show.show_cpu(c.dev)),
    "show memory": _show(lambda c: show.show_memory(c.dev)),
    "show interfaces status": _show(lambda c: show.show_interfaces_status(c.net, c.dev)),
    "show vlan": _show(lambda c: show.show_vlan(c.dev)),
    "show ip ospf neighbor": _show(lambda c: show.show_ospf_neighbor(c.net, c.dev)),
    "show lldp neighbors detail": _show(lambda c: lldp.rgos_detail(c.net, c.dev)),
    "show logging": _show(lambda c: show.show_logging(c.dev)),
    "show clock": _show(lambda c: show.show_clock(c.dev)),
    "show ntp status": _show(lambda c: show.show_ntp_status(c.dev)),
    "dir": _show(lambda c: rancid_state.rgos_dir(c.dev)),  # lab/rancid_state.py
    **ios.SESSION_COMMANDS,
}
USER_TABLE: CommandTable[Handler] = CommandTable(_COMMON)
ENABLE_TABLE: CommandTable[Handler] = CommandTable(
    {**_COMMON, **ios.privileged_commands(_show_run, _show_start, _write)}
)


class RgosCli(ios.IosCli):
    """The IOS CLI with RGOS tables (see the module docstring)."""

    def banner(self, ctx: Ctx) -> str:
        return "\r\n" + "\r\n".join(ios.ios_config.banner_lines(ctx.dev)) + "\r\n\r\n"

    def execute(self, ctx: Ctx, line: str) -> Reply:
        line = line.rstrip("\r\n")
        if ctx.session.pending is not None or ctx.session.mode is Mode.CONFIG:
            return super().execute(ctx, line)  # an answer to a question, or configuration mode
        if not line.strip() or line.lstrip().startswith("!"):
            return Reply(paged=False)
        table = USER_TABLE if ctx.session.mode is Mode.USER else ENABLE_TABLE
        return self._run(ctx, table, line, self.prompt(ctx))
