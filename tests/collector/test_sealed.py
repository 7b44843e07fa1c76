"""Sealed copies (collector/sealed.py): when a device is sealed, what is sealed, and that a night
with nothing changed commits nothing — through the collector's own store path, into a real git
repository (only the SSH session is replaced: the device's config comes from the lab's renderer,
with VRP's ciphers salted afresh on every display as on a real switch)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import git
import pyrage
import pytest

import netkb.collector.device_fetch as device_fetch_module
from netkb.collector.clean import clean
from netkb.collector.collect import CollectOptions, Collector
from netkb.collector.fetch import Fetched
from netkb.collector.redact import redact
from netkb.collector.restore_command import load_identities, sealed_version
from netkb.collector.sealed import (
    Sealer,
    SealError,
    encrypt,
    meta_path,
    note,
    parse_recipient,
    read_meta,
    seal_reason,
    sealed_path,
)
from netkb.inventory import ConfigFileError, DeviceEntry, Inventory, validate
from netkb.lab.platforms import comware_config, vrp_config
from netkb.lab.topology import build_network
from netkb.settings import Settings
from netkb.spec import load_spec

KEY = "5f0c8e2a9d41b7e36c1a08f4d2e95b7c3a6d0e1f8b2c4d7e9a0b3c5d6e8f1a2b"
NET = build_network(40, 7)


def identity() -> tuple[pyrage.x25519.Identity, str]:
    ident = pyrage.x25519.Identity.generate()
    return ident, str(ident.to_public())


# --- the decision ---------------------------------------------------------------------------


def test_a_device_is_sealed_when_its_config_or_recipients_changed_or_it_has_no_copy() -> None:
    alice, bob = identity()[1], identity()[1]
    assert seal_reason("a\n", "a\n", True, [alice], [alice]) is None
    assert seal_reason("a\n", "b\n", True, [alice], [alice]) == "config changed"
    assert seal_reason(None, "a\n", False, None, [alice]) == "no sealed copy yet"
    assert seal_reason("a\n", "a\n", False, [alice], [alice]) == "no sealed copy yet"
    assert seal_reason("a\n", "a\n", True, None, [alice]) == "no sealed copy yet"  # its .yml is gone
    assert seal_reason("a\n", "a\n", True, [alice], [alice, bob]) == "recipients changed"
    assert seal_reason("a\n", "a\n", True, [bob, alice], [alice, bob]) is None  # order is no change
    assert seal_reason("a\n", "b\n", False, None, []) is None  # no recipients: nothing is sealed


def test_the_note_counts_the_vrp_ciphers_whose_changes_cannot_be_seen() -> None:
    assert note("sysname x\n") == ""
    assert note(" cipher <secret:rerandomised>\n").startswith("; 1 VRP cipher re-encrypted on every display")
    assert note("<secret:rerandomised>\n" * 3) == (
        "; 3 VRP ciphers re-encrypted on every display: a change of them is not visible here"
    )


# --- encryption and recipients ----------------------------------------------------------------


def test_only_a_recipient_opens_a_sealed_copy(tmp_path: Path) -> None:
    (alice, alice_public), (bob, _) = identity(), identity()
    plain = "local-user admin password cipher $c$3$abc\n体育馆\n".encode()
    sealed = encrypt(plain, [alice_public])
    assert plain not in sealed and b"$c$3$abc" not in sealed
    assert encrypt(plain, [alice_public]) != sealed  # fresh randomness: why sealing is not nightly
    assert pyrage.decrypt(sealed, [alice]) == plain
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(sealed, [bob])
    keyfile = tmp_path / "alice.key"
    keyfile.write_text(f"# created: 2026-12-01\n# public key: {alice_public}\n{alice}\n")
    keyfile.chmod(0o600)
    assert pyrage.decrypt(sealed, load_identities(keyfile)) == plain  # type: ignore[arg-type]


def test_an_ssh_ed25519_public_key_is_a_recipient_too() -> None:
    line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGgrma/RILAXHwOcAyYOmGQbNCcxM2OHWb+q52HnGh67 ops@campus"
    assert parse_recipient(line) is not None


def test_recipients_in_the_settings_are_checked_one_line_each(tmp_path: Path) -> None:
    good = identity()[1]
    secret = str(pyrage.x25519.Identity.generate())
    data = {"sealed_recipients": [good, "age1notakey", secret, "hello"]}
    with pytest.raises(ConfigFileError) as caught:
        validate(Settings, data, tmp_path / "netkb.yml")
    problems = caught.value.problems
    assert [p.split(": ")[1] for p in problems] == [
        "sealed_recipients[1]",
        "sealed_recipients[2]",
        "sealed_recipients[3]",
    ]
    assert "is not an age recipient" in problems[0] and "age1notakey" in problems[0]
    assert "private key" in problems[1] and secret not in " ".join(problems)  # never echoed
    valid = validate(Settings, {"sealed_recipients": [good]}, tmp_path / "netkb.yml")
    assert valid.sealed_recipients == [good]
    assert Settings().sealed_recipients == []  # off unless set
    with pytest.raises(SealError):
        parse_recipient("age1notakey")


def test_an_identity_file_others_can_read_or_that_holds_no_identity_is_refused(tmp_path: Path) -> None:
    ident, _ = identity()
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(f"{ident}\n")
    keyfile.chmod(0o644)
    with pytest.raises(ConfigFileError, match=r"readable by others \(mode 0644\); run: chmod 600"):
        load_identities(keyfile)
    keyfile.write_text("not a key\n")
    keyfile.chmod(0o600)
    with pytest.raises(ConfigFileError, match="line 1 is not an age identity") as caught:
        load_identities(keyfile)
    assert "not a key" not in str(caught.value.problems)
    with pytest.raises(ConfigFileError, match="cannot be read"):
        load_identities(tmp_path / "missing.txt")


# --- through the collector's store ----------------------------------------------------------


class Lab:
    """Renders each device's running config as its platform would, afresh on every display."""

    def __init__(self) -> None:
        self.extra: dict[str, list[str]] = {}
        self.displays: dict[str, list[str]] = {}  # what each device printed, display by display

    def render(self, name: str) -> str:
        dev = NET.devices[name]
        dev.extra_config = list(self.extra.get(name, []))
        if dev.platform.value == "vrp":
            text = vrp_config.running_config(dev, random.Random())
        else:
            text = "\r\n".join(comware_config.render_config(dev))
        self.displays.setdefault(name, []).append(text)
        return text

    def fetch(self, entry: DeviceEntry, *args: object) -> Fetched:
        command = load_spec(entry.platform.value).config_command.command
        return Fetched({command: self.render(entry.name)})


