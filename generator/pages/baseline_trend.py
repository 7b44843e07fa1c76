"""The baseline over time on the site (generator/baseline_history.py computes it): the score per
building as a sparkline on the baseline page, the verdicts that changed (a failure and the change
that fixed it, with its date), a section on each building page (registered into
`site.extras["building_sections"]` by `attach`), the device's verdict history on its baseline
page, and the baseline section of the monthly, quarterly and annual reports. The baseline
pages' paths are here too, so generator/pages/baseline.py can use this module."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from netkb.baseline.model import Verdict, load_rules
from netkb.baseline.trend import Counts, Transition
from netkb.generator.baseline_history import CACHE_FILE, baseline_trend
from netkb.generator.charts import sparkline
from netkb.generator.pages.common import page_link
from netkb.generator.site import Site, device_page
from netkb.markdown import Md, table, text

INDEX = "baseline/index.md"


def rule_page(rule_id: str) -> str:
    return f"baseline/rules/{rule_id}.md"


def device_baseline_page(name: str) -> str:
    return f"baseline/devices/{name}.md"


RECENT = 30  # verdict changes listed on the baseline page
BUILDING_RECENT = 10  # … on a building page
_VERDICT_KEY = {
    Verdict.PASS: "baseline_verdict_pass",
    Verdict.FAIL: "baseline_verdict_fail",
    Verdict.UNKNOWN: "baseline_unknown",
    Verdict.NOT_APPLICABLE: "baseline_verdict_not_applicable",
}
_BUILDING_PAGE = "buildings/_.md"  # every building page is in buildings/: links are the same from each


def attach(site: Site, cache_dir: Path | None) -> None:
    """Keep the verdicts in `cache_dir`; add the baseline section to the building pages."""
    if cache_dir is not None:
        site.extras["baseline_cache"] = cache_dir / CACHE_FILE
    site.extras.setdefault("building_sections", []).append(building_section)


def _score(counts: Counts | None) -> str:
    score = counts.score if counts else None
    return "—" if score is None else f"{score:.0%}"


def _percent(counts: Counts | None) -> float | None:
    score = counts.score if counts else None
    return None if score is None else round(score * 100, 1)


_INERT = str.maketrans({c: f"&#{ord(c)};" for c in "|`*_[]{}\\"})


def _line(site: Site, building: str, series: list[Counts | None]) -> Md:
    """The score's sparkline; the building's name in its title made inert for the Markdown around
    it (a `|` would end the table cell)."""
    label = site.strings.plain("baseline_trend_line", building=building)
    return Md(sparkline([_percent(c) for c in series], label).translate(_INERT))


def _label(site: Site, building: str) -> Md:
    return text(building) if building else site.strings("bld_unassigned")


def trend_section(site: Site, page: str) -> list[str]:
    """The baseline page's part: the score per building over the nights, the recent verdict changes."""
    s, trend = site.strings, baseline_trend(site)
    if not trend.nights:
        return []
    out = [
        f"## {s('baseline_trend')}\n",
        str(
            s(
                "baseline_trend_intro",
                first=str(trend.nights[0]),
                last=str(trend.nights[-1]),
                nights=len(trend.nights),
            )
        ),
        "",
    ]
    rows = []
    for building, series in trend.buildings.items():
        known = [c for c in series if c is not None]
        if not known:
            continue
        change = known[-1].failed - known[0].failed
        rows.append(
            [
                _label(site, building),
                _line(site, building, series),
                _score(known[0]),
                _score(known[-1]),
                f"{change:+d}",
            ]
        )
    headers = [
        "building",
        "baseline_trend_col",
        "baseline_score_first",
        "baseline_score_now",
        "baseline_fail_change",
    ]
    out += [str(table([s(h) for h in headers], rows)), ""]
    out += changes_part(site, page, trend.transitions[-RECENT:])
    return out


def changes_part(site: Site, page: str, transitions: list[Transition]) -> list[str]:
    s = site.strings
    out = [f"## {s('baseline_changes')}\n"]
    if not transitions:
        return [*out, str(s("baseline_no_changes")), ""]
    return out + _counted_table(site, page, "baseline_changes_intro", transitions)


def _counted_table(site: Site, page: str, intro: str, transitions: list[Transition]) -> list[str]:
    """A sentence naming how many verdicts changed, then their table."""
    return [
        str(site.strings(intro, count=len(transitions))),
        "",
        str(changes_table(site, page, transitions)),
        "",
    ]


