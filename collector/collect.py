"""`netkb collect`: every device's config and durable state into the snapshot repository.

Workers fetch and clean devices in parallel (threads: the work is SSH waiting); the main
thread alone touches git, committing each changed device as its result arrives, then the
run record. One failing device never stops the run; a refused config never replaces the
last good one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netkb.collector.decode import undecodable_reason
from netkb.collector.expectations import config_facts, merged
from netkb.collector.fetch import BudgetUsedUp, Cancel, Cancelled, Fetched, FetchError, fetch
from netkb.collector.gate import refuse_reason
from netkb.collector.gitstore import SnapshotRepo, StoreError, atomic_write
from netkb.collector.hostkeys import KnownHosts
from netkb.collector.identity import accepted_file, identity_of, mismatch
from netkb.collector.parsecache import ParseCache, cache_file
from netkb.collector.redact import redact_quoted
from netkb.collector.redaction_key import load_redaction_key
from netkb.collector.runrecord import (
    DeviceResult,
    Outcome,
    PreviousRun,
    RunRecord,
    Stage,
    describe_failure,
    expectations,
    judge,
    previous_observation,
    read_previous_of,
)
from netkb.collector.sealed import Sealer
from netkb.collector.sealed import note as sealed_note
from netkb.collector.sections import changed_sections
from netkb.collector.snapshot import Snapshot, StageError, build_snapshot, entry_id, new_log_entries
from netkb.collector.workpool import ElasticPool
from netkb.credentials import Credential, load_credentials
from netkb.inspection.checklist import Observation, load_checklist
from netkb.inspection.logrules import LogAction, classify
from netkb.inventory import DeviceEntry, Inventory, Shard
from netkb.settings import Settings
from netkb.spec import PlatformSpec, load_spec
from netkb.yamlsafe import safe_load

LOG_SEVERITY_KEPT = 4  # warnings and worse go into the run record in full

log = logging.getLogger("netkb.collect")


class CollectInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the run: the devices done are committed with a run record that marks the
    others failed ("interrupted")."""

    def __init__(self, record: RunRecord, unfinished: list[str]) -> None:
        super().__init__(f"interrupted; {len(unfinished)} device(s) unfinished")
        self.record, self.unfinished = record, unfinished


@contextlib.contextmanager
def _ctrl_c_cancels(cancel: Cancel) -> Iterator[None]:
    """While the devices are fetched, the first Ctrl-C (SIGINT) cancels the fetches instead of
    raising: the run then keeps what finished. A second one raises as usual (the store still
    ends cleanly: gitstore.py `locked`). Only the main thread can take signals; elsewhere
    (a service, a test) the run is not interruptible this way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGINT, previous)
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, interrupted)
    # A terminal's Ctrl-C goes to the whole process group, git fast-import included: killed, it
    # would take this run's commits since its last checkpoint with it. The main thread, which
    # starts every git process, blocks SIGINT so they inherit it blocked; the worker threads
    # (started already, at submit) still take the signal, and Python runs the handler here.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        signal.signal(signal.SIGINT, previous)


@dataclass
class CollectOptions:
    limit: str | None = None
    workers: int | None = None
    at: dt.datetime | None = None
    force: frozenset[str] = frozenset()  # devices whose config may shrink past the threshold
    shard: Shard | None = None


@dataclass
class _Fetch:
    entry: DeviceEntry
    snapshot: Snapshot | None
    fetched: Fetched | None
    error: str | None
    attempts: int
    seconds: float


def _redactor(spec: PlatformSpec | None, key: bytes) -> Callable[[str], str]:
    """What every failure message goes through before it is stored or printed."""
    if spec is None:  # the platform's spec could not even be loaded: no rules to apply
        return lambda text: text
    return functools.partial(redact_quoted, spec=spec, key=key)


def _fetch_stage(exc: BaseException) -> Stage:
    """Which part of fetching raised: the session's decoder, the login, or the commands."""
    frames = traceback.extract_tb(exc.__traceback__)
    if any(f.filename.endswith(os.path.join("collector", "decode.py")) for f in frames):
        return Stage.DECODE
    if any(
        f.name == "connect" and f.filename.endswith(os.path.join("collector", "fetch.py")) for f in frames
    ):
        return Stage.CONNECT
    return Stage.FETCH


