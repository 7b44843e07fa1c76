"""The inspection (巡检) engine: the checklist (rules as data) applied to what a collect read.

Pure: `evaluate` takes one device's observation (state topics, measures, new log entries,
parse problems), the previous run's observation and the thresholds, and returns one finding
per applicable automatic item. Data that is missing or not understood gives `unknown` with the
reason, never a normal verdict and never an exception: a wrong "normal" in a signed report is
worse than an honest "could not read". The check functions themselves are netkb/inspection/checks.py.
"""

from __future__ import annotations

import enum
import re
import string
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netkb.i18n import Strings
from netkb.inspection import checks_members, checks_ospf, checks_topology  # noqa: F401  (register their checks with the others)
from netkb.inspection.checks import (
    CHECKS,
    LATE_CHECKS,
    MISSING,
    CheckInput,
    Observation,
    Thresholds,
    Verdict,
    problem_for,
    read_input,
)
from netkb.inspection.details import written
from netkb.inventory import ConfigFileError, PlatformName
from netkb.spec import PLATFORMS, load_spec
from netkb.yamlsafe import safe_load

__all__ = [
    "Checklist",
    "ChecklistItem",
    "Finding",
    "ItemTexts",
    "Kind",
    "Observation",
    "Thresholds",
    "Verdict",
    "evaluate",
    "load_checklist",
]


@dataclass(frozen=True)
class Finding:
    item_id: str
    verdict: Verdict
    detail: str  # English from the catalogue's detail templates, e.g. "fan 1/1: Fault" (details.py)
    suggestion: str = ""  # English; Checklist.texts() gives both languages


# --- the checklist (rules as data) -------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    zh: str
    en: str

    def get(self, language: str) -> str:
        return Strings(language).pick(self)


class Kind(enum.StrEnum):
    AUTO = "auto"  # read from the device on every collect
    ONSITE = "onsite"  # recorded by the engineer (netkb/records/onsite.py)


class Applies(_Strict):
    platforms: list[PlatformName] | None = None  # None: every platform
    roles: list[str] | None = None  # None: every role
    has: list[str] = Field(default_factory=list)  # only where the device reports this data