def _collector(tmp_path: Path, recipients: list[str]) -> Collector:
    devices = [
        DeviceEntry(name=name, host="127.0.0.1", platform=NET.devices[name].platform.value, credentials="lab")
        for name in ("dorm-01", "acc-lib-01")
    ]
    settings = Settings(
        snapshot_repo=str(tmp_path / "configs"),
        redaction_key_file=str(tmp_path / "redaction.key"),
        retries=0,
        sealed_recipients=recipients,
    )
    return Collector(Inventory(devices=devices), tmp_path / "inventory.yml", settings, tmp_path)


@pytest.fixture
def lab(monkeypatch: pytest.MonkeyPatch) -> Lab:
    fake = Lab()
    monkeypatch.setattr(device_fetch_module, "fetch", fake.fetch)
    monkeypatch.setenv("NETKB_REDACTION_KEY", KEY)
    monkeypatch.setenv("NETKB_CRED_LAB_USERNAME", "netkb")
    monkeypatch.setenv("NETKB_CRED_LAB_PASSWORD", "lab-password")
    return fake


def _commits(tmp_path: Path) -> list[str]:
    return [c.message.strip() for c in git.Repo(tmp_path / "configs").iter_commits()]


def _night(day: int) -> CollectOptions:
    return CollectOptions(at=dt.datetime(2026, 12, day, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))


