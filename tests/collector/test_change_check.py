"""`netkb inspect`'s change check on a real git repository: config commits of the last days
against change records, the span of each from the run records."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from netkb.collector.change_check import config_commits, unplanned_changes
from netkb.records.change_matching import Verdict
from netkb.records.planned_changes import PlannedChange
from netkb.settings import Settings

TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=TZ)


@dataclass
class Run:
    started: dt.datetime
    devices: dict[str, dict[str, object]] = field(default_factory=dict)


def commit(repo: Path, when: dt.datetime, files: dict[str, str]) -> str:
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
    env = {**os.environ, "GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat()}
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "night"], check=True, env=env)
    return subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def store(tmp_path: Path) -> tuple[Path, dict[str, str], list[Run]]:
    repo = tmp_path / "configs"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shas = {
        "first": commit(repo, at(1), {"devices/core-1/config.txt": "a\n", "devices/agg-1/config.txt": "x\n"}),
        "state": commit(repo, at(2), {"devices/core-1/state/fans.yml": "[]\n"}),
        "core": commit(repo, at(3), {"devices/core-1/config.txt": "b\n"}),
        "agg": commit(repo, at(4), {"devices/agg-1/config.txt": "y\n"}),
    }
    ok = {"outcome": "unchanged"}
    runs = [
        Run(at(day), {"core-1": ok, "agg-1": ok}) for day in (4, 3, 2, 1)
    ]  # newest first, as inspect reads
    runs[1].devices["agg-1"] = {"outcome": "failed"}  # agg-1 not reached on 11-03: its span starts 11-02
    return repo, shas, runs


def test_modified_configs_are_the_changes_with_their_spans(tmp_path: Path) -> None:
    repo, shas, runs = store(tmp_path)
    found = {(c.device, c.sha): c.made_after for c in config_commits(repo, at(1), runs)}
    # the first snapshots (added) and the state-only commit are not config changes
    assert found == {("core-1", shas["core"]): at(2), ("agg-1", shas["agg"]): at(2)}


def test_inspect_finds_the_unplanned_change_of_the_last_days(tmp_path: Path) -> None:
    repo, shas, runs = store(tmp_path)
    settings = Settings()  # recent_days 30
    devices = {"core-1", "agg-1"}
    assert unplanned_changes(repo, runs, [], settings, devices, at(5)) == []  # no records: nothing judged
    record = PlannedChange(
        "change-requests/c.md", "CHG-1", "core-1", ("core-1",), at(2, 21), at(2, 23), at(1, 9), "赵主任"
    )
    # core-1's change (made 11-02 02:00..11-03 02:00) is covered; agg-1's, made 11-02 02:00..11-04
    # 02:00 (it was not reached on 11-03), overlaps CHG-1's window, which does not name agg-1
    (finding,) = unplanned_changes(repo, runs, [record], settings, devices, at(5))
    assert (finding.commit.device, finding.commit.sha, finding.verdict) == (
        "agg-1",
        shas["agg"],
        Verdict.WRONG_DEVICE,
    )
    assert unplanned_changes(repo, runs, [record], settings, {"core-1"}, at(5)) == []  # --limit core-1
    # 31 days later the change is out of inspect's window
    assert unplanned_changes(repo, runs, [record], settings, devices, at(4) + dt.timedelta(days=31)) == []
