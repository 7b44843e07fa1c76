"""Run records as files: where they live, how they sort, how they are read.

The collector writes one JSON record per run (collector/runrecord.py, `RunRecord.to_json`);
the collector's next run, `netkb inspect` and the site all read records through this module, so
they agree on which records exist, in which order, and which ones cannot be read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECORDS_GLOB = "runs/*/*/*.json"


class UnreadableRecord(ValueError):
    """A record that is not the JSON the collector writes; the message says what is wrong."""


@dataclass(frozen=True)
class RunFile:
    """One run record as written: the run's head and each device's entry (a plain dict)."""

    started: dt.datetime
    finished: dt.datetime | None
    limit: str | None
    shard: str | None
    counts: dict[str, int]
    devices: dict[str, dict[str, Any]]


def is_record_path(path: str) -> bool:
    return path.startswith("runs/") and path.endswith(".json")


def aware(moment: dt.datetime) -> dt.datetime:
    """A naive time is the local time of the host that wrote it (what `astimezone` assumes)."""
    return moment if moment.tzinfo is not None else moment.astimezone()


def read_run_file(
    data: bytes, parse_time: Callable[[str], dt.datetime] = dt.datetime.fromisoformat
) -> RunFile:
    """The record in `data`; `UnreadableRecord` saying why when it is not one.

    `parse_time` reads the ISO times (the site passes one that shares zone objects)."""
    try:
        record = json.loads(data.decode("utf-8"))
        started = aware(parse_time(record["started"]))
        finished = aware(parse_time(record["finished"])) if record.get("finished") else None
        devices = record.get("devices") or {}
        if not isinstance(devices, dict) or not all(isinstance(e, dict) for e in devices.values()):
            raise TypeError("'devices' is not a mapping of device entries")
        counts = {str(k): int(v) for k, v in (record.get("counts") or {}).items()}
        return RunFile(started, finished, record.get("limit"), record.get("shard"), counts, devices)
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UnreadableRecord(f"{type(exc).__name__}: {exc}") from exc


# --- a few devices' entries without parsing the whole record --------------------------------
# `RunRecord.to_json` writes the head first and one line per device entry (a JSON line holds no
# raw newline), so the entries of a few devices are found by name.

_HEAD = re.compile(rb'\{\n "started": ("[^"\n]*"),\n')
_DEVICES = b'\n "devices": {\n'


def entries_of(raw: bytes, names: Iterable[str]) -> tuple[dt.datetime, dict[str, dict[str, Any]]] | None:
    """The run's start and these devices' entries (those it has); None for a record in another
    layout (read it whole with `read_run_file`)."""
    head = _HEAD.match(raw)
    if head is None or _DEVICES not in raw:
        return None
    try:
        started = aware(dt.datetime.fromisoformat(json.loads(head.group(1))))
        devices = {}
        for name in names:
            key = b"\n  " + json.dumps(name, ensure_ascii=False).encode("utf-8") + b": "
            start = raw.find(key)
            if start >= 0:
                end = raw.find(b"\n", start + 1)
                devices[name] = json.loads(raw[start + len(key) : end].rstrip(b","))
    except (json.JSONDecodeError, ValueError, TypeError):
        return None
    return started, devices


# --- ordering records by instant ------------------------------------------------------------

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def record_key(relpath: str, read: Callable[[], bytes] | None = None) -> tuple[dt.datetime, str]:
    """How records sort: by the instant their run started (UTC), then by name (shards of one run).

    The instant comes from the file name (`20261207T020000Z`, or an older record's
    `20261207T100000+0800`); a name that does not say it is read from the record itself. A
    record that says nothing sorts oldest. Never by the name alone: a laptop in +08:00 names
    its run of 02:00 UTC `…T100000+0800`, later than CI's `…T030000+0000` of an hour after it.
    """
    name = relpath.rsplit("/", 1)[-1].removesuffix(".json")
    stamp = name.split("-shard", 1)[0]
    for form in ("%Y%m%dT%H%M%S%z", "%Y%m%dT%H%M%S"):
        try:
            return aware(dt.datetime.strptime(stamp, form)).astimezone(dt.UTC), name
        except ValueError:
            continue
    if read is not None:
        try:
            return read_run_file(read()).started.astimezone(dt.UTC), name
        except UnreadableRecord:
            pass
    return _EPOCH, name


def newest_first(relpaths: Iterable[str], read: Callable[[str], bytes] | None = None) -> list[str]:
    """Record paths, newest instant first (see `record_key`)."""
    return sorted(
        relpaths,
        key=lambda p: record_key(p, (lambda: read(p)) if read is not None else None),
        reverse=True,
    )


def records_in(store: Path) -> list[str]:
    """The record paths of a store's working tree (relative, POSIX), newest instant first."""
    paths = [p.relative_to(store).as_posix() for p in store.glob(RECORDS_GLOB)]
    return newest_first(paths, lambda p: (store / p).read_bytes())
