"""A new user's whole path, against the lab over real SSH, each step a command run from the project
folder as the README's "Your own network" shows it: netkb init → fill the inventory and the
credentials → netkb check → netkb collect → netkb generate → mkdocs build (the project's own
mkdocs.yml) → a site with the devices' pages and the starter runbooks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import RunningLab

ROOT = Path(__file__).resolve().parents[2]
PLATFORMS = ("comware", "vrp", "ios")  # one device of each: a small network of three


def run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("NETKB_PROJECT", None)
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


def netkb(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(project, sys.executable, "-m", "netkb.cli", *args)


def fill(project: Path, lab: RunningLab) -> list[str]:
    """What the user does after init: devices in place of `devices: []`, passwords in place of
    the placeholders (the file keeps its 0600 mode). Returns the devices' names."""
    chosen = [next(d for d in lab.devices.values() if d["platform"] == p) for p in PLATFORMS]
    keys = ("name", "host", "port", "platform", "role", "building", "model", "credentials", "encoding")
    devices = [{k: d[k] for k in keys if k in d} for d in chosen]
    inventory = project / "inventory.yml"
    text = inventory.read_text(encoding="utf-8")
    listed = yaml.safe_dump({"devices": devices}, allow_unicode=True, sort_keys=False)
    inventory.write_text(text.replace("devices: []", listed.rstrip("\n"), 1), encoding="utf-8")
    profiles = {str(d["credentials"]): lab.profiles[str(d["credentials"])] for d in chosen}
    with (project / "credentials.yml").open("w", encoding="utf-8") as f:
        yaml.safe_dump({"profiles": profiles}, f)
    return [str(d["name"]) for d in chosen]


def test_init_check_collect_generate_build_from_an_empty_folder(lab: RunningLab, tmp_path: Path) -> None:
    netkb(tmp_path, "init", "campus", "--language", "en")
    project = tmp_path / "campus"
    names = fill(project, lab)

    check = netkb(project, "check")
    assert "3 devices" in check.stdout, check.stdout
    netkb(project, "collect")
    assert (project / "configs" / ".git").is_dir()
    netkb(project, "generate")
    run(project, sys.executable, "-m", "mkdocs", "build", "--strict")

    site = project / "site"
    for name in names:
        assert (site / "devices" / name / "index.html").is_file(), name
    starter = sorted(p.stem for p in (ROOT / "runbooks").glob("*.md"))
    for slug in starter:
        assert (site / "runbooks" / slug / "index.html").is_file(), slug
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>" in home and "Network knowledge base" in home  # the team's site_name
    # The firmware runbook applies to every platform: each device's page links it.
    page = (site / "devices" / names[0] / "index.html").read_text(encoding="utf-8")
    assert "firmware-upgrade-rollback" in page
