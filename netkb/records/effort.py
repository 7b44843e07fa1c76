"""The work a ticket took, as incidents and requests record it in their front matter (all optional):

    effort: {onsite: 3.5, remote: 0.5}   # engineer hours on site and remote
    difficulty: 2                        # a key of settings cost.difficulty (1 simple … 3 complex)
    parts:                               # spare parts used (spares.yml lists them)
      - part: LSQM1FANSC0                # the part number
        device: core-1                   # which of the record's devices (optional when it names one)
        serial_out: 210231A0H6X193000123 # the failed part taken out
        serial_in: 210231A0H6X196000456  # the spare put in
        cost: 1850                       # optional: the ledger's unit cost when left out
    travel: {trips: 1, expenses: 40}     # trips to the site, and money spent on the way

netkb/records/cost.py prices them; netkb/records/spares.py takes the parts out of the ledger.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

# The fields a record kind adds to its front matter model (incidents.py, requests.py).
FIELDS = ("effort", "difficulty", "parts", "travel")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _text(value: Any) -> Any:
    """A serial or part number typed bare as a number is still text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Code = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
Hours = Annotated[float, Field(ge=0, le=1000)]
Money = Annotated[float, Field(ge=0)]


class Effort(_Strict):
    onsite: Hours = 0  # engineer hours on site, from `onsite` on
    remote: Hours = 0  # engineer hours remote, from `responded` on

    @property
    def hours(self) -> float:
        return self.onsite + self.remote


class Travel(_Strict):
    trips: Annotated[int, Field(ge=0, le=1000)] = 0  # priced at settings cost.travel_per_trip
    expenses: Money = 0  # taxi, tolls …: at cost


class PartUse(_Strict):
    part: Code  # a part number of spares.yml
    device: str | None = None  # None: the record's only device
    serial_out: Annotated[str, BeforeValidator(_text)] = ""
    serial_in: Annotated[str, BeforeValidator(_text)] = ""
    cost: Money | None = None  # None: the ledger's unit cost (spares.py `priced`)


Difficulty = Annotated[str, BeforeValidator(_text)]


def work_problems(data: dict[str, Any], devices: list[str], difficulties: Any) -> list[str]:
    """What the models cannot see: a difficulty the settings do not define, a part without its
    device on a record of several devices, a part on a device the record does not name."""
    problems = []
    difficulty = data.get("difficulty")
    if difficulty is not None and difficulties is not None and str(difficulty) not in difficulties:
        known = ", ".join(difficulties)
        problems.append(f"difficulty: {str(difficulty)!r} is not one of {known} (settings cost.difficulty)")
    parts = data.get("parts")
    for i, use in enumerate(parts if isinstance(parts, list) else []):
        device = use.get("device") if isinstance(use, dict) else None
        if device is None and len(devices) > 1:
            problems.append(f"parts[{i}].device: missing: the record names several devices; say which one")
        elif device is not None and str(device) not in devices:
            problems.append(f"parts[{i}].device: {device!r} is not one of the record's devices")
    return problems


def device_of(use: PartUse, devices: tuple[str, ...]) -> str:
    return use.device if use.device is not None else (devices[0] if devices else "")
