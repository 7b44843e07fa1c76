"""Neighbour tables printed in fixed columns (LLDP brief lists), read by the header's positions.

A value may hold a space (`Port 1`, a system name) and a long system name may wrap onto the
next line, so rows are cut where the header's columns start rather than split on spaces.
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError


def column_rows(text: str, header: re.Pattern[str], columns: dict[str, str]) -> list[dict[str, str]]:
    """Rows of the table under the first line `header` matches, keyed by `columns` (printed
    header word -> key), cut at the header's column starts. A line holding one word where the
    first column is the system name continues the name above (Comware wraps long names)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if header.search(line)), None)
    if start is None:
        raise ParseError("a neighbour table header not found")
    head = lines[start]
    found = sorted((head.index(word), key) for word, key in columns.items() if word in head)
    if len(found) != len(columns):
        raise ParseError(f"the neighbour table header {head.strip()!r} lacks a column")
    rows: list[dict[str, str]] = []
    for line in lines[start + 1 :]:
        if not line.strip() or re.fullmatch(r"\s*-+\s*", line):
            continue
        if rows and found[0][1] == "neighbour" and len(line.split()) == 1 and not line[0].isspace():
            rows[-1]["neighbour"] += line.strip()  # a wrapped system name
            continue
        row = {}
        for i, (position, key) in enumerate(found):
            end = found[i + 1][0] if i + 1 < len(found) else None
            row[key] = line[position:end].strip()
        if not row[found[0][1]] or len(line.split()) < len(found) - 1:
            raise ParseError(f"a neighbour row, got {line.strip()!r}")
        rows.append(row)
    return rows


def neighbour(local: str, name: str, port: str, chassis: str | None) -> dict[str, object]:
    """One row of the shared `neighbours` schema; `-` or an empty name is None (not advertised)."""
    return {
        "interface": local,
        "neighbour": None if name in ("", "-") else name,
        "neighbour_interface": port or None,
        "chassis_id": chassis or None,
    }


_SHORT_NAME = re.compile(r"^(?P<prefix>\d*[A-Za-z]+?)(?P<rest>\d.*)$")


def expand_name(name: str, abbreviations: dict[str, str]) -> str:
    """`GE0/0/1` -> `GigabitEthernet0/0/1` by a platform's table; a name it does not know stays."""
    m = _SHORT_NAME.match(name)
    return abbreviations[m["prefix"]] + m["rest"] if m and m["prefix"] in abbreviations else name
