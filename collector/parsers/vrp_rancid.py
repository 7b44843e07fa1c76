"""Huawei VRP: `display startup`, system software and configuration files (what RANCID records
beside the config; collector/parsers/rancid_state.py)."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.rancid_state import blocks, first_board, paths, value


def boot(text: str) -> dict[str, object]:
    board = first_board(text)
    if not re.search(r"^\s*Startup system software\s*:", board, re.M):
        raise ParseError("a 'Startup system software:' line not found")
    return {
        "current": paths(value(board, "Startup system software")),
        "next": paths(value(board, "Next startup system software")),
    }


def startup(text: str) -> dict[str, object]:
    board = first_board(text)
    if not re.search(r"^\s*Startup saved-configuration file\s*:", board, re.M):
        raise ParseError("a 'Startup saved-configuration file:' line not found")
    return {
        "current": value(board, "Startup saved-configuration file"),
        "next": value(board, "Next startup saved-configuration file"),
    }


# `display license verbose`: one `Item name :` block per licence item (V200R/V300R), under the
# licence file's `License state :`; `display license` on older S-series prints the items as a
# table (`LANJS5720EI01  Function  YES  description`).
_ITEM = re.compile(r"^\s*Item name\s*:\s*(?P<name>\S.*?)\s*$", re.M)
_ITEM_ROW = re.compile(
    r"^\s*(?P<name>\S+)\s+(?P<type>Function|Resource)\s+(?P<value>\S+)\s+(?P<description>\S.*?)\s*$", re.M
)
_NO_LICENCE = re.compile(
    r"(?i)\bno (?:valid )?licen[cs]e|\blicen[cs]e (?:file )?is not (?:activated|installed)"
)


def licences(text: str) -> list[dict[str, object]]:
    """Each licence item with its type (Function, Resource), state and control value (the used
    value, the expiry countdown and the trial days left are left out); a box that says it has
    no licence gives no row."""
    state = value(text, "License state")
    rows: list[dict[str, object]] = []
    for m, body in blocks(_ITEM, text):
        rows.append(
            {
                "name": m["name"],
                "type": value(body, "Item type"),
                "state": value(body, "Item state") or state,
                "value": value(body, "Control value"),
                "description": value(body, "Description"),
            }
        )
    if not rows:
        rows = [
            {
                "name": m["name"],
                "type": m["type"],
                "state": state,
                "value": m["value"],
                "description": m["description"],
            }
            for m in _ITEM_ROW.finditer(text)
        ]
    if not rows and text.strip() and not _NO_LICENCE.search(text):
        raise ParseError("an 'Item name' line or item table not found")
    return rows
