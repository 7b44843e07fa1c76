"""Device pages (one per device, out of the navigation) and the device index."""

from __future__ import annotations

import html
from collections import defaultdict

from netkb.generator.model import Change, Collected, Collections
from netkb.generator.pages.common import (
    change_subject,
    detail,
    item_label,
    month_page,
    outcome,
    page_link,
    run_link,
    short,
    skip_note,
    state_rows,
    suggestion,
    topic_name,
    verdict,
    when,
)
from netkb.generator.pages.device_history import (
    folded,
    folded_diff,
    last_inspection,
    quiet_between,
    run_groups,
)
from netkb.generator.pages.device_trends import Nights, nightly, trends_section
from netkb.generator.site import DeviceView, Site
from netkb.generator.templates import render
from netkb.i18n import Strings
from netkb.markdown import Md, fence, front_matter, table, text, title
from netkb.markers import RERANDOMISED_MARKER
from netkb.spec import find_spec

DIFF_CHANGES = 20  # newest changes shown with their diff; older ones are listed by commit
DIFF_LINES = 400  # a longer diff is cut (the full one is a `git show` away)
NEW_LOG_LINES = 20
STATE_COLUMNS = {"status", "state", "oper", "admin", "synchronized"}  # normalised by the parsers: translated


def render_pages(site: Site) -> dict[str, str]:
    pages = {"devices/index.md": _index(site)}
    nights = nightly(site.history.runs, site.now)
    for device in site.devices.values():
        pages[device.page] = device_page(site, device, nights.get(device.name, {}))
    return pages


def _index(site: Site) -> str:
    s = site.strings
    page = "devices/index.md"
    by_building: dict[str, list[DeviceView]] = defaultdict(list)
    for device in site.devices.values():
        by_building[device.building or str(s("unassigned"))].append(device)
    parts = [
        # The index repeats every device's facts: searching it would bury the device pages.
        front_matter({"title": title(s("devices")), "search": {"exclude": True}}),
        f"# {s('devices')}\n",
        s("all_devices", count=len(site.devices)),
        "",
        _filter_form(s),
        "",
    ]
    for building in sorted(by_building):
        devices = sorted(by_building[building], key=lambda d: (d.role, d.name))
        parts.append(f"## {text(building)}\n")
        parts.append(
            table(
                [
                    s("name"),
                    s("role"),
                    s("platform"),
                    s("model"),
                    s("mgmt_ip"),
                    s("last_run"),
                    s("last_change"),
                ],
                [
                    [
                        page_link(page, d.page, d.name),
                        s.term("role", d.role),
                        s.term("platform", d.platform),
                        d.model,
                        d.mgmt_ip,
                        outcome(s, d.history.last_run_outcome),
                        when(d.history.last_changed),
                    ]
                    for d in devices
                ],
            )
        )
        parts.append("")
    return "\n".join(parts) + "\n"


def _filter_form(s: Strings) -> str:
    """The index's filter (generator/static/device-filter.js fills the choices from the tables:
    role and platform are the table's 2nd and 3rd columns). Our own words only, attribute-escaped."""
    labels = [(name, html.escape(s.plain(name))) for name in ("building", "role", "platform")]
    fields = "\n".join(f'<label>{label} <select name="{name}"></select></label>' for name, label in labels)
    return (
        f'<form id="netkb-device-filter" class="netkb-form" data-role-column="1" data-platform-column="2" '
        f'data-all="{html.escape(s.plain("filter_all"))}">\n{fields}\n'
        '<span class="netkb-count"></span>\n</form>'
    )


