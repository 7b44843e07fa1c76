"""`netkb collect`: every device's config and durable state into the snapshot repository.

Workers fetch and clean devices in parallel (threads: the work is SSH waiting); the main
thread alone touches git, committing each changed device as its result arrives, then the
run record. One failing device never stops the run; a refused config never replaces the
last good one. Each device is fetched in device_fetch.py and stored in device_store.py;
Ctrl-C is interrupt.py, the worker pool workpool.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path

from netkb.collector import notify
from netkb.collector.device_fetch import DeviceFetch, cut_short, fetch_device
from netkb.collector.device_store import DeviceStore, RunContext
from netkb.collector.gitstore import SnapshotRepo, StoreError, atomic_write
from netkb.collector.hostkeys import KnownHosts
from netkb.collector.interrupt import CollectInterrupted, ctrl_c_cancels
from netkb.collector.options import CollectOptions
from netkb.collector.parsecache import ParseCache, cache_file
from netkb.collector.redaction_key import load_redaction_key
from netkb.collector.runrecord import (
    DeviceResult,
    Outcome,
    RunRecord,
    read_previous_of,
)
from netkb.collector.sealed import Sealer
from netkb.collector.session_guard import Cancel
from netkb.collector.workpool import ElasticPool
from netkb.credentials import Credential, load_credentials
from netkb.inspection.checklist import load_checklist
from netkb.inventory import DeviceEntry, Inventory
from netkb.settings import Settings

log = logging.getLogger("netkb.collect")


def skipped_result(device: DeviceEntry, log_cursor: str | None) -> DeviceResult:
    """A device the inventory skips: in the run record with its reason, its log cursor kept."""
    skip = device.skip
    until = f" (until {skip.until})" if skip and skip.until else ""
    reason = f"skipped: {skip.reason}{until}" if skip else "skipped"
    return DeviceResult(device.name, Outcome.SKIPPED, reason=reason, attempts=0, log_last_seen=log_cursor)


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
        day = (options.at or dt.datetime.now().astimezone()).date()
        skipped = [d for d in devices if d.skipped_on(day)]  # the inventory's `skip`: not collected
        devices = [d for d in devices if not d.skipped_on(day)]
        credentials = load_credentials(self.credentials_path, {d.credentials for d in devices})
        key = load_redaction_key(self.base / self.settings.redaction_key_file)
        recipients = self.settings.sealed_recipients
        self.sealer = Sealer(recipients, key) if recipients else None
        store = DeviceStore(self.settings, self.inventory, self.checklist, self.sealer)
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
            context = RunContext(repo, previous_run, record.started, options, known_hosts, key)
            run = _Run(store, record, context, on_progress)
            for d in skipped:
                run.report(skipped_result(d, previous_run.log_cursor(d.name)))
            cache = ParseCache(cache_file(self.base / self.settings.cache_dir, record.shard), key)
            futures, pending = self._collect(run, devices, credentials, cache)
            unfinished = _mark_unfinished(run, futures, pending)
            try:
                key_files, keys_error = known_hosts.save(), None
            except OSError as exc:  # said after the run record is committed, not instead of it
                key_files, keys_error = [], exc
            # A cache that cannot be written is a cold cache next time, nothing worse.
            with contextlib.suppress(OSError):
                cache.save(keep_unused=len(devices) < len(self.inventory.devices))  # --limit, --shard
            record.finished = record.started + dt.timedelta(seconds=time.monotonic() - wall)
            self._commit_record(run, key_files, unfinished)
        # After the run record is committed: a notification that fails is a warning, nothing more.
        notify.after_collect(record, previous_run, self.settings, self.checklist, self.credentials_path)
        if unfinished:
            raise CollectInterrupted(record, unfinished)
        if keys_error is not None:
            raise StoreError(
                f"the host keys of devices met for the first time could not be saved ({keys_error}); "
                "the next run meets them as new again"
            ) from keys_error
        return record

    def _collect(
        self, run: _Run, devices: list[DeviceEntry], credentials: dict[str, Credential], cache: ParseCache
    ) -> tuple[dict[Future[DeviceFetch], DeviceEntry], set[Future[DeviceFetch]]]:
        """Fetch every device in the pool and store each as it finishes; the futures, and those a
        Ctrl-C left unfinished."""
        options = run.context.options
        workers = options.workers if options.workers is not None else self.settings.workers
        cancel = Cancel()
        # A device silent for half a connect or command timeout is likely hung: a thread is
        # added in its place, so hung devices do not slow the healthy ones (workpool.py).
        timeouts = self.settings.timeouts
        pool = ElasticPool(workers, stall_after=min(timeouts.connect, timeouts.command) / 2, extra=workers)
        futures: dict[Future[DeviceFetch], DeviceEntry] = {
            pool.submit(
                fetch_device,
                d,
                credentials[d.credentials],
                self.settings,
                run.context.known_hosts,
                run.context.key,
                cache,
                cancel,
            ): d
            for d in devices
        }
        pending = set(futures)
        try:
            with ctrl_c_cancels(cancel):
                # Woken every 0.2 s to see a Ctrl-C: the signal only sets a flag (a commit is
                # never cut in the middle), and the run stops here, between devices.
                while pending:
                    if cancel.cancelled.is_set():  # what finished by now is kept, the rest stops
                        done = {f for f in pending if f.done()}
                    else:
                        done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                        pool.rebalance()
                    if cancel.cancelled.is_set():  # a fetch whose session Ctrl-C closed is not done
                        done = {f for f in done if not cut_short(f)}
                    pending -= done
                    for future in done:
                        run.report(run.settle(futures[future], future))
                    if cancel.cancelled.is_set():
                        break
        except BaseException:
            cancel.cancel()
            raise
        finally:
            # Workers still blocked in a device's read are not waited for: their sessions are closed.
            pool.shutdown(wait=not pending, cancel_futures=True)
        return futures, pending

    def _commit_record(self, run: _Run, key_files: list[str], unfinished: list[str]) -> None:
        """Write the run record and commit it with the host keys met for the first time."""
        record = run.record
        atomic_write(self.repo_path / record.path(), record.to_json().encode("utf-8"))
        counts = record.counts()
        shard = f" (shard {record.shard})" if record.shard else ""
        stopped = f" ({len(unfinished)} interrupted)" if unfinished else ""
        run.context.repo.commit(
            [record.path(), *key_files],
            f"run {record.started:%Y-%m-%d %H:%M}{shard}: {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed{stopped}",
            run.context.options.at,
        )


@dataclass
class _Run:
    """One run's state on the main thread, which alone touches git."""

    store: DeviceStore
    record: RunRecord
    context: RunContext
    on_progress: Callable[[DeviceResult], None] | None

    def report(self, result: DeviceResult) -> None:
        self.record.devices[result.name] = result
        if self.on_progress:
            self.on_progress(result)

    def settle(self, entry: DeviceEntry, future: Future[DeviceFetch]) -> DeviceResult:
        return self.store.settle(self.context, entry, future)


def _mark_unfinished(
    run: _Run, futures: dict[Future[DeviceFetch], DeviceEntry], pending: set[Future[DeviceFetch]]
) -> list[str]:
    """The devices a Ctrl-C stopped: failed in the record, their last good snapshot kept."""
    unfinished = sorted(futures[f].name for f in pending)
    if pending:
        log.warning(
            "interrupted: stopping %d unfinished device(s) (%s); keeping the %d done, writing the run record",
            len(unfinished),
            ", ".join(unfinished[:5]) + (", …" if len(unfinished) > 5 else ""),
            len(run.record.devices),
        )
        for future in pending:
            name = futures[future].name
            run.record.devices[name] = DeviceResult(
                name,
                Outcome.FAILED,
                reason="interrupted (Ctrl-C) before it finished; the last good snapshot stays",
                attempts=0,
                log_last_seen=run.context.previous_run.log_cursor(name),
            )
    return unfinished
