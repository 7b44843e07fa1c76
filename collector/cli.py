"""The `netkb` command line: one entry point, a subcommand per job."""

from __future__ import annotations

import argparse
import sys

from collector import check_command, import_command, inspect_command
from collector import commands as collect_commands
from collector.gitstore import StoreError
from collector.inventory import ConfigFileError
from generator import commands as generate_commands
from generator import report_command
from lab import commands as lab_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netkb", description="Campus network knowledge base: collect, inspect, publish."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    collect_commands.add_parser(subparsers)
    import_command.add_parser(subparsers)
    inspect_command.add_parser(subparsers)
    check_command.add_parser(subparsers)
    generate_commands.add_parser(subparsers)
    report_command.add_parser(subparsers)
    lab_commands.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    except lab_commands.EXPECTED_ERRORS as exc:
        # Expected failures get one line, no traceback.
        print(f"netkb {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
