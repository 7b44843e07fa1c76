"""Ruijie RGOS: `show lldp neighbors detail`, one block per port:
`LLDP neighbor-information of port [GigabitEthernet 0/1]` then `  System name   : …`,
`  Chassis ID   : …`, `  Port ID   : …` lines (no ntc template for Ruijie)."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.neighbour_table import neighbour

_BLOCK = re.compile(r"^LLDP neighbor-information of port \[(?P<port>[^\]]+)\]\s*$", re.M)
_FIELD = re.compile(r"^\s*(?P<key>Chassis ID|System name|Port ID)\s*:\s*(?P<value>.*?)\s*$", re.M)


def neighbours(text: str) -> list[dict[str, object]]:
    blocks = list(_BLOCK.finditer(text))
    if not blocks:
        if not text.strip() or re.search(r"^\s*No LLDP neighbou?r", text, re.M | re.I):
            return []
        raise ParseError("an 'LLDP neighbor-information of port [...]' block not found")
    rows = []
    for i, block in enumerate(blocks):
        end = blocks[i + 1].start() if i + 1 < len(blocks) else len(text)
        fields = {m["key"]: m["value"] for m in _FIELD.finditer(text, block.end(), end)}
        if "Port ID" not in fields:
            raise ParseError(f"no 'Port ID' for port [{block['port']}]")
        rows.append(
            neighbour(
                block["port"], fields.get("System name", ""), fields["Port ID"], fields.get("Chassis ID")
            )
        )
    return rows
