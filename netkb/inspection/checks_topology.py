"""The LLDP neighbour check (issue 20 §1): a neighbour present in the previous run and missing
now is a lost link, abnormal unless the port it was seen on is now shut (a deliberate act, such
as closing a rogue router's port). Registered with the other checks by importing this module
(netkb/inspection/checklist.py does).

Not judged here, because one device's observation cannot tell: whether a neighbour is an
inventory device (the campus map marks those that are not: generator/pages/topology.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netkb.inspection.checks import A, CheckInput, N, Verdict, check, more
from netkb.inspection.details import written


def _key(row: Mapping[str, Any]) -> tuple[str, str]:
    return str(row["interface"]), str(row.get("neighbour") or row.get("chassis_id") or "?")


@check("lldp_neighbours_kept")
def lldp_neighbours_kept(ci: CheckInput) -> tuple[Verdict, str]:
    rows = ci.data["neighbours"]
    before = ci.previous_data("neighbours")
    if not isinstance(before, list):  # a first run, or last run's table unread: nothing to lose
        return N, written("detail_lldp_count", count=len(rows))
    interfaces = ci.current.state.get("interfaces")
    ports = interfaces if isinstance(interfaces, list) else []  # unread: no loss is explained
    shut = {str(i.get("name")) for i in ports if isinstance(i, dict) and i.get("admin") == "down"}
    now = {_key(r) for r in rows}
    lost = [_key(r) for r in before if _key(r) not in now]
    unexplained = [f"{name} ({interface})" for interface, name in lost if interface not in shut]
    if unexplained:
        return A, written("detail_lldp_lost", links=more(unexplained))
    shut_lost = [f"{name} ({interface})" for interface, name in lost]
    if shut_lost:
        return N, written("detail_lldp_lost_shut", links=more(shut_lost))
    return N, written("detail_lldp_count", count=len(rows))
