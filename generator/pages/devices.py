"""Device pages (one per device, out of the navigation) and the device index."""

from __future__ import annotations

import html
from collections import defaultdict

from netkb.generator.model import Change, Collections, Finding
from netkb.generator.pages.buildings import building_page
from netkb.generator.pages.common import (
    change_subject,
    item_label,
    month_page,
    outcome,
    page_link,
    short,
    skip_note,
    state_rows,
    suggestion,
    topic_name,
    verdict,
    when,
)
from netkb.generator.pages.device_history import Since, finding_starts, folded, folded_diff, quiet_between
from netkb.generator.pages.device_status import status_page
from netkb.generator.site import DeviceView, Site
from netkb.generator.templates import render
from netkb.i18n import Strings
from netkb.markdown import Md, fence, front_matter, table, text, title
from netkb.markers import RERANDOMISED_MARKER
from netkb.spec import find_spec

DIFF_CHANGES = 20  # newest changes shown with their diff; older ones are listed by commit
DIFF_LINES = 400  # a longer diff is cut (the full one is a `git show` away)
STATE_COLUMNS = {"status", "state", "oper", "admin", "synchronized"}  # normalised by the parsers: translated


def render_pages(site: Site) -> dict[str, str]:
    pages = {"devices/index.md": _index(site)}
    starts = finding_starts(site)
    for device in site.devices.values():
        pages[device.page] = device_page(site, device, starts.get(device.name, {}))
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


def device_page(site: Site, d: DeviceView, since: Since | None = None) -> str:
    """The device's page: only what changes when the device (or a record about it) changes; what
    every night changes is on its status page. `since`: when each of its open findings began."""
    s, page = site.strings, d.page
    changes = list(reversed(d.history.changes))
    shown, older = changes[:DIFF_CHANGES], changes[DIFF_CHANGES:]
    collections = site.history.collections.get(d.name) or Collections()
    collected = d.history.last_collected
    context = {
        # Boosted: a hostname or an address finds the device's page before pages that mention it.
        "front": front_matter({"title": title(d.name), "search": {"boost": 2}}),
        "d": d,
        "s": s,
        "warnings": _warnings(site, d),
        "status_link": page_link(page, status_page(d.name), s("dp_status_link")),
        "facts": table([s("fact"), s("fact_value")], [[label, value] for label, value in _facts(site, d)]),
        "collected": collected is not None,
        "inspected": bool(collected and collected.inspection),
        # Whether, not which: the commands that failed may differ from night to night.
        "problems": bool(collected and collected.problems),
        "findings": _open_findings(site, collected.inspection if collected else (), since or {}),
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
        "older": older,
        "older_table": _older_table(site, older),
        "config": _config(site, d) if d.history.config else None,
        # VRP ciphers re-encrypted on every display are one constant marker (collector/redact.py):
        # a change of them shows nowhere, and a sealed copy keeps them as last sealed.
        "rerandomised": d.history.config.count(RERANDOMISED_MARKER) if d.history.config else 0,
    }
    return render("device.md.j2", **context)


def _open_findings(site: Site, findings: tuple[Finding, ...], since: Since) -> Md | None:
    """The latest collection's abnormal and unknown items, each with the day it began: no measured
    value (the status page has those), so the table changes only when a finding comes or goes."""
    s = site.strings
    shown = sorted((f for f in findings if f.verdict != "normal"), key=lambda f: (f.verdict, f.item))
    if not shown:
        return None
    return table(
        [s("item"), s("verdict"), s("dp_since"), s("suggestion")],
        [
            [
                item_label(site, f.item),
                verdict(s, f.verdict),
                when(since.get((f.item, f.verdict))),
                suggestion(site, f.verdict, f.item, f.suggestion),
            ]
            for f in shown
        ],
    )


def _warnings(site: Site, d: DeviceView) -> list[Md]:
    """What a reader must know before trusting the page: not in the inventory, stale, skipped,
    failing. Each stays the same from night to night while it holds (a failing device says since
    when; the latest failure's time and reason are on the status page)."""
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
        link = page_link(d.page, status_page(d.name), s("status"))
        if d.last_ok is None:
            warnings.append(s("dp_failing_never", link=link))
        else:
            warnings.append(s("dp_failing_since", date=when(d.last_ok), link=link))
    return warnings


def _facts(site: Site, d: DeviceView) -> list[tuple[Md, object]]:
    s, entry = site.strings, d.entry
    facts: list[tuple[Md, object]] = [
        (s("name"), d.name),
        (s("role"), s.term("role", d.role)),
        (s("building"), page_link(d.page, building_page(d.building), d.building) if d.building else ""),
        (s("platform"), s.term("platform", d.platform)),
        (s("model"), d.model),
        (s("serial"), d.serial),
        (s("software"), d.software),
        (s("mgmt_ip"), d.mgmt_ip),
    ]
    if entry and entry.asset.room:
        facts.append((s("room"), " ".join(filter(None, [entry.asset.room, entry.asset.rack]))))
    # No "last collected" nor "last inspection": they move every night (the status page has them).
    return [
        *facts,
        (s("first_seen"), when(d.history.first_seen)),
        (s("last_change"), when(d.history.last_changed)),
    ]


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
