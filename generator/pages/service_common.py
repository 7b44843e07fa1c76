"""What the incident, asset and report pages share: level, category, status and SLA labels, charts."""

from __future__ import annotations

from netkb.generator.pages.common import page_link
from netkb.generator.site import Site
from netkb.generator.sla import Outcome, TargetResult
from netkb.i18n import Strings
from netkb.markdown import Md, text
from netkb.records.incidents import Incident
from netkb.records.service import ALWAYS, TargetKind


def level_name(site: Site, key: str) -> str:
    """`P2 二级` / `P2 Major`: the key the records use and the level's name in the site's language."""
    level = site.settings.sla.levels.get(key)
    if level is None:
        return key
    return f"{key} {site.strings.pick(level)}"


def category_name(site: Site, key: str) -> str:
    names = site.settings.incident_categories.get(key)
    if names is None:
        return key or str(site.strings("unassigned"))
    return site.strings.pick(names)


def status_label(strings: Strings, incident: Incident) -> Md:
    label = strings(f"status_{incident.status.value}")
    return Md(f"**{label}**") if incident.is_open else label


def target_name(strings: Strings, kind: TargetKind) -> Md:
    return strings(f"target_{kind.value}")


def outcome_label(strings: Strings, outcome: Outcome) -> Md:
    label = strings(f"sla_{outcome.value}")
    return Md(f"**{label}**") if outcome is Outcome.MISSED else label


def working_time(strings: Strings, result: TargetResult, seconds: float | None) -> str:
    """Time on the target's calendar: `2d 3h` on 7×24; in hours on a business calendar, where a
    day is a working day and `1d 12h` of wall-clock style would misread as more than `3d`."""
    if seconds is None or result.calendar in ("", ALWAYS):
        return strings.duration(seconds)
    minutes = round(abs(seconds) / 60)
    hours = strings.plain("duration_hours", hours=minutes // 60, minutes=f"{minutes % 60:02d}")
    return f"{'-' if seconds < 0 else ''}{hours}"


def margin(strings: Strings, result: TargetResult) -> Md:
    """By how much: `5m to spare`, `over by 12m`, `1h 05m left`; empty when unknown."""
    left = result.margin
    if left is None:
        return Md("")
    if result.outcome is Outcome.PENDING:
        key = "sla_left" if left >= 0 else "sla_over"
    else:
        key = "sla_spare" if left >= 0 else "sla_over"
    return strings(key, time=working_time(strings, result, abs(left)))


def sla_cell(strings: Strings, result: TargetResult) -> Md:
    """One target in a table cell: the outcome, and by how much where it is known."""
    label = outcome_label(strings, result.outcome)
    if result.outcome is Outcome.NOT_APPLICABLE:
        return Md("—")
    extra = margin(strings, result)
    return Md(f"{label} ({extra})" if extra else label)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def device_links(site: Site, page: str, names: tuple[str, ...] | list[str]) -> Md:
    """Device names, each linking its page where there is one."""
    parts = [page_link(page, site.devices[n].page, n) if n in site.devices else text(n) for n in names]
    return Md(", ".join(parts))


def chart(svg: str) -> Md:
    """An SVG chart (generator/charts.py escapes every label) as a raw HTML block Markdown leaves alone.

    Blank lines would end the raw block for Python-Markdown, so the SVG is written without them;
    its tick labels and numbers are kept out of the search index (the tables next to it hold them)."""
    body = "\n".join(line for line in svg.splitlines() if line.strip())
    return Md(f'<div class="netkb-chart" markdown="0" data-search-exclude>\n{body}\n</div>')
