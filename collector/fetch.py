"""The netmiko adapter: log into one device and run its platform's commands.

netmiko's own driver for the platform does the talking; two things are changed at the right
depth, by a subclass made per driver: the SSH client checks host keys with our trust-on-
first-use store, and the channel decodes with an incremental decoder (see decode.py).
Every failure becomes a `FetchError` whose message is the one-line reason a user sees.

SHA-1 SSH algorithms are disabled for every device unless the inventory marks it
`legacy_ssh: true` (see `disabled_algorithms`).
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import paramiko
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadException
from netmiko.ssh_dispatcher import CLASS_MAPPER

from netkb.collector.decode import IncrementalSSHChannel
from netkb.collector.hostkeys import KnownHosts
from netkb.credentials import Credential
from netkb.inventory import DeviceEntry
from netkb.settings import Timeouts
from netkb.spec import PlatformSpec

# paramiko's transport thread logs a failed negotiation (no common key exchange…) with its
# traceback; with no handler configured, Python prints that on stderr. netkb tells the failure
# in the device's one-line reason instead.
logging.getLogger("paramiko").addHandler(logging.NullHandler())


class FetchError(Exception):
    """A device could not be fetched; the message is the reason, in one line."""

    retryable = True


class AuthFailed(FetchError):
    retryable = False


class HostKeyRefused(FetchError):
    retryable = False


class LegacySshUnsupported(FetchError):
    retryable = False


class BudgetUsedUp(FetchError):
    """The device's time (`timeouts.device`) ran out: the wait was cut by the budget, not the device."""

    retryable = False


# What a device marked `legacy_ssh: true` may use and no other device may: paramiko's names, in the
# shape of its `disabled_algorithms`. A normal device is neither offered these nor allowed to pick
# them. Only SHA-1 is here; paramiko's other defaults (hmac-md5, CBC ciphers) are left as they are.
SHA1_ALGORITHMS: dict[str, tuple[str, ...]] = {
    "kex": (
        "diffie-hellman-group-exchange-sha1",
        "diffie-hellman-group14-sha1",
        "diffie-hellman-group1-sha1",
    ),
    "keys": ("ssh-rsa",),  # the device's RSA host key signed with SHA-1 (rsa-sha2-256/512 stay)
    "pubkeys": ("ssh-rsa",),  # the same for a client key (netkb logs in with a password)
    "macs": ("hmac-sha1", "hmac-sha1-96"),
}


def disabled_algorithms(entry: DeviceEntry) -> dict[str, list[str]]:
    """paramiko's `disabled_algorithms` for the device: every SHA-1 algorithm, unless it is legacy.

    A legacy device is still offered the SHA-2 algorithms first (paramiko's order), so it uses
    SHA-1 only when its firmware has nothing else.
    """
    if entry.legacy_ssh:
        return {}
    return {kind: list(names) for kind, names in SHA1_ALGORITHMS.items()}


def no_common_algorithm(entry: DeviceEntry, paramiko_said: str) -> str:
    """The reason when SSH negotiation finds no algorithm in common (paramiko's `IncompatiblePeer`)."""
    said = re.sub(r"^Incompatible ssh (peer|server) \((.*)\)$", r"\2", paramiko_said.strip())
    sha1_kind = any(kind in said for kind in ("kex", "host key", "macs"))
    if not sha1_kind or entry.legacy_ssh:
        allowed = ", even with SHA-1 allowed (legacy_ssh: true)" if entry.legacy_ssh else ""
        return (
            f"no SSH algorithm in common with the device{allowed} (paramiko: {said}); compare its "
            "'display ssh server status' (IOS: 'show ip ssh') with README: Legacy SSH"
        )
    return (
        f"the device offers only SHA-1 SSH algorithms (paramiko: {said}), as Comware 5, VRP V100/V200 "
        "and IOS 12.2/15.0 do (diffie-hellman-group14-sha1/group1-sha1 key exchange, ssh-rsa host keys); "
        f"set 'legacy_ssh: true' for {entry.name} in the inventory to allow SHA-1 for it alone, which "
        "leaves its SSH session open to collision and downgrade attacks on the management network, "
        "or enable a SHA-2 key exchange on the device (README: Legacy SSH)"
    )


@dataclass
class Fetched:
    outputs: dict[str, str]  # command -> decoded output (netmiko strips echo and prompt)
    unsupported: list[str] = field(default_factory=list)  # optional commands the device lacks
    undecodable_bytes: int = 0
    encoding_hint: str | None = None  # with undecodable bytes: an encoding all the bytes decode in
    seconds: float = 0.0