def device_page(site: Site, d: DeviceView, nights: Nights | None = None) -> str:
    s, page = site.strings, d.page
    facts = _facts(site, d)
    collected = d.history.last_collected
    inspection, measures, new_logs, problems = _latest_collection(site, collected)
    changes = list(reversed(d.history.changes))
    shown, older = changes[:DIFF_CHANGES], changes[DIFF_CHANGES:]
    collections = site.history.collections.get(d.name) or Collections()
    context = {
        # Boosted: a hostname or an address finds the device's page before pages that mention it.
        "front": front_matter({"title": title(d.name), "search": {"boost": 2}}),
        "d": d,
        "s": s,
        "warnings": _warnings(site, d),
        "facts": table([s("fact"), s("fact_value")], [[label, value] for label, value in facts]),
        "inspection": inspection,
        "inspection_when": when(collected.started) if collected else "",
        "measures": measures,
        "new_logs": new_logs,
        "problems": problems,
        "runbooks": [page_link(page, f"runbooks/{r.slug}.md", r.title) for r in d.runbooks],
        "extra_sections": [section(site, d) for section in site.extras.get("device_sections", [])],
        # Folded: the state tables are most of a device page's length.
        "state": [
            folded(str(topic_name(site, topic)), _state_table(site, d, topic, value), "info")
            for topic, value in d.history.state.items()
        ],
        "changes": [
            {**_cached_change(site, page, c), "quiet": quiet}
            for c, quiet in zip(shown, quiet_between(s, collections, shown), strict=True)
        ],
        "trends": trends_section(s, nights or {}, site.now.date()),
        "older": older,
        "older_table": _older_table(site, older),
        "health": _health_table(site, d) if d.recent_runs else None,
        "health_summary": s(
            "health_summary", runs=d.runs_tried, ok=d.runs_tried - d.runs_failed, failed=d.runs_failed
        ),
        "config": _config(site, d) if d.history.config else None,
        # VRP ciphers re-encrypted on every display are one constant marker (collector/redact.py):
        # a change of them shows nowhere, and a sealed copy keeps them as last sealed.
        "rerandomised": d.history.config.count(RERANDOMISED_MARKER) if d.history.config else 0,
    }
    return render("device.md.j2", **context)


def _warnings(site: Site, d: DeviceView) -> list[Md]:
    """What a reader must know before trusting the page: not in the inventory, stale, skipped, failed."""
    s = site.strings
    warnings = []
    if d.entry is None:
        warnings.append(s("not_in_inventory"))
    elif not d.history.has_snapshot:
        warnings.append(s("in_inventory_only"))
    if d.name in site.stale_names:
        warnings.append(s("stale_note", days=site.stale_days))
    if d.name in site.skipped:  # --- skip ---
        warnings.append(skip_note(site, d.name))
    last = d.history.last_run
    if last is not None and last.outcome == "failed":
        warnings.append(
            Md(f"{s('last_run')}: {outcome(s, 'failed')} ({when(last.started)}) — {text(last.reason)}")
        )
    return warnings


def _facts(site: Site, d: DeviceView) -> list[tuple[Md, object]]:
    s, entry = site.strings, d.entry
    facts: list[tuple[Md, object]] = [
        (s("name"), d.name),
        (s("role"), s.term("role", d.role)),
        (s("building"), d.building),
        (s("platform"), s.term("platform", d.platform)),
        (s("model"), d.model),
        (s("serial"), d.serial),
        (s("software"), d.software),
        (s("mgmt_ip"), d.mgmt_ip),
    ]
    if entry and entry.asset.room:
        facts.append((s("room"), " ".join(filter(None, [entry.asset.room, entry.asset.rack]))))
    return [
        *facts,
        (s("first_seen"), when(d.history.first_seen)),
        (s("last_change"), when(d.history.last_changed)),
        (s("last_collected"), when(d.last_ok) or s("never_collected")),
        (s("last_inspection"), last_inspection(site, d)),
    ]


def _latest_collection(
    site: Site, collected: Collected | None
) -> tuple[Md | None, Md | None, Md | None, list[str]]:
    """The latest collection's inspection table, measures, new log lines and problems."""
    if collected is None:
        return None, None, None, []
    s = site.strings
    findings = sorted(collected.inspection, key=lambda f: (f.verdict == "normal", f.item))
    inspection = table(
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
    )
    new_logs = (
        fence("\n".join(_log_line(e) for e in collected.new_logs[-NEW_LOG_LINES:]))
        if collected.new_logs
        else None
    )
    return inspection, _measures(site, collected.measures), new_logs, list(collected.problems)


