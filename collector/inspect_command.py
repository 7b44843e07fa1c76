"""`netkb inspect`: the checklist on the current snapshot, and which inspections are overdue.

Without touching a device, it shows what the collect found, judged the same way: for each
device the newest run record that collected it (records ordered by instant, whatever time
zone wrote them), compared with the device's previous good run exactly as the collect
compared them (collector/runrecord.py `judge`: the same observations, the same carried
expectations). Only the thresholds are today's: a verdict they change is shown as judged
now. A device whose newest collect failed is reported as failed, with its reason and the
age of the findings shown. Exit status 1 when any finding is abnormal, or when a config change of
the last `change_records.recent_days` is covered by no approved change record (change_check.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git
import yaml
from rich.console import Console
from rich.table import Table

from netkb.cli_args import add_project_arguments
from netkb.collector.change_check import print_unplanned, unplanned_changes
from netkb.collector.expectations import config_facts, merged
from netkb.collector.runrecord import (
    PreviousRun,
    expectations,
    judge,
    merge_previous,
    previous_observation,
)
from netkb.collector.stored_project import stored_project
from netkb.inspection.checklist import Checklist, Finding, Observation, Thresholds, Verdict
from netkb.inventory import DeviceEntry
from netkb.records.cycles import last_inspection
from netkb.run_records import UnreadableRecord, read_run_file, records_in
from netkb.settings import Settings
from netkb.yamlsafe import safe_load

console = Console(highlight=False)
warnings = Console(stderr=True, highlight=False)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("inspect", help="re-run the inspection checklist on the current snapshot")
    add_project_arguments(p)
    p.add_argument("--limit", help="only these devices: names, groups, roles or platforms, comma-separated")
    p.add_argument("--today", type=dt.date.fromisoformat, help="date for the overdue check (default: today)")
    p.set_defaults(handler=run)


@dataclass(frozen=True)
class Record:
    """One run record as inspect needs it."""

    path: str
    started: dt.datetime
    devices: dict[str, dict[str, Any]]

    def as_previous(self) -> PreviousRun:
        return PreviousRun(self.started, self.devices)


def read_runs(repo: Path, unreadable: Callable[[str, str], None] | None = None) -> list[Record]:
    """Every readable run record, newest instant first. A damaged one is left out and told to
    `unreadable(path, why)`: the others still count."""
    records = []
    for relpath in records_in(repo):
        try:
            record = read_run_file((repo / relpath).read_bytes())
        except UnreadableRecord as exc:
            if unreadable is not None:
                unreadable(relpath, str(exc))
            continue
        records.append(Record(relpath, record.started, record.devices))
    return records


def _warn_unreadable(relpath: str, why: str) -> None:
    warnings.print(
        f"run record {relpath} cannot be read ({why}); its devices are judged from the other records",
        style="yellow",
        markup=False,
    )


@dataclass(frozen=True)
class DeviceFindings:
    name: str
    findings: list[Finding]
    as_of: dt.datetime | None  # when the collect the findings come from started
    collected: list[dt.datetime]  # when the device was collected (for the overdue check)


class StateAt(Mapping[str, Any]):
    """A device's state topics as of a commit of the snapshot repository, parsed when asked."""

    def __init__(self, tree: Any, device: str, topics: list[str]) -> None:
        self._tree, self._device, self._topics = tree, device, topics
        self._parsed: dict[str, Any] = {}

    def __getitem__(self, topic: str) -> Any:
        if topic not in self._parsed:
            try:
                blob = self._tree / f"devices/{self._device}/state/{topic}.yml"
            except KeyError:
                raise KeyError(topic) from None
            self._parsed[topic] = safe_load(blob.data_stream.read())
        return self._parsed[topic]

    def __iter__(self) -> Iterator[str]:
        return iter(self._topics)

    def __len__(self) -> int:
        return len(self._topics)


