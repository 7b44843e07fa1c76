"""What RANCID records on every device beside its config, as durable state: the file system
listing (`dir`), boot images and startup configuration names, licences and IOS VTP status.

Only what stays the same from night to night is kept, so that an unchanged device makes no
change: the names and sizes of files (never the free bytes, dates or index numbers), the boot
and startup file names, licence names with their type and state (never an evaluation
licence's days left), VTP's version, domain, mode and pruning (never its revision or digest).

This module holds what every platform shares: the `dir` listing (one row layout on all of them,
tested on real captures in tests/real/*/dir/) and the `label : value` lines; each platform's own
commands are read in <platform>_rancid.py.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError

# `   12  -rw-    46  Apr 22 2016 12:36:24 +00:00  name` (IOS), `  6  -rw-  14,940  Nov 11 2019
# 20:16:35   name` (VRP), `   8 -rw-  3717 Nov 07 2025 03:37:54   name` (Comware): index,
# attributes (one IOS-XE capture prints `-rw  -`), size (`-` for a directory), a date, the name.
_DIR_ROW = re.compile(
    r"^\s*\d+\s+(?P<attr>[-d][-rwxsh]{2,4}(?:\s+-(?=\s+\d))?)\s+(?P<size>[\d,]+|-)\s+"
    r"(?P<date>.*?\d{1,2}:\d{2}(?::\d{2})?(?:\s+[+-]\d{2}:?\d{2})?|<no date>)\s+(?P<name>\S.*?)\s*$"
)
_DIR_HEADER = re.compile(r"^\s*(?:Directory of \S+|\d[\d,]* (?:KB|bytes) total\b.*)$", re.M)
# Files a device rewrites on its own: logs, traces, crash dumps, temporary and lock files.
_CHURN = re.compile(r"(?i)(?:\.log(?:\.\d+)?|\.tmp|\.lck|\.gz)$|^(?:tracelogs|crashinfo|logfile|\.)")


def churn(name: str) -> bool:
    """A file the device rewrites by itself: a log, a trace, a crash dump, a temporary file."""
    return bool(_CHURN.search(name))


_DIRECTORY = re.compile(r"^\s*Directory of (?P<path>\S+?)/?\*?\s*$")


def files(text: str) -> list[dict[str, object]]:
    """The regular files of a `dir` listing with their sizes; directories, and files the
    device rewrites by itself (logs, traces), left out. A recursive listing (`dir /recursive`:
    one `Directory of` block per directory) names a nested file by its path under the first."""
    if not _DIR_HEADER.search(text):
        raise ParseError("a 'Directory of' or '… total' line not found")
    rows, top, prefix = [], None, ""
    for line in text.splitlines():
        if d := _DIRECTORY.match(line):
            top = top or d["path"]
            prefix = d["path"].removeprefix(top).lstrip("/")
            prefix = f"{prefix}/" if prefix else ""
            continue
        m = _DIR_ROW.match(line)
        name = prefix + m["name"] if m else ""
        if not m or m["attr"].startswith("d") or m["size"] == "-" or churn(name):
            continue
        rows.append({"name": name, "size": int(m["size"].replace(",", ""))})
    return rows


def blocks(heading: re.Pattern[str], text: str) -> list[tuple[re.Match[str], str]]:
    """Each heading line `heading` finds, with the text after it up to the next heading."""
    heads = list(heading.finditer(text))
    ends = [m.start() for m in heads[1:]] + [len(text)]
    return [(m, text[m.end() : end]) for m, end in zip(heads, ends, strict=False)]  # no heading: []


def value(text: str, label: str) -> str | None:
    """The value after `label` and `:` (or `=`); None where the line is absent, empty or NULL."""
    m = re.search(rf"^[ \t]*{label}[ \t]*[:=][ \t]*(.*?)[ \t]*$", text, re.M | re.I)
    if not m or m.group(1).lower() in ("", "null", "none"):
        return None
    return m.group(1).removesuffix("(*)").strip()


def paths(value: str | None) -> list[str]:
    return [p for p in re.split(r"[;,]\s*", value or "") if p]


def first_board(text: str) -> str:
    """The first board's block (`MainBoard:`); a stack prints one block per member, all alike."""
    blocks = re.split(r"^\s*(?:MainBoard|Slot \d+|Chassis \d+ Slot \d+)\s*:\s*$", text, flags=re.M)
    return next((b for b in blocks if b.strip()), "")
