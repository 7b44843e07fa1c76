"""Run records as the site reads them: a summary per record (the few figures it charts, for
365,000 device entries a year) and each device's latest collected entry in full.

Records are read through the kernel's one reader (netkb/run_records.py); a damaged record becomes
a summary that says so, never a silent gap.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Any

from netkb.generator.gitlog import instant
from netkb.generator.model import Collected, DeviceRun, Finding, RunSummary
from netkb.run_records import UnreadableRecord, read_run_file


def run_key(run: RunSummary) -> tuple[dt.datetime, str]:
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
    aps = measures.get("ap_counts")
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
        _ap_online(aps) if type(aps) is dict else None,
    )


def _ap_online(counts: dict[str, Any]) -> float | None:
    """The controller's APs online, % of those it lists (the record's `ap_counts`)."""
    online, total = _number(counts.get("online")), _number(counts.get("total"))
    return 100.0 * online / total if online is not None and total else None


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


def without_normal_findings(data: bytes) -> bytes:
    return _ALL_NORMAL_LINE.sub(b'"inspection": []', _ALL_NORMAL.sub(b'"inspection": []', data))


def collected_entry(run: RunSummary, raw: dict[str, Any]) -> Collected:
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


def run_summary(
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
