"""H3C Comware 5 and 7 CLI: banner, prompts, command dispatch, errors, paging, save.

Renderers live in comware_config.py (running configuration), comware_display.py (system
displays), comware_display_time.py (clock, NTP, log buffer), comware_display_net.py (interfaces,
VLANs, OSPF) and comware_configmode.py (system view and its sub-views). Real samples they
follow: tests/lab/reference/comware/SOURCES.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from netkb.lab import lldp, rancid_state
from netkb.lab.model import Device, Fault
from netkb.lab.platforms import comware_display as sysd
from netkb.lab.platforms import comware_display_net as netd
from netkb.lab.platforms import comware_display_time as timed
from netkb.lab.platforms.base import Ambiguous, CommandTable, Ctx, Mode, Reply
from netkb.lab.platforms.comware_config import render_config
from netkb.lab.platforms.comware_configmode import view_tables
from netkb.lab.platforms.comware_configmode_common import ConfigError, ConfigHandler, current_view
from netkb.lab.platforms.comware_text import CRLF, log_stamp, normalize_interface

Renderer = Callable[[Ctx, list[str]], Reply]

BANNER_RULE = "*" * 78


def _box(lines: list[str]) -> list[str]:
    return (
        [BANNER_RULE]
        + [f"* {line:<75}*" if len(line) < 76 else f"* {line}*" for line in lines]
        + [BANNER_RULE]
    )


def _garbage(ctx: Ctx) -> list[str]:
    """The garbage-output fault: a log line the info-center prints into the session."""
    dev = ctx.dev
    if Fault.GARBAGE_OUTPUT not in dev.faults:
        return []
    stamp = log_stamp(dev, dev.now())
    return ["", f"%{stamp} {dev.name} ARP/6/ARP_DUPLICATE_IPADDR_DETECT: Detected an IP address conflict."]


def _text(lines: list[str], *, is_config: bool = False) -> Reply:
    return Reply(text=CRLF.join(lines), is_config=is_config)


class ComwareCli:
    more_prompt = "  ---- More ----"
    # Comware moves the cursor back over the 16-character prompt, blanks it, and moves back.
    more_erase = "\x1b[16D" + " " * 16 + "\x1b[16D"

    def __init__(self, os_major: int) -> None:
        self.os_major = os_major
        self.v7 = os_major >= 7
        display: dict[str, Renderer] = {
            "display current-configuration": self._current_config,
            "display saved-configuration": self._saved_config,
            "display version": self._simple(lambda c: sysd.version(c.dev)),
            "display device": self._simple(lambda c: sysd.device(c.dev)),
            "display device manuinfo": self._simple(lambda c: sysd.manuinfo(c.dev)),
            "display power": self._simple(lambda c: sysd.power(c.dev)),
            "display fan": self._simple(lambda c: sysd.fan(c.dev)),
            "display environment": self._simple(lambda c: sysd.environment(c.dev)),
            "display cpu-usage": self._simple(lambda c: sysd.cpu_usage(c.dev)),
            "display memory": self._simple(lambda c: sysd.memory(c.dev)),
            "display interface brief": self._simple(lambda c: netd.interface_brief(c.net, c.dev)),
            "display vlan brief": self._simple(lambda c: netd.vlan_brief(c.dev) + _garbage(c)),
            "display vlan all": self._simple(lambda c: netd.vlan_all(c.dev)),
            "display ospf peer": self._simple(lambda c: netd.ospf_peer(c.net, c.dev)),
            "display logbuffer": self._simple(lambda c: timed.logbuffer(c.dev)),
            "display clock": self._simple(lambda c: timed.clock(c.dev)),
            "display ntp-service status": self._simple(lambda c: timed.ntp_status(c.dev)),
            "display wlan ap all": self._wlan,
            "display license": self._license,
            "display lldp neighbor-information list": self._simple(lambda c: lldp.comware_list(c.net, c.dev)),
            "display link-aggregation verbose": self._simple(
                lambda c: lldp.comware_aggregation(c.net, c.dev)
            ),
            **{cmd: self._simple(_on_device(f)) for cmd, f in rancid_state.COMWARE.items()},
            "save": self._save,
            "save force": self._save_force,
        }
        if self.v7:  # IRF: every Comware 7 box here; the Comware 5 S5120-SI has none
            display["display irf"] = self._simple(lambda c: sysd.irf(c.dev))
        self.any_view = CommandTable(display)
        user: dict[str, Renderer] = {
            **display,
            "quit": self._quit,
            "system-view": self._system_view,
            "screen-length disable": self._screen_length,
        }
        self.user_view = CommandTable(user)
        self.views = view_tables(os_major)

    # --- what the shell asks ----------------------------------------------------------

    def banner(self, ctx: Ctx) -> str:
        if self.v7:
            copyright_line = "Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved."
        else:
            copyright_line = "Copyright (c) 2004-2013 Hangzhou H3C Tech. Co., Ltd. All rights reserved."
        box = _box(
            [
                copyright_line,
                "Without the owner's prior written consent,",
                "no decompiling or reverse-engineering shall be allowed.",
            ]
        )
        return CRLF + CRLF.join(box) + CRLF + CRLF

    def prompt(self, ctx: Ctx) -> str:
        name = ctx.dev.name
        if ctx.session.mode is not Mode.CONFIG:
            return f"<{name}>"
        suffix = ""
        for view in ctx.session.views:
            kind, _, arg = view.partition(" ")
            if kind == "interface":
                suffix += f"-{arg}"
            elif kind == "vlan":
                suffix += f"-vlan{arg}"
            elif kind in ("ospf", "area"):
                suffix += f"-{kind}-{arg}"
            elif kind == "acl":
                acl_kind, number = arg.split()
                if acl_kind == "number":  # Comware 5 names the view by the number range
                    acl_kind = "basic" if int(number) < 3000 else "adv"
                short = {"advanced": "adv", "basic": "basic"}.get(acl_kind, acl_kind)
                suffix += f"-acl-ipv4-{short}-{number}" if self.v7 else f"-acl-{short}-{number}"
        return f"[{name}{suffix}]"

    def execute(self, ctx: Ctx, line: str) -> Reply:
        if ctx.session.pending is not None:
            pending, ctx.session.pending = ctx.session.pending, None
            return pending(line)
        if not line.strip():
            return Reply(text="", paged=False)
        prompt = self.prompt(ctx)
        # User view and the any-view table hold Renderers; the configuration views ConfigHandlers.
        tables: list[CommandTable[Renderer] | CommandTable[ConfigHandler]]
        if ctx.session.mode is not Mode.CONFIG:
            tables = [self.user_view]
        else:
            kind = current_view(ctx)[0]
            tables = [self.any_view, self.views[kind]]
            if kind != "system":  # a command unknown in a sub-view is tried in system view
                tables.append(self.views["system"])
        ambiguous = False
        for table in tables:
            try:
                found = table.lookup(line)
            except Ambiguous:
                ambiguous = True
                continue
            if found is None:
                continue
            handler, args = found
            try:
                if table is self.any_view or table is self.user_view:
                    return cast(Renderer, handler)(ctx, args)
                raw = _raw_after(line, len(line.split()) - len(args))
                return cast(ConfigHandler, handler)(ctx, args, raw)
            except ConfigError as err:
                if err.message:
                    return Reply(text=err.message, paged=False)
                first_arg = len(line.split()) - len(args)
                # A negative token counts from the start of the line (-1: the first keyword).
                index = -err.token - 1 if err.token < 0 else first_arg + err.token
                return self._error(prompt, line, err.kind, _column(line, index))
        keywords = [k for table in tables for k in table.keywords()]
        kind, column = _diagnose(line, keywords, ambiguous)
        return self._error(prompt, line, kind, column)

    # --- errors -----------------------------------------------------------------------

    def _error(self, prompt: str, line: str, kind: str, column: int) -> Reply:
        """The caret sits under the offending column of the echoed line, prompt included."""
        return Reply(
            text=f"{' ' * (len(prompt) + column)}^{CRLF} % {kind} found at '^' position.", paged=False
        )

    def _too_many(self, args: list[str]) -> None:
        if args:
            raise ConfigError("Too many parameters", 0)

    # --- user-view and any-view commands ----------------------------------------------

    def _simple(self, render: Callable[[Ctx], list[str]]) -> Renderer:
        def handler(ctx: Ctx, args: list[str]) -> Reply:
            self._too_many(args)
            return _text(render(ctx))

        return handler

    def _current_config(self, ctx: Ctx, args: list[str]) -> Reply:
        lines = render_config(ctx.dev)
        if args:
            if not "interface".startswith(args[0].lower()):
                raise ConfigError("Wrong parameter", 0)
            name = normalize_interface(" ".join(args[1:])) if len(args) > 1 else None
            if len(args) > 1 and (name is None or name not in ctx.dev.interfaces):
                raise ConfigError("Wrong parameter", 1)
            lines = _interface_sections(lines, name)
        return _text(lines + _garbage(ctx), is_config=True)

    def _saved_config(self, ctx: Ctx, args: list[str]) -> Reply:
        self._too_many(args)
        return _text(render_config(ctx.dev.saved or ctx.dev), is_config=True)

    def _license(self, ctx: Ctx, args: list[str]) -> Reply:
        if not ctx.dev.aps:  # licensing: the wireless-controller card's AP licence only
            raise ConfigError("Unrecognized command", -2)
        self._too_many(args)
        return _text(rancid_state.comware_license(ctx.dev))

    def _wlan(self, ctx: Ctx, args: list[str]) -> Reply:
        if not ctx.dev.aps:  # only the core with the wireless-controller card knows `wlan`
            raise ConfigError("Unrecognized command", -2)
        self._too_many(args)
        return _text(sysd.wlan_ap_all(ctx.dev))

    def _quit(self, ctx: Ctx, args: list[str]) -> Reply:
        ctx.session.closed = True
        return Reply(text="", paged=False)

    def _system_view(self, ctx: Ctx, args: list[str]) -> Reply:
        self._too_many(args)
        ctx.session.mode, ctx.session.views = Mode.CONFIG, []
        return Reply(text="System View: return to User View with Ctrl+Z.", paged=False)

    def _screen_length(self, ctx: Ctx, args: list[str]) -> Reply:
        self._too_many(args)
        ctx.session.paging = False
        if self.v7:
            return Reply(text="", paged=False)
        return Reply(text=" % Screen-length configuration is disabled for current user.", paged=False)

    # --- save -------------------------------------------------------------------------

    def _saved_text(self) -> str:
        if self.v7:
            done = "Saved the current configuration to mainboard device successfully."
            return f"Validating file. Please wait...{CRLF}{done}"
        return f" Validating file. Please wait....{CRLF} Configuration is saved to device successfully."

    def _save_force(self, ctx: Ctx, args: list[str]) -> Reply:
        self._too_many(args)
        ctx.dev.save()
        return Reply(text=self._saved_text(), paged=False)

    def _save(self, ctx: Ctx, args: list[str]) -> Reply:
        self._too_many(args)
        lead = "" if self.v7 else " "
        session = ctx.session

        def yes_no(answer: str, then: Callable[[], Reply], again: Callable[[str], Reply]) -> Reply:
            word = answer.strip().lower()
            if word in ("y", "yes"):
                return then()
            if word in ("n", "no"):
                return Reply(text="", paged=False)
            session.pending = again
            return Reply(
                text="",
                paged=False,
                question=f"{lead}Before pressing ENTER you must choose 'YES' or 'NO'[Y/N]:",
            )

        def write() -> Reply:
            ctx.dev.save()
            return Reply(text=self._saved_text(), paged=False)

        def overwrite(answer: str) -> Reply:
            return yes_no(answer, write, overwrite)

        def file_name(answer: str) -> Reply:
            if answer.strip() and answer.strip() not in ("startup.cfg", "flash:/startup.cfg"):
                return write()  # a new file name: nothing to overwrite
            session.pending = overwrite
            return Reply(text="", paged=False, question="flash:/startup.cfg exists, overwrite? [Y/N]:")

        def ask_name() -> Reply:
            session.pending = file_name
            return Reply(
                text="",
                paged=False,
                question="Please input the file name(*.cfg)[flash:/startup.cfg]"
                f"{CRLF}(To leave the existing filename unchanged, press the enter key):",
            )

        def confirm(answer: str) -> Reply:
            return yes_no(answer, ask_name, confirm)

        session.pending = confirm
        return Reply(
            text="",
            paged=False,
            question=f"{lead}The current configuration will be written to the device. Are you sure? [Y/N]:",
        )


# --- line analysis --------------------------------------------------------------------


def _columns(line: str) -> list[int]:
    cols, i = [], 0
    while i < len(line):
        if line[i].isspace():
            i += 1
            continue
        cols.append(i)
        while i < len(line) and not line[i].isspace():
            i += 1
    return cols


def _column(line: str, index: int) -> int:
    cols = _columns(line)
    return cols[index] if index < len(cols) else len(line.rstrip()) + 1


def _raw_after(line: str, tokens: int) -> str:
    """The text after the first `tokens` words, spaces inside it kept (`description 一层 办公`)."""
    cols = _columns(line)
    return line[cols[tokens] :].rstrip() if tokens < len(cols) else ""


def _diagnose(line: str, keywords: list[tuple[str, ...]], ambiguous: bool) -> tuple[str, int]:
    """Which error a line gets and where its caret goes: unknown, ambiguous or incomplete."""
    tokens = line.split()
    cols = _columns(line)
    candidates = keywords
    for i, token in enumerate(tokens):
        word = token.lower()
        matching = [k for k in candidates if len(k) > i and k[i].startswith(word)]
        if not matching:
            return ("Unrecognized command", cols[i])
        words = {k[i] for k in matching}
        if len(words) > 1 and word not in words:
            return ("Ambiguous command", cols[i])
        candidates = [k for k in matching if k[i] == word or len(words) == 1]
    if ambiguous:
        return ("Ambiguous command", cols[-1])
    return ("Incomplete command", len(line.rstrip()) + 1)


def _interface_sections(lines: list[str], name: str | None) -> list[str]:
    """`display current-configuration interface [NAME]`: the interface blocks only."""
    out, keep = ["#"], False
    for line in lines:
        if line == "#":
            if keep:
                out.append("#")
            keep = False
            continue
        if line.startswith("interface "):
            keep = name is None or line == f"interface {name}"
        if keep:
            out.append(line)
    return [*out, "return"]


def _on_device(render: Callable[[Device], list[str]]) -> Callable[[Ctx], list[str]]:
    """A renderer of the device alone (lab/rancid_state.py) as a command's renderer."""
    return lambda ctx: render(ctx.dev)
