"""The history model, read from real snapshot repositories written the way the collector writes them."""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import git
import pytest
import yaml

from netkb.collector.gitstore import SnapshotRepo, atomic_write
from netkb.collector.runrecord import DeviceResult, Outcome, RunRecord
from netkb.generator import cache as history_cache
from netkb.generator.cache import MAX_DELTA_RUNS, _save, load_or_build, merge
from netkb.generator.history import HistoryError, HistoryRewritten, read_history
from netkb.generator.model import Collections, PackedDevices

START = dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HOSTILE = '<script>alert("x")</script> ``` ]]> {{ x }} | * _ # \x01netkb fake\ndiff --git a/x b/x'
CORE = "sysname core-1\n#\ninterface GigabitEthernet1/0/3\n description 教学楼 上联\n port link-type trunk\n"
INSPECTION = [
    {"item": "power", "verdict": "normal", "detail": "2 power normal", "suggestion": ""},
    {"item": "fans", "verdict": "abnormal", "detail": "fan 1/1: Fault", "suggestion": "更换风扇"},
]
MEASURES = {
    "cpu": {"five_seconds": 9, "one_minute": 7, "five_minutes": 5},
    "memory": {"used_percent": 41.5},
    "temperature": [
        {"slot": "1", "sensor": "a", "celsius": 38.0},
        {"slot": "1", "sensor": "b", "celsius": 44.0},
    ],
    "uptime": 86400,
}


@dataclass
class Snap:
    config: str
    state: dict[str, Any] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)  # what collector.sections would name


