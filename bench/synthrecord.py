"""A night of the synthetic network as the collector records it: device commits, the run record.

`Night.record_json` is the collector's own `RunRecord.to_json`. `Night.shards` splits a night
as a CI matrix of `netkb collect --shard K/N` jobs writes it: each shard's device commits, then its
own record (named by `RunRecord.path`, `-shardKofN`), all started in the same second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netkb.collector.runrecord import DeviceResult, Outcome, RunRecord
from netkb.inventory import Shard


@dataclass
class Commit:
    device: str
    when: dt.datetime
    message: str
    files: dict[str, bytes]


@dataclass
class Night:
    number: int
    started: dt.datetime
    finished: dt.datetime
    results: dict[str, DeviceResult]  # `commit` filled in by the writer
    commits: list[Commit]  # device commits, in the order a collect would make them
    key_files: dict[str, bytes]  # known_hosts.d/<name> of devices met for the first time
    sections: dict[str, list[str]]  # device -> config sections its commit changed
    topics: dict[str, list[str]]  # device -> state topics its commit changed

    def record_path(self) -> str:
        stamp = self.started.strftime("%Y%m%dT%H%M%S%z")
        return f"runs/{self.started:%Y}/{self.started:%m}/{stamp}.json"

    def counts(self) -> dict[str, int]:
        counts = {o.value: 0 for o in Outcome}
        for result in self.results.values():
            counts[result.outcome.value] += 1
        return counts

    def record_json(self) -> str:
        """The run record, written by the collector's own encoder."""
        return RunRecord(started=self.started, finished=self.finished, devices=self.results).to_json()

    def run_message(self) -> str:
        counts = self.counts()
        return (
            f"run {self.started:%Y-%m-%d %H:%M}: {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        )

    def shards(self, count: int) -> list[Shard | None]:
        """The jobs that write the night: `count` shards, or one unsharded run when `count` is 1."""
        return [None] if count == 1 else [Shard(index, count) for index in range(1, count + 1)]

    def shard_commits(self, shard: Shard | None) -> list[Commit]:
        return [c for c in self.commits if shard is None or shard.holds(c.device)]

    def shard_record(self, shard: Shard | None) -> tuple[str, str, dict[str, bytes]]:
        """(commit message, record path, files of the record's commit) of one shard's job (or
        of the whole run), once the device commits are written and their ids filled in."""
        if shard is None:
            files = {self.record_path(): self.record_json().encode("utf-8"), **self.key_files}
            return self.run_message(), self.record_path(), files
        record = RunRecord(
            started=self.started,
            finished=self.finished,
            shard=str(shard),
            devices={n: r for n, r in self.results.items() if shard.holds(n)},
        )
        counts = record.counts()
        message = (
            f"run {self.started:%Y-%m-%d %H:%M} (shard {shard}): {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        )
        keys = {p: d for p, d in self.key_files.items() if shard.holds(p.rsplit("/", 1)[1])}
        return message, record.path(), {record.path(): record.to_json().encode("utf-8"), **keys}
