"""`netkb restore DEVICE --identity KEYFILE [--at DATE]`: a device's config with its real secrets.

Reads the device's sealed copy (`sealed/<device>.age`, collector/sealed.py) as of the newest commit
at or before DATE (default: now), decrypts it with the age identity in KEYFILE, checks that
redacting it gives the config.txt committed with it, and prints it to stdout byte for byte (no
formatting: `netkb restore core-1 --identity key.txt > core-1.cfg`).

Exit status: 0 printed; 1 the sealed copy does not redact to its config.txt (nothing printed);
2 what the user can fix: an unknown device, no sealed copy at that date, an identity file that
cannot be read, is readable by others, or is not a recipient. No error quotes the config or a key.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from netkb.inventory import ConfigFileError

AGE_IDENTITY_PREFIX = "AGE-SECRET-KEY-1"


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "restore",
        help="print a device's config with its secrets, decrypted from its sealed copy",
        description="Print a device's config with its real secrets from the sealed copy in the snapshot "
        "repository (settings: sealed_recipients), decrypted with an age identity.",
    )
    p.add_argument("device", help="the device's name in the snapshot repository")
    p.add_argument(
        "--at",
        type=_date,
        help="the config as sealed at or before this date (YYYY-MM-DD: the end of that day; or an "
        "ISO 8601 time, e.g. 2026-11-01T02:00+08:00); default: now",
    )
    p.add_argument(
        "--identity",
        type=Path,
        required=True,
        metavar="KEYFILE",
        help="age identity file (AGE-SECRET-KEY-1…, from age-keygen; or an OpenSSH ed25519 private key); "
        "readable by its owner only",
    )
    p.add_argument(
        "--settings",
        type=Path,
        help="settings file, which must exist (default: the project's netkb.yml)",
    )
    p.add_argument(
        "--store", type=Path, help="the snapshot repository (default: snapshot_repo of the settings)"
    )
    p.set_defaults(handler=run)


def _date(text: str) -> dt.datetime:
    """A day means its end (every version sealed that day counts); a time without zone is local."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time.max).astimezone()
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (YYYY-MM-DD, or an ISO 8601 time such as 2026-11-01T02:00+08:00)"
        ) from None
    return value if value.tzinfo else value.astimezone()


# --- the identity ---------------------------------------------------------------------------


