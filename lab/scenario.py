"""Replay a dated scenario on a running lab: nightly collects, and between them the changes
and faults of a campus's season (`netkb lab scenario lab/scenarios/campus.yaml`).

A scenario file is data:

    title: 秋季学期 / Autumn term
    time_zone: Asia/Shanghai
    first_night: 2026-08-28          # a collect every night from here …
    last_night: 2026-11-25           # … to here, at collect_time
    collect_time: "02:00"            # quoted: YAML reads 02:00 as a number
    events:
      - at: 2026-09-01T21:30          # local time of the scenario's zone
        device: agg-lib
        config: [vlan 105, name lib-5]   # through configuration mode over SSH (netmiko), then saved
        save: true                       # false leaves the change unsaved
        note: 图书馆自助借还 VLAN
      - {at: 2026-09-14T16:40, device: core-1, fault: fan}        # netkb lab fault
      - {at: 2026-09-15T14:30, device: core-1, clear: fan}        # clear one fault, or: all
      - {at: 2026-10-17T23:00, device: core-2, upgrade: "7.1.070, Release 7585P08"}

Before every step the lab's clock is set to the step's time, so device logs, uptimes and
clocks agree with the dates of the commits (`collect --at`). The collector runs in this
process, one run per night, with as many workers as devices.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from netkb.errors import OneLineError
from netkb.inventory import ConfigFileError, Inventory, Strict, load_inventory, read_yaml, validate
from netkb.lab import daemon
from netkb.lab.control import request
from netkb.lab.model import Fault
from netkb.run_records import record_key, records_in
from netkb.settings import load_settings

MAX_WORKERS = 64


class ScenarioError(OneLineError):
    """A step could not be carried out; the message names the step and why."""


class Event(Strict):
    at: dt.datetime  # without a zone: the scenario's time zone
    device: str
    config: Annotated[list[str], Field(min_length=1)] | None = None
    save: bool = True
    fault: Fault | None = None
    clear: Fault | Literal["all"] | None = None
    upgrade: Annotated[str, Field(min_length=1)] | None = None
    note: str = ""

    @model_validator(mode="after")
    def _one_action(self) -> Event:
        given = [k for k in ("config", "fault", "clear", "upgrade") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of config, fault, clear, upgrade"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self

    def describe(self) -> str:
        if self.config is not None:
            return f"{self.device} config ({len(self.config)} lines{'' if self.save else ', unsaved'})"
        if self.fault is not None:
            return f"{self.device} fault {self.fault.value}"
        if self.clear is not None:
            return f"{self.device} clear {self.clear}"
        return f"{self.device} upgrade to {self.upgrade}"


class Scenario(Strict):
    title: str
    time_zone: str = "Asia/Shanghai"
    first_night: dt.date
    last_night: dt.date
    collect_time: dt.time = dt.time(2, 0)
    events: list[Event] = Field(default_factory=list)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name, e.g. Asia/Shanghai)") from None
        return value

    @model_validator(mode="after")
    def _nights_in_order(self) -> Scenario:
        if self.last_night < self.first_night:
            raise ValueError(f"last_night {self.last_night} is before first_night {self.first_night}")
        return self

    @property
    def zone(self) -> dt.tzinfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local(self, when: dt.datetime) -> dt.datetime:
        return when if when.tzinfo else when.replace(tzinfo=self.zone)

    def nights(self) -> list[dt.datetime]:
        days = (self.last_night - self.first_night).days + 1
        return [
            dt.datetime.combine(self.first_night + dt.timedelta(days=n), self.collect_time, self.zone)
            for n in range(days)
        ]


@dataclass(frozen=True)
class Step:
    when: dt.datetime
    event: Event | None  # None: the nightly collect
    index: int = -1  # the event's position in the file, for messages


def load_scenario(path: Path, inventory: Inventory) -> Scenario:
    """The scenario, validated whole against itself and the inventory (every problem at once)."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigFileError([f"{path}: expected a mapping with first_night, last_night and events"])
    scenario = validate(Scenario, data, path)
    names = {d.name for d in inventory.devices}
    nights = scenario.nights()
    problems = []
    for i, event in enumerate(scenario.events):
        if event.device not in names:
            problems.append(f"{path}: events[{i}].device: {event.device!r} is not in the inventory")
        when = scenario.local(event.at)
        if not nights[0] - dt.timedelta(days=1) <= when <= nights[-1]:
            problems.append(
                f"{path}: events[{i}].at: {when.isoformat()} is outside the scenario "
                f"(from a day before the first night to the last night's collect, {nights[-1].isoformat()})"
            )
    if problems:
        raise ConfigFileError(problems)
    return scenario


