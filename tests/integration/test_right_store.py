"""The right store (issue 13 §2, §5), over real SSH into real git repositories: a collect started
from another folder (cron) commits to the project's store and creates nothing where it runs;
no store or key is created unasked; `--force` accepts one named device's shrink."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import git
import yaml

from tests.conftest import RunningLab

ROOT = Path(__file__).resolve().parents[2]
FAST = {"timeouts": {"connect": 10, "command": 20, "device": 60}, "retries": 0}
LIMIT = "agg-lib,acc-lib-02"


def campus(tmp_path: Path) -> Path:
    """A project whose store and key live in folders of their own, named relative to netkb.yml."""
    folder = tmp_path / "campus"
    (folder / "runbooks").mkdir(parents=True)
    settings = {**FAST, "snapshot_repo": "store", "redaction_key_file": "secret/redaction.key"}
    (folder / "netkb.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    return folder


def collect(cwd: Path, lab: RunningLab, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NETKB_PROJECT", "NETKB_REDACTION_KEY")}
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", "collect", "--inventory", str(lab.inventory), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**environ, "PYTHONPATH": str(ROOT), "CI": "true", **env},
    )


def records(store: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((store / "runs").glob("*/*/*.json"))]


def test_a_run_from_another_folder_commits_to_the_projects_store(lab: RunningLab, tmp_path: Path) -> None:
    project = campus(tmp_path)
    store, key = project / "store", project / "secret" / "redaction.key"
    first = collect(project, lab, "--limit", LIMIT)  # the first collect of a project: no flag needed
    assert first.returncode == 0, first.stdout + first.stderr
    assert (store / ".git").exists() and key.exists()
    secret = key.read_bytes()

    cron = tmp_path / "cron-home"
    cron.mkdir()
    runs = [
        collect(cron, lab, "--limit", LIMIT, "--settings", str(project / "netkb.yml")),
        collect(cron, lab, "--limit", LIMIT, NETKB_PROJECT=str(project)),
        collect(project / "runbooks", lab, "--limit", LIMIT),  # netkb.yml found upward
    ]
    for result in runs:
        assert result.returncode == 0, result.stdout + result.stderr
    assert list(cron.iterdir()) == []  # no second ./configs, no new key
    assert not (project / "runbooks" / "store").exists() and not (project / "runbooks" / "secret").exists()
    assert key.read_bytes() == secret
    made = records(store)
    assert len(made) == 4  # every run was committed to the real store
    for record in made[1:]:
        assert {d["outcome"] for d in record["devices"].values()} == {"unchanged"}, record
        assert not any(d["first_contact"] for d in record["devices"].values())  # host keys kept
    assert not git.Repo(store).is_dirty(untracked_files=True)

    # Without a project (no netkb.yml above, no NETKB_PROJECT) nothing is created: exit 2, one line.
    lost = collect(cron, lab, "--limit", LIMIT)
    assert lost.returncode == 2
    assert lost.stderr.startswith(f"netkb collect: no snapshot repository at {cron.resolve() / 'configs'}")
    assert "--new-store" in lost.stderr and len(lost.stderr.splitlines()) == 1
    assert list(cron.iterdir()) == []
    asked = collect(cron, lab, "--limit", LIMIT, "--new-store")
    assert asked.returncode == 0, asked.stdout + asked.stderr
    assert (cron / "configs" / ".git").exists() and (cron / ".netkb" / "redaction.key").exists()


def test_a_lost_key_or_store_is_refused_not_replaced(lab: RunningLab, tmp_path: Path) -> None:
    project = campus(tmp_path)
    store, key = project / "store", project / "secret" / "redaction.key"
    assert collect(project, lab, "--limit", LIMIT).returncode == 0
    key.rename(project / "kept.key")
    no_key = collect(project, lab, "--limit", LIMIT)
    assert no_key.returncode == 2
    assert f"the redaction key {key.resolve()} is missing" in no_key.stderr
    assert not key.exists() and len(records(store)) == 1

    (project / "kept.key").rename(key)
    store.rename(project / "store-moved")
    no_store = collect(project, lab, "--limit", LIMIT)
    assert no_store.returncode == 2
    assert f"no snapshot repository at {store.resolve()}" in no_store.stderr
    assert not store.exists()


def test_force_accepts_the_shrink_of_the_named_device_only(lab: RunningLab, tmp_path: Path) -> None:
    project = campus(tmp_path)
    store = project / "store"
    assert collect(project, lab, "--limit", LIMIT).returncode == 0
    # The last good configs were three times longer: today's are a shrink past 50 % on both.
    repo = git.Repo(store)
    for name in LIMIT.split(","):
        config = store / "devices" / name / "config.txt"
        lines = config.read_text(encoding="utf-8").splitlines()
        config.write_text(
            "\n".join(lines[:-1] + ["#"] * (3 * len(lines)) + lines[-1:]) + "\n", encoding="utf-8"
        )
        repo.index.add([f"devices/{name}/config.txt"])
    repo.index.commit("longer configs")

    result = collect(project, lab, "--limit", LIMIT, "--force", "agg-lib")
    assert result.returncode == 1, result.stdout + result.stderr
    devices = records(store)[-1]["devices"]
    assert devices["agg-lib"]["outcome"] == "changed"
    assert devices["acc-lib-02"]["outcome"] == "failed"
    assert devices["acc-lib-02"]["reason"].endswith(
        "if the change is real, run again with --force acc-lib-02"
    )
