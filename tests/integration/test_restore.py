"""Restorable backups end to end: the lab over real SSH → `netkb collect` with sealed_recipients →
`netkb restore` with a fresh age identity, on Comware, VRP and IOS; then the site is built and
nothing in the store's history, build/ or site/ holds a secret in the clear."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import git
import pyrage
import pytest
import yaml

from netkb.collector.clean import clean
from netkb.collector.redact import redact
from netkb.lab.fidelity import connect
from netkb.lab.model import Device
from netkb.lab.platforms.comware_text import cipher7, hash7
from netkb.lab.platforms.ios_secrets import type7_decode
from netkb.lab.platforms.vrp_common import irreversible
from netkb.lab.topology import build_network
from netkb.spec import load_spec
from tests.conftest import RunningLab
from tests.integration.test_collect import collect, secret_values, workspace

DEVICES = {"comware": "acc-dorm-03", "vrp": "dorm-04", "ios": "rlab-2"}
NIGHT_1, NIGHT_2 = "2026-12-01T02:00:00+08:00", "2026-12-02T02:00:00+08:00"
# VRP's reversible cipher as the device prints it (netkb/specs/vrp.yaml: cipher-percent-caret).
VRP_CIPHER = re.compile(r"%\^%#[!-~]+?%\^%#")


def restore(ws: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", "restore", *args],
        cwd=ws,
        capture_output=True,
        timeout=120,
        env={**os.environ, "CI": "true"},
    )


def displayed(lab: RunningLab, name: str) -> str:
    """The device's config as it prints it now, fetched with netmiko as the collector does, cleaned."""
    entry = lab.devices[name]
    spec = load_spec(str(entry["platform"]))
    with connect(entry, lab.profile(name)) as conn:
        if spec.platform == "ios":
            conn.enable()
        raw = str(conn.send_command(spec.config_command.command, read_timeout=30))
    return clean(raw, spec)


def identity_file(path: Path) -> tuple[pyrage.x25519.Identity, Path]:
    ident = pyrage.x25519.Identity.generate()
    path.write_text(f"# created by test_restore\n# public key: {ident.to_public()}\n{ident}\n")
    path.chmod(0o600)
    return ident, path


def secret_forms(dev: Device, platform: str, config: str) -> set[str]:
    """The secrets of a lab device in the form its config shows them, made from the lab model's
    plaintexts with the lab's own functions (a restore must give each back exactly)."""
    s = dev.secrets
    if platform == "ios":  # communities in the clear; type 7 decodes to the user's password
        forms = {c.name for c in s.snmp_communities}
        for match in re.finditer(r"^username (\S+) .*password 7 (\S+)$", config, re.M):
            user = next(u for u in s.users if u.name == match.group(1))
            assert type7_decode(match.group(2)) == user.password
            forms.add(match.group(2))
        return forms
    if platform == "comware":
        return {cipher7(dev, c.name) for c in s.snmp_communities} | {hash7(dev, u.password) for u in s.users}
    # VRP: irreversible hashes are stable; its reversible ciphers are salted on every display.
    hashed = set(re.findall(r"^ local-user (\S+) password irreversible-cipher ", config, re.M))
    return {irreversible(u.password, dev.name) for u in s.users if u.name in hashed}


