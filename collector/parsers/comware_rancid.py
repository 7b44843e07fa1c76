"""H3C Comware: `display startup`, the configuration files (what RANCID records beside the
config; collector/parsers/rancid_state.py)."""

from __future__ import annotations

import re

from netkb.collector.parsers import ParseError
from netkb.collector.parsers.rancid_state import blocks, first_board, value


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


# `display boot-loader`, Comware 7: one block per board (`Software images on slot 1:`, `… on the
# device:`, `… on chassis 0 slot 1:`), each with three lists of image paths (or `None`).
_BOARD = re.compile(
    r"^\s*(?:Software images on (?P<on>.+?)|(?P<c5>Chassis \d+(?: Slot \d+)?|Slot \d+))\s*[:：]\s*$",
    re.M | re.I,
)
_LISTS = {
    "current": r"Current software images",
    "next": r"Main startup software images",
    "backup": r"Backup startup software images",
}
# Comware 5: `The boot file used at this reboot:flash:/x.bin attribute: main`, `… at the next reboot:…`.
_C5_FILE = re.compile(
    r"^\s*The boot file used (?:at )?(?P<when>this reboot|the next reboot|this time|next time)\s*:\s*"
    r"(?P<path>\S+?)(?:\s+attribute\s*:\s*(?P<attr>\w+))?\s*$",
    re.M | re.I,
)


def _images(block: str) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    key = None
    for line in block.splitlines():
        header = next((k for k, label in _LISTS.items() if re.match(rf"\s*{label}\s*:", line, re.I)), None)
        if header:
            key = header
            lists[key] = []
        elif key and line.strip() and line.strip().lower() != "none":
            lists[key].append(line.strip())
    for m in _C5_FILE.finditer(block):
        if m["when"].lower() in ("this reboot", "this time"):
            key = "current"
        else:
            key = "backup" if (m["attr"] or "").lower() == "backup" else "next"
        lists.setdefault(key, []).append(m["path"])
    return lists


def boot(text: str) -> dict[str, object]:
    """`display boot-loader`: the images this boot used, the main and the backup images of the next
    boot, of the first board; where more boards print theirs (IRF members, a standby main board),
    every board's lists under `slots`, so a member left on other images is recorded."""
    found = [((m["on"] or m["c5"]).strip(), _images(body)) for m, body in blocks(_BOARD, text)]
    boards = [(where, lists) for where, lists in found or [("", _images(text))] if lists]
    if not boards:
        raise ParseError("no 'Current software images:' or 'The boot file used' line found")
    first = boards[0][1]
    row: dict[str, object] = {"current": first.get("current"), "next": first.get("next", [])}
    if "backup" in first:
        row["backup"] = first["backup"]
    if len(boards) > 1:
        row["slots"] = [{"slot": where, **lists} for where, lists in boards]
    return row


# `display license` (Comware 7): one block per licence, opened by `Feature:` (after the activation
# file's path, where one was installed); `Slot 1:` / `Chassis 2:` heads a board's licences.
_FEATURE = re.compile(r"^\s*Feature\s*:\s*(?P<name>\S.*?)\s*$", re.M)
_NO_LICENCE = re.compile(
    r"(?i)\bno (?:valid )?licen[cs]e|\blicen[cs]es? (?:is|are) not (?:installed|activated)"
)


def licences(text: str) -> list[dict[str, object]]:
    """`display license`: each licence's features with its type, state and description (the days
    left are left out: a days-restricted licence counts them down every night). A box that says it
    has no licence gives no row."""
    rows: list[dict[str, object]] = []
    for m, body in blocks(_FEATURE, text):
        board = [b for b in _BOARD.finditer(text[: m.start()]) if b["c5"]]
        row = {
            "name": m["name"],
            "type": value(body, "License Type"),
            "state": value(body, "Current State"),
            "description": value(body, "(?:Product|Feature) Description"),
        }
        rows.append({**row, **({"slot": board[-1]["c5"]} if board else {})})
    if not rows and text.strip() and not _NO_LICENCE.search(text):
        raise ParseError("a 'Feature:' line not found")
    return rows
