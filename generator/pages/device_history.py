"""A device page's history at a glance: each change's diff folded per file without git's
header lines, and the nights without a change between changes counted in one line."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right

from netkb.generator.model import Change, Collections
from netkb.generator.pages.common import when
from netkb.generator.site import DeviceView, Site
from netkb.i18n import Strings
from netkb.markdown import Md, fence, text

# The lines git writes before a file's first hunk: how the repository stores the file, not what
# changed in it. They are dropped only there (a removed config line may well start with "--").
PLUMBING = (
    "index ",
    "--- ",
    "+++ ",
    "new file mode",
    "deleted file mode",
    "old mode",
    "new mode",
    "similarity index",
    "rename from",
    "rename to",
    "Binary files",
)
# A run's commit carries the run's start as its date; a margin keeps the run that made a change
# out of the quiet nights before it even when the commit is dated a little after the start.
RUN_MARGIN = dt.timedelta(hours=1)


def diff_files(diff: str) -> list[tuple[str, list[str]]]:
    """A `git show` patch as (file, lines) per file, the file relative to its device's folder and
    the lines from the first hunk on (git's header lines left out)."""
    files: list[tuple[str, list[str]]] = []
    header = False
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            path = line.rsplit(" b/", 1)[-1]
            files.append((path.split("/", 2)[-1] if path.startswith("devices/") else path, []))
            header = True
            continue
        if header and line.startswith(PLUMBING):
            continue
        header = False
        if not files:
            files.append(("", []))
        files[-1][1].append(line)
    return files


def folded_diff(s: Strings, diff: str, max_lines: int, truncated: str) -> Md:
    """Each file's hunks in a folded block (pymdownx.details) titled with the file and its counts;
    past `max_lines` lines in all, the rest is left out and `truncated` says so."""
    blocks: list[str] = []
    budget = max_lines
    for name, lines in diff_files(diff):
        added = sum(1 for line in lines if line.startswith("+"))
        removed = sum(1 for line in lines if line.startswith("-"))
        shown = lines[:budget]
        budget -= len(shown)
        body = "\n".join(shown) + ("\n" + truncated if len(shown) < len(lines) else "")
        title = s.plain("diff_file", file=name or "-", added=added, removed=removed)
        blocks.append(folded(title, fence(body, "diff"), "abstract"))
        if budget <= 0:
            break
    return Md("\n".join(blocks))


def folded(title: str, body: str, kind: str = "note") -> Md:
    """A collapsed block (pymdownx.details): `title` is escaped as text, `body` is Markdown."""
    quoted = str(text(title)).replace('"', "&quot;")
    indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
    return Md(f'??? {kind} "{quoted}"\n\n{indented}\n')


def quiet_nights(collections: Collections, newer: dt.datetime | None, older: dt.datetime) -> int:
    """Successful collections after the change at `older` and before the one at `newer` (up to
    now when None): the nights on which nothing changed."""
    times = collections.ok_times
    start = bisect_right(times, older.timestamp())
    end = len(times) if newer is None else bisect_left(times, (newer - RUN_MARGIN).timestamp())
    return max(end - start, 0)


def quiet_line(s: Strings, nights: int) -> Md | None:
    """ "90 nights, no change" (None for none)."""
    if nights <= 0:
        return None
    return s("quiet_night") if nights == 1 else s("quiet_nights", count=nights)


def quiet_between(s: Strings, collections: Collections, changes: list[Change]) -> list[Md | None]:
    """For each change, newest first, the quiet line that precedes it on the page: the nights
    between it and the next newer change. The newest has none: its nights up to now grow every
    night, and are on the status page (generator/pages/device_status.py), not the device page."""
    lines: list[Md | None] = []
    for i, change in enumerate(changes):
        lines.append(
            quiet_line(s, quiet_nights(collections, changes[i - 1].date, change.date)) if i else None
        )
    return lines


def run_groups(outcomes: list[str]) -> list[tuple[int, int]]:
    """(first, last) index ranges of `outcomes`: each run alone, except that consecutive
    "unchanged" runs form one range (shown as one line)."""
    groups: list[tuple[int, int]] = []
    for i, result in enumerate(outcomes):
        if groups and result == "unchanged" and outcomes[groups[-1][1]] == "unchanged":
            groups[-1] = (groups[-1][0], i)
        else:
            groups.append((i, i))
    return groups


def last_inspection(site: Site, d: DeviceView) -> Md | str:
    """The last complete inspection's date; for a device never inspected, the day it was due, not
    a bare "never": a device never inspected is overdue from the day it was first collected
    (netkb/records/cycles.py), so that is its due day."""
    s = site.strings
    if d.inspection.last_complete is not None:
        return when(d.inspection.last_complete)
    first = d.history.first_seen
    if first is None:
        return s("never_inspected")
    return s("never_inspected_due", due=when(first.date()))


# (item, verdict) -> the day the finding began: the first night of the unbroken stretch of
# collections that found it so (runs that did not reach the device neither break nor extend it).
Since = dict[tuple[str, str], dt.date]


def finding_starts(site: Site) -> dict[str, Since]:
    """For each device, when each finding of its latest collection that is not normal began, in
    one pass over the runs, newest first, that stops as soon as every such finding's start is
    known (usually within the last few runs; at worst as far back as the trends already read)."""
    open_: dict[str, dict[tuple[str, str], dt.date | None]] = {}  # None: not found in any run
    for d in site.devices.values():
        collected = d.history.last_collected
        if collected is None:
            continue
        found: dict[tuple[str, str], dt.date | None] = {
            (f.item, f.verdict): None for f in collected.inspection if f.verdict != "normal"
        }
        if found:
            open_[d.name] = found
    pending = {name: set(found) for name, found in open_.items()}
    for run in reversed(site.history.runs):
        if not pending:
            break
        devices = run.devices
        for name in list(pending):
            result = devices.get(name)
            if result is None or result.outcome in ("failed", "skipped"):
                continue  # not reached: neither breaks nor extends a stretch
            still = {(f.item, f.verdict) for f in result.findings}
            for key in list(pending[name]):
                if key in still:
                    open_[name][key] = run.started.date()
                else:  # the stretch begins with the run after this one
                    pending[name].discard(key)
            if not pending[name]:
                del pending[name]
    return {name: {k: v for k, v in found.items() if v is not None} for name, found in open_.items()}
