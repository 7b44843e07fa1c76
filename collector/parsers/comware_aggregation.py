"""Comware `display link-aggregation verbose`: the member ports of each aggregate.
The schema: collector/parsers/aggregation.py."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.aggregation import Row, member
from netkb.collector.parsers.comware_net import full_interface_name as comware_name

_COMWARE_AGG = re.compile(r"^Aggregat(?:e|ion) Interface:\s*(\S+)\s*$")
_COMWARE_PORT = re.compile(r"^\s+(\S+?)(?:\([A-Z]\))?\s+([SUI])\s+\d+")


def comware_aggregation(text: str) -> list[Row]:
    rows: list[Row] = []
    aggregate, local, seen = None, False, 0
    for line in text.splitlines():
        if m := _COMWARE_AGG.match(line):
            aggregate, local, seen = comware_name(m.group(1)), False, seen + 1
        elif line.startswith("Local:"):
            local = aggregate is not None
        elif line.startswith("Remote:") or not line.strip():
            local = False
        elif local and (m := _COMWARE_PORT.match(line)):
            rows.append(member(str(aggregate), comware_name(m.group(1)), m.group(2) == "S"))
    if text.strip() and not seen and not re.search(r"^Port Status:", text, re.M):
        raise ParseError("an 'Aggregate Interface:' block or the status legend not found")
    if seen and not rows:
        raise ParseError("an aggregate without a 'Local:' port table")
    return rows
