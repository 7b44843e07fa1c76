"""H3C Comware: `display lldp neighbor-information list`.

ntc-templates has a template for it, but it drops the second line of a system name too long
for its column (`SEP0000000000A0.exam` + `ple.com`, its own test capture list2), so a wrapped
name would be stored cut; this parser reads the header's columns and joins the lines
(tests/collector/test_lldp_parsers.py shows the case).
"""

from __future__ import annotations

import re

from netkb.collector.parsers.comware_net import full_interface_name
from netkb.collector.parsers.neighbour_table import column_rows, neighbour

_HEADER = re.compile(r"^\s*(?:System Name\s+Local Interface|Local Interface\s+Chassis ID)")
_COLUMNS = {
    "System Name": "neighbour",
    "Local Interface": "interface",
    "Chassis ID": "chassis",
    "Port ID": "port",
}


def neighbours(text: str) -> list[dict[str, object]]:
    if not text.strip():
        return []  # LLDP on, no neighbour: Comware prints nothing
    rows = column_rows(text, _HEADER, _COLUMNS)
    return [
        neighbour(full_interface_name(r["interface"]), r["neighbour"], r["port"], r["chassis"]) for r in rows
    ]
