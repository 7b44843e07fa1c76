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
import re
import sys
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
    instant,
    read_blobs,
    read_commits,
    read_patches,
    utf8,
)
from netkb.generator.model import (
    Change,
    Collected,
    DeviceHistory,
    DeviceRun,
    Finding,
    History,
    LastRun,
    RunSummary,
    config_path,
    tally,
)
from netkb.generator.statefile import load_state
from netkb.run_records import UnreadableRecord, is_record_path, read_run_file


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
    device_commits = [c for c in commits if any(_device_of(e.path) for e in c.entries)]
    files: dict[str, dict[str, str]] = {}
    records: dict[str, tuple[str, str, dt.datetime]] = {}  # path -> (blob, commit, commit date)
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
    blobs, runs, latest_raw = _read_blobs_and_records(repo, files, records)

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

    devices = {
        name: _current(name, changes.get(name, []), files.get(name, {}), blobs)
        for name in sorted(set(changes) | set(files))
    }
    runs.sort(key=_run_key)
    last_run: dict[str, LastRun] = {}
    for run in reversed(runs):  # newest first: the latest run wins
        for n, d in run.devices.items():
            if n not in last_run:
                last_run[n] = LastRun(run.path, run.started, d.outcome, d.reason)
    last_collected = {name: _collected(run, raw) for name, (run, raw) in latest_raw.items()}
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


def _read_blobs_and_records(
    repo: git.Repo, files: dict[str, dict[str, str]], records: dict[str, tuple[str, str, dt.datetime]]
) -> tuple[dict[str, bytes], list[RunSummary], dict[str, tuple[RunSummary, dict[str, Any]]]]:
    """The device blobs at HEAD; every run record's summary; each device's latest collected entry.

    Records are parsed as they stream in, newest first: a year of them is a gigabyte of JSON.
    Only a device's latest collection is kept whole, so a record is parsed without its normal
    inspection findings (see `_ALL_NORMAL`) unless it holds some device's latest
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
            summary, collected = _run_summary(path, blob, sha, date, _without_normal_findings(data))
            newer = [
                name
                for name in collected
                if name not in latest_raw or _run_key(latest_raw[name][0]) < _run_key(summary)
            ]
            if newer:
                summary, collected = _run_summary(path, blob, sha, date, data)
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


# --- run records -------------------------------------------------------------------------


def _run_key(run: RunSummary) -> tuple[dt.datetime, str]:
    return (run.started, run.path)


def _finding(raw: dict[str, Any]) -> Finding:
    # Item names, verdicts and most details repeat run after run: share one string each.
    item, verdict, detail, suggestion = (
        sys.intern(str(raw.get(k, ""))) for k in ("item", "verdict", "detail", "suggestion")
    )
    return Finding(item, verdict, detail, suggestion)


_NUMBER = (int, float)  # what JSON numbers are (bool is neither: `type` is compared, not isinstance)


def _number(value: Any) -> float | None:
    return float(value) if type(value) in _NUMBER else None


def _device_run(raw: dict[str, Any]) -> DeviceRun:
    """The few figures of a device's run entry that the site charts (365,000 a year: kept lean)."""
    get = raw.get
    measures = get("measures") or {}
    cpu, memory = measures.get("cpu"), measures.get("memory")
    temps = [_number(t.get("celsius")) for t in measures.get("temperature") or () if type(t) is dict]
    temps_known = [t for t in temps if t is not None]
    uptime = _number(measures.get("uptime"))
    inspection = get("inspection")
    return DeviceRun(
        sys.intern(str(get("outcome", ""))),
        str(get("reason", "")),
        float(get("seconds") or 0.0),
        get("commit"),
        tuple(get("sections") or ()),
        int(get("new_log_count") or 0),
        tuple(_finding(f) for f in inspection if f.get("verdict") != "normal") if inspection else (),
        _number(cpu.get("five_minutes", cpu.get("one_minute"))) if type(cpu) is dict else None,
        _number(memory.get("used_percent")) if type(memory) is dict else None,
        max(temps_known) if temps_known else None,
        int(uptime) if uptime is not None else None,
    )


# An inspection of only normal findings, as the collector wrote it before (json.dumps, indent=1:
# the list is at depth 3). Only a device's latest collection keeps its normal findings, so in every
# other record such a list is cut to [] before parsing: half the JSON. A record in any other
# layout is parsed whole, with the same result.
_STR = rb'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
_NORMAL = (
    rb'\n    \{\n     "item": '
    + _STR
    + rb',\n     "verdict": "normal",\n     "detail": '
    + _STR
    + rb',\n     "suggestion": '
    + _STR
    + rb"\n    \}"
)
_ALL_NORMAL = re.compile(rb'"inspection": \[(?:' + _NORMAL + rb",)*+" + _NORMAL + rb"\n   \]")
# The same list in the collector's current layout: one line per device, json's default separators.
_NORMAL_LINE = (
    rb'\{"item": '
    + _STR
    + rb', "verdict": "normal", "detail": '
    + _STR
    + rb', "suggestion": '
    + _STR
    + rb"\}"
)
_ALL_NORMAL_LINE = re.compile(rb'"inspection": \[(?:' + _NORMAL_LINE + rb", )*+" + _NORMAL_LINE + rb"\]")


def _without_normal_findings(data: bytes) -> bytes:
    return _ALL_NORMAL_LINE.sub(b'"inspection": []', _ALL_NORMAL.sub(b'"inspection": []', data))


def _collected(run: RunSummary, raw: dict[str, Any]) -> Collected:
    inspection = tuple(_finding(f) for f in raw.get("inspection") or [])
    return Collected(
        run.path,
        run.started,
        raw.get("measures") or {},
        inspection,
        raw.get("new_logs") or [],
        raw.get("problems") or [],
        raw.get("unsupported") or [],
    )


def _run_summary(
    path: str, blob: str, sha: str, date: dt.datetime, data: bytes
) -> tuple[RunSummary, dict[str, dict[str, Any]]]:
    """The summary, and the record's entry of each device it reached. A damaged record becomes a
    summary that says so: the site must show it, not skip it."""
    try:
        record = read_run_file(data, instant)
        devices = {name: _device_run(raw) for name, raw in record.devices.items()}
    except (UnreadableRecord, TypeError, ValueError, AttributeError) as exc:
        why = str(exc) if isinstance(exc, UnreadableRecord) else f"{type(exc).__name__}: {exc}"
        problem = f"unreadable run record {path} (blob {blob[:12]}): {why}"
        return RunSummary(path, sha, date, None, None, {}, {}, problem), {}
    reached = [name for name, run in devices.items() if run.outcome not in ("failed", "skipped")]
    collected = {name: record.devices[name] for name in reached}
    summary = RunSummary(path, sha, record.started, record.finished, record.limit, record.counts, devices)
    return summary, collected
