"""The run record: one JSON file per collect, committed last, so the history of runs is in git."""

from __future__ import annotations

import datetime as dt
import enum
import json
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from netkb.collector.expectations import ospf_interfaces
from netkb.inspection.checklist import Checklist, evaluate
from netkb.inspection.checks import Observation, Thresholds
from netkb.inspection.checks_ospf import next_ospf_neighbours
from netkb.run_records import UnreadableRecord, entries_of, read_run_file


class Outcome(enum.StrEnum):
    UNCHANGED = "unchanged"  # collected, nothing new to commit
    CHANGED = "changed"  # collected and committed
    FAILED = "failed"  # not collected (or refused); the last good snapshot stays
    SKIPPED = "skipped"  # left out by the inventory's `skip` (the reason says why); not a failure


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
    # What the next run expects this device to show, carried forward from run to run until a
    # person changes it (netkb/inspection/checks.py `next_ospf_neighbours`): {"ospf_neighbour_set": [...]}.
    expected: dict[str, Any] = field(default_factory=dict)


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
        counts = {o.value: 0 for o in Outcome if o is not Outcome.SKIPPED}  # skipped: only when any
        for result in self.devices.values():
            counts[result.outcome.value] = counts.get(result.outcome.value, 0) + 1
        return counts

    def path(self) -> str:
        # In UTC: records written by hosts in different time zones (CI in UTC, a laptop in
        # +08:00) sort by name as they sort by instant. Readers still order by the instant
        # (`record_key`): older records carry their host's offset in the name.
        utc = self.started.astimezone(dt.UTC)
        # Shards of one run start in the same second: each needs its own file.
        suffix = f"-shard{self.shard.replace('/', 'of')}" if self.shard else ""
        return f"runs/{utc:%Y}/{utc:%m}/{utc:%Y%m%dT%H%M%S}Z{suffix}.json"

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
    """What the earlier run records say, as far as the next run needs it.

    Merged from several records (see `read_previous_of`), newest first by instant: `devices`
    holds each device's newest entry, whatever its outcome (the log cursor survives a failed
    run), `good` its newest entry that was collected (not failed): what the next run compares
    with, so a reboot or a lost neighbour during an outage is still seen after it.
    `started` is the newest record's start, `started_by_device` the start of each `good` entry.
    """

    started: dt.datetime | None = None
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    started_by_device: dict[str, dt.datetime] = field(default_factory=dict)
    good: dict[str, dict[str, Any]] = field(default_factory=dict)

    def started_of(self, name: str) -> dt.datetime | None:
        """When the run this device's last good entry comes from started."""
        return self.started_by_device.get(name)

    def log_cursor(self, name: str) -> str | None:
        """The fingerprint of the newest log entry the previous run read on this device."""
        return self.devices.get(name, {}).get("log_last_seen")

    def measures(self, name: str) -> dict[str, Any] | None:
        """The measures of the device's last good run (None: never collected in these records)."""
        device = self.good.get(name)
        return (device.get("measures") or {}) if device is not None else None

    def expected(self, name: str) -> dict[str, Any]:
        """What the last good run carried forward for this device (`DeviceResult.expected`)."""
        return dict(self.good.get(name, {}).get("expected") or {})


def ap_counts(parsed: Mapping[str, Any]) -> dict[str, int] | None:
    """A wireless controller's APs online and listed (its parsed `aps` state topic), kept in the
    run record's measures: the nightly figure behind the site's AP online ratio trend (the AP
    list itself is state, in git; the check's finding is kept only when it is not normal).
    None for a device that lists no APs."""
    aps = parsed.get("aps")
    if not isinstance(aps, list) or not aps:
        return None
    online = sum(1 for ap in aps if isinstance(ap, dict) and ap.get("state") == "online")
    return {"online": online, "total": len(aps)}


def _is_good(entry: dict[str, Any]) -> bool:
    return entry.get("outcome") not in (Outcome.FAILED.value, Outcome.SKIPPED.value)


