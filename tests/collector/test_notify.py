"""Notifications after a collect (collector/notify.py), sent to a real SMTP server and a real HTTP
receiver on localhost: the exact JSON each robot receives, its signature, and what a failed send
does (a warning, never an exception)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import email
import email.policy
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from netkb.collector import notify
from netkb.collector.runrecord import DeviceResult, Outcome, PreviousRun, RunRecord
from netkb.i18n import Strings
from netkb.inspection.checklist import load_checklist
from netkb.inventory import ConfigFileError
from netkb.settings import Notifications, Settings, load_settings

# --- a local HTTP receiver and a local SMTP server ------------------------------------------------


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every POST; answers with `answers[path]` (status, JSON) or 200 {"errcode": 0}."""

    port: int = 0
    got: list[Received] = field(default_factory=list)
    answers: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            query = dict(urllib.parse.parse_qsl(parts.query))
            rec.got.append(Received(parts.path, query, dict(self.headers), body))
            status, answer = rec.answers.get(parts.path, (200, {"errcode": 0, "errmsg": "ok"}))
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    rec.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield rec
    server.shutdown()
    server.server_close()


@dataclass
class Mailbox:
    port: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)  # from, to, message


async def _smtp_session(box: Mailbox, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Enough of RFC 5321 for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""
    writer.write(b"220 localhost ESMTP test\r\n")
    sender, recipients = "", []
    while line := (await reader.readline()).decode().rstrip("\r\n"):
        verb = line.split(" ", 1)[0].upper()
        if verb == "EHLO":
            writer.write(b"250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
        elif verb == "AUTH":
            _, user, password = base64.b64decode(line.split()[2]).decode().split("\0")
            box.logins.append((user, password))
            writer.write(b"235 2.7.0 ok\r\n")
        elif verb == "MAIL":
            sender = line.split(":", 1)[1].split()[0].strip("<>")
            writer.write(b"250 ok\r\n")
        elif verb == "RCPT":
            recipients.append(line.split(":", 1)[1].strip().strip("<>"))
            writer.write(b"250 ok\r\n")
        elif verb == "DATA":
            writer.write(b"354 go on\r\n")
            data = await reader.readuntil(b"\r\n.\r\n")
            message = email.message_from_bytes(data[:-5], _class=EmailMessage, policy=email.policy.default)
            box.messages.append((sender, recipients, message))  # type: ignore[arg-type]
            writer.write(b"250 queued\r\n")
        elif verb == "QUIT":
            writer.write(b"221 bye\r\n")
            break
        else:
            writer.write(b"250 ok\r\n")
        await writer.drain()
    await writer.drain()
    writer.close()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    async def serve() -> asyncio.Server:
        server = await asyncio.start_server(lambda r, w: _smtp_session(box, r, w), "127.0.0.1", 0)
        box.port = server.sockets[0].getsockname()[1]
        return server

    def run() -> None:
        asyncio.set_event_loop(loop)
        holder.append(loop.run_until_complete(serve()))
        started.set()
        loop.run_forever()

    holder: list[asyncio.Server] = []
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(5)
    yield box
    holder[0].close()
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


# --- a run to tell ---------------------------------------------------------------------------------


def finding(item: str, verdict: str) -> dict[str, str]:
    return {"item": item, "verdict": verdict, "detail": "fan 2 failed (secret detail)", "suggestion": ""}


def a_run() -> tuple[RunRecord, PreviousRun]:
    record = RunRecord(started=dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    record.devices = {
        "core-1": DeviceResult("core-1", Outcome.CHANGED, sections=["interface", "ospf"]),
        "agg-lib": DeviceResult(
            "agg-lib", Outcome.UNCHANGED, inspection=[finding("fans", "abnormal"), finding("cpu", "abnormal")]
        ),
        "fw-1": DeviceResult("fw-1", Outcome.FAILED, reason="connect: connection refused by 10.0.0.9:22"),
        "dorm-01": DeviceResult("dorm-01", Outcome.SKIPPED, reason="skipped: moved"),
    }
    # agg-lib's CPU was already abnormal last night: only the fans are new.
    previous = PreviousRun(good={"agg-lib": {"inspection": [finding("cpu", "abnormal")]}})
    return record, previous


ZH = Strings("zh")
LABELS = {"fans": "风扇", "cpu": "CPU"}
MARKDOWN_ZH = (
    "**netkb 采集 2026-12-01 02:00**\n"
    "1 台设备变更，1 项新的异常，1 台采集失败\n\n"
    "#### 配置与状态变更\n- core-1: interface, ospf\n\n"
    "#### 新的异常\n- agg-lib: 风扇\n\n"
    "#### 采集失败\n- fw-1: connect: connection refused by 10.0.0.9:22"
)


def targets(*entries: dict[str, Any], **smtp: Any) -> Notifications:
    data: dict[str, Any] = {"targets": list(entries), "timeout": 5}
    if smtp:
        data["smtp"] = smtp
    return Notifications.model_validate(data)


def test_summary_tells_changes_new_findings_and_failures_only() -> None:
    record, previous = a_run()
    summary = notify.summarize(record, previous, LABELS)
    assert summary.changes == [("core-1", ["interface", "ospf"])]
    assert summary.findings == [("agg-lib", "风扇")]  # the CPU was abnormal before: not new
    assert summary.failures == [("fw-1", "connect: connection refused by 10.0.0.9:22")]
    _, body = notify.render(summary, ZH, markdown=True)
    assert body == MARKDOWN_ZH
    assert "secret detail" not in body  # a finding's detail is never sent, only its item's name


def test_each_robot_receives_its_own_json(receiver: Receiver) -> None:
    record, previous = a_run()
    summary = notify.summarize(record, previous, LABELS)
    stored = {
        "wecom-noc": {"url": receiver.url("/cgi-bin/webhook/send?key=WECOM-KEY")},
        "ding": {"url": receiver.url("/robot/send?access_token=DING-TOKEN"), "secret": "SECding"},
        "lark": {"url": receiver.url("/open-apis/bot/v2/hook/LARK-ID"), "secret": "lark-secret"},
        "hook": {"url": receiver.url("/netkb")},
    }
    settings = targets(
        {"name": "wecom-noc", "kind": "wecom"},
        {"name": "ding", "kind": "dingtalk", "events": ["failures"]},
        {"name": "lark", "kind": "feishu", "events": ["findings"]},
        {"name": "hook", "kind": "webhook"},
    )
    assert notify.send(settings, summary, ZH, stored) == []
    wecom, ding, lark, hook = receiver.got
    assert wecom.query == {"key": "WECOM-KEY"}
    assert wecom.json == {"msgtype": "markdown", "markdown": {"content": MARKDOWN_ZH}}

    # 钉钉 with 加签: the sign is HMAC-SHA256(secret, "timestamp\nsecret") in Base64.
    assert ding.query["access_token"] == "DING-TOKEN"
    stamp = ding.query["timestamp"]
    expected = hmac.new(b"SECding", f"{stamp}\nSECding".encode(), hashlib.sha256).digest()
    assert base64.b64decode(ding.query["sign"]) == expected
    assert ding.json == {
        "msgtype": "markdown",
        "markdown": {
            "title": "netkb 采集 2026-12-01 02:00",
            "text": "**netkb 采集 2026-12-01 02:00**\n0 台设备变更，0 项新的异常，1 台采集失败\n\n"
            "#### 采集失败\n- fw-1: connect: connection refused by 10.0.0.9:22",
        },
    }

    # 飞书 with a signature: HMAC-SHA256 keyed with "timestamp\nsecret" over nothing.
    body = lark.json
    key = f"{body['timestamp']}\nlark-secret".encode()
    assert base64.b64decode(body["sign"]) == hmac.new(key, b"", hashlib.sha256).digest()
    assert body["msg_type"] == "text"
    assert body["content"] == {
        "text": "netkb 采集 2026-12-01 02:00\n0 台设备变更，1 项新的异常，0 台采集失败\n\n"
        "新的异常:\n- agg-lib: 风扇"
    }
    assert hook.json["changes"] == [{"device": "core-1", "sections": ["interface", "ospf"]}]
    assert hook.json["findings"] == [{"device": "agg-lib", "item": "风扇"}]
    assert hook.json["failures"] == [
        {"device": "fw-1", "reason": "connect: connection refused by 10.0.0.9:22"}
    ]
    assert "X-Netkb-Signature" not in hook.headers


def test_a_target_with_nothing_to_tell_gets_nothing(receiver: Receiver) -> None:
    record, previous = a_run()
    del record.devices["fw-1"]
    summary = notify.summarize(record, previous, LABELS)
    settings = targets({"name": "ding", "kind": "dingtalk", "events": ["failures"]})
    assert notify.send(settings, summary, ZH, {"ding": {"url": receiver.url("/robot")}}) == []
    assert receiver.got == []


def test_failed_sends_are_warnings_without_the_url(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    record, previous = a_run()
    summary = notify.summarize(record, previous, LABELS)
    receiver.answers["/refuses"] = (200, {"errcode": 310000, "errmsg": "sign not match"})
    receiver.answers["/broken"] = (500, {})
    monkeypatch.setenv("NETKB_NOTIFY_DING_URL", receiver.url("/refuses?access_token=TOKEN-1"))
    stored = {
        "hook": {"url": receiver.url("/broken?token=TOKEN-2")},
        "gone": {"url": "http://127.0.0.1:1/x?k=TOKEN-3"},
    }
    settings = targets(
        {"name": "ding", "kind": "dingtalk"},
        {"name": "hook", "kind": "webhook"},
        {"name": "gone", "kind": "wecom"},
        {"name": "nourl", "kind": "feishu"},
    )
    warnings = notify.send(settings, summary, ZH, stored)
    assert warnings[0] == "notification to 'ding' (dingtalk) not sent: refused: code 310000 sign not match"
    assert warnings[1] == "notification to 'hook' (webhook) not sent: HTTP 500 Internal Server Error"
    assert warnings[2].startswith("notification to 'gone' (wecom) not sent: not reached: ")
    assert "NETKB_NOTIFY_NOURL_URL" in warnings[3]
    assert not any("TOKEN" in w for w in warnings)
    assert len(receiver.got) == 2


def test_mail_through_smtp_with_a_login_from_the_credentials(mailbox: Mailbox) -> None:
    record, previous = a_run()
    summary = notify.summarize(record, previous, LABELS)
    settings = targets(
        {
            "name": "noc",
            "kind": "email",
            "to": ["noc@example.edu", "duty@example.edu"],
            "events": ["changes"],
        },
        host="127.0.0.1",
        port=mailbox.port,
        starttls=False,
        sender="netkb@example.edu",
    )
    stored = {"smtp": {"username": "netkb", "password": "mail-pass"}}
    assert notify.send(settings, summary, ZH, stored) == []
    assert mailbox.logins == [("netkb", "mail-pass")]
    [(sender, recipients, message)] = mailbox.messages
    assert (sender, recipients) == ("netkb@example.edu", ["noc@example.edu", "duty@example.edu"])
    assert message["Subject"] == "netkb 采集 2026-12-01 02:00"
    assert message.get_content().replace("\r\n", "\n").strip() == (
        "netkb 采集 2026-12-01 02:00\n1 台设备变更，0 项新的异常，0 台采集失败\n\n"
        "配置与状态变更:\n- core-1: interface, ospf"
    )


def test_the_hook_never_raises(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    record, previous = a_run()
    creds = tmp_path / "credentials.yml"
    creds.write_text("notifications: {ding: {url: 'http://127.0.0.1:1/?t=SECRET-T'}}\n", encoding="utf-8")
    creds.chmod(0o644)  # readable by others: refused, said as a warning
    settings = Settings.model_validate({"notifications": {"targets": [{"name": "ding", "kind": "dingtalk"}]}})
    with caplog.at_level("WARNING", logger="netkb.notify"):
        notify.after_collect(record, previous, settings, load_checklist(), creds)
    assert "credentials file is readable by others" in caplog.text
    creds.chmod(0o600)
    caplog.clear()
    with caplog.at_level("WARNING", logger="netkb.notify"):
        notify.after_collect(record, previous, settings, load_checklist(), creds)
    assert "notification to 'ding' (dingtalk) not sent: not reached" in caplog.text
    assert "SECRET-T" not in caplog.text


def test_settings_refuse_every_mistake_at_once(tmp_path: Path) -> None:
    path = tmp_path / "netkb.yml"
    path.write_text(
        "notifications:\n"
        "  targets:\n"
        "    - {name: mail, kind: email}\n"
        "    - {name: wx, kind: wecom, url: 'https://qyapi.weixin.qq.com/x?key=K', events: [changes, typo]}\n"
        "    - {name: wx, kind: slack}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigFileError) as caught:
        load_settings(path)
    assert caught.value.problems == [
        f"{path}: notifications.targets[0]: target 'mail': an email target needs `to` (a list of addresses)",
        f"{path}: notifications.targets[1].events[1]: Input should be 'changes', 'findings' or 'failures'",
        f"{path}: notifications.targets[1].url: unknown key (check its spelling)",
        f"{path}: notifications.targets[2].kind: Input should be "
        "'email', 'wecom', 'dingtalk', 'feishu' or 'webhook'",
    ]
