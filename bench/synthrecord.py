"""A night of the synthetic network as the collector records it: device commits, the run record.

`Night.record_json` is the collector's own `RunRecord.to_json`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netkb.collector.runrecord import DeviceResult, Outcome, RunRecord


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