class _NetkbDriver:
    """Mixed in front of a netmiko driver class (see `_driver_class`)."""

    netkb_policy: paramiko.MissingHostKeyPolicy
    netkb_logged_in = False
    remote_conn: Any
    encoding: str
    channel: Any

    def _build_ssh_client(self) -> paramiko.SSHClient:
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(self.netkb_policy)  # every key goes through our store
        return client

    def _prompt_handler(self, auto_find_prompt: bool) -> str:
        # The prompt found at login is right for every command we send (we never change
        # views). Finding it again before each command sends a bare Enter and takes the last
        # line read: on a loaded device that can be a fragment of an echo still in flight.
        return re.escape(self.base_prompt.strip())  # type: ignore[attr-defined]

    def check_config_mode(self, *args: Any, **kwargs: Any) -> bool:
        # The collector never enters configuration mode. Asking costs a round trip at
        # disconnect, and netmiko's VRP driver then waits for 2 s of silence on every device.
        return False

    def special_login_handler(self, *args: Any, **kwargs: Any) -> Any:
        # The channel was just created by establish_connection, nothing read yet: swap in the
        # incremental decoder before the first byte is decoded.
        self.channel = IncrementalSSHChannel(self.remote_conn, self.encoding)
        self.netkb_logged_in = True  # SSH authentication passed: what fails now is the shell
        return super().special_login_handler(*args, **kwargs)  # type: ignore[misc]


@cache
def _driver_class(device_type: str) -> type:
    base = CLASS_MAPPER[device_type]
    return type(f"Netkb{base.__name__}", (_NetkbDriver, base), {})


def _refused(cause: BaseException) -> bool:
    if isinstance(cause, paramiko.ssh_exception.NoValidConnectionsError):
        return all(isinstance(e, ConnectionRefusedError) for e in cause.errors.values())
    return isinstance(cause, ConnectionRefusedError)


def _is_error(output: str, spec: PlatformSpec) -> str | None:
    for marker in spec.errors:
        if marker in output:
            return marker
    return None


def verify_echo(conn: Any) -> None:
    """From now on, read each command's echo before reading to the prompt.

    netmiko's Comware driver turns echo verification off for the whole session (long
    commands wrap on Comware). Then a prompt still in flight from the session set-up can
    end the next command's output early on a loaded device. The set-up itself must stay
    unverified: Comware 5 prints a message after `screen-length disable` that a verified
    read would leave unread. Our commands are short, so verifying them afterwards is safe.
    """
    conn.global_cmd_verify = None


class _Watchdog:
    """Closes the session when a wait runs past its time.

    netmiko's login reads have waits of their own that no argument shortens (20 s for the first
    prompt, `find_prompt`'s growing sleeps), so the time allowed is enforced from outside: the
    SSH client is closed, and the read in progress fails at once (decode.py `read_buffer`).
    `fired` tells that failure from a device that hung up on its own.
    """

    def __init__(self, conn: Any, seconds: float) -> None:
        self.conn = conn
        self.fired = False
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        client = getattr(self.conn, "remote_conn_pre", None)
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    def cancel(self) -> None:
        self._timer.cancel()


class Cancelled(FetchError):
    """The run was stopped (Ctrl-C) while this device was being fetched."""

    retryable = False


