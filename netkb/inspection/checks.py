"""The inspection checks: one pure function per kind of rule, registered by name.

The checklist (netkb/inspection/checklist.yaml) names a check per item; netkb/inspection/checklist.py
resolves the item's inputs from an Observation and calls the check with them. A check says
normal / abnormal / unknown with a detail in English and numbers, e.g. "fan 1/1: Fault".
Anything it cannot judge is unknown with the reason: never a normal verdict by default.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from netkb.inspection.logrules import LogAction, LogRule, classify


class Verdict(enum.StrEnum):
    NORMAL = "normal"
    ABNORMAL = "abnormal"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Observation:
    """One device as one collect saw it (the inputs of every check)."""

    device: str
    platform: str
    role: str
    model: str
    state: Mapping[str, Any]  # topic -> parsed data (collector/parsers schema); a topic may be missing
    measures: dict[str, Any]  # cpu, memory, temperature, uptime, ntp, clock, config_saved ...
    new_logs: list[dict[str, Any]]  # log entries since the previous run, oldest first
    problems: list[str]  # "'display fan' (fans): reason" for outputs that did not parse
    at: dt.datetime
    # What the device should show (collector/expectations.py): the inventory's `expect` and facts
    # the device's own config states, e.g. {"irf_members": 2, "ospf_configured": True}.
    expect: Mapping[str, Any] = field(default_factory=dict)


class Thresholds(BaseModel):
    """Limits of the checks; embedded as `thresholds:` in the settings file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cpu_percent: Annotated[float, Field(gt=0, le=100)] = 80
    memory_percent: Annotated[float, Field(gt=0, le=100)] = 80
    ap_online_ratio: Annotated[float, Field(ge=0, le=1)] = 0.9
    min_uptime_s: Annotated[int, Field(ge=0)] = 3600  # a first run sees a reboot this recent
    log_severity: Annotated[int, Field(ge=0, le=7)] = 3  # 0 emergency .. 3 error
    # Uptimes print in minutes and devices are read minutes apart within one run: an uptime
    # this much short of "previous + elapsed" is still the same boot.
    uptime_slack_s: Annotated[int, Field(ge=0)] = 900
    # The team's own log rules, tried before the packaged table (netkb/inspection/logrules.yaml).
    log_rules: tuple[LogRule, ...] = ()


MISSING = object()
_PROBLEM_TAG = {"new_logs": "log"}  # snapshot.py tags a log parse failure "(log)"


def problem_for(obs: Observation, name: str) -> str | None:
    tag = f"({_PROBLEM_TAG.get(name, name)}):"
    return next((p for p in obs.problems if tag in p), None)


def read_input(obs: Observation | None, name: str) -> Any:
    """A state topic, a measure or the new log entries; MISSING when absent or unparsed."""
    if obs is None or problem_for(obs, name):
        return MISSING
    if name == "new_logs":
        return obs.new_logs
    value = obs.state.get(name, obs.measures.get(name))
    return MISSING if value is None else value


@dataclass(frozen=True)
class CheckInput:
    current: Observation
    previous: Observation | None
    thresholds: Thresholds
    data: dict[str, Any]  # the item's inputs, all present
    explained_logs: tuple[tuple[str, re.Pattern[str]], ...] = ()  # (item id, pattern) of abnormal items

    def previous_data(self, name: str) -> Any:
        value = read_input(self.previous, name)
        return None if value is MISSING else value


Check = Callable[[CheckInput], tuple[Verdict, str]]
CHECKS: dict[str, Check] = {}
LATE_CHECKS = {"no_serious_logs"}  # need the other items' verdicts (which log entries they explain)


