"""`timeouts.device` bounds the wall-clock time of a device, and Ctrl-C stops a collect promptly."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import git
import pytest

from tests.conftest import RunningLab
from tests.integration.test_collect import collect, latest_record, start_collect, workspace

# Small budgets: a hung device must cost at most its device timeout, retries and backoff included.
BOUNDED = {"timeouts": {"connect": 5, "command": 6, "device": 8}, "retries": 2, "retry_backoff": 1.0}
SLACK = 2.0  # seconds over the device timeout allowed for closing the session


@pytest.fixture
def faults(lab: RunningLab) -> Iterator[list[str]]:
    injected: list[str] = []
    yield injected
    for device in injected:  # a failing test still leaves a healthy lab behind
        lab.clear(device)


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("hang", "logged in, but no answer (no prompt) within"),
        ("slow", "no prompt within"),
    ],
)
def test_a_hung_or_slow_device_costs_at_most_its_device_timeout(
    lab: RunningLab, tmp_path: Path, faults: list[str], kind: str, said: str
) -> None:
    ws = workspace(tmp_path, lab, **BOUNDED)
    victim = "acc-sport-02"
    faults.append(victim)
    lab.fault(victim, kind)
    started = time.monotonic()
    result = collect(ws, lab, "--limit", victim)
    took = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    device = latest_record(ws)["devices"][victim]
    assert device["outcome"] == "failed"
    assert device["seconds"] <= 8 + SLACK, device
    assert said in device["reason"], device["reason"]
    assert "device budget 8 s" in device["reason"], device["reason"]
    # The elapsed time said is the real one, not the configured wait.
    assert "within 60 s" not in device["reason"] and "within 20 s" not in device["reason"]
    assert took < 8 + SLACK + 15, took  # the process itself: start-up and commit on top


def test_ctrl_c_stops_promptly_and_keeps_what_finished(
    lab: RunningLab, tmp_path: Path, faults: list[str]
) -> None:
    ws = workspace(tmp_path, lab, timeouts={"connect": 60, "command": 60, "device": 120}, retries=0)
    hung, healthy = ["acc-lib-02", "acc-teach-02"], ["rlab-1", "acc-lab-02"]
    for device in hung:
        faults.append(device)
        lab.fault(device, "hang")
    proc = start_collect(
        ws,
        lab,
        "--limit",
        ",".join(hung + healthy),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        # Wait until the healthy devices are written (the branch moves only at the end of the run)
        # and only the hung ones are left.
        configs = [ws / "configs" / "devices" / name / "config.txt" for name in healthy]
        deadline = time.monotonic() + 15
        while not all(c.exists() for c in configs) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(c.exists() for c in configs)
        time.sleep(1.0)
        # Ctrl-C as a terminal sends it: to the whole group, git fast-import included.
        os.killpg(proc.pid, signal.SIGINT)
        signalled = time.monotonic()
        out, err = proc.communicate(timeout=30)
        took = time.monotonic() - signalled
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, out + err
    assert took <= 2.0, took
    assert "interrupted" in err and "acc-lib-02" in err, err
    record = latest_record(ws)
    devices = record["devices"]
    assert sorted(devices) == sorted(hung + healthy)
    for name in healthy:
        assert devices[name]["outcome"] == "changed", devices[name]
    for name in hung:
        assert devices[name]["outcome"] == "failed"
        assert "interrupted" in devices[name]["reason"], devices[name]
    repo = git.Repo(ws / "configs")
    assert str(repo.head.commit.message).startswith("run "), repo.head.commit.message
    assert "2 interrupted" in str(repo.head.commit.message)
    assert sorted(m.split(":")[0] for m in _device_commits(ws)) == sorted(healthy)
    assert subprocess.run(["git", "fsck", "--full"], cwd=ws / "configs", capture_output=True).returncode == 0
    # The next run goes on from there as after any run.
    for device in hung:
        lab.clear(device)
    again = collect(ws, lab, "--limit", ",".join(hung + healthy))
    assert again.returncode == 0, again.stdout + again.stderr


def _device_commits(ws: Path) -> list[str]:
    """Device commits on the branch, read with plain git (the run holds its own lock, not git's)."""
    if not (ws / "configs" / ".git").exists():
        return []
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=ws / "configs", capture_output=True, text=True
    ).stdout
    return [line for line in log.splitlines() if line and not line.startswith("run ")]
