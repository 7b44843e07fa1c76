"""One device can never stop the run: a poisoned device fails alone, over real SSH, into real git.

Two poisons: the lab's `garbage-output` fault (a log line after the `display vlan brief` table
and after the config's `return`: what a device prints, an expected failure), and a parser that
raises an exception netkb does not expect for one device (a bug: shown with its place, never
swallowed). Either way the run finishes, every other device is committed, the run record is
written with the device failed and why, and the exit status is 1.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import git
import pytest

from netkb import cli
from netkb.collector import snapshot
from netkb.collector.gitstore import SnapshotRepo
from tests.conftest import RunningLab
from tests.integration.test_collect import collect, device_commits, latest_record, workspace

VICTIM = "acc-teach-02"  # Comware 7
BYSTANDERS = ["acc-lib-02", "acc-sport-02", "dorm-02", "rlab-1"]  # Comware 7, Comware 5, VRP, IOS
SECRET = "Injected-S3cret-Value"


def _repository_is_clean(ws: Path) -> None:
    repo = git.Repo(ws / "configs")
    assert not repo.is_dirty(untracked_files=True), repo.git.status()
    assert subprocess.run(["git", "fsck", "--full"], cwd=ws / "configs").returncode == 0


def _finding(record: dict, name: str, item: str) -> dict:  # type: ignore[type-arg]
    return next(f for f in record["devices"][name]["inspection"] if f["item"] == item)


def test_garbage_output_fails_that_device_alone(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    lab.fault(VICTIM, "garbage-output")
    try:
        result = collect(ws, lab, "--limit", ",".join([VICTIM, *BYSTANDERS]))
    finally:
        lab.clear(VICTIM)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "netkb bug" not in result.stderr + result.stdout
    # Every other device is committed in this very run; the victim has nothing in git.
    assert sorted(c.split(":")[0] for c in device_commits(ws)) == sorted(BYSTANDERS)
    assert not (ws / "configs" / "devices" / VICTIM).exists()
    record = latest_record(ws)
    assert record["counts"] == {"changed": len(BYSTANDERS), "unchanged": 0, "failed": 1}
    victim = record["devices"][VICTIM]
    assert victim["outcome"] == "failed"
    assert victim["reason"].startswith("gate: config incomplete: it ends with '%"), victim["reason"]
    # The VLAN table with a stray line is a problem of that output, said in the record.
    assert any(p.startswith("'display vlan brief' (vlans):") for p in victim["problems"]), victim["problems"]
    assert _finding(record, VICTIM, "vlans")["verdict"] == "unknown"
    # The refused config is not judged: running (garbled) and saved differ, yet no "not saved".
    saved = _finding(record, VICTIM, "config_saved")
    assert saved["verdict"] == "unknown" and "refused" in saved["detail"], saved
    assert "config_saved" not in victim["measures"]
    # The rest of the same session was read and judged (see collect._without_config_measures).
    assert _finding(record, VICTIM, "fans")["verdict"] == "normal"
    assert VICTIM in result.stdout  # the summary names it
    _repository_is_clean(ws)

    # Cleared, the device is collected on the next run as if nothing happened.
    again = collect(ws, lab, "--limit", VICTIM)
    assert again.returncode == 0, again.stdout + again.stderr
    assert device_commits(ws)[0] == f"{VICTIM}: first snapshot"
    _repository_is_clean(ws)


def _in_process_collect(
    ws: Path, lab: RunningLab, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.chdir(ws)
    monkeypatch.setenv("CI", "true")
    code = cli.main(
        ["collect", "--inventory", str(lab.inventory), "--limit", ",".join([VICTIM, *BYSTANDERS])]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_a_parser_bug_on_one_device_is_shown_and_isolated(
    lab: RunningLab, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = workspace(tmp_path, lab)
    real_get_parser = snapshot.get_parser

    def get_parser(name: str) -> Callable[[str], object]:
        parse = real_get_parser(name)
        if name != "comware.logbuffer":
            return parse

        def broken(text: str) -> object:
            if f" {VICTIM} " in text:  # log lines name their device: only the victim's breaks
                raise RuntimeError(f"choked on line ' password simple {SECRET}'")
            return parse(text)

        return broken

    monkeypatch.setattr(snapshot, "get_parser", get_parser)
    code, out, err = _in_process_collect(ws, lab, capsys, monkeypatch)
    assert code == 1, out + err
    reason = latest_record(ws)["devices"][VICTIM]["reason"]
    assert reason.startswith("parse ('display logbuffer'): RuntimeError: choked on line"), reason
    assert "(netkb bug at tests/integration/test_isolation.py:" in reason and " in broken)" in reason
    # The bug is shown on stderr in one line with its place, not as a traceback.
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [f"netkb collect: {VICTIM}: {reason}; please report this bug"], err
    assert "Traceback" not in err
    # The message quoted a secret: it is redacted before it is stored or printed.
    assert SECRET not in reason + out + err and "<secret:" in reason
    assert sorted(c.split(":")[0] for c in device_commits(ws)) == sorted(BYSTANDERS)
    _repository_is_clean(ws)


def test_a_store_failure_restores_that_devices_files(
    lab: RunningLab, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files written but not committed (a full disk mid-device) are put back: the last good
    snapshot stays, in the working tree as in git, and the other devices are committed."""
    ws = workspace(tmp_path, lab)
    real_write_files = SnapshotRepo.write_files

    def write_files(self: SnapshotRepo, files: dict[str, bytes]) -> list[str]:
        written = real_write_files(self, files)
        if any(path.startswith(f"devices/{VICTIM}/") for path in files):
            raise OSError(28, "No space left on device")
        return written

    monkeypatch.setattr(SnapshotRepo, "write_files", write_files)
    code, out, err = _in_process_collect(ws, lab, capsys, monkeypatch)
    assert code == 1, out + err
    reason = latest_record(ws)["devices"][VICTIM]["reason"]
    assert reason == "store: OSError: [Errno 28] No space left on device", reason
    assert not err.strip(), err  # an expected failure: in the summary only
    assert not [p for p in (ws / "configs" / "devices" / VICTIM).rglob("*") if p.is_file()]
    assert sorted(c.split(":")[0] for c in device_commits(ws)) == sorted(BYSTANDERS)
    _repository_is_clean(ws)
