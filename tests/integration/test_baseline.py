"""The baseline on the lab over real SSH: its devices pass and fail rules as their configs say,
and a config change on the device fixes a failure on the next night."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from netkb.lab.fidelity import connect
from tests.conftest import RunningLab
from tests.integration.test_collect import collect, workspace

# One device per platform, and Comware 5 beside Comware 7.
DEVICES = "core-1,acc-admin-01,dorm-01,rlab-1,rg-acc-1"


def compliance(ws: Path, lab: RunningLab) -> tuple[int, dict[str, dict[str, dict]]]:  # type: ignore[type-arg]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "netkb.cli",
            "compliance",
            "--inventory",
            str(lab.inventory),
            "--limit",
            DEVICES,
            "--json",
        ],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(result.stdout)
    return result.returncode, {d["device"]: {r["rule"]: r for r in d["results"]} for d in report["devices"]}


def test_lab_devices_fail_and_pass_as_their_configs_say(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    collect(ws, lab, "--limit", DEVICES)
    status, found = compliance(ws, lab)
    assert status == 1  # the lab's devices are not hardened: the gate is closed
    verdicts = {name: {rule: r["verdict"] for rule, r in rules.items()} for name, rules in found.items()}
    # Comware 7 on core-1: its version line says Telnet and SSH1 are off by default, its config
    # prints `password-recovery enable`, its VTY lines keep the 10-minute default.
    assert verdicts["core-1"]["telnet-disabled"] == "pass"
    assert verdicts["core-1"]["password-recovery-disabled"] == "fail"
    assert verdicts["core-1"]["vty-idle-timeout"] == "pass"
    assert verdicts["core-1"]["ntp"] == "pass"
    # Comware 5 on acc-admin-01: Telnet's default is on and not printed, so the config cannot tell.
    assert verdicts["acc-admin-01"]["telnet-disabled"] == "unknown"
    # IOS on rlab-1: ssh-only vty lines, `ip ssh version 2`, `no ip http server`, RADIUS logins.
    assert {r: verdicts["rlab-1"][r] for r in ("telnet-disabled", "ssh-v2-only", "http-server-off")} == {
        "telnet-disabled": "pass",
        "ssh-v2-only": "pass",
        "http-server-off": "pass",
    }
    assert verdicts["rlab-1"]["aaa-management-login"] == "pass"
    assert verdicts["rg-acc-1"]["aaa-management-login"] == "pass"
    for name in ("dorm-01", "rlab-1", "rg-acc-1"):
        assert verdicts[name]["snmp-community-acl"] == "fail"  # communities without an ACL

    # dorm-01's down access ports are not shut down; shutting them fixes the rule the next night.
    unused = found["dorm-01"]["unused-ports-shutdown"]
    assert unused["verdict"] == "fail"
    ports = [line["text"].removeprefix("interface ") for line in unused["lines"]]
    assert ports and all(p.startswith("GigabitEthernet") for p in ports)
    commands = [c for p in ports for c in (f"interface {p}", "shutdown", "quit")]
    with connect(lab.devices["dorm-01"], lab.profile("dorm-01")) as conn:
        conn.send_config_set(commands)
        conn.save_config()
    try:
        collect(ws, lab, "--limit", "dorm-01")
        _, found = compliance(ws, lab)
        assert found["dorm-01"]["unused-ports-shutdown"]["verdict"] == "pass"
    finally:
        with connect(lab.devices["dorm-01"], lab.profile("dorm-01")) as conn:
            conn.send_config_set([c for p in ports for c in (f"interface {p}", "undo shutdown", "quit")])
            conn.save_config()
