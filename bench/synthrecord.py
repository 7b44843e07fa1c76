"""A night of the synthetic network as the collector records it: device commits, the run record.

`Night.record_json` writes what `collector.runrecord.RunRecord.to_json` writes, byte for byte
(tests/bench/test_synthrepo.py compares them), without its deep copies: a thousand devices a
night for a year.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, fields

from collector.runrecord import DeviceResult, Outcome


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
        """`RunRecord.to_json()` of this night, byte for byte (tests check), without asdict's deep
        copies: a thousand devices a night, 365 nights."""
        # A device's findings stay the same list night after night until it is re-evaluated:
        # each list is encoded once (at the depth it lands in) and put in place of a marker.
        devices: dict[str, dict[str, object]] = {}
        fragments: dict[str, str] = {}
        used: dict[int, tuple[list[dict[str, str]], str]] = {}
        for name, r in sorted(self.results.items()):
            entry = {f: getattr(r, f) for f in _RESULT_FIELDS}
            if r.inspection:
                marker = f"\x01{len(fragments)}"
                fragments[json.dumps(marker)] = _encoded_findings(r.inspection, used)
                entry["inspection"] = marker
            devices[name] = entry
        data = {
            "started": self.started.isoformat(timespec="seconds"),
            "finished": self.finished.isoformat(timespec="seconds"),
            "limit": None,
            "counts": self.counts(),
            "devices": devices,
        }
        text = json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"
        _findings_cache.clear()
        _findings_cache.update(used)  # only tonight's lists: the next night reuses most of them
        return _MARKER.sub(lambda m: fragments[m.group(0)], text)

    def run_message(self) -> str:
        counts = self.counts()
        return (
            f"run {self.started:%Y-%m-%d %H:%M}: {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        )


_RESULT_FIELDS = [f.name for f in fields(DeviceResult)]
_MARKER = re.compile(r'"\\u0001\d+"')
_FINDINGS_DEPTH = 3  # record -> devices -> device -> inspection
_findings_cache: dict[int, tuple[list[dict[str, str]], str]] = {}


def _encoded_findings(
    findings: list[dict[str, str]], used: dict[int, tuple[list[dict[str, str]], str]]
) -> str:
    """The findings as they print in a record, from the last record's cache when there."""
    cached = _findings_cache.get(id(findings))
    if cached is None or cached[0] is not findings:  # the list keeps its id alive while cached
        text = json.dumps(findings, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * _FINDINGS_DEPTH)
        cached = (findings, text)
    used[id(findings)] = cached
    return cached[1]
