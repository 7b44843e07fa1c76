"""`netkb compliance` and `netkb check` on a project with a real git snapshot store and waivers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from netkb.cli import main

COMPLIANT_IOS = """\
version 15.2
hostname sw-1
no service password-recovery
aaa new-model
aaa common-criteria policy ADMIN
 min-length 10
 lifetime days 90
aaa authentication login default group RADIUS-GROUP local
aaa local authentication attempts max-fail 5
ip ssh version 2
no ip http server
no ip http secure-server
snmp-server community <secret:0a1b2c3d> RO 10
logging host 10.254.255.30
ntp server 10.254.255.1
banner login ^C
Authorized access only.
^C
line vty 0 4
 access-class 10 in
 exec-timeout 5 0
 transport input ssh
end
"""
INVENTORY = {
    "groups": {"legacy": {}},
    "devices": [
        {"name": "sw-1", "host": "127.0.0.1", "port": 1, "platform": "ios"},
        {"name": "sw-2", "host": "127.0.0.1", "port": 2, "platform": "ios", "groups": ["legacy"]},
    ],
}


def commit_configs(store: Path, configs: dict[str, str]) -> None:
    for name, text in configs.items():
        (store / "devices" / name).mkdir(parents=True, exist_ok=True)
        (store / "devices" / name / "config.txt").write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=store, check=True, capture_output=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "night"], cwd=store, check=True
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "campus"
    store = folder / "configs"
    store.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(store)], check=True)
    (folder / "netkb.yml").write_text("snapshot_repo: configs\nlanguage: en\n", encoding="utf-8")
    (folder / "inventory.yml").write_text(yaml.safe_dump(INVENTORY), encoding="utf-8")
    telnet = COMPLIANT_IOS.replace("transport input ssh", "transport input telnet ssh")
    commit_configs(store, {"sw-1": COMPLIANT_IOS, "sw-2": telnet})
    monkeypatch.setenv("NETKB_PROJECT", str(folder))
    monkeypatch.chdir(folder)
    return folder


def waiver(folder: Path, name: str, **fields: object) -> None:
    record = {
        "rule": "telnet-disabled",
        "groups": ["legacy"],
        "reason": "old terminal server in the lab",
        "approver": "王主任",
        "expires": "2027-03-31",
        **fields,
    }
    (folder / "compliance").mkdir(exist_ok=True)
    (folder / "compliance" / name).write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")


def test_a_failure_prints_its_lines_and_remediation_and_fails_the_gate(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["compliance", "--today", "2026-12-07"]) == 1
    out = capsys.readouterr().out
    assert "FAIL sw-2: telnet-disabled [8.1.4.1 c)]" in out
    assert "   22: transport input telnet ssh" in out  # the config line, by its number
    assert "transport input ssh" in out.split("remediation:")[1]
    assert "sw-1:" not in out  # every rule passes or cannot be decided on sw-1
    assert main(["compliance", "--limit", "sw-1"]) == 0


def test_a_waiver_excuses_until_it_expires(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    waiver(project, "telnet-lab.yml")
    assert main(["check"]) == 0
    capsys.readouterr()
    assert main(["compliance", "--today", "2027-03-31", "--json"]) == 0  # its last day still holds
    report = json.loads(capsys.readouterr().out)
    telnet = next(
        r
        for d in report["devices"]
        if d["device"] == "sw-2"
        for r in d["results"]
        if r["rule"] == "telnet-disabled"
    )
    assert telnet["verdict"] == "fail" and telnet["waived_by"] == "compliance/telnet-lab.yml"
    assert main(["compliance", "--today", "2027-04-01"]) == 1
    out = capsys.readouterr().out
    assert "EXPIRED WAIVER compliance/telnet-lab.yml" in out and "FAIL sw-2: telnet-disabled" in out


def test_a_bad_waiver_is_refused_by_check_and_compliance(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    waiver(project, "bad.yml", rule="telnet", devices=["sw-9"], groups=[], approver="")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "compliance/bad.yml: approver:" in err
    waiver(project, "bad.yml", rule="telnet", devices=["sw-9"])
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "compliance/bad.yml: rule: 'telnet' is no baseline rule" in err
    assert "compliance/bad.yml: devices: not in the inventory: sw-9" in err
    assert main(["compliance"]) == 2
    waiver(project, "bad.yml", groups=["nobody"])
    assert main(["compliance"]) == 2
    assert "groups: 'nobody' is no group of the inventory" in capsys.readouterr().err


def test_the_report_speaks_the_projects_language(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (project / "netkb.yml").write_text("snapshot_repo: configs\nlanguage: zh\n", encoding="utf-8")
    waiver(project, "telnet-lab.yml", expires="2026-01-31")
    assert main(["compliance", "--today", "2026-12-07"]) == 1
    out = capsys.readouterr().out
    assert "未通过 sw-2: telnet-disabled [8.1.4.1 c)] 禁用 Telnet 远程管理" in out
    assert "    整改:" in out and "remediation" not in out
    assert "过期豁免 compliance/telnet-lab.yml：telnet-disabled 已于 2026-01-31 过期" in out
    assert "2 台设备，14 条规则：" in out and "过期豁免 1 个" in out
