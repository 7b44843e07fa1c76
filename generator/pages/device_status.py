"""A device's status page (`status/<name>.md`, out of the navigation and the search): everything
that changes every night — the latest inspection with its measures, new log lines and problems,
the trends, the collection health, the nights without a change since the last one. The device
page (generator/pages/devices.py) keeps only what changes when the device changes, so that a
night that did not change a device leaves its page, and its built HTML, as they were.
"""

from __future__ import annotations

from netkb.generator.model import Collected, Collections
from netkb.generator.pages.common import (
    NOT_SEARCHED,
    detail,
    item_label,
    outcome,
    page_link,
    run_link,
    skip_note,
    suggestion,
    verdict,
    when,
)
from netkb.generator.pages.device_history import last_inspection, quiet_line, quiet_nights, run_groups
from netkb.generator.pages.device_trends import Nights, nightly, trends_section
from netkb.generator.site import DeviceView, Site
from netkb.markdown import Md, fence, front_matter, table, text, title

NEW_LOG_LINES = 20


def status_page(name: str) -> str:
    """The status page's path in the tree (names are validated: letters, digits, '.', '_', '-')."""
    return f"status/{name}.md"


def render_pages(site: Site) -> dict[str, str]:
    nights = nightly(site.history.runs, site.now)
    return {status_page(d.name): page(site, d, nights.get(d.name, {})) for d in site.devices.values()}


def page(site: Site, d: DeviceView, nights: Nights) -> str:
    s, path = site.strings, status_page(d.name)
    heading = s("st_title", name=d.name)
    parts = [
        front_matter({"title": title(heading), "search": NOT_SEARCHED}),
        f"# {heading}\n",
        str(page_link(path, d.page, s("st_device_link"))),
        "",
        *(f'!!! warning ""\n    {w}\n' for w in _warnings(site, d)),
        f"## {s('st_overview')}\n",
        _overview(site, d),
        "",
        f"## {s('latest_inspection')} {{ #inspection }}\n",
        *_latest_collection(site, d.history.last_collected),
    ]
    trends = trends_section(s, nights, site.now.date())
    if trends:
        parts += [f"## {s('trends')} {{ #trends }}\n", trends, ""]
    parts.append(f"## {s('collection_health')} {{ #health }}\n")
    if d.recent_runs:
        summary = s(
            "health_summary", runs=d.runs_tried, ok=d.runs_tried - d.runs_failed, failed=d.runs_failed
        )
        parts += [summary, "", _health_table(site, d)]
    else:
        parts.append(s("never_tried"))
    return "\n".join(parts) + "\n"


def _warnings(site: Site, d: DeviceView) -> list[Md]:
    s, warnings = site.strings, []
    if d.name in site.stale_names:
        warnings.append(s("stale_note", days=site.stale_days))
    if d.name in site.skipped:
        warnings.append(skip_note(site, d.name))
    last = d.history.last_run
    if last is not None and last.outcome == "failed":
        warnings.append(
            Md(f"{s('last_run')}: {outcome(s, 'failed')} ({when(last.started)}) — {text(last.reason)}")
        )
    return warnings


def _overview(site: Site, d: DeviceView) -> Md:
    s, last = site.strings, d.history.last_run
    rows: list[list[object]] = [
        [s("last_run"), Md(f"{outcome(s, last.outcome)} ({when(last.started)})") if last else ""],
        [s("last_collected"), when(d.last_ok) or s("never_collected")],
        [s("last_inspection"), last_inspection(site, d)],
    ]
    changed = d.history.last_changed
    if changed is not None:
        collections = site.history.collections.get(d.name) or Collections()
        quiet = quiet_line(s, quiet_nights(collections, None, changed))
        rows.append([s("last_change"), Md(f"{when(changed)} · {quiet}") if quiet else when(changed)])
    return table([s("fact"), s("fact_value")], rows)


def _latest_collection(site: Site, collected: Collected | None) -> list[str]:
    """The latest collection's inspection table, measures, new log lines and problems."""
    s = site.strings
    if collected is None:
        return [s("no_inspection"), ""]
    findings = sorted(collected.inspection, key=lambda f: (f.verdict == "normal", f.item))
    parts = [
        s("inspection_of", when=when(collected.started)),
        "",
        table(
            [s("item"), s("verdict"), s("detail"), s("suggestion")],
            [
                [
                    item_label(site, f.item),
                    verdict(s, f.verdict),
                    detail(site, f.detail),
                    suggestion(site, f.verdict, f.item, f.suggestion),
                ]
                for f in findings
            ],
        ),
        "",
    ]
    measures = _measures(site, collected.measures)
    if measures:
        parts += [measures, ""]
    if collected.new_logs:
        lines = "\n".join(_log_line(e) for e in collected.new_logs[-NEW_LOG_LINES:])
        parts += [f"**{s('new_logs')}**", "", fence(lines), ""]
    if collected.problems:
        parts += [f"**{s('problems')}**", "", *(f"- {text(p)}" for p in collected.problems), ""]
    return parts


def _measures(site: Site, measures: dict[str, object]) -> Md | None:
    s = site.strings
    rows: list[list[object]] = []
    cpu = measures.get("cpu")
    if isinstance(cpu, dict) and cpu.get("five_minutes") is not None:
        rows.append([s("cpu"), f"{cpu['five_minutes']} %"])
    memory = measures.get("memory")
    if isinstance(memory, dict) and memory.get("used_percent") is not None:
        rows.append([s("memory"), f"{memory['used_percent']} %"])
    sensors = measures.get("temperature")
    if isinstance(sensors, list):
        readings = [t for t in sensors if isinstance(t, dict) and isinstance(t.get("celsius"), (int, float))]
        if readings:
            hottest = max(readings, key=lambda t: t["celsius"])
            rows.append(
                [
                    s("temperature"),
                    f"{hottest['celsius']} °C ({hottest.get('slot', '')} {hottest.get('sensor', '')})",
                ]
            )
    uptime = measures.get("uptime")
    if isinstance(uptime, int):
        rows.append(
            [s("uptime"), s.plain("duration_days", days=uptime // 86400, hours=uptime % 86400 // 3600)]
        )
    return table([s("measures"), s("fact_value")], rows) if rows else None


def _log_line(entry: dict[str, object]) -> str:
    parts = [str(entry.get(k, "")) for k in ("time", "module", "severity", "mnemonic")]
    return " ".join(p for p in parts if p) + ": " + str(entry.get("text", entry.get("message", "")))


def _health_table(site: Site, d: DeviceView) -> Md:
    """The recent runs, newest first; consecutive runs without a change make one line."""
    s, path = site.strings, status_page(d.name)
    points = list(reversed(d.recent_runs))
    rows: list[list[object]] = []
    for first, last in run_groups([p.result.outcome for p in points]):
        p = points[first]
        if first == last:
            rows.append(
                [
                    run_link(path, p.run),
                    outcome(s, p.result.outcome),
                    p.result.reason,
                    f"{p.result.seconds:.1f}",
                ]
            )
            continue
        group = points[first : last + 1]
        span = s(
            "runs_unchanged",
            first=when(group[-1].run.started),
            last=when(group[0].run.started),
            count=len(group),
        )
        seconds = sum(g.result.seconds for g in group) / len(group)
        rows.append([span, outcome(s, "unchanged"), "", f"{seconds:.1f}"])
    return table([s("date"), s("status"), s("reason"), s("seconds")], rows)
