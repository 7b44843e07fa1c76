"""Inspection pages: the latest verdicts per device, on-site visits, and one page per collection run."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from netkb.generator.model import RunSummary
from netkb.generator.pages.common import (
    NOT_SEARCHED,
    detail,
    item_label,
    outcome,
    page_link,
    run_page,
    suggestion,
    verdict,
    when,
)
from netkb.generator.site import Site
from netkb.markdown import Md, front_matter, table, text, title

INDEX = "inspections/index.md"


def render_pages(site: Site) -> dict[str, str]:
    pages = {INDEX: _index(site)}
    for run in site.history.runs:
        # A run's page depends on its record alone (and the salt: language, devices, code).
        pages[run_page(run)] = site.pages.get(("run", run.path, run.sha), partial(_run, site, run))
        # Sections that read the records (change verdicts), outside the cached page.
        pages[run_page(run)] += "".join(section(site, run) for section in site.extras.get("run_sections", []))
    for record in site.onsite:
        pages[onsite_page(record.path)] = _onsite(site, record)
    return pages


def onsite_page(path: str) -> str:
    """inspections/2026-10-01-core.md -> inspections/onsite/2026-10-01-core.md"""
    return "inspections/onsite/" + path.split("/", 1)[-1]


def _index(site: Site) -> str:
    s = site.strings
    parts = [
        front_matter({"title": title(s("inspections")), "search": NOT_SEARCHED}),
        f"# {s('inspections')}\n",
    ]
    parts.append(f"## {s('latest_per_device')}\n")
    rows = []
    for d in site.devices.values():
        findings = d.history.last_collected.inspection if d.history.last_collected else ()
        abnormal = sum(f.verdict == "abnormal" for f in findings)
        unknown = sum(f.verdict == "unknown" for f in findings)
        rows.append(
            [
                page_link(INDEX, d.page, d.name),
                s.term("role", d.role),
                when(d.history.last_collected.started) if d.history.last_collected else s("never"),
                Md(f"**{abnormal}**") if abnormal else "0",
                str(unknown),
                when(d.inspection.last_complete) or s("never"),
                Md(f"**{when(d.inspection.due) or s('never')}**")
                if d.inspection.overdue
                else when(d.inspection.due),
            ]
        )
    parts.append(
        table(
            [
                s("device"),
                s("role"),
                s("last_collected"),
                s("abnormal_count"),
                s("unknown_count"),
                s("last_inspection"),
                s("due"),
            ],
            rows,
        )
    )
    parts.append(f"\n## {s('onsite_records')}\n")
    if not site.onsite:
        parts.append(str(s("no_onsite")))
    for record in sorted(site.onsite, key=lambda r: (r.date, r.path), reverse=True):
        label = record.title or record.path
        record_link = page_link(INDEX, onsite_page(record.path), label)
        parts.append(f"- {record.date.isoformat()} {record_link} — {text(record.engineer)}")
    parts.append(f"\n## {s('inspection_runs')}\n")
    if not site.history.runs:
        parts.append(str(s("no_runs")))
    by_month: dict[str, list[RunSummary]] = defaultdict(list)
    for run in site.history.runs:
        by_month[f"{run.started:%Y-%m}"].append(run)
    for month in sorted(by_month, reverse=True):
        runs = sorted(by_month[month], key=lambda r: r.started, reverse=True)
        links = ", ".join(page_link(INDEX, run_page(r), f"{r.started:%d %H:%M}") for r in runs)
        parts.append(f"- **{month}**: {links}")
    return "\n".join(parts) + "\n"


def _run(site: Site, run: RunSummary) -> str:
    s = site.strings
    page = run_page(run)
    heading = s("run_title", when=when(run.started))
    parts = [front_matter({"title": title(heading), "search": {"exclude": True}}), f"# {heading}\n"]
    if run.problem:
        parts.append(f'!!! warning ""\n    {s("unreadable_run", path=run.path, problem=run.problem)}\n')
    elif run.finished is None:
        parts.append(f'!!! warning ""\n    {s("run_unfinished")}\n')
    counts = run.counts
    parts.append(
        str(
            s(
                "run_counts",
                changed=counts.get("changed", 0),
                unchanged=counts.get("unchanged", 0),
                failed=counts.get("failed", 0),
                total=sum(counts.values()),
            )
        )
    )
    if run.limit:
        parts.append("\n" + str(s("run_scope", limit=run.limit)))
    parts += _run_devices(site, page, run) + _run_findings(site, page, run)
    return "\n".join(parts) + "\n"


def _device_link(site: Site, page: str, name: str) -> Md | str:
    return page_link(page, site.devices[name].page, name) if name in site.devices else name


def _run_devices(site: Site, page: str, run: RunSummary) -> list[str]:
    """The devices the run changed or failed (an unchanged one is the rule, not news)."""
    s = site.strings
    noteworthy = [(name, r) for name, r in sorted(run.devices.items()) if r.outcome != "unchanged"]
    if not noteworthy:
        return []
    rows = [
        [
            _device_link(site, page, name),
            outcome(s, r.outcome),
            r.reason,
            ", ".join(r.sections),
            f"{r.seconds:.1f}",
        ]
        for name, r in noteworthy
    ]
    header = [s("device"), s("status"), s("reason"), s("sections"), s("seconds")]
    return [f"\n## {s('run_devices')}\n", table(header, rows)]


def _run_findings(site: Site, page: str, run: RunSummary) -> list[str]:
    s = site.strings
    findings = [(name, f) for name, r in sorted(run.devices.items()) for f in r.findings]
    if not findings:
        return [f"\n## {s('run_findings')}\n", str(s("run_all_normal"))]
    rows = [
        [
            _device_link(site, page, name),
            item_label(site, f.item),
            verdict(s, f.verdict),
            detail(site, f.detail),
            suggestion(site, f.verdict, f.item, f.suggestion),
        ]
        for name, f in findings
    ]
    header = [s("device"), s("item"), s("verdict"), s("detail"), s("suggestion")]
    return [f"\n## {s('run_findings')}\n", table(header, rows)]


def _onsite(site: Site, record) -> str:  # type: ignore[no-untyped-def]
    s = site.strings
    page = onsite_page(record.path)
    heading = record.title or f"{record.date.isoformat()} {record.engineer}"
    parts = [front_matter({"title": title(heading)}), f"# {text(heading)}\n"]
    facts = [[s("date"), record.date.isoformat()], [s("engineer"), record.engineer]]
    if record.devices:
        facts.append(
            [
                s("devices"),
                Md(
                    ", ".join(
                        page_link(page, site.devices[n].page, n) for n in record.devices if n in site.devices
                    )
                ),
            ]
        )
    if record.rooms:
        facts.append([s("room"), ", ".join(record.rooms)])
    parts.append(table([s("fact"), s("fact_value")], facts))
    parts.append("")
    parts.append(
        table(
            [s("item"), s("verdict"), s("detail")],
            [
                [item_label(site, k), verdict(s, item.verdict.value), item.note]
                for k, item in record.items.items()
            ],
        )
    )
    if record.notes:
        parts.append("\n" + record.notes)  # the engineer's own Markdown, published as written
    return "\n".join(parts) + "\n"
