"""The inspection checks: one pure function per kind of rule, registered by name.

The checklist (netkb/inspection/checklist.yaml) names a check per item; netkb/inspection/checklist.py
resolves the item's inputs from an Observation and calls the check with them. A check says
normal / abnormal / unknown with a detail in English written from the catalogue's `detail_*`
templates (netkb/strings/details.yaml), e.g. "fan 1/1: Fault"; pages read it back through the
same templates in the site's language (netkb/inspection/details.py).
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

from netkb.inspection.details import written
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
    first = "; ".join(parts[:shown])
    return written("detail_more", first_list=first, count=len(parts) - shown) if len(parts) > shown else first


@check("components_healthy")
def components_healthy(ci: CheckInput) -> tuple[Verdict, str]:
    """Power supplies, fans, boards: any fault is abnormal; empty slots are not."""
    ((topic, parts),) = ci.data.items()
    noun = _NOUN.get(topic, topic)
    if not parts:
        return U, written("detail_none_listed", topic=topic)

    def label(p: dict[str, Any]) -> str:
        name = p.get("id") or p.get("slot")
        kind = f" ({p['type']})" if p.get("type") else ""
        return written(
            "detail_part", noun=noun, name=f"{name}{kind}", status=p.get("raw_status") or p["status"]
        )

    faulty = [label(p) for p in parts if p["status"] == "fault"]
    if faulty:
        return A, more(faulty)
    present = [p for p in parts if p["status"] != "absent"]
    if not present:
        return A, written("detail_none_present", noun=noun, parts_list=more([label(p) for p in parts]))
    unread = [p for p in present if p["status"] != "normal"]
    if unread and len(unread) == len(present):
        words = sorted({repr(p.get("raw_status") or "") for p in unread})
        return U, written("detail_no_health", count=len(present), topic=topic, words=", ".join(words))
    if unread:
        return U, written("detail_status_unread", parts_list=more([label(p) for p in unread]))
    absent = [str(p.get("id") or p.get("slot")) for p in parts if p["status"] == "absent"]
    if absent:
        return N, written(
            "detail_parts_normal_absent",
            count=len(present),
            topic=topic,
            absent=len(absent),
            slots=", ".join(absent),
        )
    return N, written("detail_parts_normal", count=len(present), topic=topic)


@check("temperature_below_warning")
def temperature_below_warning(ci: CheckInput) -> tuple[Verdict, str]:
    """Each sensor against its warning limit; where a device prints no limit but its own health
    word (IOS `TEMPERATURE is OK`, GREEN/YELLOW/RED), that word judges the sensor."""
    sensors = ci.data["temperature"]
    hot, unread, judged, by_word = [], [], [], []
    for s in sensors:
        name = written("detail_sensor", slot=s.get("slot"), sensor=s.get("sensor"))
        limit = s.get("warning") if s.get("warning") is not None else s.get("alarm")
        status, word = s.get("status"), s.get("raw_status") or s.get("status")
        if s.get("celsius") is not None and limit is not None and s["celsius"] >= limit:
            hot.append(
                written("detail_too_hot", sensor=name, celsius=f"{s['celsius']:g}", limit=f"{limit:g}")
            )
        elif status == "fault":
            if s.get("celsius") is not None:
                hot.append(
                    written("detail_sensor_word_at", sensor=name, word=word, celsius=f"{s['celsius']:g}")
                )
            else:
                hot.append(written("detail_part_word", sensor=name, word=word))
        elif s.get("celsius") is not None and limit is not None:
            judged.append((s["celsius"] - limit, name, s["celsius"], limit))
        elif status == "normal":
            by_word.append(written("detail_part_word", sensor=name, word=word))
        else:
            unread.append(name)
    if hot:
        return A, more(hot)
    if unread or not (judged or by_word):
        return U, written("detail_no_limit", sensors_list=more(unread)) if unread else written(
            "detail_no_sensor"
        )
    parts = [written("detail_sensors_below", count=len(judged))] if judged else []
    if judged:
        _, name, celsius, limit = max(judged)
        parts.append(written("detail_closest", sensor=name, celsius=f"{celsius:g}", limit=f"{limit:g}"))
    if by_word:
        parts.append(written("detail_device_reports", words_list=more(by_word)))
    return N, "; ".join(parts)


def _percent_check(values: dict[str, Any], limit: float, what: str) -> tuple[Verdict, str]:
    over = [
        written("detail_percent_item_over", window=label, value=f"{v:g}", limit=f"{limit:g}")
        for label, v in values.items()
        if v is not None and v >= limit
    ]
    if over:
        return A, written("detail_percent_over", what=what, over_items=", ".join(over))
    missing = [label for label, v in values.items() if v is None]
    if missing:
        return U, written("detail_percent_missing", what=what, window_items=", ".join(missing))
    shown = ", ".join(
        written("detail_percent_item", window=label, value=f"{v:g}") for label, v in values.items()
    )
    return N, written("detail_percent_normal", what=what, values_items=shown, limit=f"{limit:g}")


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
        written("detail_vlan_named", id=v["id"], name=v["name"], status=v["status"])
        for v in vlans
        if str(v["status"]).lower() in _VLAN_DOWN
    ]
    if down:
        return A, more(down)
    odd = [
        written("detail_vlan_odd", id=v["id"], status=repr(v["status"]))
        for v in vlans
        if str(v["status"]).lower() not in _VLAN_UP
    ]
    if odd:
        return U, written("detail_vlan_unread", vlans_list=more(odd))
    return (N, written("detail_vlans_active", count=len(vlans))) if vlans else (U, written("detail_no_vlan"))


@check("config_saved")
def config_saved(ci: CheckInput) -> tuple[Verdict, str]:
    saved = ci.data["config_saved"]
    if saved is True:
        return N, written("detail_config_saved")
    if saved is False:
        return A, written("detail_config_unsaved")
    return U, written("detail_config_saved_odd", value=repr(saved))


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
    since = written("detail_since_previous" if ci.previous else "detail_since_buffer")
    notes = [written("detail_logs_counted", count=n, rule=rule) for rule, n in sorted(counted.items())]
    if explained:
        notes.append(written("detail_logs_explained", count=explained, items=", ".join(sorted(explained_by))))
    noted = {"notes_list": "; ".join(notes)} if notes else {}
    suffix = "_notes" if notes else ""
    if unexplained:
        return A, written(
            f"detail_logs_serious{suffix}",
            count=len(unexplained),
            since=since,
            entries_list=more(unexplained, 3),
            **noted,
        )
    return N, written(f"detail_logs_none{suffix}", limit=limit, since=since, **noted)


# A clock that serves itself (`ntp master`, `ntp-service refclock-master`) reports itself
# synchronised to a local reference: 127.127.x.x, LOCAL(n), .LOCL. — no real time source.
_LOCAL_CLOCK = re.compile(r"^(?:127\.127\.\d+\.\d+|\.?LOCL\.?|LOCAL\(\d*\))$", re.IGNORECASE)


@check("ntp_synchronised")
def ntp_synchronised(ci: CheckInput) -> tuple[Verdict, str]:
    ntp = ci.data["ntp"]
    server = str(ntp.get("server") or "")
    if ntp["synchronized"] is True and _LOCAL_CLOCK.match(server):
        return A, written("detail_ntp_local", server=server)
    if ntp["synchronized"] is True:
        return N, written(
            "detail_ntp_synced", server=server or written("detail_ntp_a_server"), stratum=ntp.get("stratum")
        )
    if ntp["synchronized"] is False:
        return A, written("detail_ntp_unsynced")
    return U, written("detail_ntp_odd", value=repr(ntp["synchronized"]))


def _duration(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        return written("detail_days_hours", days=days, hours=hours, minutes=minutes)
    return written("detail_hours", hours=hours, minutes=minutes)


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
                return A, written(
                    "detail_reboot_short",
                    uptime=_duration(uptime),
                    elapsed=_duration(elapsed),
                    at=f"{previous_at:%Y-%m-%d %H:%M}",
                )
            return A, written(
                "detail_reboot_expected",
                uptime=_duration(uptime),
                about=_duration(expected),
                at=f"{previous_at:%Y-%m-%d %H:%M}",
            )
        return N, written("detail_up_no_reboot", uptime=_duration(uptime))
    if uptime < ci.thresholds.min_uptime_s:
        return A, written("detail_reboot_recent", uptime=uptime, limit=ci.thresholds.min_uptime_s)
    return N, written("detail_up", uptime=_duration(uptime))
