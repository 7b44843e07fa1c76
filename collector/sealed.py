"""Sealed, restorable backups: each device's config with its real secrets, encrypted with age.

The snapshot repository holds redacted configs only (collector/redact.py), so nobody can restore
a device from it. When `sealed_recipients` is set, a collect also writes

    sealed/<device>.age   the cleaned, unredacted config (exactly `collector.clean.clean` of what
                          the device printed for the spec's config command), encrypted with age to
                          every recipient: only the holders of an identity (private key) read it
    sealed/<device>.yml   who it is sealed to, and the device's platform (public: no secret)

in the same commit as the device's config.txt; `netkb restore` decrypts one (restore_command.py).

Why age (through pyrage, the bindings to `rage`, the Rust implementation of age), not OpenPGP:
modern and small; its recipients are public keys short enough to sit in netkb.yml; nothing to
install or run besides the Python package: no keyring, no agent, no gpg binary.

When a device is sealed: age output differs on every encryption, so sealing every night would
commit every night. A device is sealed when its redacted config.txt changes in this run, when its
sealed copy is missing, or when it was sealed to other recipients than the settings name now (its
own `.yml` says which: one file per device, as shards never write the same file). A night with
nothing changed commits nothing.

What cannot be known: VRP prints its reversible ciphers (`%^%#…`) re-encrypted on every display,
and config.txt holds a constant marker for them, so a change of such a secret alone changes no
file and seals nothing: the sealed copy keeps the cipher as it was last sealed. Commits of such a
device say so (`note`), as the device page does.

The plaintext never goes anywhere else: not into the parse cache, the run record, a log line or
an error message (errors here name the device and what to do, never the text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyrage
import yaml

from netkb.collector.clean import clean
from netkb.collector.redact import RERANDOMISED_MARKER, redact
from netkb.spec import PlatformSpec

if TYPE_CHECKING:
    from netkb.collector.gitstore import SnapshotRepo

SEALED_DIR = "sealed"
_HEADER = (
    "# {device}.age: the config of {device} with its secrets, encrypted with age to these recipients\n"
    "# (netkb restore {device} --identity KEYFILE). Public: no secret in this file.\n"
)


class SealError(Exception):
    """A sealed copy that cannot be made or read; the message never quotes the plaintext."""


def sealed_path(device: str) -> str:
    return f"{SEALED_DIR}/{device}.age"


def meta_path(device: str) -> str:
    return f"{SEALED_DIR}/{device}.yml"


def parse_recipient(text: str) -> pyrage.x25519.Recipient | pyrage.ssh.Recipient:
    """An age recipient: `age1…` (X25519) or an OpenSSH public key line (`ssh-ed25519 …`)."""
    text = text.strip()
    module = pyrage.ssh if text.startswith("ssh-") else pyrage.x25519
    try:
        return module.Recipient.from_str(text)
    except pyrage.RecipientError as exc:
        raise SealError("not an age recipient (age1… or ssh-ed25519 …)") from exc


def normalised(recipients: list[str]) -> list[str]:
    """The recipients as compared and recorded: stripped, sorted, each once."""
    return sorted({r.strip() for r in recipients if r.strip()})


def encrypt(plaintext: bytes, recipients: list[str]) -> bytes:
    if not recipients:
        raise SealError("no recipients to seal to")
    return bytes(pyrage.encrypt(plaintext, [parse_recipient(r) for r in recipients]))


def meta_text(device: str, platform: str, recipients: list[str]) -> str:
    body = yaml.safe_dump(
        {"platform": platform, "recipients": normalised(recipients)}, sort_keys=False, allow_unicode=True
    )
    return _HEADER.format(device=device) + body


def read_meta(data: bytes | None) -> dict[str, object] | None:
    """A device's `.yml` as a mapping, or None when it is missing or not one (then it is resealed)."""
    if data is None:
        return None
    try:
        meta = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    return meta if isinstance(meta, dict) else None


def seal_reason(
    previous_config: str | None,
    new_config: str,
    sealed_exists: bool,
    sealed_for: list[str] | None,
    recipients: list[str],
) -> str | None:
    """Why the device must be sealed in this run, or None (its sealed copy stands).

    `sealed_for` is who the committed sealed copy was made for (None: unknown or missing).
    """
    if not recipients:
        return None
    if not sealed_exists or sealed_for is None:
        return "no sealed copy yet"
    if normalised(sealed_for) != normalised(recipients):
        return "recipients changed"
    if previous_config != new_config:
        return "config changed"
    return None


def rerandomised_count(config: str) -> int:
    return config.count(RERANDOMISED_MARKER)


def note(config: str) -> str:
    """What a commit message of this device adds: its VRP ciphers' changes cannot be seen."""
    count = rerandomised_count(config)
    if not count:
        return ""
    ciphers = "cipher" if count == 1 else "ciphers"
    return f"; {count} VRP {ciphers} re-encrypted on every display: a change of them is not visible here"


@dataclass(frozen=True)
class Seal:
    files: dict[str, bytes]  # relpath -> bytes, to commit with the device's other files
    parts: list[str]  # what the commit message names besides the config's sections


class Sealer:
    """Seals devices during a collect (main thread only: it touches the store's tip)."""

    def __init__(self, recipients: list[str], key: bytes) -> None:
        self.recipients = normalised(recipients)
        for recipient in self.recipients:
            parse_recipient(recipient)  # the settings checked them; a bad one fails before any device
        self.key = key

    def seal(
        self,
        device: str,
        spec: PlatformSpec,
        raw_config: str,
        previous_config: str | None,
        new_config: str,
        repo: SnapshotRepo,
    ) -> Seal:
        """The sealed files to commit with the device's files (none when its sealed copy stands)."""
        meta = read_meta(repo.committed(meta_path(device)))
        sealed_for = meta.get("recipients") if meta else None
        reason = seal_reason(
            previous_config,
            new_config,
            repo.has(sealed_path(device)),
            sealed_for if isinstance(sealed_for, list) else None,
            self.recipients,
        )
        if reason is None:
            return Seal({}, [])
        plain = clean(raw_config, spec)
        # What restore checks, checked before anything is written: redacting the sealed text gives
        # exactly the config.txt committed with it (else a restore would be refused later).
        if redact(plain, spec, self.key) != new_config:
            raise SealError(
                f"{device}: the unredacted config does not redact to config.txt; nothing sealed "
                "(a bug: please report it)"
            )
        files = {
            sealed_path(device): encrypt(plain.encode("utf-8"), self.recipients),
            meta_path(device): meta_text(device, spec.platform, self.recipients).encode("utf-8"),
        }
        count = len(self.recipients)
        said = f"sealed for {count} recipient{'s' if count != 1 else ''}"
        parts = [] if reason == "config changed" else [f"{said} ({reason})"]
        return Seal(files, parts)
