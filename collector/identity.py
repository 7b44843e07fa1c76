"""Who answered: the device's own name and serial numbers, against what the inventory expects.

An inventory address that points at another switch (a typo, a re-used IP) must not put that
switch's config into this device's history. A collect compares who answered with who was
expected: the inventory's `sysname` where given, and the last good snapshot's name and serial
numbers. A device replaced on purpose is accepted once with `netkb accept DEVICE`, which leaves
a marker (`accepted/<device>`) in the snapshot repository until the next good collect. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netkb.spec import find_spec

ACCEPTED_DIR = "accepted"

_NO_SERIAL = {"", "none", "n/a", "na", "unknown", "-", "--"}


def accepted_file(device: str) -> str:
    """The marker of an accepted replacement, relative to the snapshot repository."""
    return f"{ACCEPTED_DIR}/{device}"


@dataclass(frozen=True)
class Identity:
    name: str | None  # sysname / hostname as configured
    serials: frozenset[str]  # serial numbers the device reports (chassis, boards, supplies)

    def describe(self) -> str:
        serials = f" (serial {', '.join(sorted(self.serials)[:2])})" if self.serials else ""
        return f"{self.name or 'no name'!r}{serials}"


def identity_of(platform: str, config: str, manuinfo: Any) -> Identity:
    """The name a config sets and the serials of a parsed `manuinfo` state (a list of rows)."""
    spec = find_spec(platform)
    pattern = spec.hostname if spec else None  # the spec's `identity.hostname`
    m = pattern.search(config) if pattern else None
    serials = frozenset(
        str(row.get("serial")).strip()
        for row in (manuinfo if isinstance(manuinfo, list) else [])
        if isinstance(row, dict) and str(row.get("serial") or "").strip().lower() not in _NO_SERIAL
    )
    return Identity(m.group(1) if m else None, serials)


def mismatch(device: str, expected_name: str | None, before: Identity | None, now: Identity) -> str | None:
    """Why the device that answered is not `device`, or None when nothing says so."""
    if expected_name and now.name and now.name != expected_name:
        return (
            f"the device that answered is {now.describe()}, but the inventory says {device} is "
            f"{expected_name!r}: check its address; if the name changed on purpose, update `sysname`"
        )
    if before is None:
        return None
    other_name = bool(before.name and now.name and before.name != now.name)
    other_serials = bool(before.serials and now.serials and before.serials.isdisjoint(now.serials))
    if other_name or other_serials:
        return (
            f"the device that answered is {now.describe()}, but {device}'s last good snapshot is "
            f"{before.describe()}: the inventory address may point at another device; if {device} "
            f"was replaced or renamed on purpose, run `netkb accept {device}`"
        )
    return None
