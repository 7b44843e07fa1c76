"""The asset register: inventory asset fields joined with what each device reports at HEAD.

The inventory says what the team bought (vendor, model, serial, purchase date, warranty end,
vendor support end, service level, contract); the device says what is there (`state/version`:
model and software; `state/manuinfo`: serial numbers). Where both speak and disagree, the row
carries a mismatch: a swapped chassis, an RMA not recorded, a typo in the register.
Warranties (and vendor support) that ended, or end within the warning days (default 90 and 30),
are flagged.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from netkb.generator.model import History
from netkb.inventory import DeviceEntry
from netkb.spec import PLATFORMS, find_spec, load_spec


def _vendors(platform: str) -> frozenset[str]:
    """Vendor names a platform's devices are sold under (lower case; its spec's `vendor_names`)."""
    spec = find_spec(platform)
    return spec.vendor_names if spec else frozenset()


@cache
def _vendor_words() -> re.Pattern[str]:
    """A vendor's name before a model (`H3C S7506E`): any spec's ASCII vendor names."""
    names = sorted({n for p in PLATFORMS for n in load_spec(p).vendor_names if n.isascii()}, key=len)
    return re.compile(rf"^(?:{'|'.join(re.escape(n) for n in reversed(names))})[\s-]+", re.IGNORECASE)


class Coverage(enum.StrEnum):
    ENDED = "ended"
    ENDING = "ending"  # within a warning window
    COVERED = "covered"
    UNKNOWN = "unknown"  # no date in the inventory


@dataclass(frozen=True)
class Term:
    """A warranty or vendor-support term as of a day."""

    end: dt.date | None
    coverage: Coverage
    days_left: int | None  # negative once ended
    within: int | None  # the smallest warning window (days) it falls in, when ending


@dataclass(frozen=True)
class Mismatch:
    field: str  # model / serial / vendor
    inventory: str
    reported: str


@dataclass(frozen=True)
class AssetRow:
    name: str
    platform: str
    role: str
    building: str
    vendor: str
    model: str  # inventory
    serial: str  # inventory
    purchase_date: dt.date | None
    service_level: str
    contract: str
    room: str
    rack: str
    reported_model: str  # "" when the device has not reported it
    reported_serial: str  # the chassis (or first) serial the device reports
    reported_serials: tuple[str, ...]  # every serial it reports (boards, fans, power)
    software: str
    mismatches: tuple[Mismatch, ...]
    warranty: Term
    support: Term  # the vendor's own support (end of service)


def term(end: dt.date | None, today: dt.date, warn_days: Iterable[int]) -> Term:
    if end is None:
        return Term(None, Coverage.UNKNOWN, None, None)
    left = (end - today).days
    if left < 0:
        return Term(end, Coverage.ENDED, left, None)
    within = min((d for d in warn_days if left <= d), default=None)
    return Term(end, Coverage.ENDING if within is not None else Coverage.COVERED, left, within)


def _model_key(model: str) -> str:
    return re.sub(r"\s+", "", _vendor_words().sub("", model.strip())).upper()


def _same_model(inventory: str, reported: str) -> bool:
    """`S7506E` vs `H3C S7506E` agree; a prefix agrees too (`S5130` vs `S5130-28S-EI`)."""
    a, b = _model_key(inventory), _model_key(reported)
    return a == b or a.startswith(b) or b.startswith(a)


def _serials(manuinfo: object) -> tuple[str, tuple[str, ...]]:
    rows = [r for r in manuinfo if isinstance(r, dict)] if isinstance(manuinfo, list) else []
    serials = tuple(str(r["serial"]) for r in rows if r.get("serial"))
    chassis = next((str(r["serial"]) for r in rows if r.get("slot") == "chassis" and r.get("serial")), "")
    return chassis or (serials[0] if serials else ""), serials


def asset_row(
    entry: DeviceEntry, state: dict[str, object], today: dt.date, warn_days: Iterable[int]
) -> AssetRow:
    warn = list(warn_days)
    version = state.get("version")
    version = version if isinstance(version, dict) else {}
    reported_model, software = str(version.get("model") or ""), str(version.get("software") or "")
    primary, serials = _serials(state.get("manuinfo"))
    asset = entry.asset
    mismatches = []
    if entry.model and reported_model and not _same_model(entry.model, reported_model):
        mismatches.append(Mismatch("model", entry.model, reported_model))
    if entry.serial and serials and entry.serial not in serials:
        mismatches.append(Mismatch("serial", entry.serial, primary))
    expected = _vendors(entry.platform.value)
    if asset.vendor and expected and asset.vendor.strip().lower() not in expected:
        mismatches.append(Mismatch("vendor", asset.vendor, f"{entry.platform.value} platform"))
    return AssetRow(
        name=entry.name,
        platform=entry.platform.value,
        role=entry.role,
        building=entry.building,
        vendor=asset.vendor or "",
        model=entry.model,
        serial=entry.serial,
        purchase_date=asset.purchase_date,
        service_level=asset.service_level or "",
        contract=asset.contract or "",
        room=asset.room or "",
        rack=asset.rack or "",
        reported_model=reported_model,
        reported_serial=primary,
        reported_serials=serials,
        software=software,
        mismatches=tuple(mismatches),
        warranty=term(asset.warranty_end, today, warn),
        support=term(asset.vendor_support_end, today, warn),
    )


def asset_register(
    devices: Iterable[DeviceEntry], history: History, today: dt.date, warn_days: Iterable[int] = (90, 30)
) -> list[AssetRow]:
    """One row per inventory device, in inventory order."""
    warn = list(warn_days)
    rows = []
    for entry in devices:
        device = history.devices.get(entry.name)
        rows.append(asset_row(entry, device.state if device else {}, today, warn))
    return rows


def as_of(rows: Iterable[AssetRow], today: dt.date, warn_days: Iterable[int]) -> list[AssetRow]:
    """The register on another day: only the warranty and support terms depend on the date."""
    warn = list(warn_days)
    out = []
    for row in rows:
        warranty, support = term(row.warranty.end, today, warn), term(row.support.end, today, warn)
        if warranty != row.warranty or support != row.support:
            row = replace(row, warranty=warranty, support=support)
        out.append(row)
    return out


def warranty_warnings(rows: Iterable[AssetRow]) -> list[AssetRow]:
    """Rows whose warranty or vendor support ended or ends soon, the most urgent first."""
    flagged = [
        r for r in rows if {r.warranty.coverage, r.support.coverage} & {Coverage.ENDED, Coverage.ENDING}
    ]

    def urgency(row: AssetRow) -> tuple[int, str]:
        days = [
            t.days_left
            for t in (row.warranty, row.support)
            if t.coverage in (Coverage.ENDED, Coverage.ENDING)
        ]
        return (min(d for d in days if d is not None), row.name)

    return sorted(flagged, key=urgency)
