"""The key of the secret markers: strong enough, private, and the same on every runner.

A marker is the first 8 hex digits of HMAC-SHA256(key, secret); anyone who knows the key can
test a guessed password against a marker, so the key must be unguessable (at least 32 random
bytes) and readable by its owner only, like credentials.yml. It comes from NETKB_REDACTION_KEY
(CI: one secret shared by every shard and night) or from the project's key file, created 0600
in a 0700 folder by the project's first collect.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

from netkb.inventory import ConfigFileError
from netkb.project import ENV_KEY, find_project, project_settings

MIN_BYTES = 32
HOW_TO_MAKE = "make one with: openssl rand -hex 32"
_HEX = re.compile(r"[0-9a-fA-F]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


def key_strength_problem(text: str) -> str | None:
    """Why `text` is too weak to be a redaction key, or None.

    Accepted: 64+ hex digits (`openssl rand -hex 32`), base64 of 32+ bytes (`openssl rand
    -base64 32`), or any other text of 64+ characters with no character making up more than a
    quarter of it (a long passphrase). Anything else could be checked against a dictionary.
    """
    if _HEX.fullmatch(text):
        bytes_ = len(text) // 2
    elif _BASE64.fullmatch(text) and len(text) % 4 == 0:
        try:
            bytes_ = len(base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True))
        except binascii.Error:
            bytes_ = len(text) // 2
    else:
        bytes_ = len(text.encode()) // 2  # a passphrase: count about 4 bits per character
    if bytes_ < MIN_BYTES:
        return f"is too short ({bytes_} of the {MIN_BYTES} random bytes needed)"
    if max(text.count(c) for c in set(text)) * 4 > len(text) and len(set(text)) < 16:
        return "repeats too few characters to be random"
    return None


def load_redaction_key(
    key_file: Path, environ: Mapping[str, str] | None = None, create: bool = True
) -> bytes:
    """The key from NETKB_REDACTION_KEY, or from `key_file` (created if missing and `create`).

    Raises ConfigFileError (one line: where, what is wrong, how to fix) for a weak key or a
    key file others can read.
    """
    environ = os.environ if environ is None else environ
    from_env = environ.get(ENV_KEY)
    if from_env:
        problem = key_strength_problem(from_env.strip())
        if problem:
            raise ConfigFileError([f"{ENV_KEY} {problem}; {HOW_TO_MAKE}"])
        return from_env.strip().encode()
    if not key_file.exists():
        if not create:
            raise ConfigFileError([f"{key_file}: no redaction key there; set {ENV_KEY} or pass --key-file"])
        _create(key_file)
    if key_file.is_dir():
        raise ConfigFileError([f"{key_file}: is a folder; redaction_key_file must name the key file itself"])
    mode = stat.S_IMODE(key_file.stat().st_mode)
    if mode & 0o077:
        raise ConfigFileError(
            [f"{key_file}: redaction key is readable by others (mode {mode:04o}); run: chmod 600 {key_file}"]
        )
    text = key_file.read_text(encoding="ascii", errors="replace").strip()
    problem = key_strength_problem(text)
    if problem:
        raise ConfigFileError([f"{key_file}: redaction key {problem}; {HOW_TO_MAKE} > {key_file}"])
    return text.encode()


def _create(key_file: Path) -> None:
    folder = key_file.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(MIN_BYTES) + "\n")


def offline_key(key_file: Path | None) -> tuple[bytes, str | None]:
    """The key of an offline command (`netkb redact`, `netkb parse`), and a note for stderr or None.

    The store's key when there is one (`key_file`, NETKB_REDACTION_KEY, the project's key file),
    so markers match the store's; else a one-time random key. Never a fixed key: markers made with
    a published key could be checked against a dictionary.
    """
    if key_file is not None:
        return load_redaction_key(key_file, {}, create=False), None
    if os.environ.get(ENV_KEY):
        return load_redaction_key(Path(os.devnull), create=False), None
    settings, _ = project_settings(None, find_project())
    project_key = Path(settings.redaction_key_file)  # anchored at the project root
    if project_key.exists():
        return load_redaction_key(project_key, {}, create=False), None
    note = "no redaction key found: markers use a one-time key and will not match the store's"
    return secrets.token_bytes(MIN_BYTES), note
