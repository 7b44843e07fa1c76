"""`netkb inspect`'s change check: the config commits of the last `recent_days` judged against the
change records (netkb/records/change_matching.py, the same verdicts the site shows).

The commits come from one `git log` over `devices/*/config.txt` (a modified config is a change;
an added one is a device's first snapshot, not a change); the span each was made in, from the
run records inspect has already read (the device's collection before the one that committed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import git
from rich.console import Console
from rich.table import Table

from netkb.i18n import Strings
from netkb.records.change_matching import CommitVerdict, ConfigCommit, made_after, match
from netkb.records.planned_changes import PlannedChange
from netkb.settings import Settings


class _Run(Protocol):
    @property
    def started(self) -> dt.datetime: ...
    @property
    def devices(self) -> Mapping[str, Mapping[str, object]]: ...


def config_commits(repo: Path, since: dt.datetime, runs: Iterable[_Run]) -> list[ConfigCommit]:
    """The config changes committed from `since` on (a day early: git filters by committer date)."""
    collected: dict[str, list[float]] = {}
    for run in runs:
        for name, device in run.devices.items():
            if device.get("outcome") not in ("failed", "skipped"):
                collected.setdefault(name, []).append(run.started.timestamp())
    for times in collected.values():
        times.sort()
    after = (since - dt.timedelta(days=1)).isoformat()
    log = git.Repo(repo).git.log(
        "--format=%x01%H %aI", "--name-status", f"--since={after}", "--", ":(glob)devices/*/config.txt"
    )
    commits = []
    for entry in log.split("\x01")[1:]:
        head, *files = entry.strip().splitlines()
        sha, stamp = head.split(" ", 1)
        at = dt.datetime.fromisoformat(stamp)
        for line in files:
            status, _, path = line.partition("\t")
            if status == "M" and at >= since:
                name = path.split("/")[1]
                commits.append(ConfigCommit(name, sha, at, made_after(collected.get(name, []), at)))
    return commits


def unplanned_changes(
    repo: Path,
    runs: Sequence[_Run],
    records: list[PlannedChange],
    settings: Settings,
    devices: set[str],
    now: dt.datetime,
) -> list[CommitVerdict]:
    """The selected devices' config commits of the last `recent_days` that no approved change covers."""
    if not records and settings.change_records.since is None:
        return []  # nothing is judged without change records (change_matching.counting_from)
    since = now - dt.timedelta(days=settings.change_records.recent_days)
    try:
        commits = [c for c in config_commits(repo, since, runs) if c.device in devices]
    except git.GitCommandError:  # a repository without a commit yet
        return []
    until = max((r.started for r in runs), default=None)
    found = match(commits, records, settings.change_records, settings.sla.time_zone, until)
    return found.findings


def print_unplanned(console: Console, findings: list[CommitVerdict], settings: Settings) -> None:
    s = Strings(settings.language)
    if findings:
        table = Table(title=s.plain("cr_unplanned_heading"))
        for column in ("device", "cr_found", "cr_made_after", "cr_commit", "cr_verdict", "cr_records_col"):
            table.add_column(s.plain(column))
        for v in findings:
            c = v.commit
            made = f"{c.made_after:%Y-%m-%d %H:%M}" if c.made_after else "—"
            verdict = s.plain(f"cr_verdict_{v.verdict.value}")
            table.add_row(c.device, f"{c.at:%Y-%m-%d %H:%M}", made, c.sha[:10], verdict, ", ".join(v.records))
        console.print(table, style="red")
    days = settings.change_records.recent_days
    console.print(s.plain("term_cr_inspect", count=len(findings), days=days), markup=False)