def test_sealed_with_its_config_then_no_commit_while_nothing_changes(lab: Lab, tmp_path: Path) -> None:
    alice, alice_public = identity()
    _collector(tmp_path, [alice_public]).run(_night(1))
    first = _commits(tmp_path)
    dorm = next(c for c in first if c.startswith("dorm-01:"))
    assert dorm.startswith("dorm-01: first snapshot; ") and "VRP ciphers re-encrypted" in dorm
    assert next(c for c in first if c.startswith("acc-lib-01:")) == "acc-lib-01: first snapshot"
    repo = git.Repo(tmp_path / "configs")
    for name in ("dorm-01", "acc-lib-01"):
        files = set(repo.git.show("--format=", "--name-only", f":/^{name}:").split())
        assert {sealed_path(name), meta_path(name), f"devices/{name}/config.txt"} <= files
        # What is sealed is exactly the cleaned display, and it redacts to the committed config.txt.
        spec = load_spec(NET.devices[name].platform.value)
        plain = pyrage.decrypt((tmp_path / "configs" / sealed_path(name)).read_bytes(), [alice]).decode()
        assert plain == clean(lab.displays[name][-1], spec)
        config = (tmp_path / "configs" / f"devices/{name}/config.txt").read_text()
        assert redact(plain, spec, KEY.encode()) == config != plain
        meta = read_meta((tmp_path / "configs" / meta_path(name)).read_bytes())
        assert meta == {"platform": spec.platform, "recipients": [alice_public]}

    # Nights with nothing changed (VRP's ciphers re-salted on every display): no commit but the run's.
    for day in (2, 3):
        _collector(tmp_path, [alice_public]).run(_night(day))
    after = _commits(tmp_path)
    assert len(after) == len(first) + 2 and all(c.startswith("run ") for c in after[:2])
    assert len(set(lab.displays["dorm-01"])) == 3  # the device did print three different texts

    # A real change: sealed again, in the same commit as the config.
    lab.extra["dorm-01"] = ["info-center loghost 10.0.9.9"]
    _collector(tmp_path, [alice_public]).run(_night(4))
    change = repo.head.commit.parents[0]
    assert change.message.startswith("dorm-01: info-center loghost") and "VRP ciphers" in change.message
    assert set(change.stats.files) == {"devices/dorm-01/config.txt", sealed_path("dorm-01")}
    plain = pyrage.decrypt((tmp_path / "configs" / sealed_path("dorm-01")).read_bytes(), [alice]).decode()
    assert "info-center loghost 10.0.9.9" in plain

    # --at an earlier night gives the earlier sealed copy.
    at_night_2 = sealed_version(tmp_path / "configs", "dorm-01", _night(2).at)  # type: ignore[arg-type]
    assert b"loghost" not in pyrage.decrypt(at_night_2.sealed, [alice])
    earliest = r"the earliest is of 2026-12-01 02:00 \+0800: use --at 2026-12-01"
    with pytest.raises(ConfigFileError, match=earliest):
        sealed_version(tmp_path / "configs", "dorm-01", dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    with pytest.raises(ConfigFileError, match="ghost-9: no such device"):
        sealed_version(tmp_path / "configs", "ghost-9", _night(4).at)  # type: ignore[arg-type]


def test_new_recipients_reseal_every_device_once(lab: Lab, tmp_path: Path) -> None:
    (_, alice_public), (bob, bob_public) = identity(), identity()
    _collector(tmp_path, [alice_public]).run(_night(1))
    _collector(tmp_path, [alice_public, bob_public]).run(_night(2))
    resealed = [c for c in _commits(tmp_path) if "recipients changed" in c]
    assert sorted(c.split(":")[0] for c in resealed) == ["acc-lib-01", "dorm-01"]
    assert "acc-lib-01: sealed for 2 recipients (recipients changed)" in resealed
    plain = pyrage.decrypt((tmp_path / "configs" / sealed_path("acc-lib-01")).read_bytes(), [bob])
    assert plain.decode() == clean(lab.displays["acc-lib-01"][-1], load_spec("comware"))
    before = len(_commits(tmp_path))
    _collector(tmp_path, [bob_public, alice_public]).run(_night(3))
    assert len(_commits(tmp_path)) == before + 1  # the run record only


def test_without_recipients_nothing_is_sealed_and_messages_are_as_before(lab: Lab, tmp_path: Path) -> None:
    _collector(tmp_path, []).run(_night(1))
    assert not (tmp_path / "configs" / "sealed").exists()
    assert "dorm-01: first snapshot" in _commits(tmp_path)


def test_after_a_killed_run_its_sealed_files_are_put_back_or_removed(lab: Lab, tmp_path: Path) -> None:
    """Sealed files are netkb's own (store_recovery.py `is_own_file`): recovery treats them as device
    files."""
    from netkb.collector.gitstore import SnapshotRepo
    from netkb.collector.store_recovery import is_own_file

    assert is_own_file("sealed/core-1.age") and is_own_file("sealed/.core-1.age.tmp")
    assert is_own_file("sealed/core-1.yml") and not is_own_file("sealed/notes.md")
    _, public = identity()
    _collector(tmp_path, [public]).run(_night(1))
    store = tmp_path / "configs"
    committed = (store / sealed_path("dorm-01")).read_bytes()
    (store / ".git" / "netkb-run-unfinished").touch()  # a run started, wrote, and was killed
    (store / sealed_path("dorm-01")).write_bytes(b"half a seal")
    (store / sealed_path("new-9")).write_bytes(b"never committed")
    (store / "sealed" / "notes.md").write_text("someone's note\n")
    with SnapshotRepo(store, "t", "t@x").locked():
        pass
    assert (store / sealed_path("dorm-01")).read_bytes() == committed
    assert not (store / sealed_path("new-9")).exists()
    assert (store / "sealed" / "notes.md").exists()


def test_the_sealer_refuses_a_copy_that_would_not_restore(lab: Lab, tmp_path: Path) -> None:
    """Sealing checks what restore will check; the error names the device, never the text."""
    from netkb.collector.gitstore import SnapshotRepo

    _, public = identity()
    repo = SnapshotRepo(tmp_path / "store", "t", "t@x")
    raw = lab.render("acc-lib-01")
    spec = load_spec("comware")
    with repo.locked(), pytest.raises(SealError, match="acc-lib-01: the unredacted config") as caught:
        Sealer([public], KEY.encode()).seal("acc-lib-01", spec, raw, None, "other\n", repo)
    assert "local-user" not in str(caught.value)
