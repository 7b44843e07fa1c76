"""The log rule table (netkb/inspection/logrules.yaml): which log entries make the `logs` item abnormal.

A severity threshold alone makes every access switch abnormal every night (port up/down is an
error-level message on Comware and IOS) and lets a MAC-flapping loop through (a warning). The
table says, per vendor mnemonic and optionally per role or interface class, whether an entry is
abnormal, only counted, or ignored. Pure data and a pure matcher.
"""

from __future__ import annotations

import enum
import re
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict

from netkb.yamlsafe import safe_load


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regular expression {value!r}: {exc}") from None
    return value


Regex = Annotated[str, AfterValidator(_regex)]


class LogAction(enum.StrEnum):
    ABNORMAL = "abnormal"
    COUNT = "count"
    IGNORE = "ignore"


class LogRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    match: Regex  # on MODULE/MNEMONIC
    text: Regex | None = None
    roles: list[str] | None = None
    interface: Regex | None = None
    action: LogAction

    def matches(self, entry: dict[str, Any], role: str) -> bool:
        if self.roles is not None and role not in self.roles:
            return False
        if not _compiled(self.match).search(f"{entry.get('module')}/{entry.get('mnemonic')}"):
            return False
        text = str(entry.get("text") or "")
        if self.text is not None and not _compiled(self.text).search(text):
            return False
        if self.interface is not None:
            name = interface_named(text)
            return name is not None and bool(_compiled(self.interface).search(name))
        return True


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Interface names as log messages print them: `GigabitEthernet1/0/3`, `Gi1/0/3`, `GE0/0/1`,
# `Ten-GigabitEthernet1/0/49`, `XGigabitEthernet0/0/1`, `Eth-Trunk1`, `Bridge-Aggregation2`.
_INTERFACE = re.compile(
    r"\b((?:[A-Z][A-Za-z-]*(?:Ethernet|Aggregation|Trunk|channel)|XGE|GE|Gi|Te|Fa|Eth|Po)\d[\d/.:]*)"
)


def interface_named(text: str) -> str | None:
    m = _INTERFACE.search(text)
    return m.group(1) if m else None


@cache
def default_rules() -> tuple[LogRule, ...]:
    text = (resources.files("netkb.inspection") / "logrules.yaml").read_text(encoding="utf-8")
    return tuple(LogRule.model_validate(rule) for rule in safe_load(text)["rules"])


def classify(
    entry: dict[str, Any], role: str, severity_limit: int, extra: tuple[LogRule, ...] = ()
) -> tuple[LogAction, str]:
    """What the `logs` item does with one entry, and the rule that decided ('severity' if none)."""
    for rule in (*extra, *default_rules()):
        if rule.matches(entry, role):
            return rule.action, rule.name
    serious = int(entry["severity"]) <= severity_limit
    return (LogAction.ABNORMAL if serious else LogAction.IGNORE), "severity"
