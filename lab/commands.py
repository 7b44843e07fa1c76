"""`netkb lab …`: start, inspect, fault and stop the simulated campus network."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from netkb.lab import daemon
from netkb.lab.control import request
from netkb.lab.model import Fault
from netkb.lab.scenario import ReplayOptions, replay, stdout_progress
from netkb.lab.topology import DEFAULT_DEVICES, MIN_DEVICES
from netkb.project import find_project, settings_path

console = Console(highlight=False)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lab = subparsers.add_parser("lab", help="run the simulated campus network (the embedded default)")
    lab.add_argument(
        "--state", type=Path, default=daemon.DEFAULT_STATE, help="lab state folder (default: .lab)"
    )
    verbs = lab.add_subparsers(
        dest="lab_command", required=True, metavar="{start,status,stop,fault,check,scenario}"
    )

    start = verbs.add_parser("start", help="start the lab in the background and write its inventory")
    start.add_argument(
        "--devices", type=int, default=DEFAULT_DEVICES, help=f"devices in all (default {DEFAULT_DEVICES})"
    )
    start.add_argument("--latency", type=int, default=0, metavar="MS", help="delay before every answer")
    start.add_argument("--seed", type=int, default=0, help="topology and readings seed")
    start.add_argument(
        "--base-port", type=int, default=daemon.DEFAULT_BASE_PORT, help="TCP port of the first device"
    )
    start.set_defaults(handler=_start)

    verbs.add_parser("status", help="show the running lab").set_defaults(handler=_status)
    verbs.add_parser("stop", help="stop the running lab").set_defaults(handler=_stop)

    fault = verbs.add_parser("fault", help="inject or clear a fault on a device")
    fault.add_argument("device")
    fault.add_argument(
        "kind",
        nargs="?",
        choices=[f.value for f in Fault],
        metavar="KIND",
        help="one of: " + ", ".join(f.value for f in Fault),
    )
    fault.add_argument("--clear", action="store_true", help="clear KIND, or every fault when KIND is omitted")
    fault.set_defaults(handler=_fault)

    check = verbs.add_parser("check", help="log into every lab device with netmiko and run every command")
    check.add_argument("--workers", type=int, default=8)
    check.set_defaults(handler=_check)

    scenario = verbs.add_parser(
        "scenario", help="replay a dated scenario on the running lab: nightly collects, changes, faults"
    )
    scenario.add_argument("file", type=Path, help="scenario file, e.g. lab/scenarios/campus.yaml")
    scenario.add_argument(
        "--inventory", type=Path, help="inventory file (default: the running lab's, in the state folder)"
    )
    scenario.add_argument(
        "--settings",
        type=Path,
        help="settings file, which must exist (default: the project's netkb.yml); the replay creates "
        "the snapshot repository it names when missing",
    )
    scenario.add_argument(
        "--workers", type=int, help="devices collected in parallel (default: all, up to 64)"
    )
    scenario.set_defaults(handler=_scenario)


def _start(args: argparse.Namespace) -> int:
    if args.devices < MIN_DEVICES:
        console.print(f"netkb lab start: --devices must be at least {MIN_DEVICES}")
        return 2
    console.print(f"starting the lab: {args.devices} devices on 127.0.0.1:{args.base_port}+ …")
    info = daemon.start(daemon.LabOptions(args.state, args.devices, args.seed, args.latency, args.base_port))
    console.print(f"lab ready in {info['started_in_s']} s (pid {info['pid']})")
    print(info["inventory"])
    return 0


def _status(args: argparse.Namespace) -> int:
    info = daemon.status(args.state)
    table = Table(title="netkb lab", show_header=False)
    for key in ("pid", "devices", "listening", "connections", "sessions", "ports", "latency_ms", "inventory"):
        table.add_row(key, str(info.get(key)))
    faults: dict[str, list[str]] = info.get("faults") or {}  # type: ignore[assignment]
    table.add_row("faults", "\n".join(f"{d}: {', '.join(k)}" for d, k in faults.items()) or "none")
    console.print(table)
    return 0


def _stop(args: argparse.Namespace) -> int:
    if daemon.stop(args.state):
        console.print("lab stopped")
    else:
        console.print("no lab was running")
    return 0


def _fault(args: argparse.Namespace) -> int:
    if not args.clear and not args.kind:
        console.print("netkb lab fault: give a KIND, or --clear")
        return 2
    payload = {"op": "clear" if args.clear else "fault", "device": args.device, "kind": args.kind}
    answer = request(daemon.socket_path(args.state.resolve()), payload)
    if not answer.get("ok"):
        console.print(f"netkb lab fault: {answer.get('error')}")
        return 2
    console.print(answer["message"])
    return 0


def _check(args: argparse.Namespace) -> int:
    from netkb.lab.fidelity import run_check  # netmiko is slow to import; only this verb needs it

    info = daemon.status(args.state)
    table = Table(title="lab fidelity check (netmiko drivers, ntc-templates)")
    for column in ("device", "platform", "commands", "parsed by ntc", "seconds", "problems"):
        table.add_column(column)
    failed = 0
    with console.status("checking every device over SSH …"):
        for result in run_check(Path(str(info["inventory"])), workers=args.workers):
            failed += bool(result.problems)
            table.add_row(
                result.name,
                result.platform,
                str(result.commands),
                str(result.parsed),
                f"{result.seconds:.1f}",
                "; ".join(result.problems) or "ok",
            )
    console.print(table)
    console.print(f"{int(info['devices']) - failed} of {info['devices']} devices passed")  # type: ignore[call-overload]
    return 1 if failed else 0


def _scenario(args: argparse.Namespace) -> int:
    info = daemon.status(args.state)  # refuses early, in one line, when no lab is running
    inventory = args.inventory or Path(str(info["inventory"]))
    # The settings' paths are relative to the settings file, the defaults' to the project root. A
    # replay builds dated history into a fresh store, so it may create the store (and its key).
    project = find_project()
    settings = settings_path(args.settings, project)
    options = ReplayOptions(args.state, inventory, settings, project.root, args.workers)
    summary = replay(args.file, options, stdout_progress())
    print(  # plain print: one line a log can grep, never wrapped to the console's width
        f"scenario {args.file}: {summary.nights} nights, {summary.events} events, {summary.commits} device "
        f"commits, {summary.failed_device_nights} failed device-nights, in {summary.seconds:.0f} s"
    )
    return 0