def _fetch_one(
    entry: DeviceEntry,
    credential: Credential,
    settings: Settings,
    known_hosts: KnownHosts,
    key: bytes,
    cache: ParseCache | None = None,
    cancel: Cancel | None = None,
) -> _Fetch:
    """Fetch and clean one device, never raising: what stops it is the device's failure.

    Expected failures (`FetchError`: unreachable, refused, timed out…) keep their own reason;
    any other exception is a bug of netkb, reported with its stage, type, message and place.
    """
    started = time.monotonic()
    attempt = 0
    spec: PlatformSpec | None = None
    try:
        spec = load_spec(entry.platform.value)
        timeouts = settings.timeouts
        if entry.timeout:
            timeouts = timeouts.model_copy(update={"device": entry.timeout})
        # `timeouts.device` bounds everything done for the device: attempts, waits and backoff.
        deadline = started + timeouts.device
        while True:
            attempt += 1
            try:
                fetched = fetch(entry, credential, spec, known_hosts, timeouts, deadline, cancel)
            except FetchError as exc:
                backoff = settings.retry_backoff * 2 ** (attempt - 1)
                # A retry needs one full login wait after its backoff, else it cannot even log in.
                room = deadline - time.monotonic() - backoff >= timeouts.connect
                if exc.retryable and attempt <= settings.retries and room:
                    if cancel is None:
                        time.sleep(backoff)
                        continue
                    if not cancel.cancelled.wait(backoff):  # Ctrl-C ends the backoff
                        continue
                    exc = Cancelled("interrupted between attempts")
                said, budget = str(exc), f"device budget {timeouts.device:.0f} s"
                if isinstance(exc, BudgetUsedUp):
                    said += f" ({budget} used up after {_attempts(attempt)})"
                elif exc.retryable and attempt <= settings.retries:
                    said += f" ({budget}: no time left for another attempt after {_attempts(attempt)})"
                elif attempt > 1:
                    said += f" ({_attempts(attempt)} in {time.monotonic() - started:.0f} s)"
                reason = _redactor(spec, key)(said)
                return _Fetch(entry, None, None, reason, attempt, time.monotonic() - started)
            except Exception as exc:
                reason = describe_failure(_fetch_stage(exc), exc, _redactor(spec, key))
                return _Fetch(entry, None, None, reason, attempt, time.monotonic() - started)
            snapshot = build_snapshot(spec, fetched, key, cache)
            return _Fetch(entry, snapshot, fetched, None, attempt, time.monotonic() - started)
    except StageError as exc:
        cause = exc.__cause__ or exc
        reason = describe_failure(f"{exc.stage} ({exc.command!r})", cause, _redactor(spec, key))
        return _Fetch(entry, None, None, reason, attempt, time.monotonic() - started)
    except Exception as exc:
        reason = describe_failure(Stage.FETCH, exc, _redactor(spec, key))
        return _Fetch(entry, None, None, reason, attempt, time.monotonic() - started)


def _cut_short(future: Future[_Fetch]) -> bool:
    """Whether this fetch ended because the run was interrupted (its session closed under it)."""
    if future.cancelled() or future.exception() is not None:
        return future.cancelled()
    return (future.result().error or "").startswith("interrupted")


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"


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


