"""`netkb import` from RANCID-style and Oxidized-style git repositories and dated files, built here.

The configurations are the lab's renderings of real-shaped Comware, VRP and IOS devices; the
source repositories are real git repositories with dated commits; the import runs through
the real command line into a real snapshot repository.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from pathlib import Path

import git
import pytest
import yaml

from netkb.lab.model import Device
from netkb.lab.platforms import ios_config, vrp_config
from netkb.lab.platforms.comware_config import render_config
from netkb.lab.topology import MIN_DEVICES, build_network

CST = dt.timezone(dt.timedelta(hours=8))
SECRET = "Imp0rt-Secret-42"
NET = build_network(MIN_DEVICES, 0)
DEVICES = ("core-1", "dorm-01", "rlab-1")


def comware(extra_vlan: bool = False) -> str:
    text = "\n".join(render_config(NET.devices["core-1"])) + "\n"
    text = text.replace(
        "\nreturn\n", f"\nlocal-user import-test class manage\n password simple {SECRET}\n#\nreturn\n"
    )
    if extra_vlan:
        text = text.replace("#\ninterface LoopBack0", "#\nvlan 640\n name sport-new\n#\ninterface LoopBack0")
    return text


def vrp(seed: int) -> str:
    # VRP prints its reversible ciphers with fresh randomness on every display.
    return vrp_config.running_config(NET.devices["dorm-01"], random.Random(seed)).replace("\r\n", "\n")


def ios() -> str:
    lines = ios_config.running_config(NET.devices["rlab-1"]).replace("\r\n", "\n").split("\n")
    # RANCID drops the progress and size lines and the change-time comments itself.
    return "\n".join(
        line for line in lines[3:] if not line.startswith(("Building", "Current configuration", "! Last"))
    )


def rancid_file(content_type: str, body: str, flash: str = "1020MB") -> str:
    return (
        f"!RANCID-CONTENT-TYPE: {content_type}\n!\n!Software: Version 7.1.070, Release 7585P05\n"
        f"!Flash: {flash} free\n!\n!Slot 1: LSQM1SRP2X0\n!\n{body}"
    )


def secret_values(dev: Device) -> set[str]:
    s = dev.secrets
    values = {*(u.password for u in s.users), *(c.name for c in s.snmp_communities)}
    values |= {k for u in s.snmp_users for k in (u.auth_key, u.priv_key)}
    values |= {a.key for a in s.aaa_servers} | {n.key or "" for n in s.ntp_servers}
    values |= {s.super_password or "", dev.enable_password or ""}
    return {v for v in values if len(v) > 3}


class SourceRepo:
    """A git repository written the way RANCID or Oxidized writes theirs: dated commits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: dt.datetime | None = None) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "rancid", "GIT_AUTHOR_EMAIL": "rancid@localhost"}
        env |= {"GIT_COMMITTER_NAME": "rancid", "GIT_COMMITTER_EMAIL": "rancid@localhost"}
        if when:
            env |= {"GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat()}
        done = subprocess.run(["git", *args], cwd=self.path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, when: dt.datetime, files: dict[str, str]) -> None:
        for relpath, text in files.items():
            (self.path / relpath).parent.mkdir(parents=True, exist_ok=True)
            (self.path / relpath).write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", f"updates {when:%Y-%m-%d}", when=when)


def day(n: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2024, 3, n, hour, 0, tzinfo=CST)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    entries: list[dict[str, str]] = []
    for name in DEVICES:
        dev = NET.devices[name]
        entries.append({"name": name, "host": f"10.9.0.{len(entries) + 1}", "platform": dev.platform.value})
    entries[0]["mgmt_ip"] = "10.254.0.1"
    (ws / "inventory.yml").write_text(yaml.safe_dump({"devices": entries}), encoding="utf-8")
    return ws


def netkb_import(ws: Path, source: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "netkb.cli", "import", str(source), "--inventory", "inventory.yml", *args],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CI": "true", "COLUMNS": "200"},
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return result


def snapshots(ws: Path, device: str) -> list[tuple[dt.datetime, str]]:
    """(date, subject) of every commit of the device's config, oldest first."""
    log = git.Repo(ws / "configs").git.log(
        "--reverse", "--format=%aI%x00%s", "--", f"devices/{device}/config.txt"
    )
    return [(dt.datetime.fromisoformat(d), s) for d, s in (line.split("\0") for line in log.splitlines())]


def all_commits(ws: Path) -> int:
    return int(git.Repo(ws / "configs").git.rev_list("--count", "HEAD"))


def build_rancid(path: Path) -> SourceRepo:
    src = SourceRepo(path)
    core, dorm, rlab = "campus/configs/core-1", "campus/configs/dorm-01", "lab/configs/10.9.0.3"
    src.commit(
        day(1),
        {
            "campus/router.db": "core-1;h3c;up\ndorm-01;huawei;up\nghost-9;h3c;up\n",
            "lab/router.db": "10.9.0.3;cisco;up\n",
            core: rancid_file("h3c", comware()),
            dorm: rancid_file("huawei", vrp(1)),
            rlab: rancid_file("cisco", ios()),
            "campus/configs/ghost-9": rancid_file("h3c", comware()),
        },
    )
    # Only the comment header changed (and VRP re-randomised its ciphers): no new snapshot.
    src.commit(
        day(2), {core: rancid_file("h3c", comware(), flash="1010MB"), dorm: rancid_file("huawei", vrp(2))}
    )
    src.commit(day(5), {core: rancid_file("h3c", comware(extra_vlan=True))})
    truncated = comware(extra_vlan=True)
    src.commit(day(7), {core: rancid_file("h3c", truncated[: len(truncated) // 2])})
    src.commit(day(9), {core: rancid_file("h3c", comware())})
    return src


def test_rancid_history_arrives_dated_clean_and_redacted(ws: Path, tmp_path: Path) -> None:
    build_rancid(tmp_path / "rancid")
    dry = netkb_import(ws, tmp_path / "rancid", "--dry-run")
    assert "would import 5 snapshots" in dry.stdout and not (ws / "configs").exists()
    result = netkb_import(ws, tmp_path / "rancid")
    assert result.returncode == 1  # the unknown device and the truncated config are problems
    out = result.stdout
    assert "as RANCID in git (per-group layout: campus/configs/, lab/configs/)" in out

    core = snapshots(ws, "core-1")
    assert [when for when, _ in core] == [day(1), day(5), day(9)]
    assert core[0][1] == "core-1: first snapshot"
    assert core[1][1].startswith("core-1: ") and "vlan 640" in core[1][1]
    assert [when for when, _ in snapshots(ws, "dorm-01")] == [day(1)]
    assert [when for when, _ in snapshots(ws, "rlab-1")] == [day(1)]  # named by its address in RANCID

    config = (ws / "configs/devices/core-1/config.txt").read_text(encoding="utf-8")
    assert config.startswith("#\n version 7.1.070") and config.endswith("\nreturn\n")
    assert "RANCID" not in config and "!Flash" not in config and "!Software" not in config
    assert (ws / "configs/devices/dorm-01/config.txt").read_text().startswith("!Software Version V200")
    assert "version 15.2" in (ws / "configs/devices/rlab-1/config.txt").read_text()

    assert "ghost-9: not in the inventory" in out
    assert "core-1: refused: 2024-03-07 02:00" in out and "config incomplete" in out

    history = git.Repo(ws / "configs").git.log("-p", "--all")
    assert SECRET not in history and "<secret:" in history
    for name in DEVICES:
        for value in secret_values(NET.devices[name]):
            assert value not in history, (name, value)

    before = all_commits(ws)
    again = netkb_import(ws, tmp_path / "rancid")
    assert all_commits(ws) == before
    assert "imported 0 snapshots, 5 already present" in again.stdout


def test_oxidized_repository_with_groups(ws: Path, tmp_path: Path) -> None:
    src = SourceRepo(tmp_path / "oxidized")
    header = "# H3C Comware Software, Version 7.1.070, Release 7585P05\n# \n# Uptime is 0 weeks\n#\n"
    src.commit(day(1, 3), {"core-1": header + comware(), "dorm/dorm-01": "# Huawei VRP\n#\n" + vrp(1)})
    src.commit(day(4, 3), {"core-1": header + comware(extra_vlan=True)})
    src.commit(day(6, 3), {"dorm/dorm-01": "# Huawei VRP\n#\n" + vrp(5)})  # ciphers only: no change
    src.commit(day(8, 3), {"core-1": header.replace("0 weeks", "1 weeks") + comware()})
    # The snapshot repository was created today with a README: that commit does not block 2024.
    SourceRepo(ws / "configs").commit(dt.datetime.now(CST), {"README.md": "snapshots\n"})
    result = netkb_import(ws, tmp_path / "oxidized")
    assert result.returncode == 0, result.stdout
    assert [when for when, _ in snapshots(ws, "core-1")] == [day(1, 3), day(4, 3), day(8, 3)]
    assert [when for when, _ in snapshots(ws, "dorm-01")] == [day(1, 3)]
    config = (ws / "configs/devices/core-1/config.txt").read_text(encoding="utf-8")
    assert config.startswith("#\n version 7.1.070") and "H3C Comware Software" not in config
    assert "Huawei VRP" not in (ws / "configs/devices/dorm-01/config.txt").read_text()
    assert SECRET not in git.Repo(ws / "configs").git.log("-p", "--all")
    # Commits are oldest first across devices, so the log reads in date order.
    dates = git.Repo(ws / "configs").git.log("--reverse", "--format=%at", "--", "devices").split()
    assert dates == sorted(dates)
    before = all_commits(ws)
    assert netkb_import(ws, tmp_path / "oxidized").returncode == 0
    assert all_commits(ws) == before


def test_dated_files_and_history_is_never_rewritten(ws: Path, tmp_path: Path) -> None:
    build_rancid(tmp_path / "rancid")
    netkb_import(ws, tmp_path / "rancid")
    tip = git.Repo(ws / "configs").head.commit.hexsha
    before = all_commits(ws)

    files = tmp_path / "backups"
    (files / "rlab-1").mkdir(parents=True)
    (files / "core-1_20240303.cfg").write_text(comware(extra_vlan=True), encoding="utf-8")  # older
    (files / "core-1-2024-04-01.cfg").write_text(comware(extra_vlan=True), encoding="utf-8")
    (files / "rlab-1" / "2024-04-02.txt").write_text(ios().replace("hostname rlab-1", "hostname rlab-1-new"))
    (files / "notes.txt").write_text("not a config\n")
    result = netkb_import(ws, files, "--timezone", "Asia/Shanghai")
    assert result.returncode == 1
    out = result.stdout
    assert "dated files" in out
    assert "core-1: older than the repository: 2024-03-03 00:00 core-1_20240303.cfg" in out
    assert "notes.txt: no date in the file name" in out

    repo = git.Repo(ws / "configs")
    assert repo.is_ancestor(repo.commit(tip), repo.head.commit)  # appended, not rewritten
    assert all_commits(ws) == before + 2
    assert snapshots(ws, "core-1")[-1][0] == dt.datetime(2024, 4, 1, tzinfo=CST)
    when, subject = snapshots(ws, "rlab-1")[-1]
    assert when == dt.datetime(2024, 4, 2, tzinfo=CST) and "hostname rlab-1-new" in subject
    assert "hostname rlab-1-new" in (ws / "configs/devices/rlab-1/config.txt").read_text()

    again = netkb_import(ws, files, "--timezone", "Asia/Shanghai")
    assert all_commits(ws) == before + 2
    assert "imported 0 snapshots, 2 already present" in again.stdout


def test_bad_source_is_one_line(ws: Path, tmp_path: Path) -> None:
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "netkb.cli",
            "import",
            str(tmp_path / "nope"),
            "--inventory",
            "inventory.yml",
        ],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 2
    assert "nope: no such file or folder" in missing.stderr
    bad_zone = subprocess.run(
        [sys.executable, "-m", "netkb.cli", "import", str(ws), "--timezone", "Mars/Olympus"],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad_zone.returncode == 2 and "unknown time zone 'Mars/Olympus'" in bad_zone.stderr
