"""`netkb lab check`: an outside client's view of the lab.

Logs into every device of a running lab with netmiko's own, unmodified drivers, runs every
command the lab answers, and parses the outputs with ntc-templates where a template exists.
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

NETMIKO_DRIVER = {"comware": "hp_comware", "vrp": "huawei", "ios": "cisco_ios"}
NTC_PLATFORM = {"comware": "hp_comware", "vrp": "huawei_vrp", "ios": "cisco_ios"}
CLI_ERRORS = ("% Unrecognized command", "Error: Unrecognized", "% Invalid input", "% Incomplete command")

COMMON = {
    "comware": [
        "display current-configuration",
        "display saved-configuration",
        "display version",
        "display device",
        "display device manuinfo",
        "display power",
        "display fan",
        "display environment",
        "display cpu-usage",
        "display memory",
        "display interface brief",
        "display vlan brief",
        "display ospf peer",
        "display logbuffer",
        "display clock",
        "display ntp-service status",
    ],
    "vrp": [
        "display current-configuration",
        "display saved-configuration",
        "display version",
        "display device",
        "display power",
        "display fan",
        "display temperature all",
        "display cpu-usage",
        "display memory-usage",
        "display interface brief",
        "display vlan",
        "display ospf peer brief",
        "display logbuffer",
        "display clock",
        "display ntp-service status",
    ],
    "ios": [
        "show running-config",
        "show startup-config",
        "show version",
        "show inventory",
        "show environment all",
        "show processes cpu",
        "show ip ospf neighbor",
        "show vlan brief",
        "show logging",
        "show ip interface brief",
        "show clock",
        "show ntp status",
    ],
}
# Commands only some devices answer (the others print the vendor's unknown-command error).
BY_ROLE = {("comware", "core"): ["display irf"]}
CONTROLLER_COMMANDS = ["display wlan ap all"]


@dataclass
class DeviceCheck:
    name: str
    platform: str
    commands: int = 0
    parsed: int = 0  # commands whose ntc template produced rows
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def commands_for(entry: dict[str, object]) -> list[str]:
    platform = str(entry["platform"])
    cmds = list(COMMON[platform]) + BY_ROLE.get((platform, str(entry.get("role"))), [])
    if entry.get("name") == "core-1":  # the core with the wireless-controller card
        cmds += CONTROLLER_COMMANDS
    return cmds


def load_inventory(path: Path) -> tuple[list[dict[str, object]], dict[str, dict[str, str]]]:
    inventory = yaml.safe_load(path.read_text(encoding="utf-8"))
    creds_path = path.parent / str(inventory.get("credentials_file", "credentials.yml"))
    profiles = yaml.safe_load(creds_path.read_text(encoding="utf-8"))["profiles"]
    return inventory["devices"], profiles


def connect(entry: dict[str, object], profile: dict[str, str], timeout: float = 30):  # type: ignore[no-untyped-def]
    return ConnectHandler(
        device_type=NETMIKO_DRIVER[str(entry["platform"])],
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


def check_device(entry: dict[str, object], profile: dict[str, str]) -> DeviceCheck:
    result = DeviceCheck(str(entry["name"]), str(entry["platform"]))
    started = time.monotonic()
    try:
        with connect(entry, profile) as conn:
            if result.platform == "ios":
                conn.enable()
            for command in commands_for(entry):
                output = conn.send_command(command, read_timeout=60)
                result.commands += 1
                if any(marker in output for marker in CLI_ERRORS):
                    result.problems.append(f"{command}: CLI error: {output.strip().splitlines()[-1]}")
                    continue
                if _ntc_rows(result.platform, command, output):
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
