"""The baseline on a set of devices, waivers applied: what `netkb compliance` prints and the
baseline page shows. Pure: configs, state and waivers in, verdicts out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from netkb.baseline.engine import Result, evaluate
from netkb.baseline.model import RuleSet, Verdict, load_rules
from netkb.records.waivers import Waiver


@dataclass(frozen=True)
class Target:
    """A device to judge: its config (None: never collected) and state as the store holds them."""

    name: str
    platform: str
    groups: tuple[str, ...]
    config: str | None
    state: Mapping[str, Any]


@dataclass(frozen=True)
class Judged:
    result: Result
    waiver: Waiver | None = None  # the valid waiver excusing a failure

    @property
    def failing(self) -> bool:
        """A failure no valid waiver excuses."""
        return self.result.verdict is Verdict.FAIL and self.waiver is None


@dataclass(frozen=True)
class DeviceCompliance:
    name: str
    platform: str
    collected: bool
    judged: tuple[Judged, ...]

    def with_verdict(self, verdict: Verdict) -> list[Judged]:
        return [j for j in self.judged if j.result.verdict is verdict]

    @property
    def failing(self) -> list[Judged]:
        return [j for j in self.judged if j.failing]

    @property
    def waived(self) -> list[Judged]:
        return [j for j in self.judged if j.waiver is not None]


@dataclass(frozen=True)
class Compliance:
    rules: RuleSet
    devices: tuple[DeviceCompliance, ...]
    expired: tuple[Waiver, ...]  # waivers past their date that name a judged device: findings
    today: dt.date

    @property
    def passed(self) -> bool:
        """No unwaived failure, no expired waiver, every device collected: the CI gate is open."""
        return not self.expired and all(d.collected and not d.failing for d in self.devices)

    def failing_devices(self, rule_id: str) -> list[tuple[DeviceCompliance, Judged]]:
        return [(d, j) for d in self.devices for j in d.failing if j.result.rule == rule_id]

    def score(self) -> float | None:
        """Passed rules over judged ones (pass + fail, a waived failure counting as passed)."""
        judged = [
            j for d in self.devices for j in d.judged if j.result.verdict in (Verdict.PASS, Verdict.FAIL)
        ]
        return sum(not j.failing for j in judged) / len(judged) if judged else None


def assess(
    targets: Iterable[Target],
    waivers: list[Waiver],
    today: dt.date,
    rules: RuleSet | None = None,
    results: Callable[[Target], list[Result]] | None = None,
) -> Compliance:
    """Every rule on every target, each failure excused by a valid waiver naming the device (or
    one of its groups) and the rule. `results` may serve a target's results from a cache (the
    site keeps them by config and state blob); by default they are evaluated."""
    rules = rules or load_rules()
    judge = results or (lambda t: evaluate(t.platform, t.config or "", t.state, rules))
    valid = [w for w in waivers if not w.expired(today)]
    devices = []
    expired: dict[str, Waiver] = {}
    for target in targets:
        for waiver in waivers:
            if waiver.expired(today) and waiver.covers(target.name, target.groups):
                expired[waiver.path] = waiver
        if target.config is None:
            devices.append(DeviceCompliance(target.name, target.platform, False, ()))
            continue
        judged = []
        for result in judge(target):
            excused: Waiver | None = None
            if result.verdict is Verdict.FAIL:
                excused = next(
                    (w for w in valid if w.rule == result.rule and w.covers(target.name, target.groups)), None
                )
            judged.append(Judged(result, excused))
        devices.append(DeviceCompliance(target.name, target.platform, True, tuple(judged)))
    return Compliance(rules, tuple(devices), tuple(expired.values()), today)