def load_identities(path: Path) -> list[object]:
    """The age identities in `path`, or ConfigFileError in one line (never quoting the file)."""
    import pyrage

    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            raise ConfigFileError([f"{path}: is a folder; --identity names the age identity file itself"])
        if mode & 0o077:
            raise ConfigFileError(
                [f"{path}: identity file is readable by others (mode {mode:04o}); run: chmod 600 {path}"]
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigFileError(
            [f"{path}: identity file cannot be read ({exc.strerror}); name the age identity file"]
        ) from None
    if b"-----BEGIN OPENSSH PRIVATE KEY-----" in data:
        try:
            return [pyrage.ssh.Identity.from_buffer(data)]
        except pyrage.IdentityError:
            raise ConfigFileError(
                [f"{path}: this OpenSSH key cannot be used (protected by a passphrase?); use an age identity"]
            ) from None
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise ConfigFileError([f"{path}: not an age identity file (not text)"]) from None
    identities: list[object] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            if not line.startswith(AGE_IDENTITY_PREFIX):
                raise ValueError
            identities.append(pyrage.x25519.Identity.from_str(line))
        except (ValueError, pyrage.IdentityError):
            raise ConfigFileError(
                [f"{path}: line {number} is not an age identity (AGE-SECRET-KEY-1…, made by age-keygen)"]
            ) from None
    if not identities:
        raise ConfigFileError([f"{path}: no age identity in it (AGE-SECRET-KEY-1…, made by age-keygen)"])
    return identities


# --- the sealed version ---------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    sha: str
    date: dt.datetime
    sealed: bytes
    meta: bytes | None
    config: bytes | None


def sealed_version(store: Path, device: str, at: dt.datetime) -> Version:
    """The device's sealed copy as of the newest commit at or before `at` that changed it."""
    import git

    from netkb.collector.sealed import meta_path, sealed_path

    repo = git.Repo(store)
    path = sealed_path(device)
    has_head = repo.head.is_valid()
    # Newest first; a commit that deleted the file (by hand: netkb never does) is no version.
    listing = repo.git.log("--format=%H %cI", "--diff-filter=AM", "HEAD", "--", path) if has_head else ""
    versions = [line.split() for line in listing.splitlines() if line.strip()]
    if not versions:
        if has_head and repo.git.log("-1", "--format=%H", "HEAD", "--", f"devices/{device}/"):
            raise ConfigFileError(
                [
                    f"{device}: no sealed copy in {store}: it was collected without sealed_recipients; "
                    "set them in netkb.yml and collect it"
                ]
            )
        raise ConfigFileError([f"{device}: no such device in {store}; check the name (ls {store}/devices)"])
    dated = [(sha, dt.datetime.fromisoformat(when)) for sha, when in versions]  # in the commit's zone
    chosen = next(((sha, when) for sha, when in dated if when <= at), None)
    if chosen is None:
        earliest = dated[-1][1]
        raise ConfigFileError(
            [
                f"{device}: no sealed copy at or before {at:%Y-%m-%d %H:%M %z}; the earliest is of "
                f"{earliest:%Y-%m-%d %H:%M %z}: use --at {earliest:%Y-%m-%d} or later"
            ]
        )
    sha, when = chosen
    tree = repo.commit(sha).tree

    def blob(relpath: str) -> bytes | None:
        try:
            return bytes(tree[relpath].data_stream.read())
        except KeyError:
            return None

    sealed = blob(path)
    assert sealed is not None  # the commit added or changed it
    return Version(sha, when, sealed, blob(meta_path(device)), blob(f"devices/{device}/config.txt"))


def run(args: argparse.Namespace) -> int:
    import pyrage

    from netkb.collector.redact import redact
    from netkb.collector.redaction_key import load_redaction_key
    from netkb.collector.sealed import read_meta, sealed_path
    from netkb.project import ENV_KEY, find_project, project_settings
    from netkb.spec import PLATFORMS, load_spec

    project = find_project()
    settings, _ = project_settings(args.settings, project)
    store = (args.store or Path(settings.snapshot_repo)).resolve()
    if not (store / ".git").exists():
        raise ConfigFileError(
            [f"{store}: no snapshot repository here; name it with --store or run from the project's folder"]
        )
    identities = load_identities(args.identity)
    at = args.at or dt.datetime.now().astimezone()
    version = sealed_version(store, args.device, at)
    where = f"{sealed_path(args.device)} of {version.date:%Y-%m-%d %H:%M} (commit {version.sha[:10]})"
    try:
        plain = bytes(pyrage.decrypt(version.sealed, identities))  # type: ignore[arg-type]
    except pyrage.DecryptError:
        meta = read_meta(version.meta) or {}
        sealed_to = meta.get("recipients")
        to = f"; it is sealed to {', '.join(map(str, sealed_to))}" if isinstance(sealed_to, list) else ""
        raise ConfigFileError(
            [f"{args.identity}: this identity is not a recipient of {where}{to}; use one of theirs"]
        ) from None
    meta = read_meta(version.meta) or {}
    platform = meta.get("platform")
    if platform not in PLATFORMS or version.config is None:
        raise ConfigFileError([f"{where}: its platform or config.txt is missing from that commit"])
    key_file = Path(settings.redaction_key_file)
    if not os.environ.get(ENV_KEY) and not key_file.exists():
        raise ConfigFileError(
            [
                f"{key_file}: the redaction key is missing, so the restored config cannot be checked "
                f"against config.txt; restore the key file or set {ENV_KEY}"
            ]
        )
    key = load_redaction_key(key_file)
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or redact(text, load_spec(str(platform)), key) != version.config.decode("utf-8"):
        print(
            f"netkb restore: {args.device}: {where} does not redact to the config.txt committed with it "
            "(another redaction key, changed redaction rules, or an altered file); nothing printed",
            file=sys.stderr,
        )
        return 1
    sys.stdout.buffer.write(plain)
    sys.stdout.buffer.flush()
    return 0