class Snapshots:
    """The snapshot repository's files: at HEAD from disk, before a device's commit from git."""

    def __init__(self, repo: Path) -> None:
        self.path = repo
        self._git: git.Repo | None = None

    def state(self, name: str) -> dict[str, Any]:
        state = {}
        for path in sorted((self.path / "devices" / name / "state").glob("*.yml")):
            state[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return state

    def config(self, name: str) -> str | None:
        path = self.path / "devices" / name / "config.txt"
        return path.read_text(encoding="utf-8") if path.exists() else None

    def state_before(self, commit: str, name: str, topics: list[str]) -> Mapping[str, Any] | None:
        """The state the device's commit replaced (None: the commit is not in this repository)."""
        try:
            self._git = self._git or git.Repo(self.path)
            parents = self._git.commit(commit).parents
        except (ValueError, git.BadName, git.GitCommandError):
            return None
        return StateAt(parents[0].tree, name, topics) if parents else {}


def _when(moment: dt.datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _age(now: dt.datetime, then: dt.datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    days, rest = divmod(seconds, 86400)
    return f"{days} d {rest // 3600} h" if days else f"{rest // 3600} h {rest % 3600 // 60} min"


def _reconcile(stored: list[dict[str, Any]], judged: list[dict[str, str]]) -> list[Finding]:
    """The findings the record holds, where today's judgement agrees with them; a verdict that
    today's thresholds change is shown as judged now, saying what the collect said. An item the
    record holds and today's judgement lacks (its data is no longer in the repository) is shown
    as recorded."""
    recorded = {str(f.get("item")): f for f in stored}
    findings = []
    for f in judged:
        was = recorded.pop(f["item"], None)
        if was is not None and was.get("verdict") == f["verdict"]:
            f = {k: str(was.get(k, "")) for k in ("item", "verdict", "detail", "suggestion")}
        elif was is not None:
            f = {
                **f,
                "detail": f"{f['detail']} (judged now with the current thresholds; the collect said "
                f"{was.get('verdict')})",
            }
        findings.append(Finding(f["item"], Verdict(f["verdict"]), f["detail"], f["suggestion"]))
    for item, was in recorded.items():
        try:
            verdict = Verdict(str(was.get("verdict")))
        except ValueError:
            continue  # a record edited by hand: nothing to show
        findings.append(Finding(item, verdict, str(was.get("detail", "")), str(was.get("suggestion", ""))))
    return findings


def inspect_device(
    entry: DeviceEntry,
    stated: dict[str, Any],
    runs: list[Record],
    snapshots: Snapshots,
    checklist: Checklist,
    thresholds: Thresholds,
    now: dt.datetime,
) -> DeviceFindings:
    """One device's findings, as the collect that last read it judged them (see the module)."""
    name = entry.name
    history = [(i, r, r.devices[name]) for i, r in enumerate(runs) if name in r.devices]
    history = [(i, r, d) for i, r, d in history if d.get("outcome") != "skipped"]  # the inventory's skip
    good = [(i, r, d) for i, r, d in history if d.get("outcome") != "failed"]
    collected = [r.started for _, r, _ in good]
    if not history:
        return DeviceFindings(name, [Finding("collect", Verdict.UNKNOWN, "never collected")], None, [])
    _, newest, newest_entry = history[0]
    failed = (
        f"latest collect {_when(newest.started)} ({_age(now, newest.started)} ago) failed: "
        f"{newest_entry.get('reason') or 'no reason recorded'}"
    )
    if not good:
        note = Finding("collect", Verdict.ABNORMAL, f"never collected successfully; {failed}")
        return DeviceFindings(name, [note], None, [])
    index, run, device = good[0]
    notes = [] if run is newest else [_older_findings(failed, run, now)]
    # What the collect of `run` compared with: the records before it, as `read_previous_of` read them.
    earlier = merge_previous((r.as_previous() for r in runs[index + 1 :]), {name})
    current = _observation(entry, stated, run, device, snapshots, earlier)
    before, unknown = _compared_state(snapshots, name, run, device, current.state)
    previous = previous_observation(current, earlier, before)
    judged = judge(current, previous, checklist, thresholds)
    findings = notes + unknown + _reconcile(device.get("inspection") or [], judged.findings)
    return DeviceFindings(name, findings, run.started, collected)


def _older_findings(failed: str, run: Record, now: dt.datetime) -> Finding:
    """The newest collect failed: the findings shown are an older collect's, and say so."""
    return Finding(
        "collect",
        Verdict.ABNORMAL,
        f"{failed}; the findings shown are from the collect of {_when(run.started)}, "
        f"{_age(now, run.started)} old",
        "find out why the collect fails (reachability, credentials, host key) and collect again",
    )


def _observation(
    entry: DeviceEntry,
    stated: dict[str, Any],
    run: Record,
    device: dict[str, Any],
    snapshots: Snapshots,
    earlier: PreviousRun,
) -> Observation:
    """What the collect of `run` observed on the device, rebuilt from its entry and the store."""
    name, platform = entry.name, entry.platform.value
    config = snapshots.config(name)
    facts = config_facts(platform, config) if config is not None else {}
    return Observation(
        name,
        platform,
        entry.role,
        entry.model,
        snapshots.state(name),
        device.get("measures") or {},
        device.get("new_logs") or [],
        device.get("problems") or [],
        run.started,
        expectations(merged(facts, stated), earlier, name, platform, config),
    )


def _compared_state(
    snapshots: Snapshots, name: str, run: Record, device: dict[str, Any], state: Mapping[str, Any]
) -> tuple[Mapping[str, Any], list[Finding]]:
    """The state the collect compared with: what the device's commit of that run replaced, or,
    when the run changed nothing, what the repository holds (the same files)."""
    if not device.get("commit"):
        return state, []
    before = snapshots.state_before(str(device["commit"]), name, list(state))
    if before is not None:
        return before, []
    note = Finding(
        "collect",
        Verdict.UNKNOWN,
        f"commit {str(device['commit'])[:12]} of the collect of {_when(run.started)} is not in the "
        "snapshot repository; compared with the current state instead",
    )
    return state, [note]


def run(args: argparse.Namespace) -> int:
    stored = stored_project(args)
    inventory, settings, devices, repo = stored.inventory, stored.settings, stored.devices, stored.repo
    written = stored.written
    checklist, records = written.checklist, written.onsite
    runs = read_runs(repo, _warn_unreadable)
    snapshots = Snapshots(repo)
    now = dt.datetime.now(dt.UTC)
    today = args.today or dt.date.today()
    results: list[DeviceFindings] = []
    overdue: list[tuple[str, str, str]] = []
    for entry in devices:
        found = inspect_device(
            entry, inventory.expected(entry), runs, snapshots, checklist, settings.thresholds, now
        )
        results.append(found)
        months = settings.cycles.months_for(entry.role)
        last = last_inspection(entry.name, found.collected, records, months=months, room=entry.asset.room)
        late, due = settings.cycles.overdue(entry.role, last, today)
        if late:
            overdue.append((entry.name, str(last or "never"), str(due or "now")))
    print_findings(results, checklist, settings)
    print_overdue(overdue, len(devices))
    selected = {d.name for d in devices}
    unplanned = unplanned_changes(repo, runs, written.planned_changes, settings, selected, now)
    print_unplanned(console, unplanned, settings)
    return 1 if unplanned or any(f.verdict is Verdict.ABNORMAL for r in results for f in r.findings) else 0


def print_findings(results: list[DeviceFindings], checklist: Any, settings: Settings) -> None:
    rows = [(r, f) for r in results for f in r.findings]
    shown = [(r, f) for r, f in rows if f.verdict is not Verdict.NORMAL]
    table = Table(title="inspection: abnormal and unknown findings")
    for column in ("device", "item", "verdict", "detail", "suggestion", "as of"):
        table.add_column(column)
    for r, f in sorted(
        shown, key=lambda rf: (rf[1].verdict is not Verdict.ABNORMAL, rf[0].name, rf[1].item_id)
    ):
        item, suggestion = f.item_id, f.suggestion
        if f.item_id in {entry.id for entry in checklist.items}:  # else "collect", or an item since removed
            texts = checklist.texts(f.item_id, settings.language, settings.thresholds)
            item = texts.item
            suggestion = texts.suggestion if f.verdict is Verdict.ABNORMAL else f.suggestion
        style = "red" if f.verdict is Verdict.ABNORMAL else "yellow"
        as_of = _when(r.as_of) if r.as_of else ""
        table.add_row(r.name, item, f.verdict.value, f.detail, suggestion, as_of, style=style)
    if shown:
        console.print(table)
    normal = sum(f.verdict is Verdict.NORMAL for _, f in rows)
    abnormal = sum(f.verdict is Verdict.ABNORMAL for _, f in rows)
    unknown = len(rows) - normal - abnormal
    console.print(f"{len(rows)} findings: {normal} normal, {abnormal} abnormal, {unknown} unknown")


def print_overdue(overdue: list[tuple[str, str, str]], total: int) -> None:
    if overdue:
        table = Table(title="inspections overdue (automatic run + on-site record within the cycle)")
        for column in ("device", "last complete", "was due"):
            table.add_column(column)
        for row in overdue:
            table.add_row(*row)
        console.print(table)
    console.print(f"{len(overdue)} of {total} devices overdue for inspection")
