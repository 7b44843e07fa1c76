"""The history model: what the site knows of the snapshot repository, as plain frozen data.

generator/history.py reads it from git, generator/cache.py keeps it between generations.
"""

from __future__ import annotations

import datetime as dt
import marshal
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from typing import Any, NamedTuple


# Finding, DeviceRun and Change are NamedTuples, not dataclasses: there are hundreds of thousands
# of them and tuples pickle several times faster, which is most of what loading the cache costs.
class Finding(NamedTuple):
    item: str
    verdict: str  # normal / abnormal / unknown
    detail: str
    suggestion: str


class DeviceRun(NamedTuple):
    """One device in one run, kept small: a year of nightly runs on a thousand devices is
    365,000 of these. The full measures and inspection of a device's latest collection are
    in `DeviceHistory.last_collected`."""

    outcome: str  # unchanged / changed / failed
    reason: str
    seconds: float
    commit: str | None
    sections: tuple[str, ...]
    new_log_count: int
    findings: tuple[Finding, ...]  # only the items that were not normal
    cpu: float | None = None  # busiest slot, 5-minute average, %
    memory: float | None = None  # used %
    temperature: float | None = None  # hottest sensor, °C
    uptime: int | None = None  # seconds
    ap_online: float | None = None  # a controller's APs online, % of those it lists


@dataclass(frozen=True)
class RunSummary:
    path: str  # runs/<yyyy>/<mm>/<stamp>.json
    sha: str  # the commit that added the record
    started: dt.datetime
    finished: dt.datetime | None
    limit: str | None
    counts: dict[str, int]
    devices: Mapping[str, DeviceRun]  # a dict, or PackedDevices once through the cache
    problem: str = ""  # why the record could not be read ("" when it could)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its devices packed (see PackedDevices)."""
        devices = (
            self.devices if isinstance(self.devices, PackedDevices) else PackedDevices.pack(self.devices)
        )
        fields = (
            self.path,
            self.sha,
            self.started,
            self.finished,
            self.limit,
            self.counts,
            devices,
            self.problem,
        )
        return (RunSummary, fields)


class PackedDevices(Mapping[str, DeviceRun]):
    """A run's devices as the cache keeps them: one marshal string of plain tuples, turned into
    DeviceRuns when first read. A nightly rebuild reads the last few runs of a year; loading
    the other 360,000 DeviceRuns would be most of its time."""

    __slots__ = ("_devices", "_packed")

    def __init__(self, packed: bytes) -> None:
        self._packed = packed
        self._devices: dict[str, DeviceRun] | None = None

    @classmethod
    def pack(cls, devices: Mapping[str, DeviceRun]) -> PackedDevices:
        rows = tuple((*r[:6], tuple(tuple(f) for f in r.findings), *r[7:]) for r in devices.values())
        return cls(marshal.dumps((tuple(devices), rows)))

    def _unpacked(self) -> dict[str, DeviceRun]:
        if self._devices is None:
            names, rows = marshal.loads(self._packed)
            self._devices = {
                name: DeviceRun._make((*row[:6], tuple(Finding._make(f) for f in row[6]), *row[7:]))
                for name, row in zip(names, rows, strict=True)
            }
        return self._devices

    def __getitem__(self, name: str) -> DeviceRun:
        return self._unpacked()[name]

    # The dict's own views: Mapping's would go through __getitem__ once per device.
    def items(self) -> ItemsView[str, DeviceRun]:
        return self._unpacked().items()

    def values(self) -> ValuesView[DeviceRun]:
        return self._unpacked().values()

    def keys(self) -> KeysView[str]:
        return self._unpacked().keys()

    def __iter__(self) -> Iterator[str]:
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedDevices, (self._packed,))

    def __repr__(self) -> str:
        return f"PackedDevices({self._unpacked()!r})"


@dataclass(frozen=True)
class LastRun:
    path: str
    started: dt.datetime
    outcome: str
    reason: str


@dataclass(frozen=True)
class Collected:
    """Everything the run record says about a device's latest successful collection."""

    path: str
    started: dt.datetime
    measures: dict[str, Any]
    inspection: tuple[Finding, ...]
    new_logs: list[dict[str, Any]]
    problems: list[str]
    unsupported: list[str]


class Change(NamedTuple):
    """A NamedTuple like DeviceRun: a year of a thousand devices is 20,000 of them, and the cache
    loads tuples several times faster than dataclasses."""

    sha: str
    date: dt.datetime  # author date, aware
    message: str
    kind: str  # first / config / state / removed
    sections: list[str]  # config sections changed (from the run record, else the message)
    topics: list[str]  # state topics changed
    files: list[str]  # repository paths of this device changed by the commit
    diff: str  # the patch of those files, as `git show --full-index <sha> -- <files>` prints it


@dataclass(frozen=True)
class DeviceHistory:
    name: str
    changes: list[Change] = field(default_factory=list)  # oldest first
    config: str = ""  # at HEAD; "" when there is no snapshot
    state: dict[str, Any] = field(default_factory=dict)  # topic -> parsed YAML, at HEAD
    files: dict[str, str] = field(default_factory=dict)  # path -> blob at HEAD ("" = deleted, partial only)
    last_run: LastRun | None = None  # the latest run that tried this device
    last_collected: Collected | None = None  # the latest run that reached it

    @property
    def has_snapshot(self) -> bool:
        return bool(self.files.get(config_path(self.name)))

    @property
    def first_seen(self) -> dt.datetime | None:
        return self.changes[0].date if self.changes else None

    @property
    def last_changed(self) -> dt.datetime | None:
        return self.changes[-1].date if self.changes else None

    @property
    def last_run_outcome(self) -> str | None:
        return self.last_run.outcome if self.last_run else None


