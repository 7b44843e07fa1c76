"""The AP online ratio trend from a hand-built series of run records: the record's `ap_counts`
read into each night's figure, charted over 30/90/365 days with its lowest and highest figure."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from netkb.collector.runrecord import ap_counts
from netkb.generator.pages.device_trends import nightly, trends_section
from netkb.generator.run_summaries import run_summary
from netkb.i18n import Strings

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=TZ)


def record(day: dt.date, devices: dict[str, Any]) -> bytes:
    started = dt.datetime.combine(day, dt.time(2, 0), tzinfo=TZ)
    entries = {name: {"outcome": "unchanged", "seconds": 3.0, "measures": m} for name, m in devices.items()}
    return json.dumps(
        {
            "started": started.isoformat(),
            "finished": (started + dt.timedelta(minutes=5)).isoformat(),
            "counts": {"unchanged": len(entries), "changed": 0, "failed": 0},
            "devices": entries,
        }
    ).encode()


def series(online_by_days_ago: dict[int, int], total: int = 24):  # type: ignore[no-untyped-def]
    runs = []
    for back, online in online_by_days_ago.items():
        day = NOW.date() - dt.timedelta(days=back)
        counts = {"online": online, "total": total}
        measures = {"wx": {"ap_counts": counts}, "sw": {"cpu": {"five_minutes": 5}}}
        summary, _ = run_summary(f"runs/{day}.json", "b" * 40, "a" * 40, NOW, record(day, measures))
        assert not summary.problem, summary.problem
        runs.append(summary)
    return nightly(runs, NOW)


def test_a_controllers_ap_online_ratio_is_charted_per_window_with_its_extremes() -> None:
    nights = series({0: 24, 1: 18, 45: 12, 200: 6})  # 100 %, 75 %, 50 %, 25 %
    assert nights["wx"][NOW.date()].ap_online == 100.0
    section = trends_section(Strings("en"), nights["wx"], NOW.date())
    assert section is not None
    assert "AP online ratio, last 30 days: lowest 75 %, highest 100 %" in section
    assert "| AP online ratio | Last 90 days | 50 % | 100 % |" in section
    assert "| AP online ratio | Last 365 days | 25 % | 100 % |" in section
    zh = trends_section(Strings("zh"), nights["wx"], NOW.date())
    assert zh is not None and "AP 在线率，近 30 天：最低 75 %，最高 100 %" in zh


def test_a_ratio_just_short_of_all_online_does_not_read_100() -> None:
    section = trends_section(Strings("en"), series({0: 240, 1: 239}, total=240)["wx"], NOW.date())
    assert section is not None and "lowest 99.5 %, highest 100 %" in section


def test_a_device_without_aps_has_no_ap_trend() -> None:
    section = trends_section(Strings("en"), series({0: 24, 1: 18})["sw"], NOW.date())
    assert section is not None and "AP online ratio" not in section


def test_the_collect_counts_the_aps_a_controller_lists() -> None:
    aps = [{"name": f"ap-{n}", "state": "online" if n % 4 else "offline"} for n in range(8)]
    assert ap_counts({"aps": aps, "fans": []}) == {"online": 6, "total": 8}
    assert ap_counts({"fans": []}) is None  # not a controller
    assert ap_counts({"aps": []}) is None  # a controller with no AP yet: no ratio to draw
