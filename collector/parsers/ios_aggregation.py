"""IOS `show etherchannel summary`: the member ports of each channel group.
The schema: collector/parsers/aggregation.py."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.aggregation import Row, member
from netkb.collector.parsers.ios_lldp import full_interface_name as ios_name

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
                member(bundle, ios_name(p), f in ("P", "bndl")) for p, f in _IOS_MEMBER.findall(m.group(5))
            ]
        elif bundle is not None and line[0].isspace():
            rows += [member(bundle, ios_name(p), f in ("P", "bndl")) for p, f in _IOS_MEMBER.findall(line)]
        else:
            bundle = None  # the legend after the table (`RU - L3 port-channel UP State`)
    if groups != int(count.group(1)):
        raise ParseError(f"{count.group(1)} channel groups in use, {groups} read")
    return rows
