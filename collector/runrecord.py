"""The run record: one JSON file per collect, committed last, so the history of runs is in git."""

from __future__ import annotations

import datetime as dt
import enum
import json
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


class Outcome(enum.StrEnum):
    UNCHANGED = "unchanged"  # collected, nothing new to commit
    CHANGED = "changed"  # collected and committed
    FAILED = "failed"  # not collected (or refused); the last good snapshot stays


@dataclass
class DeviceResult:
    name: str
    outcome: Outcome
    reason: str = ""
    seconds: float = 0.0
    attempts: int = 1
    commit: str | None = None
    sections: list[str] = field(default_factory=list)
    measures: dict[str, Any] = field(default_factory=dict)
    new_logs: list[dict[str, Any]] = field(default_factory=list)  # severity <= 4, since the last run
    new_log_count: int = 0  # all severities
    log_last_seen: str | None = None  # fingerprint of the newest log entry read
    problems: list[str] = field(default_factory=list)  # outputs that could not be parsed
    unsupported: list[str] = field(default_factory=list)
    undecodable_bytes: int = 0
    first_contact: bool = False
    # The automatic inspection of this run: {item, verdict, detail, suggestion} per item.
    inspection: list[dict[str, str]] = field(default_factory=list)


class Stage(enum.StrEnum):
    """Where a device's collection stopped: named in a failed device's reason."""

    CONNECT = "connect"  # login: TCP, SSH, host key, authentication, the first prompt
    FETCH = "fetch"  # running the spec's commands
    DECODE = "decode"  # bytes to text (collector/decode.py)
    CLEAN = "clean"
    REDACT = "redact"
    PARSE = "parse"
    GATE = "gate"
    INSPECT = "inspect"
    STORE = "store"


# Marks a reason that comes from an exception netkb did not expect: a bug to report, with
# the place it was raised (`BUG_MARK` is what `is_bug` and the command line look for).
BUG_MARK = "netkb bug at "
_REASON_MESSAGE_CHARS = 300
_OWN_ROOT = Path(__file__).resolve().parent.parent  # the directory holding collector/, lab/ ...


def _own_path(frame: traceback.FrameSummary) -> str | None:
    """The frame's file relative to the project (`collector/collect.py`), None outside it."""
    try:
        shown = Path(frame.filename).resolve().relative_to(_OWN_ROOT).as_posix()
    except ValueError:
        return None
    return None if "site-packages" in shown or shown.startswith(".") else shown  # .venv is not ours


def _where(frame: traceback.FrameSummary) -> str:
    shown = _own_path(frame)
    if shown is None:
        parts = Path(frame.filename).parts
        site = "site-packages"
        shown = "/".join(parts[parts.index(site) + 1 :]) if site in parts else Path(frame.filename).name
    return f"{shown}:{frame.lineno} in {frame.name}"


def location(exc: BaseException) -> str:
    """One line: where `exc` was raised, as the deepest frame of netkb's own code
    (`collector/parsers/common.py:118 in textfsm_own`), and the library frame below it if
    the exception came from a library (`…, via textfsm/parser.py:1050 in _CheckLine`)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown location"
    own = [f for f in frames if _own_path(f) is not None]
    deepest = frames[-1]
    if not own:
        return _where(deepest)
    if own[-1] is deepest:
        return _where(deepest)
    return f"{_where(own[-1])}, via {_where(deepest)}"


def describe_failure(
    stage: Stage | str, exc: BaseException, redact: Callable[[str], str], *, bug: bool = True
) -> str:
    """A failed device's reason from the exception that stopped it, in one line.

    `redact` runs on the message before anything else sees it: a message may quote device text.
    A bug (any exception netkb does not expect) also names where it was raised.
    """
    try:
        message = " ".join(redact(str(exc)).split())  # lines kept until redacted: rules match lines
    except Exception:  # a failing redaction must not leak: say nothing of the text
        message = "(message withheld: it could not be redacted)"
    if len(message) > _REASON_MESSAGE_CHARS:
        message = message[: _REASON_MESSAGE_CHARS - 1] + "…"
    text = f"{stage}: {type(exc).__name__}" + (f": {message}" if message else "")
    return f"{text} ({BUG_MARK}{location(exc)})" if bug else text


def is_bug(reason: str) -> bool:
    """Whether a failed device's reason comes from an exception netkb did not expect."""
    return f"({BUG_MARK}" in reason


