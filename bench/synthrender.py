"""The synthetic network's shortcuts around the collector's slow steps, each checked against the
collector's own function by tests/bench/test_synthrepo.py.

Sections of a changed config are found the way `collector.sections.changed_sections` finds them
(the same block normalisation and difflib alignment), with the top-level owner of a line taken
by indentation instead of a ciscoconfparse parse (30 ms a config: too slow for 50 a night).
A config is redacted line by line, reusing the last render's lines (`redact_lines`).
"""

from __future__ import annotations

import base64
import difflib
import hashlib

from netkb.collector.redact import redact
from netkb.collector.sections import MAX_LABEL, normalise_blocks
from netkb.lab.model import Device
from netkb.spec import PlatformSpec

REDACTION_KEY = b"netkb-bench-synthetic-key"


_CONFIG_TOPICS = {"interfaces", "vlans"}


def config_path(name: str) -> str:
    return f"devices/{name}/config.txt"


def redact_lines(cleaned: str, previous_cleaned: str, previous_redacted: str, spec: PlatformSpec) -> str:
    """`redact(cleaned)`, line by line, reusing the last render's result for unchanged lines.

    Every secret rule matches within one line (tests re-render every device in full and compare),
    so redacting lines one at a time gives the text redacting it whole gives; a redaction keeps
    the lines, so the last render's lines pair up with its redacted lines.
    """
    known = dict(zip(previous_cleaned.split("\n"), previous_redacted.split("\n"), strict=True))
    return "\n".join(
        known[line] if line in known else redact(line, spec, REDACTION_KEY) for line in cleaned.split("\n")
    )


def host_key_line(dev: Device) -> bytes:
    blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + hashlib.sha256(dev.name.encode()).digest()
    return f"{dev.mgmt_ip} ssh-ed25519 {base64.b64encode(blob).decode()}\n".encode()


def sections_changed(old: str, new: str) -> list[str]:
    """`collector.sections.changed_sections`, with each line's owner found by indentation."""
    old_lines, new_lines = normalise_blocks(old.splitlines()), normalise_blocks(new.splitlines())
    old_owner, new_owner = _owners(old_lines), _owners(new_lines)
    # Lines equal at both ends are equal in any alignment: difflib sees only the middle.
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < min(len(old_lines), len(new_lines)) - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    old_lines, new_lines = old_lines[head : len(old_lines) - tail], new_lines[head : len(new_lines) - tail]
    old_owner, new_owner = old_owner[head : len(old_owner) - tail], new_owner[head : len(new_owner) - tail]
    sections: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            for label in old_owner[i1:i2] + new_owner[j1:j2]:
                if label and label not in sections:
                    sections.append(label)
    return [s if len(s) <= MAX_LABEL else s[: MAX_LABEL - 1] + "…" for s in sections]


def _owners(lines: list[str]) -> list[str]:
    owners, top = [], ""
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped[0] in "#!":
            owners.append("")
            continue
        if not line[0].isspace():
            top = stripped
        owners.append(top)
    return owners
