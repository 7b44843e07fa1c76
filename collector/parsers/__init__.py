"""Parsers: pure functions from one command's output text to plain data.

Each spec entry names a parser `module.function` (its `parsers` module, e.g. `<module>.version`);
`get_parser`
resolves it. Every topic has one output schema shared by all platforms, so the checklist
rules downstream never need to know which vendor they are looking at:

- version      {"model": str, "software": str}
- uptime       int seconds
- boards       [{"slot", "type", "status", "raw_status"}]
- manuinfo     [{"slot", "name", "serial"}]
- power, fans  [{"id", "status", "raw_status"}]
- temperature  [{"slot", "sensor", "celsius", "warning", "alarm"}]  (plus "status" and "raw_status"
               where the device prints its own word, e.g. GREEN/YELLOW, a Status column, or a
               one-line `TEMPERATURE is OK` with celsius/warning/alarm None)
- cpu          {"five_seconds", "one_minute", "five_minutes"}  (busiest slot; None where not printed)
- memory       {"used_percent": float}
- interfaces   [{"name", "admin", "oper", "description"}]  (full interface names)
- vlans        [{"id": int, "name", "status"}]
- ospf_peers   [{"router_id", "address", "interface", "state", "area"}]
- neighbours   [{"interface", "neighbour", "neighbour_interface", "chassis_id"}]  (LLDP; local names
               full, the far end's as it advertises them; None where not advertised)
- irf          [{"member", "role", "priority", "mac"}]
- files        [{"name", "size": int}]  (regular files of `dir`; directories, logs and traces left out)
- boot         {"current": [str] | None, "next": [str]}  (images running now, where printed; at next boot)
               (+ "backup": [str] where printed; + "slots": [{"slot", "current", "next", "backup"}] where
               several boards print their own, Comware `display boot-loader`)
- startup      {"current": str | None, "next": str | None} (+ "backup" where set)  (configuration files)
- licences     [{"name", "type", "state"}]  (+ "description", "value", "tag", "count", "slot" where printed;
               [] where the device says it has none)
- vtp          {"version", "domain", "mode", "pruning"}
- aps          [{"name", "state", "model", "ip"}]
- ntp          {"synchronized": bool, "server", "stratum"}
- clock        {"text": str}
- logbuffer    [{"time", "severity", "module", "mnemonic", "text"}]

`status` is one of normal | fault | absent | unknown; `raw_status` keeps the device's word.
Text that is not the expected shape raises ParseError: a wrong answer must never look
like a healthy empty one.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

from netkb.spec import PLATFORMS, load_spec


def parser_modules() -> tuple[str, ...]:
    """The modules the platform specs name (`parsers:`), plus `common` for shared parsers."""
    return tuple(sorted({load_spec(p).parsers for p in PLATFORMS}))


class ParseError(Exception):
    """The output is not the shape the parser expects (says what was not found)."""


def get_parser(name: str) -> Callable[[str], object]:
    """The function a spec names, `<module>.<function>`."""
    module_name, _, function_name = name.partition(".")
    modules = parser_modules()
    if module_name not in modules or not function_name or function_name.startswith("_"):
        raise LookupError(f"unknown parser {name!r}: expected <{'|'.join(modules)}>.<function>")
    module = importlib.import_module(f"netkb.collector.parsers.{module_name}")
    function = getattr(module, function_name, None)
    if not callable(function):
        raise LookupError(
            f"unknown parser {name!r}: netkb.collector.parsers.{module_name} has no {function_name}()"
        )
    return _plain_newlines(function)


def _plain_newlines(function: Callable[[str], object]) -> Callable[[str], object]:
    """Devices end lines with CR LF (and some pad with CR); parsers are written for plain LF."""

    @functools.wraps(function)
    def parse(text: str) -> object:
        return function(text.replace("\r\n", "\n").replace("\r", "\n"))

    return parse
