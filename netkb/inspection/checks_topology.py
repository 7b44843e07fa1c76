"""The LLDP neighbour checks (issue 20 §1). Registered with the other checks by importing this
module (netkb/inspection/checklist.py does).

- `lldp_neighbours_kept` (item `neighbours`): a neighbour present in the previous run and
  missing now is a lost link, abnormal unless the port it was seen on is now shut (a deliberate
  act, such as closing a rogue router's port). An *uplink* — a neighbour that is an inventory
  device — lost is abnormal even on a shut port: the device has lost its way to the campus.
- `lldp_neighbours_known` (item `unknown_neighbours`): a neighbour that is no inventory device
  (by inventory name or sysname) is an unknown device on the campus network, abnormal, listed
  with the port it is on and what it announced. The inventory's names reach the check through
  the observation's `expect["inventory_names"]` (netkb/inventory.py `Inventory.expected`);
  without them the verdict is unknown, never normal. Names the inventory's `expect:
  {foreign_neighbours: [SEP*, AP-*]}` allows (IP phones, APs) are expected, not unknown.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from typing import Any

from netkb.inspection.checks import A, CheckInput, N, U, Verdict, check, more
from netkb.inspection.details import written


def _key(row: Mapping[str, Any]) -> tuple[str, str]:
    return str(row["interface"]), str(row.get("neighbour") or row.get("chassis_id") or "?")


def known_name(name: object, names: frozenset[str] | set[str]) -> bool:
    """An advertised system name is an inventory device's: exactly, or its host part
    (`core-1.campus.edu.cn`), ignoring case — devices print their sysname as configured."""
    if not isinstance(name, str) or not name:
        return False
    folded = {n.lower() for n in names}
    return name.lower() in folded or name.split(".", 1)[0].lower() in folded


def _names(ci: CheckInput) -> frozenset[str] | None:
    names = ci.current.expect.get("inventory_names")
    return frozenset(names) if isinstance(names, frozenset | set | list | tuple) else None


@check("lldp_neighbours_kept")
def lldp_neighbours_kept(ci: CheckInput) -> tuple[Verdict, str]:
    rows = ci.data["neighbours"]
    before = ci.previous_data("neighbours")
    if not isinstance(before, list):  # a first run, or last run's table unread: nothing to lose
        return N, written("detail_lldp_count", count=len(rows))
    interfaces = ci.current.state.get("interfaces")
    ports = interfaces if isinstance(interfaces, list) else []  # unread: no loss is explained
    shut = {str(i.get("name")) for i in ports if isinstance(i, dict) and i.get("admin") == "down"}
    names = _names(ci) or frozenset()
    now = {_key(r) for r in rows}
    lost = [_key(r) for r in before if _key(r) not in now]
    uplinks = [f"{name} ({interface})" for interface, name in lost if known_name(name, names)]
    unexplained = [
        f"{name} ({interface})"
        for interface, name in lost
        if interface not in shut and not known_name(name, names)
    ]
    if uplinks or unexplained:
        parts = [written("detail_lldp_uplink_lost", links=more(uplinks))] if uplinks else []
        parts += [written("detail_lldp_lost", links=more(unexplained))] if unexplained else []
        return A, "; ".join(parts)
    shut_lost = [f"{name} ({interface})" for interface, name in lost]
    if shut_lost:
        return N, written("detail_lldp_lost_shut", links=more(shut_lost))
    return N, written("detail_lldp_count", count=len(rows))


def _announced(row: Mapping[str, Any]) -> str:
    """What an unknown neighbour announced: its name (or that it gave none), port and chassis."""
    said = [str(row.get(k)) for k in ("neighbour_interface", "chassis_id") if row.get(k)]
    name = str(row.get("neighbour") or written("detail_lldp_no_name"))
    return written(
        "detail_lldp_unknown", name=name, interface=str(row["interface"]), announced=", ".join(said) or "-"
    )


def expected_foreign(name: object, patterns: list[str]) -> bool:
    """A neighbour the inventory's `expect: {foreign_neighbours: [...]}` allows (shell patterns,
    ignoring case): an IP phone, an AP; never a neighbour that announces no name."""
    return isinstance(name, str) and any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in patterns)


@check("lldp_neighbours_known")
def lldp_neighbours_known(ci: CheckInput) -> tuple[Verdict, str]:
    rows = ci.data["neighbours"]
    names = _names(ci)
    if names is None:
        return U, written("detail_lldp_inventory_unknown")
    allowed = [str(p) for p in ci.current.expect.get("foreign_neighbours") or []]
    unknown = [
        _announced(r)
        for r in rows
        if not known_name(r.get("neighbour"), names) and not expected_foreign(r.get("neighbour"), allowed)
    ]
    if unknown:
        return A, more(unknown)
    return N, written("detail_lldp_all_known", count=len(rows))
