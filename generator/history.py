"""The snapshot repository's history as a plain model, read in one pass.

Three git processes, whatever the length of the history (principle 9):
1. `git log -z --raw` over every commit: sha, parents, date, message and the new blob of
   every changed path -- which commits touched which device, where the run records are, and
   which blob each device file has at HEAD;
2. `git log -p -- devices/`: the patch of every device commit, split per file. Run records
   stay out of it: with a thousand devices each record is megabytes of JSON;
3. `git cat-file --batch`: the blobs at HEAD (configs, state) and the run records.
(generator/gitlog.py runs them.) The second starts first and runs while the log is read and the
records are parsed, which is most of the time on a year of runs (a gigabyte of JSON for a
thousand devices; see `_read_blobs_and_records`); state files are read by generator/statefile.py.
`read_history(repo, since=sha)` reads only the commits after `sha` into a partial model that
`merge` adds to the model of `sha` (generator/cache.py keeps those). Diffs are kept exactly as
git prints them (with --full-index, so a cached diff never depends on how short git could
abbreviate an object name at the time it was read); all text is decoded as strict UTF-8.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import git
import yaml

from netkb.generator.gitlog import (
    Commit,
    Entry,
    HistoryError,
    read_blobs,
    read_commits,
    read_patches,
    utf8,
)
from netkb.generator.model import (
    Change,
    DeviceHistory,
    History,
    LastRun,
    RunSummary,
    config_path,
    tally,
)
from netkb.generator.run_summaries import collected_entry, run_key, run_summary, without_normal_findings
from netkb.generator.statefile import load_state
from netkb.run_records import is_record_path


class HistoryRewritten(HistoryError):
    """`since` is not an ancestor of HEAD (rewritten history, another repository)."""


# --- reading -----------------------------------------------------------------------------


def read_history(repo_path: Path, since: str | None = None) -> History:
    # Hundreds of thousands of small objects, none in a cycle: the cyclic collector would only
    # rescan them again and again while they are made (a quarter of the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_history(repo_path, since)
    finally:
        if enabled:
            gc.enable()


def _read_history(repo_path: Path, since: str | None) -> History:
    repo = git.Repo(repo_path)
    head = head_commit(repo)
    if not head:
        return History(head="", since=since)
    if since == head:
        return History(head=head, since=since)
    rev = f"{since}..{head}" if since else head
    # git computes the patches while the log is read and the run records are parsed (a dropped
    # stream ends its process: GitPython kills it when its handle goes).
    patches = read_patches(repo, rev)
    try:
        commits = read_commits(repo, rev)
    except git.GitCommandError as exc:
        if since:
            raise HistoryRewritten(f"{since} is not in {repo_path}") from exc
        raise HistoryError(f"cannot read the history of {repo_path}: {exc.stderr.strip()}") from exc
    if since and (not commits or commits[0].parents[:1] != [since]):
        raise HistoryRewritten(f"{since} is not an ancestor of {head} in {repo_path}")
    return _build(repo, head, since, commits, patches)


def head_commit(repo: git.Repo) -> str:
    """HEAD's sha ("" before the first commit), read from the refs: no git process."""
    try:
        return cast(str, git.SymbolicReference.dereference_recursive(repo, "HEAD"))
    except ValueError:
        return ""


def _device_of(path: str) -> str | None:
    parts = path.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "devices" else None


