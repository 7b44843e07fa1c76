"""A raw interactive SSH client (paramiko, no netmiko) to see exactly what a device sends."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import paramiko
import pytest

from tests.conftest import RunningLab
from tests.integration.site_fixture import BuiltSite, build_site


class RawShell:
    """Bytes in, bytes out: what a terminal user (or another collector) sees."""

    def __init__(self, lab: RunningLab, name: str, password: str | None = None, timeout: float = 10) -> None:
        entry = lab.devices[name]
        profile = lab.profile(name)
        self.encoding = str(entry.get("encoding", "utf-8"))
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect(
            str(entry["host"]),
            port=int(entry["port"]),
            username=profile["username"],  # type: ignore[call-overload]
            password=password if password is not None else profile["password"],
            timeout=timeout,
            banner_timeout=timeout,
            auth_timeout=timeout,
            allow_agent=False,
            look_for_keys=False,
        )
        self.chan = self.client.invoke_shell(width=200, height=50)
        self.chan.settimeout(0.2)
        self.buffer = b""

    def read_until(self, pattern: bytes | str, timeout: float = 10) -> bytes:
        """Bytes up to and including the first match of `pattern` (a regex); the rest stays buffered."""
        if isinstance(pattern, str):
            pattern = pattern.encode()
        deadline = time.monotonic() + timeout
        while (match := re.search(pattern, self.buffer)) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{pattern!r} not seen; got {self.buffer[-300:]!r}")
            try:
                chunk = self.chan.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                raise EOFError(f"connection closed before {pattern!r}; got {self.buffer[-300:]!r}")
            self.buffer += chunk
        data, self.buffer = self.buffer[: match.end()], self.buffer[match.end() :]
        return data

    def read_for(self, seconds: float) -> bytes:
        """Everything that arrives within `seconds` (b"" if the device stays silent)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                chunk = self.chan.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                break
            self.buffer += chunk
        data, self.buffer = self.buffer, b""
        return data

    def send(self, text: str) -> None:
        self.chan.send(text.encode(self.encoding))

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def raw(lab: RunningLab) -> Iterator[Callable[..., RawShell]]:
    shells: list[RawShell] = []

    def open_shell(name: str, **kwargs: object) -> RawShell:
        shell = RawShell(lab, name, **kwargs)  # type: ignore[arg-type]
        shells.append(shell)
        return shell

    yield open_shell
    for shell in shells:
        shell.close()


@pytest.fixture(scope="session")
def built(lab: RunningLab, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The lab's site (see site_fixture.py), built once for the site and browser tests."""
    return build_site(lab, tmp_path_factory.mktemp("site"))