def read_previous(record_json: bytes | None) -> PreviousRun:
    if not record_json:
        return PreviousRun()
    try:
        record = read_run_file(record_json)
    except UnreadableRecord:
        return PreviousRun()  # a damaged record only costs re-reporting logs and history checks
    return PreviousRun(record.started, record.devices)


def merge_previous(
    runs_newest_first: Iterable[PreviousRun | bytes], names: set[str], max_records: int = 64
) -> PreviousRun:
    """Each device's newest entry and newest good entry from records, newest first (parsed, or
    the bytes of one: after the newest, only the entries still wanted are read).

    Reading stops once every device in `names` has a good entry, or after `max_records` (a
    device never collected would otherwise cost reading them all; one failing for longer is
    then compared as on a first run). A device failing for weeks costs the records back to its
    last good run: a line each.
    """
    devices: dict[str, dict[str, Any]] = {}
    good: dict[str, dict[str, Any]] = {}
    started_by_device: dict[str, dt.datetime] = {}
    newest: dt.datetime | None = None
    for count, item in enumerate(runs_newest_first):
        if count >= max_records:
            break
        if isinstance(item, bytes):
            partial = entries_of(item, names - good.keys()) if newest is not None else None
            run = PreviousRun(*partial) if partial else read_previous(item)
        else:
            run = item
        if run.started is None:
            continue
        newest = newest or run.started
        for name, entry in run.devices.items():
            devices.setdefault(name, entry)
            if name not in good and _is_good(entry):
                good[name] = entry
                started_by_device[name] = run.started
        if names <= good.keys():
            break
    return PreviousRun(newest, devices, started_by_device, good)


def read_previous_of(
    records_newest_first: Iterable[bytes], names: set[str], max_records: int = 64
) -> PreviousRun:
    """Each device's newest entry, and its newest good one, from the records (newest first).

    A shard (or a `--limit` run) writes a record of some devices only; the newest record
    alone would forget the others, and a failed entry holds nothing to compare with.
    """
    return merge_previous(records_newest_first, names, max_records)


# --- one judgement for collect, inspect and the site ------------------------------------------
# The collect judges each device against its last good run and writes the findings into the
# record, which the site shows; `netkb inspect` rebuilds the same two observations from the
# records and the snapshot repository and judges them through this same code.


@dataclass(frozen=True)
class Judged:
    findings: list[dict[str, str]]  # {item, verdict, detail, suggestion}, as the record holds them
    expected: dict[str, Any]  # DeviceResult.expected: what the next run expects


def expectations(
    expect: Mapping[str, Any], previous: PreviousRun, name: str, platform: str, config: str | None
) -> dict[str, Any]:
    """What a device should show this run: the inventory's and the config's facts (`expect`),
    the interfaces its config runs OSPF on, and what its last good run carried forward."""
    out = dict(expect)
    interfaces = ospf_interfaces(platform, config) if config is not None else None
    if interfaces is not None:
        out["ospf_interfaces"] = interfaces
    out.update(previous.expected(name))
    return out


def previous_observation(
    current: Observation, previous: PreviousRun, state: Mapping[str, Any]
) -> Observation | None:
    """The device as its last good run saw it: that run's measures and start, and `state`, its
    committed state topics then (what the snapshot repository held before this run)."""
    measures = previous.measures(current.device)
    at = previous.started_of(current.device)
    if measures is None or at is None:
        return None
    return Observation(
        current.device, current.platform, current.role, current.model, state, measures, [], [], at
    )


def judge(
    current: Observation, previous: Observation | None, checklist: Checklist, thresholds: Thresholds
) -> Judged:
    """The checklist on one device (netkb/inspection/checklist.py `evaluate`), and what it carries forward."""
    findings = evaluate(current, previous, checklist, thresholds)
    expected: dict[str, Any] = {}
    neighbours = next_ospf_neighbours(current, previous)
    if neighbours is not None:
        expected["ospf_neighbour_set"] = neighbours
    return Judged(
        [
            {"item": f.item_id, "verdict": f.verdict.value, "detail": f.detail, "suggestion": f.suggestion}
            for f in findings
        ],
        expected,
    )
