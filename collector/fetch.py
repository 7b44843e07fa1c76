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
import re
import socket
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import paramiko
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadException
from netmiko.ssh_dispatcher import CLASS_MAPPER

from collector.credentials import Credential
from collector.decode import IncrementalSSHChannel
from collector.hostkeys import KnownHosts
from collector.inventory import DeviceEntry
from collector.settings import Timeouts
from collector.spec import PlatformSpec


class FetchError(Exception):
    """A device could not be fetched; the message is the reason, in one line."""

    retryable = True


class AuthFailed(FetchError):
    retryable = False


class HostKeyRefused(FetchError):
    retryable = False


class LegacySshUnsupported(FetchError):
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


def connect(
    entry: DeviceEntry,
    credential: Credential,
    spec: PlatformSpec,
    known_hosts: KnownHosts,
    timeouts: Timeouts,
) -> Any:
    policy = known_hosts.policy(entry.name)
    conn = _driver_class(spec.netmiko_driver)(
        host=entry.host,
        port=entry.port,
        username=credential.username,
        password=credential.password,
        secret=credential.enable,
        encoding=entry.encoding,
        conn_timeout=timeouts.connect,
        auth_timeout=timeouts.connect,
        banner_timeout=timeouts.connect,
        timeout=timeouts.command,
        fast_cli=True,
        disabled_algorithms=disabled_algorithms(entry),
        allow_agent=False,
        use_keys=False,
        ssh_config_file=None,
        auto_connect=False,
    )
    conn.netkb_policy = policy
    try:
        conn._open()
        verify_echo(conn)
    except NetmikoAuthenticationException:
        raise AuthFailed(f"authentication failed for user {credential.username!r}") from None
    except ReadException:
        raise FetchError("logged in, but no answer (no prompt) after login: the device hung") from None
    except (NetmikoTimeoutException, paramiko.SSHException, OSError, EOFError) as exc:
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
            raise FetchError(f"no answer within {timeouts.connect:.0f} s at login") from None
        if isinstance(cause, OSError) and cause is not exc:
            raise FetchError(
                f"TCP connection to {entry.host}:{entry.port} failed: {cause.strerror or cause}"
            ) from None
        first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
        raise FetchError(f"SSH session failed at login: {first}") from None
    return conn


def _send(conn: Any, command: str, timeouts: Timeouts, started: float) -> str:
    """One command's output, within what is left of the device's time."""
    budget = timeouts.device - (time.monotonic() - started)
    if budget <= 0:
        raise FetchError(f"device took longer than {timeouts.device:.0f} s; stopped before {command!r}")
    try:
        return str(conn.send_command(command, read_timeout=min(timeouts.command, budget)))
    except ReadException as exc:
        if "timed" in str(exc).lower() or type(exc).__name__ == "ReadTimeout":
            raise FetchError(
                f"{command!r}: no prompt within {min(timeouts.command, budget):.0f} s "
                "(device hung, or paging could not be disabled)"
            ) from None
        raise FetchError(f"{command!r}: connection lost during the output") from None
    except (OSError, EOFError, paramiko.SSHException):
        raise FetchError(f"{command!r}: connection lost during the output") from None


def fetch(
    entry: DeviceEntry,
    credential: Credential,
    spec: PlatformSpec,
    known_hosts: KnownHosts,
    timeouts: Timeouts,
) -> Fetched:
    """Run every command of the spec on one device."""
    started = time.monotonic()
    conn = connect(entry, credential, spec, known_hosts, timeouts)
    result = Fetched(outputs={})
    try:
        if credential.enable and spec.platform == "ios":
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
                output = _send(conn, text, timeouts, started)
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
    result.seconds = time.monotonic() - started
    return result
