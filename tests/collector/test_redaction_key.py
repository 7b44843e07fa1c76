"""collector.redaction_key: a key that could be guessed, or read by others, is refused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from netkb.collector.redaction_key import ENV_KEY, key_strength_problem, load_redaction_key
from netkb.inventory import ConfigFileError

STRONG_HEX = "3f9a0c1e7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e"
STRONG_B64 = "q3Vx0mJ8y6o1Zf4pT9rW2sEaHkLnBcDgIuYtQvXzMw8="


@pytest.mark.parametrize(
    "text", [STRONG_HEX, STRONG_B64, "a long passphrase of many words: correct horse battery staple x9"]
)
def test_strong_keys_are_accepted(text: str) -> None:
    assert key_strength_problem(text) is None


@pytest.mark.parametrize(
    "text",
    ["x", "shared-by-all-runners", STRONG_HEX[:62], "q3Vx0mJ8y6o1Zf4p", "a" * 200, "ab" * 64, "0" * 64],
)
def test_weak_keys_are_refused(text: str) -> None:
    assert key_strength_problem(text) is not None


def test_weak_environment_key_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileError) as caught:
        load_redaction_key(tmp_path / "k", {ENV_KEY: "secret"})
    (line,) = caught.value.problems
    assert (
        ENV_KEY in line
        and "openssl rand -hex 32" in line
        and "secret" not in line.replace("secret markers", "")
    )
    assert not (tmp_path / "k").exists()  # the environment's key is used (and refused): no file made


def test_a_new_key_file_is_private_in_a_private_folder(tmp_path: Path) -> None:
    path = tmp_path / ".netkb" / "redaction.key"
    key = load_redaction_key(path, {})
    assert key_strength_problem(key.decode()) is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_redaction_key(path, {}) == key  # read back, not made again


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "redaction.key"
    path.write_text(STRONG_HEX)
    path.chmod(0o644)
    with pytest.raises(ConfigFileError, match=r"readable by others \(mode 0644\); run: chmod 600"):
        load_redaction_key(path, {})
    path.chmod(0o600)
    assert load_redaction_key(path, {}) == STRONG_HEX.encode()


def test_a_short_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "redaction.key"
    path.write_text("k")
    path.chmod(0o600)
    with pytest.raises(ConfigFileError, match=r"redaction.key: redaction key is too short"):
        load_redaction_key(path, {})