def _build(
    repo: git.Repo,
    head: str,
    since: str | None,
    commits: list[Commit],
    patches: Iterator[tuple[str, list[bytes]]],
) -> History:
    files, records = _paths_at_head(commits, since)
    blobs, runs, latest_raw = _read_blobs_and_records(repo, files, records)
    changes = _changes_by_device([c for c in commits if any(_device_of(e.path) for e in c.entries)], patches)
    devices = {
        name: _current(name, changes.get(name, []), files.get(name, {}), blobs)
        for name in sorted(set(changes) | set(files))
    }
    runs.sort(key=run_key)
    last_run: dict[str, LastRun] = {}
    for run in reversed(runs):  # newest first: the latest run wins
        for n, d in run.devices.items():
            if n not in last_run:
                last_run[n] = LastRun(run.path, run.started, d.outcome, d.reason)
    last_collected = {name: collected_entry(run, raw) for name, (run, raw) in latest_raw.items()}
    for name in sorted(set(last_run) - set(devices)):  # tried, never collected: shown, not hidden
        devices[name] = DeviceHistory(name)
    for name in last_run:
        devices[name] = replace(
            devices[name], last_run=last_run[name], last_collected=last_collected.get(name)
        )
    apply_run_sections(devices, runs)
    return History(
        head=head, devices=dict(sorted(devices.items())), runs=runs, since=since, collections=tally(runs)
    )


def _paths_at_head(
    commits: list[Commit], since: str | None
) -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, str, dt.datetime]]]:
    """Each device's files with their blob at HEAD (a partial read marks deletions with ""), and
    every run record: path -> (blob, commit, commit date)."""
    files: dict[str, dict[str, str]] = {}
    records: dict[str, tuple[str, str, dt.datetime]] = {}
    for commit in commits:
        for entry in commit.entries:
            if is_record_path(entry.path):
                if entry.status == "D":
                    if since:  # records are append-only; a deletion needs the full read
                        raise HistoryRewritten(f"run record {entry.path} deleted in {commit.sha}")
                    records.pop(entry.path, None)
                else:
                    records[entry.path] = (entry.blob, commit.sha, commit.date)
            elif (name := _device_of(entry.path)) is not None:
                device_files = files.setdefault(name, {})
                if entry.status != "D":
                    device_files[entry.path] = entry.blob
                elif since:
                    device_files[entry.path] = ""
                else:
                    device_files.pop(entry.path, None)
    return files, records


def _changes_by_device(
    device_commits: list[Commit], patches: Iterator[tuple[str, list[bytes]]]
) -> dict[str, list[Change]]:
    """The changes of each device, from the patch stream, which must follow the log commit by commit."""
    changes: dict[str, list[Change]] = {}
    for commit in device_commits:
        sha, file_patches = next(patches, ("", []))
        if sha != commit.sha:
            raise HistoryError(
                f"the patch stream is out of step: expected {commit.sha}, got {sha or 'nothing'}"
            )
        for name, change in _changes_of(commit, file_patches):
            changes.setdefault(name, []).append(change)
    if next(patches, None) is not None:
        raise HistoryError("the patch stream has more commits than the log")
    return changes


def _read_blobs_and_records(
    repo: git.Repo, files: dict[str, dict[str, str]], records: dict[str, tuple[str, str, dt.datetime]]
) -> tuple[dict[str, bytes], list[RunSummary], dict[str, tuple[RunSummary, dict[str, Any]]]]:
    """The device blobs at HEAD; every run record's summary; each device's latest collected entry.

    Records are parsed as they stream in, newest first: a year of them is a gigabyte of JSON.
    Only a device's latest collection is kept whole, so a record is parsed without its normal
    inspection findings (see run_summaries.py `_ALL_NORMAL`) unless it holds some device's latest
    collection, which, newest first, only the newest few records do.
    """
    device_blobs = {b for fs in files.values() for b in fs.values() if b}
    record_blobs: dict[str, list[tuple[str, str, dt.datetime]]] = {}
    for path, (blob, sha, date) in sorted(records.items(), key=lambda r: (r[1][2], r[0]), reverse=True):
        record_blobs.setdefault(blob, []).append((path, sha, date))
    blobs: dict[str, bytes] = {}
    runs: list[RunSummary] = []
    latest_raw: dict[str, tuple[RunSummary, dict[str, Any]]] = {}
    for blob, data in read_blobs(repo, [*sorted(device_blobs), *record_blobs]):
        if blob in device_blobs:
            blobs[blob] = data
        for path, sha, date in record_blobs.get(blob, ()):
            summary, collected = run_summary(path, blob, sha, date, without_normal_findings(data))
            newer = [
                name
                for name in collected
                if name not in latest_raw or run_key(latest_raw[name][0]) < run_key(summary)
            ]
            if newer:
                summary, collected = run_summary(path, blob, sha, date, data)
                latest_raw.update((name, (summary, collected[name])) for name in newer)
            runs.append(summary)
    return blobs, runs, latest_raw


