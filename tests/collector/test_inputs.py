"""Inventory, settings and credentials: every error at once, one line each, exit status 2."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from netkb.credentials import load_credentials
from netkb.inventory import ConfigFileError, load_inventory, load_inventory_cached
from netkb.settings import load_settings


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_every_inventory_error_is_reported_with_its_key_path(tmp_path: Path) -> None:
    inv = write(
        tmp_path / "inventory.yml",
        """
devices:
  - {name: core-1, host: 10.0.0.1, platform: comwar}
  - {name: core-2, host: 10.0.0.2, platform: comware, prot: 22}
  - {name: core-1, host: 10.0.0.3, platform: vrp}
  - {name: sw-4, platform: ios, port: 70000}
""",
    )
    with pytest.raises(ConfigFileError) as err:
        load_inventory(inv)
    problems = err.value.problems
    assert any("devices[0].platform" in p and "comware" in p for p in problems)
    assert any("devices[1].prot: unknown key" in p for p in problems)
    assert any("devices[3].host" in p for p in problems) and any("devices[3].port" in p for p in problems)
    assert all(p.startswith(str(inv)) for p in problems)


def test_duplicate_names_and_bad_yaml(tmp_path: Path) -> None:
    inv = write(
        tmp_path / "inventory.yml",
        "devices:\n  - {name: a, host: h, platform: ios}\n  - {name: a, host: h, platform: ios}\n",
    )
    with pytest.raises(ConfigFileError, match=r"devices\[1\]\.name: 'a' is also devices\[0\]"):
        load_inventory(inv)
    write(inv, "devices: [\n")
    with pytest.raises(ConfigFileError, match="not valid YAML"):
        load_inventory(inv)


def test_a_kept_inventory_follows_its_file_and_never_keeps_an_invalid_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    inv = write(tmp_path / "inventory.yml", "devices:\n  - {name: a, host: 10.0.0.1, platform: ios}\n")
    assert load_inventory_cached(inv, cache) == load_inventory(inv)
    (kept,) = cache.glob("inventory-*.pickle")
    assert load_inventory_cached(inv, cache) == load_inventory(inv)  # served from the kept copy

    write(inv, "devices:\n  - {name: b, host: 10.0.0.2, platform: vrp}\n")
    assert [d.name for d in load_inventory_cached(inv, cache).devices] == ["b"]
    assert not kept.exists() and len(list(cache.glob("inventory-*.pickle"))) == 1

    write(inv, "devices:\n  - {name: b, host: 10.0.0.2, platform: vrx}\n")
    with pytest.raises(ConfigFileError, match="platform"):
        load_inventory_cached(inv, cache)
    (good,) = cache.glob("inventory-*.pickle")
    good.write_bytes(b"damaged")
    write(inv, "devices:\n  - {name: b, host: 10.0.0.2, platform: vrp}\n")
    assert [d.name for d in load_inventory_cached(inv, cache).devices] == ["b"]
    with pytest.raises(ConfigFileError, match="file not found"):
        load_inventory_cached(tmp_path / "missing.yml", cache)


def test_settings_unknown_key_and_range(tmp_path: Path) -> None:
    path = write(tmp_path / "netkb.yml", "workers: 0\ntimeout: {connect: 5}\n")
    with pytest.raises(ConfigFileError) as err:
        load_settings(path)
    assert any("workers" in p for p in err.value.problems)
    assert any("timeout: unknown key" in p for p in err.value.problems)


def test_credentials_file_must_be_private(tmp_path: Path) -> None:
    creds = write(
        tmp_path / "credentials.yml", "profiles: {lab: {username: u, password: TopSecret1}}\n", 0o644
    )
    with pytest.raises(ConfigFileError, match="chmod 600") as err:
        load_credentials(creds, {"lab"})
    assert "TopSecret1" not in str(err.value)
    creds.chmod(0o600)
    assert load_credentials(creds, {"lab"})["lab"].password == "TopSecret1"
    assert "TopSecret1" not in repr(load_credentials(creds, {"lab"}))


def test_credentials_from_the_environment_and_missing_profiles(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NETKB_CRED_CAMPUS_H3C_USERNAME", "ops")
    monkeypatch.setenv("NETKB_CRED_CAMPUS_H3C_PASSWORD", "FromEnv!")
    assert load_credentials(None, {"campus-h3c"})["campus-h3c"].password == "FromEnv!"
    with pytest.raises(ConfigFileError, match="NETKB_CRED_OTHER_PASSWORD"):
        load_credentials(None, {"other"})


def test_cli_prints_one_line_per_problem_and_exits_2(tmp_path: Path) -> None:
    write(tmp_path / "inventory.yml", "devices:\n  - {name: a, host: h, platform: junos, colour: red}\n")
    result = subprocess.run(
        [sys.executable, "-m", "netkb.cli", "collect", "--inventory", "inventory.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(
        line.startswith("netkb collect: inventory.yml: devices[0].") for line in lines
    )
    assert "Traceback" not in result.stderr


def test_a_kept_inventory_is_not_used_by_another_netkb(
    tmp_path: Path, upgrade_netkb: Callable[[], None]
) -> None:
    """The kept copy is keyed by netkb's fingerprint: after an upgrade the file is read again."""
    cache = tmp_path / "cache"
    inv = write(tmp_path / "inventory.yml", "devices:\n  - {name: a, host: 10.0.0.1, platform: ios}\n")
    load_inventory_cached(inv, cache)
    (kept,) = cache.glob("inventory-*.pickle")
    lie = load_inventory(
        write(tmp_path / "other.yml", "devices:\n  - {name: lie, host: 10.0.0.9, platform: ios}\n")
    )
    kept.write_bytes(pickle.dumps(lie))
    assert [d.name for d in load_inventory_cached(inv, cache).devices] == ["lie"]  # the kept copy is served
    upgrade_netkb()
    assert [d.name for d in load_inventory_cached(inv, cache).devices] == ["a"]
