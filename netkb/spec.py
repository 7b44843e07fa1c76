"""Platform specs: what to run on a platform and why, and how to clean what comes back.

A platform is data: one file `netkb/specs/<platform>.yaml` each (redaction.yaml beside them
holds the rules shared by all), validated whole by a frozen pydantic model, every problem
reported at once as `file: key.path: what is wrong`, then compiled into frozen dataclasses.
The platforms are the files found there: core code never names one. Adding a vendor means
adding a spec file, its parser module, its lab module and fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from netkb.yamlsafe import safe_load

NOTHING = re.compile(r"(?!)")  # a pattern that matches no text
SHARED_FILES = ("redaction.yaml",)  # rules shared by every platform, not a platform


def _discover() -> tuple[str, ...]:
    folder = resources.files("netkb") / "specs"
    return tuple(
        sorted(
            entry.name.removesuffix(".yaml")
            for entry in folder.iterdir()
            if entry.name.endswith(".yaml") and entry.name not in SHARED_FILES
        )
    )


PLATFORMS: tuple[str, ...] = _discover()


class SpecError(Exception):
    """A spec file is invalid; `problems` holds one line per problem (file: key: what)."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("\n".join(self.problems))


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
    # (a cipher re-encrypted with a fresh salt): the marker is then constant, since no change
    # can be seen in it.
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
    enable: bool = False  # commands need privileged mode: `enable` after login (with a password)
    hostname: re.Pattern[str] = NOTHING  # group 1: the name the config gives the device
    ospf_config: re.Pattern[str] | None = None  # a config line that runs OSPF
    irf_config: bool = False  # the config declares IRF members and ports (collector/expectations.py)
    comment: str = "#"  # the config's comment character (Oxidized headers use it too)
    import_header: re.Pattern[str] = NOTHING  # lines a config may open with that look like comments
    vendor_names: frozenset[str] = frozenset()  # lower case: names its devices are sold under
    config_language: str = "text"  # the Pygments lexer of its config on the site
    config_syntax: str = ""  # ciscoconfparse's dialect for its config's indentation (collector/sections.py)
    parsers: str = ""  # the module in collector/parsers/ its parser names start with
    lab: str | None = None  # the lab's CLI class, `module:Class` in lab/platforms/
    # First keywords of commands that change the device (`netkb exec` refuses them without --config).
    changing_commands: tuple[str, ...] = ()

    @property
    def config_command(self) -> Command:
        return next(c for c in self.commands if c.config)


# --- the file's schema ------------------------------------------------------------------------


def _regex(raw: str) -> str:
    try:
        re.compile(raw, re.MULTILINE)
    except re.error as exc:
        raise ValueError(f"bad regular expression {raw!r}: {exc}") from None
    return raw


