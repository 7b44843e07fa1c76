"""No secret in any output netkb writes: the lab's leaky-text fault puts secrets where no config
rule looks (a port description, commands quoted by the log as rejected and as recorded, a
password typed as a login name) on Comware, VRP and IOS; after a collect, `netkb generate` and
`mkdocs build`, none of them is in the store's history, the run record, the state files,
build/, site/ or anything netkb printed — and each was replaced by a marker, not dropped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import git
import pytest
import yaml

from netkb.lab.faults import LEAKY_SECRETS
from tests.conftest import RunningLab
from tests.integration.test_collect import collect, latest_record, workspace

DEVICES = {"comware": "acc-dorm-03", "vrp": "dorm-04", "ios": "rlab-2"}


@pytest.mark.slow
def test_secrets_in_descriptions_and_logs_reach_no_output(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    data = yaml.safe_load(lab.inventory.read_text(encoding="utf-8"))
    data["devices"] = [d for d in data["devices"] if d["name"] in DEVICES.values()]
    data["credentials_file"] = str(lab.inventory.parent / "credentials.yml")
    inventory = ws / "inventory.yml"
    inventory.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        for name in DEVICES.values():
            lab.fault(name, "leaky-text")
        said = [collect(ws, lab, "--at", "2026-12-01T02:00:00+08:00", inventory=inventory)]
    finally:
        for name in DEVICES.values():
            lab.clear(name, "leaky-text")
    assert said[0].returncode == 0, said[0].stdout + said[0].stderr
    env = {**os.environ, "CI": "true", "NO_MKDOCS_2_WARNING": "1"}
    for args in (
        ["netkb.cli", "generate", "--inventory", str(inventory), "--now", "2026-12-01T09:00:00+08:00"],
        ["mkdocs", "build", "-q", "--strict", "-f", "build/mkdocs.yml"],
    ):
        done = subprocess.run([sys.executable, "-m", *args], cwd=ws, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        said.append(done)

    # Each secret became a marker where it stood: the description, the quoted commands, the user.
    record = latest_record(ws)
    for name in DEVICES.values():
        folder = ws / "configs" / "devices" / name
        assert "description pppoe password simple <secret:" in (folder / "config.txt").read_text(
            encoding="utf-8"
        )
        interfaces = (folder / "state" / "interfaces.yml").read_text(encoding="utf-8")
        assert "pppoe password simple <secret:" in interfaces or 'description: "pppoe' not in interfaces
        logs = "\n".join(str(e["text"]) for e in record["devices"][name]["new_logs"])
        assert logs.count("<secret:") >= 2, (name, logs)  # the rejected command and the login name
    # Of the three, only Comware's `display interface brief` prints descriptions.
    interfaces = (ws / "configs" / "devices" / DEVICES["comware"] / "state" / "interfaces.yml").read_text()
    assert 'description: "pppoe password simple <secret:' in interfaces
    texts = {"history": git.Repo(ws / "configs").git.log("-p", "--all")}
    texts |= {f"output {i}": r.stdout + r.stderr for i, r in enumerate(said)}
    # Every file of the project: the store's work tree, the parse cache, build/, site/ and the
    # generator's caches (the history above holds the commits and their messages).
    for path in ws.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            texts[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    assert str(ws / ".netkb" / "cache" / "parse-cache.json") in texts  # the parse cache was scanned
    assert any(Path(w).name == "pages.pickle" for w in texts)  # the site's page cache was scanned
    leaks = {where: [s for s in LEAKY_SECRETS if s in text] for where, text in texts.items()}
    assert {where: found for where, found in leaks.items() if found} == {}
