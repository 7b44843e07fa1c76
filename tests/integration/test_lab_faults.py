"""Each lab fault is seen by a client exactly as on a real device, and clears."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator

import paramiko
import pytest
from netmiko.exceptions import NetmikoAuthenticationException

from netkb.lab.fidelity import connect
from tests.conftest import RunningLab
from tests.integration.conftest import RawShell

BAD_STATES = re.compile(r"\b(Fault|FAULT|Faulty|FAULTY|Abnormal|Absent|NOT PRESENT|Bad|BAD|NotSupply)\b")


@pytest.fixture
def faulty(lab: RunningLab) -> Iterator[Callable[[str, str], None]]:
    injected: list[str] = []

    def inject(device: str, kind: str) -> None:
        injected.append(device)
        lab.fault(device, kind)

    yield inject
    for device in injected:  # a failing test still leaves a healthy lab behind
        lab.clear(device)


def run(lab: RunningLab, name: str, *commands: str) -> list[str]:
    entry = lab.devices[name]
    with connect(entry, lab.profile(name)) as conn:
        if entry["platform"] == "ios":
            conn.enable()
        return [conn.send_command(c, read_timeout=30) for c in commands]


HARDWARE = [
    ("agg-lib", "fan", "display fan"),
    ("core-1", "power", "display power"),
    ("core-1", "board", "display device"),
    ("acc-admin-01", "fan", "display fan"),
    ("dorm-01", "fan", "display fan"),
    ("dorm-01", "power", "display power"),
    ("rlab-1", "fan", "show environment all"),
    ("rlab-1", "power", "show environment all"),
]


@pytest.mark.parametrize(("name", "kind", "command"), HARDWARE)
def test_hardware_faults_show_as_the_device_prints_them(lab: RunningLab, faulty, name, kind, command) -> None:  # type: ignore[no-untyped-def]
    (healthy,) = run(lab, name, command)
    assert not BAD_STATES.search(healthy), healthy
    faulty(name, kind)
    (broken,) = run(lab, name, command)
    assert BAD_STATES.search(broken), broken
    lab.clear(name, kind)
    (again,) = run(lab, name, command)
    assert not BAD_STATES.search(again), again


def _numbers(text: str, pattern: str) -> list[int]:
    return [int(x) for x in re.findall(pattern, text)]


def test_high_cpu_and_temperature(lab: RunningLab, faulty) -> None:  # type: ignore[no-untyped-def]
    cpu, _ = run(lab, "agg-lib", "display cpu-usage", "display environment")
    assert max(_numbers(cpu, r"(\d+)%")) < 50
    faulty("agg-lib", "cpu")
    faulty("agg-lib", "temperature")
    cpu, env_hot = run(lab, "agg-lib", "display cpu-usage", "display environment")
    assert max(_numbers(cpu, r"(\d+)%")) >= 88
    # Comware's table: slot, sensor, temperature, lower, warning, alarm, shutdown.
    rows = re.findall(r"^\s*\d+\s+\S+\s+\d+\s+(\d+)\s+(-?\d+)\s+(\d+)", env_hot, re.M)
    assert any(int(t) > int(w) for t, _, w in rows), env_hot


def test_ospf_neighbour_down_on_both_ends(lab: RunningLab, faulty) -> None:  # type: ignore[no-untyped-def]
    (before,) = run(lab, "agg-lib", "display ospf peer")
    full_before = before.count("Full")
    faulty("agg-lib", "ospf-down")
    (after,) = run(lab, "agg-lib", "display ospf peer")
    assert after.count("Full") == full_before - 1
    lab.clear("agg-lib", "ospf-down")
    (again,) = run(lab, "agg-lib", "display ospf peer")
    assert again.count("Full") == full_before


def test_error_logs_reboot_and_unsaved_config(lab: RunningLab, faulty) -> None:  # type: ignore[no-untyped-def]
    name = "acc-lib-01"
    version, logs = run(lab, name, "display version", "display logbuffer")
    assert not re.search(r"/[0-3]/", logs)
    assert not re.search(r"uptime is 0 weeks?, 0 days?, 0 hours?", version)
    faulty(name, "log-errors")
    faulty(name, "reboot")
    faulty(name, "unsaved")
    version, logs, running, saved = run(
        lab,
        name,
        "display version",
        "display logbuffer",
        "display current-configuration",
        "display saved-configuration",
    )
    assert re.search(r"uptime is 0 weeks?, 0 days?, 0 hours?, [0-9] minutes?", version), version
    assert "临时变更-未保存" in running and "临时变更-未保存" not in saved
    lab.clear(name)
    running, saved = run(lab, name, "display current-configuration", "display saved-configuration")
    assert "临时变更-未保存" in saved


def test_auth_failure_and_connection_refused(lab: RunningLab, faulty) -> None:  # type: ignore[no-untyped-def]
    entry = lab.devices["acc-teach-01"]
    faulty("acc-teach-01", "auth-failure")
    with pytest.raises(NetmikoAuthenticationException):
        connect(entry, lab.profile("acc-teach-01"), timeout=10)
    lab.clear("acc-teach-01")
    faulty("acc-teach-01", "connection-refused")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", int(entry["port"])), timeout=5).close()  # type: ignore[call-overload]
    lab.clear("acc-teach-01")
    assert run(lab, "acc-teach-01", "display clock")[0].strip()


def test_hang_after_login(lab: RunningLab, faulty, raw) -> None:  # type: ignore[no-untyped-def]
    faulty("acc-teach-01", "hang")
    shell: RawShell = raw("acc-teach-01")  # SSH login itself succeeds
    shell.send("\n")
    assert shell.read_for(2.0) == b""  # …and then nothing, ever


def test_slow_device_answers_late(lab: RunningLab, faulty, raw) -> None:  # type: ignore[no-untyped-def]
    shell: RawShell = raw("acc-teach-01")
    shell.read_until(rb"<acc-teach-01>")
    faulty("acc-teach-01", "slow")
    started = time.monotonic()
    shell.send("display clock\n")
    shell.read_until(rb"<acc-teach-01>", timeout=15)
    assert time.monotonic() - started >= 2.5


def test_disconnect_in_the_middle_of_the_config(lab: RunningLab, faulty, raw) -> None:  # type: ignore[no-untyped-def]
    shell: RawShell = raw("agg-lib")
    shell.read_until(rb"<agg-lib>")
    shell.send("screen-length disable\n")
    shell.read_until(rb"<agg-lib>")
    faulty("agg-lib", "disconnect")
    shell.send("display current-configuration\n")
    with pytest.raises(EOFError):
        shell.read_until(rb"\r\nreturn\r\n", timeout=10)
    assert b"interface" in shell.buffer  # part of the output arrived before the drop


def test_truncated_config_has_no_trailer(lab: RunningLab, faulty) -> None:  # type: ignore[no-untyped-def]
    (full,) = run(lab, "agg-lib", "display current-configuration")
    assert full.rstrip().endswith("return")
    faulty("agg-lib", "truncated-config")
    (cut,) = run(lab, "agg-lib", "display current-configuration")
    assert not cut.rstrip().endswith("return")
    assert 0 < len(cut) < len(full)


def test_paging_stuck_on(lab: RunningLab, faulty, raw) -> None:  # type: ignore[no-untyped-def]
    faulty("dorm-01", "paging-stuck")
    shell: RawShell = raw("dorm-01")
    shell.read_until(rb"<dorm-01>")
    shell.send("screen-length 0 temporary\n")
    shell.read_until(rb"<dorm-01>")
    shell.send("display current-configuration\n")
    shell.read_until(rb"---- More ----")  # still paging: a collector waiting for the prompt times out


def test_unknown_fault_and_device_give_one_line_errors(lab: RunningLab) -> None:
    from tests.conftest import netkb

    result = netkb("lab", "--state", str(lab.state), "fault", "no-such-device", "fan", check=False)
    assert result.returncode == 2
    assert "no device named 'no-such-device'" in result.stdout
    result = netkb("lab", "--state", str(lab.state), "fault", "core-1", "meltdown", check=False)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_host_key_is_stable_across_restarts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from netkb.lab.topology import MIN_DEVICES
    from tests.conftest import netkb, start_lab

    keys = []
    try:
        for _ in range(2):
            small = start_lab(tmp_path, MIN_DEVICES)
            entry = small.devices["core-1"]
            transport = paramiko.Transport(("127.0.0.1", int(entry["port"])))  # type: ignore[call-overload]
            transport.start_client(timeout=10)
            keys.append(transport.get_remote_server_key().get_base64())
            transport.close()
            netkb("lab", "--state", str(tmp_path), "stop")
    finally:
        netkb("lab", "--state", str(tmp_path), "stop", check=False)
    assert keys[0] == keys[1]
