"""`netkb exec`, a skipped device and notifications, against the lab over real SSH: a local HTTP
receiver stands for the 企业微信 robot and a local SMTP server for the mail relay."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from netkb.lab.topology import build_network
from tests.collector.test_notify import Mailbox, Receiver, mailbox, receiver  # noqa: F401 (fixtures)
from tests.conftest import RunningLab
from tests.integration.test_collect import FAST, collect, latest_record, secret_values


def netkb_in(ws: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
        env={**os.environ, "CI": "true"},
    )


def lab_secrets(lab: RunningLab, names: list[str]) -> set[str]:
    net = build_network(lab.size, lab.seed)
    return {value for name in names for value in secret_values(net.devices[name])}


def test_exec_prints_each_device_refuses_changes_and_names_failures(lab: RunningLab, tmp_path: Path) -> None:
    (tmp_path / "netkb.yml").write_text(yaml.safe_dump(FAST), encoding="utf-8")
    inventory = str(lab.inventory)
    devices = "core-1,dorm-01,rlab-1,fw-2"
    lab.fault("fw-2", "connection-refused")
    try:
        run = netkb_in(
            tmp_path, "exec", "--inventory", inventory, "--limit", devices, "display interface brief"
        )
    finally:
        lab.clear("fw-2")
    assert run.returncode == 1, run.stderr
    assert "===== core-1 (" in run.stdout and "===== dorm-01 (" in run.stdout
    assert "XGE1/2/0/1" in run.stdout  # core-1's interfaces, under its header
    failures = [
        line
        for line in run.stderr.splitlines()
        if line.startswith(("netkb exec: rlab-1", "netkb exec: fw-2"))
    ]
    assert failures == [
        "netkb exec: fw-2: connection refused by 127.0.0.1:" + str(lab.devices["fw-2"]["port"]),
        "netkb exec: rlab-1: 'display interface brief' answered with an error: "
        "% Invalid input detected at '^' marker.",
    ]

    # A configuration command is refused before any login; with --config, only on a terminal or --yes.
    refused = netkb_in(
        tmp_path, "exec", "--inventory", inventory, "--limit", "core-1,rlab-1", "sys", "conf t"
    )
    assert refused.returncode == 2 and refused.stdout == ""
    assert (
        "netkb exec: refused 'sys': 'sys', short for 'system-view', changes the device (comware)"
        in refused.stderr
    )
    assert "refused 'conf t': 'conf', short for 'configure', changes the device (ios)" in refused.stderr
    unconfirmed = netkb_in(
        tmp_path, "exec", "--inventory", inventory, "--limit", "core-1", "--config", "system-view", stdin=""
    )
    assert (
        unconfirmed.returncode == 2
        and "--config needs a terminal to confirm on, or --yes" in unconfirmed.stderr
    )

    # Configs through --output, one file per device, redacted as the collector's logs are.
    out = tmp_path / "out"
    configs = netkb_in(
        tmp_path, "exec", "--inventory", inventory, "--limit", "core-1,rlab-1", "--output", str(out),
        "display current-configuration", "show running-config",
    )  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == ["core-1.txt", "rlab-1.txt"]
    written = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert "sysname core-1" in written and "hostname rlab-1" in written and "<secret:" in written
    assert configs.stdout == ""
    for value in lab_secrets(lab, ["core-1", "rlab-1"]):
        assert value not in written, value


def test_skip_and_notifications_after_a_real_collect(
    lab: RunningLab,
    tmp_path: Path,
    receiver: Receiver,  # noqa: F811
    mailbox: Mailbox,  # noqa: F811
) -> None:
    # The lab's inventory, with agg-lib skipped until a future day and agg-teach's skip expired.
    data = yaml.safe_load(lab.inventory.read_text(encoding="utf-8"))
    future = dt.date.today() + dt.timedelta(days=30)
    for device in data["devices"]:
        if device["name"] == "agg-lib":
            device["skip"] = {"reason": "moved to the new library", "until": future.isoformat()}
        if device["name"] == "agg-teach":
            device["skip"] = {"reason": "old move", "until": "2020-01-31"}
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    credentials = yaml.safe_load((lab.inventory.parent / "credentials.yml").read_text(encoding="utf-8"))
    credentials["notifications"] = {
        "smtp": {"username": "netkb", "password": "smtp-pass"},
        "wx": {"url": receiver.url("/cgi-bin/webhook/send?key=WX-KEY")},
    }
    creds = tmp_path / str(data.get("credentials_file") or "credentials.yml")
    creds.write_text(yaml.safe_dump(credentials), encoding="utf-8")
    creds.chmod(0o600)
    settings = {
        **FAST,
        "notifications": {
            "smtp": {"host": "127.0.0.1", "port": mailbox.port, "starttls": False, "sender": "netkb@lab"},
            "targets": [
                {"name": "wx", "kind": "wecom"},
                {"name": "noc", "kind": "email", "to": ["noc@lab"], "events": ["failures"]},
                {"name": "down", "kind": "dingtalk"},  # no URL anywhere: a warning, not a failure
            ],
        },
    }
    (tmp_path / "netkb.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")

    devices = "core-2,agg-lib,agg-teach,fw-1"
    lab.fault("core-2", "fan")
    lab.fault("fw-1", "connection-refused")
    try:
        result = collect(tmp_path, lab, "--limit", devices, inventory=inventory)
    finally:
        lab.clear("core-2")
        lab.clear("fw-1")
    assert result.returncode == 1  # fw-1 failed; the skip is no failure
    record = latest_record(tmp_path)
    outcomes = {name: entry["outcome"] for name, entry in record["devices"].items()}
    assert outcomes == {"core-2": "changed", "agg-lib": "skipped", "agg-teach": "changed", "fw-1": "failed"}
    assert record["devices"]["agg-lib"]["reason"] == f"skipped: moved to the new library (until {future})"
    assert record["counts"] == {"unchanged": 0, "changed": 2, "failed": 1, "skipped": 1}
    assert "notification to 'down' (dingtalk) not sent: no URL" in result.stderr

    [wx] = receiver.got
    content = wx.json["markdown"]["content"]
    assert wx.query == {"key": "WX-KEY"} and wx.json["msgtype"] == "markdown"
    assert "- core-2: " in content and "- agg-teach: " in content and "agg-lib" not in content
    assert "- core-2: 风扇" in content  # the fan fault: a new abnormal finding, by its item's name
    assert "- fw-1: connect" in content or "- fw-1: connection refused" in content
    [(_, recipients, mail)] = mailbox.messages
    assert recipients == ["noc@lab"] and mailbox.logins == [("netkb", "smtp-pass")]
    body = mail.get_content()
    assert "fw-1" in body and "core-2" not in body  # this target asked for failures only
    sent = json.dumps(wx.json, ensure_ascii=False) + body
    for value in lab_secrets(lab, ["core-2", "agg-teach", "fw-1"]) | {"smtp-pass", "WX-KEY"}:
        assert value not in sent, value

    check = netkb_in(tmp_path, "check", "--inventory", str(inventory))
    assert "agg-teach is collected again; remove the skip, or move its date" in check.stderr

    site = netkb_in(tmp_path, "generate", "--inventory", str(inventory), "--build", str(tmp_path / "build"))
    assert site.returncode == 0, site.stderr
    home = (tmp_path / "build" / "docs" / "index.md").read_text(encoding="utf-8")
    skipped_part = home.split("### 跳过采集的设备", 1)[1]
    assert "[agg-lib](devices/agg-lib.md) | moved to the new library" in skipped_part
    stale_part = home.split("### 长时间未成功采集的设备", 1)[-1].split("###", 1)[0]
    assert "agg-lib" not in stale_part
    page = (tmp_path / "build" / "docs" / "devices" / "agg-lib.md").read_text(encoding="utf-8")
    assert f"清单中标记为跳过采集，至 {future}：moved to the new library。" in page