@pytest.mark.slow
def test_restore_gives_back_each_platforms_config_with_its_secrets(lab: RunningLab, tmp_path: Path) -> None:
    alice, alice_key = identity_file(tmp_path / "alice.key")
    _, mallory_key = identity_file(tmp_path / "mallory.key")
    (tmp_path / "ws").mkdir()
    ws = workspace(tmp_path / "ws", lab, sealed_recipients=[str(alice.to_public())])
    data = yaml.safe_load(lab.inventory.read_text(encoding="utf-8"))
    data["devices"] = [d for d in data["devices"] if d["name"] in DEVICES.values()]
    data["credentials_file"] = str(lab.inventory.parent / "credentials.yml")
    inventory = ws / "inventory.yml"
    inventory.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    first = collect(ws, lab, "--at", NIGHT_1, inventory=inventory)
    assert first.returncode == 0, first.stdout + first.stderr
    store = git.Repo(ws / "configs")
    key = (ws / ".netkb" / "redaction.key").read_text().strip().encode()
    net = build_network(lab.size, lab.seed)
    restored: dict[str, bytes] = {}
    for platform, name in DEVICES.items():
        spec = load_spec(platform)
        result = restore(ws, name, "--identity", str(alice_key))
        assert result.returncode == 0, result.stderr.decode()
        assert result.stderr == b""
        text = result.stdout.decode("utf-8")
        restored[name] = result.stdout
        # (b) redacting it gives the committed config.txt, byte for byte.
        committed = (ws / "configs" / "devices" / name / "config.txt").read_bytes()
        assert redact(text, spec, key).encode("utf-8") == committed
        assert "<secret:" not in text and "<secret:" in committed.decode()
        # (a) the secrets the lab configured, in the form the device prints them.
        forms = secret_forms(net.devices[name], platform, text)
        assert forms and all(form in text for form in forms), (name, forms - {f for f in forms if f in text})
        # (c) exactly what the device prints (cleaned as the collector cleans it).
        now = displayed(lab, name)
        if platform != "vrp":
            assert text == now
        else:
            # Every display salts VRP's reversible ciphers afresh: the same config line by line,
            # each cipher of the sealed copy a valid cipher of the length the device prints now.
            sealed_ciphers, now_ciphers = VRP_CIPHER.findall(text), VRP_CIPHER.findall(now)
            assert sealed_ciphers and [len(c) for c in sealed_ciphers] == [len(c) for c in now_ciphers]
            assert VRP_CIPHER.sub("%^%#…%^%#", text) == VRP_CIPHER.sub("%^%#…%^%#", now)
            assert set(sealed_ciphers).isdisjoint(now_ciphers)  # salted afresh: the sealed ones are kept
            message = store.git.log("-1", "--format=%s", "--", f"sealed/{name}.age")
            assert f"; {len(sealed_ciphers)} VRP ciphers re-encrypted on every display" in message

    # A second night with nothing changed commits nothing but its run record, VRP included.
    before = len(list(store.iter_commits()))
    collect(ws, lab, "--at", NIGHT_2, inventory=inventory)
    assert len(list(store.iter_commits())) == before + 1

    # (d) a change on the device: sealed anew; --at the first night still gives the first version.
    ios = DEVICES["ios"]
    community = f"Restore-Plain-{secrets.token_hex(3)}"
    with connect(lab.devices[ios], lab.profile(ios)) as conn:
        conn.enable()
        conn.send_config_set([f"snmp-server community {community} RO"])
        conn.save_config()
    collect(ws, lab, "--at", "2026-12-03T02:00:00+08:00", inventory=inventory)
    latest = restore(ws, ios, "--identity", str(alice_key))
    assert latest.returncode == 0 and f"snmp-server community {community} RO".encode() in latest.stdout
    assert latest.stdout.decode() == displayed(lab, ios)
    for at in ("2026-12-02T12:00+08:00", "2026-12-01"):  # a time, or a day (its end, local time)
        earlier = restore(ws, ios, "--identity", str(alice_key), "--at", at)
        assert earlier.returncode == 0 and earlier.stdout == restored[ios]
    too_early = restore(ws, ios, "--identity", str(alice_key), "--at", "2026-11-30T12:00+08:00")
    assert too_early.returncode == 2 and too_early.stdout == b""
    assert b"the earliest is of 2026-12-01 02:00 +0800" in too_early.stderr

    # (e) an identity that is not a recipient: exit 2, nothing on stdout, one line on stderr.
    wrong = restore(ws, DEVICES["vrp"], "--identity", str(mallory_key))
    assert wrong.returncode == 2 and wrong.stdout == b""
    said = wrong.stderr.decode()
    assert said.count("\n") == 1 and "this identity is not a recipient of sealed/dorm-04.age" in said
    mallory_key.chmod(0o644)
    exposed = restore(ws, DEVICES["vrp"], "--identity", str(mallory_key))
    assert exposed.returncode == 2 and b"readable by others" in exposed.stderr and exposed.stdout == b""
    unknown = restore(ws, "ghost-9", "--identity", str(alice_key))
    assert unknown.returncode == 2 and b"ghost-9: no such device" in unknown.stderr

    # (f) no secret in the clear anywhere but inside the sealed copies: history, build/, site/.
    env = {**os.environ, "CI": "true", "NO_MKDOCS_2_WARNING": "1"}
    for args in (
        ["netkb.cli", "generate", "--inventory", str(inventory), "--now", "2026-12-03T09:00:00+08:00"],
        ["mkdocs", "build", "-q", "--strict", "-f", "build/mkdocs.yml"],
    ):
        done = subprocess.run([sys.executable, "-m", *args], cwd=ws, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
    page = (ws / "build" / "docs" / "devices" / "dorm-04.md").read_text(encoding="utf-8")
    assert "VRP ciphers re-encrypted on every display" in page or "VRP 每次显示都重新加密" in page
    leaks = {community}
    for platform, name in DEVICES.items():
        leaks |= secret_values(net.devices[name]) | secret_forms(net.devices[name], platform, "")
        text = restored[name].decode()
        for rule in load_spec(platform).secrets:
            leaks |= {m.group("secret") for m in rule.pattern.finditer(text) if len(m.group("secret")) > 5}
    history = store.git.log("-p", "--all")
    assert "sealed/dorm-04.age" in history
    texts = {"history": history}
    for folder in (ws / "build", ws / "site"):
        for path in folder.rglob("*"):
            if path.is_file():
                texts[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    for where, content in texts.items():
        found = [value for value in leaks if value in content]
        assert not found, (where, found[:3])