class Collector:
    """Writes what collector/collect.py writes: files, one commit per device, then the run record."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = SnapshotRepo(path, "netkb", "netkb@example.edu")
        self.at = START

    def device(self, name: str, snap: Snap) -> DeviceResult:
        files = {f"devices/{name}/config.txt": snap.config.encode("utf-8")}
        for topic, data in snap.state.items():
            files[f"devices/{name}/state/{topic}.yml"] = yaml.safe_dump(data, allow_unicode=True).encode()
        first = self.store.committed(f"devices/{name}/config.txt") is None
        changed = self.store.write_files(files)
        result = DeviceResult(name, Outcome.UNCHANGED, seconds=1.5, measures=MEASURES, inspection=INSPECTION)
        if changed:
            topics = sorted(p.rsplit("/", 1)[1].removesuffix(".yml") for p in changed if "/state/" in p)
            parts = snap.sections + ([f"state {', '.join(topics)}"] if topics else [])
            message = f"{name}: {'first snapshot' if first else ', '.join(parts)}"
            result.commit = self.store.commit(changed, message, self.at)
            result.outcome, result.sections = Outcome.CHANGED, [] if first else snap.sections
        return result

    def run(self, devices: dict[str, Snap | str], *, record: bool = True) -> str:
        """One collect: a Snap per collected device, a reason string per failed one."""
        run = RunRecord(started=self.at, finished=self.at + dt.timedelta(minutes=3))
        with self.store.locked():  # as collect.py does: commits land when the run ends
            for name, snap in devices.items():
                failed = DeviceResult(name, Outcome.FAILED, reason=snap) if isinstance(snap, str) else None
                run.devices[name] = failed or self.device(name, snap)  # type: ignore[arg-type]
            if record:
                self.record(run)
        self.at += dt.timedelta(days=1)
        return self.head()

    def record(self, run: RunRecord) -> None:
        atomic_write(self.path / run.path(), run.to_json().encode("utf-8"))
        counts = run.counts()
        message = (
            f"run {run.started:%Y-%m-%d %H:%M}: {counts['changed']} changed, {counts['unchanged']} unchanged"
        )
        self.store.commit([run.path()], f"{message}, {counts['failed']} failed", run.started)

    def commit(self, paths: list[str], message: str) -> None:
        with self.store.locked():
            self.store.commit(paths, message, self.at)

    def head(self) -> str:
        return str(self.store.repo.head.commit.hexsha)


def git_show(repo: Path, sha: str, name: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "show", "--format=", "--full-index", sha, "--", f"devices/{name}/"],
        capture_output=True,
        check=True,
    )
    return out.stdout.decode("utf-8")


@pytest.fixture
def collector(tmp_path: Path) -> Collector:
    return Collector(tmp_path / "configs")


@pytest.fixture
def popen_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    calls: list[Any] = []
    original = subprocess.Popen.__init__

    def spy(self: subprocess.Popen[Any], *args: Any, **kwargs: Any) -> None:
        calls.append(args[0] if args else kwargs.get("args"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", spy)
    yield calls


def three_nights(c: Collector) -> list[str]:
    fans = [{"id": "1/1", "status": "normal"}]
    heads = [
        c.run(
            {
                "core-1": Snap(CORE + HOSTILE + "\n", {"fans": fans, "version": {"os": "Comware 7"}}),
                "fw-1": "timeout",
            }
        ),
        c.run(
            {
                "core-1": Snap(
                    CORE.replace("trunk", "access") + "ospf 1\n area 0.0.0.0\n" + HOSTILE,  # no final newline
                    {"fans": [{"id": "1/1", "status": "fault"}], "version": {"os": "Comware 7"}},
                    ["interface GigabitEthernet1/0/3", "ospf 1"],
                ),
                "agg-1": Snap("sysname agg-1\nheader motd 欢迎, welcome\n", {"power": [{"id": 1}]}),
                "fw-1": "authentication failed",
            }
        ),
    ]
    heads.append(
        c.run(
            {
                "agg-1": Snap(
                    "sysname agg-1\nheader motd 欢迎, 再见\n",
                    {"power": [{"id": 1}]},
                    ["header motd 欢迎, 再见"],
                ),
                "core-1": "config lacks its trailer",
            }
        )
    )
    return heads


def test_changes_current_files_and_runs(collector: Collector) -> None:
    three_nights(collector)
    history = read_history(collector.path)
    assert history.head == collector.head() and history.since is None
    assert list(history.devices) == ["agg-1", "core-1", "fw-1"]

    core = history.devices["core-1"]
    assert [c.kind for c in core.changes] == ["first", "config"]
    first, second = core.changes
    assert first.sections == [] and first.message == "core-1: first snapshot"
    assert second.sections == ["interface GigabitEthernet1/0/3", "ospf 1"] and second.topics == ["fans"]
    assert second.message == "core-1: interface GigabitEthernet1/0/3, ospf 1, state fans"
    assert second.files == ["devices/core-1/config.txt", "devices/core-1/state/fans.yml"]
    assert second.date == START + dt.timedelta(days=1) and second.date.utcoffset() == dt.timedelta(hours=8)
    for change in core.changes:
        assert change.diff == git_show(collector.path, change.sha, "core-1")
    assert "+ description 教学楼 上联" in first.diff and "\\ No newline at end of file" in second.diff
    assert core.config == (collector.path / "devices/core-1/config.txt").read_bytes().decode("utf-8")
    assert core.config.endswith(HOSTILE) and core.state["fans"] == [{"id": "1/1", "status": "fault"}]
    assert core.first_seen == START and core.last_changed == START + dt.timedelta(days=1)
    assert core.has_snapshot and core.last_run_outcome == "failed"
    assert core.last_run and core.last_run.reason == "config lacks its trailer"
    assert core.last_collected and core.last_collected.started == START + dt.timedelta(days=1)
    assert core.last_collected.measures == MEASURES and len(core.last_collected.inspection) == 2

    agg = history.devices["agg-1"]
    assert [(c.kind, c.sections) for c in agg.changes] == [
        ("first", []),
        ("config", ["header motd 欢迎, 再见"]),
    ]
    fw = history.devices["fw-1"]  # never collected: present, with the reason
    assert not fw.has_snapshot and fw.changes == [] and fw.config == "" and fw.last_run_outcome == "failed"

    assert [r.started for r in history.runs] == [START + dt.timedelta(days=d) for d in range(3)]
    run = history.runs[1]
    assert run.counts == {"changed": 2, "unchanged": 0, "failed": 1}
    assert run.finished == run.started + dt.timedelta(minutes=3)
    assert run.devices["fw-1"].outcome == "failed" and run.devices["fw-1"].reason == "authentication failed"
    result = run.devices["core-1"]
    assert result.commit == second.sha and result.seconds == 1.5
    assert [f.item for f in result.findings] == ["fans"]  # normal items are in last_collected only
    assert (result.cpu, result.memory, result.temperature, result.uptime) == (5.0, 41.5, 44.0, 86400)


def test_incremental_read_merges_into_the_full_model(collector: Collector) -> None:
    heads = three_nights(collector)
    base = read_history(collector.path)
    collector.run(
        {"core-1": Snap(CORE + "ntp-service unicast-server 10.0.0.1\n", {"fans": []}, ["ntp-service"])}
    )
    # A model read in the middle of a run (device committed, record not yet): the record
    # arrives in the next read and still names the sections of a change the base holds.
    (collector.path / "devices/agg-1/state/power.yml").unlink()
    collector.commit(["devices/agg-1/state/power.yml"], "agg-1: state power")
    mid = collector.run(
        {"agg-1": Snap("sysname agg-1\nheader motd a, b\n", {}, ["header motd a, b"])}, record=False
    )
    first_part = read_history(collector.path, since=base.head)
    middle = merge(base, first_part)
    assert middle.head == mid
    run = RunRecord(started=collector.at)
    run.devices["agg-1"] = DeviceResult("agg-1", Outcome.CHANGED, commit=mid, sections=["header motd a, b"])
    with collector.store.locked():
        collector.record(run)

    full = read_history(collector.path)
    assert merge(middle, read_history(collector.path, since=middle.head)) == full
    assert merge(base, read_history(collector.path, since=base.head)) == full
    # Two partial models make one: the deleted state file stays deleted through both.
    both = merge(first_part, read_history(collector.path, since=middle.head))
    assert both.since == base.head and both.devices["agg-1"].files["devices/agg-1/state/power.yml"] == ""
    assert merge(base, both) == full
    assert full.devices["agg-1"].changes[-1].sections == ["header motd a, b"]
    assert full.devices["agg-1"].state == {}  # its power topic was deleted
    assert read_history(collector.path, since=full.head).devices == {}
    with pytest.raises(HistoryRewritten):
        read_history(collector.path, since="0" * 40)
    with pytest.raises(ValueError):
        merge(read_history(collector.path), read_history(collector.path, since=heads[0]))


def test_process_count_does_not_grow_with_history(collector: Collector, popen_calls: list[Any]) -> None:
    state = {"fans": [{"id": 1, "status": "normal"}], "vlans": [1, 10]}
    for night in range(20):  # 20 runs x (9 device commits + 1 run commit) = 200 commits
        collector.run(
            {f"acc-{d}": Snap(f"sysname acc-{d}\nvlan {night}\n", state, [f"vlan {night}"]) for d in range(9)}
        )
    popen_calls.clear()
    history = read_history(collector.path)
    assert len(popen_calls) <= 3
    assert sum(len(d.changes) for d in history.devices.values()) == 180 and len(history.runs) == 20


def test_cache_follows_new_commits_and_drops_rewritten_history(
    collector: Collector, tmp_path: Path, popen_calls: list[Any]
) -> None:
    cache = tmp_path / "cache"
    three_nights(collector)
    built = load_or_build(collector.path, cache)
    assert [p.name for p in cache.iterdir()] == [f"history-{built.head}.pickle"]
    popen_calls.clear()
    assert load_or_build(collector.path, cache) == built and popen_calls == []  # nothing new: no git at all

    keep = collector.head()
    collector.run({"core-1": Snap(CORE + "stp global enable\n", {}, ["stp global enable"])})
    popen_calls.clear()
    extended = load_or_build(collector.path, cache)
    assert len(popen_calls) <= 3  # the new commits only: two logs and one cat-file
    assert extended == read_history(collector.path)

    collector.store.repo.git.reset("--hard", keep)  # rewrite: drop the last run, make another
    collector.run({"agg-1": Snap("sysname agg-1 rewritten\n", {}, ["sysname agg-1 rewritten"])})
    rebuilt = load_or_build(collector.path, cache)
    assert rebuilt == read_history(collector.path)
    assert "stp global enable" not in rebuilt.devices["core-1"].config

    other = Collector(tmp_path / "other")  # a cache made from another repository
    other.run({"x-1": Snap("sysname x-1\n")})
    assert load_or_build(other.path, cache) == read_history(other.path)
    (cache / f"history-{other.head()}.pickle").write_bytes(b"not a pickle")
    assert load_or_build(other.path, cache) == read_history(other.path)


def test_damaged_run_record_and_foreign_bytes(collector: Collector) -> None:
    collector.run({"core-1": Snap(CORE)})
    atomic_write(collector.path / "runs/2025/03/broken.json", b'{"started": ')
    collector.commit(["runs/2025/03/broken.json"], "run broken")
    history = read_history(collector.path)
    broken = [r for r in history.runs if r.problem]
    assert len(broken) == 1 and "broken.json" in broken[0].problem and broken[0].started == collector.at

    atomic_write(collector.path / "devices/core-1/config.txt", "sysname 核心\n".encode("gb18030"))
    collector.commit(["devices/core-1/config.txt"], "core-1: sysname")
    with pytest.raises(HistoryError, match="not UTF-8"):
        read_history(collector.path)


def test_empty_repository(tmp_path: Path) -> None:
    git.Repo.init(tmp_path / "empty")
    assert read_history(tmp_path / "empty").head == ""
    assert load_or_build(tmp_path / "empty", tmp_path / "cache").devices == {}


def test_nights_extend_one_delta_that_folds_into_a_new_base(collector: Collector, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = three_nights(collector)[-1]
    load_or_build(collector.path, cache)
    heads = []
    for night in range(MAX_DELTA_RUNS):
        heads.append(collector.run({"core-1": Snap(CORE + f"vlan {night}\n", {}, [f"vlan {night}"])}))
        model = load_or_build(collector.path, cache)
        assert model == read_history(collector.path)
        files = sorted(p.name for p in cache.iterdir())
        if night + 1 < MAX_DELTA_RUNS:
            assert files == [f"delta-{first}.pickle", f"history-{first}.pickle"]
    assert files == [f"history-{heads[-1]}.pickle"]  # a month of runs: folded

    for night in range(3):
        heads.append(collector.run({"agg-1": Snap(f"sysname agg-1\nvlan {night}\n", {}, [f"vlan {night}"])}))
        load_or_build(collector.path, cache)
    collector.store.repo.git.reset("--hard", heads[-2])  # back inside the delta's commits
    assert load_or_build(collector.path, cache) == read_history(collector.path)
    heads.append(collector.run({"agg-1": Snap("sysname agg-1\nvlan 9\n", {}, ["vlan 9"])}))
    (cache / f"delta-{heads[MAX_DELTA_RUNS - 1]}.pickle").write_bytes(b"not a pickle")
    assert load_or_build(collector.path, cache) == read_history(collector.path)


def test_runs_keep_their_devices_packed_and_the_figures_of_every_night(
    collector: Collector, tmp_path: Path
) -> None:
    three_nights(collector)
    full = read_history(collector.path)
    loaded = pickle.loads(pickle.dumps(full))
    run = loaded.runs[1]
    assert isinstance(run.devices, PackedDevices) and run.devices._devices is None  # not unpacked yet
    assert loaded == full and dict(run.devices) == dict(full.runs[1].devices)
    core = full.collections["core-1"]
    assert (core.tried, core.failed) == (3, 1)
    assert core.ok_before() == [r.started for r in full.runs[:2]]
    assert core.last_ok == full.runs[1].started and core.last_ok.utcoffset() == START.utcoffset()
    assert core.last_ok_before(full.runs[1].started) == full.runs[0].started
    assert core.ok_between(full.runs[1].started, full.runs[2].started)
    assert not core.ok_between(full.runs[2].started, full.runs[2].started + dt.timedelta(days=9))
    assert full.collections["fw-1"] == Collections(tried=2, failed=2)


def test_a_backdated_run_is_counted_in_order(collector: Collector, tmp_path: Path) -> None:
    three_nights(collector)
    base = read_history(collector.path)
    run = RunRecord(started=START - dt.timedelta(days=30), finished=START - dt.timedelta(days=30))
    run.devices["core-1"] = DeviceResult("core-1", Outcome.UNCHANGED, seconds=1.0)
    with collector.store.locked():  # an import of an older collection, committed today
        collector.record(run)
    merged = merge(base, read_history(collector.path, since=base.head))
    assert merged.collections == read_history(collector.path).collections
    assert merged.collections["core-1"].ok_before()[0] == run.started


def test_a_cache_another_netkb_wrote_is_not_used(
    collector: Collector, tmp_path: Path, upgrade_netkb: Callable[[], None]
) -> None:
    cache = tmp_path / "cache"
    three_nights(collector)
    model = read_history(collector.path)
    core = model.devices["core-1"]
    # What an older netkb made of the same commits: another config, other state (a chunk).
    older = replace(
        model, devices={**model.devices, "core-1": replace(core, config="stale", state={"x": []})}
    )
    history_cache._stored.clear()  # chunks other tests' bases hold under the same names
    _save(cache, older)
    assert load_or_build(collector.path, cache) == older  # served as is (the test can fail)
    collector.run({"agg-1": Snap("sysname agg-1\nvlan 7\n", {}, ["vlan 7"])})
    assert load_or_build(collector.path, cache).devices["core-1"].config == "stale"  # base + its delta
    assert any(p.name.startswith("delta-") for p in cache.iterdir())

    upgrade_netkb()  # e.g. ntc-templates upgraded: the fingerprint changes
    cold = read_history(collector.path)
    assert load_or_build(collector.path, cache) == cold  # neither the base nor the delta
    assert load_or_build(collector.path, cache) == cold  # the new base copied no chunk of the old
    for thread in threading.enumerate():  # the old files are removed in the background
        if thread.name == "netkb-discard":
            thread.join()
    assert [p.name for p in cache.iterdir()] == [f"history-{cold.head}.pickle"]
