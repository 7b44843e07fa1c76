"""From fetched outputs to what is stored: the cleaning pipeline of one device (pure).

decode (already done by the channel) → de-page and strip volatile lines → redact → parse.
The configs are redacted as configs, the log buffer (which quotes commands as typed) as
quoted text, and every string of parsed state (descriptions, SNMP location…) as free text,
before anything else sees them, so no later step (files, caches, run record, messages) can
leak a secret. Messages that quote device text go through `redact_quoted` too. The gate is
gate.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

import yaml

from netkb.collector.clean import clean, clean_output
from netkb.collector.fetch import Fetched
from netkb.collector.parsecache import ParseCache
from netkb.collector.parsers import ParseError, get_parser
from netkb.collector.redact import redact, redact_quoted, redact_state
from netkb.collector.runrecord import Stage
from netkb.spec import Command, PlatformSpec


@dataclass
class Snapshot:
    config: str
    state: dict[str, str] = field(default_factory=dict)  # topic -> YAML text
    parsed: dict[str, object] = field(default_factory=dict)  # topic -> parsed data (for the inspection)
    measures: dict[str, object] = field(default_factory=dict)
    logs: list[dict[str, object]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # outputs that could not be parsed

    def files(self, device: str) -> dict[str, bytes]:
        files = {f"devices/{device}/config.txt": self.config.encode("utf-8")}
        for topic, text in self.state.items():
            files[f"devices/{device}/state/{topic}.yml"] = text.encode("utf-8")
        return files


def _scalar(value: object) -> str | None:
    """A scalar as YAML, or None if it is not one. Strings are double-quoted JSON strings,
    which YAML reads back exactly (so no word like `yes`, `1/0` or `null` changes type)."""
    if type(value) is str:  # most values: json.dumps's own string encoder, without its call overhead
        return _json_string(value)
    if value is None or isinstance(value, bool | int | float | str):
        return json.dumps(value, ensure_ascii=False)
    return None


def dump_state(data: object) -> str:
    """State as YAML. The parsers' shapes (a mapping of scalars, a list of such mappings, a
    number) are written directly — PyYAML's representer costs more than parsing the device;
    anything else goes through PyYAML."""
    if (line := _scalar(data)) is not None:
        return line + "\n"
    rows = data if isinstance(data, list) else [data] if isinstance(data, dict) else None
    if rows and all(isinstance(r, dict) and r for r in rows):
        flat = [[(str(k), _scalar(v)) for k, v in r.items()] for r in rows]  # type: ignore[union-attr]
        if all(v is not None and _PLAIN_KEY.fullmatch(k) for row in flat for k, v in row):
            if isinstance(data, dict):
                return "".join(f"{k}: {v}\n" for k, v in flat[0])
            return "".join(
                "".join(f"{'- ' if i == 0 else '  '}{k}: {v}\n" for i, (k, v) in enumerate(row))
                for row in flat
            )
    if isinstance(data, list) and not data:
        return "[]\n"
    return yaml.dump(
        data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=False, width=200
    )


_PLAIN_KEY = re.compile(r"[a-z_][a-z0-9_]*")
_json_string = json.encoder.encode_basestring  # what json.dumps(str, ensure_ascii=False) returns
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class StageError(Exception):
    """An exception netkb did not expect while turning one output into files.

    Says at which stage and on which command's output; the exception itself is the cause
    (`raise StageError(...) from exc`), and its message is not repeated here (it may quote
    device text: whoever shows it redacts it with `redact_quoted`).
    """

    def __init__(self, stage: Stage, command: str) -> None:
        super().__init__(f"{stage} of {command!r}")
        self.stage, self.command = stage, command


@dataclass
class _At:
    """Where build_snapshot is: kept up to date as it goes (cheaper than a handler per step)."""

    stage: Stage
    command: str


def _problem(what: str, exc: ParseError, spec: PlatformSpec, key: bytes) -> str:
    """An output that did not parse, for the run record (its message may quote device text)."""
    return redact_quoted(f"{what}: {exc}", spec, key)


def _cleaned_config(
    raw: str, spec: PlatformSpec, key: bytes, cache: ParseCache | None, at: _At | None = None
) -> str:
    at = at or _At(Stage.CLEAN, "")

    def cleaned_and_redacted() -> str:
        at.stage = Stage.CLEAN
        cleaned = clean(raw, spec)
        at.stage = Stage.REDACT
        return redact(cleaned, spec, key)

    if cache is None:
        return cleaned_and_redacted()
    slot = cache.key(f"config:{spec.platform}", raw)
    config = cache.get(slot)
    if not isinstance(config, str):
        config = cleaned_and_redacted()
        cache.put(slot, config)
    return config


def _parsed_state(
    parser: str, text: str, spec: PlatformSpec, key: bytes, cache: ParseCache | None
) -> tuple[object, str]:
    """(parsed, YAML) of a state output, redacted; the cache keeps both as JSON-able values,
    and a hit is decoded afresh, so no two devices ever share one parsed object."""
    if cache is None:
        parsed = redact_state(get_parser(parser)(text), spec, key)
        return parsed, dump_state(parsed)
    slot = cache.key(f"state:{spec.platform}:{parser}", text)
    hit = cache.get(slot)
    if isinstance(hit, list) and len(hit) == 2:
        return json.loads(hit[0]), hit[1]
    parsed = redact_state(get_parser(parser)(text), spec, key)
    dumped = dump_state(parsed)
    cache.put(slot, [json.dumps(parsed, ensure_ascii=False), dumped])
    return parsed, dumped


def _state_from_raw(
    snap: Snapshot, command: Command, raw: str, spec: PlatformSpec, key: bytes, cache: ParseCache, at: _At
) -> None:
    slot = cache.key(f"raw-state:{spec.platform}:{command.command}", raw)
    hit = cache.get(slot)
    if not isinstance(hit, dict):
        at.stage = Stage.CLEAN
        text = clean_output(raw, spec)
        at.stage = Stage.PARSE
        hit = {}
        for topic, parser in command.state.items():
            try:
                parsed = redact_state(get_parser(parser)(text), spec, key)
                hit[topic] = [json.dumps(parsed, ensure_ascii=False), dump_state(parsed)]
            except ParseError as exc:
                hit[topic] = _problem(f"{command.command!r} ({topic})", exc, spec, key)
        cache.put(slot, hit)
    for topic, value in hit.items():
        if isinstance(value, str):
            snap.problems.append(value)
        else:
            snap.parsed[topic], snap.state[topic] = json.loads(value[0]), value[1]


def build_snapshot(
    spec: PlatformSpec, fetched: Fetched, key: bytes, cache: ParseCache | None = None
) -> Snapshot:
    """The device's files, parsed state, measures and logs from its outputs.

    A `ParseError` is a problem of that output (the device's other outputs still count);
    any other exception is a bug and raises `StageError` naming the stage and the command.
    """
    at = _At(Stage.CLEAN, spec.config_command.command)
    try:
        return _build(spec, fetched, key, cache, at)
    except Exception as exc:
        raise StageError(at.stage, at.command) from exc


def _build(spec: PlatformSpec, fetched: Fetched, key: bytes, cache: ParseCache | None, at: _At) -> Snapshot:
    config_cmd = spec.config_command.command
    config = _cleaned_config(fetched.outputs[config_cmd], spec, key, cache, at)
    snap = Snapshot(config=config)
    for command in spec.commands:
        if command.config or command.command not in fetched.outputs:
            continue
        raw = fetched.outputs[command.command]
        at.command = command.command
        if None in command.measure.values():  # the saved configuration: compared, never stored
            saved = _cleaned_config(raw, spec, key, cache, at)
            for name in command.measure:
                snap.measures[name] = _significant(saved) == _significant(config)
            continue
        if command.state and not command.measure and not command.log and cache is not None:
            # State only (boards, VLANs, interfaces…): an output seen before, byte for byte,
            # needs neither cleaning nor parsing.
            _state_from_raw(snap, command, raw, spec, key, cache, at)
            continue
        at.stage = Stage.CLEAN
        text = clean_output(raw, spec)
        if command.log:
            # Log buffers quote commands as typed (`Command="local-user x password simple …"`)
            # and the user names of failed logins (often a mistyped password).
            at.stage = Stage.REDACT
            text = redact_quoted(text, spec, key)
        at.stage = Stage.PARSE
        for topic, parser in command.state.items():
            try:
                snap.parsed[topic], snap.state[topic] = _parsed_state(parser, text, spec, key, cache)
            except ParseError as exc:
                snap.problems.append(_problem(f"{command.command!r} ({topic})", exc, spec, key))
        for name, measure_parser in command.measure.items():
            assert measure_parser is not None  # handled above
            try:
                snap.measures[name] = redact_state(get_parser(measure_parser)(text), spec, key)
            except ParseError as exc:
                snap.problems.append(_problem(f"{command.command!r} ({name})", exc, spec, key))
        if command.log:
            try:
                snap.logs = list(get_parser(command.log)(text))  # type: ignore[call-overload]
            except ParseError as exc:
                snap.problems.append(_problem(f"{command.command!r} (log)", exc, spec, key))
    return snap


def _significant(config: str) -> list[str]:
    """Config lines that carry meaning: separators (`#`, `!`) and blank lines left out.

    The saved config prints its own header comments (IOS `Using N out of M bytes`, `! NVRAM
    config last updated`); once those volatile lines are gone, their separators remain.
    """
    return [line for line in config.splitlines() if line.strip() not in ("", "!", "#")]


def entry_id(entry: dict[str, object]) -> str:
    """A short fingerprint of a log entry, to find where the last run stopped reading."""
    raw = f"{entry.get('time')}|{entry.get('module')}|{entry.get('mnemonic')}|{entry.get('text')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def new_log_entries(logs: list[dict[str, object]], last_seen: str | None) -> list[dict[str, object]]:
    """Entries after the one the previous run saw last (all of them if it is gone: wrapped or rebooted).

    Parsers return log entries oldest first, whatever order the platform prints them in.
    """
    ids = [entry_id(e) for e in logs]
    if last_seen is None or last_seen not in ids:
        return logs
    return logs[ids.index(last_seen) + 1 :]