class ChecklistItem(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    kind: Kind
    item: Text
    standard: Text
    method: Text
    suggestion: Text
    applies: Applies = Field(default_factory=Applies)
    inputs: list[str] = Field(default_factory=list)
    check: str | None = None
    thresholds: list[str] = Field(default_factory=list)
    explains_logs: list[str] = Field(default_factory=list)

    def applies_to(self, platform: str, role: str) -> bool:
        platforms = self.applies.platforms
        roles = self.applies.roles
        # An automatic item applies where the platform's spec runs a command that feeds it: a
        # vendor whose spec reads no board table has no boards item (rather than a permanent
        # "unknown"). Items with `has` already follow the data the device reports.
        fed_by_spec = (
            self.kind is not Kind.AUTO
            or not self.inputs
            or bool(self.applies.has)
            or platform not in PLATFORMS
            or bool(set(self.inputs) & spec_inputs(platform))
        )
        if not fed_by_spec:
            return False
        return (platforms is None or platform in platforms) and (roles is None or role in roles)


@dataclass(frozen=True)
class ItemTexts:
    item: str
    standard: str
    method: str
    suggestion: str


class Checklist(_Strict):
    unknown_suggestion: Text
    items: list[ChecklistItem]

    def item(self, item_id: str) -> ChecklistItem:
        for entry in self.items:
            if entry.id == item_id:
                return entry
        raise KeyError(f"no checklist item {item_id!r}")

    def of_kind(self, kind: Kind) -> list[ChecklistItem]:
        return [entry for entry in self.items if entry.kind is kind]

    def texts(self, item_id: str, language: str, thresholds: Thresholds | None = None) -> ItemTexts:
        """The item's columns in one language, thresholds filled in (`{cpu_percent}` -> 80)."""
        entry = self.item(item_id)
        values = (thresholds or Thresholds()).model_dump()
        item, standard, method, suggestion = (
            getattr(entry, f).get(language).format(**values)
            for f in ("item", "standard", "method", "suggestion")
        )
        return ItemTexts(item, standard, method, suggestion)

    def commands(self, item_id: str, platform: str) -> list[str]:
        """The commands that feed an item on a platform (the report's method column)."""
        inputs = set(self.item(item_id).inputs)
        return [
            c.command
            for c in load_spec(platform).commands
            if inputs & {*c.state, *c.measure} or ("new_logs" in inputs and c.log)
        ]


@cache
def spec_inputs(platform: str) -> frozenset[str]:
    """The inputs a platform's spec feeds: its state topics, measures and (a log) new_logs."""
    names: set[str] = set()
    for command in load_spec(platform).commands:
        names |= {*command.state, *command.measure, *(["new_logs"] if command.log else [])}
    return frozenset(names)


def _known_inputs() -> set[str]:
    names = {"new_logs"}
    for platform in PLATFORMS:
        for command in load_spec(platform).commands:
            names |= {*command.state, *command.measure}
    return names


def _semantic_problems(checklist: Checklist, source: str) -> list[str]:
    problems: list[str] = []
    known_inputs, seen = _known_inputs(), set()  # type: set[str], set[str]
    for i, entry in enumerate(checklist.items):
        where = f"{source}: items[{i}]"
        if entry.id in seen:
            problems.append(f"{where}.id: {entry.id!r} is used twice")
        seen.add(entry.id)
        if entry.kind is Kind.AUTO:
            if entry.check not in CHECKS:
                problems.append(f"{where}.check: unknown check {entry.check!r}; one of {', '.join(CHECKS)}")
            if not entry.inputs:
                problems.append(f"{where}.inputs: an automatic item needs the data it reads")
        elif entry.check or entry.inputs:
            problems.append(f"{where}: an on-site item has no check or inputs (the engineer records it)")
        for name in [*entry.inputs, *entry.applies.has]:
            if name not in known_inputs:
                problems.append(f"{where}: {name!r} is no state topic or measure of any platform spec")
        for name in entry.thresholds:
            if name not in Thresholds.model_fields:
                problems.append(
                    f"{where}.thresholds: {name!r} is not one of {', '.join(Thresholds.model_fields)}"
                )
        for field in ("item", "standard", "method", "suggestion"):
            for language in ("zh", "en"):
                used = {
                    f for _, f, _, _ in string.Formatter().parse(getattr(entry, field).get(language)) if f
                }
                for name in sorted(used - set(entry.thresholds)):
                    problems.append(f"{where}.{field}.{language}: {{{name}}} is not in the item's thresholds")
        for pattern in entry.explains_logs:
            try:
                re.compile(pattern)
            except re.error as exc:
                problems.append(f"{where}.explains_logs: bad regular expression {pattern!r}: {exc}")
    return problems


def load_checklist(path: Path | None = None) -> Checklist:
    """The checklist from a file, or the one shipped in the package; every problem at once."""
    if path is None:
        source, text = "netkb/inspection/checklist.yaml", _packaged_text()
    else:
        source, text = str(path), path.read_text(encoding="utf-8")
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigFileError([f"{source}: not valid YAML: {exc}"]) from exc
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as exc:
        raise ConfigFileError(
            [
                f"{source}: {'.'.join(str(p) for p in e['loc']) or '(top level)'}: "
                + ("unknown key (check its spelling)" if e["type"] == "extra_forbidden" else e["msg"])
                for e in exc.errors()
            ]
        ) from exc
    problems = _semantic_problems(checklist, source)
    if problems:
        raise ConfigFileError(problems)
    return checklist


@cache
def _packaged_text() -> str:
    return (resources.files("netkb.inspection") / "checklist.yaml").read_text(encoding="utf-8")


# --- the engine ---------------------------------------------------------------------------


def evaluate(
    current: Observation, previous: Observation | None, checklist: Checklist, thresholds: Thresholds
) -> list[Finding]:
    """One finding per automatic item that applies to the device, in checklist order."""
    items = [
        entry
        for entry in checklist.of_kind(Kind.AUTO)
        if entry.applies_to(current.platform, current.role) and _has_data(entry, current, previous)
    ]
    results: dict[str, Finding] = {}
    for late in (False, True):
        explained = tuple(
            (f.item_id, re.compile(p, re.IGNORECASE))
            for f in results.values()
            if f.verdict is Verdict.ABNORMAL
            for p in checklist.item(f.item_id).explains_logs
        )
        for entry in items:
            if (entry.check in LATE_CHECKS) is late:
                results[entry.id] = _evaluate_item(entry, current, previous, thresholds, explained, checklist)
    return [results[entry.id] for entry in items]


def _has_data(entry: ChecklistItem, current: Observation, previous: Observation | None) -> bool:
    """`applies.has`: the device reports the data, failed to, or reported it last time."""
    for name in entry.applies.has:
        reported = name in current.state or name in current.measures or problem_for(current, name)
        if not reported and read_input(previous, name) is MISSING:
            return False
    return True


def _evaluate_item(
    entry: ChecklistItem,
    current: Observation,
    previous: Observation | None,
    thresholds: Thresholds,
    explained: tuple[tuple[str, re.Pattern[str]], ...],
    checklist: Checklist,
) -> Finding:
    unknown = checklist.unknown_suggestion.en
    data: dict[str, Any] = {}
    for name in entry.inputs:
        value = read_input(current, name)
        if value is MISSING:
            problem = problem_for(current, name)
            reason = (
                written("detail_could_not_read", input=name, problem=problem)
                if problem
                else written("detail_no_data", input=name)
            )
            return Finding(entry.id, Verdict.UNKNOWN, reason, unknown)
        data[name] = value
    check = CHECKS[entry.check or ""]
    try:
        verdict, detail = check(CheckInput(current, previous, thresholds, data, explained))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # Data of another shape (an old state file, a hand edit): say so, never crash the run.
        return Finding(entry.id, Verdict.UNKNOWN, written("detail_bad_shape", error=repr(exc)), unknown)
    if verdict is Verdict.ABNORMAL:
        return Finding(entry.id, verdict, detail, checklist.texts(entry.id, "en", thresholds).suggestion)
    return Finding(entry.id, verdict, detail, unknown if verdict is Verdict.UNKNOWN else "")
