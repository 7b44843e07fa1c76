"""The `netkb` command line: one entry point, a subcommand per job."""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import sys

from netkb.collector.gitstore import StoreError
from netkb.errors import OneLineError
from netkb.inventory import ConfigFileError

# Subcommand -> the module that defines it (`add_parser`). Only the module of the command being
# run is imported: `netkb generate` need not load netmiko, asyncssh and the lab.
COMMANDS = {
    "collect": "netkb.collector.commands",
    "import": "netkb.collector.import_command",
    "inspect": "netkb.collector.inspect_command",
    "compliance": "netkb.collector.compliance_command",
    "parse": "netkb.collector.parse_command",
    "redact": "netkb.collector.redact_command",
    "accept": "netkb.collector.accept_command",
    "check": "netkb.collector.check_command",
    "restore": "netkb.collector.restore_command",
    "exec": "netkb.collector.exec_command",
    "generate": "netkb.generator.commands",
    "report": "netkb.generator.report_command",
    "lab": "netkb.lab.commands",
    "init": "netkb.scaffold",
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


# What to do about a file or folder the system refused, by errno; said after the path.
_WHAT_TO_DO = {
    errno.ENOSPC: "the disk is full; free space on it and run again",
    errno.EDQUOT: "the disk quota is used up; free space and run again",
    errno.EROFS: "the file system is read-only; mount it read-write or point the settings elsewhere",
    errno.EACCES: "permission denied; give the user running netkb access to it, or run as its owner",
    errno.EPERM: "not permitted; give the user running netkb access to it, or run as its owner",
    errno.EISDIR: "is a folder where a file is expected; name the file itself",
    errno.ENOTDIR: "part of this path is a file, not a folder; move the file or change the path",
    errno.EEXIST: "a file is in the way where a folder is expected; move the file or change the path",
    errno.ENAMETOOLONG: "the path is too long; use a shorter one",
    errno.ELOOP: "too many symbolic links; fix the link",
}


def environment_error(exc: OSError) -> str | None:
    """One line for a file system refusal on a path netkb was told to use; None when it is not
    one (an OSError without a path, or an errno nobody can act on, stays a bug with its traceback)."""
    what = _WHAT_TO_DO.get(exc.errno or 0)
    if exc.filename is None or what is None:
        return None
    return f"{exc.filename}: {what} ({exc.strerror})"


class _OneLine(logging.Handler):
    """What a command says on the way (the store's recovery after a killed run): one line each."""

    def __init__(self, command: str) -> None:
        super().__init__(logging.INFO)
        self.command = command

    def emit(self, record: logging.LogRecord) -> None:
        print(f"netkb {self.command}: {record.getMessage()}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(chosen).parse_args(argv)
    logger = logging.getLogger("netkb")
    if not logger.handlers:  # main() may run more than once in one process (tests)
        logger.addHandler(_OneLine(args.command))
        logger.setLevel(logging.INFO)
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
    except OneLineError as exc:
        # Expected failures get one line, no traceback.
        print(f"netkb {args.command}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # A store, settings or key path the system refuses (disk full, read-only, a file where
        # a folder belongs): the environment, not netkb. The store stays valid (gitstore.py).
        line = environment_error(exc)
        if line is None:
            raise
        print(f"netkb {args.command}: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
