"""`netkb collect`: every device's config and durable state into the snapshot repository.

Workers fetch and clean devices in parallel (threads: the work is SSH waiting); the main
thread alone touches git, committing each changed device as its result arrives, then the
run record. One failing device never stops the run; a refused config never replaces the
last good one.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collector.credentials import Credential, load_credentials
from collector.fetch import Fetched, FetchError, fetch
from collector.gate import refuse_reason
from collector.gitstore import SnapshotRepo, atomic_write
from collector.hostkeys import KnownHosts
from collector.inspection import Observation, evaluate, load_checklist
from collector.inventory import DeviceEntry, Inventory, Shard
from collector.parsecache import ParseCache, code_version
from collector.runrecord import DeviceResult, Outcome, PreviousRun, RunRecord, read_previous_of
from collector.sections import changed_sections
from collector.settings import Settings
from collector.snapshot import Snapshot, build_snapshot, entry_id, new_log_entries
from collector.spec import load_spec
from collector.yamlsafe import safe_load

LOG_SEVERITY_KEPT = 4  # warnings and worse go into the run record in full


@dataclass
class CollectOptions:
    limit: str | None = None
    workers: int | None = None
    at: dt.datetime | None = None
    force: bool = False
    shard: Shard | None = None


@dataclass
class _Fetch:
    entry: DeviceEntry
    snapshot: Snapshot | None
    fetched: Fetched | None
    error: str | None
    attempts: int
    seconds: float


def redaction_key(settings: Settings, base: Path) -> bytes:
    """The key of the secret markers: NETKB_REDACTION_KEY, or a 0600 file created on first use."""
    from_env = os.environ.get("NETKB_REDACTION_KEY")
    if from_env:
        return from_env.encode()
    path = base / settings.redaction_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _fetch_one(
    entry: DeviceEntry,
    credential: Credential,
    settings: Settings,
    known_hosts: KnownHosts,
    key: bytes,
    cache: ParseCache | None = None,
) -> _Fetch:
    spec = load_spec(entry.platform.value)
    timeouts = settings.timeouts
    if entry.timeout:
        timeouts = timeouts.model_copy(update={"device": entry.timeout})
    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            fetched = fetch(entry, credential, spec, known_hosts, timeouts)
            snapshot = build_snapshot(spec, fetched, key, cache)
            return _Fetch(entry, snapshot, fetched, None, attempt, time.monotonic() - started)
        except FetchError as exc:
            if not exc.retryable or attempt > settings.retries:
                return _Fetch(entry, None, None, str(exc), attempt, time.monotonic() - started)
            time.sleep(settings.retry_backoff * 2 ** (attempt - 1))


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

    def run(
        self, options: CollectOptions, on_progress: Callable[[DeviceResult], None] | None = None
    ) -> RunRecord:
        devices = self.inventory.select(options.limit, options.shard)
        credentials = load_credentials(self.credentials_path, {d.credentials for d in devices})
        key = redaction_key(self.settings, self.base)
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
            workers = options.workers or self.settings.workers
            cache = ParseCache(Path(repo.repo.git_dir) / "netkb-parse-cache.json", key + code_version())
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures: list[Future[_Fetch]] = [
                    pool.submit(
                        _fetch_one, d, credentials[d.credentials], self.settings, known_hosts, key, cache
                    )
                    for d in devices
                ]
                for future in as_completed(futures):
                    got = future.result()
                    result = self._store(repo, got, previous_run, record.started, options, known_hosts)
                    record.devices[result.name] = result
                    if on_progress:
                        on_progress(result)
            key_files = known_hosts.save()
            cache.save(keep_unused=len(devices) < len(self.inventory.devices))  # --limit, --shard
            record.finished = record.started + dt.timedelta(seconds=time.monotonic() - wall)
            atomic_write(self.repo_path / record.path(), record.to_json().encode("utf-8"))
            counts = record.counts()
            shard = f" (shard {record.shard})" if record.shard else ""
            repo.commit(
                [record.path(), *key_files],
                f"run {record.started:%Y-%m-%d %H:%M}{shard}: {counts['changed']} changed, "
                f"{counts['unchanged']} unchanged, {counts['failed']} failed",
                options.at,
            )
        return record

    def _inspect(
        self,
        repo: SnapshotRepo,
        entry: DeviceEntry,
        snap: Snapshot,
        fresh_logs: list[dict[str, Any]],
        previous_run: PreviousRun,
        started: dt.datetime,
    ) -> list[dict[str, str]]:
        """The checklist on what this run fetched, compared with the last good snapshot."""
        name, platform = entry.name, entry.platform.value
        previous = None
        previous_measures = previous_run.measures(name)
        previous_started = previous_run.started_of(name)
        if previous_measures is not None and previous_started is not None:
            previous_state = CommittedState(repo, name, list(snap.parsed))
            previous = Observation(
                name,
                platform,
                entry.role,
                entry.model,
                previous_state,
                previous_measures,
                [],
                [],
                previous_started,
            )
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
        )
        findings = evaluate(current, previous, self.checklist, self.settings.thresholds)
        return [
            {"item": f.item_id, "verdict": f.verdict.value, "detail": f.detail, "suggestion": f.suggestion}
            for f in findings
        ]

    def _store(
        self,
        repo: SnapshotRepo,
        got: _Fetch,
        previous_run: PreviousRun,
        started: dt.datetime,
        options: CollectOptions,
        known_hosts: KnownHosts,
    ) -> DeviceResult:
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
        snap, spec = got.snapshot, load_spec(got.entry.platform.value)
        result.measures, result.problems = snap.measures, snap.problems
        result.unsupported, result.undecodable_bytes = got.fetched.unsupported, got.fetched.undecodable_bytes
        fresh = new_log_entries(snap.logs, previous_run.log_cursor(name))
        result.new_log_count = len(fresh)
        result.new_logs = [e for e in fresh if int(e.get("severity", 7)) <= LOG_SEVERITY_KEPT]  # type: ignore[call-overload]
        result.log_last_seen = entry_id(snap.logs[-1]) if snap.logs else previous_run.log_cursor(name)
        result.inspection = self._inspect(repo, got.entry, snap, fresh, previous_run, started)

        config_path = f"devices/{name}/config.txt"
        previous = repo.committed(config_path)
        previous_text = previous.decode("utf-8") if previous else None
        refused = refuse_reason(
            snap.config, spec, previous_text, self.settings.shrink_threshold, options.force
        )
        if refused:
            result.reason = refused
            return result
        changed = repo.write_files(snap.files(name))
        if not changed:
            result.outcome = Outcome.UNCHANGED
            return result
        sections = changed_sections(previous_text, snap.config) if previous_text else []
        state_topics = sorted(p.rsplit("/", 1)[1].removesuffix(".yml") for p in changed if "/state/" in p)
        parts = sections + ([f"state {', '.join(state_topics)}"] if state_topics else [])
        message = f"{name}: {', '.join(parts) if previous_text else 'first snapshot'}"
        result.commit = repo.commit(changed, message, options.at)
        result.sections = sections
        result.outcome = Outcome.CHANGED if result.commit else Outcome.UNCHANGED
        return result
