"""Helpers shared by the platform parsers: health words, uptime text, TextFSM runners."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from functools import cache
from importlib import resources
from io import StringIO
from pathlib import Path

import ntc_templates.parse as ntc_parse
import textfsm
from ntc_templates.parse import parse_output
from textfsm import clitable

from netkb.collector.parsers import ParseError

# The words devices print for a component's health, mapped to the shared status vocabulary.
# Roles (Master/Standby/Slave) are printed in place of a state for healthy main boards;
# VRP prints Supply/NotSupply for power, IOS prints GREEN/YELLOW/RED and Good/Bad.
_NORMAL = {
    "normal",
    "ok",
    "master",
    "standby",
    "slave",
    "supply",
    "good",
    "green",
    "enabled",
    "ready",
    "active",
}
_FAULT = {
    "fault",
    "faulty",
    "abnormal",
    "notsupply",
    "bad",
    "red",
    "yellow",
    "failed",
    "no input power",
    "removed",
}
_ABSENT = {"absent", "not present", "notpresent", "provisioned"}


def health(raw: str) -> str:
    word = raw.strip().lower()
    if word in _NORMAL:
        return "normal"
    if word in _FAULT:
        return "fault"
    if word in _ABSENT:
        return "absent"
    return "unknown"


_UNIT_SECONDS = {
    "year": 365 * 86400,
    "week": 7 * 86400,
    "day": 86400,
    "hour": 3600,
    "minute": 60,
    "second": 1,
}
_UPTIME_PART = re.compile(r"(\d+)\s*(year|week|day|hour|minute|second)s?\b")


def uptime_seconds(text: str) -> int:
    """'2 weeks, 2 days, 22 hours, 55 minutes' -> seconds (years as 365 days, as IOS counts)."""
    parts = _UPTIME_PART.findall(text)
    if not parts:
        raise ParseError(f"an uptime like '2 weeks, 3 days, 4 hours, 5 minutes', got {text!r}")
    return sum(int(n) * _UNIT_SECONDS[unit] for n, unit in parts)


def search(pattern: str, text: str, what: str, flags: int = re.MULTILINE) -> re.Match[str]:
    match = re.search(pattern, text, flags)
    if match is None:
        raise ParseError(f"{what} not found")
    return match


_compiled = threading.local()


def _fsm(template: str) -> textfsm.TextFSM:
    """A compiled TextFSM for this template text, one per thread, reset for each parse.

    Compiling costs more than parsing (each template holds dozens of regexes, too many for
    the re module's cache across all templates), and a TextFSM keeps state while parsing.
    """
    cache = _compiled.__dict__.setdefault("fsms", {})
    fsm = cache.get(template)
    if fsm is None:
        fsm = cache[template] = textfsm.TextFSM(StringIO(template))
    fsm.Reset()
    return fsm


@cache
def _own_template(name: str) -> str:
    return (resources.files("netkb.collector.parsers") / "templates" / f"{name}.textfsm").read_text(
        encoding="utf-8"
    )


def textfsm_own(template: str, text: str) -> list[dict[str, str]]:
    """Run one of our templates (collector/parsers/templates/<template>.textfsm)."""
    fsm = _fsm(_own_template(template))
    try:
        rows = fsm.ParseText(text)
    except textfsm.TextFSMError as exc:  # an `-> Error` rule met a line it does not accept
        raise ParseError(f"{template}: {exc}") from exc
    keys = [h.lower() for h in fsm.header]
    return [dict(zip(keys, row, strict=True)) for row in rows]


@cache
def _ntc_index() -> clitable.CliTable:
    return clitable.CliTable("index", str(Path(ntc_parse.__file__).parent / "templates"))


@cache
def _ntc_template(platform: str, command: str) -> str | None:
    """The text of the one ntc template for a command (None: none, or several chained)."""
    index = _ntc_index()
    row = index.index.GetRowMatch({"Platform": platform, "Command": command})
    if not row:
        return None
    names = index.index.index[row]["Template"].split(":")
    if len(names) != 1:
        return None
    return (Path(index.template_dir) / names[0]).read_text(encoding="utf-8")


def textfsm_ntc(platform: str, command: str, text: str) -> list[dict[str, str]]:
    """Run the ntc-templates template for a command (a template error is a parse error).

    The same result as ntc_templates.parse_output, without re-reading the template index
    and files on every call (that cost ~25 ms a call, most of a device's parsing time).
    """
    template = _ntc_template(platform, command)
    try:
        if template is None:
            return parse_output(platform=platform, command=command, data=text)
        fsm = _fsm(template)
        keys = [h.lower() for h in fsm.header]
        return [dict(zip(keys, row, strict=True)) for row in fsm.ParseText(text)]
    except (textfsm.Error, clitable.Error) as exc:  # rule failures (Error state), no template
        raise ParseError(f"{platform} '{command}' output the ntc template accepts: {exc}") from exc


def require_header(text: str, pattern: str, what: str) -> None:
    """A table parser's guard: no header means not this command's output."""
    if not re.search(pattern, text, re.MULTILINE):
        raise ParseError(f"{what} header not found")


def percent(text: str) -> int:
    return int(text.rstrip("%"))


def log_entry(m: re.Match[str]) -> dict[str, object]:
    """One log entry from a match with the groups time, severity, module, mnemonic and text."""
    return {
        "time": re.sub(r"\s+", " ", m["time"]),
        "severity": int(m["severity"]),
        "module": m["module"],
        "mnemonic": m["mnemonic"],
        "text": (m["text"] or "").strip(),
    }


def log_entries(text: str, entry: re.Pattern[str]) -> list[dict[str, object]]:
    """Log lines matched by `entry` (groups time, severity, module, mnemonic, text), in the
    order printed; an indented line continues the entry above (a wrapped long message)."""
    entries: list[dict[str, object]] = []
    for line in text.splitlines():
        if m := entry.match(line.strip()):
            entries.append(log_entry(m))
        elif entries and line.startswith((" ", "\t")) and line.strip():
            entries[-1]["text"] = f"{entries[-1]['text']} {line.strip()}"
    return entries


def without_noise(noise: re.Pattern[str]) -> Callable[[Callable[[str], object]], Callable[[str], object]]:
    """A parser decorator: the parser reads the output with every line `noise` matches emptied
    (echoed prompts, an inspection tool's banners, IOS's `show` time stamps)."""

    def cleaned(function: Callable[[str], object]) -> Callable[[str], object]:
        @functools.wraps(function)
        def parse(text: str) -> object:
            return function(noise.sub("", text))

        return parse

    return cleaned


def ospf_peer(m: re.Match[str]) -> dict[str, object]:
    """An `ospf_peers` row from a match with the groups rid, address, interface and state
    (`FULL/  DR` printed with its padding becomes `FULL/DR`)."""
    return {
        "router_id": m["rid"],
        "address": m["address"],
        "interface": m["interface"],
        "state": re.sub(r"/\s+", "/", m["state"]),
        "area": None,
    }


def clock_line(text: str, pattern: str, what: str) -> dict[str, str]:
    """`display clock` / `show clock`: the line `pattern` finds (its group 1), as printed."""
    return {"text": search(pattern, text, what).group(1)}


def buffer_entries(text: str, header: str, entry: re.Pattern[str], what: str) -> list[dict[str, object]]:
    """The log entries after the buffer's `header` line; an output without that header must
    start with an entry (a device configured to print none), else it is not a log buffer."""
    start = re.search(header, text, re.MULTILINE)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if start is None and not entry.match(first):
        raise ParseError(f"{what} header not found")
    return log_entries(text[start.end() :] if start else text, entry)


def ntp_status(text: str, reference: str) -> dict[str, object]:
    """Comware and VRP `display ntp-service status`: `Clock status:`, `Clock stratum:` and the
    line naming the reference (`reference` captures it), case-insensitive."""
    flags = re.MULTILINE | re.IGNORECASE
    status = search(r"^\s*clock status:\s*(\S+)", text, "'Clock status:' line", flags)
    synchronized = status.group(1).lower() == "synchronized"
    stratum = re.search(r"^\s*clock stratum:\s*(\d+)", text, flags)
    peer = re.search(reference, text, flags)
    return {
        "synchronized": synchronized,
        "server": peer.group(1) if synchronized and peer else None,
        "stratum": int(stratum.group(1)) if stratum else None,
    }
