"""Old firmware's SSH (the lab's `legacy-ssh` fault) over real SSH: SHA-1 only where the inventory says.

The fault makes a device offer what Comware 5.20, VRP V100/V200R00x and IOS 12.2/15.0 offer:
SHA-1 key exchange and an `ssh-rsa` host key signature, nothing else. A device marked
`legacy_ssh: true` is collected; the same device unmarked is refused with what to do, which is
also the proof, on the wire, that netkb offers a normal device no SHA-1 algorithm.
"""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import git
import paramiko
import pytest
import yaml

from netkb.lab.server import LEGACY_KEX
from tests.collector.test_fetch_algorithms import parse_kexinit
from tests.conftest import RunningLab
from tests.integration.test_collect import collect, latest_record, workspace

OLD = ["acc-admin-02", "dorm-02", "rlab-2"]  # Comware 5.20, VRP, IOS: one per platform


@pytest.fixture
def old_firmware(lab: RunningLab) -> Iterator[list[str]]:
    """The `OLD` devices with the legacy-ssh fault, cleared afterwards even if the test fails."""
    try:
        for name in OLD:
            lab.fault(name, "legacy-ssh")
        yield OLD
    finally:
        for name in OLD:
            lab.clear(name, "legacy-ssh")


def inventory_marking(lab: RunningLab, folder: Path, legacy: list[str]) -> Path:
    """The lab's inventory with `legacy_ssh: true` on the devices in `legacy`."""
    data = yaml.safe_load(lab.inventory.read_text(encoding="utf-8"))
    data["credentials_file"] = str(lab.inventory.parent / data["credentials_file"])
    for device in data["devices"]:
        if device["name"] in legacy:
            device["legacy_ssh"] = True
    path = folder / "inventory.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def collect_with(ws: Path, inventory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", "collect", "--inventory", str(inventory), *args],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=600,
    )


def server_offer(lab: RunningLab, name: str) -> dict[str, list[str]]:
    """The name-lists of the device's own KEXINIT, read from its port with a bare socket."""
    with socket.create_connection(("127.0.0.1", int(lab.devices[name]["port"])), timeout=10) as sock:
        sock.sendall(b"SSH-2.0-probe\r\n")
        stream = sock.makefile("rb")
        while not stream.readline().startswith(b"SSH-"):
            pass
        (length,) = struct.unpack(">I", stream.read(4))
        packet = stream.read(length)
    offer = parse_kexinit(packet[1 : length - packet[0]])
    # Protocol markers, not algorithms (RFC 8308 ext-info, OpenSSH's strict key exchange).
    offer["kex"] = [k for k in offer["kex"] if not k.startswith(("ext-info-", "kex-strict-"))]
    return offer


def test_the_fault_offers_only_what_old_firmware_offers(lab: RunningLab, old_firmware: list[str]) -> None:
    for name in old_firmware:
        offer = server_offer(lab, name)
        assert offer["kex"] == LEGACY_KEX, name
        assert offer["host_keys"] == ["ssh-rsa"], name


def test_a_device_marked_legacy_is_collected_over_sha1(
    lab: RunningLab, old_firmware: list[str], tmp_path: Path
) -> None:
    ws = workspace(tmp_path, lab)
    inventory = inventory_marking(lab, tmp_path, old_firmware)
    result = collect_with(ws, inventory, "--limit", ",".join(old_firmware))
    assert result.returncode == 0, result.stdout + result.stderr
    record = latest_record(ws)
    for name in old_firmware:
        assert record["devices"][name]["outcome"] == "changed", record["devices"][name]
        assert (ws / "configs" / "devices" / name / "config.txt").stat().st_size > 500
        # Trusted on first use like any key: the device's RSA host key.
        assert " ssh-rsa " in (ws / "configs" / "known_hosts.d" / name).read_text(encoding="utf-8")
    commits = [c.message for c in git.Repo(ws / "configs").iter_commits()]
    assert sum("first snapshot" in c for c in commits) == len(old_firmware)


def test_the_same_device_unmarked_is_refused_with_what_to_do(
    lab: RunningLab, old_firmware: list[str], tmp_path: Path
) -> None:
    ws = workspace(tmp_path, lab, retries=2)
    result = collect(ws, lab, "--limit", ",".join(old_firmware))
    assert result.returncode == 1
    record = latest_record(ws)
    for name in old_firmware:
        reason = record["devices"][name]["reason"]
        assert "\n" not in reason
        assert f"set 'legacy_ssh: true' for {name} in the inventory" in reason, reason
        assert "collision and downgrade attacks" in reason
        assert record["devices"][name]["attempts"] == 1  # not worth a retry
    # Refused during key exchange, before any login or command: nothing was committed.
    assert not (ws / "configs" / "devices" / OLD[0]).exists()


def test_sha1_is_what_the_unmarked_device_was_refused(lab: RunningLab, old_firmware: list[str]) -> None:
    """The refusal above is netkb's choice, not a lab defect: SHA-1 on, the device answers."""
    entry, profile = lab.devices[OLD[0]], lab.profile(OLD[0])
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(
            str(entry["host"]),
            port=int(entry["port"]),  # type: ignore[call-overload]
            username=profile["username"],
            password=profile["password"],
            timeout=10,
            allow_agent=False,
            look_for_keys=False,
        )
        transport = client.get_transport()
        assert transport is not None
        assert transport.host_key_type == "ssh-rsa"
        assert transport.remote_mac in ("hmac-sha1", "hmac-sha1-96")
    finally:
        client.close()
