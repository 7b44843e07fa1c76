"""`netkb parse`: the collector's own path on a saved output, offline.

A user checks a capture from their own network (and the tests check the real-capture corpus)
with exactly what a collect does to that command's output: decode, clean, redact, the parsers
the platform spec names, then the checklist items the command feeds, as a first run (no
previous run to compare with) with the settings' thresholds. Nothing is written anywhere.

The JSON shape is a public interface: {"platform", "command", "state", "measures", "logs",
"problems", "verdicts": {item id: {"verdict", "detail"}}}.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import json
import secrets
import sys
from pathlib import Path
from typing import Any

from netkb.collector.expectations import merged
from netkb.collector.fetch import Fetched
from netkb.collector.redaction_key import offline_key
from netkb.collector.snapshot import Snapshot, build_snapshot
from netkb.inspection.checklist import Checklist, evaluate, load_checklist
from netkb.inspection.checks import Observation, Thresholds, Verdict
from netkb.inventory import ConfigFileError, Expect
from netkb.settings import load_settings
from netkb.spec import PLATFORMS, Command, PlatformSpec, load_spec

# Without a key given: one random key per process. A fixed key would be published with the
# code, and markers made with it could be checked against a dictionary.
ONE_TIME_KEY = secrets.token_bytes(32)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "parse",
        help="run the collector's cleaning, parsers and checks on a saved output (offline)",
        description="Parse a saved command output the way `netkb collect` does, and judge it as a first run.",
    )
    p.add_argument("--platform", required=True, help=f"one of {', '.join(PLATFORMS)}")
    p.add_argument(
        "--command",
        required=True,
        dest="output_command",
        help='the command that printed FILE, e.g. "display fan"',
    )
    p.add_argument("file", type=Path, metavar="FILE", help="the saved output")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"what the device should show, as the inventory's expect ({', '.join(Expect.model_fields)})",
    )
    p.add_argument("--role", help="the device's role (default: judge every item the command feeds)")
    p.add_argument("--encoding", default="utf-8", help="the file's encoding, as the inventory's (utf-8)")
    p.add_argument("--settings", type=Path, help="settings file whose thresholds apply (default: built-in)")
    p.set_defaults(handler=run)


def find_command(spec: PlatformSpec, typed: str) -> Command:
    """The spec's command for what the user typed (case and spacing ignored), or a usage error."""
    wanted = " ".join(typed.lower().split())
    parsed = [c for c in spec.commands if c.state or c.log or any(c.measure.values())]
    for command in parsed:
        if wanted in (command.command, *command.alternatives):
            return command
    raise ConfigFileError(
        [
            f"--command: {typed!r} is not a parsed {spec.platform} command; one of: "
            + ", ".join(repr(c.command) for c in parsed)
        ]
    )


