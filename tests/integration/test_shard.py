"""Two `netkb collect --shard` runners in parallel, each in its own clone, pushing to one repository.

As two CI jobs of a nightly matrix would: a bare repository, a clone per shard, both
collecting at the same moment (the same `--at` second, the hard case for run-record names),
then `git pull --rebase` and `git push` with retry. Nothing may conflict and no commit may
be lost.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import git
import yaml

from netkb.lab.topology import MIN_DEVICES
from tests.conftest import netkb, start_lab

FAST = {"timeouts": {"connect": 10, "command": 30, "device": 90}, "retries": 1}
SHARDS = ("1/2", "2/2")


def run_git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def push_with_retry(clone: Path, attempts: int = 8) -> int:
    """Rebase on what the other shard pushed, then push; the number of tries it took."""
    for attempt in range(1, attempts + 1):
        pulled = run_git(clone, "pull", "--rebase", "-q", "origin", "main")
        assert pulled.returncode == 0, pulled.stderr  # a conflict would stop here
        if run_git(clone, "push", "-q", "origin", "HEAD:main").returncode == 0:
            return attempt
    raise AssertionError(f"{clone}: push still rejected after {attempts} tries")


def collect_shards(clones: dict[str, Path], inventory: Path, at: str) -> None:
    procs = {
        shard: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "netkb.cli",
                "collect",
                "--inventory",
                str(inventory),
                "--shard",
                shard,
                "--at",
                at,
            ],
            cwd=ws,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "CI": "true", "NETKB_REDACTION_KEY": "5f0c" * 16},
        )
        for shard, ws in clones.items()
    }
    for shard, proc in procs.items():
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, f"shard {shard}: {out}{err}"


def test_two_shards_in_parallel_lose_no_commit(tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    run_git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    seed = tmp_path / "seed"
    run_git(tmp_path, "clone", "-q", str(origin), str(seed))
    (seed / "README.md").write_text("netkb snapshot repository\n")
    for args in (
        ("add", "README.md"),
        ("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start"),
    ):
        assert run_git(seed, *args).returncode == 0
    assert run_git(seed, "push", "-q", "origin", "HEAD:main").returncode == 0

    clones: dict[str, Path] = {}
    for shard in SHARDS:
        ws = tmp_path / f"runner-{shard.replace('/', 'of')}"
        ws.mkdir()
        (ws / "netkb.yml").write_text(yaml.safe_dump(FAST), encoding="utf-8")
        assert run_git(ws, "clone", "-q", str(origin), "configs").returncode == 0
        clones[shard] = ws

    try:
        lab = start_lab(tmp_path / "lab", MIN_DEVICES, seed=3)
        for night, at in enumerate(("2026-03-01T02:00:00+08:00", "2026-03-02T02:00:00+08:00")):
            for ws in clones.values():  # a CI job starts from what the others pushed
                assert run_git(ws / "configs", "pull", "-q", "--rebase", "origin", "main").returncode == 0
            collect_shards(clones, lab.inventory, at)
            made = {
                s: int(run_git(ws / "configs", "rev-list", "--count", "origin/main..HEAD").stdout)
                for s, ws in clones.items()
            }
            assert all(made.values()), made  # at least each shard's run record
            before = int(run_git(clones["1/2"] / "configs", "rev-list", "--count", "origin/main").stdout)
            threads = [
                threading.Thread(target=push_with_retry, args=(ws / "configs",)) for ws in clones.values()
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)

            final = tmp_path / f"check-{night}"
            assert run_git(tmp_path, "clone", "-q", str(origin), str(final)).returncode == 0
            assert int(run_git(final, "rev-list", "--count", "HEAD").stdout) == before + sum(made.values())
            stamp = dt.datetime.fromisoformat(at).astimezone(dt.UTC)  # records are named in UTC
            records = sorted((final / "runs").glob(f"*/*/{stamp:%Y%m%dT%H%M%S}Z-shard*.json"))
            assert [r.name.rsplit("-", 1)[1] for r in records] == ["shard1of2.json", "shard2of2.json"]
            seen = [set(json.loads(r.read_text())["devices"]) for r in records]
            assert not seen[0] & seen[1] and seen[0] | seen[1] == set(lab.devices)
            for name in lab.devices:
                assert (final / "devices" / name / "config.txt").stat().st_size > 300, name
                assert (final / "known_hosts.d" / name).exists(), name
            outcomes = {d["outcome"] for r in records for d in json.loads(r.read_text())["devices"].values()}
            # Night 2 finds every device as night 1 left it, whichever shard committed it.
            assert outcomes == ({"changed"} if night == 0 else {"unchanged"}), outcomes
        assert not git.Repo(final).is_dirty(untracked_files=True)
    finally:
        netkb("lab", "--state", str(tmp_path / "lab"), "stop", check=False)
