"""The spare-parts ledger: `spares.yml` in the records folder; the parts used come from the records.

    parts:
      - part: LSQM1FANSC0                  # the part number
        description: S7500E 风扇框
        fits: [S7500E]                     # the device models it fits (inventory `model`)
        minimum: 1                         # keep at least this many in stock (0: no minimum)
        received:
          - {date: 2026-09-01, quantity: 2, unit_cost: 1850}

What was used is what incidents record (`parts:`, netkb/records/effort.py), each linked to its
incident and device; stock = received − used. `netkb check` refuses a part number the ledger
does not list, a part on a device whose model it does not fit, and more used than received. A
project without spares.yml has no ledger: the parts records name are then not checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Protocol, TypeVar

from pydantic import Field

from netkb.inventory import ConfigFileError, Strict, read_yaml, validate
from netkb.records.effort import Code, Money, PartUse, device_of
from netkb.records.incidents import Incident
from netkb.records.requests import ServiceRequest

FILE = "spares.yml"


class Receipt(Strict):
    date: dt.date
    quantity: Annotated[int, Field(ge=1)]
    unit_cost: Money  # per piece
    note: str = ""  # supplier, order number …


class Part(Strict):
    part: Code
    description: str = ""
    fits: Annotated[list[Code], Field(min_length=1)]  # device models
    minimum: Annotated[int, Field(ge=0)] = 0
    received: list[Receipt] = Field(default_factory=list)

    @property
    def quantity(self) -> int:
        return sum(r.quantity for r in self.received)

    @property
    def unit_cost(self) -> float | None:
        """The average unit cost of what was received (None: nothing received)."""
        return sum(r.quantity * r.unit_cost for r in self.received) / self.quantity if self.received else None

    def fits_model(self, model: str) -> bool:
        return model.casefold() in {m.casefold() for m in self.fits}


class _File(Strict):
    parts: list[Part] = Field(default_factory=list)


@dataclass(frozen=True)
class Use:
    """One part put into a device, as an incident records it."""

    part: str
    incident: str  # the id of the incident (or service request) that put it in
    path: str  # its file, e.g. incidents/2026-09-15-core-1-fan.md
    device: str
    date: dt.date  # when it went in: the incident's resolved (else on-site, else reported) day
    serial_out: str
    serial_in: str
    cost: float | None


@dataclass(frozen=True)
class Stock:
    part: Part
    used: tuple[Use, ...]

    @property
    def on_hand(self) -> int:
        return self.part.quantity - len(self.used)

    @property
    def low(self) -> bool:
        return self.on_hand < self.part.minimum


@dataclass(frozen=True)
class Ledger:
    parts: tuple[Part, ...]
    uses: tuple[Use, ...]  # by date

    def stock(self) -> list[Stock]:
        return [Stock(p, tuple(u for u in self.uses if u.part == p.part)) for p in self.parts]

    def low(self) -> list[Stock]:
        return [s for s in self.stock() if s.low]

    def of_device(self, name: str) -> list[Use]:
        return [u for u in self.uses if u.device == name]


class _Request(Protocol):
    """A service request as the ledger reads it (netkb/records/requests.py)."""

    @property
    def id(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def devices(self) -> tuple[str, ...]: ...
    @property
    def parts(self) -> tuple[PartUse, ...]: ...
    @property
    def received(self) -> dt.datetime: ...
    @property
    def dispatched(self) -> dt.datetime | None: ...
    @property
    def fulfilled(self) -> dt.datetime | None: ...


def uses_of(incidents: list[Incident], requests: Sequence[_Request] = ()) -> list[Use]:
    """Every part put in, by an incident (on the day it was resolved, else visited, else reported)
    or by a service request (fulfilled, else dispatched, else received)."""
    records: list[tuple[str, str, tuple[str, ...], tuple[PartUse, ...], dt.datetime]] = [
        (i.id, i.path, i.devices, i.parts, i.resolved or i.onsite or i.reported) for i in incidents
    ]
    records += [
        (r.id, r.path, r.devices, r.parts, r.fulfilled or r.dispatched or r.received) for r in requests
    ]
    uses = []
    for record_id, path, devices, parts, moment in records:
        for p in parts:
            device = device_of(p, devices)
            uses.append(
                Use(p.part, record_id, path, device, moment.date(), p.serial_out, p.serial_in, p.cost)
            )
    return sorted(uses, key=lambda u: (u.date, u.incident))


def _checks(parts: list[Part], uses: list[Use], models: Mapping[str, str]) -> list[str]:
    problems = []
    by_number: dict[str, int] = {}
    for n, p in enumerate(parts):
        if p.part in by_number:
            first = by_number[p.part]
            problems.append(f"{FILE}: parts[{n}].part: {p.part!r} is also parts[{first}]: merge the two")
        by_number.setdefault(p.part, n)
    for u in uses:
        index = by_number.get(u.part)
        if index is None:
            problems.append(
                f"{u.path}: parts: {u.part!r} is not a part of {FILE}: add it there, or correct it"
            )
            continue
        model = models.get(u.device, "")
        if model and not parts[index].fits_model(model):
            problems.append(
                f"{u.path}: parts: {u.part!r} does not fit {u.device} (model {model}; it fits "
                f"{', '.join(parts[index].fits)}): correct the part, or its fits in {FILE}"
            )
    for n, p in enumerate(parts):
        used = [u for u in uses if u.part == p.part]
        if len(used) > p.quantity:
            problems.append(
                f"{FILE}: parts[{n}] ({p.part}): {len(used)} used ({', '.join(u.incident for u in used)}) "
                f"but {p.quantity} received: add the receipt under received, or correct the incidents"
            )
    return problems


def load_ledger(
    folder: Path, incidents: list[Incident], models: Mapping[str, str], requests: Sequence[_Request] = ()
) -> tuple[Ledger | None, list[str]]:
    """The ledger of `folder`/spares.yml and every problem; `models`: device -> inventory model
    ("" or absent: not checked). None when there is no spares.yml."""
    path = folder / FILE
    if not path.exists():
        return None, []
    try:
        data = read_yaml(path)
        ledger = validate(_File, {} if data is None else data, Path(FILE))
    except ConfigFileError as exc:
        return None, exc.problems
    uses = uses_of(incidents, requests)
    return Ledger(tuple(ledger.parts), tuple(uses)), _checks(ledger.parts, uses, models)


_Record = TypeVar("_Record", Incident, ServiceRequest)


def priced(records: list[_Record], ledger: Ledger | None) -> list[_Record]:
    """The incidents or requests with each part's cost: the record's, else the ledger's average unit cost."""
    if ledger is None:
        return records
    costs = {p.part: p.unit_cost for p in ledger.parts}
    out = []
    for i in records:
        if any(p.cost is None and costs.get(p.part) is not None for p in i.parts):
            parts = [
                p if p.cost is not None else p.model_copy(update={"cost": costs.get(p.part)}) for p in i.parts
            ]
            i = replace(i, parts=tuple(parts))
        out.append(i)
    return out
