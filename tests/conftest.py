"""Fixtures shared by all tests: a running lab over real SSH, stopped even when tests fail."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from netkb import fingerprint
from netkb.lab.topology import DEFAULT_DEVICES


def _first_base() -> int:
    """Each xdist worker probes its own part of the range: two workers probing at the same moment
    would otherwise find the same free ports and start two labs on them."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return 21000 + (int(worker) % 4 if worker.isdigit() else 0) * 2700


def free_port_range(count: int, start: int | None = None) -> int:
    """A base port below the ephemeral range with `count` free ports after it."""
    first = _first_base() if start is None else start
    for base in [*range(first, 32000 - count, 97), *range(21000, first, 97)]:
        try:
            socks = []
            for port in range(base, base + count):
                sock = socket.socket()
                socks.append(sock)
                sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
        return base
    raise RuntimeError("no free port range for the lab")


@pytest.fixture
def upgrade_netkb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Calling it makes this process another netkb, as after `pip install -U ntc-templates`: the
    real fingerprint (netkb/fingerprint.py) is computed again and differs."""
    real = fingerprint.metadata.version

    def upgrade() -> None:
        monkeypatch.setattr(
            fingerprint.metadata, "version", lambda name: "99.0" if name == "ntc-templates" else real(name)
        )
        fingerprint.fingerprint.cache_clear()

    fingerprint.fingerprint.cache_clear()
    yield upgrade
    fingerprint.fingerprint.cache_clear()  # the real one again, once monkeypatch has undone


def netkb(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real `netkb` command line."""
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


@dataclass
class RunningLab:
    state: Path
    inventory: Path
    devices: dict[str, dict[str, object]]
    profiles: dict[str, dict[str, str]]
    seed: int
    size: int

    def profile(self, name: str) -> dict[str, str]:
        return self.profiles[str(self.devices[name]["credentials"])]

    def fault(self, device: str, kind: str) -> None:
        netkb("lab", "--state", str(self.state), "fault", device, kind)

    def clear(self, device: str, kind: str | None = None) -> None:
        netkb("lab", "--state", str(self.state), "fault", device, *([kind] if kind else []), "--clear")


def start_lab(state: Path, devices: int, seed: int = 0) -> RunningLab:
    base = free_port_range(devices)
    for attempt in range(3):  # another process may take the ports between the probe and the start
        result = netkb(
            "lab", "--state", str(state), "start", "--devices", str(devices), "--seed", str(seed),
            "--base-port", str(base), check=attempt == 2,
        )  # fmt: skip
        if result.returncode == 0:
            break
        base = free_port_range(devices, start=base + 97 * (1 + devices // 97))
    inventory = Path(result.stdout.strip().splitlines()[-1])
    data = yaml.safe_load(inventory.read_text(encoding="utf-8"))
    profiles = yaml.safe_load((inventory.parent / "credentials.yml").read_text(encoding="utf-8"))["profiles"]
    return RunningLab(state, inventory, {d["name"]: d for d in data["devices"]}, profiles, seed, devices)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """The default campus lab, shared by the integration tests; faults are cleared by each test."""
    state = tmp_path_factory.mktemp("lab")
    try:
        yield start_lab(state, DEFAULT_DEVICES, seed=7)
    finally:
        netkb("lab", "--state", str(state), "stop", check=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden files of the rendered pages"
    )
