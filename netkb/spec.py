"""Platform specs: what to run on a platform and why, and how to clean what comes back.

A spec is data (`netkb/specs/<platform>.yaml`), loaded and validated here into frozen
dataclasses. Adding a vendor means adding a spec file, its parsers and fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from netkb.yamlsafe import safe_load

PLATFORMS = ("comware", "vrp", "ios")


class SpecError(Exception):
    pass


@dataclass(frozen=True)
class Command:
    command: str
    config: bool = False  # the running configuration (one per spec)
    state: dict[str, str] = field(default_factory=dict)  # topic -> parser: durable, kept in git
    measure: dict[str, str | None] = field(
        default_factory=dict
    )  # name -> parser: readings for the run record
    log: str | None = None  # parser of a log buffer
    optional: bool = False  # a vendor error here means "not on this device", not a failure
    # Names newer releases use for the same output, tried in order after a vendor error; the
    # output is stored and parsed under `command`.
    alternatives: tuple[str, ...] = ()

    @property
    def purposes(self) -> list[str]:
        names = [("config", self.config), ("state", self.state), ("measure", self.measure), ("log", self.log)]
        return [name for name, present in names if present]


@dataclass(frozen=True)
class VolatileRule:
    """A line that changes between displays without the device changing."""

    pattern: re.Pattern[str]
    replacement: str | None = None  # None drops the line; otherwise re.sub on it
    why: str = ""


@dataclass(frozen=True)
class SecretRule:
    """A secret in a config line: the `secret` group is replaced by a marker."""

    name: str
    pattern: re.Pattern[str]
    # True where the device prints a new cipher text for the same secret on every display
    # (VRP %^%#…%^%#): the marker is then constant, since no change can be seen in it.
    rerandomised: bool = False
    # A catch-all (`cipher|simple VALUE` anywhere) guesses from one word: trusted in command
    # lines and quoted commands, never in free text, where "link to simple switch" is prose.
    catch_all: bool = False
    # The same rule wherever a command may start inside a line (after a quote, `:`, `=` or a
    # space): for commands quoted by logs and messages, and secrets written in free text.
    anywhere: re.Pattern[str] | None = None


@dataclass(frozen=True)
class PlatformSpec:
    platform: str
    netmiko_driver: str
    trailer: re.Pattern[str]
    errors: tuple[str, ...]
    commands: tuple[Command, ...]
    volatile: tuple[VolatileRule, ...] = ()
    secrets: tuple[SecretRule, ...] = ()
    # Config lines whose rest is free text (`description …`): only recognisable secret syntax
    # is redacted there, never by a catch-all.
    free_text: re.Pattern[str] | None = None

    @property
    def config_command(self) -> Command:
        return next(c for c in self.commands if c.config)


def _compile(raw: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(raw, re.MULTILINE)
    except re.error as exc:
        raise SpecError(f"{where}: bad regular expression {raw!r}: {exc}") from exc


# A rule written for a whole config line (`^\s*password …`) starts, inside a line, after a
# quote, `=`, `:`, `;`, `,`, a bracket or a space (`Command="local-user x password …"`).
_LINE_START = re.compile(r"^\^(?:\\s[*+])?")
_ANYWHERE_START = r"(?<![^\s\"'=:;,(\[{])\s*"


def secret_rule(data: dict[str, Any], where: str) -> SecretRule:
    pattern = _compile(data["pattern"], where)
    anywhere = _compile(_LINE_START.sub(lambda _: _ANYWHERE_START, data["pattern"], count=1), where)
    return SecretRule(
        data["name"], pattern, bool(data.get("rerandomised")), bool(data.get("catch_all")), anywhere
    )


def parse_spec(data: dict[str, Any], source: str) -> PlatformSpec:
    try:
        commands = tuple(
            Command(**{**entry, "alternatives": tuple(entry.get("alternatives") or ())})
            for entry in data["commands"]
        )
        volatile = tuple(
            VolatileRule(
                _compile(r["pattern"], f"{source}: volatile[{i}]"), r.get("replacement"), r.get("why", "")
            )
            for i, r in enumerate(data.get("volatile") or [])
        )
        secrets = tuple(
            secret_rule(r, f"{source}: secrets[{i}]") for i, r in enumerate(data.get("secrets") or [])
        )
        spec = PlatformSpec(
            platform=data["platform"],
            netmiko_driver=data["netmiko_driver"],
            trailer=_compile(data["trailer"], f"{source}: trailer"),
            errors=tuple(data["errors"]),
            commands=commands,
            volatile=volatile,
            secrets=secrets,
            free_text=_compile(data["free_text"], f"{source}: free_text") if data.get("free_text") else None,
        )
    except (KeyError, TypeError) as exc:
        raise SpecError(f"{source}: malformed spec: {exc}") from exc
    for rule in spec.secrets:
        if "secret" not in rule.pattern.groupindex:
            raise SpecError(f"{source}: secret rule {rule.name!r} has no (?P<secret>…) group")
    if sum(c.config for c in commands) != 1:
        raise SpecError(f"{source}: exactly one command must have config: true")
    return spec


@cache
def load_spec(platform: str) -> PlatformSpec:
    if platform not in PLATFORMS:
        raise SpecError(f"unknown platform {platform!r}; one of {', '.join(PLATFORMS)}")
    source = resources.files("netkb") / "specs" / f"{platform}.yaml"
    return parse_spec(safe_load(source.read_text(encoding="utf-8")), f"netkb/specs/{platform}.yaml")
