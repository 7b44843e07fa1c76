"""A RANCID repository of the lab's own configs, imported, then collected: no change commit.

The repository is built the way RANCID 3.13 with git keeps it (collector/rancid.py,
tests/collector/test_import_rancid.py): `router.db` and `.gitignore` at the root, a new router
first committed as an empty file, then `configs/<device>` as the module's WriteTerm writes it —
the `RANCID-CONTENT-TYPE` header and `show version` comment block, IOS's synthesised
`config-register`, without the lines RANCID itself filters out of the display (IOS's `Building
configuration...`, `Current configuration :`, `! Last configuration change at`, `! NVRAM config
last updated at`, `ntp clock-period`; VRP's `!Software Version`). The configs are fetched from the
lab over SSH with netmiko, as RANCID's clogin fetches them. Then `netkb import` and `netkb collect`
of the same devices: a device whose config did not change gets no commit of its config.txt (its
state files — RANCID's listings, boot settings, licences — may be new).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import git
import pytest

from netkb.lab.fidelity import connect
from netkb.spec import load_spec
from tests.collector.test_import import SourceRepo, day, netkb_import
from tests.collector.test_import_rancid import rancid_h3c, rancid_ios, rancid_vrp
from tests.conftest import RunningLab
from tests.integration.test_collect import collect

DEVICES = {"core-1": "h3c", "dorm-01": "vrp", "rlab-1": "cisco", "rlab-2": "cisco"}
# The control: a device whose RANCID copy is one line behind the device (a description written since).
CHANGED, CHANGED_KIND, ADDED = "agg-lib", "h3c", re.compile(r"^ description .*\n", re.M)

# Lines of the display that RANCID's WriteTerm skips (lib/ios.pm.in, lib/vrp.pm.in).
_RANCID_SKIPS = re.compile(
    r"^(?:Building configuration\.\.\.|Current configuration ?: ?\d+ bytes|! Last configuration change at .*"
    r"|! NVRAM config last updated at .*|! No configuration change since last restart|ntp clock-period \d+"
    r"|!Software Version .*)\s*$"
)


def displayed(lab: RunningLab, name: str) -> str:
    """The running config as the device prints it (netmiko, like RANCID's clogin)."""
    entry = lab.devices[name]
    spec = load_spec(str(entry["platform"]))
    with connect(entry, lab.profile(name)) as conn:
        if spec.enable:
            conn.enable()
        return str(conn.send_command(spec.config_command.command, read_timeout=30))


def as_rancid_writes(kind: str, text: str) -> str:
    body = "\n".join(
        line for line in text.replace("\r\n", "\n").splitlines() if not _RANCID_SKIPS.match(line)
    )
    return {"cisco": rancid_ios, "vrp": rancid_vrp, "h3c": rancid_h3c}[kind](body)


def config_commits(ws: Path, device: str) -> list[str]:
    return (
        git.Repo(ws / "configs").git.log("--format=%H %s", "--", f"devices/{device}/config.txt").splitlines()
    )


@pytest.fixture(scope="module")
def imported_then_collected(lab: RunningLab, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("rancid_import")
    src = SourceRepo(root / "rancid")
    every = {**DEVICES, CHANGED: CHANGED_KIND}
    router_db = "".join(f"{name};{kind};up\n" for name, kind in every.items())
    src.commit(day(1, 1), {".gitignore": "routers.all\nrouters.down\nrouters.up\n", "router.db": router_db})
    src.commit(day(1, 1), {f"configs/{name}": "" for name in every})  # rancid-run's new routers
    configs = {f"configs/{n}": as_rancid_writes(k, displayed(lab, n)) for n, k in every.items()}
    behind, dropped = ADDED.subn("", configs[f"configs/{CHANGED}"], count=1)
    assert dropped == 1
    configs[f"configs/{CHANGED}"] = behind
    src.commit(day(1), configs)
    ws = root / "ws"
    ws.mkdir()
    shutil.copy(
        lab.inventory, ws / "inventory.yml"
    )  # the import reads the names; collect logs in with the lab's
    imported = netkb_import(ws, src.path, "--format", "rancid")
    before = {name: config_commits(ws, name) for name in every}
    collected = collect(ws, lab, "--limit", ",".join(every))
    after = {name: config_commits(ws, name) for name in every}
    head = git.Repo(ws / "configs").head.commit
    return {
        "ws": ws,
        "imported": imported,
        "collected": collected,
        "before": before,
        "after": after,
        "head": head,
    }


@pytest.mark.parametrize("name", sorted(DEVICES))
def test_first_collect_after_a_rancid_import_commits_no_config_change(
    imported_then_collected: dict[str, object], name: str
) -> None:
    run = imported_then_collected
    imported = run["imported"]
    assert isinstance(imported, subprocess.CompletedProcess) and imported.returncode == 0, imported
    assert len(run["before"][name]) == 1, run["before"][name]  # type: ignore[index]
    assert run["after"][name] == run["before"][name], run["after"][name]  # type: ignore[index]


def test_a_device_changed_since_rancids_copy_gets_its_change(
    imported_then_collected: dict[str, object],
) -> None:
    """The control: the same path does commit a real difference (one description line)."""
    run = imported_then_collected
    before, after = run["before"][CHANGED], run["after"][CHANGED]  # type: ignore[index]
    assert len(before) == 1 and len(after) == 2, (before, after)


def test_the_collect_kept_what_rancid_records_as_state(imported_then_collected: dict[str, object]) -> None:
    head = imported_then_collected["head"]
    assert isinstance(head, git.Commit)
    state = {e.path for e in head.tree.traverse() if isinstance(e, git.Blob) and "/state/" in e.path}
    for name, topics in {
        "core-1": ("files", "boot", "startup", "licences"),
        "dorm-01": ("files", "boot", "startup", "licences"),
        "rlab-1": ("files", "boot", "startup", "licences", "vtp"),  # Smart Licensing: show license summary
        "rlab-2": ("files", "boot", "startup", "licences", "vtp"),
    }.items():
        for topic in topics:
            assert f"devices/{name}/state/{topic}.yml" in state, (name, topic, sorted(state)[:20])
    # agg-lib refuses `display license` (no licensing): no licences file, and the run did not fail it.
    assert "devices/agg-lib/state/licences.yml" not in state
    assert "devices/agg-lib/state/boot.yml" in state
    # rlab-2 keeps its image in its own directory: `dir /recursive` records it.
    files = (head.tree / "devices/rlab-2/state/files.yml").data_stream.read().decode()
    assert "c2960x-universalk9-mz.152-7.E8/c2960x-universalk9-mz.152-7.E8.bin" in files


def test_dates_are_rancids(imported_then_collected: dict[str, object]) -> None:
    """The imported snapshot keeps RANCID's commit time, not the import's."""
    ws = imported_then_collected["ws"]
    assert isinstance(ws, Path)
    first = git.Repo(ws / "configs").git.log("--reverse", "--format=%aI", "--", "devices/core-1/config.txt")
    assert dt.datetime.fromisoformat(first.splitlines()[0]) == day(1)