@dataclass
class RunRecord:
    started: dt.datetime
    finished: dt.datetime | None = None
    limit: str | None = None
    shard: str | None = None  # "K/N" when this run collected one shard of the inventory
    devices: dict[str, DeviceResult] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = {o.value: 0 for o in Outcome}
        for result in self.devices.values():
            counts[result.outcome.value] += 1
        return counts

    def path(self) -> str:
        stamp = self.started.strftime("%Y%m%dT%H%M%S%z")
        # Shards of one run start in the same second: each needs its own file.
        suffix = f"-shard{self.shard.replace('/', 'of')}" if self.shard else ""
        return f"runs/{self.started:%Y}/{self.started:%m}/{stamp}{suffix}.json"

    def to_json(self) -> str:
        """One line per device under "devices" (git diffs of records stay readable): an indented
        dump runs json's pure-Python encoder, several times slower than this on a thousand devices."""
        head = {
            "started": self.started.isoformat(timespec="seconds"),
            "finished": self.finished.isoformat(timespec="seconds") if self.finished else None,
            "limit": self.limit,
            **({"shard": self.shard} if self.shard else {}),
            "counts": self.counts(),
        }
        lines = ["{"]
        lines += [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
        devices = sorted(self.devices.items())
        lines.append(' "devices": {')
        for i, (name, result) in enumerate(devices):
            row = {f.name: getattr(result, f.name) for f in fields(result)}  # shallow: no deep copy
            comma = "," if i < len(devices) - 1 else ""
            body = json.dumps(row, ensure_ascii=False, default=str)
            lines.append(f"  {json.dumps(name, ensure_ascii=False)}: {body}{comma}")
        lines += [" }", "}"]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class PreviousRun:
    """What the last run record says, as far as the next run needs it.

    Merged from several records (see `read_previous_of`), `started` is the newest one's and
    `started_by_device` says which run each device's entry comes from.
    """

    started: dt.datetime | None = None
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    started_by_device: dict[str, dt.datetime] = field(default_factory=dict)

    def started_of(self, name: str) -> dt.datetime | None:
        """When the run this device's entry comes from started."""
        return self.started_by_device.get(name, self.started)

    def log_cursor(self, name: str) -> str | None:
        """The fingerprint of the newest log entry the previous run read on this device."""
        return self.devices.get(name, {}).get("log_last_seen")

    def measures(self, name: str) -> dict[str, Any] | None:
        device = self.devices.get(name)
        return device.get("measures") if device and device.get("outcome") != "failed" else None


def read_previous(record_json: bytes | None) -> PreviousRun:
    if not record_json:
        return PreviousRun()
    try:
        data = json.loads(record_json)
        return PreviousRun(dt.datetime.fromisoformat(data["started"]), data.get("devices", {}))
    except (json.JSONDecodeError, KeyError, ValueError):
        return PreviousRun()  # a damaged record only costs re-reporting logs and history checks


def read_previous_of(
    records_newest_first: Iterable[bytes], names: set[str], max_records: int = 64
) -> PreviousRun:
    """Each device's entry from the newest record that holds it.

    A shard (or a `--limit` run) writes a record of some devices only; the newest record
    alone would forget the others. Reading stops once every device in `names` is found, or
    after `max_records` (a device never collected would otherwise cost reading them all).
    """
    devices: dict[str, dict[str, Any]] = {}
    started_by_device: dict[str, dt.datetime] = {}
    newest: dt.datetime | None = None
    for count, raw in enumerate(records_newest_first):
        if count >= max_records:
            break
        run = read_previous(raw)
        if run.started is None:
            continue
        newest = newest or run.started
        for name, entry in run.devices.items():
            if name not in devices:
                devices[name] = entry
                started_by_device[name] = run.started
        if names <= devices.keys():
            break
    return PreviousRun(newest, devices, started_by_device)
