"""The OSPF neighbour check: which neighbours are expected, and whether they are all settled.

A lost adjacency stays abnormal until it comes back, or until a person changes what is expected
(the config stops running OSPF on that interface, or the inventory's `expect.ospf_neighbours`);
the set of neighbours last seen settled is carried forward in the run record
(collector/runrecord.py). Registered with the other checks by importing this module
(netkb/inspection/checklist.py does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netkb.inspection.checks import (
    MISSING,
    A,
    CheckInput,
    N,
    Observation,
    U,
    Verdict,
    check,
    more,
    read_input,
)
from netkb.inspection.details import written


def _ospf_settled(state: str) -> bool:
    # Full, Full/DR, FULL/BDR, "Full/ -". Two DROthers on a broadcast segment stay in 2-Way by
    # design (RFC 2328 10.4), so 2-Way/DROther is a settled adjacency too; VRP's `peer brief`
    # prints no DR column, and a bare 2-Way only persists between DROthers.
    word = state.replace(" ", "").lower()
    return word.startswith("full") or word in ("2-way/drother", "2way/drother", "2-way", "2way")


def _peer_key(peer: Mapping[str, Any]) -> tuple[str, str]:
    return str(peer["router_id"]), str(peer["interface"])


def _still_runs_ospf(expect: Mapping[str, Any], neighbour: Mapping[str, Any]) -> bool:
    """Whether the device's config still runs OSPF on the neighbour's interface.

    Only a change the same reading of the config saw counts: the interface ran OSPF by the
    config when the neighbour was last settled (`configured`), and does not now. An interface
    whose OSPF this reading never recognised (an unnumbered address, a form it does not know)
    keeps its neighbour expected: a wrong "normal" is worse than asking for expect.ospf_neighbours.
    """
    if expect.get("ospf_configured") is False:
        return False
    interfaces = expect.get("ospf_interfaces")
    return (
        interfaces is None or neighbour.get("configured") is not True or neighbour["interface"] in interfaces
    )


def expected_ospf_neighbours(current: Observation, previous: Observation | None) -> list[dict[str, Any]]:
    """The neighbours this run expects: every one a good run saw settled, carried forward
    (`expect["ospf_neighbour_set"]`, see `next_ospf_neighbours`) until it is back, or the config
    no longer runs OSPF on its interface. Without a carried set (a first run, or records written
    before it was kept), the previous good run's settled neighbours."""
    carried = current.expect.get("ospf_neighbour_set")
    if carried is None:
        before = read_input(previous, "ospf")
        seen = previous.at.isoformat(timespec="seconds") if previous is not None else ""
        carried = (
            []
            if before is MISSING
            else [
                {"router_id": str(p["router_id"]), "interface": str(p["interface"]), "seen": seen}
                for p in before
                if _ospf_settled(p["state"])
            ]
        )
    return [dict(e) for e in carried if _still_runs_ospf(current.expect, e)]


def next_ospf_neighbours(current: Observation, previous: Observation | None) -> list[dict[str, Any]] | None:
    """The neighbour set the next run expects: those settled now (`seen` now) and the expected
    ones still missing (their `seen` kept). Where the inventory states `expect.ospf_neighbours`,
    the count governs and the set restarts from what is settled now. None: nothing to carry."""
    peers = read_input(current, "ospf")
    if peers is MISSING or not isinstance(peers, list):
        carried = current.expect.get("ospf_neighbour_set")  # not read this time: carried unchanged
        return [dict(e) for e in carried] if carried is not None else None
    at = current.at.isoformat(timespec="seconds")
    interfaces = current.expect.get("ospf_interfaces")
    settled: dict[tuple[str, str], dict[str, Any]] = {}
    for p in peers:
        if _ospf_settled(str(p["state"])):
            seen: dict[str, Any] = {
                "router_id": str(p["router_id"]),
                "interface": str(p["interface"]),
                "seen": at,
            }
            if interfaces is not None:  # whether the config, as read, runs OSPF there
                seen["configured"] = str(p["interface"]) in interfaces
            settled[_peer_key(p)] = seen
    if current.expect.get("ospf_neighbours") is None:
        for e in expected_ospf_neighbours(current, previous):
            settled.setdefault(_peer_key(e), e)
    return [settled[k] for k in sorted(settled)]


def _peer(entry: dict[str, Any], seen: bool = False) -> str:
    """A neighbour in a detail: `10.255.1.1 on XGE1/2/0/1`, with when it last settled if asked."""
    if seen and entry.get("seen"):
        when = str(entry["seen"])[:16].replace("T", " ")
        return written(
            "detail_ospf_peer_seen", router=entry["router_id"], interface=entry["interface"], seen=when
        )
    return written("detail_ospf_peer", router=entry["router_id"], interface=entry["interface"])


@check("ospf_neighbours_full")
def ospf_neighbours_full(ci: CheckInput) -> tuple[Verdict, str]:
    peers = ci.data["ospf"]
    problems = [
        written("detail_ospf_peer_state", router=p["router_id"], interface=p["interface"], state=p["state"])
        for p in peers
        if not _ospf_settled(p["state"])
    ]
    now = {_peer_key(p) for p in peers}
    expected = ci.current.expect.get("ospf_neighbours")
    # A neighbour once settled stays expected until it is back: a loss is abnormal every run
    # until then, not on the first night only. The inventory's count, where stated, governs.
    missing = (
        []
        if expected is not None
        else [e for e in expected_ospf_neighbours(ci.current, ci.previous) if _peer_key(e) not in now]
    )
    before = {_peer_key(p) for p in ci.previous_data("ospf") or [] if _ospf_settled(p["state"])}
    lost = [_peer(e) for e in missing if _peer_key(e) in before]
    still = [_peer(e, seen=True) for e in missing if _peer_key(e) not in before]
    settled = len(peers) - len(problems)
    short = (
        [written("detail_ospf_short", settled=settled, expected=expected)]
        if expected is not None and settled < int(expected)
        else []
    )
    if problems or lost or still or short:
        parts = (
            ([written("detail_ospf_not_full", peers_list=more(problems))] if problems else [])
            + ([written("detail_ospf_lost", peers_list=more(lost))] if lost else [])
            + ([written("detail_ospf_still_lost", peers_list=more(still))] if still else [])
            + short
        )
        return A, "; ".join(parts)
    previous = ci.previous_data("ospf")
    if peers:
        full = sum(p["state"].replace(" ", "").lower().startswith("full") for p in peers)
        key = (
            "detail_ospf_settled"
            + ("_2way" if full < len(peers) else "")
            + ("_expected" if expected is not None else "")
        )
        more_values = {"two_way": len(peers) - full} if full < len(peers) else {}
        if expected is not None:
            more_values["expected"] = expected
        return N, written(key, count=len(peers), full=full, **more_values)
    # An empty table: a router that lost every neighbour shows the same as one without OSPF.
    if expected is not None:
        return N, written("detail_ospf_none_expected")
    if previous is not None:
        return N, written("detail_ospf_none_before")
    configured = ci.current.expect.get("ospf_configured")
    if configured is False:
        return N, written("detail_ospf_no_process")
    why = written("detail_ospf_why_configured" if configured else "detail_ospf_why_unread")
    return U, written("detail_ospf_unknown", why=why)
