"""One device's fetch in a worker thread, inside its failure boundary: connect, run the spec's
commands, build the snapshot; any exception becomes this device's failure, said with a
redacted reason (its stage, and where netkb itself failed)."""

from __future__ import annotations

import functools
import os
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from netkb.collector.fetch import Fetched, fetch
from netkb.collector.fetch_errors import BudgetUsedUp, Cancelled, FetchError
from netkb.collector.hostkeys import KnownHosts
from netkb.collector.parsecache import ParseCache
from netkb.collector.redact import redact_quoted
from netkb.collector.runrecord import (
    Stage,
    describe_failure,
)
from netkb.collector.session_guard import Cancel
from netkb.collector.snapshot import Snapshot, StageError, build_snapshot
from netkb.credentials import Credential
from netkb.inventory import DeviceEntry
from netkb.settings import Settings
from netkb.spec import PlatformSpec, load_spec


@dataclass
class DeviceFetch:
    entry: DeviceEntry
    snapshot: Snapshot | None
    fetched: Fetched | None
    error: str | None
    attempts: int
    seconds: float


def redactor(spec: PlatformSpec | None, key: bytes) -> Callable[[str], str]:
    """What every failure message goes through before it is stored or printed."""
    if spec is None:  # the platform's spec could not even be loaded: no rules to apply
        return lambda text: text
    return functools.partial(redact_quoted, spec=spec, key=key)


def _fetch_stage(exc: BaseException) -> Stage:
    """Which part of fetching raised: the session's decoder, the login, or the commands."""
    frames = traceback.extract_tb(exc.__traceback__)
    if any(f.filename.endswith(os.path.join("collector", "decode.py")) for f in frames):
        return Stage.DECODE
    if any(
        f.name == "connect" and f.filename.endswith(os.path.join("collector", "login.py")) for f in frames
    ):
        return Stage.CONNECT
    return Stage.FETCH


def fetch_device(
    entry: DeviceEntry,
    credential: Credential,
    settings: Settings,
    known_hosts: KnownHosts,
    key: bytes,
    cache: ParseCache | None = None,
    cancel: Cancel | None = None,
) -> DeviceFetch:
    """Fetch and clean one device, never raising: what stops it is the device's failure.

    Expected failures (`FetchError`: unreachable, refused, timed out…) keep their own reason;
    any other exception is a bug of netkb, reported with its stage, type, message and place.
    """
    started = time.monotonic()
    attempt = 0
    spec: PlatformSpec | None = None
    try:
        spec = load_spec(entry.platform.value)
        timeouts = settings.timeouts
        if entry.timeout:
            timeouts = timeouts.model_copy(update={"device": entry.timeout})
        # `timeouts.device` bounds everything done for the device: attempts, waits and backoff.
        deadline = started + timeouts.device
        while True:
            attempt += 1
            try:
                fetched = fetch(entry, credential, spec, known_hosts, timeouts, deadline, cancel)
            except FetchError as exc:
                backoff = settings.retry_backoff * 2 ** (attempt - 1)
                # A retry needs one full login wait after its backoff, else it cannot even log in.
                room = deadline - time.monotonic() - backoff >= timeouts.connect
                if exc.retryable and attempt <= settings.retries and room:
                    if cancel is None:
                        time.sleep(backoff)
                        continue
                    if not cancel.cancelled.wait(backoff):  # Ctrl-C ends the backoff
                        continue
                    exc = Cancelled("interrupted between attempts")
                said, budget = str(exc), f"device budget {timeouts.device:.0f} s"
                if isinstance(exc, BudgetUsedUp):
                    said += f" ({budget} used up after {_attempts(attempt)})"
                elif exc.retryable and attempt <= settings.retries:
                    said += f" ({budget}: no time left for another attempt after {_attempts(attempt)})"
                elif attempt > 1:
                    said += f" ({_attempts(attempt)} in {time.monotonic() - started:.0f} s)"
                reason = redactor(spec, key)(said)
                return DeviceFetch(entry, None, None, reason, attempt, time.monotonic() - started)
            except Exception as exc:
                reason = describe_failure(_fetch_stage(exc), exc, redactor(spec, key))
                return DeviceFetch(entry, None, None, reason, attempt, time.monotonic() - started)
            snapshot = build_snapshot(spec, fetched, key, cache)
            return DeviceFetch(entry, snapshot, fetched, None, attempt, time.monotonic() - started)
    except StageError as exc:
        cause = exc.__cause__ or exc
        reason = describe_failure(f"{exc.stage} ({exc.command!r})", cause, redactor(spec, key))
        return DeviceFetch(entry, None, None, reason, attempt, time.monotonic() - started)
    except Exception as exc:
        reason = describe_failure(Stage.FETCH, exc, redactor(spec, key))
        return DeviceFetch(entry, None, None, reason, attempt, time.monotonic() - started)


def cut_short(future: Future[DeviceFetch]) -> bool:
    """Whether this fetch ended because the run was interrupted (its session closed under it)."""
    if future.cancelled() or future.exception() is not None:
        return future.cancelled()
    return (future.result().error or "").startswith("interrupted")


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"