def check(name: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function

    return register


# --- the checks ---------------------------------------------------------------------------

N, A, U = Verdict.NORMAL, Verdict.ABNORMAL, Verdict.UNKNOWN
_NOUN = {"power": "power", "fans": "fan", "boards": "slot"}


def more(parts: list[str], shown: int = 5) -> str:
    rest = f" (+{len(parts) - shown} more)" if len(parts) > shown else ""
    return "; ".join(parts[:shown]) + rest


@check("components_healthy")
def components_healthy(ci: CheckInput) -> tuple[Verdict, str]:
    """Power supplies, fans, boards: any fault is abnormal; empty slots are not."""
    ((topic, parts),) = ci.data.items()
    noun = _NOUN.get(topic, topic)
    if not parts:
        return U, f"no {topic} listed"

    def label(p: dict[str, Any]) -> str:
        name = p.get("id") or p.get("slot")
        kind = f" ({p['type']})" if p.get("type") else ""
        return f"{noun} {name}{kind}: {p.get('raw_status') or p['status']}"

    faulty = [label(p) for p in parts if p["status"] == "fault"]
    if faulty:
        return A, more(faulty)
    present = [p for p in parts if p["status"] != "absent"]
    if not present:
        return A, f"no {noun} present: {more([label(p) for p in parts])}"
    unread = [p for p in present if p["status"] != "normal"]
    if unread and len(unread) == len(present):
        words = sorted({repr(p.get("raw_status") or "") for p in unread})
        return U, (
            f"{len(present)} {topic} listed, none with a health status (device word {', '.join(words)}): "
            "the output shows what is installed, not whether it works"
        )
    if unread:
        return U, f"status not understood: {more([label(p) for p in unread])}"
    absent = [str(p.get("id") or p.get("slot")) for p in parts if p["status"] == "absent"]
    return N, f"{len(present)} {topic} normal" + (
        f", {len(absent)} absent ({', '.join(absent)})" if absent else ""
    )


@check("temperature_below_warning")
def temperature_below_warning(ci: CheckInput) -> tuple[Verdict, str]:
    """Each sensor against its warning limit; where a device prints no limit but its own health
    word (IOS `TEMPERATURE is OK`, GREEN/YELLOW/RED), that word judges the sensor."""
    sensors = ci.data["temperature"]
    hot, unread, judged, by_word = [], [], [], []
    for s in sensors:
        name = f"slot {s.get('slot')} {s.get('sensor')}"
        limit = s.get("warning") if s.get("warning") is not None else s.get("alarm")
        status, word = s.get("status"), s.get("raw_status") or s.get("status")
        if s.get("celsius") is not None and limit is not None and s["celsius"] >= limit:
            hot.append(f"{name}: {s['celsius']:g} °C ≥ warning {limit:g} °C")
        elif status == "fault":
            reading = f" at {s['celsius']:g} °C" if s.get("celsius") is not None else ""
            hot.append(f"{name}: {word}{reading}")
        elif s.get("celsius") is not None and limit is not None:
            judged.append((s["celsius"] - limit, name, s["celsius"], limit))
        elif status == "normal":
            by_word.append(f"{name}: {word}")
        else:
            unread.append(name)
    if hot:
        return A, more(hot)
    if unread or not (judged or by_word):
        return U, f"no reading or no limit for: {more(unread)}" if unread else "no temperature sensor listed"
    parts = [f"{len(judged)} sensors below their warning limits"] if judged else []
    if judged:
        _, name, celsius, limit = max(judged)
        parts[0] += f"; closest {name}: {celsius:g} °C (warning {limit:g} °C)"
    if by_word:
        parts.append(f"device reports {more(by_word)}")
    return N, "; ".join(parts)


def _percent_check(values: dict[str, Any], limit: float, what: str) -> tuple[Verdict, str]:
    over = [f"{label} {v:g}% ≥ {limit:g}%" for label, v in values.items() if v is not None and v >= limit]
    if over:
        return A, f"{what} {', '.join(over)}"
    missing = [label for label, v in values.items() if v is None]
    if missing:
        return U, f"{what} {', '.join(missing)} not reported"
    return N, f"{what} " + ", ".join(
        f"{label} {v:g}%" for label, v in values.items()
    ) + f" (threshold {limit:g}%)"


@check("cpu_below_threshold")
def cpu_below_threshold(ci: CheckInput) -> tuple[Verdict, str]:
    cpu = ci.data["cpu"]
    values = {"1-min": cpu.get("one_minute"), "5-min": cpu.get("five_minutes")}
    return _percent_check(values, ci.thresholds.cpu_percent, "CPU")


@check("memory_below_threshold")
def memory_below_threshold(ci: CheckInput) -> tuple[Verdict, str]:
    return _percent_check(
        {"used": ci.data["memory"].get("used_percent")}, ci.thresholds.memory_percent, "memory"
    )


_VLAN_UP = {"active", "enable", "act/unsup"}  # act/unsup: IOS's reserved 1002-1005, by design
_VLAN_DOWN = {"suspend", "suspended", "disable", "act/lshut", "sus/lshut", "act/ishut", "sus/ishut"}


@check("vlans_active")
def vlans_active(ci: CheckInput) -> tuple[Verdict, str]:
    vlans = ci.data["vlans"]
    down = [
        f"VLAN {v['id']} ({v['name']}): {v['status']}"
        for v in vlans
        if str(v["status"]).lower() in _VLAN_DOWN
    ]
    if down:
        return A, more(down)
    odd = [f"VLAN {v['id']}: {v['status']!r}" for v in vlans if str(v["status"]).lower() not in _VLAN_UP]
    if odd:
        return U, f"VLAN state not understood: {more(odd)}"
    return (N, f"{len(vlans)} VLANs active") if vlans else (U, "no VLAN listed")


@check("config_saved")
def config_saved(ci: CheckInput) -> tuple[Verdict, str]:
    saved = ci.data["config_saved"]
    if saved is True:
        return N, "running configuration equals the saved configuration"
    if saved is False:
        return A, "running configuration differs from the saved configuration"
    return U, f"config_saved is {saved!r}, not true or false"


@check("no_serious_logs")
def no_serious_logs(ci: CheckInput) -> tuple[Verdict, str]:
    """Log entries by the rule table (netkb/inspection/logrules.py): abnormal, counted or ignored."""
    limit = ci.thresholds.log_severity
    explained_by: set[str] = set()
    unexplained, explained = [], 0
    counted: dict[str, int] = {}
    for e in ci.data["new_logs"]:
        action, rule = classify(e, ci.current.role, limit, ci.thresholds.log_rules)
        if action is LogAction.COUNT:
            counted[rule] = counted.get(rule, 0) + 1
        if action is not LogAction.ABNORMAL:
            continue
        tag = f"{e.get('module')}/{e.get('mnemonic')}"
        owners = {item for item, pattern in ci.explained_logs if pattern.search(tag)}
        explained_by |= owners
        explained += bool(owners)
        if not owners:
            why = "" if rule == "severity" else f" [{rule}]"
            unexplained.append(
                f"{e.get('module')}/{e['severity']}/{e.get('mnemonic')}{why}: {e.get('text', '')}"
            )
    since = "since the previous run" if ci.previous else "in the log buffer (first run)"
    notes = [f"{n} {rule} counted" for rule, n in sorted(counted.items())]
    if explained:
        notes.append(f"{explained} reported under {', '.join(sorted(explained_by))}")
    note = f" ({'; '.join(notes)})" if notes else ""
    if unexplained:
        return A, f"{len(unexplained)} serious entries {since}{note}: {more(unexplained, 3)}"
    return N, f"no entry of severity ≤ {limit} or matching an abnormal rule {since}{note}"


# A clock that serves itself (`ntp master`, `ntp-service refclock-master`) reports itself
# synchronised to a local reference: 127.127.x.x, LOCAL(n), .LOCL. — no real time source.
_LOCAL_CLOCK = re.compile(r"^(?:127\.127\.\d+\.\d+|\.?LOCL\.?|LOCAL\(\d*\))$", re.IGNORECASE)


@check("ntp_synchronised")
def ntp_synchronised(ci: CheckInput) -> tuple[Verdict, str]:
    ntp = ci.data["ntp"]
    server = str(ntp.get("server") or "")
    if ntp["synchronized"] is True and _LOCAL_CLOCK.match(server):
        return A, f"synchronised only to its own local clock ({server}), not to a time server"
    if ntp["synchronized"] is True:
        return N, f"synchronised to {server or 'a server'}, stratum {ntp.get('stratum')}"
    if ntp["synchronized"] is False:
        return A, "clock not synchronised"
    return U, f"synchronized is {ntp['synchronized']!r}"


def _duration(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    return (
        f"{days} d {rest // 3600} h {rest % 3600 // 60} min"
        if days
        else f"{rest // 3600} h {rest % 3600 // 60} min"
    )


@check("no_unexpected_reboot")
def no_unexpected_reboot(ci: CheckInput) -> tuple[Verdict, str]:
    """A reboot since the previous good run (not merely the previous run: the device may have
    rebooted while it could not be read): uptime short of the previous uptime plus the time
    since, or, without the previous uptime, short of the time since that run."""
    uptime = int(ci.data["uptime"])
    before = ci.previous_data("uptime")
    previous_at = ci.previous.at if ci.previous else None
    if previous_at is not None and ci.current.at >= previous_at:
        # Continuity with the previous good run decides; the minimum-uptime rule would report
        # the same reboot again on every run of its first hour.
        elapsed = (ci.current.at - previous_at).total_seconds()
        expected = (int(before) if before is not None else 0) + elapsed
        if uptime + ci.thresholds.uptime_slack_s < expected:
            if before is None:
                return A, (
                    f"uptime {_duration(uptime)}, shorter than the {_duration(elapsed)} since the previous "
                    f"good run at {previous_at:%Y-%m-%d %H:%M}: rebooted since"
                )
            return A, (
                f"uptime {_duration(uptime)}, expected about {_duration(expected)} after the previous run "
                f"at {previous_at:%Y-%m-%d %H:%M}: rebooted since"
            )
        return N, f"up {_duration(uptime)}, no reboot since the previous run"
    if uptime < ci.thresholds.min_uptime_s:
        return A, f"uptime {uptime} s < {ci.thresholds.min_uptime_s} s: rebooted recently"
    return N, f"up {_duration(uptime)}"


_IRF_READY = {"master", "standby", "slave"}


@check("irf_members_ready")
def irf_members_ready(ci: CheckInput) -> tuple[Verdict, str]:
    rows = ci.data["irf"]
    # A chassis IRF prints one row per main board (a Slot column): a member may have two rows.
    roles: dict[int, str] = {}
    for m in rows:
        roles[int(m["member"])] = "/".join(filter(None, (roles.get(int(m["member"])), str(m["role"]))))
    problems = [
        f"member {m['member']}: {m['role']}" for m in rows if str(m["role"]).lower() not in _IRF_READY
    ]
    masters = sum(str(m["role"]).lower() == "master" for m in rows)
    if masters != 1:
        problems.append(f"{masters} masters")
    previous = ci.previous_data("irf")
    lost = sorted({int(m["member"]) for m in previous or []} - set(roles))
    if lost:
        problems.append(f"lost since the previous run: member {', '.join(map(str, lost))}")
    expect = ci.current.expect
    expected = expect.get("irf_members")
    configured = sorted(int(n) for n in expect.get("irf_configured_members") or [])
    if expected is not None and len(roles) < int(expected):
        problems.append(f"{len(roles)} of {expected} expected members (expect.irf_members)")
    missing = [n for n in configured if n not in roles]
    if expected is None and missing:
        problems.append(f"member {', '.join(map(str, missing))} configured but not in the stack")
    elif expected is None and len(roles) == 1 and expect.get("irf_ports_bound"):
        problems.append("1 member, but the config binds IRF ports: the stack is split or a member is gone")
    if problems:
        return A, "; ".join(problems)
    summary = f"{len(roles)} members: " + ", ".join(f"{n} {role}" for n, role in sorted(roles.items()))
    if len(roles) == 1 and previous is None and expected is None and not configured:
        # Each half of a split stack shows itself as a healthy one-member stack.
        return U, (
            f"{summary}; a standalone device and one half of a split stack look the same on a first "
            "run: set expect.irf_members in the inventory"
        )
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
        return N, "no AP registered (none before either)"
    online = total - len(offline)
    ratio, limit = online / total, ci.thresholds.ap_online_ratio
    summary = f"{online}/{total} APs online ({ratio:.0%})"
    if ratio < limit:
        return A, f"{summary} < {limit:.0%}; offline: {more(offline)}"
    return N, summary + (f"; offline: {more(offline)}" if offline else "")
