"""Sharding's pure parts: which shard holds a device, per-device host keys, merged previous runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import paramiko
import pytest

from netkb.collector.hostkeys import HostKeyChanged, KnownHosts
from netkb.collector.runrecord import DeviceResult, Outcome, RunRecord, read_previous_of
from netkb.inventory import Shard

NAMES = [f"acc-{b}-{i:02d}" for b in ("lib", "teach", "dorm", "lab") for i in range(1, 26)]


def test_every_device_is_in_exactly_one_shard_and_stays_there() -> None:
    for count in (1, 2, 3, 8):
        shards = [Shard(k, count) for k in range(1, count + 1)]
        homes = {n: [s for s in shards if s.holds(n)] for n in NAMES}
        assert all(len(h) == 1 for h in homes.values())
        if count > 1:
            assert all(any(s.holds(n) for n in NAMES) for s in shards)  # 100 names reach every shard
    before = {n: [k for k in range(1, 5) if Shard(k, 4).holds(n)] for n in NAMES}
    grown = [*NAMES, "core-9", "agg-new"]  # adding devices moves none of the others
    assert {n: [k for k in range(1, 5) if Shard(k, 4).holds(n)] for n in grown if n in before} == before


@pytest.mark.parametrize("text", ["0/2", "3/2", "2", "a/b", "1/0", "-1/2"])
def test_a_bad_shard_says_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match="expected K/N with 1 <= K <= N"):
        Shard.parse(text)


def test_host_keys_per_device_and_the_old_shared_file(tmp_path: Path) -> None:
    key_a = paramiko.RSAKey.generate(1024)
    key_b = paramiko.RSAKey.generate(1024)
    # An old repository: one known_hosts for all devices.
    legacy = paramiko.HostKeys()
    legacy.add("[10.0.0.1]:22", key_a.get_name(), key_a)
    legacy.save(str(tmp_path / "known_hosts"))

    store = KnownHosts(tmp_path)
    store.check("old-1", "[10.0.0.1]:22", key_a)  # known from the old file: nothing to write
    store.check("new-1", "[10.0.0.2]:22", key_b)  # first contact: its own file
    assert store.first_contact == ["new-1"]
    assert store.save() == ["known_hosts.d/new-1"]
    assert not (tmp_path / "known_hosts.d" / "old-1").exists()
    assert "[10.0.0.2]:22" in (tmp_path / "known_hosts.d" / "new-1").read_text()

    again = KnownHosts(tmp_path)
    again.check("new-1", "[10.0.0.2]:22", key_b)
    assert again.save() == [] and again.first_contact == []
    with pytest.raises(HostKeyChanged, match=r"pinned in known_hosts\).*netkb accept old-1"):
        again.check("old-1", "[10.0.0.1]:22", key_b)
    with pytest.raises(HostKeyChanged, match=r"pinned in known_hosts\.d/new-1\).*netkb accept new-1"):
        again.check("new-1", "[10.0.0.2]:22", key_a)


def test_host_keys_are_pinned_per_device_not_per_address(tmp_path: Path) -> None:
    key_a, key_b = paramiko.RSAKey.generate(1024), paramiko.RSAKey.generate(1024)
    store = KnownHosts(tmp_path)
    store.check("core-1", "[10.0.0.1]:22", key_a)
    store.check("core-2", "[10.0.0.2]:22", key_b)
    store.save()
    again = KnownHosts(tmp_path)
    again.check("core-1", "[10.9.9.9]:22", key_a)  # a new address, the same device: still pinned
    with pytest.raises(HostKeyChanged, match="changed"):
        again.check("core-1", "[10.9.9.9]:22", key_b)
    # A typo points a new device at core-2: its key is core-2's, never a first contact.
    with pytest.raises(HostKeyChanged, match=r"offers the host key of core-2.*points at core-2"):
        again.check("core-3", "[10.0.0.2]:22", key_b)
    assert again.first_contact == []


def test_an_accepted_replacement_learns_its_new_key(tmp_path: Path) -> None:
    key_a, key_b = paramiko.RSAKey.generate(1024), paramiko.RSAKey.generate(1024)
    store = KnownHosts(tmp_path)
    store.check("core-1", "[10.0.0.1]:22", key_a)
    store.save()
    (tmp_path / "accepted").mkdir()
    (tmp_path / "accepted" / "core-1").write_text("replaced\n")
    again = KnownHosts(tmp_path)
    again.check("core-1", "[10.0.0.1]:22", key_b)
    assert again.save() == ["known_hosts.d/core-1"] and again.first_contact == ["core-1"]
    assert KnownHosts(tmp_path)._keys_of("core-1").lookup("[10.0.0.1]:22") == {key_b.get_name(): key_b}


def test_previous_run_merges_the_shards_records() -> None:
    day = dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC)
    records = []
    for started, shard, names in (
        (day, "1/2", ["a", "b"]),
        (day, "2/2", ["c"]),
        (day + dt.timedelta(1), "1/2", ["a"]),
    ):
        record = RunRecord(started, shard=shard)
        for name in names:
            record.devices[name] = DeviceResult(name, Outcome.UNCHANGED, log_last_seen=f"{name}@{started:%d}")
        records.append(record)
    assert len({r.path() for r in records[:2]}) == 2  # two shards in the same second: two files
    newest_first = [r.to_json().encode() for r in reversed(records)]
    previous = read_previous_of(newest_first, {"a", "b", "c"})
    assert {n: previous.log_cursor(n) for n in "abc"} == {"a": "a@02", "b": "b@01", "c": "c@01"}
    assert previous.started_of("a") == day + dt.timedelta(1) and previous.started_of("c") == day
    assert json.loads(records[0].to_json())["shard"] == "1/2"
