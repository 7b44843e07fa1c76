"""`netkb restore DEVICE`: a device's config with its real secrets, from its sealed backup."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("restore", help="print a device's config with its secrets, from its sealed backup")
    p.add_argument("device", help="the device's inventory name")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print("netkb restore: not available yet", file=sys.stderr)
    return 2
