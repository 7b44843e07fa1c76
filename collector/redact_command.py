"""`netkb redact`: what the collector would store for a captured config, offline.

Decode, clean (paging, volatile lines), redact — the collector's own functions — then the
completeness gate's verdict on stderr. A user runs it to see what a new config form would
leak before the network does; the tests run the secret corpus through it.

Exit status: 0 the config is complete (what is printed is what a collect would commit),
1 the gate refuses it (a collect would keep the last good one), 2 a usage error or a weak key.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path

from netkb.collector.clean import clean
from netkb.collector.gate import refuse_reason
from netkb.collector.redact import redact, redact_quoted
from netkb.collector.redaction_key import offline_key
from netkb.inventory import ConfigFileError
from netkb.project import ENV_KEY
from netkb.spec import PLATFORMS, load_spec


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "redact",
        help="print what the collector would store for a captured config (offline)",
        description="Clean and redact a saved config the way `netkb collect` does; the completeness "
        "gate's verdict goes to stderr. Exit 0 complete, 1 refused by the gate, 2 usage error or weak key.",
    )
    p.add_argument("--platform", required=True, choices=PLATFORMS, help="the device's platform")
    p.add_argument("file", type=Path, metavar="FILE", help="the captured config ('-' for stdin)")
    p.add_argument("--encoding", default="utf-8", help="the file's encoding, as the inventory's (utf-8)")
    p.add_argument(
        "--key-file",
        type=Path,
        help=f"the redaction key (default: {ENV_KEY}, else the project's key file, else a one-time key)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        raw = sys.stdin.buffer.read() if str(args.file) == "-" else args.file.read_bytes()
    except OSError as exc:
        raise ConfigFileError([f"{args.file}: cannot read it ({exc.strerror or exc})"]) from None
    try:
        text = codecs.decode(raw, args.encoding, errors="replace")  # as the collector's channel does
    except LookupError:
        raise ConfigFileError(
            [f"--encoding: unknown encoding {args.encoding!r} (utf-8, gb18030, gbk)"]
        ) from None
    key, note = offline_key(args.key_file)
    spec = load_spec(args.platform)
    config = redact(clean(text, spec), spec, key)
    sys.stdout.buffer.write(config.encode("utf-8"))
    sys.stdout.flush()
    if note:
        print(f"netkb redact: {note}", file=sys.stderr)
    refused = refuse_reason(config, spec, None, 0.5)
    if refused:
        print(f"netkb redact: refused: {redact_quoted(refused, spec, key)}", file=sys.stderr)
        return 1
    print("netkb redact: complete", file=sys.stderr)
    return 0
