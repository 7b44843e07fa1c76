"""Log into one device with netmiko, and say in one line why a login failed.

netmiko's own driver for the platform does the talking; two things are changed at the right
depth, by a subclass made per driver: the SSH client checks host keys with our trust-on-
first-use store, and the channel decodes with an incremental decoder (see decode.py).
"""

from __future__ import annotations

import logging
import re
import socket
import time
from functools import cache
from typing import Any

import paramiko
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadException
from netmiko.ssh_dispatcher import CLASS_MAPPER

from netkb.collector.decode import IncrementalSSHChannel
from netkb.collector.fetch_errors import (
    AuthFailed,
    BudgetUsedUp,
    Cancelled,
    FetchError,
    HostKeyRefused,
    LegacySshUnsupported,
)
from netkb.collector.hostkeys import KnownHosts
from netkb.collector.session_guard import Cancel, Watchdog, time_left
from netkb.collector.ssh_algorithms import disabled_algorithms, no_common_algorithm
from netkb.credentials import Credential
from netkb.inventory import DeviceEntry
from netkb.settings import Timeouts
from netkb.spec import PlatformSpec

# paramiko's transport thread logs a failed negotiation (no common key exchange…) with its
# traceback; with no handler configured, Python prints that on stderr. netkb tells the failure
# in the device's one-line reason instead.
logging.getLogger("paramiko").addHandler(logging.NullHandler())

_LOGIN_ERRORS = (ReadException, NetmikoTimeoutException, paramiko.SSHException, OSError, EOFError)


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


def verify_echo(conn: Any) -> None:
    """From now on, read each command's echo before reading to the prompt.

    netmiko's Comware driver turns echo verification off for the whole session (long
    commands wrap on Comware). Then a prompt still in flight from the session set-up can
    end the next command's output early on a loaded device. The set-up itself must stay
    unverified: Comware 5 prints a message after `screen-length disable` that a verified
    read would leave unread. Our commands are short, so verifying them afterwards is safe.
    """
    conn.global_cmd_verify = None


def _new_session(
    entry: DeviceEntry, credential: Credential, spec: PlatformSpec, timeouts: Timeouts, wait: float
) -> Any:
    """netmiko's driver for the platform, not yet connected; every login wait is `wait`."""
    return _driver_class(spec.netmiko_driver)(
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


def _shell_failure(
    exc: Exception, conn: Any, watchdog: Watchdog, wait: float, timeouts: Timeouts, waited: float
) -> FetchError | None:
    """The reason when the wait was cut or the shell never answered; None when neither happened."""
    logged_in = getattr(conn, "netkb_logged_in", False)
    # A wait cut short by the device's budget is the budget's failure, not the device's.
    cut = BudgetUsedUp if watchdog.fired and wait < timeouts.connect else FetchError
    channel = getattr(conn, "channel", None)
    answered = isinstance(channel, IncrementalSSHChannel) and channel.showed_prompt()
    stalled = watchdog.fired or isinstance(exc, ReadException)
    if logged_in and answered and stalled:
        # The prompt came, then the session set-up (paging off, terminal width) did not finish.
        return cut(
            f"logged in and the device answered its prompt, but setting up the session (paging off) "
            f"took longer than {waited:.0f} s: it answers slowly"
        )
    if logged_in and stalled:
        # The SSH login worked; the device's shell never showed its prompt.
        return cut(f"logged in, but no answer (no prompt) within {waited:.0f} s")
    if watchdog.fired:
        return cut(f"no answer within {waited:.0f} s at login")
    if isinstance(exc, ReadException):
        return FetchError("connection lost at login, before the first prompt")
    return None


def _connection_failure(exc: Exception, entry: DeviceEntry, policy: Any, waited: float) -> FetchError:
    """The reason when SSH or TCP itself failed: host key, algorithms, refusal, silence."""
    if policy.changed:
        return HostKeyRefused(policy.changed)
    text = str(exc)
    # netmiko rewraps socket errors; the original is the implicit context.
    cause = exc.__cause__ or exc.__context__ or exc
    if isinstance(cause, paramiko.ssh_exception.IncompatiblePeer):
        return LegacySshUnsupported(no_common_algorithm(entry, str(cause)))
    if _refused(cause) or isinstance(exc, ConnectionRefusedError):
        return FetchError(f"connection refused by {entry.host}:{entry.port}")
    if isinstance(cause, TimeoutError | socket.timeout) or "timed out" in text.lower():
        return FetchError(f"no answer within {waited:.0f} s at login")
    if isinstance(cause, OSError) and cause is not exc:
        return FetchError(f"TCP connection to {entry.host}:{entry.port} failed: {cause.strerror or cause}")
    first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
    return FetchError(f"SSH session failed at login: {first}")


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
    wait = min(timeouts.connect, time_left(deadline))
    if wait <= 0:
        raise BudgetUsedUp("no time left to log in")
    policy = known_hosts.policy(entry.name)
    conn = _new_session(entry, credential, spec, timeouts, wait)
    conn.netkb_policy = policy
    if cancel is not None:
        cancel.open(conn)  # closed by `fetch` when it is done with the session
    watchdog = Watchdog(conn, wait)
    try:
        conn._open()
        verify_echo(conn)
    except NetmikoAuthenticationException:
        raise AuthFailed(f"authentication failed for user {credential.username!r}") from None
    except _LOGIN_ERRORS as exc:
        waited = time.monotonic() - started
        if cancel is not None:
            cancel.close(conn)
            if cancel.cancelled.is_set():
                raise Cancelled(f"interrupted at login after {waited:.0f} s") from None
        failure = _shell_failure(exc, conn, watchdog, wait, timeouts, waited)
        raise (failure or _connection_failure(exc, entry, policy, waited)) from None
    finally:
        watchdog.cancel()
    return conn
