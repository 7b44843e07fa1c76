"""Huawei VRP: `display startup`, system software and configuration files (what RANCID records
beside the config; collector/parsers/rancid_state.py)."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.rancid_state import first_board, paths, value


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
