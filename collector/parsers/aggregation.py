"""Link aggregation membership (issue 20 §1): which physical ports are members of which
aggregate, and whether each is selected (bundled, forwarding). One schema for every platform,
state topic `aggregation`: `{aggregate, member, selected}` with full interface names, so the
campus graph (generator/topology.py) draws the members of one aggregate as one thick link.

- Comware `display link-aggregation verbose`: an `Aggregate Interface:` (Comware 7) or
  `Aggregation Interface:` (Comware 5, routers) block per aggregate, its `Local:` ports with a
  status letter (S selected, U unselected, I individual);
- VRP `display eth-trunk`: an `Eth-TrunkN's state information is:` block per trunk, its ports
  with `Up`/`Down` (manual mode) or `Selected`/`Unselect` (LACP); `Info: No valid trunk in the
  system.` when there is none;
- IOS `show etherchannel summary`: a group per line (its members may wrap onto indented lines),
  members with their flags (`P`/`bndl` bundled). Read here rather than through ntc-templates,
  whose template backtracks for seconds on a damaged line.

Each parser checks that every aggregate it saw came back (a block it could not read is an
error, never a link silently shown as single).
"""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.comware_net import full_interface_name as comware_name
from netkb.collector.parsers.ios_lldp import full_interface_name as ios_name
from netkb.collector.parsers.vrp_lldp import full_interface_name as vrp_name

Row = dict[str, object]

_COMWARE_AGG = re.compile(r"^Aggregat(?:e|ion) Interface:\s*(\S+)\s*$")
_COMWARE_PORT = re.compile(r"^\s+(\S+?)(?:\([A-Z]\))?\s+([SUI])\s+\d+")


def _member(aggregate: str, member: str, selected: bool) -> Row:
    return {"aggregate": aggregate, "member": member, "selected": selected}


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
            rows.append(_member(str(aggregate), comware_name(m.group(1)), m.group(2) == "S"))
    if text.strip() and not seen and not re.search(r"^Port Status:", text, re.M):
        raise ParseError("an 'Aggregate Interface:' block or the status legend not found")
    if seen and not rows:
        raise ParseError("an aggregate without a 'Local:' port table")
    return rows


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
            rows.append(_member(str(trunk), vrp_name(m.group(1)), selected))
    if not trunks:
        raise ParseError("an 'Eth-Trunk…'s state information is:' block not found")
    return rows


_IOS_GROUP = re.compile(r"^(\d+)\s+(\S+?)\((\w+)\)\s+(\S+)\s*(.*)$")
_IOS_MEMBER = re.compile(r"(\S+?)\((\w+)\)")


def ios_aggregation(text: str) -> list[Row]:
    if not text.strip():
        return []
    count = re.search(r"^Number of channel-groups in use:\s*(\d+)", text, re.M)
    if count is None:
        raise ParseError("'Number of channel-groups in use' not found")
    rows: list[Row] = []
    bundle, groups, table = None, 0, False
    for line in text.splitlines():
        if re.match(r"^Group\s+Port-channel\s+Protocol", line):
            table = True
        elif not table or not line.strip() or line.startswith("-"):
            continue
        elif m := _IOS_GROUP.match(line):
            bundle, groups = ios_name(m.group(2)), groups + 1
            rows += [
                _member(bundle, ios_name(p), f in ("P", "bndl")) for p, f in _IOS_MEMBER.findall(m.group(5))
            ]
        elif bundle is not None and line[0].isspace():
            rows += [_member(bundle, ios_name(p), f in ("P", "bndl")) for p, f in _IOS_MEMBER.findall(line)]
        else:
            bundle = None  # the legend after the table (`RU - L3 port-channel UP State`)
    if groups != int(count.group(1)):
        raise ParseError(f"{count.group(1)} channel groups in use, {groups} read")
    return rows