def parse_expect(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        values[key.strip()] = value.strip() if sep else None
    try:
        return Expect.model_validate(values).model_dump(exclude_none=True)
    except Exception as exc:  # pydantic's ValidationError: name the keys and what they take
        raise ConfigFileError(
            [
                f"--expect: {pairs}: {exc.__class__.__name__}; use KEY=VALUE with KEY one of "
                f"{', '.join(Expect.model_fields)} and a whole number"
            ]
        ) from None


def _decode(raw: bytes, encoding: str) -> str:
    # As the collector's channel does (collector/decode.py): invalid bytes become U+FFFD.
    return codecs.decode(raw, encoding, errors="replace")


def _snapshot_of(spec: PlatformSpec, command: Command, text: str, key: bytes) -> Snapshot:
    """The collector's own path: the config slot empty, this one output fetched. An output with a
    vendor error in it is what fetch refuses (collector/fetch.py): the command was rejected."""
    rejected = next((marker for marker in spec.errors if marker in text), None)
    outputs = {spec.config_command.command: ""} | ({} if rejected else {command.command: text})
    snap = build_snapshot(spec, Fetched(outputs=outputs), key)
    if rejected:
        names = [*command.state, *command.measure, *(["log"] if command.log else [])]
        snap.problems += [
            f"{command.command!r} ({name}): the device rejected the command: {rejected}" for name in names
        ]
    return snap


def _for_every_role(checklist: Checklist) -> Checklist:
    """The checklist with no item limited to some roles."""
    return checklist.model_copy(
        update={
            "items": [
                i.model_copy(update={"applies": i.applies.model_copy(update={"roles": None})})
                for i in checklist.items
            ]
        }
    )


def parse_output(
    platform: str,
    command_text: str,
    raw: bytes,
    *,
    expect: dict[str, Any] | None = None,
    role: str | None = None,
    encoding: str = "utf-8",
    thresholds: Thresholds | None = None,
    checklist: Checklist | None = None,
    key: bytes = ONE_TIME_KEY,
) -> dict[str, Any]:
    """What `netkb parse --json` prints, for one output of one command (secrets as markers of `key`)."""
    if platform not in PLATFORMS:
        raise ConfigFileError([f"--platform: {platform!r} is not one of {', '.join(PLATFORMS)}"])
    spec = load_spec(platform)
    command = find_command(spec, command_text)
    text = _decode(raw, encoding)
    snap = _snapshot_of(spec, command, text, key)
    fed = {
        *command.state,
        *(k for k, v in command.measure.items() if v),
        *(["new_logs"] if command.log else []),
    }
    checklist = checklist or load_checklist()
    if role is None:  # no role given: every item the command feeds applies
        checklist = _for_every_role(checklist)
    observation = Observation(
        device="capture",
        platform=platform,
        role=role or "",
        model="",
        state=snap.parsed,
        measures=snap.measures,
        new_logs=snap.logs,  # a first run: the whole buffer is new
        problems=snap.problems,
        at=dt.datetime.now(dt.UTC),
        expect=merged({}, expect or {}),
    )
    findings = evaluate(observation, None, checklist, thresholds or Thresholds())
    verdicts = {
        f.item_id: {"verdict": f.verdict.value, "detail": f.detail}
        for f in findings
        if set(checklist.item(f.item_id).inputs) <= fed
    }
    return {
        "platform": platform,
        "command": command.command,
        "state": snap.parsed,
        "measures": snap.measures,
        "logs": snap.logs,
        "problems": snap.problems,
        "verdicts": verdicts,
    }


def run(args: argparse.Namespace) -> int:
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        raise ConfigFileError([f"{args.file}: cannot read it ({exc.strerror or exc})"]) from None
    try:
        codecs.lookup(args.encoding)
    except LookupError:
        raise ConfigFileError(
            [f"--encoding: unknown encoding {args.encoding!r} (utf-8, gb18030, gbk)"]
        ) from None
    thresholds = load_settings(args.settings).thresholds if args.settings else None
    if args.settings and not args.settings.exists():
        raise ConfigFileError([f"{args.settings}: settings file not found"])
    result = parse_output(
        args.platform,
        args.output_command,
        raw,
        expect=parse_expect(args.expect),
        role=args.role,
        encoding=args.encoding,
        thresholds=thresholds,
        key=offline_key(None)[0],  # the store's key when there is one, so markers match it
    )
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_text(result)
    return 0


def _print_text(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    console.print(f"[bold]{escape(result['platform'])}: {escape(result['command'])}[/bold]")
    for topic, data in {**result["state"], **result["measures"]}.items():
        console.print(f"[bold]{escape(topic)}[/bold]")
        rows = data if isinstance(data, list) else [data]
        for row in rows:
            console.print("  " + escape(json.dumps(row, ensure_ascii=False)))
    if result["logs"]:
        console.print(f"[bold]logs[/bold]: {len(result['logs'])} entries")
    for problem in result["problems"]:
        console.print(f"[yellow]problem[/yellow]: {escape(problem)}")
    colour = {Verdict.NORMAL: "green", Verdict.ABNORMAL: "red", Verdict.UNKNOWN: "yellow"}
    for item, v in result["verdicts"].items():
        c = colour[Verdict(v["verdict"])]
        console.print(f"[{c}]{v['verdict']:8}[/{c}] {escape(item)}: {escape(v['detail'])}")
