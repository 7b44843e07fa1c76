"""The netmiko adapter: log into one device (login.py) and run its platform's commands.

Every failure becomes a `FetchError` (fetch_errors.py) whose message is the one-line reason a
user sees. The whole fetch ends by the device's deadline (session_guard.py).
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import paramiko
from netmiko.exceptions import ReadException

from netkb.collector.fetch_errors import AuthFailed, BudgetUsedUp, Cancelled, FetchError
from netkb.collector.hostkeys import KnownHosts
from netkb.collector.login import connect
from netkb.collector.session_guard import Cancel, Watchdog, time_left
from netkb.credentials import Credential
from netkb.inventory import DeviceEntry
from netkb.settings import Timeouts
from netkb.spec import Command, PlatformSpec


@dataclass
class Fetched:
    outputs: dict[str, str]  # command -> decoded output (netmiko strips echo and prompt)
    unsupported: list[str] = field(default_factory=list)  # optional commands the device lacks
    undecodable_bytes: int = 0
    encoding_hint: str | None = None  # with undecodable bytes: an encoding all the bytes decode in
    seconds: float = 0.0


def _is_error(output: str, spec: PlatformSpec) -> str | None:
    for marker in spec.errors:
        if marker in output:
            return marker
    return None


def _send(conn: Any, command: str, timeouts: Timeouts, deadline: float) -> str:
    """One command's output, within `timeouts.command` and what is left of the device's time."""
    left = time_left(deadline)
    if left <= 0:
        raise BudgetUsedUp(f"stopped before {command!r}")
    wait = min(timeouts.command, left)
    asked = time.monotonic()
    try:
        return str(conn.send_command(command, read_timeout=wait))
    except ReadException as exc:
        if "timed" in str(exc).lower() or type(exc).__name__ == "ReadTimeout":
            waited = time.monotonic() - asked
            # Silence and a slow answer look the same from here: the cause is named only when known.
            cause = BudgetUsedUp if wait < timeouts.command else FetchError
            hint = (
                "" if cause is BudgetUsedUp else " (device hung or slower than that, or paging not disabled)"
            )
            raise cause(f"no prompt within {waited:.0f} s after {command!r}{hint}") from None
        raise FetchError(f"{command!r}: connection lost during the output") from None
    except (OSError, EOFError, paramiko.SSHException):
        raise FetchError(f"{command!r}: connection lost during the output") from None


def _enable(conn: Any, credential: Credential, spec: PlatformSpec) -> None:
    if credential.enable and spec.enable:
        try:
            conn.enable()
        except (ValueError, ReadException) as exc:
            raise AuthFailed("enable (privileged mode) was refused: check the profile's 'enable'") from exc


@dataclass
class _Commands:
    """The spec's commands sent over one logged-in session, and how fast the device answered."""

    conn: Any
    spec: PlatformSpec
    timeouts: Timeouts
    deadline: float
    cancel: Cancel | None
    started: float
    connected: float = field(default_factory=time.monotonic)
    asked: float = 0.0
    answered: int = 0

    def __post_init__(self) -> None:
        self.asked = self.connected

    def ask(self, text: str) -> str:
        try:
            output = _send(self.conn, text, self.timeouts, self.deadline)
        except FetchError as exc:
            if self.cancel is not None and self.cancel.cancelled.is_set():
                waited = time.monotonic() - self.started
                raise Cancelled(f"interrupted at {text!r} after {waited:.0f} s") from None
            if isinstance(exc, BudgetUsedUp) and self.answered:
                # What is known: the device answered, this slowly (slow, not hung).
                each = (self.asked - self.connected) / self.answered
                raise BudgetUsedUp(
                    f"{exc}; it had answered {self.answered} command(s), {each:.1f} s each"
                ) from None
            raise
        self.answered += 1
        self.asked = time.monotonic()
        return output

    def run(self, command: Command, result: Fetched) -> None:
        """Newer releases rename some commands (VRP YunShan: `display device power`): the spec
        lists them as alternatives, tried in order after a vendor error."""
        marker = None
        for text in (command.command, *command.alternatives):
            output = self.ask(text)
            marker = _is_error(output, self.spec)
            if not marker:
                result.outputs[command.command] = output
                return
        if command.optional:
            result.unsupported.append(command.command)
            return
        tried = f" (and {', '.join(map(repr, command.alternatives))})" if command.alternatives else ""
        raise FetchError(f"{command.command!r}{tried} answered with an error: {marker}")


def _close(conn: Any, result: Fetched, watchdog: Watchdog, cancel: Cancel | None) -> None:
    """Note the bytes the session could not decode, then end it; a failed goodbye changes nothing."""
    result.undecodable_bytes = getattr(conn.channel, "replaced", 0)
    if result.undecodable_bytes:
        result.encoding_hint = conn.channel.suggested_encoding()
    with contextlib.suppress(Exception):
        conn.disconnect()
    watchdog.cancel()
    if cancel is not None:
        cancel.close(conn)


def fetch(
    entry: DeviceEntry,
    credential: Credential,
    spec: PlatformSpec,
    known_hosts: KnownHosts,
    timeouts: Timeouts,
    deadline: float | None = None,
    cancel: Cancel | None = None,
) -> Fetched:
    """Run every command of the spec on one device, done by `deadline` (`time.monotonic()`;
    default: `timeouts.device` from now)."""
    started = time.monotonic()
    if deadline is None:
        deadline = started + timeouts.device
    conn = connect(entry, credential, spec, known_hosts, timeouts, deadline, cancel)
    result = Fetched(outputs={})
    # A wait netmiko does not bound by our read timeouts (enable, a goodbye) ends at the deadline too.
    watchdog = Watchdog(conn, time_left(deadline) + 1.0)
    commands = _Commands(conn, spec, timeouts, deadline, cancel, started)
    try:
        _enable(conn, credential, spec)
        for command in spec.commands:
            commands.run(command, result)
    finally:
        _close(conn, result, watchdog, cancel)
    result.seconds = time.monotonic() - started
    return result
