"""`netkb collect` against the lab over real SSH, into a real git repository."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncssh
import git
import pytest
import yaml

from netkb.fingerprint import fingerprint
from netkb.lab.fidelity import connect
from netkb.lab.model import Device
from netkb.lab.topology import build_network
from tests.conftest import RunningLab

FAST = {"timeouts": {"connect": 10, "command": 20, "device": 60}, "retries": 0}


def workspace(tmp: Path, lab: RunningLab, **settings: object) -> Path:
    (tmp / "netkb.yml").write_text(yaml.safe_dump({**FAST, **settings}), encoding="utf-8")
    return tmp


def collect(
    ws: Path, lab: RunningLab, *args: str, check: bool = True, inventory: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`netkb collect` on the lab (or on `inventory`, an edited copy of the lab's)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "netkb.cli",
            "collect",
            "--inventory",
            str(inventory or lab.inventory),
            *args,
        ],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "CI": "true"},
    )
    if check and result.returncode not in (0, 1):
        raise AssertionError(result.stderr + result.stdout)
    return result


def start_collect(ws: Path, lab: RunningLab, *args: str, **popen: object) -> subprocess.Popen[str]:
    """A collect in the background (to kill or interrupt it); output discarded unless piped."""
    options: dict[str, object] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, **popen}
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "netkb.cli", "collect", "--inventory", str(lab.inventory), *args],
        cwd=ws,
        text=True,
        env={**os.environ, "CI": "true"},
        **options,
    )


def device_commits(ws: Path) -> list[str]:
    repo = git.Repo(ws / "configs")
    return [c.message.strip() for c in repo.iter_commits() if not c.message.startswith("run ")]


def latest_record(ws: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(sorted((ws / "configs" / "runs").glob("*/*/*.json"))[-1].read_text(encoding="utf-8"))


def secret_values(dev: Device) -> set[str]:
    s = dev.secrets
    values = {dev.password, *(u.password for u in s.users), *(c.name for c in s.snmp_communities)}
    values |= {k for u in s.snmp_users for k in (u.auth_key, u.priv_key)}
    values |= {a.key for a in s.aaa_servers} | {p.psk for p in s.ike_peers}
    values |= {n.key for n in s.ntp_servers if n.key} | {s.super_password or "", dev.enable_password or ""}
    if dev.ospf:
        values |= {a.md5_key for a in dev.ospf.areas if a.md5_key}
    return {v for v in values if v}


def test_full_collect_then_no_noise(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    first = collect(ws, lab)
    assert first.returncode == 0, first.stdout + first.stderr
    commits = device_commits(ws)
    assert sorted(c.split(":")[0] for c in commits) == sorted(lab.devices)
    assert all(c.endswith("first snapshot") for c in commits)
    for name in lab.devices:
        assert (ws / "configs" / "devices" / name / "config.txt").stat().st_size > 500
        assert (ws / "configs" / "devices" / name / "state" / "version.yml").exists()

    # Uptime, CPU, clocks, logs and VRP's re-encrypted ciphers all moved: nothing to commit.
    for _ in range(10):
        again = collect(ws, lab, "--workers", "16")
        assert again.returncode == 0, again.stdout
    assert len(device_commits(ws)) == len(lab.devices)
    record = latest_record(ws)
    assert record["counts"] == {"unchanged": len(lab.devices), "changed": 0, "failed": 0}
    assert record["devices"]["core-1"]["measures"]["cpu"]["five_seconds"] >= 0

    # No secret of any device anywhere in the history, redacted or not.
    history = git.Repo(ws / "configs").git.log("-p", "--all")
    net = build_network(lab.size, lab.seed)
    for dev in net.devices.values():
        for value in secret_values(dev):
            assert value not in history, (dev.name, value)
    assert "<secret:" in history


def test_the_parse_cache_lives_in_cache_dir_and_another_netkbs_is_ignored(
    lab: RunningLab, tmp_path: Path
) -> None:
    ws = workspace(tmp_path, lab, cache_dir="ci-cache/netkb")  # relative to netkb.yml's folder
    assert collect(ws, lab, "--limit", "agg-sport,rlab-2").returncode == 0
    kept = ws / "ci-cache" / "netkb" / "parse-cache.json"
    data = json.loads(kept.read_text(encoding="utf-8"))
    assert data["fingerprint"] == fingerprint() and data["entries"]
    assert not (ws / ".netkb" / "cache").exists() and not list((ws / "configs" / ".git").glob("*cache*"))
    before = device_commits(ws)

    # Kept by CI across an upgrade: another netkb's results (wrong for this one) are not used.
    data["fingerprint"] = "another netkb"
    data["entries"] = {k: "sysname stale\n" if isinstance(v, str) else v for k, v in data["entries"].items()}
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert collect(ws, lab, "--limit", "agg-sport,rlab-2").returncode == 0
    assert device_commits(ws) == before  # nothing stale committed
    assert json.loads(kept.read_text(encoding="utf-8"))["fingerprint"] == fingerprint()
    assert collect(ws, lab, "--limit", "agg-sport", "--shard", "1/1").returncode == 0
    assert (ws / "ci-cache" / "netkb" / "parse-cache-shard1of1.json").exists()  # a shard's own file


def test_a_config_change_is_one_commit_naming_its_sections(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    collect(ws, lab, "--limit", "agg-sport,rlab-2")
    before = device_commits(ws)
    with connect(lab.devices["agg-sport"], lab.profile("agg-sport")) as conn:
        conn.send_config_set(
            [
                "interface Ten-GigabitEthernet1/0/25",
                "ospf cost 55",
                "quit",
                "vlan 640",
                "name sport-new",
                "description 体育馆新增",
            ]
        )
        conn.save_config()
    result = collect(ws, lab, "--limit", "agg-sport,rlab-2")
    assert result.returncode == 0
    new = device_commits(ws)[: len(device_commits(ws)) - len(before)]
    assert len(new) == 1
    assert new[0].startswith("agg-sport: ")
    assert "interface Ten-GigabitEthernet1/0/25" in new[0] and "vlan 640" in new[0]
    diff = git.Repo(ws / "configs").git.show("HEAD~1")
    assert "+ ospf cost 55" in diff and "体育馆新增" in diff


def test_a_changed_secret_changes_its_marker_only(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    collect(ws, lab, "--limit", "rlab-2")
    with connect(lab.devices["rlab-2"], lab.profile("rlab-2")) as conn:
        conn.enable()
        conn.send_config_set(["snmp-server community Brand-New-Community-9 RO"])
        conn.save_config()
    collect(ws, lab, "--limit", "rlab-2")
    diff = git.Repo(ws / "configs").git.show("HEAD~1")
    assert "Brand-New-Community-9" not in diff
    assert "+snmp-server community <secret:" in diff


FAILING = {
    "auth-failure": "authentication failed",
    "connection-refused": "connection refused",
    "hang": "no answer",
    "disconnect": "connection lost",
    "truncated-config": "config incomplete",
    "paging-stuck": "no prompt within",
}


@pytest.mark.parametrize("kind", sorted(FAILING))
def test_a_failing_device_keeps_its_last_good_snapshot(lab: RunningLab, tmp_path: Path, kind: str) -> None:
    ws = workspace(tmp_path, lab, timeouts={"connect": 5, "command": 8, "device": 30})
    victim, bystander = "acc-sport-01", "acc-lab-01"
    collect(ws, lab, "--limit", f"{victim},{bystander}")
    files = {p: p.read_bytes() for p in (ws / "configs" / "devices" / victim).rglob("*") if p.is_file()}
    lab.fault(victim, kind)
    try:
        result = collect(ws, lab, "--limit", f"{victim},{bystander}")
    finally:
        lab.clear(victim)
    assert result.returncode == 1
    record = latest_record(ws)["devices"]
    assert record[victim]["outcome"] == "failed"
    assert FAILING[kind] in record[victim]["reason"]
    assert record[bystander]["outcome"] == "unchanged"
    assert {p: p.read_bytes() for p in files} == files


def test_hardware_fault_is_a_state_change_not_a_failure(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    collect(ws, lab, "--limit", "core-2")
    lab.fault("core-2", "fan")
    try:
        result = collect(ws, lab, "--limit", "core-2")
    finally:
        lab.clear("core-2")
    assert result.returncode == 0
    assert device_commits(ws)[0] == "core-2: state fans"
    fans = yaml.safe_load((ws / "configs/devices/core-2/state/fans.yml").read_text(encoding="utf-8"))
    assert any(f["status"] == "fault" for f in fans)


def test_gb18030_descriptions_arrive_exactly(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    names = [n for n, e in lab.devices.items() if e.get("encoding") == "gb18030"]
    collect(ws, lab, "--limit", ",".join(names))
    net = build_network(lab.size, lab.seed)
    for name in names:
        config = (ws / "configs" / "devices" / name / "config.txt").read_text(encoding="utf-8")
        for iface in net.devices[name].interfaces.values():
            if iface.description and not iface.description.isascii():
                assert iface.description in config, (name, iface.description)
        assert "\ufffd" not in config


def test_killed_runs_leave_a_valid_repository(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    limit = "acc-lib-02,acc-teach-02,acc-lab-02,dorm-03,rlab-1"
    for seed in range(3):
        delay = random.Random(seed).uniform(0.5, 4.0)
        proc = start_collect(ws, lab, "--limit", limit)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if (ws / "configs" / ".git").exists():
            fsck = subprocess.run(
                ["git", "fsck", "--full"], cwd=ws / "configs", capture_output=True, text=True
            )
            assert fsck.returncode == 0, fsck.stderr
    result = collect(ws, lab, "--limit", limit)
    assert result.returncode == 0, result.stdout + result.stderr
    repo = git.Repo(ws / "configs")
    assert not repo.is_dirty(untracked_files=True)
    assert subprocess.run(["git", "fsck", "--full"], cwd=ws / "configs").returncode == 0


def test_a_second_concurrent_run_is_refused(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    lab.fault("acc-lib-03", "slow")
    try:
        first = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "netkb.cli",
                "collect",
                "--inventory",
                str(lab.inventory),
                "--limit",
                "acc-lib-03",
            ],
            cwd=ws,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "CI": "true"},
        )
        deadline = time.monotonic() + 30
        while not (ws / "configs" / ".git" / "netkb-collect.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        second = collect(ws, lab, "--limit", "acc-lib-01", check=False)
        first.send_signal(signal.SIGINT)  # refused is all this test needs: stop the slow one (exit 130)
        first.communicate(timeout=60)
    finally:
        lab.clear("acc-lib-03")
    assert second.returncode == 2
    assert "another collect is running" in second.stderr


@pytest.mark.parametrize("store", ["known_hosts.d/acc-lab-03", "known_hosts"])
def test_a_changed_host_key_fails_the_device(lab: RunningLab, tmp_path: Path, store: str) -> None:
    ws = workspace(tmp_path, lab)
    first = collect(ws, lab, "--limit", "acc-lab-03")
    assert "first contact" in first.stdout
    own = ws / "configs" / "known_hosts.d" / "acc-lab-03"
    if store == "known_hosts":  # a repository from before per-device key files: one shared file
        (ws / "configs" / "known_hosts").write_text(own.read_text())
        own.unlink()
    # Pretend the device was swapped: the store holds another ed25519 key for its address.
    known = ws / "configs" / store
    port = lab.devices["acc-lab-03"]["port"]
    other_key = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode().split()[1]
    lines = [
        f"[127.0.0.1]:{port} ssh-ed25519 {other_key}" if line.startswith(f"[127.0.0.1]:{port} ") else line
        for line in known.read_text().splitlines()
    ]
    known.write_text("\n".join(lines) + "\n")
    result = collect(ws, lab, "--limit", "acc-lab-03")
    assert result.returncode == 1
    reason = latest_record(ws)["devices"]["acc-lab-03"]["reason"]
    assert reason.startswith("host key of acc-lab-03 ([127.0.0.1]:") and "changed" in reason
    assert f"pinned in {store})" in reason and "netkb accept acc-lab-03" in reason
