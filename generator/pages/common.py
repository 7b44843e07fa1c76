"""What several page kinds share: paths between pages, dates, outcome and verdict labels."""

from __future__ import annotations

import datetime as dt
import posixpath
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from netkb.generator.model import Change, RunSummary
from netkb.i18n import Strings
from netkb.inspection.details import localise
from netkb.markdown import Md, link, text

if TYPE_CHECKING:
    from netkb.generator.site import Site


# Front matter `search:` of overview pages (home, indexes, changes by month): they repeat what
# the pages they list say, so indexing them would bury those pages in the results and grow the
# search index with the size of the network.
NOT_SEARCHED = {"exclude": True}
# Front matter `search:` of records that follow from another and repeat its words: a change
# request or a service request names the incident it served and says what it said (私接路由器),
# a month's report says what its quarter and year say (SLA 达成). Ties in Material's search (no
# length normalisation) go to the record itself and to the longer period.
FOLLOWING = {"boost": 0.5}
REPORT_WEIGHT = {"year": 1.0, "quarter": 0.9, "month": 0.8}


def rel(from_page: str, to_page: str) -> str:
    """The relative link from one page of the tree to another (MkDocs resolves .md links)."""
    return _rel(posixpath.dirname(from_page), to_page)


@lru_cache(maxsize=65536)
def _rel(from_dir: str, to_page: str) -> str:
    # Cached: a site of a thousand devices links the same few hundred targets from each folder
    # some hundred thousand times, and relpath normalises both paths every time.
    return posixpath.relpath(to_page, from_dir or ".")


def page_link(from_page: str, to_page: str, label: object, anchor: str = "") -> Md:
    return link(label, rel(from_page, to_page) + (f"#{anchor}" if anchor else ""))


def run_page(run: RunSummary) -> str:
    return _run_page(run.path)


def _run_page(path: str) -> str:
    """runs/2026/11/20261120T020000+0800.json -> inspections/runs/2026/11/20261120T020000_0800.md"""
    stem = path.removeprefix("runs/").removesuffix(".json").replace("+", "_")
    return f"inspections/runs/{stem}.md"


def run_link(from_page: str, run: RunSummary) -> Md:
    """A link to a run's page, labelled with its start."""
    return _run_link(posixpath.dirname(from_page), run.path, run.started)


@lru_cache(maxsize=4096)
def _run_link(from_dir: str, path: str, started: dt.datetime) -> Md:
    # Cached: every device page links the same last runs, from the same folder.
    return link(when(started), _rel(from_dir, _run_page(path)))


def month_page(day: dt.date | dt.datetime) -> str:
    return f"changes/{day:%Y-%m}.md"


def when(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _minute(value)
    return value.isoformat()


@lru_cache(maxsize=4096)
def _minute(value: dt.datetime) -> str:
    # Cached: the same run times are printed on a thousand device pages, and strftime is slow.
    return f"{value:%Y-%m-%d %H:%M}"


def outcome(strings: Strings, value: str | None) -> Md:
    if value in ("changed", "unchanged", "failed", "skipped"):
        label = strings(f"outcome_{value}")
        return Md(f"**{label}**") if value == "failed" else label
    return text(value or "")


def verdict(strings: Strings, value: str) -> Md:
    if value in ("normal", "abnormal", "unknown"):
        label = strings(f"verdict_{value}")
        return Md(f"**{label}**") if value != "normal" else label
    return text(value)


def short(sha: str | None) -> str:
    return (sha or "")[:10]


def state_rows(value: Any) -> tuple[list[str], list[list[object]]]:
    """A state topic (a list of flat mappings, or one mapping) as table headers and rows."""
    if isinstance(value, dict):
        return ["key", "value"], [[k, _flat(v)] for k, v in value.items()]
    if isinstance(value, list):
        headers: list[str] = []
        for row in value:
            for key in row if isinstance(row, dict) else ["value"]:
                if key not in headers:
                    headers.append(str(key))
        rows = [
            [_flat(row.get(h)) for h in headers] if isinstance(row, dict) else [_flat(row)] for row in value
        ]
        return headers, rows
    return ["value"], [[_flat(value)]]


def _flat(value: Any) -> object:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_flat(v)) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_flat(v)}" for k, v in value.items())
    return value


def topic_name(site: Site, topic: str) -> Md | str:
    """A state topic (`fans`) in the site's language (风扇); the topic itself if the catalogue has none."""
    key = f"topic_{topic}"
    return site.strings(key) if site.strings.has(key) else topic


def change_subject(site: Site, change: Change) -> str:
    """What a change touched: its config sections as the config writes them, or its state topics by name."""
    return ", ".join(change.sections) or ", ".join(str(topic_name(site, t)) for t in change.topics)


def detail(site: Site, stored: str) -> str:
    """A finding's detail in the site's language, read from the run record's English text through
    the catalogue's templates (netkb/inspection/details.py); as stored where none fits."""
    return localise(stored, site.strings)


def suggestion(site: Site, verdict: str, item_id: str, stored: str) -> str:
    """A finding's suggestion in the site's language: the checklist's (netkb/inspection/checklist.yaml,
    the catalogue of item texts) for an abnormal or unknown verdict, else the run record's text."""
    language = site.settings.language
    if verdict == "unknown":
        return site.checklist.unknown_suggestion.get(language)
    if verdict == "abnormal" and stored:
        try:
            return site.checklist.texts(item_id, language, site.settings.thresholds).suggestion
        except KeyError:  # an item the checklist no longer has
            return stored
    return stored


def item_label(site: Site, item_id: str) -> str:
    """A checklist item's name in the site's language (the id when the checklist has no such item)."""
    return site.item_labels.get(item_id, item_id)


def skip_note(site: Site, name: str) -> Md:
    """Why the inventory leaves a device out of collection, and until when."""
    skip, s = site.skipped[name], site.strings
    if skip.until:
        return s("skipped_until_note", reason=skip.reason, until=skip.until.isoformat())
    return s("skipped_note", reason=skip.reason)