class Cancel:
    """Stops every fetch of a run at once (Ctrl-C): open sessions are closed, so a read blocked in
    netmiko fails at once, and no new session or retry starts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[Any] = set()
        self.cancelled = threading.Event()

    def open(self, conn: Any) -> None:
        with self._lock:
            if self.cancelled.is_set():
                raise Cancelled("interrupted before logging in")
            self._open.add(conn)

    def close(self, conn: Any) -> None:
        with self._lock:
            self._open.discard(conn)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled.set()
            sessions, self._open = list(self._open), set()
        for conn in sessions:
            client = getattr(conn, "remote_conn_pre", None)
            if client is not None:
                with contextlib.suppress(Exception):
                    client.close()


def _left(deadline: float) -> float:
    return deadline - time.monotonic()


def connect(
    entry: DeviceEntry,
    credential: Credential,
    spec: PlatformSpec,
    known_hosts: KnownHosts,
    timeouts: Timeouts,
    deadline: float | None = None,
    cancel: Cancel | None = None,
) -> Any:
    """A logged-in session; every login wait (TCP, banner, authentication, the first prompt) is
    at most `timeouts.connect` and ends by `deadline` (a `time.monotonic()` instant)."""
    started = time.monotonic()
    if deadline is None:
        deadline = started + timeouts.device
    wait = min(timeouts.connect, _left(deadline))
    if wait <= 0:
        raise BudgetUsedUp("no time left to log in")
    policy = known_hosts.policy(entry.name)
    conn = _driver_class(spec.netmiko_driver)(
        host=entry.host,
        port=entry.port,
        username=credential.username,
        password=credential.password,
        secret=credential.enable,
        encoding=entry.encoding,
        conn_timeout=wait,
        auth_timeout=wait,
        banner_timeout=wait,
        timeout=timeouts.command,
        fast_cli=True,
        disabled_algorithms=disabled_algorithms(entry),
        allow_agent=False,
        use_keys=False,
        ssh_config_file=None,
        auto_connect=False,
    )
    conn.netkb_policy = policy
    if cancel is not None:
        cancel.open(conn)  # closed by `fetch` when it is done with the session
    watchdog = _Watchdog(conn, wait)
    try:
        conn._open()
        verify_echo(conn)
    except NetmikoAuthenticationException:
        raise AuthFailed(f"authentication failed for user {credential.username!r}") from None
    except (ReadException, NetmikoTimeoutException, paramiko.SSHException, OSError, EOFError) as exc:
        waited = time.monotonic() - started
        if cancel is not None:
            cancel.close(conn)
            if cancel.cancelled.is_set():
                raise Cancelled(f"interrupted at login after {waited:.0f} s") from None
        logged_in = getattr(conn, "netkb_logged_in", False)
        # A wait cut short by the device's budget is the budget's failure, not the device's.
        cut = BudgetUsedUp if watchdog.fired and wait < timeouts.connect else FetchError
        channel = getattr(conn, "channel", None)
        answered = isinstance(channel, IncrementalSSHChannel) and channel.showed_prompt()
        if logged_in and answered and (watchdog.fired or isinstance(exc, ReadException)):
            # The prompt came, then the session set-up (paging off, terminal width) did not finish.
            raise cut(
                f"logged in and the device answered its prompt, but setting up the session (paging off) "
                f"took longer than {waited:.0f} s: it answers slowly"
            ) from None
        if logged_in and (watchdog.fired or isinstance(exc, ReadException)):
            # The SSH login worked; the device's shell never showed its prompt.
            raise cut(f"logged in, but no answer (no prompt) within {waited:.0f} s") from None
        if watchdog.fired:
            raise cut(f"no answer within {waited:.0f} s at login") from None
        if isinstance(exc, ReadException):
            raise FetchError("connection lost at login, before the first prompt") from None
        if policy.changed:  # type: ignore[attr-defined]
            raise HostKeyRefused(policy.changed) from None  # type: ignore[attr-defined]
        text = str(exc)
        # netmiko rewraps socket errors; the original is the implicit context.
        cause = exc.__cause__ or exc.__context__ or exc
        if isinstance(cause, paramiko.ssh_exception.IncompatiblePeer):
            raise LegacySshUnsupported(no_common_algorithm(entry, str(cause))) from None
        if _refused(cause) or isinstance(exc, ConnectionRefusedError):
            raise FetchError(f"connection refused by {entry.host}:{entry.port}") from None
        if isinstance(cause, TimeoutError | socket.timeout) or "timed out" in text.lower():
            raise FetchError(f"no answer within {waited:.0f} s at login") from None
        if isinstance(cause, OSError) and cause is not exc:
            raise FetchError(
                f"TCP connection to {entry.host}:{entry.port} failed: {cause.strerror or cause}"
            ) from None
        first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
        raise FetchError(f"SSH session failed at login: {first}") from None
    finally:
        watchdog.cancel()
    return conn


def _send(conn: Any, command: str, timeouts: Timeouts, deadline: float) -> str:
    """One command's output, within `timeouts.command` and what is left of the device's time."""
    left = _left(deadline)
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
    watchdog = _Watchdog(conn, _left(deadline) + 1.0)
    connected = asked = time.monotonic()
    answered = 0
    try:
        if credential.enable and spec.enable:
            try:
                conn.enable()
            except (ValueError, ReadException) as exc:
                raise AuthFailed(
                    "enable (privileged mode) was refused: check the profile's 'enable'"
                ) from exc
        for command in spec.commands:
            # Newer releases rename some commands (VRP YunShan: `display device power`): the
            # spec lists them as alternatives, tried in order after a vendor error.
            for text in (command.command, *command.alternatives):
                try:
                    output = _send(conn, text, timeouts, deadline)
                except FetchError as exc:
                    if cancel is not None and cancel.cancelled.is_set():
                        waited = time.monotonic() - started
                        raise Cancelled(f"interrupted at {text!r} after {waited:.0f} s") from None
                    if isinstance(exc, BudgetUsedUp) and answered:
                        # What is known: the device answered, this slowly (slow, not hung).
                        each = (asked - connected) / answered
                        raise BudgetUsedUp(
                            f"{exc}; it had answered {answered} command(s), {each:.1f} s each"
                        ) from None
                    raise
                answered += 1
                asked = time.monotonic()
                marker = _is_error(output, spec)
                if not marker:
                    result.outputs[command.command] = output
                    break
            else:
                if command.optional:
                    result.unsupported.append(command.command)
                    continue
                tried = f" (and {', '.join(map(repr, command.alternatives))})" if command.alternatives else ""
                raise FetchError(f"{command.command!r}{tried} answered with an error: {marker}")
    finally:
        result.undecodable_bytes = getattr(conn.channel, "replaced", 0)
        if result.undecodable_bytes:
            result.encoding_hint = conn.channel.suggested_encoding()
        # The session is over either way; a failed goodbye changes nothing.
        with contextlib.suppress(Exception):
            conn.disconnect()
        watchdog.cancel()
        if cancel is not None:
            cancel.close(conn)
    result.seconds = time.monotonic() - started
    return result