def _older_table(site: Site, older: list[Change]) -> Md:
    s = site.strings
    return table(
        [s("date"), s("commit"), s("kind"), s("sections")],
        [
            [
                when(c.date),
                Md(f"<code>{short(c.sha)}</code>"),
                _kind(site, c),
                ", ".join(c.sections or c.topics),
            ]
            for c in older
        ],
    )


def _config(site: Site, d: DeviceView) -> Md:
    """The config's fence (a scan of every line for backtick runs), reused while it is the same blob."""
    blob = d.history.files.get(f"devices/{d.name}/config.txt", "")
    spec = find_spec(d.platform)
    language = spec.config_language if spec else "text"  # the spec's `config_language`
    return Md(site.pages.get(("config", blob, language), lambda: fence(d.history.config, language)))


def _state_table(site: Site, d: DeviceView, topic: str, value: object) -> Md:
    """A state topic's table, reused while the topic's file is the same blob."""
    blob = d.history.files.get(f"devices/{d.name}/state/{topic}.yml")
    if not blob:
        return _translated_table(site, value)
    key = ("state", site.settings.language, topic, blob)
    return Md(site.pages.get(key, lambda: _translated_table(site, value)))


def _translated_table(site: Site, value: object) -> Md:
    """A state topic's table with its column names and normalised states in the site's language;
    what the device printed (`raw_status`, names, descriptions) stays as it is."""
    s = site.strings
    headers, rows = state_rows(value)
    states = [i for i, h in enumerate(headers) if h in STATE_COLUMNS]
    if isinstance(value, dict):  # one mapping: its keys are the parser's field names
        rows = [[s.term("column", str(k)), v] for k, v in rows]
    for row in rows:
        for i in states:
            if isinstance(row[i], (str, bool)):
                value = str(row[i]).lower()  # `state_admin_down` (关闭) before `state_down` (断开)
                row[i] = (
                    s.term(f"state_{headers[i]}", value)
                    if s.has(f"state_{headers[i]}_{value}")
                    else s.term("state", value)
                )
    return table([s.term("column", h) for h in headers], rows)


def _cached_change(site: Site, page: str, change: Change) -> dict[str, object]:
    """A change's heading and diff: a commit never changes, so it is rendered once."""

    def render() -> str:
        block = _change(site, page, change)
        return f"{block['heading']}\0{block['diff'] or ''}"

    heading, _, diff = site.pages.get(("change", page, change.sha), render).partition("\0")
    return {"heading": Md(heading), "diff": Md(diff) if diff else None}


def _kind(site: Site, change: Change) -> Md:
    return (
        site.strings(f"kind_{change.kind}")
        if change.kind in ("first", "config", "state", "removed")
        else text(change.kind)
    )


def _change(site: Site, page: str, change: Change) -> dict[str, object]:
    s = site.strings
    what = change_subject(site, change)
    heading = Md(
        f"**{when(change.date)}** · {_kind(site, change)} · "
        f"{page_link(page, month_page(change.date), short(change.sha), anchor=change.sha[:10])}"
        + (f" · {text(what)}" if what else "")
    )
    truncated = s.plain("diff_truncated", lines=DIFF_LINES, commit=short(change.sha))
    # A first snapshot's diff is the whole config, which the page shows below anyway.
    shown = change.diff and change.kind != "first"
    diff = folded_diff(s, change.diff, DIFF_LINES, truncated) if shown else None
    return {"heading": heading, "diff": diff}


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
    s = site.strings
    page = d.page
    points = list(reversed(d.recent_runs))
    rows: list[list[object]] = []
    for first, last in run_groups([p.result.outcome for p in points]):
        p = points[first]
        if first == last:
            rows.append(
                [
                    run_link(page, p.run),
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
