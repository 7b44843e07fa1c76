"""Clean errors against the lab over real SSH, into a real git repository: a wrong encoding fails
the device and keeps its last good snapshot; a killed run is recovered without losing anyone's
files or leaving git's temp packs."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import git
import yaml

from tests.collector.test_clean_errors import namespaced
from tests.conftest import RunningLab
from tests.integration.test_collect import collect, device_commits, latest_record, start_collect, workspace

GB18030_DEVICE = "dorm-02"  # a VRP switch in 学生宿舍2号楼 whose terminal prints GB18030


def inventory_with(lab: RunningLab, tmp: Path, **encodings: str) -> Path:
    """The lab's inventory with these devices' `encoding` changed (name=encoding)."""
    data = yaml.safe_load(lab.inventory.read_text(encoding="utf-8"))
    data["credentials_file"] = str(lab.inventory.parent / data["credentials_file"])
    for entry in data["devices"]:
        if entry["name"] in encodings:
            entry["encoding"] = encodings[entry["name"]]
    path = tmp / "inventory-edited.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def committed_files(ws: Path) -> dict[str, bytes]:
    repo = git.Repo(ws / "configs")
    return {
        str(b.path): b.data_stream.read() for b in repo.head.commit.tree.traverse() if isinstance(b, git.Blob)
    }


def test_a_wrong_encoding_fails_the_device_and_keeps_its_last_good_snapshot(
    lab: RunningLab, tmp_path: Path
) -> None:
    assert lab.devices[GB18030_DEVICE].get("encoding") == "gb18030"
    ws = workspace(tmp_path, lab)
    good = collect(ws, lab, "--limit", GB18030_DEVICE)
    assert good.returncode == 0, good.stdout + good.stderr
    config = f"devices/{GB18030_DEVICE}/config.txt"
    before = committed_files(ws)
    assert "学生宿舍" in before[config].decode("utf-8")
    commits = device_commits(ws)

    wrong = inventory_with(lab, tmp_path, **{GB18030_DEVICE: "utf-8"})
    result = collect(ws, lab, "--limit", GB18030_DEVICE, "--inventory", str(wrong))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "bug" not in result.stderr
    reason = latest_record(ws)["devices"][GB18030_DEVICE]["reason"]
    assert reason.startswith("decode: ") and " undecodable byte sequence(s) in the output as utf-8" in reason
    assert f"set 'encoding: gb18030' for {GB18030_DEVICE} in the inventory" in reason
    # Nothing garbled reached git: the device's files are those of the last good run.
    after = committed_files(ws)
    assert device_commits(ws) == commits
    assert {p: d for p, d in after.items() if p.startswith("devices/")} == {
        p: d for p, d in before.items() if p.startswith("devices/")
    }
    assert not any(
        "\ufffd" in d.decode("utf-8", "replace") for p, d in after.items() if p.startswith("devices/")
    )
    assert not git.Repo(ws / "configs").is_dirty(untracked_files=True)

    # A first contact in the wrong encoding stores nothing for the device at all.
    (tmp_path / "fresh").mkdir()
    fresh = workspace(tmp_path / "fresh", lab)
    first = collect(fresh, lab, "--limit", GB18030_DEVICE, "--inventory", str(wrong))
    assert first.returncode == 1, first.stdout + first.stderr
    assert not (fresh / "configs" / "devices" / GB18030_DEVICE).exists()
    assert device_commits(fresh) == []


def test_a_killed_run_is_recovered_without_touching_other_files(lab: RunningLab, tmp_path: Path) -> None:
    ws = workspace(tmp_path, lab)
    limit = "acc-lib-02,acc-teach-02,acc-lab-02,dorm-03,rlab-1"
    first = collect(ws, lab, "--limit", "acc-lib-02")
    assert first.returncode == 0, first.stdout + first.stderr
    store = ws / "configs"
    # What people keep in the store's folder without committing it: netkb must never delete it.
    (store / "NOTES.md").write_text("ask facilities about the dorm-03 cabinet\n", encoding="utf-8")
    (store / "devices" / "acc-lib-02" / "photo.txt").write_text("rack photo\n", encoding="utf-8")
    said = []
    marker = store / ".git" / "netkb-run-unfinished"
    lab.fault("acc-lab-02", "slow")  # the run is still going when it is killed
    try:
        for seed in range(3):
            proc = start_collect(ws, lab, "--limit", limit)
            deadline = time.monotonic() + 60
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(random.Random(seed).uniform(0.2, 3.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            fsck = subprocess.run(["git", "fsck", "--full"], cwd=store, capture_output=True, text=True)
            assert fsck.returncode == 0, fsck.stderr
            check = collect(ws, lab, "--limit", "acc-lib-02")  # recovers, then collects one device
            said += [line for line in check.stderr.splitlines() if "did not finish" in line]
            assert check.returncode == 0, check.stdout + check.stderr
    finally:
        lab.clear("acc-lab-02")
    result = collect(ws, lab, "--limit", limit)
    assert result.returncode == 0, result.stdout + result.stderr
    # Each recovery said so, in one line naming the store.
    assert len(said) == 3 and all(
        line.startswith(
            f"netkb collect: {store}: the last collect did not finish (killed, or stopped by an error); "
        )
        for line in said
    ), said
    assert all("left alone 2 file(s) (NOTES.md, devices/acc-lib-02/photo.txt)" in line for line in said)
    assert (store / "NOTES.md").exists() and (store / "devices" / "acc-lib-02" / "photo.txt").exists()
    status = git.Repo(store).git.status("--porcelain", "--untracked-files=all").splitlines()
    assert sorted(status) == ["?? NOTES.md", "?? devices/acc-lib-02/photo.txt"]
    git_dir = store / ".git"
    assert not list((git_dir / "objects" / "pack").glob("tmp_*"))
    assert not list(git_dir.glob("fast_import_crash_*"))
    assert subprocess.run(["git", "fsck", "--full"], cwd=store).returncode == 0


def sections(text: str) -> dict[str, list[str]]:
    """`== name` lines split `text` into named lists of lines."""
    found: dict[str, list[str]] = {}
    current = found.setdefault("", [])
    for line in text.splitlines():
        current = found.setdefault(line[3:], []) if line.startswith("== ") else current
        if not line.startswith("== "):
            current.append(line)
    return found


def test_a_disk_that_fills_up_during_a_run_leaves_a_valid_store_the_next_run_completes(
    lab: RunningLab, tmp_path: Path
) -> None:
    ws = workspace(tmp_path, lab)
    (ws / "configs").mkdir()
    run = f"PYTHONPATH={Path.cwd()} {sys.executable} -m netkb.cli collect --inventory {lab.inventory}"
    look = (
        "echo rc=$?; git -C configs fsck --full >/dev/null 2>&1 && echo fsck=ok; "
        "git -C configs status --porcelain --untracked-files=all | grep -v '^?? devices/'; "
        "ls configs/.git/objects/pack"
    )
    result = namespaced(
        # 200 KiB holds a few devices' files and objects, not the whole lab's.
        f"cd {ws} && mount -t tmpfs -o size=200k tmpfs configs; echo '== full' | tee /dev/stderr; "
        f"{run} >/dev/null; {look}; mount -o remount,size=50m configs; echo '== freed' | tee /dev/stderr; "
        f"{run} >/dev/null; {look}; git -C configs status --porcelain --untracked-files=all; "
        "echo '== counts'; git -C configs log --format=%s | grep -vc '^run '; ls configs/devices | wc -l"
    )
    out, err = sections(result.stdout), sections(result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    # The full disk: one line naming what could not be written, exit 2, a valid store, no temp pack.
    said = [line for line in err["full"] if line.startswith("netkb collect:")]
    assert len(said) == 1 and ("disk is full" in said[0] or "fast-import" in said[0]), err["full"]
    assert out["full"][:2] == ["rc=2", "fsck=ok"], out["full"]
    assert not [line for line in out["full"][2:] if line.startswith("tmp_")], out["full"]
    # Space again: the next run says what it cleaned and commits every device, nothing left over.
    assert [line for line in err["freed"] if "did not finish" in line], err["freed"]
    assert out["freed"][:2] == ["rc=0", "fsck=ok"], out["freed"]
    assert [line for line in out["freed"][2:] if not line.startswith("pack-")] == [], out["freed"]
    assert [int(n) for n in out["counts"]] == [len(lab.devices)] * 2, out["counts"]