Regex = Annotated[str, AfterValidator(_regex)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommandEntry(_Strict):
    command: Annotated[str, Field(min_length=1)]
    config: bool = False
    state: dict[str, str] = Field(default_factory=dict)
    measure: dict[str, str | None] = Field(default_factory=dict)
    log: str | None = None
    optional: bool = False
    alternatives: list[str] = Field(default_factory=list)


class VolatileEntry(_Strict):
    pattern: Regex
    replacement: str | None = None
    why: str = ""


class SecretEntry(_Strict):
    name: str
    pattern: Regex
    rerandomised: bool = False
    catch_all: bool = False

    @model_validator(mode="after")
    def _has_secret_group(self) -> SecretEntry:
        if "secret" not in re.compile(self.pattern).groupindex:
            raise ValueError(f"secret rule {self.name!r} has no (?P<secret>…) group")
        return self


class Identity(_Strict):
    hostname: Regex  # group 1 is the name

    @model_validator(mode="after")
    def _has_group(self) -> Identity:
        if re.compile(self.hostname).groups < 1:
            raise ValueError("hostname needs a group: (…) around the name")
        return self


class SpecFile(_Strict):
    """One `netkb/specs/<platform>.yaml`."""

    platform: Name
    netmiko_driver: Annotated[str, Field(min_length=1)]
    enable: bool = False
    vendor_names: list[str] = Field(default_factory=list)
    parsers: Name
    lab: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*:[A-Za-z_][A-Za-z0-9_]*$")] | None = None
    identity: Identity
    comment: Annotated[str, Field(min_length=1, max_length=1)]
    import_header: Regex
    ospf_config: Regex | None = None
    irf_config: bool = False
    config_language: str = "text"
    config_syntax: Annotated[str, Field(min_length=1)]
    trailer: Regex
    errors: Annotated[list[str], Field(min_length=1)]
    changing_commands: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]] = Field(default_factory=list)
    commands: Annotated[list[CommandEntry], Field(min_length=1)]
    volatile: list[VolatileEntry] = Field(default_factory=list)
    free_text: Regex | None = None
    secrets: list[SecretEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_config(self) -> SpecFile:
        if sum(c.config for c in self.commands) != 1:
            raise ValueError("exactly one command must have config: true")
        return self


def _key_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def validate_spec_file(data: Any, source: str) -> SpecFile:
    """The file's model, or SpecError with every problem at once."""
    if not isinstance(data, dict):
        raise SpecError(f"{source}: expected a mapping of keys (platform, commands, …)")
    try:
        return SpecFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            if err["type"] == "extra_forbidden":
                message = "unknown key (check its spelling)"
            elif err["type"] == "value_error":
                message = str(err.get("ctx", {}).get("error", err["msg"]))
            else:
                message = err["msg"]
            problems.append(f"{source}: {_key_path(tuple(err['loc']))}: {message}")
        raise SpecError(problems) from exc


# --- compiled ---------------------------------------------------------------------------------


def _compile(raw: str) -> re.Pattern[str]:
    return re.compile(raw, re.MULTILINE)


# A rule written for a whole config line (`^\s*password …`) starts, inside a line, after a
# quote, `=`, `:`, `;`, `,`, a bracket or a space (`Command="local-user x password …"`).
_LINE_START = re.compile(r"^\^(?:\\s[*+])?")
_ANYWHERE_START = r"(?<![^\s\"'=:;,(\[{])\s*"


def secret_rule(data: dict[str, Any], where: str) -> SecretRule:
    try:
        entry = SecretEntry.model_validate(data)
    except ValidationError as exc:
        raise SpecError(f"{where}: {exc.errors()[0]['msg']}") from exc
    anywhere = _compile(_LINE_START.sub(lambda _: _ANYWHERE_START, entry.pattern, count=1))
    return SecretRule(entry.name, _compile(entry.pattern), entry.rerandomised, entry.catch_all, anywhere)


def parse_spec(data: Any, source: str) -> PlatformSpec:
    spec = validate_spec_file(data, source)
    return PlatformSpec(
        platform=spec.platform,
        netmiko_driver=spec.netmiko_driver,
        trailer=_compile(spec.trailer),
        errors=tuple(spec.errors),
        commands=tuple(
            Command(
                c.command, c.config, dict(c.state), dict(c.measure), c.log, c.optional, tuple(c.alternatives)
            )
            for c in spec.commands
        ),
        volatile=tuple(VolatileRule(_compile(r.pattern), r.replacement, r.why) for r in spec.volatile),
        secrets=tuple(
            secret_rule(r.model_dump(), f"{source}: secrets[{i}]") for i, r in enumerate(spec.secrets)
        ),
        free_text=_compile(spec.free_text) if spec.free_text else None,
        enable=spec.enable,
        hostname=_compile(spec.identity.hostname),
        ospf_config=_compile(spec.ospf_config) if spec.ospf_config else None,
        irf_config=spec.irf_config,
        comment=spec.comment,
        import_header=re.compile(spec.import_header),
        vendor_names=frozenset(n.lower() for n in spec.vendor_names),
        config_language=spec.config_language,
        config_syntax=spec.config_syntax,
        parsers=spec.parsers,
        lab=spec.lab,
        changing_commands=tuple(spec.changing_commands),
    )


@cache
def load_spec(platform: str) -> PlatformSpec:
    if platform not in PLATFORMS:
        raise SpecError(f"unknown platform {platform!r}; one of {', '.join(PLATFORMS)}")
    source = resources.files("netkb") / "specs" / f"{platform}.yaml"
    spec = parse_spec(safe_load(source.read_text(encoding="utf-8")), f"netkb/specs/{platform}.yaml")
    if spec.platform != platform:
        raise SpecError(f"netkb/specs/{platform}.yaml: platform: {spec.platform!r} is not the file's name")
    return spec


def find_spec(platform: str) -> PlatformSpec | None:
    """The spec of a platform name from outside (a history, a page), or None when unknown."""
    return load_spec(platform) if platform in PLATFORMS else None
