"""Checks of a whole's members: an IRF stack's members and a wireless controller's access points.
Registered with the others (netkb/inspection/checks.py) when netkb/inspection/checklist.py loads."""

from __future__ import annotations

from netkb.inspection.checks import A, CheckInput, N, U, Verdict, check, more
from netkb.inspection.details import written

_IRF_READY = {"master", "standby", "slave"}


@check("irf_members_ready")
def irf_members_ready(ci: CheckInput) -> tuple[Verdict, str]:
    rows = ci.data["irf"]
    # A chassis IRF prints one row per main board (a Slot column): a member may have two rows.
    roles: dict[int, str] = {}
    for m in rows:
        roles[int(m["member"])] = "/".join(filter(None, (roles.get(int(m["member"])), str(m["role"]))))
    problems = [
        written("detail_irf_member", member=m["member"], role=m["role"])
        for m in rows
        if str(m["role"]).lower() not in _IRF_READY
    ]
    masters = sum(str(m["role"]).lower() == "master" for m in rows)
    if masters != 1:
        problems.append(written("detail_irf_masters", count=masters))
    previous = ci.previous_data("irf")
    lost = sorted({int(m["member"]) for m in previous or []} - set(roles))
    if lost:
        problems.append(written("detail_irf_lost", members=", ".join(map(str, lost))))
    expect = ci.current.expect
    expected = expect.get("irf_members")
    configured = sorted(int(n) for n in expect.get("irf_configured_members") or [])
    if expected is not None and len(roles) < int(expected):
        problems.append(written("detail_irf_short", count=len(roles), expected=expected))
    missing = [n for n in configured if n not in roles]
    if expected is None and missing:
        problems.append(written("detail_irf_not_stacked", members=", ".join(map(str, missing))))
    elif expected is None and len(roles) == 1 and expect.get("irf_ports_bound"):
        problems.append(written("detail_irf_split"))
    if problems:
        return A, "; ".join(problems)
    summary = written(
        "detail_irf_members", count=len(roles), roles=", ".join(f"{n} {r}" for n, r in sorted(roles.items()))
    )
    if len(roles) == 1 and previous is None and expected is None and not configured:
        # Each half of a split stack shows itself as a healthy one-member stack.
        return U, f"{summary}; {written('detail_irf_first_run')}"
    return N, summary


@check("aps_online")
def aps_online(ci: CheckInput) -> tuple[Verdict, str]:
    aps = ci.data["aps"]
    names = {a["name"] for a in aps}
    # An AP that left the list entirely is offline too (it no longer joins the controller).
    lost = sorted({a["name"] for a in ci.previous_data("aps") or []} - names)
    offline = [a["name"] for a in aps if a["state"] != "online"] + lost
    total = len(aps) + len(lost)
    if not total:
        return N, written("detail_no_ap")
    online = total - len(offline)
    ratio, limit = online / total, ci.thresholds.ap_online_ratio
    counts = {"online": online, "total": total, "ratio": f"{ratio:.0%}"}
    missing = written("detail_offline", aps_list=more(offline))
    if ratio < limit:
        return A, f"{written('detail_aps_under', **counts, limit=f'{limit:.0%}')}; {missing}"
    return N, written("detail_aps_online", **counts) + (f"; {missing}" if offline else "")
