"""One loader for the records: `netkb check` refuses exactly what `inspect`, `generate` and
`report` refuse (netkb/records/handwritten.py), with the same lines, and all four find the
records in the project folder by default."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import git
import yaml

INVENTORY = {
    "devices": [
        {"name": "core-1", "host": "10.0.0.1", "platform": "comware"},
        {"name": "agg-lib", "host": "10.0.0.2", "platform": "comware"},
    ]
}
GOOD_INCIDENT = (
    "---\nid: INC-1\ntitle: 核心交换机风扇告警\nlevel: P2\ncategory: hardware\ndevices: [core-1]\n"
    "reported: 2026-10-14T09:12:00+08:00\nresolved: 2026-10-14T11:00:00+08:00\nstatus: resolved\n---\n"
)


def netkb(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args], cwd=project, capture_output=True, text=True, timeout=120
    )


def problems(said: str, command: str) -> set[str]:
    """The record problems a command said (generate also says its progress on stderr)."""
    prefix = f"netkb {command}: "
    lines = {line.removeprefix(prefix) for line in said.splitlines() if line.startswith(prefix)}
    return {line for line in lines if line.startswith(("inspections/", "runbooks/", "incidents/"))}


def test_check_refuses_exactly_what_inspect_generate_and_report_refuse(tmp_path: Path) -> None:
    project = tmp_path / "campus"
    (project / "runbooks").mkdir(parents=True)
    (project / "incidents").mkdir()
    (project / "inventory.yml").write_text(yaml.safe_dump(INVENTORY), encoding="utf-8")
    (project / "netkb.yml").write_text("snapshot_repo: configs\n", encoding="utf-8")
    git.Repo.init(project / "configs")
    (project / "runbooks" / "fan.md").write_text("---\ndevices: [core-9]\n---\n# 风扇\n", encoding="utf-8")
    (project / "runbooks" / "topology.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (project / "incidents" / "bad.md").write_text(
        GOOD_INCIDENT.replace("resolved: 2026-10-14T11:00", "resolved: 2026-10-14T08:00"), encoding="utf-8"
    )

    check = netkb(project, "check")
    assert check.returncode == 1
    expected = problems(check.stderr, "check")
    assert any("runbooks/fan.md" in p and "core-9" in p for p in expected), expected
    assert any(p.startswith("runbooks/topology.html: not published") for p in expected), expected
    assert any(p.startswith("incidents/bad.md: resolved: before reported") for p in expected), expected
    for command in (["inspect"], ["generate"], ["report", "2026-10"]):
        refused = netkb(project, *command)
        assert refused.returncode == 2, (command, refused.stdout, refused.stderr)
        assert problems(refused.stderr, command[0]) == expected, command
        assert "Traceback" not in refused.stderr
    assert not (project / "build" / "docs").exists() and not (project / "build" / "mkdocs.yml").exists()

    (project / "runbooks" / "fan.md").write_text("---\ndevices: [core-1]\n---\n# 风扇\n", encoding="utf-8")
    (project / "runbooks" / "topology.html").unlink()
    (project / "incidents" / "bad.md").write_text(GOOD_INCIDENT, encoding="utf-8")
    ok = netkb(project, "check")
    assert ok.returncode == 0, ok.stderr
    assert "1 runbook(s), 1 incident record(s)" in ok.stdout
    report = netkb(project, "report", "2026-10", "--now", "2026-11-05T12:00:00+08:00")
    assert report.returncode == 0, report.stderr
