"""One reader of run records: the next collect, `netkb inspect` and the site agree on which
records exist, in which order, and which cannot be read (netkb/run_records.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from netkb.collector.gitstore import SnapshotRepo, atomic_write
from netkb.collector.inspect_command import read_runs
from netkb.collector.runrecord import DeviceResult, Outcome, RunRecord, read_previous, read_previous_of
from netkb.generator.history import read_history
from netkb.run_records import UnreadableRecord, read_run_file, records_in

UTC8 = dt.timezone(dt.timedelta(hours=8))
# A laptop in +08:00 named its run of 02:00 UTC by local time; CI's run an hour later is newer.
LAPTOP = dt.datetime(2026, 12, 7, 10, 0, tzinfo=UTC8)
CI = dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC)
DAMAGED = {
    "runs/2026/12/truncated.json": b'{"started": ',
    "runs/2026/12/no-start.json": b'{"finished": null, "devices": {}}\n',
    "runs/2026/12/devices-not-entries.json": b'{"started": "2026-12-07T04:00:00+00:00", "devices": {"a": 3}}',
    "runs/2026/12/gbk.json": '{"started": "2026-12-07T04:00:00+00:00", "limit": "核心"}'.encode("gbk"),
}


def _record(started: dt.datetime, outcome: Outcome) -> RunRecord:
    run = RunRecord(started=started, finished=started + dt.timedelta(minutes=2))
    reason = "timed out" if outcome is Outcome.FAILED else ""
    run.devices["core-1"] = DeviceResult("core-1", outcome, reason=reason)
    return run


@pytest.fixture
def store(tmp_path: Path) -> Path:
    repo = SnapshotRepo(tmp_path, "netkb", "netkb@example.edu")
    files = {
        "runs/2026/12/20261207T100000+0800.json": _record(LAPTOP, Outcome.UNCHANGED).to_json().encode(),
        _record(CI, Outcome.FAILED).path(): _record(CI, Outcome.FAILED).to_json().encode(),
    }
    files.update(DAMAGED)
    for relpath, data in files.items():
        atomic_write(tmp_path / relpath, data)
    with repo.locked():
        repo.commit(sorted(files), "runs", CI)
    return tmp_path


def test_every_reader_orders_by_instant_and_names_the_damaged(store: Path) -> None:
    order = records_in(store)
    readable = [p for p in order if p not in DAMAGED]
    assert readable == ["runs/2026/12/20261207T030000Z.json", "runs/2026/12/20261207T100000+0800.json"]

    told: list[tuple[str, str]] = []
    inspected = read_runs(store, lambda path, why: told.append((path, why)))
    assert [r.path for r in inspected] == readable
    assert [r.started for r in inspected] == [CI, LAPTOP]
    assert sorted(path for path, _ in told) == sorted(DAMAGED)
    assert all(why for _, why in told)

    history = read_history(store)
    site_readable = [r.path for r in history.runs if not r.problem]
    assert site_readable == list(reversed(readable))  # the site lists oldest first
    site_damaged = {r.path: r.problem for r in history.runs if r.problem}
    assert sorted(site_damaged) == sorted(DAMAGED)
    for path, why in told:  # the same reason on the site as in the terminal
        assert why in site_damaged[path]


def test_the_next_collect_compares_with_the_last_good_run(store: Path) -> None:
    records = [(store / p).read_bytes() for p in records_in(store)]
    previous = read_previous_of(records, {"core-1"})
    assert previous.started == CI  # the newest record, though it failed the device
    assert previous.started_of("core-1") == LAPTOP  # compared with the last good run
    for data in DAMAGED.values():
        assert read_previous(data).started is None  # a damaged record costs history checks only


@pytest.mark.parametrize("relpath", sorted(DAMAGED))
def test_a_damaged_record_says_why(relpath: str) -> None:
    with pytest.raises(UnreadableRecord, match=r"^\w+Error: "):
        read_run_file(DAMAGED[relpath])


def test_a_naive_start_is_the_writer_host_local_time() -> None:
    record = read_run_file(b'{"started": "2026-12-07T10:00:00", "devices": {}}')
    assert record.started.tzinfo is not None
    assert record.started == dt.datetime(2026, 12, 7, 10, 0).astimezone()
