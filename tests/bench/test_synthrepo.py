"""The synthetic snapshot repository of bench/synthrepo.py: the collector's shapes, read back whole.

A small network (the lab's minimum plus a few) over a few nights, built into a temporary folder;
what the history reader finds is compared with what the generator says it did, and its shortcuts
(sections by indentation, line-by-line redaction, partial renders, its own record encoder) with
the collector's own functions.
"""

from __future__ import annotations

import json
import pickle
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bench.synthnet import DeviceState
from bench.synthrepo import Params, SynthRepo, append_night, build, copy_repo
from netkb.collector.runrecord import DeviceResult, Outcome
from netkb.collector.sections import changed_sections
from netkb.generator.history import read_history
from netkb.inventory import load_inventory
from netkb.lab.topology import MIN_DEVICES
from netkb.spec import load_spec

DEVICES, NIGHTS = MIN_DEVICES + 2, 6


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> SynthRepo:
    # A high change rate, so a few nights see every kind of change on every platform.
    return build(
        Params(DEVICES, NIGHTS, seed=3, change_rate=0.3), tmp_path_factory.mktemp("synth"), quiet=True
    )


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def test_history_reads_what_the_generator_wrote(synth: SynthRepo) -> None:
    report = synth.report()
    history = read_history(synth.repo)
    nights = report["nights"]
    assert len(history.runs) == len(nights) == NIGHTS
    assert [r.path for r in history.runs] == [n["record"] for n in nights]
    assert not [r.problem for r in history.runs if r.problem]
    collected = {name for n in nights for name in n["changed"]}
    assert set(history.devices) == collected
    expected = Counter(name for n in nights for name in n["changed"])
    assert {name: len(d.changes) for name, d in history.devices.items()} == dict(expected)
    for night, run in zip(nights, history.runs, strict=True):
        assert sorted(n for n, d in run.devices.items() if d.outcome == "failed") == night["failed"]
        assert len(run.devices) == night["collected"]
        for name, what in night["changed"].items():
            change = next(c for c in history.devices[name].changes if c.sha == run.devices[name].commit)
            assert change.sections == what["sections"] and change.topics == what["topics"]
            first = change is history.devices[name].changes[0]
            assert change.kind == ("first" if first else "config" if what["sections"] else "state")
    # The inventory is valid as the collector reads it and names every device collected.
    inventory = load_inventory(synth.inventory)
    assert len(inventory.devices) == DEVICES
    assert set(history.devices) <= {d.name for d in inventory.devices}


def test_files_have_the_collectors_shapes(synth: SynthRepo) -> None:
    tree = _git(synth.repo, "ls-tree", "-r", "--name-only", "HEAD").split()
    names = {p.split("/")[1] for p in tree if p.startswith("devices/")}
    for name in names:
        assert f"devices/{name}/config.txt" in tree
        assert f"known_hosts.d/{name}" in tree
    states = [p for p in tree if "/state/" in p]
    assert states and all(p.count("/") == 3 and p.endswith(".yml") for p in states)
    for path in states[:40]:
        yaml.safe_load((synth.repo / path).read_text(encoding="utf-8"))
    records = [p for p in tree if p.startswith("runs/")]
    assert len(records) == NIGHTS and all(p.endswith("+0800.json") for p in records)
    record = json.loads((synth.repo / records[-1]).read_text(encoding="utf-8"))
    assert set(record) == {"started", "finished", "limit", "counts", "devices"}
    entry = next(iter(record["devices"].values()))
    assert set(entry) == set(DeviceResult.__dataclass_fields__)
    # Commits: one per changed device named by its sections, then the run's, dated that night.
    log = _git(synth.repo, "log", "--format=%ad %s", "--date=format:%H", "HEAD~1..HEAD")
    assert log.startswith("02 run ") and "changed," in log
    secrets = _git(synth.repo, "grep", "-c", "<secret:", "HEAD", "--", "devices/")
    assert secrets.strip(), "the configs went through the collector's redaction"


def test_shortcuts_agree_with_the_collectors_functions(tmp_path: Path) -> None:
    """Sections, redaction and partial renders against the collector's own functions."""
    synth = build(Params(DEVICES, 2, seed=5, change_rate=0.5), tmp_path, quiet=True)
    with synth.sim_path.open("rb") as f:
        sim = pickle.load(f)
    previous = {name: dict(st.files) for name, st in sim.state.items()}
    checked = 0
    for _ in range(3):
        night = sim.night()
        for commit in night.commits:
            path = f"devices/{commit.device}/config.txt"
            old = previous[commit.device].get(path)
            if old is not None and path in commit.files:
                syntax = load_spec(sim.net.devices[commit.device].platform.value).config_syntax
                assert night.sections[commit.device] == changed_sections(
                    old.decode(), commit.files[path].decode(), syntax
                )
                checked += 1
            previous[commit.device].update(commit.files)
        assert {n for n, r in night.results.items() if r.outcome is Outcome.CHANGED} == {
            c.device for c in night.commits
        }
    assert checked >= 5
    # A full render of every device now gives exactly the files the nights left.
    for name, st in sim.state.items():
        if st.files:
            dev = sim.net.devices[name]
            assert sim._render(dev, DeviceState(), load_spec(dev.platform.value), True) == st.files, name


def test_append_one_night(synth: SynthRepo, tmp_path: Path) -> None:
    copy = tmp_path / "configs"
    copy_repo(synth.repo, copy)
    summary = append_night(copy, synth.sim_path, checkout=False)
    history = read_history(copy)
    assert len(history.runs) == NIGHTS + 1 and history.runs[-1].path == summary["record"]
    assert read_history(synth.repo).head != history.head  # the cached repository is left alone


def test_four_shards_a_night(tmp_path: Path) -> None:
    """A night as four `--shard K/N` jobs write it: four records, each of its shard's devices."""
    synth = build(Params(DEVICES, 2, seed=3, change_rate=0.3, shards=4), tmp_path, quiet=True)
    history = read_history(synth.repo)
    nights = synth.report()["nights"]
    assert [r.path for r in history.runs] == [p for n in nights for p in n["records"]]
    for i, night in enumerate(nights):
        runs = history.runs[4 * i : 4 * i + 4]
        assert [r.path.rsplit("-", 1)[1] for r in runs] == [f"shard{k}of4.json" for k in range(1, 5)]
        names = [name for r in runs for name in r.devices]
        assert len(names) == len(set(names)) == night["collected"]
        for name in night["changed"]:
            assert sum(1 for r in runs if r.devices.get(name) and r.devices[name].commit) == 1
