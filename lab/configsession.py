"""The netmiko adapter of a scenario: make a change through a device's configuration mode,
as an engineer would (system-view / configure terminal, the commands, return, save).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from netmiko.exceptions import ConfigInvalidException, NetmikoBaseException
from netmiko.ssh_dispatcher import CLASS_MAPPER

from netkb.credentials import Credential
from netkb.inventory import DeviceEntry
from netkb.spec import load_spec

LOGOUT = {"comware": "quit", "vrp": "quit", "ios": "exit", "rgos": "exit"}
# Refusals the collector's spec does not list because no display command prints them.
CONFIG_ERRORS = {
    "vrp": r"^\s*Error:",
    "comware": r"^ Please set the link type",
    "ios": r"^% ",
    "rgos": r"^% ",
}


class ConfigChangeError(Exception):
    """The device refused the change, or could not be reached; the message says which and why."""


@cache
def _driver_class(device_type: str, logout: str) -> type:
    base = CLASS_MAPPER[device_type]

    def cleanup(self: Any, command: str = "") -> None:
        # netmiko's own cleanup first asks whether the session is still in config mode and
        # waits two seconds of silence for the answer; we left config mode ourselves.
        self.write_channel(logout + self.RETURN)

    def check_config_mode(
        self: Any, check_string: str = "]", pattern: str = "", force_regex: bool = False
    ) -> bool:
        # netmiko's VRP driver reads the answer by waiting out two seconds of silence; the
        # prompt (`<name>` in user view, `[name…]` in system view) ends the answer sooner.
        self.write_channel(self.RETURN)
        return check_string in self.read_until_pattern(pattern=r"[>\]]\s*$", re_flags=re.M)

    methods: dict[str, Any] = {"cleanup": cleanup}
    if device_type == "huawei":
        methods["check_config_mode"] = check_config_mode
    return type(f"Scenario{base.__name__}", (base,), methods)


def apply_config(entry: DeviceEntry, credential: Credential, commands: list[str], save: bool) -> str:
    """Send `commands` in configuration mode, then save unless told not to; returns the session text."""
    platform = entry.platform.value
    spec = load_spec(platform)
    try:
        conn: Any = _driver_class(spec.netmiko_driver, LOGOUT[platform])(
            host=entry.host,
            port=entry.port,
            username=credential.username,
            password=credential.password,
            secret=credential.enable or "",
            encoding=entry.encoding,
            fast_cli=True,
            allow_agent=False,
            use_keys=False,
            ssh_config_file=None,
            conn_timeout=20,
        )
    except (NetmikoBaseException, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigChangeError(f"{entry.name}: cannot log in to make the change: {first}") from exc
    try:
        if credential.enable and spec.enable:
            conn.enable()
        # With echo verification (the Comware driver turns it off for the session) and an error
        # pattern, netmiko reads each command's echo and answer before sending the next one, and
        # stops at the first command the device refuses, instead of waiting out a silence.
        conn.global_cmd_verify = None
        refused = "|".join([*(re.escape(marker) for marker in spec.errors), CONFIG_ERRORS[platform]])
        output: str = conn.send_config_set(commands, error_pattern=refused)
        if save:
            output += conn.save_config()
        return output
    except ConfigInvalidException as exc:
        raise ConfigChangeError(f"{entry.name}: the device refused the change: {exc}") from exc
    except NetmikoBaseException as exc:
        raise ConfigChangeError(f"{entry.name}: the change failed half-way: {exc}") from exc
    finally:
        conn.disconnect()
