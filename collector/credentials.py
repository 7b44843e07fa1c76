"""Credentials: from the environment or a credentials file that only its owner can read.

Profiles are referenced by name from the inventory (`credentials: lab-h3c`); the secret
values never appear in the inventory, in logs, in exceptions or in the run record.
Environment variables win: NETKB_CRED_<PROFILE>_USERNAME / _PASSWORD / _ENABLE, with the
profile name upper-cased and `-` turned into `_` (e.g. NETKB_CRED_LAB_H3C_PASSWORD).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from collector.inventory import ConfigFileError


@dataclass(frozen=True)
class Credential:
    username: str
    password: str = field(repr=False)
    enable: str = field(default="", repr=False)

    def __str__(self) -> str:  # never print a secret by accident
        return f"Credential(username={self.username!r})"


def _env_name(profile: str, part: str) -> str:
    return f"NETKB_CRED_{profile.upper().replace('-', '_')}_{part}"


def load_credentials(path: Path | None, profiles: set[str]) -> dict[str, Credential]:
    """Every profile the inventory names, or ConfigFileError listing each one missing."""
    from_file: dict[str, dict[str, str]] = {}
    if path is not None and path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigFileError(
                [f"{path}: credentials file is readable by others (mode {mode:04o}); run: chmod 600 {path}"]
            )
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            # The message must not echo the file's content: it holds secrets.
            raise ConfigFileError([f"{path}: not valid YAML"]) from None
        if not isinstance(data, dict) or not isinstance(data.get("profiles", {}), dict):
            raise ConfigFileError(
                [f"{path}: expected 'profiles:' mapping profile names to username/password"]
            )
        from_file = data.get("profiles") or {}
    result, problems = {}, []
    for profile in sorted(profiles):
        entry = dict(from_file.get(profile) or {})
        for part in ("username", "password", "enable"):
            value = os.environ.get(_env_name(profile, part.upper()))
            if value is not None:
                entry[part] = value
        unknown = set(entry) - {"username", "password", "enable"}
        if unknown:
            problems.append(f"{path}: profiles.{profile}: unknown key(s) {', '.join(sorted(unknown))}")
        if not entry.get("username") or not entry.get("password"):
            where = f"{path}: profiles.{profile}" if path else f"profile {profile}"
            problems.append(
                f"{where}: no username/password; add them to the credentials file "
                f"or set {_env_name(profile, 'USERNAME')} and {_env_name(profile, 'PASSWORD')}"
            )
            continue
        result[profile] = Credential(
            str(entry["username"]), str(entry["password"]), str(entry.get("enable", ""))
        )
    if problems:
        raise ConfigFileError(problems)
    return result