@dataclass(frozen=True)
class RunFigures:
    """What the reports and the incident correlation read of one run, small enough to keep per run
    (generator/reports.py RunIndex.figures): a report of the running year reads every run of it."""

    attempts: int
    failed: tuple[str, ...]  # the devices the run could not collect
    findings: tuple[tuple[str, Finding], ...]  # (device, finding) not normal, of the devices reached
    commits: tuple[tuple[str, str], ...]  # (device, commit) of the devices whose snapshot changed

    @classmethod
    def of(cls, run: RunSummary) -> RunFigures:
        reached = [(n, d) for n, d in run.devices.items() if d.outcome not in ("failed", "skipped")]
        return cls(
            sum(d.outcome != "skipped" for d in run.devices.values()),
            tuple(n for n, d in run.devices.items() if d.outcome == "failed"),
            tuple((n, f) for n, d in reached for f in d.findings),
            tuple((n, d.commit) for n, d in reached if d.commit),
        )


@dataclass(frozen=True)
class Collections:
    """A device's runs in figures, kept with the model so that a rebuild answers "how often was
    it tried, when was it last reached" without unpacking a year of runs. Successful
    collections are kept as POSIX times and UTC offsets (arrays pickle as bytes)."""

    tried: int = 0
    failed: int = 0
    ok_times: array[float] = field(default_factory=lambda: array("d"))  # ascending
    ok_offsets: array[int] = field(default_factory=lambda: array("i"))  # seconds east of UTC

    @property
    def last_ok(self) -> dt.datetime | None:
        return self._at(len(self.ok_times) - 1) if self.ok_times else None

    def ok_before(self, when: dt.datetime | None = None) -> list[dt.datetime]:
        """The successful collections before `when` (all of them without it), oldest first."""
        end = len(self.ok_times) if when is None else bisect_left(self.ok_times, when.timestamp())
        return [self._at(i) for i in range(end)]

    def last_ok_before(self, when: dt.datetime) -> dt.datetime | None:
        i = bisect_left(self.ok_times, when.timestamp())
        return self._at(i - 1) if i else None

    def ok_between(self, start: dt.datetime, end: dt.datetime) -> bool:
        i = bisect_left(self.ok_times, start.timestamp())
        return i < len(self.ok_times) and self.ok_times[i] < end.timestamp()

    def _at(self, i: int) -> dt.datetime:
        zone = dt.timezone(dt.timedelta(seconds=self.ok_offsets[i]))
        return dt.datetime.fromtimestamp(self.ok_times[i], zone)


def tally(runs: Iterable[RunSummary]) -> dict[str, Collections]:
    """Each device's Collections over `runs`."""
    tried: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    times: defaultdict[str, array[float]] = defaultdict(lambda: array("d"))
    offsets: defaultdict[str, array[int]] = defaultdict(lambda: array("i"))
    for run in sorted(runs, key=lambda r: (r.started, r.path)):
        stamp, offset = run.started.timestamp(), _offset(run.started)
        for name, result in run.devices.items():
            if result.outcome == "skipped":  # left out on purpose: neither tried nor reached
                continue
            tried[name] += 1
            if result.outcome == "failed":
                failed[name] += 1
            else:
                times[name].append(stamp)
                offsets[name].append(offset)
    return {n: Collections(tried[n], failed[n], times[n], offsets[n]) for n in sorted(tried)}


def add_tallies(old: dict[str, Collections], new: dict[str, Collections]) -> dict[str, Collections]:
    """The figures of two sets of runs (no run in both)."""
    out = dict(old)
    for name, b in new.items():
        a = out.get(name)
        if a is None:
            out[name] = b
            continue
        times, offsets = a.ok_times + b.ok_times, a.ok_offsets + b.ok_offsets
        if a.ok_times and b.ok_times and b.ok_times[0] < a.ok_times[-1]:  # a backdated import
            pairs = sorted(zip(times, offsets, strict=True))
            times, offsets = array("d", (t for t, _ in pairs)), array("i", (o for _, o in pairs))
        out[name] = Collections(a.tried + b.tried, a.failed + b.failed, times, offsets)
    return dict(sorted(out.items()))


def _offset(when: dt.datetime) -> int:
    offset = when.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


@dataclass(frozen=True)
class History:
    head: str  # the commit this model covers ("" for an empty repository)
    devices: dict[str, DeviceHistory] = field(default_factory=dict)
    runs: list[RunSummary] = field(default_factory=list)  # by start time
    since: str | None = None  # a partial model: only the commits after this one
    collections: dict[str, Collections] = field(default_factory=dict)  # device -> figures over `runs`

    def __post_init__(self) -> None:
        if self.runs and not self.collections:  # a model built by hand: count its runs
            object.__setattr__(self, "collections", tally(self.runs))


def config_path(name: str) -> str:
    return f"devices/{name}/config.txt"
