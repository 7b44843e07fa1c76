"""`netkb exec`: one ad-hoc command (or a few) on many devices in parallel, like RANCID's `clogin -c`.

The devices are logged into as `netkb collect` does (login.py: the inventory's credentials, the
pinned host keys, the platform's netmiko driver) and each output is printed under a header,
redacted as the collector redacts quoted text. Only read-only commands run: a command whose
first keyword (or an abbreviation of it) is in the platform's `changing_commands`
(netkb/specs/<platform>.yaml) is refused unless `--config` is given, and then confirmed.

Exit status: 0 when every device answered, 1 when any failed (one line each), 2 on bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from netkb.cli_args import add_project_arguments
from netkb.collector.fetch import Fetched, _close, _enable, _send
from netkb.collector.fetch_errors import FetchError
from netkb.collector.hostkeys import KnownHosts
from netkb.collector.login import connect
from netkb.collector.redact import redact_quoted
from netkb.collector.redaction_key import offline_key
from netkb.collector.session_guard import Watchdog, time_left
from netkb.credentials import Credential, load_credentials
from netkb.inventory import ConfigFileError, DeviceEntry, Inventory, load_inventory
from netkb.project import find_project, inventory_said, project_settings
from netkb.settings import Settings
from netkb.spec import PlatformSpec, load_spec


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "exec", help="run a command on many devices and print each one's output (read-only by default)"
    )
    add_project_arguments(p, records=False)
    p.add_argument("commands", nargs="+", metavar="COMMAND", help="the command(s), run in order")
    p.add_argument(
        "--limit", required=True, help="the devices: names, groups, roles or platforms, comma-separated"
    )
    p.add_argument("--workers", type=int, help="devices in parallel (default: the settings' workers)")
    p.add_argument(
        "--output", type=Path, metavar="DIR", help="write each device's output to DIR/<device>.txt"
    )
    p.add_argument("--config", action="store_true", help="allow commands that change the device")
    p.add_argument("--yes", action="store_true", help="with --config: do not ask for confirmation")
    p.set_defaults(handler=run)


def refusal(command: str, spec: PlatformSpec) -> str | None:
    """Why `command` may change the device (its first keyword is, or abbreviates, one of the
    platform's `changing_commands`), or None when it reads only."""
    words = command.split()
    if not words:
        return "an empty command"
    first = words[0].lower()
    for keyword in spec.changing_commands:
        if keyword.startswith(first):
            shown = keyword if keyword == first else f"{first!r}, short for {keyword!r},"
            return f"{shown} changes the device ({spec.platform})"
    return None


def check_commands(commands: list[str], devices: list[DeviceEntry], config: bool) -> None:
    """ConfigFileError (exit 2) for a command that cannot be sent as it is, or one that may
    change a device when --config was not given; every problem at once."""
    problems = []
    for command in commands:
        if any(c in command for c in "\r\n\x00"):
            problems.append(f"{command!r}: one command per argument, without line breaks")
        elif not command.strip():
            problems.append("an empty command")
    if not problems and not config:
        for platform in sorted({d.platform.value for d in devices}):
            spec = load_spec(platform)
            for command in commands:
                why = refusal(command, spec)
                if why:
                    problems.append(f"refused {command!r}: {why}; add --config if that is meant")
    if problems:
        raise ConfigFileError(problems)


@dataclass
class ExecResult:
    device: str
    outputs: list[tuple[str, str]]  # (command, redacted output)
    error: str | None = None
    seconds: float = 0.0


def run_on_device(
    entry: DeviceEntry,
    credential: Credential,
    commands: list[str],
    settings: Settings,
    known_hosts: KnownHosts,
    key: bytes,
    config: bool = False,
) -> ExecResult:
    """Log in, run `commands` in order, log out; never raises: a failure is the result's `error`."""
    started = time.monotonic()
    result = ExecResult(entry.name, [])
    spec = load_spec(entry.platform.value)
    timeouts = settings.timeouts
    if entry.timeout:
        timeouts = timeouts.model_copy(update={"device": entry.timeout})
    deadline = started + timeouts.device
    try:
        conn = connect(entry, credential, spec, known_hosts, timeouts, deadline)
        watchdog = Watchdog(conn, time_left(deadline) + 1.0)
        try:
            _enable(conn, credential, spec)
            for command in commands:
                if config:  # the prompt changes in configuration views: read until it settles
                    output = str(conn.send_command_timing(command, read_timeout=timeouts.command))
                else:
                    output = _send(conn, command, timeouts, deadline)
                result.outputs.append((command, redact_quoted(output, spec, key)))
                marker = next((m for m in spec.errors if m in output), None)
                if marker and not result.error:  # the first error is the device's reason
                    result.error = f"{command!r} answered with an error: {marker}"
                if marker and config:  # a configuration goes no further than its first refusal
                    break
        finally:
            _close(conn, Fetched(outputs={}), watchdog, None)
    except FetchError as exc:
        result.error = redact_quoted(str(exc), spec, key)
    except Exception as exc:  # a bug or a library's surprise: this device's failure, said in one line
        result.error = redact_quoted(f"{type(exc).__name__}: {exc}", spec, key)
    result.seconds = time.monotonic() - started
    return result


def render(result: ExecResult, entry: DeviceEntry) -> str:
    """The device's header, then each command and its output."""
    parts = [f"===== {result.device} ({entry.host}:{entry.port}, {entry.platform.value}) ====="]
    for command, output in result.outputs:
        parts += [f"--- {command}", output.rstrip("\n")]
    if result.error:
        parts.append(f"!!! failed: {result.error}")
    return "\n".join(parts) + "\n"


def confirmed(commands: list[str], devices: list[DeviceEntry], yes: bool) -> bool:
    """--config: ask on a terminal (or --yes); ConfigFileError when nobody can be asked."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise ConfigFileError(["--config needs a terminal to confirm on, or --yes"])
    names = ", ".join(d.name for d in devices[:10]) + (", …" if len(devices) > 10 else "")
    print(f"about to change {len(devices)} device(s) ({names}) with:", file=sys.stderr)
    for command in commands:
        print(f"  {command}", file=sys.stderr)
    answer = input("go ahead? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def execute(
    devices: list[DeviceEntry],
    inventory: Inventory,
    inventory_path: Path,
    settings: Settings,
    known_hosts: KnownHosts,
    key: bytes,
    args: argparse.Namespace,
) -> list[ExecResult]:
    """Every device's result, printed (or written) as each one finishes."""
    creds_file = inventory.credentials_file
    credentials = load_credentials(
        (inventory_path.parent / creds_file) if creds_file else None, {d.credentials for d in devices}
    )
    if args.output:
        args.output.mkdir(parents=True, exist_ok=True)
    results = []
    workers = max(1, min(args.workers or settings.workers, len(devices)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(
                run_on_device,
                d,
                credentials[d.credentials],
                args.commands,
                settings,
                known_hosts,
                key,
                args.config,
            ): d
            for d in devices
        }
        for done, future in enumerate(as_completed(futures), 1):
            entry, result = futures[future], future.result()
            results.append(result)
            status = f"failed: {result.error}" if result.error else "ok"
            progress = f"[{done}/{len(devices)}] {entry.name} {status} ({result.seconds:.1f} s)"
            print(f"netkb exec: {progress}", file=sys.stderr)
            text = render(result, entry)
            if args.output:
                (args.output / f"{entry.name}.txt").write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
                sys.stdout.flush()
    return results


def run(args: argparse.Namespace) -> int:
    project = find_project()
    inventory_path = args.inventory or inventory_said(project, lambda text: print(text, file=sys.stderr))
    inventory = load_inventory(inventory_path)
    settings, _ = project_settings(args.settings, project)
    devices = inventory.select(args.limit)
    if not devices:
        raise ConfigFileError([f"no device matches --limit {args.limit!r}"])
    today = dt.date.today()
    for d in devices:
        if d.skip and d.skipped_on(today):  # as `netkb collect` does: the device is away
            print(f"netkb exec: {d.name}: skipped by the inventory ({d.skip.reason})", file=sys.stderr)
    devices = [d for d in devices if not d.skipped_on(today)]
    if not devices:
        return 0
    if args.workers is not None and not 1 <= args.workers <= 512:
        raise ConfigFileError([f"--workers {args.workers}: between 1 and 512 devices in parallel"])
    check_commands(args.commands, devices, args.config)
    if args.config and not confirmed(args.commands, devices, args.yes):
        print("netkb exec: not confirmed; nothing sent", file=sys.stderr)
        return 2
    key, note = offline_key(None)
    if note:
        print(f"netkb exec: {note}", file=sys.stderr)
    # Pinned keys are checked; a device met for the first time is trusted for this session only
    # (`netkb collect` pins keys and commits them).
    known_hosts = KnownHosts((project.root / settings.snapshot_repo).resolve())
    results = execute(devices, inventory, inventory_path, settings, known_hosts, key, args)
    failed = sorted((r for r in results if r.error), key=lambda r: r.device)
    for r in failed:
        print(f"netkb exec: {r.device}: {r.error}", file=sys.stderr)
    print(f"netkb exec: {len(results) - len(failed)} of {len(results)} device(s) answered", file=sys.stderr)
    return 1 if failed else 0
