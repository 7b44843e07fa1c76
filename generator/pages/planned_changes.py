"""Change records on the site: an index (unplanned changes first), a page per record, and the
sections on the home, device, run and report pages. The verdicts come from the kernel
(netkb/records/change_matching.py), computed once per generation from the history model: every
config commit with the device's collection before it.

A site without change records shows only the index saying so: nothing is judged (see
`counting_from`), so the other pages stay as they were."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from netkb.generator.model import History, RunSummary
from netkb.generator.pages.common import FOLLOWING, NOT_SEARCHED, month_page, page_link, run_page, short, when
from netkb.generator.pages.service_common import device_links
from netkb.generator.service_site import incident_slugs
from netkb.generator.site import DeviceView, Site
from netkb.markdown import Md, front_matter, table, text, title
from netkb.records.change_matching import CommitVerdict, ConfigCommit, Matching, made_after, match, tally
from netkb.records.planned_changes import FOLDER, PlannedChange

KEY = "planned_changes"
INDEX = f"{FOLDER}/index.md"


@dataclass(frozen=True)
class ChangeData:
    records: list[PlannedChange]  # by window start
    matching: Matching
    pages: dict[str, str]  # record id -> its page
    recent_since: dt.datetime  # a finding found after this is shown on the home page

    @property
    def judged(self) -> bool:
        return self.matching.since is not None

    def recent(self) -> list[CommitVerdict]:
        return [v for v in self.matching.findings if v.commit.at >= self.recent_since]

    def digest(self) -> str:
        """What a page showing the verdicts was made from (the report pages' cache key)."""
        return hashlib.sha256(repr((self.records, self.matching.verdicts)).encode()).hexdigest()


def config_commits(history: History) -> list[ConfigCommit]:
    """Every config change of every device (a first snapshot is not one), with the span it was
    made in: from the device's collection before the one that committed it."""
    commits = []
    for name, device in history.devices.items():
        collections = history.collections.get(name)
        times = collections.ok_times if collections else ()
        commits += [
            ConfigCommit(name, c.sha, c.date, made_after(times, c.date))
            for c in device.changes
            if c.kind == "config"
        ]
    return commits


def build(site: Site, records: list[PlannedChange]) -> ChangeData:
    settings = site.settings
    until = site.history.runs[-1].started if site.history.runs else None
    matching = match(
        config_commits(site.history), records, settings.change_records, settings.sla.time_zone, until
    )
    slugs = incident_slugs([r.id for r in records])
    pages = {r.id: f"{FOLDER}/{slugs[r.id]}.md" for r in records}
    recent = site.now - dt.timedelta(days=settings.change_records.recent_days)
    return ChangeData(records, matching, pages, recent)


def attach(site: Site, records: list[PlannedChange]) -> ChangeData:
    """Compute the verdicts into the site; with records, register the home, device and run sections."""
    data = build(site, records)
    site.extras[KEY] = data
    if data.judged:
        site.extras.setdefault("home_sections", []).append(home_section)
        site.extras.setdefault("device_sections", []).append(device_section)
        site.extras.setdefault("run_sections", []).append(run_section)
    return data


def data_of(site: Site) -> ChangeData:
    data = site.extras.get(KEY)
    if not isinstance(data, ChangeData):
        data = build(site, [])
        site.extras[KEY] = data
    return data


def _verdict(site: Site, v: CommitVerdict) -> Md:
    label = site.strings(f"cr_verdict_{v.verdict.value}")
    return Md(f"**{label}**") if v.is_finding else label


def _device(site: Site, page: str, name: str) -> Md | str:
    device = site.devices.get(name)
    return page_link(page, device.page, name) if device else name


def _commit_rows(
    site: Site, page: str, verdicts: list[CommitVerdict], data: ChangeData
) -> list[list[object]]:
    return [
        [
            _device(site, page, v.commit.device),
            when(v.commit.at),
            when(v.commit.made_after) if v.commit.made_after else "—",
            page_link(page, month_page(v.commit.at), short(v.commit.sha), anchor=v.commit.sha[:10]),
            _verdict(site, v),
            Md(", ".join(page_link(page, data.pages[i], i) for i in v.records if i in data.pages) or "—"),
        ]
        for v in verdicts
    ]


def commit_table(site: Site, page: str, verdicts: list[CommitVerdict]) -> Md:
    s = site.strings
    headers = [
        s("device"),
        s("cr_found"),
        s("cr_made_after"),
        s("cr_commit"),
        s("cr_verdict"),
        s("cr_records_col"),
    ]
    return table(headers, _commit_rows(site, page, verdicts, data_of(site)))


def _state(site: Site, data: ChangeData, record: PlannedChange) -> Md:
    if data.matching.carried_out.get(record.id):
        return site.strings("cr_state_done")
    if record in data.matching.not_carried_out:
        return Md(f"**{site.strings('cr_state_missing')}**")
    return site.strings("cr_state_upcoming")


def _window(site: Site, record: PlannedChange) -> Md:
    return site.strings("cr_window_value", start=when(record.start), end=when(record.end))


def record_table(site: Site, page: str, records: list[PlannedChange] | tuple[PlannedChange, ...]) -> Md:
    s, data = site.strings, data_of(site)
    rows = [
        [
            page_link(page, data.pages[r.id], r.id),
            r.title,
            device_links(site, page, r.devices),
            _window(site, r),
            s(f"cr_risk_{r.risk.value}"),
            s("cr_yes") if r.emergency else s("cr_no"),
            _state(site, data, r),
        ]
        for r in records
    ]
    headers = [
        s("cr_id"),
        s("cr_title"),
        s("cr_devices"),
        s("cr_window"),
        s("cr_risk"),
        s("cr_emergency"),
        s("cr_state"),
    ]
    return table(headers, rows)


def _index(site: Site) -> str:
    s, data = site.strings, data_of(site)
    parts = [
        front_matter({"title": title(s("cr_records")), "search": NOT_SEARCHED}),
        f"# {s('cr_records')}\n",
    ]
    if not data.judged:
        return "\n".join([*parts, str(s("cr_not_counting"))]) + "\n"
    m = data.matching
    parts += [
        str(s("cr_counting_since", since=when(m.since))),
        "",
        str(s("cr_summary", **tally(m.verdicts), missing=len(m.not_carried_out))),
        "",
    ]
    parts.append(f"## {s('cr_unplanned_heading')}\n")
    findings = m.findings[::-1]  # newest first
    parts += [str(commit_table(site, INDEX, findings)) if findings else str(s("cr_none_unplanned")), ""]
    if m.not_carried_out:
        parts += [f"## {s('cr_not_carried_heading')}\n", str(s("cr_not_carried_note")), ""]
        parts += [str(record_table(site, INDEX, m.not_carried_out)), ""]
    parts += [f"## {s('cr_all_records')}\n", str(record_table(site, INDEX, data.records[::-1])), ""]
    return "\n".join(parts) + "\n"


def _record(site: Site, data: ChangeData, r: PlannedChange) -> str:
    s, page = site.strings, data.pages[r.id]
    heading = s("cr_record_title", id=r.id, title=r.title)
    facts: list[list[object]] = [
        [s("cr_devices"), device_links(site, page, r.devices)],
        [s("cr_window"), _window(site, r)],
        [s("cr_requester"), r.requester or "—"],
        [s("cr_approver"), r.approver or s("cr_not_approved")],
        [s("cr_approved"), when(r.approved) if r.approved else s("cr_not_approved")],
        [s("cr_risk"), s(f"cr_risk_{r.risk.value}")],
        [s("cr_emergency"), s("cr_yes") if r.emergency else s("cr_no")],
        [s("cr_state"), _state(site, data, r)],
        [s("cr_result"), r.result or "—"],
    ]
    parts = [
        front_matter({"title": title(heading), "search": FOLLOWING}),
        f"# {heading}\n",
        str(table([s("field"), s("value")], facts)),
        "",
    ]
    for key, value in (("cr_plan", r.plan), ("cr_rollback", r.rollback)):
        if value:
            parts += [f"## {s(key)}\n", *(f"{text(line)}  " for line in value.splitlines()), ""]
    verdicts = data.matching.of_commits((c.device, c.sha) for c in data.matching.carried_out.get(r.id, ()))
    parts.append(f"## {s('cr_commits_heading')}\n")
    parts += [str(commit_table(site, page, verdicts)) if verdicts else str(s("cr_no_commits")), ""]
    if r.notes:
        parts += [f"## {s('cr_notes')}\n", r.notes]  # the team's own Markdown, like an incident's narrative
    return "\n".join(parts) + "\n"


def render_pages(site: Site) -> dict[str, str]:
    data = data_of(site)
    pages = {INDEX: _index(site)}
    for record in data.records:
        pages[data.pages[record.id]] = _record(site, data, record)
    return pages


def home_section(site: Site, page: str) -> list[str]:
    s, data = site.strings, data_of(site)
    parts = [f"## {s('cr_unplanned_heading')}\n"]
    recent = data.recent()[::-1]
    if recent:
        days = site.settings.change_records.recent_days
        parts += [
            str(s("cr_unplanned_recent", count=len(recent), days=days)),
            "",
            str(commit_table(site, page, recent)),
        ]
    else:
        parts.append(str(s("cr_none_unplanned")))
    return [*parts, "", f"{page_link(page, INDEX, s('cr_all_link'))}\n"]


def device_section(site: Site, d: DeviceView) -> Md:
    s, data = site.strings, data_of(site)
    mine = [v for v in data.matching.of_device(d.name) if v.is_finding][::-1]
    heading = f"## {s('cr_device_heading')}\n\n"
    if not mine:
        return Md(heading + str(s("cr_device_none")))
    return Md(heading + str(commit_table(site, d.page, mine)))


def run_section(site: Site, run: RunSummary) -> str:
    """The verdicts of the commits this run made ("" when it made none that is judged)."""
    mine = data_of(site).matching.of_commits((name, r.commit) for name, r in run.devices.items() if r.commit)
    if not mine:
        return ""
    return f"\n## {site.strings('cr_run_heading')}\n\n{commit_table(site, run_page(run), mine)}\n"


def report_section(site: Site, page: str, start: dt.datetime, end: dt.datetime) -> list[str]:
    """A report's count and list: the period's commits by verdict, its findings and missed records."""
    s, data = site.strings, data_of(site)
    if not data.judged:
        return []
    verdicts = data.matching.between(start, end)
    missing = [r for r in data.matching.not_carried_out if start <= r.end < end]
    parts = [f"## {s('cr_report_heading')}\n"]
    if not verdicts and not missing:
        return [*parts, str(s("cr_report_none")), ""]
    parts += [str(s("cr_report_counts", total=len(verdicts), **tally(verdicts), missing=len(missing))), ""]
    findings = [v for v in verdicts if v.is_finding]
    if findings:
        parts += [str(commit_table(site, page, findings)), ""]
    if missing:
        parts += [f"### {s('cr_not_carried_heading')}\n", str(record_table(site, page, missing)), ""]
    return parts
