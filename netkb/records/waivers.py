"""Baseline waivers: `compliance/*.yml`, one waiver a file, read and validated whole.

    rule: snmp-community-acl          # a rule id of the baseline (netkb/baseline/gbt22239.yaml)
    devices: [acc-admin-01]            # inventory names, and/or
    groups: [legacy-s5120]             # inventory groups (resolved by `netkb compliance`)
    reason: 旧网管平台仅支持 SNMPv2c，迁移计划见 2027 年一季度
    approver: 网络中心 王主任
    expires: 2027-03-31                # the last day it holds

A waiver excuses the rule's failure on those devices until it expires; an expired waiver no
longer excuses anything and is itself a finding (`netkb compliance`, the baseline page). A file
with a problem gives no waiver; every problem is one line naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from netkb.baseline.model import problems_of
from netkb.records.frontmatter import read_text
from netkb.yamlsafe import safe_load

FOLDER = "compliance"


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(min_length=1)
    devices: list[str] = []
    groups: list[str] = []
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: dt.date

    @model_validator(mode="after")
    def _someone(self) -> _Fields:
        if not self.devices and not self.groups:
            raise ValueError("name the devices or groups it covers")
        return self


@dataclass(frozen=True)
class Waiver:
    path: str  # as reported, e.g. "compliance/snmp-legacy.yml"
    rule: str
    devices: tuple[str, ...]
    groups: tuple[str, ...]
    reason: str
    approver: str
    expires: dt.date

    def expired(self, today: dt.date) -> bool:
        return today > self.expires

    def covers(self, device: str, groups: Iterable[str]) -> bool:
        return device in self.devices or bool(set(self.groups) & set(groups))


def parse_waiver(
    text: str, shown: str, devices: set[str], rules: set[str]
) -> tuple[Waiver | None, list[str]]:
    """One file's waiver, or None and its problems."""
    try:
        data = safe_load(text)
        fields = _Fields.model_validate(data)
    except yaml.YAMLError as exc:
        return None, [f"{shown}: not valid YAML: {exc}"]
    except ValidationError as exc:
        return None, problems_of(exc, shown)
    problems = []
    if fields.rule not in rules:
        problems.append(
            f"{shown}: rule: {fields.rule!r} is no baseline rule; one of {', '.join(sorted(rules))}"
        )
    unknown = [d for d in fields.devices if d not in devices]
    if unknown and devices:  # without an inventory, device names cannot be checked
        problems.append(f"{shown}: devices: not in the inventory: {', '.join(unknown)}")
    if problems:
        return None, problems
    waiver = Waiver(
        shown,
        fields.rule,
        tuple(fields.devices),
        tuple(fields.groups),
        fields.reason,
        fields.approver,
        fields.expires,
    )
    return waiver, []


def load_waivers(folder: Path, devices: set[str], rules: set[str]) -> tuple[list[Waiver], list[str]]:
    """Every waiver under `folder` (by rule, then file) and every problem, one line each."""
    if not folder.is_dir():
        return [], []
    waivers: list[Waiver] = []
    problems: list[str] = []
    for path in sorted([*folder.rglob("*.yml"), *folder.rglob("*.yaml")]):
        shown = path.relative_to(folder.parent).as_posix()
        text, unreadable = read_text(path, shown)
        if text is None:
            problems += unreadable
            continue
        waiver, found = parse_waiver(text, shown, devices, rules)
        problems += found
        if waiver is not None:
            waivers.append(waiver)
    waivers.sort(key=lambda w: (w.rule, w.path))
    return waivers, problems