class Collector:
    def __init__(self, inventory: Inventory, inventory_path: Path, settings: Settings, base: Path) -> None:
        self.inventory = inventory
        self.settings = settings
        self.base = base
        creds_file = inventory.credentials_file
        self.credentials_path = (inventory_path.parent / creds_file) if creds_file else None
        self.repo_path = (base / settings.snapshot_repo).resolve()
        self.checklist = load_checklist()
        self.sealer: Sealer | None = None  # set by run() when settings.sealed_recipients names any

    def run(
        self, options: CollectOptions, on_progress: Callable[[DeviceResult], None] | None = None
    ) -> RunRecord:
        devices = self.inventory.select(options.limit, options.shard)
        credentials = load_credentials(self.credentials_path, {d.credentials for d in devices})
        key = load_redaction_key(self.base / self.settings.redaction_key_file)
        recipients = self.settings.sealed_recipients
        self.sealer = Sealer(recipients, key) if recipients else None
        repo = SnapshotRepo(self.repo_path, self.settings.author.name, self.settings.author.email)
        record = RunRecord(
            started=options.at or dt.datetime.now().astimezone(),
            limit=options.limit,
            shard=str(options.shard) if options.shard else None,
        )
        wall = time.monotonic()
        with repo.locked():
            known_hosts = KnownHosts(self.repo_path)
            previous_run = read_previous_of(repo.run_records_newest_first(), {d.name for d in devices})
            workers = options.workers if options.workers is not None else self.settings.workers
            cache = ParseCache(cache_file(self.base / self.settings.cache_dir, record.shard), key)
            cancel = Cancel()
            # A device silent for half a connect or command timeout is likely hung: a thread is
            # added in its place, so hung devices do not slow the healthy ones (workpool.py).
            timeouts = self.settings.timeouts
            pool = ElasticPool(
                workers, stall_after=min(timeouts.connect, timeouts.command) / 2, extra=workers
            )
            futures: dict[Future[_Fetch], DeviceEntry] = {
                pool.submit(
                    _fetch_one, d, credentials[d.credentials], self.settings, known_hosts, key, cache, cancel
                ): d
                for d in devices
            }
            pending = set(futures)
            try:
                with _ctrl_c_cancels(cancel):
                    # Woken every 0.2 s to see a Ctrl-C: the signal only sets a flag (a commit is
                    # never cut in the middle), and the run stops here, between devices.
                    while pending:
                        if cancel.cancelled.is_set():  # what finished by now is kept, the rest stops
                            done = {f for f in pending if f.done()}
                        else:
                            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                            pool.rebalance()
                        if cancel.cancelled.is_set():  # a fetch whose session Ctrl-C closed is not done
                            done = {f for f in done if not _cut_short(f)}
                        pending -= done
                        for future in done:
                            result = self._settle(
                                repo,
                                futures[future],
                                future,
                                previous_run,
                                record.started,
                                options,
                                known_hosts,
                                key,
                            )
                            record.devices[result.name] = result
                            if on_progress:
                                on_progress(result)
                        if cancel.cancelled.is_set():
                            break
            except BaseException:
                cancel.cancel()
                raise
            finally:
                # Workers still blocked in a device's read are not waited for: their sessions are closed.
                pool.shutdown(wait=not pending, cancel_futures=True)
            unfinished = sorted(futures[f].name for f in pending)
            if pending:
                log.warning(
                    "interrupted: stopping %d unfinished device(s) (%s); keeping the %d done, "
                    "writing the run record",
                    len(unfinished),
                    ", ".join(unfinished[:5]) + (", …" if len(unfinished) > 5 else ""),
                    len(record.devices),
                )
                for future in pending:
                    name = futures[future].name
                    record.devices[name] = DeviceResult(
                        name,
                        Outcome.FAILED,
                        reason="interrupted (Ctrl-C) before it finished; the last good snapshot stays",
                        attempts=0,
                        log_last_seen=previous_run.log_cursor(name),
                    )
            try:
                key_files, keys_error = known_hosts.save(), None
            except OSError as exc:  # said after the run record is committed, not instead of it
                key_files, keys_error = [], exc
            # A cache that cannot be written is a cold cache next time, nothing worse.
            with contextlib.suppress(OSError):
                cache.save(keep_unused=len(devices) < len(self.inventory.devices))  # --limit, --shard
            record.finished = record.started + dt.timedelta(seconds=time.monotonic() - wall)
            atomic_write(self.repo_path / record.path(), record.to_json().encode("utf-8"))
            counts = record.counts()
            shard = f" (shard {record.shard})" if record.shard else ""
            stopped = f" ({len(unfinished)} interrupted)" if unfinished else ""
            repo.commit(
                [record.path(), *key_files],
                f"run {record.started:%Y-%m-%d %H:%M}{shard}: {counts['changed']} changed, "
                f"{counts['unchanged']} unchanged, {counts['failed']} failed{stopped}",
                options.at,
            )
        if unfinished:
            raise CollectInterrupted(record, unfinished)
        if keys_error is not None:
            raise StoreError(
                f"the host keys of devices met for the first time could not be saved ({keys_error}); "
                "the next run meets them as new again"
            ) from keys_error
        return record

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

    def _settle(
        self,
        repo: SnapshotRepo,
        entry: DeviceEntry,
        future: Future[_Fetch],
        previous_run: PreviousRun,
        started: dt.datetime,
        options: CollectOptions,
        known_hosts: KnownHosts,
        key: bytes,
    ) -> DeviceResult:
        """One device's result: its fetch (which never raises) then its store, in one boundary."""
        try:
            got = future.result()
        except Exception as exc:  # _fetch_one catches everything: this is a bug in it
            try:
                redactor = _redactor(load_spec(entry.platform.value), key)
            except Exception:  # no spec to redact with: say nothing the device may have printed
                redactor = lambda text: "(message withheld: the platform spec could not be loaded)"  # noqa: E731
            got = _Fetch(entry, None, None, describe_failure(Stage.FETCH, exc, redactor), 1, 0.0)
        return self._store(repo, got, previous_run, started, options, known_hosts, key)

    def _store(
        self,
        repo: SnapshotRepo,
        got: _Fetch,
        previous_run: PreviousRun,
        started: dt.datetime,
        options: CollectOptions,
        known_hosts: KnownHosts,
        key: bytes,
    ) -> DeviceResult:
        """Gate, inspect and commit one fetched device; any exception is this device's failure."""
        name = got.entry.name
        result = DeviceResult(
            name,
            Outcome.FAILED,
            seconds=round(got.seconds, 2),
            attempts=got.attempts,
            first_contact=name in known_hosts.first_contact,
        )
        if got.snapshot is None or got.fetched is None:
            result.reason = got.error or "unknown failure"
            result.log_last_seen = previous_run.log_cursor(name)  # keep the cursor for the next run
            return result
        if got.fetched.undecodable_bytes:
            # Text decoded in the wrong encoding is garbled everywhere (config, state, logs):
            # nothing of it is judged or stored, the last good snapshot stays.
            result.undecodable_bytes = got.fetched.undecodable_bytes
            result.reason = undecodable_reason(
                got.entry.name, got.entry.encoding, got.fetched.undecodable_bytes, got.fetched.encoding_hint
            )
            result.log_last_seen = previous_run.log_cursor(name)
            return result
        spec = load_spec(got.entry.platform.value)
        at, written = _StageMark(Stage.INSPECT), []  # type: _StageMark, list[str]
        try:
            return self._store_snapshot(repo, got, spec, result, previous_run, started, options, at, written)
        except Exception as exc:
            cause = exc
        # The last good snapshot stays, on disk as in git (failing that, the next run restores it).
        with contextlib.suppress(Exception):
            repo.discard(written)
        # A file that cannot be written (disk full, permissions) is the store's failure, not a bug.
        expected = isinstance(cause, OSError | StoreError)
        result.outcome, result.commit, result.sections = Outcome.FAILED, None, []
        result.reason = describe_failure(at.now, cause, _redactor(spec, key), bug=not expected)
        return result

    def _store_snapshot(
        self,
        repo: SnapshotRepo,
        got: _Fetch,
        spec: PlatformSpec,
        result: DeviceResult,
        previous_run: PreviousRun,
        started: dt.datetime,
        options: CollectOptions,
        stage: _StageMark,
        written: list[str],
    ) -> DeviceResult:
        """`stage` says how far it got, `written` which files it wrote and has not committed."""
        assert got.snapshot is not None and got.fetched is not None  # checked by _store
        name, snap = got.entry.name, got.snapshot
        # Who answered comes first: another device's outputs must not be judged or stored as this one's.
        stage.now = Stage.GATE
        wrong_device = self._wrong_device(repo, got.entry, spec, snap)
        if wrong_device:
            result.reason = f"{Stage.GATE}: {wrong_device}"
            result.log_last_seen = previous_run.log_cursor(name)
            return result
        result.measures, result.problems = dict(snap.measures), list(snap.problems)
        result.unsupported = got.fetched.unsupported
        result.undecodable_bytes = got.fetched.undecodable_bytes
        fresh = new_log_entries(snap.logs, previous_run.log_cursor(name))
        result.new_log_count = len(fresh)
        # Warnings and worse in full, and whatever the log rule table makes abnormal at any
        # severity (a duplicate IP is logged at 6), so `netkb inspect` can judge them again.
        limit, role, rules = LOG_SEVERITY_KEPT, got.entry.role, self.settings.thresholds.log_rules
        result.new_logs = [
            e
            for e in fresh
            if classify(e, role, limit, rules)[0] is LogAction.ABNORMAL or _severity(e) <= limit
        ]
        result.log_last_seen = entry_id(snap.logs[-1]) if snap.logs else previous_run.log_cursor(name)

        # The gate comes first: a refused config must not be judged (a truncated capture
        # would read as "running differs from saved").
        stage.now = Stage.GATE
        config_path = f"devices/{name}/config.txt"
        previous = repo.committed(config_path)
        previous_text = previous.decode("utf-8") if previous else None
        forced = name in options.force
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
            repo, got.entry, observed, fresh, previous_run, started, expect, result
        )
        if refused:
            result.reason = f"{Stage.GATE}: {refused}"
            return result

        stage.now = Stage.STORE
        files = snap.files(name)
        raw = got.fetched.outputs[spec.config_command.command]
        seal = self.sealer.seal(name, spec, raw, previous_text, snap.config, repo) if self.sealer else None
        files.update(seal.files if seal else {})  # collector/sealed.py: sealed/<name>.age with config.txt
        written.extend(files)  # until committed, any of them may be on disk
        changed = repo.write_files(files)
        marker = accepted_file(name)
        if (repo.path / marker).exists():  # `netkb accept` is used up by this good collect
            (repo.path / marker).unlink()
            repo.commit(
                [marker], f"{name}: replacement accepted, identity and host key re-learned", options.at
            )
        if not changed:
            result.outcome = Outcome.UNCHANGED
            return result
        sections = changed_sections(previous_text, snap.config, spec.config_syntax) if previous_text else []
        state_topics = sorted(p.rsplit("/", 1)[1].removesuffix(".yml") for p in changed if "/state/" in p)
        parts = sections + ([f"state {', '.join(state_topics)}"] if state_topics else [])
        parts += seal.parts if seal else []
        message = f"{name}: {', '.join(parts) if previous_text else 'first snapshot'}"
        message += sealed_note(snap.config) if seal else ""
        result.commit = repo.commit(changed, message, options.at)
        written.clear()  # committed: nothing to undo
        result.sections = sections
        result.outcome = Outcome.CHANGED if result.commit else Outcome.UNCHANGED
        return result


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
