"""The `netkb` command line: one entry point, a subcommand per job."""

from __future__ import annotations

import argparse
import importlib
import sys

from collector.gitstore import StoreError
from collector.inventory import ConfigFileError

# Subcommand -> the module that defines it (`add_parser`). Only the module of the command being
# run is imported: `netkb generate` need not load netmiko, asyncssh and the lab.
COMMANDS = {
    "collect": "collector.commands",
    "import": "collector.import_command",
    "inspect": "collector.inspect_command",
    "parse": "collector.parse_command",
    "accept": "collector.accept_command",
    "check": "collector.check_command",
    "generate": "generator.commands",
    "report": "generator.report_command",
    "lab": "lab.commands",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netkb", description="Campus network knowledge base: collect, inspect, publish."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module).add_parser(subparsers)
    return parser


def _expected_errors(command: str) -> tuple[type[BaseException], ...]:
    if command != "lab":
        return ()
    from lab.commands import EXPECTED_ERRORS

    return EXPECTED_ERRORS


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(chosen).parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigFileError as exc:
        # Usage, inventory, settings and credentials errors: every problem, one line each.
        for problem in exc.problems:
            print(f"netkb {args.command}: {problem}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"netkb {args.command}: {exc}", file=sys.stderr)
        return 2
    except _expected_errors(args.command) as exc:
        # Expected failures get one line, no traceback.
        print(f"netkb {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
