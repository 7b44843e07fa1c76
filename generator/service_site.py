"""The service-management part of the site model: incidents with their SLA results, repeats and
related changes, the asset register, and the reports of every period that has data.

Computed once from the records and the site (principle 1) and kept in `Site.extras["service"]`;
the incident, asset and report pages, the feed and the home and device sections only lay it out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from dataclasses import dataclass, field

from netkb.generator.assets import AssetRow, asset_register, warranty_warnings
from netkb.generator.correlation import RelatedChange, changes_before, previous_collections, topology
from netkb.generator.periods import Period, periods_of_year
from netkb.generator.repeats import Repeat, find_repeats
from netkb.generator.reports import RunIndex, ServiceReport, build_report
from netkb.generator.request_figures import RequestView, request_views
from netkb.generator.site import Site
from netkb.generator.sla import IncidentSla, evaluate
from netkb.records.incidents import Incident
from netkb.records.requests import ServiceRequest
from netkb.records.runbooks import Runbook

KEY = "service"


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    page: str  # incidents/<slug>.md
    sla: IncidentSla
    repeat: Repeat | None  # the earlier incident it repeats, if any
    related: list[RelatedChange]  # changes before it, newest first
    runbooks: list[Runbook]  # the linked runbooks that exist


@dataclass(frozen=True)
class ServiceData:
    incidents: list[IncidentView]  # newest first
    assets: list[AssetRow]  # inventory order
    warnings: list[AssetRow]  # warranty or vendor support ended or ending, the most urgent first
    reports: list[ServiceReport]  # oldest period first: per year its months, quarters, the year
    by_id: dict[str, IncidentView] = field(default_factory=dict)
    # What a closed period's report was made from (its page is cached under it); None: running
    report_keys: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    requests: list[RequestView] = field(default_factory=list)  # newest first (pages/requests.py)

    @property
    def open(self) -> list[IncidentView]:
        return [v for v in self.incidents if v.incident.is_open]

    def of_device(self, name: str) -> list[IncidentView]:
        return [v for v in self.incidents if name in v.incident.devices]


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"index", "feed"}


def incident_slugs(ids: list[str]) -> dict[str, str]:
    """Incident id -> a file name that is safe in a path and a URL, unique (case-insensitively:
    some file systems fold case) and never the section's index page."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for incident_id in ids:
        base = _UNSAFE.sub("-", incident_id).strip(".-") or "incident"
        if base.lower() in _RESERVED:
            base += "-incident"
        slug, n = base, 1
        while slug.lower() in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug.lower())
        slugs[incident_id] = slug
    return slugs


def report_page(period: Period) -> str:
    return f"reports/{period.key}.md"


def report_periods(site: Site, incidents: list[Incident]) -> list[Period]:
    """Every period (month, quarter, year) that overlaps the data: from the first run or incident to now."""
    zone = zoneinfo.ZoneInfo(site.settings.sla.time_zone)
    starts = [r.started for r in site.history.runs[:1]] + [i.reported for i in incidents[:1]]
    if not starts:
        return []
    first = min(starts).astimezone(zone)
    now = site.now.astimezone(zone)
    periods = []
    for year in range(first.year, now.year + 1):
        for period in periods_of_year(year):
            start, end = period.bounds(site.settings.sla.time_zone)
            if end > first and start <= now:
                periods.append(period)
    return periods


def _runbooks(site: Site, slugs: tuple[str, ...]) -> list[Runbook]:
    """A record names a runbook by its path below runbooks/ or by its file stem."""
    found = []
    for slug in slugs:
        book = next((r for r in site.runbooks if r.slug == slug), None) or next(
            (r for r in site.runbooks if r.slug.rsplit("/", 1)[-1] == slug), None
        )
        if book is not None and book not in found:
            found.append(book)
    return found


def _incident_views(
    site: Site, ordered: list[Incident], slugs: dict[str, str], repeats: dict[str, Repeat], index: RunIndex
) -> list[IncidentView]:
    # The topology and the collection times come from the whole history: read only when there
    # are incidents to correlate.
    settings = site.settings
    topo = topology(site.history, [d.name for d in site.inventory.devices])
    previous = previous_collections(site.history, index.figures)
    return [
        IncidentView(
            incident=i,
            page=f"incidents/{slugs[i.id]}.md",
            sla=evaluate(i, settings.sla, site.now),
            repeat=repeats.get(i.id),
            related=changes_before(i, site.history, topo, settings.correlation_window_hours, previous),
            runbooks=_runbooks(site, i.runbooks),
        )
        for i in ordered
    ]


def _records_digest(
    site: Site, incidents: list[Incident], requests: list[ServiceRequest], end: dt.datetime
) -> str:
    """Everything besides the history that a closed period's report reads: the incidents and
    requests reported before its end (the repeats and trends look back, never forward), the visits
    up to its end, the inventory. A record dated after the end cannot change the report, so adding
    or editing one leaves the closed reports in the cache."""
    digest = hashlib.sha256(
        repr(sorted((i for i in incidents if i.reported < end), key=lambda i: i.id)).encode()
    )
    digest.update(repr([r for r in requests if r.received < end]).encode())
    digest.update(repr([r for r in site.onsite if r.date <= end.date()]).encode())
    digest.update(site.inventory.model_dump_json().encode())
    return digest.hexdigest()


def build_service(
    site: Site, incidents: list[Incident], requests: list[ServiceRequest] | None = None
) -> ServiceData:
    requests = requests or []
    settings = site.settings
    ordered = sorted(incidents, key=lambda i: (i.reported, i.id), reverse=True)
    slugs = incident_slugs([i.id for i in sorted(incidents, key=lambda i: (i.reported, i.id))])
    repeats = find_repeats(incidents, settings.repeat_window_days)
    index = RunIndex(site.history, site.pages)  # shared: reading the runs is most of a report's cost
    views = _incident_views(site, ordered, slugs, repeats, index) if incidents else []
    assets = asset_register(
        site.inventory.devices, site.history, site.now.date(), settings.warranty_warn_days
    )

    def inputs(period: Period) -> tuple[str, ...] | None:
        """A period that is over depends only on the records and on the history before its end;
        the running period, or one with an open incident's clock, moves every night."""
        start, end = period.bounds(settings.sla.time_zone)
        if end > site.now or any(i.is_open and start <= i.reported < end for i in incidents):
            return None
        if any(r.is_open and start <= r.received < end for r in requests):
            return None
        return (period.key, _records_digest(site, incidents, requests, end), *index.state_before(end))

    def report(period: Period) -> ServiceReport:
        def build() -> ServiceReport:
            return build_report(
                period,
                incidents=incidents,
                history=site.history,
                devices=list(site.inventory.devices),
                settings=settings,
                onsite=site.onsite,
                checklist=site.checklist,
                now=site.now,
                index=index,
                assets=assets,
                requests=requests,
            )

        key = keys[period.key]
        return build() if key is None else site.pages.get(("report", *key), build)

    periods = report_periods(site, sorted(incidents, key=lambda i: i.reported))
    keys = {p.key: inputs(p) for p in periods}
    reports = [report(p) for p in periods]
    return ServiceData(
        views,
        assets,
        warranty_warnings(assets),
        reports,
        {v.incident.id: v for v in views},
        keys,
        requests=request_views(requests, settings, site.now, incident_slugs),
    )


def service_of(site: Site) -> ServiceData:
    """The site's service data; a site built without records gets it computed without incidents
    (the asset register and the reports still have the history to show)."""
    data = site.extras.get(KEY)
    if not isinstance(data, ServiceData):
        data = build_service(site, [])
        site.extras[KEY] = data
    return data
