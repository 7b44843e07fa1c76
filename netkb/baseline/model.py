"""The baseline rule file as frozen models, validated at load with every error at once.

A rule says, per platform, how its check reads a config: lines that must be there (`require`,
all of them; `any_of`, one of them), lines that must not (`forbid`), a number to compare
(`numeric`), optionally inside each section whose top-level line matches `section`, and what a
config that shows none of it means (`absent`: a vendor default the running config does not
print is `unknown` with the reason, never a pass from a missing line alone).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from netkb.inspection.logrules import Regex
from netkb.inventory import ConfigFileError
from netkb.spec import PLATFORMS  # the platform registry: one file per platform in netkb/specs/
from netkb.yamlsafe import safe_load

Pattern = Regex  # a Python regular expression, checked when the file is read


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Frozen):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


class Numeric(Frozen):
    """A number read from a line: `pattern` has a group `minutes` (and optionally `seconds`);
    0 minutes and 0 seconds means "never" (no timeout), which no bound accepts."""

    pattern: Pattern
    max_minutes: float = Field(gt=0)


class StateFilter(Frozen):
    """Only the sections whose interface the state lists with these values (e.g. oper: down)."""

    topic: str
    where: dict[str, str]


class Check(Frozen):
    """How one platform's config is judged for a rule (see the module)."""

    applies_if: Pattern | None = None  # no such line: not applicable
    section: Pattern | None = None  # judged in each section whose top-level line matches
    skip_sections_with: list[Pattern] = []  # a section holding one of these is not judged
    state: StateFilter | None = None  # only sections the state selects (needs state)
    require: list[Pattern] = []
    any_of: list[Pattern] = []
    forbid: list[Pattern] = []
    numeric: Numeric | None = None
    absent: Verdict = Verdict.FAIL  # what a missing required line means
    because: Text | None = None  # why, when `absent` is not fail (the vendor default)
    found: Verdict = Verdict.PASS  # what every required line present means
    found_because: Text | None = None  # why, when `found` is not pass (what the lines cannot show)
    no_section: Verdict = Verdict.UNKNOWN  # no section matches `section`
    no_section_because: Text | None = None

    @model_validator(mode="after")
    def _explained(self) -> Check:
        if not (self.require or self.any_of or self.forbid or self.numeric):
            raise ValueError("a check needs require, any_of, forbid or numeric")
        if self.absent is not Verdict.FAIL and self.because is None:
            raise ValueError(f"absent: {self.absent.value} needs `because` (the vendor default)")
        if self.found is not Verdict.PASS and self.found_because is None:
            raise ValueError(f"found: {self.found.value} needs `found_because`")
        if self.section and self.no_section is not Verdict.NOT_APPLICABLE and not self.no_section_because:
            raise ValueError("a sectioned check needs `no_section_because` (or no_section: not_applicable)")
        return self


class Rule(Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    clause: str = Field(pattern=r"^8\.1\.4\.[1-4] [a-f]\)$")
    clause_title: Text
    severity: Severity
    checks: dict[str, Check]
    remediation: dict[str, list[str]]

    @model_validator(mode="after")
    def _platforms(self) -> Rule:
        unknown = sorted(set(self.checks) - set(PLATFORMS)) + sorted(set(self.remediation) - set(PLATFORMS))
        if unknown:
            raise ValueError(f"unknown platform(s) {', '.join(unknown)}; known: {', '.join(PLATFORMS)}")
        missing = sorted(set(self.checks) - set(self.remediation))
        if missing:
            raise ValueError(f"no remediation for {', '.join(missing)}")
        return self


class RuleSet(Frozen):
    name: Text
    source: Text  # where the clause numbers were taken from
    rules: list[Rule]

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        ids = [r.id for r in self.rules]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"rule id(s) used twice: {', '.join(twice)}")
        return self

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def parse_rules(text: str, source: str) -> RuleSet:
    """A rule file's text as a RuleSet, or ConfigFileError listing every problem with its key path."""
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigFileError([f"{source}: not valid YAML: {exc}"]) from exc
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise ConfigFileError(problems_of(exc, source)) from exc


def problems_of(exc: ValidationError, source: str) -> list[str]:
    """Every error of a validation, one line each: file, key path, what is wrong."""
    lines = []
    for err in exc.errors():
        where = ".".join(str(part) for part in err["loc"]) or "(top level)"
        what = "unknown key (check its spelling)" if err["type"] == "extra_forbidden" else err["msg"]
        lines.append(f"{source}: {where}: {what}")
    return lines


def load_rules(path: Path | None = None) -> RuleSet:
    """A rule file, or the one shipped with netkb (gbt22239.yaml)."""
    if path is not None:
        return parse_rules(path.read_text(encoding="utf-8"), str(path))
    return _packaged()


@cache
def _packaged() -> RuleSet:
    text = (resources.files("netkb.baseline") / "gbt22239.yaml").read_text(encoding="utf-8")
    return parse_rules(text, "netkb/baseline/gbt22239.yaml")