def changes_table(site: Site, page: str, transitions: list[Transition]) -> Md:
    """Newest first: date, device, rule, verdict before → after."""
    s = site.strings
    rules = load_rules()
    titles = {r.id: r.title.get(s.language) for r in rules.rules}
    rows = [
        [
            str(t.day),
            page_link(page, device_page(t.device), t.device),
            page_link(page, rule_page(t.rule), titles.get(t.rule, t.rule)),
            Md(f"{s(_VERDICT_KEY[t.before])} → **{s(_VERDICT_KEY[t.after])}**"),
        ]
        for t in reversed(transitions)
    ]
    return table([s("date"), s("device"), s("baseline_rule"), s("baseline_change")], rows)


def building_section(site: Site, building: str) -> str:
    """The baseline of one building: today's counts, the trend, its devices' verdict changes."""
    s, trend = site.strings, baseline_trend(site)
    page = _BUILDING_PAGE
    out = [f"## {s('baseline')}\n"]
    series = trend.buildings.get(building, [])
    known = [c for c in series if c is not None]
    if not known:
        return "\n".join([*out, str(s("baseline_building_none"))]) + "\n"
    now = known[-1]
    summary = s(
        "baseline_building_summary",
        score=_score(now),
        passed=now.passed,
        failed=now.failed,
        unknown=now.unknown,
        date=str(trend.nights[-1]),
    )
    out += [
        f"{summary}\n",
        f"{_line(site, building, series)}\n",
        f"{page_link(page, INDEX, s('baseline'))}\n",
    ]
    names = {d.name for d in site.devices.values() if d.building == building}
    ours = [t for t in trend.transitions if t.device in names][-BUILDING_RECENT:]
    if ours:
        out += [f"### {s('baseline_changes')}\n", str(changes_table(site, page, ours))]
    return "\n".join(out) + "\n"


def device_history(site: Site, page: str, name: str) -> list[str]:
    """The device's verdict changes, for its baseline page (nothing when none changed)."""
    ours = [t for t in baseline_trend(site).transitions if t.device == name]
    if not ours:
        return []
    return [f"## {site.strings('baseline_device_history')}\n", str(changes_table(site, page, ours)), ""]


def report_section(site: Site, page: str, start: dt.datetime, end: dt.datetime) -> list[str]:
    """The report's baseline: counts at the period's end, their change since its start, per
    building, and the verdicts that changed in the period."""
    s, trend = site.strings, baseline_trend(site)
    zone = site.now.tzinfo
    # `end` is the period's end (exclusive) or, while it runs, now
    first, last = start.astimezone(zone).date(), (end - dt.timedelta(seconds=1)).astimezone(zone).date()
    before = first - dt.timedelta(days=1)
    at_end, at_start = trend.as_of(last) or {}, trend.as_of(before) or {}
    out = [f"## {s('baseline')}\n"]
    if not at_end:
        return [*out, str(s("baseline_report_no_data")), ""]
    total_end, total_start = sum(at_end.values(), Counts()), sum(at_start.values(), Counts())
    delta = total_end - total_start
    out.append(
        str(
            s(
                "baseline_report_summary",
                end=str(last),
                start=str(before),
                passed=total_end.passed,
                failed=total_end.failed,
                unknown=total_end.unknown,
                score=_score(total_end),
                d_passed=f"{delta.passed:+d}",
                d_failed=f"{delta.failed:+d}",
                d_unknown=f"{delta.unknown:+d}",
            )
        )
    )
    rows = [
        [
            _label(site, b),
            _score(at_start.get(b)),
            _score(c),
            c.passed,
            c.failed,
            c.unknown,
            f"{c.failed - at_start.get(b, Counts()).failed:+d}",
        ]
        for b, c in at_end.items()
    ]
    keys = ["building", "baseline_period_start", "baseline_period_end", "baseline_verdict_pass"]
    keys += ["baseline_verdict_fail", "baseline_unknown", "baseline_fail_change"]
    out += ["", str(table([s(k) for k in keys], rows)), ""]
    changed = trend.between(first, last)
    if changed:
        out += _counted_table(site, page, "baseline_report_changes", changed)
    return out


def report_digest(parts: list[str]) -> str:
    """What a cached report page must be rendered again for when its baseline section changes."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
