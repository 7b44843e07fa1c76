"""Clean errors, nothing lost: a bad entry, a wrong encoding, a hostile environment or a killed
run each give one line saying what to do, and never a traceback, a garbled commit or a lost file."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import git
import pytest

from netkb.collector.decode import IncrementalSSHChannel, suggest_encoding, undecodable_reason
from netkb.collector.gitstore import SnapshotRepo, StoreError, atomic_write
from netkb.credentials import load_credentials
from netkb.inventory import ConfigFileError, load_inventory
from netkb.settings import load_settings
from tests.collector.test_decode import ChunkedConn, read_all

CHINESE = " description 图书馆三层-办公区 接入\r\n interface GigabitEthernet1/0/1\r\n"


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def problems_of(load, path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigFileError) as err:
        load(path)
    return err.value.problems


def netkb(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CI": "true"},
    )


# --- every field validated, types strict ---------------------------------------------------------


def test_an_empty_host_and_a_non_text_encoding_are_inventory_errors(tmp_path: Path) -> None:
    inv = write(
        tmp_path / "inventory.yml",
        """
devices:
  - {name: a, host: '', platform: ios}
  - {name: b, host: 'core 1', platform: ios}
  - {name: c, host: 10.0.0.3, platform: ios, encoding: hex}
  - {name: d, host: 10.0.0.4, platform: ios, encoding: rot13}
  - {name: e, host: 10.0.0.5, platform: ios, encoding: gb18030, credentials: ''}
  - {name: f, host: 10.0.0.6, platform: ios, encoding: utf-16}
  - {name: g, host: 10.0.0.7, platform: ios, encoding: big5, mgmt_ip: 10.0.0.7}
  - {name: h, host: 10.0.0.8, platform: ios, mgmt_ip: 10.0.0.8/24}
