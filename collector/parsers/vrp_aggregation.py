"""VRP `display eth-trunk`: the member ports of each Eth-Trunk.
The schema: collector/parsers/aggregation.py."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.aggregation import Row, member
from netkb.collector.parsers.vrp_lldp import full_interface_name as vrp_name

_VRP_TRUNK = re.compile(r"^\s*(Eth-Trunk\d+)'s state information is:")
_VRP_HEADER = re.compile(r"^\s*(?:Actor)?PortName\s+Status\s+")
_VRP_PORT = re.compile(r"^\s*(\S+)\s+(Up|Down|Selected|Unselect)\s+", re.IGNORECASE)


def vrp_aggregation(text: str) -> list[Row]:
    if not text.strip() or re.search(r"^\s*Info:\s+No valid trunk in the system", text, re.M):
        return []
    rows: list[Row] = []
    trunk, ports, trunks = None, False, 0
    for line in text.splitlines():
        if m := _VRP_TRUNK.match(line):
            trunk, ports, trunks = m.group(1), False, trunks + 1
        elif line.strip().startswith("Partner:") or not line.strip():
            ports = False
        elif _VRP_HEADER.match(line):
            ports = trunk is not None
        elif ports and (m := _VRP_PORT.match(line)):
            selected = m.group(2).lower() in ("up", "selected")
            rows.append(member(str(trunk), vrp_name(m.group(1)), selected))
    if not trunks:
        raise ParseError("an 'Eth-Trunk…'s state information is:' block not found")
    return rows