def timeline(scenario: Scenario) -> list[Step]:
    """Every step in time order; an event at the very time of a collect comes before it."""
    steps = [Step(when, None) for when in scenario.nights()]
    steps += [Step(scenario.local(e.at), e, i) for i, e in enumerate(scenario.events)]
    return sorted(steps, key=lambda s: (s.when, s.event is None, s.index))


@dataclass
class ReplaySummary:
    nights: int = 0
    events: int = 0
    commits: int = 0
    failed_device_nights: int = 0
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReplayOptions:
    state: Path  # the running lab's state folder
    inventory: Path
    settings: Path | None  # None: the defaults, relative to `base`
    base: Path  # the project root (a settings file's own paths are relative to its folder)
    workers: int | None = None


def replay(
    path: Path, options: ReplayOptions, progress: Callable[[str], None] | None = None
) -> ReplaySummary:
    """Run the scenario's timeline on the running lab; `progress` gets one line per night."""
    # netmiko and GitPython take a while to import: only this verb pays for them.
    from netkb.collector.collect import CollectOptions, Collector
    from netkb.credentials import load_credentials
    from netkb.lab.configsession import ConfigChangeError, apply_config

    inventory = load_inventory(options.inventory)
    scenario = load_scenario(path, inventory)
    settings = load_settings(options.settings)
    collector = Collector(inventory, options.inventory, settings, options.base)
    _refuse_later_history(collector.repo_path, scenario.nights()[0])
    credentials = load_credentials(collector.credentials_path, {d.credentials for d in inventory.devices})
    entries = {d.name: d for d in inventory.devices}
    control = daemon.socket_path(options.state.resolve())
    workers = options.workers or min(MAX_WORKERS, len(inventory.devices))

    summary, started = ReplaySummary(), time.monotonic()
    done_today: list[str] = []  # events since the last collect, shown on the night's line
    for step in timeline(scenario):
        _control(control, {"op": "clock", "at": step.when.isoformat()}, step)
        event = step.event
        if event is None:
            night_started = time.monotonic()
            record = collector.run(CollectOptions(workers=workers, at=step.when))
            counts = record.counts()
            summary.nights += 1
            summary.commits += counts["changed"]
            summary.failed_device_nights += counts["failed"]
            line = (
                f"{step.when:%Y-%m-%d %H:%M}  {counts['changed']:>2} changed  {counts['failed']:>2} failed"
                f"  {time.monotonic() - night_started:4.1f} s"
                + (f"  | {'; '.join(done_today)}" if done_today else "")
            )
            summary.lines.append(line)
            if progress:
                progress(line)
            done_today = []
            continue
        if event.config is not None:
            entry = entries[event.device]
            try:
                apply_config(entry, credentials[entry.credentials], event.config, event.save)
            except ConfigChangeError as exc:
                raise ScenarioError(
                    f"{path}: events[{step.index}] at {step.when:%Y-%m-%d %H:%M}: {exc}"
                ) from exc
        elif event.fault is not None:
            _control(control, {"op": "fault", "device": event.device, "kind": event.fault.value}, step)
        elif event.clear is not None:
            kind = None if event.clear == "all" else str(event.clear)
            _control(control, {"op": "clear", "device": event.device, "kind": kind}, step)
        else:
            _control(control, {"op": "upgrade", "device": event.device, "version": event.upgrade}, step)
        summary.events += 1
        done_today.append(f"{step.when:%m-%d %H:%M} {event.describe()}")
    summary.seconds = time.monotonic() - started
    return summary


def _control(socket: Path, payload: dict[str, Any], step: Step) -> None:
    answer = request(socket, payload)
    if not answer.get("ok"):
        where = f"events[{step.index}]" if step.event else "nightly collect"
        raise ScenarioError(f"{where} at {step.when:%Y-%m-%d %H:%M}: the lab refused: {answer.get('error')}")


def _refuse_later_history(repo: Path, first: dt.datetime) -> None:
    """A replay appends dated history: on top of later history the dates would run backwards."""
    runs = records_in(repo)
    latest = record_key(runs[0], lambda: (repo / runs[0]).read_bytes())[0] if runs else None
    if latest is not None and latest >= first:
        raise ScenarioError(
            f"the snapshot repository {repo} already has runs up to "
            f"{latest.astimezone(first.tzinfo):%Y-%m-%d %H:%M}, after the "
            f"scenario's first night ({first:%Y-%m-%d %H:%M}); replay into a fresh repository "
            "(remove it, or point settings snapshot_repo elsewhere)"
        )


def stdout_progress() -> Callable[[str], None] | None:
    """One line per night on a terminal; nothing when the output is not one (CI logs stay short)."""
    if not sys.stdout.isatty():
        return None
    return lambda line: print(line, flush=True)
