"""H3C Comware: `display startup`, the configuration files (what RANCID records beside the
config; collector/parsers/rancid_state.py)."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.rancid_state import first_board, value


def startup(text: str) -> dict[str, object]:
    """`display startup`: Comware 7 prints `Next main startup saved-configuration file`, Comware 5
    `Next startup saved-configuration file`; the backup file is kept where set."""
    board = first_board(text)
    if not re.search(r"^\s*Current startup saved-configuration file\s*:", board, re.M):
        raise ParseError("a 'Current startup saved-configuration file:' line not found")
    row: dict[str, object] = {
        "current": value(board, "Current startup saved-configuration file"),
        "next": value(board, "Next (?:main )?startup saved-configuration file"),
    }
    backup = value(board, "Next backup startup saved-configuration file")
    if backup:
        row["backup"] = backup
    return row
