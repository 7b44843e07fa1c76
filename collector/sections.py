"""Which top-level sections of a config changed: the words of a commit message.

ciscoconfparse finds each line's top-level parent. Comware and VRP need one adjustment
first: global commands are indented by one space inside `#`-separated blocks
(` sysname core-1`, ` ospf 1` with `  area 0.0.0.0` under it), so each such block is
dedented by one before parsing; otherwise every global command would look like a child.
"""

from __future__ import annotations

import difflib

from ciscoconfparse import CiscoConfParse
from loguru import logger

logger.disable("ciscoconfparse")  # it logs an INFO line per parse

MAX_LABEL = 60


def normalise_blocks(lines: list[str]) -> list[str]:
    """Dedent Comware/VRP `#` blocks whose first line is indented by one space."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block and block[0].startswith(" ") and not block[0].startswith("  "):
            out.extend(line[1:] if line.startswith(" ") else line for line in block)
        else:
            out.extend(block)
        block.clear()

    for line in lines:
        if line.strip() in ("#", "!"):
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return out


def _top_level(lines: list[str], syntax: str) -> list[str]:
    """For each line, the top-level line it belongs to ('' for separators)."""
    parse = CiscoConfParse(lines, syntax=syntax, comment="#!")
    owners = [""] * len(lines)
    for obj in parse.objs:
        parents = obj.all_parents
        owners[obj.linenum] = (parents[0].text if parents else obj.text).strip()
    return owners


def changed_sections(old: str, new: str, syntax: str) -> list[str]:
    """Top-level sections touched by the change from `old` to `new`, in config order; `syntax` is
    the ciscoconfparse dialect of the platform's config (its spec's `config_syntax`)."""
    old_lines = normalise_blocks(old.splitlines())
    new_lines = normalise_blocks(new.splitlines())
    old_owner, new_owner = _top_level(old_lines, syntax), _top_level(new_lines, syntax)
    sections: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        touched = old_owner[i1:i2] + new_owner[j1:j2]
        for label in touched:
            if label and label not in ("#", "!") and label not in sections:  # separators are no section
                sections.append(label)
    return [s if len(s) <= MAX_LABEL else s[: MAX_LABEL - 1] + "…" for s in sections]
