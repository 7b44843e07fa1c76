"""Ruijie RGOS: `dir`, the flash listing (what RANCID records beside the config;
collector/parsers/rancid_state.py).

RGOS 11 prints its own layout, not the Cisco one: a `Mode Link Size MTime Name` table, `<DIR>` for
a directory, an ISO date, then `N files, M directories` and the byte totals. No real capture of it
was found (tests/real/rgos/SOURCES.md): the count line is checked against the rows read, so a
layout this parser does not know is a parse error, never a short listing.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.rancid_state import churn

_ROW = re.compile(
    r"^\s*(?P<mode><DIR>|[-dlrwx]{4,10})?\s+\d+\s+(?P<size>[\d,]+)\s+"
    r"\d{4}-\d{2}-\d{2}\s+\d{1,2}:\d{2}:\d{2}\s+(?P<name>\S.*?)\s*$"
)
_HEADER = re.compile(r"^\s*Mode\s+Link\s+Size\s+MTime\s+Name\s*$", re.M)
_COUNT = re.compile(r"^\s*(?P<files>\d+) files?, (?P<dirs>\d+) director(?:y|ies)\s*$", re.M)


def files(text: str) -> list[dict[str, object]]:
    """The regular files with their sizes; directories and files the device rewrites by itself
    (logs, traces) left out."""
    if not _HEADER.search(text):
        raise ParseError("a 'Mode Link Size MTime Name' line not found")
    rows, seen = [], 0
    for m in filter(None, map(_ROW.match, text.splitlines())):
        if m["mode"] == "<DIR>" or (m["mode"] or "").startswith("d") or m["name"].endswith("/"):
            continue
        seen += 1
        if not churn(m["name"]):
            rows.append({"name": m["name"], "size": int(m["size"].replace(",", ""))})
    count = _COUNT.search(text)
    if count and int(count["files"]) != seen:
        raise ParseError(f"{count['files']} files counted, {seen} file rows read")
    return rows