def apply_run_sections(devices: dict[str, DeviceHistory], runs: Iterable[RunSummary]) -> None:
    """Give each change the exact section list its run record names (a label may hold ", ")."""
    exact: dict[str, dict[str, list[str]]] = {}
    for run in runs:
        for name, result in run.devices.items():
            if result.commit and result.sections:
                exact.setdefault(name, {})[result.commit] = list(result.sections)
    for name, by_commit in exact.items():
        device = devices.get(name)
        if device and any(c.sha in by_commit and c.sections != by_commit[c.sha] for c in device.changes):
            changes = [c._replace(sections=by_commit.get(c.sha, c.sections)) for c in device.changes]
            devices[name] = replace(device, changes=changes)


def _changes_of(commit: Commit, patches: list[bytes]) -> Iterator[tuple[str, Change]]:
    """One Change per device the commit touched; its patches come in the order of its entries."""
    entries = [e for e in commit.entries if e.path.startswith("devices/")]
    if len(entries) != len(patches):
        raise HistoryError(f"{commit.sha}: {len(entries)} device files changed but {len(patches)} patches")
    by_device: dict[str, list[tuple[Entry, bytes]]] = {}
    for entry, patch in zip(entries, patches, strict=True):
        path = entry.path.encode("utf-8")
        if not (patch.startswith(b'diff --git "') or patch.startswith(b"diff --git a/" + path + b" b/")):
            raise HistoryError(f"{commit.sha}: the patch for {entry.path} is not where it should be")
        if (name := _device_of(entry.path)) is not None:
            by_device.setdefault(name, []).append((entry, patch))
    for name, pairs in by_device.items():
        statuses = {e.path: e.status for e, _ in pairs}
        topics = sorted(
            p.rsplit("/", 1)[1].removesuffix(".yml")
            for p in statuses
            if p.startswith(f"devices/{name}/state/")
        )
        config_status = statuses.get(config_path(name))
        kind = {"A": "first", "D": "removed", None: "state"}.get(config_status, "config")
        diff = utf8(b"".join(p for _, p in pairs), f"the diff of {name} in {commit.sha}")
        sections = _sections_from_message(commit.message, name, topics) if kind == "config" else []
        yield (
            name,
            Change(commit.sha, commit.date, commit.message, kind, sections, topics, list(statuses), diff),
        )


def _sections_from_message(message: str, name: str, topics: list[str]) -> list[str]:
    """`core-1: interface X, ospf 1, state fans, power` -> [interface X, ospf 1].

    Ambiguous when a section label holds ", "; the run record's exact list replaces this."""
    body = message.split("\n", 1)[0].removeprefix(f"{name}: ")
    if topics:
        body = body.removesuffix("state " + ", ".join(topics)).removesuffix(", ")
    return body.split(", ") if body and body != "first snapshot" else []


def _current(
    name: str, changes: list[Change], files: dict[str, str], blobs: dict[str, bytes]
) -> DeviceHistory:
    config = ""
    state: dict[str, Any] = {}
    for path, blob in sorted(files.items()):
        if not blob:
            continue
        text = utf8(blobs[blob], path)
        if path == config_path(name):
            config = text
        elif path.startswith(f"devices/{name}/state/") and path.endswith(".yml") and path.count("/") == 3:
            try:
                state[path.rsplit("/", 1)[1].removesuffix(".yml")] = load_state(text)
            except yaml.YAMLError as exc:
                raise HistoryError(f"{path} is not valid YAML: {exc}") from exc
    return DeviceHistory(name, changes, config, dict(sorted(state.items())), dict(sorted(files.items())))
