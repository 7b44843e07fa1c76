"""Cisco IOS: `show cdp neighbors detail`, where LLDP is off (issue 20 §1).

The IOS spec names it as the alternative of `show lldp neighbors detail` (netkb/specs/ios.yaml):
a switch with LLDP off answers `% LLDP is not enabled`, a vendor error, so the collector asks
for CDP and stores its output under the LLDP command; `ios_lldp.neighbours` hands a CDP output
here, and its rows join the same `neighbours` state (one schema: local interface, the name the
neighbour announces as its Device ID, its port, no chassis ID — CDP has none).

Read through ntc-templates' template; every `Device ID:` block must come back as a row, so a
block the template cannot read is an error, never a neighbour silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.common import textfsm_ntc
from netkb.collector.parsers.neighbour_table import neighbour

CDP_BLOCK = re.compile(r"^Device ID:", re.MULTILINE)


def cdp_neighbours(text: str, full_name: Callable[[str], str]) -> list[dict[str, object]]:
    """Rows of the shared `neighbours` schema; `full_name` expands a local interface name."""
    blocks = len(CDP_BLOCK.findall(text))
    if not blocks:
        raise ParseError("a 'Device ID:' block not found")
    rows = textfsm_ntc("cisco_ios", "show cdp neighbors detail", text)
    if len(rows) != blocks:
        raise ParseError(f"{blocks} 'Device ID:' blocks, {len(rows)} read")
    if lacking := [r["neighbor_name"] for r in rows if not r["local_interface"].strip()]:
        raise ParseError(f"no 'Interface:' line in the block of {lacking[0]!r}")
    return [
        neighbour(
            full_name(r["local_interface"].strip()),
            r["neighbor_name"],
            r["neighbor_interface"].strip(),
            None,
        )
        for r in rows
    ]
