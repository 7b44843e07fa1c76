"""Huawei VRP: `display lldp neighbor brief` (no ntc template: its huawei_vrp one reads the
verbose `display lldp neighbor`). Columns `Local Intf  Neighbor Dev  Neighbor Intf  Exptime(s)`."""

from __future__ import annotations

import re

from netkb.collector.parsers.neighbour_table import column_rows, expand_name, neighbour

_HEADER = re.compile(r"^\s*Local Intf\s+Neighbor Dev\s+Neighbor Intf")
_COLUMNS = {"Local Intf": "interface", "Neighbor Dev": "neighbour", "Neighbor Intf": "port", "Exptime": "exp"}
# The brief list abbreviates; `display interface brief` and the config print full names
# (`40GE0/0/1`, `MultiGE0/0/2`, `MEth0/0/1` are full already).
_ABBREVIATIONS = {
    "GE": "GigabitEthernet",
    "XGE": "XGigabitEthernet",
    "Eth": "Ethernet",
}


def full_interface_name(name: str) -> str:
    return expand_name(name, _ABBREVIATIONS)


def neighbours(text: str) -> list[dict[str, object]]:
    if not text.strip():
        return []
    rows = column_rows(text, _HEADER, _COLUMNS)
    return [neighbour(full_interface_name(r["interface"]), r["neighbour"], r["port"], None) for r in rows]
