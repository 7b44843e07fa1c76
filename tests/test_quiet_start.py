"""Every netkb command starts without noise: no deprecation warning from the libraries under it
(asyncssh and paramiko import DSA support, which cryptography deprecates)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    "command", [["--help"], ["lab", "--help"], ["collect", "--help"], ["parse", "--help"]]
)
def test_a_command_starts_without_warnings(command: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "netkb.cli", *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and done.stdout
    assert done.stderr == ""
