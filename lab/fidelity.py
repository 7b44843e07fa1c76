"""`netkb lab check`: an outside client's view of the lab.

Logs into every device of a running lab with netmiko's own, unmodified drivers, runs every
command netkb's collector runs on that platform (collector/specs), and parses the outputs
with ntc-templates where a template exists.
A device passes when it logs in, answers every command without a CLI error, and each
template that is known to be right yields rows.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from netmiko import ConnectHandler
from ntc_templates.parse import parse_output

from netkb.collector.login import verify_echo
from netkb.spec import Command, load_spec

NTC_PLATFORM = {"comware": "hp_comware", "vrp": "huawei_vrp", "ios": "cisco_ios", "rgos": "ruijie_os"}


@dataclass
class DeviceCheck:
    name: str
    platform: str
    commands: int = 0
    parsed: int = 0  # commands whose ntc template produced rows
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def commands_for(entry: dict[str, object]) -> list[Command]:
    """The commands netkb's collector runs on this platform (collector/specs)."""
    return list(load_spec(str(entry["platform"])).commands)


def load_inventory(path: Path) -> tuple[list[dict[str, object]], dict[str, dict[str, str]]]:
    inventory = yaml.safe_load(path.read_text(encoding="utf-8"))
    creds_path = path.parent / str(inventory.get("credentials_file", "credentials.yml"))
    profiles = yaml.safe_load(creds_path.read_text(encoding="utf-8"))["profiles"]
    return inventory["devices"], profiles


def connect(entry: dict[str, object], profile: dict[str, str], timeout: float = 30):  # type: ignore[no-untyped-def]
    conn = ConnectHandler(
        device_type=load_spec(str(entry["platform"])).netmiko_driver,
        host=str(entry["host"]),
        port=int(entry["port"]),  # type: ignore[call-overload]
        username=profile["username"],
        password=profile["password"],
        secret=profile.get("enable", ""),
        encoding=str(entry.get("encoding", "utf-8")),
        timeout=timeout,
        conn_timeout=timeout,
        auth_timeout=timeout,
        banner_timeout=timeout,
        fast_cli=True,
        ssh_config_file=None,
        allow_agent=False,
        use_keys=False,
    )
    verify_echo(conn)
    return conn


def check_device(entry: dict[str, object], profile: dict[str, str]) -> DeviceCheck:
    result = DeviceCheck(str(entry["name"]), str(entry["platform"]))
    started = time.monotonic()
    try:
        with connect(entry, profile) as conn:
            if load_spec(result.platform).enable:
                conn.enable()
            errors = load_spec(result.platform).errors
            for command in commands_for(entry):
                # The prompt found at login stays right; finding it again per command races
                # with data in flight on a loaded lab (see collector.login).
                output = conn.send_command(command.command, read_timeout=60, auto_find_prompt=False)
                result.commands += 1
                if any(marker in output for marker in errors):
                    if not command.optional:  # optional: not every device has it (IRF, WLAN)
                        last_line = output.strip().splitlines()[-1]
                        result.problems.append(f"{command.command}: CLI error: {last_line}")
                    continue
                if _ntc_rows(result.platform, command.command, output):
                    result.parsed += 1
    except Exception as exc:  # the check reports every failure per device and goes on
        result.problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    result.seconds = time.monotonic() - started
    return result


def _ntc_rows(platform: str, command: str, output: str) -> int:
    try:
        return len(parse_output(platform=NTC_PLATFORM[platform], command=command, data=output))
    except Exception:  # no template for this command (or it fails): not the lab's verdict
        return 0


def run_check(inventory: Path, workers: int = 8) -> Iterator[DeviceCheck]:
    devices, profiles = load_inventory(inventory)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(lambda e: check_device(e, profiles[str(e["credentials"])]), devices)
