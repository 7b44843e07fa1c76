"""A device's trends: what every nightly run records of it (busiest CPU, memory used, hottest
sensor, a wireless controller's APs online, how long the collection took) as sparklines over 30,
90 and 365 days, with the lowest and highest figure beside each and every figure in a folded
table (the charts' text).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence

from netkb.generator.charts import sparkline
from netkb.generator.model import DeviceRun, RunSummary
from netkb.generator.pages.device_history import folded
from netkb.i18n import Strings
from netkb.markdown import Md, html_table, table

WINDOWS = (30, 90, 365)  # days
SPARK_POINTS = 92  # drawn at most: a 365-day line averages each 4 days
# (DeviceRun field, catalogue key, unit): the figures a run record keeps per device.
METRICS = (
    ("cpu", "cpu", "%"),
    ("memory", "memory", "%"),
    ("temperature", "temperature", "°C"),
    ("ap_online", "ap_online_ratio", "%"),  # the run record's ap_counts: online / total
    ("seconds", "collect_seconds", "s"),
)

Nights = dict[dt.date, DeviceRun]  # the last run of each day that tried the device


def nightly(runs: Sequence[RunSummary], now: dt.datetime) -> dict[str, Nights]:
    """Each device's runs of the last max(WINDOWS) days, one per local day (the day's last),
    in one pass over the runs (the device pages share it)."""
    start = now - dt.timedelta(days=max(WINDOWS))
    out: defaultdict[str, Nights] = defaultdict(dict)
    for run in runs:
        if run.started < start or run.started > now:
            continue
        day = run.started.date()
        for name, result in run.devices.items():
            if result.outcome != "skipped":
                out[name][day] = result
    return dict(out)


def _values(runs: list[DeviceRun | None], field: str) -> list[float | None]:
    """The measure on each day, oldest first (None: no run, or it failed; a failed run measures
    nothing, but its seconds are the time it took to fail, kept)."""
    index = DeviceRun._fields.index(field)
    return [
        None
        if r is None or r[index] is None or (r.outcome == "failed" and field != "seconds")
        else float(r[index])  # type: ignore[arg-type]  # the numeric fields of a DeviceRun
        for r in runs
    ]


def _drawn(values: list[float | None]) -> list[float | None]:
    """At most SPARK_POINTS points to draw (a sparkline is 160 px wide): the mean of each stretch
    of days. The lowest and highest figures written beside it come from every day."""
    size = -(-len(values) // SPARK_POINTS)
    if size <= 1:
        return values
    out: list[float | None] = []
    for i in range(0, len(values), size):
        known = [v for v in values[i : i + size] if v is not None]
        out.append(sum(known) / len(known) if known else None)
    return out


def _figure(value: float, unit: str) -> str:
    if unit == "%" and 99.5 <= value < 100:  # 239 of 240 APs online is not 100 %
        return f"{math.floor(value * 10) / 10:.1f} {unit}"
    return f"{value:.0f} {unit}" if value == int(value) or unit != "s" else f"{value:.1f} {unit}"


def trends_section(s: Strings, nights: Nights, today: dt.date) -> Md | None:
    """The trends table (one row per measure, one sparkline per window) and its figures folded
    below; None when no run recorded any figure of the device."""
    rows: list[list[object]] = []
    figures: list[list[object]] = []
    days_runs = [nights.get(today - dt.timedelta(days=back)) for back in range(max(WINDOWS) - 1, -1, -1)]
    for field, key, unit in METRICS:
        year = _values(days_runs, field)  # each window is its end
        if not any(v is not None for v in year):
            continue  # a measure this device never gives (an AP controller's temperature)
        name = s.plain(key)
        cells: list[object] = [s(key)]
        for days in WINDOWS:
            values = year[-days:]
            known = [v for v in values if v is not None]
            if not known:
                cells.append(s("trend_none"))
                continue
            low, high = _figure(min(known), unit), _figure(max(known), unit)
            label = s.plain("trend_label", measure=name, days=days, low=low, high=high)
            cells.append(Md(f"{sparkline(_drawn(values), label)}<br>{low} – {high}"))
            mean = _figure(sum(known) / len(known), unit)
            figures.append([s(key), s("trend_days", days=days), low, high, mean, _latest(values, unit)])
        rows.append(cells)
    if not figures:
        return None
    head = html_table([s("trend_measure"), *(s("trend_days", days=d) for d in WINDOWS)], rows)
    data = table(
        [
            s("trend_measure"),
            s("trend_window"),
            s("trend_low"),
            s("trend_high"),
            s("trend_mean"),
            s("trend_latest"),
        ],
        figures,
    )
    return Md(f"{head}\n\n{folded(s.plain('trend_figures'), data)}")


def _latest(values: list[float | None], unit: str) -> str:
    known = [v for v in values if v is not None]
    return _figure(known[-1], unit) if known else ""
