"""The run record: one JSON file per collect, committed last, so the history of runs is in git."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
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
