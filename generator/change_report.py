"""`netkb report`'s change-management lines: the period's config commits by verdict against the
change records, each unplanned one by name, and the records not carried out (the same matching
the report pages show, generator/pages/planned_changes.py)."""

from __future__ import annotations

import datetime as dt

from rich.console import Console

from netkb.generator.model import History
from netkb.generator.pages.planned_changes import config_commits
from netkb.i18n import Strings
from netkb.records.change_matching import match, tally
from netkb.records.planned_changes import PlannedChange
from netkb.settings import Settings


def change_lines(
    history: History, records: list[PlannedChange], settings: Settings, start: dt.datetime, end: dt.datetime
) -> list[str]:
    """Plain lines for the period [start, end); none when nothing is judged (no change records)."""
    s = Strings(settings.language)
    until = history.runs[-1].started if history.runs else None
    found = match(config_commits(history), records, settings.change_records, settings.sla.time_zone, until)
    if found.since is None:
        return []
    verdicts = found.between(start, end)
    missing = [r for r in found.not_carried_out if start <= r.end < end]
    lines = [
        s.plain("term_cr_heading", since=_at(found.since)),
        s.plain("term_cr_counts", **tally(verdicts), missing=len(missing)),
    ]
    for v in verdicts:
        if v.is_finding:
            c, ids = v.commit, ", ".join(v.records)
            verdict = s.plain(f"cr_verdict_{v.verdict.value}")
            line = s.plain(
                "term_cr_line",
                verdict=verdict,
                device=c.device,
                found=_at(c.at),
                commit=c.sha[:10],
                records=ids,
            )
            lines.append(f"- {line.rstrip()}")
    for r in missing:
        lines.append(
            "- " + s.plain("term_cr_missing", id=r.id, title=r.title, start=_at(r.start), end=_at(r.end))
        )
    return lines


def _at(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def print_changes(console: Console, lines: list[str]) -> None:
    for line in lines:
        console.print(line, markup=False, highlight=False)
