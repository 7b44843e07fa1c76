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

from netkb.inventory import ConfigFileError


@dataclass(frozen=True)
class Credential:
    username: str
    password: str = field(repr=False)
    enable: str = field(default="", repr=False)

    def __str__(self) -> str:  # never print a secret by accident
        return f"Credential(username={self.username!r})"


def _env_name(profile: str, part: str) -> str:
    return f"NETKB_CRED_{profile.upper().replace('-', '_')}_{part}"


def _read(path: Path) -> dict[str, object]:
    """The file's profiles (unchecked values), or ConfigFileError naming the file."""
    profiles = _load(path).get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigFileError([f"{path}: expected 'profiles:' mapping profile names to username/password"])
    return profiles


def credentials_section(path: Path, section: str) -> dict[str, object]:
    """Another top-level mapping of the credentials file (`notifications:`), read as the profiles are."""
    value = _load(path).get(section) or {}
    if not isinstance(value, dict):
        raise ConfigFileError([f"{path}: {section}: expected a mapping"])
    return value


def _load(path: Path) -> dict[str, object]:
    """The whole file, only when its owner alone can read it; ConfigFileError naming the file."""
    if path.is_dir():
        raise ConfigFileError(
            [f"{path}: is a folder; credentials_file in the inventory must name the YAML file itself"]
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigFileError(
            [f"{path}: credentials file is readable by others (mode {mode:04o}); run: chmod 600 {path}"]
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigFileError([f"{path}: credentials file cannot be read ({why})"]) from None
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        # The message must not echo the file's content: it holds secrets.
        raise ConfigFileError([f"{path}: not valid YAML"]) from None
    if not isinstance(data, dict):
        raise ConfigFileError([f"{path}: expected 'profiles:' mapping profile names to username/password"])
    return data


def load_credentials(path: Path | None, profiles: set[str]) -> dict[str, Credential]:
    """Every profile the inventory names, or ConfigFileError listing each one missing."""
    from_file: dict[str, object] = {}
    missing_file = path is not None and not path.exists()
    if path is not None and not missing_file:
        from_file = _read(path)
    result, problems, lacking = {}, [], []
    for profile in sorted(profiles):
        where = f"{path}: profiles.{profile}" if path else f"profile {profile}"
        given = from_file.get(profile) or {}
        if not isinstance(given, dict):
            # The value is never echoed: it may be the secret itself, written in the wrong place.
            problems.append(
                f"{where}: expected a mapping with username and password (and enable), "
                f"not a {type(given).__name__}"
            )
            continue
        entry = dict(given)
        for part in ("username", "password", "enable"):
            value = os.environ.get(_env_name(profile, part.upper()))
            if value is not None:
                entry[part] = value
        unknown = set(entry) - {"username", "password", "enable"}
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        # A number is refused, not converted: YAML reads 0123 as 83 and 1e5 as 100000.0.
        wrong = [
            part
            for part in ("username", "password", "enable")
            if entry.get(part) is not None and not isinstance(entry[part], str)
        ]
        if wrong:
            problems.append(
                f"{where}: {', '.join(wrong)} must be text: quote it (YAML reads 0123 as the number 83)"
            )
            continue
        if not entry.get("username") or not entry.get("password"):
            if missing_file:
                lacking.append(profile)
                continue
            problems.append(
                f"{where}: no username/password; add them to the credentials file "
                f"or set {_env_name(profile, 'USERNAME')} and {_env_name(profile, 'PASSWORD')}"
            )
            continue
        result[profile] = Credential(
            str(entry["username"]), str(entry["password"]), str(entry.get("enable") or "")
        )
    if lacking:
        variables = ", ".join(f"{_env_name(p, 'USERNAME')}/_PASSWORD" for p in lacking)
        problems.insert(
            0,
            f"{path}: credentials file not found (the inventory's credentials_file names it); "
            f"create it (chmod 600) with profiles {', '.join(lacking)}, or set {variables}",
        )
    if problems:
        raise ConfigFileError(problems)
    return result