""",
    )
    problems = problems_of(load_inventory, inv)
    assert problems == [
        f"{inv}: devices[0].host: '' is not a hostname or an address (e.g. 10.0.0.1 or core-1.campus)",
        f"{inv}: devices[1].host: 'core 1' is not a hostname or an address (e.g. 10.0.0.1 or core-1.campus)",
        f"{inv}: devices[2].encoding: 'hex' is not a text encoding (use utf-8, gb18030 or gbk)",
        f"{inv}: devices[3].encoding: 'rot13' is not a text encoding (use utf-8, gb18030 or gbk)",
        f"{inv}: devices[4].credentials: String should have at least 1 character",
        f"{inv}: devices[5].encoding: 'utf-16' changes ASCII, which a device's terminal never does "
        "(use utf-8, gb18030 or gbk)",
        f"{inv}: devices[7].mgmt_ip: '10.0.0.8/24' is not an IP address (e.g. 10.0.0.1, no prefix length)",
    ]
    # `netkb check` refuses what `collect` would stumble on.
    result = netkb(tmp_path, "check", "--inventory", "inventory.yml")
    assert result.returncode == 1 and "devices[0].host" in result.stderr and "'hex'" in result.stderr


def test_settings_values_of_the_wrong_type_are_errors_not_conversions(tmp_path: Path) -> None:
    path = write(
        tmp_path / "netkb.yml",
        "retries: yes\nworkers: '5'\ntimeouts: {connect: '3', command: 30}\n"
        "thresholds: {cpu_percent: '50'}\nretry_backoff: 1\nsnapshot_repo: ''\n",
    )
    assert problems_of(load_settings, path) == [
        f"{path}: retries: true is a yes/no value, expected a whole number",
        f"{path}: snapshot_repo: String should have at least 1 character",
        f"{path}: thresholds.cpu_percent: '50' is quoted text, expected a number: write it without quotes",
        f"{path}: timeouts.connect: '3' is quoted text, expected a number: write it without quotes",
        f"{path}: workers: '5' is quoted text, expected a whole number: write it without quotes",
    ]
    write(
        path, "retries: 5\nworkers: 4\ntimeouts: {connect: 3, command: 2.5}\nthresholds: {cpu_percent: 50}\n"
    )
    settings = load_settings(path)
    assert (settings.retries, settings.workers, settings.timeouts.connect) == (5, 4, 3.0)


def test_inventory_values_of_the_wrong_type_are_errors(tmp_path: Path) -> None:
    inv = write(
        tmp_path / "inventory.yml",
        "devices:\n  - {name: a, host: h, platform: ios, port: '22', legacy_ssh: 'yes', timeout: '5',"
        " expect: {irf_members: 2.0}, asset: {warranty_end: '2027-01-31'}}\n",
    )
    assert problems_of(load_inventory, inv) == [
        f"{inv}: devices[0].expect.irf_members: 2.0 is a decimal number, expected a whole number",
        f"{inv}: devices[0].legacy_ssh: 'yes' is quoted text, expected true or false: "
        "write it without quotes",
        f"{inv}: devices[0].port: '22' is quoted text, expected a whole number: write it without quotes",
        f"{inv}: devices[0].timeout: '5' is quoted text, expected a number: write it without quotes",
    ]  # a quoted date stays a date: YAML writers quote them


# --- credentials ----------------------------------------------------------------------------------


def test_a_missing_credentials_file_says_the_file_is_missing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    creds = tmp_path / "credentials.yml"
    problems = problems_of(lambda p: load_credentials(p, {"lab-h3c", "lab-vrp"}), creds)
    assert problems == [
        f"{creds}: credentials file not found (the inventory's credentials_file names it); create it "
        "(chmod 600) with profiles lab-h3c, lab-vrp, or set NETKB_CRED_LAB_H3C_USERNAME/_PASSWORD, "
        "NETKB_CRED_LAB_VRP_USERNAME/_PASSWORD"
    ]
    # The environment may stand in for the file.
    for profile in ("LAB_H3C", "LAB_VRP"):
        monkeypatch.setenv(f"NETKB_CRED_{profile}_USERNAME", "ops")
        monkeypatch.setenv(f"NETKB_CRED_{profile}_PASSWORD", "FromEnv!")
    assert load_credentials(creds, {"lab-h3c", "lab-vrp"})["lab-vrp"].username == "ops"


def test_a_profile_that_is_not_a_mapping_is_named_and_never_echoed(tmp_path: Path) -> None:
    creds = write(
        tmp_path / "credentials.yml",
        "profiles:\n  a: [TopSecret1]\n  b: TopSecret2\n  c: {username: ops, password: 0123}\n"
        "  d: {username: ops, password: 'Fine!', enable: ~}\n",
        0o600,
    )
    problems = problems_of(lambda p: load_credentials(p, {"a", "b", "c", "d"}), creds)
    assert problems == [
        f"{creds}: profiles.a: expected a mapping with username and password (and enable), not a list",
        f"{creds}: profiles.b: expected a mapping with username and password (and enable), not a str",
        f"{creds}: profiles.c: password must be text: quote it (YAML reads 0123 as the number 83)",
    ]
    assert "TopSecret" not in " ".join(problems)
    folder = tmp_path / "folder.yml"
    folder.mkdir()
    assert problems_of(lambda p: load_credentials(p, {"a"}), folder) == [
        f"{folder}: is a folder; credentials_file in the inventory must name the YAML file itself"
    ]


# --- the environment ------------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def project(tmp_path: Path, **settings: str) -> Path:
    """A project whose one device refuses connections: a run reaches the store in a second."""
    write(
        tmp_path / "inventory.yml",
        "credentials_file: credentials.yml\n"
        f"devices:\n  - {{name: sw-1, host: 127.0.0.1, port: {closed_port()}, platform: comware}}\n",
    )
    write(tmp_path / "credentials.yml", "profiles: {default: {username: u, password: p}}\n", 0o600)
    lines = ["retries: 0", "timeouts: {connect: 2, command: 2, device: 5}"]
    lines += [f"{key}: {value}" for key, value in settings.items()]
    write(tmp_path / "netkb.yml", "\n".join(lines) + "\n")
    return tmp_path


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_inventory_or_settings_path_that_is_a_folder(tmp_path: Path) -> None:
    ws = project(tmp_path)
    (ws / "folder").mkdir()
    line = one_line(netkb(ws, "collect", "--inventory", "folder"))
    assert line == "netkb collect: folder: is a folder, not a file; name the YAML file itself"
    assert problems_of(load_settings, ws / "folder") == [
        f"{ws / 'folder'}: is a folder, not a file; name the YAML file itself"
    ]


def test_a_store_path_that_is_a_file(tmp_path: Path) -> None:
    ws = project(tmp_path, snapshot_repo="store")
    (ws / "store").write_text("not a folder\n")
    line = one_line(netkb(ws, "collect", "--new-store"))
    assert "store: the snapshot repository is a file, not a folder" in line
    assert (ws / "store").read_text() == "not a folder\n"


def test_a_run_record_that_cannot_be_written_is_one_line_and_leaves_no_temp_file(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):  # as a full disk would, the write fails half-way
        (tmp_path / "record.json").mkdir()
        atomic_write(tmp_path / "record.json", b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json"]
    from netkb.cli import environment_error

    full = OSError(28, "No space left on device", "/srv/configs/runs/2026/12/x.json")
    assert environment_error(full) == (
        "/srv/configs/runs/2026/12/x.json: the disk is full; free space on it and run again "
        "(No space left on device)"
    )
    assert environment_error(OSError(5, "Input/output error", "/x")) is None  # stays a traceback
    assert environment_error(OSError(28, "No space left on device")) is None  # no path to name


def namespaced(script: str) -> subprocess.CompletedProcess[str]:
    """`script` in a private mount namespace (mounts vanish with it); skips where none is allowed."""
    unshare = shutil.which("unshare")
    flags = ["-m"] if os.geteuid() == 0 else ["-r", "-m"]
    if unshare is None or subprocess.run([unshare, *flags, "true"], capture_output=True).returncode:
        pytest.skip("no mount namespace here (unshare -m)")
    return subprocess.run(
        [unshare, *flags, "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CI": "true"},
    )


def test_a_read_only_store_is_one_line_and_stays_valid(tmp_path: Path) -> None:
    ws = project(tmp_path)
    assert netkb(ws, "collect").returncode == 1  # the device fails; the store and its run record exist
    head = git.Repo(ws / "configs").head.commit.hexsha
    cmd = f"{sys.executable} -m netkb.cli collect"
    result = namespaced(
        f"cd {ws} && mount --bind configs configs && mount -o remount,bind,ro configs && "
        f"PYTHONPATH={Path.cwd()} {cmd}"
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"netkb collect: {ws / 'configs'}: cannot write to the snapshot repository (Read-only file system); "
        "make it writable (a read-only mount? the owner?) or point snapshot_repo elsewhere"
    ]
    assert git.Repo(ws / "configs").head.commit.hexsha == head


def test_a_full_disk_is_one_line_and_the_next_run_recovers(tmp_path: Path) -> None:
    ws = project(tmp_path)
    (ws / "configs").mkdir()
    cmd = f"PYTHONPATH={Path.cwd()} {sys.executable} -m netkb.cli collect"
    result = namespaced(
        f"cd {ws} && mount -t tmpfs -o size=1m tmpfs configs && {cmd} >/dev/null 2>&1; "
        "dd if=/dev/zero of=configs/filler bs=4k >/dev/null 2>&1; "
        f"{cmd}; echo rc=$?; rm configs/filler; "
        "git -C configs fsck --full >/dev/null 2>&1 && echo fsck=ok; "
        "git -C configs status --porcelain --untracked-files=all; "
        f"{cmd} 2>&1 | grep -o 'did not finish (killed, or stopped by an error); nothing to clean'; "
        "git -C configs status --porcelain --untracked-files=all; git -C configs log --format=%s"
    )
    out = result.stdout.splitlines()
    errors = [line for line in result.stderr.splitlines() if line.startswith("netkb collect:")]
    assert "Traceback" not in result.stderr, result.stderr
    assert len(errors) == 1 and "the disk is full; free space on it and run again" in errors[0], result.stderr
    assert "rc=2" in out and "fsck=ok" in out
    # No half-written temp file of the run record is left behind for git to see, and the next
    # run (space freed) says the last one did not finish and commits its own record.
    assert not [line for line in out if line.startswith("??")], out
    assert "did not finish (killed, or stopped by an error); nothing to clean" in out
    assert [line.rsplit(":", 1)[1] for line in out if line.startswith("run ")] == [
        " 0 changed, 0 unchanged, 1 failed"
    ] * 2


# --- a wrong encoding -----------------------------------------------------------------------------


def test_undecodable_output_names_the_encoding_it_decodes_in() -> None:
    data = CHINESE.encode("gb18030")
    channel = IncrementalSSHChannel(ChunkedConn(data, 7), "utf-8")
    assert "\ufffd" in read_all(channel) and channel.replaced > 0
    assert channel.suggested_encoding() == "gb18030"
    assert suggest_encoding(CHINESE.encode("utf-8"), "big5") == "utf-8"
    assert suggest_encoding(CHINESE.encode("utf-8"), "gbk") == "utf-8"
    assert suggest_encoding("sysname 𠀀楼\r\n".encode("gb18030"), "gbk") == "gb18030"  # beyond GBK
    assert suggest_encoding(b"ok \xff\xff\xff end", "utf-8") is None  # noise: no encoding fits
    # A character cut at the end of what was kept is no reason to refuse an encoding.
    assert suggest_encoding(data[:-5], "utf-8", complete=False) == "gb18030"
    assert IncrementalSSHChannel(ChunkedConn(b"all ascii", 3), "utf-8").suggested_encoding() is None


def test_the_reason_says_what_to_set() -> None:
    assert undecodable_reason("acc-admin-1", "utf-8", 12, "gb18030") == (
        "decode: 12 undecodable byte sequence(s) in the output as utf-8; the output decodes as gb18030: "
        "set 'encoding: gb18030' for acc-admin-1 in the inventory; nothing was stored, the last good "
        "snapshot stays"
    )
    assert "decodes as none of utf-8, gb18030, big5" in undecodable_reason("x", "utf-8", 1, None)


# --- recovery after a killed run ------------------------------------------------------------------


def old(path: Path) -> Path:
    when = dt.datetime(2020, 1, 1).timestamp()
    os.utime(path, (when, when))
    return path


def test_recovery_cleans_only_what_the_killed_run_wrote_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = SnapshotRepo(tmp_path / "configs", "netkb", "netkb@localhost")
    with store.locked():
        store.commit(store.write_files({"devices/a/config.txt": b"sysname a\n"}), "a: first", None)
        store.commit(store.write_files({"accepted/c": b"{}\n", "README.md": b"ours\n"}), "c: accepted", None)
    root, git_dir = store.path, Path(store.repo.git_dir)
    write(root / "README.md", "ours, edited by hand\n")  # someone's edit: kept
    # Someone's files, there before the run that is killed.
    old(write(root / "notes.txt", "todo: label the rack\n"))
    old(write(root / "accepted" / "b", "accepted by ops\n"))
    old(write(root / "devices" / "a" / "README.md", "the core switch\n"))
    old(write(root / "devices" / "old" / "config.txt", "an old copy someone keeps\n"))
    # The run that is killed: its marker, then its files, a temp file and a dead import's pack.
    (git_dir / "netkb-run-unfinished").touch()
    write(root / "devices" / "a" / "config.txt", "sysname a\nhalf a change\n")
    (root / "accepted" / "c").unlink()  # used up, its removal not committed yet
    write(root / "devices" / "b" / "config.txt", "sysname b\n")
    write(root / "devices" / "b" / "state" / ".version.yml.tmp", "")
    write(root / "runs" / "2026" / "12" / "20261207T010000+0000.json", "{}")
    (git_dir / "objects" / "pack" / "tmp_pack_AbCdEf").write_bytes(b"")
    (git_dir / "fast_import_crash_4242").write_text("fatal: stream ends early\n")

    with caplog.at_level(logging.INFO, logger="netkb"), SnapshotRepo(root, "n", "n@x").locked():
        pass

    assert (root / "devices" / "a" / "config.txt").read_text() == "sysname a\n"
    assert (root / "accepted" / "c").read_text() == "{}\n"
    assert (root / "README.md").read_text() == "ours, edited by hand\n"
    assert not (root / "devices" / "b").exists() and not (root / "runs" / "2026").exists()
    assert not list((git_dir / "objects" / "pack").glob("tmp_pack_*"))
    assert not list(git_dir.glob("fast_import_crash_*"))
    for kept in ("notes.txt", "accepted/b", "devices/a/README.md", "devices/old/config.txt"):
        assert (root / kept).exists(), kept
    (said,) = [r.getMessage() for r in caplog.records if r.name.startswith("netkb")]
    assert said == (
        f"{root}: the last collect did not finish (killed, or stopped by an error); put back 2 file(s) "
        "(accepted/c, devices/a/config.txt) as last committed; removed 3 file(s) (devices/b/config.txt, "
        "devices/b/state/.version.yml.tmp, runs/2026/12/20261207T010000+0000.json) it wrote and never "
        "committed; removed 1 unfinished git pack file(s); removed 1 fast-import crash report(s); "
        "left alone 4 file(s) (accepted/b, devices/a/README.md, devices/old/config.txt, … 1 more), "
        "which netkb did not write"
    )


def test_a_killed_import_leaves_no_temp_pack(tmp_path: Path) -> None:
    store = SnapshotRepo(tmp_path / "configs", "netkb", "netkb@localhost")
    with pytest.raises(KeyboardInterrupt), store.locked():
        store.commit(store.write_files({"devices/a/config.txt": b"sysname a\n"}), "a: first", None)
        store._writing = True  # interrupted while a commit was being sent: the import is killed
        raise KeyboardInterrupt
    assert not list((Path(store.repo.git_dir) / "objects" / "pack").glob("tmp_*"))
    with store.locked():  # the next run starts from a valid repository
        pass
    assert subprocess.run(["git", "fsck", "--full"], cwd=store.path, capture_output=True).returncode == 0


def test_a_store_that_is_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "configs" / ".git").mkdir(parents=True)
    with pytest.raises(StoreError, match="not a git repository"):
        SnapshotRepo(tmp_path / "configs", "n", "n@x")


@pytest.mark.parametrize("workers", ["0", "-3", "many"])
def test_a_worker_count_outside_1_to_512_is_a_usage_error(workers: str) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "netkb.cli", "collect", "--workers", workers],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--workers" in done.stderr and "Traceback" not in done.stderr
