"""From a fetched device to its commit: who answered, the completeness gate, the inspection,
the files (sealed copy included) and the commit; a failure at any stage is this device's,
and its last good snapshot stays."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from netkb.collector.decode import undecodable_reason
from netkb.collector.device_fetch import DeviceFetch, redactor
from netkb.collector.expectations import config_facts, merged
from netkb.collector.gate import refuse_reason
from netkb.collector.gitstore import SnapshotRepo, StoreError
from netkb.collector.hostkeys import KnownHosts
from netkb.collector.identity import accepted_file, identity_of, mismatch
from netkb.collector.options import CollectOptions
from netkb.collector.runrecord import (
    DeviceResult,
    Outcome,
    PreviousRun,
    Stage,
    ap_counts,
    describe_failure,
    expectations,
    judge,
    previous_observation,
)
from netkb.collector.sealed import Sealer
from netkb.collector.sealed import note as sealed_note
from netkb.collector.sections import changed_sections
from netkb.collector.snapshot import Snapshot, entry_id, new_log_entries
from netkb.inspection.checklist import Checklist, Observation
from netkb.inspection.logrules import LogAction, classify
from netkb.inventory import DeviceEntry, Inventory
from netkb.settings import Settings
from netkb.spec import PlatformSpec, load_spec
from netkb.yamlsafe import safe_load

LOG_SEVERITY_KEPT = 4  # warnings and worse go into the run record in full


def _severity(entry: dict[str, Any]) -> int:
    try:
        return int(entry.get("severity", 7))
    except (TypeError, ValueError):
        return 7


class CommittedState(Mapping[str, Any]):
    """A device's state topics as of the last good snapshot, parsed only when a check asks.

    Few checks compare with the previous run (OSPF, IRF, APs); parsing every topic's YAML
    for all of them would cost more than parsing the device's outputs.
    """

    def __init__(self, repo: SnapshotRepo, device: str, topics: list[str]) -> None:
        self._repo, self._device, self._topics = repo, device, topics
        self._parsed: dict[str, Any] = {}

    def __getitem__(self, topic: str) -> Any:
        if topic not in self._parsed:
            data = self._repo.committed(f"devices/{self._device}/state/{topic}.yml")
            if data is None:
                raise KeyError(topic)
            self._parsed[topic] = safe_load(data)
        return self._parsed[topic]

    def __iter__(self) -> Iterator[str]:
        return iter(self._topics)

    def __len__(self) -> int:
        return len(self._topics)


class DeviceStore:
    """Gate, inspect and commit each fetched device (main thread only: it touches git)."""

    def __init__(
        self, settings: Settings, inventory: Inventory, checklist: Checklist, sealer: Sealer | None
    ) -> None:
        self.settings, self.inventory, self.checklist, self.sealer = settings, inventory, checklist, sealer

    def _wrong_device(
        self, repo: SnapshotRepo, entry: DeviceEntry, spec: PlatformSpec, snap: Snapshot
    ) -> str | None:
        """Why the device that answered is not `entry` (collector/identity.py), or None."""
        if (repo.path / accepted_file(entry.name)).exists():
            return None
        before = None
        config = repo.committed(f"devices/{entry.name}/config.txt")
        if config is not None:
            manuinfo = repo.committed(f"devices/{entry.name}/state/manuinfo.yml")
            before = identity_of(
                spec.platform, config.decode("utf-8"), safe_load(manuinfo) if manuinfo else None
            )
        now = identity_of(spec.platform, snap.config, snap.parsed.get("manuinfo"))
        return mismatch(entry.name, entry.sysname, before, now)

    def _inspect(
        self,
        repo: SnapshotRepo,
        entry: DeviceEntry,
        snap: Snapshot,
        fresh_logs: list[dict[str, Any]],
        previous_run: PreviousRun,
        started: dt.datetime,
        expect: dict[str, Any],
        result: DeviceResult | None = None,
    ) -> list[dict[str, str]]:
        """The checklist on what this run fetched, compared with the last good run (its record
        entry and the committed state it left), through the one judgement `netkb inspect` uses
        (collector/runrecord.py `judge`); what it carries forward goes into `result.expected`."""
        name, platform = entry.name, entry.platform.value
        # A refused config (see `_without_config_measures`) says nothing about OSPF interfaces.
        refused = any("the running config was refused" in p for p in snap.problems)
        config = None if refused else snap.config
        current = Observation(
            name,
            platform,
            entry.role,
            entry.model,
            snap.parsed,
            snap.measures,
            fresh_logs,
            snap.problems,
            started,
            expectations(expect, previous_run, name, platform, config),
        )
        committed = CommittedState(repo, name, list(snap.parsed))
        previous = previous_observation(current, previous_run, committed)
        judged = judge(current, previous, self.checklist, self.settings.thresholds)
        if result is not None:
            result.expected = judged.expected
        return judged.findings

    def settle(self, run: RunContext, entry: DeviceEntry, future: Future[DeviceFetch]) -> DeviceResult:
        """One device's result: its fetch (which never raises) then its store, in one boundary."""
        try:
            got = future.result()
        except Exception as exc:  # fetch_device catches everything: this is a bug in it
            try:
                redact = redactor(load_spec(entry.platform.value), run.key)
            except Exception:  # no spec to redact with: say nothing the device may have printed
                redact = lambda text: "(message withheld: the platform spec could not be loaded)"  # noqa: E731
            got = DeviceFetch(entry, None, None, describe_failure(Stage.FETCH, exc, redact), 1, 0.0)
        return self._store(run, got)

    def _store(self, run: RunContext, got: DeviceFetch) -> DeviceResult:
        """Gate, inspect and commit one fetched device; any exception is this device's failure."""
        name = got.entry.name
        result = DeviceResult(
            name,
            Outcome.FAILED,
            seconds=round(got.seconds, 2),
            attempts=got.attempts,
            first_contact=name in run.known_hosts.first_contact,
        )
        if got.snapshot is None or got.fetched is None:
            result.reason = got.error or "unknown failure"
            result.log_last_seen = run.previous_run.log_cursor(name)  # keep the cursor for the next run
            return result
        if got.fetched.undecodable_bytes:
            # Text decoded in the wrong encoding is garbled everywhere (config, state, logs):
            # nothing of it is judged or stored, the last good snapshot stays.
            result.undecodable_bytes = got.fetched.undecodable_bytes
            result.reason = undecodable_reason(
                got.entry.name, got.entry.encoding, got.fetched.undecodable_bytes, got.fetched.encoding_hint
            )
            result.log_last_seen = run.previous_run.log_cursor(name)
            return result
        spec = load_spec(got.entry.platform.value)
        at, written = _StageMark(Stage.INSPECT), []  # type: _StageMark, list[str]
        try:
            return self._store_snapshot(run, got, spec, result, at, written)
        except Exception as exc:
            cause = exc
        # The last good snapshot stays, on disk as in git (failing that, the next run restores it).
        with contextlib.suppress(Exception):
            run.repo.discard(written)
        # A file that cannot be written (disk full, permissions) is the store's failure, not a bug.
        expected = isinstance(cause, OSError | StoreError)
        result.outcome, result.commit, result.sections = Outcome.FAILED, None, []
        result.reason = describe_failure(at.now, cause, redactor(spec, run.key), bug=not expected)
        return result

    def _store_snapshot(
        self,
        run: RunContext,
        got: DeviceFetch,
        spec: PlatformSpec,
        result: DeviceResult,
        stage: _StageMark,
        written: list[str],
    ) -> DeviceResult:
        """`stage` says how far it got, `written` which files it wrote and has not committed."""
        assert got.snapshot is not None and got.fetched is not None  # checked by _store
        name, snap = got.entry.name, got.snapshot
        # Who answered comes first: another device's outputs must not be judged or stored as this one's.
        stage.now = Stage.GATE
        wrong_device = self._wrong_device(run.repo, got.entry, spec, snap)
        if wrong_device:
            result.reason = f"{Stage.GATE}: {wrong_device}"
            result.log_last_seen = run.previous_run.log_cursor(name)
            return result
        fresh = self._note_observations(run, got, result)

        # The gate comes first: a refused config must not be judged (a truncated capture
        # would read as "running differs from saved").
        stage.now = Stage.GATE
        previous = run.repo.committed(f"devices/{name}/config.txt")
        previous_text = previous.decode("utf-8") if previous else None
        forced = name in run.options.force
        refused = refuse_reason(
            snap.config, spec, previous_text, self.settings.shrink_threshold, forced, device=name
        )
        stage.now = Stage.INSPECT
        observed = snap if not refused else _without_config_measures(snap, spec, refused)
        if refused:
            result.measures, result.problems = dict(observed.measures), list(observed.problems)
        # What the device should show: the inventory's expect over its config's facts (the last
        # good config when this one is refused: a truncated config could hide its OSPF process).
        facts = config_facts(spec.platform, (previous_text or "") if refused else snap.config)
        expect = merged(facts, self.inventory.expected(got.entry))
        result.inspection = self._inspect(
            run.repo, got.entry, observed, fresh, run.previous_run, run.started, expect, result
        )
        if refused:
            result.reason = f"{Stage.GATE}: {refused}"
            return result

        stage.now = Stage.STORE
        return self._commit_files(run, got, spec, result, previous_text, written)

    def _note_observations(
        self, run: RunContext, got: DeviceFetch, result: DeviceResult
    ) -> list[dict[str, Any]]:
        """Measures, problems and the new log entries into the result; the new entries."""
        assert got.snapshot is not None and got.fetched is not None
        name, snap = got.entry.name, got.snapshot
        result.measures, result.problems = dict(snap.measures), list(snap.problems)
        if (counts := ap_counts(snap.parsed)) is not None:
            result.measures["ap_counts"] = counts
        result.unsupported = got.fetched.unsupported
        result.undecodable_bytes = got.fetched.undecodable_bytes
        fresh = new_log_entries(snap.logs, run.previous_run.log_cursor(name))
        result.new_log_count = len(fresh)
        # Warnings and worse in full, and whatever the log rule table makes abnormal at any
        # severity (a duplicate IP is logged at 6), so `netkb inspect` can judge them again.
        limit, role, rules = LOG_SEVERITY_KEPT, got.entry.role, self.settings.thresholds.log_rules
        result.new_logs = [
            e
            for e in fresh
            if classify(e, role, limit, rules)[0] is LogAction.ABNORMAL or _severity(e) <= limit
        ]
        result.log_last_seen = entry_id(snap.logs[-1]) if snap.logs else run.previous_run.log_cursor(name)
        return fresh

    def _commit_files(
        self,
        run: RunContext,
        got: DeviceFetch,
        spec: PlatformSpec,
        result: DeviceResult,
        previous_text: str | None,
        written: list[str],
    ) -> DeviceResult:
        """Write the device's files (and its sealed copy) and commit what changed, its sections named."""
        assert got.snapshot is not None and got.fetched is not None
        name, snap, repo, at = got.entry.name, got.snapshot, run.repo, run.options.at
        files = snap.files(name)
        raw = got.fetched.outputs[spec.config_command.command]
        seal = self.sealer.seal(name, spec, raw, previous_text, snap.config, repo) if self.sealer else None
        files.update(seal.files if seal else {})  # collector/sealed.py: sealed/<name>.age with config.txt
        written.extend(files)  # until committed, any of them may be on disk
        changed = repo.write_files(files)
        marker = accepted_file(name)
        if (repo.path / marker).exists():  # `netkb accept` is used up by this good collect
            (repo.path / marker).unlink()
            repo.commit([marker], f"{name}: replacement accepted, identity and host key re-learned", at)
        if not changed:
            result.outcome = Outcome.UNCHANGED
            return result
        sections = changed_sections(previous_text, snap.config, spec.config_syntax) if previous_text else []
        state_topics = sorted(p.rsplit("/", 1)[1].removesuffix(".yml") for p in changed if "/state/" in p)
        parts = sections + ([f"state {', '.join(state_topics)}"] if state_topics else [])
        parts += seal.parts if seal else []
        message = f"{name}: {', '.join(parts) if previous_text else 'first snapshot'}"
        message += sealed_note(snap.config) if seal else ""
        result.commit = repo.commit(changed, message, at)
        written.clear()  # committed: nothing to undo
        result.sections = sections
        result.outcome = Outcome.CHANGED if result.commit else Outcome.UNCHANGED
        return result


@dataclass(frozen=True)
class RunContext:
    """What each device of one run is stored against (collect.py makes it once per run)."""

    repo: SnapshotRepo
    previous_run: PreviousRun
    started: dt.datetime
    options: CollectOptions
    known_hosts: KnownHosts
    key: bytes


@dataclass
class _StageMark:
    now: Stage


def _without_config_measures(snap: Snapshot, spec: PlatformSpec, refused: str) -> Snapshot:
    """The snapshot as the inspection may see it when its config was refused.

    What is derived from the config text (`config_saved`: the running config compared with
    the saved one) is dropped and reported as a problem, so its item says `unknown` with the
    reason. The other outputs of the session each passed their own parser's checks and
    are judged: a failed fan seen in the same session is real, and hiding it because the
    config came back truncated would be worse.
    """
    derived = {name for c in spec.commands for name, parser in c.measure.items() if parser is None}
    measures = {k: v for k, v in snap.measures.items() if k not in derived}
    problems = list(snap.problems)
    for c in spec.commands:
        for name in sorted(derived & c.measure.keys()):
            problems.append(
                f"{c.command!r} ({name}): not compared, the running config was refused: {refused}"
            )
    return Snapshot(snap.config, snap.state, snap.parsed, measures, snap.logs, problems)
