"""Notifications after a collect: what changed, new abnormal findings and failed devices, by e-mail
and to the group robots Chinese teams use (企业微信, 钉钉, 飞书) or a JSON webhook.

A message is a summary, never a diff: device names, section names, counts, checklist item names
and failure reasons (redacted by the collector before they were stored). The settings'
`notifications` say which events go to which target (netkb/settings.py); URLs, signing secrets
and the SMTP login are credentials (credentials.yml `notifications:` or the environment). A
send that fails is a warning: the collect and its data are never affected.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from netkb.collector.runrecord import BUG_MARK, Outcome, PreviousRun, RunRecord, location
from netkb.credentials import credentials_section
from netkb.i18n import Strings
from netkb.inspection.checklist import Checklist
from netkb.inventory import ConfigFileError
from netkb.settings import Notifications, NotifyEvent, NotifyTarget, Settings

log = logging.getLogger("netkb.notify")
MAX_LINES = 30  # per event in one message; the rest is counted
MAX_BYTES = 3800  # 企业微信 refuses markdown over 4096 bytes


class NotifyError(Exception):
    """One target could not be told; the message never holds a URL (it carries the token)."""


@dataclass(frozen=True)
class Summary:
    started: str
    counts: dict[str, int]
    changes: list[tuple[str, list[str]]] = field(default_factory=list)  # device, sections
    findings: list[tuple[str, str]] = field(default_factory=list)  # device, item name
    failures: list[tuple[str, str]] = field(default_factory=list)  # device, redacted reason

    def of(self, events: list[NotifyEvent]) -> Summary:
        """Only what `events` ask for."""
        return Summary(
            self.started,
            self.counts,
            self.changes if "changes" in events else [],
            self.findings if "findings" in events else [],
            self.failures if "failures" in events else [],
        )

    @property
    def empty(self) -> bool:
        return not (self.changes or self.findings or self.failures)


def _abnormal(entry: Mapping[str, Any] | None) -> set[str]:
    return {f["item"] for f in (entry or {}).get("inspection") or [] if f.get("verdict") == "abnormal"}


def summarize(record: RunRecord, previous: PreviousRun, labels: Mapping[str, str]) -> Summary:
    """The run as a notification tells it: findings are new when the device's last good run did
    not have them abnormal; `labels` names checklist items in the site's language."""
    summary = Summary(f"{record.started:%Y-%m-%d %H:%M}", record.counts())
    for name, r in sorted(record.devices.items()):
        if r.outcome == Outcome.CHANGED:
            summary.changes.append((name, list(r.sections)))
        elif r.outcome == Outcome.FAILED:
            summary.failures.append((name, r.reason))
        if r.outcome in (Outcome.CHANGED, Outcome.UNCHANGED):
            was = _abnormal(previous.good.get(name))
            new = sorted(_abnormal({"inspection": r.inspection}) - was)
            summary.findings.extend((name, labels.get(item, item)) for item in new)
    return summary


def _section(lines: list[str], strings: Strings) -> list[str]:
    more = len(lines) - MAX_LINES
    return lines[:MAX_LINES] + ([strings.plain("notify_more", count=more)] if more > 0 else [])


def render(summary: Summary, strings: Strings, markdown: bool) -> tuple[str, str]:
    """(title, body): Markdown for the robots that show it, plain text for mail and Feishu."""
    title = strings.plain("notify_title", when=summary.started)
    head = strings.plain(
        "notify_counts",
        changed=len(summary.changes),
        failed=len(summary.failures),
        findings=len(summary.findings),
    )
    parts = [f"**{title}**" if markdown else title, head]
    groups = [
        ("notify_changes", [f"{d}: {', '.join(s) or '—'}" for d, s in summary.changes]),
        ("notify_findings", [f"{d}: {item}" for d, item in summary.findings]),
        ("notify_failures", [f"{d}: {reason}" for d, reason in summary.failures]),
    ]
    for key, lines in groups:
        if lines:
            heading = strings.plain(key)
            parts += ["", f"#### {heading}" if markdown else f"{heading}:"]
            parts += [f"- {line}" for line in _section(lines, strings)]
    body = "\n".join(parts)
    if len(body.encode("utf-8")) > MAX_BYTES:
        body = body.encode("utf-8")[: MAX_BYTES - 4].decode("utf-8", "ignore") + "\n…"
    return title, body


# --- what each kind of target receives ------------------------------------------------------


def dingtalk_url(url: str, secret: str, now_ms: int) -> str:
    """钉钉 "加签": `timestamp`, `sign` = Base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(secret.encode(), f"{now_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={now_ms}&sign={sign}"


def feishu_sign(secret: str, now_s: int) -> str:
    """飞书 signature: Base64(HMAC-SHA256 keyed with "timestamp\\nsecret" over nothing)."""
    return base64.b64encode(hmac.new(f"{now_s}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()


def webhook_request(
    target: NotifyTarget, summary: Summary, strings: Strings, url: str, secret: str, now: float
) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(URL, JSON body, extra headers) for a robot or a JSON webhook."""
    if target.kind == "wecom":
        _, body = render(summary, strings, markdown=True)
        return url, {"msgtype": "markdown", "markdown": {"content": body}}, {}
    if target.kind == "dingtalk":
        title, body = render(summary, strings, markdown=True)
        signed = dingtalk_url(url, secret, int(now * 1000)) if secret else url
        return signed, {"msgtype": "markdown", "markdown": {"title": title, "text": body}}, {}
    if target.kind == "feishu":
        _, text = render(summary, strings, markdown=False)
        payload: dict[str, Any] = {"msg_type": "text", "content": {"text": text}}
        if secret:
            payload = {"timestamp": str(int(now)), "sign": feishu_sign(secret, int(now)), **payload}
        return url, payload, {}
    title, text = render(summary, strings, markdown=False)
    payload = {
        "event": "collect",
        "started": summary.started,
        "counts": summary.counts,
        "changes": [{"device": d, "sections": s} for d, s in summary.changes],
        "findings": [{"device": d, "item": i} for d, i in summary.findings],
        "failures": [{"device": d, "reason": r} for d, r in summary.failures],
        "title": title,
        "text": text,
    }
    headers = {}
    if secret:  # the receiver checks the body with the shared secret, as GitHub's webhooks do
        digest = hmac.new(secret.encode(), _json(payload), hashlib.sha256).hexdigest()
        headers["X-Netkb-Signature"] = f"sha256={digest}"
    return url, payload, headers


def _json(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")


def post_json(url: str, payload: Mapping[str, Any], headers: Mapping[str, str], timeout: float) -> None:
    """POST the JSON; NotifyError when the receiver refused it (a robot answers 200 with an error code)."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise NotifyError("the URL is not http(s)")
    request = urllib.request.Request(
        url,
        data=_json(payload),
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(65536)
    except ValueError:  # http.client.InvalidURL and the like quote the URL: not repeated
        raise NotifyError("the URL is malformed") from None
    except urllib.error.HTTPError as exc:
        raise NotifyError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise NotifyError(f"not reached: {getattr(exc, 'reason', exc)}") from None
    try:
        said = json.loads(answer)
    except ValueError:
        return  # a generic webhook may answer anything with a 2xx
    if isinstance(said, dict):
        code = said.get("errcode", said.get("code", said.get("StatusCode", 0)))
        if code not in (0, None):
            raise NotifyError(f"refused: code {code} {said.get('errmsg') or said.get('msg') or ''}".strip())


def send_mail(
    settings: Notifications, target: NotifyTarget, summary: Summary, strings: Strings, login: tuple[str, str]
) -> None:
    smtp = settings.smtp
    if smtp is None:  # the settings refuse an email target without smtp
        raise NotifyError("no smtp server in the settings")
    title, body = render(summary, strings, markdown=False)
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = title, smtp.sender, ", ".join(target.to)
    message.set_content(body)
    server_class = smtplib.SMTP_SSL if smtp.ssl else smtplib.SMTP
    try:
        with server_class(smtp.host, smtp.port, timeout=settings.timeout) as server:
            if smtp.starttls and not smtp.ssl:
                server.starttls(context=ssl.create_default_context())
            if login[0]:
                server.login(*login)
            server.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise NotifyError(f"the SMTP server refused the login of {login[0]!r}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyError(f"{smtp.host}:{smtp.port}: {type(exc).__name__}: {exc}") from None


# --- secrets and the hook ---------------------------------------------------------------------


def _secret(stored: Mapping[str, object], name: str, part: str) -> str:
    """From NETKB_NOTIFY_<NAME>_<PART> (SMTP: NETKB_SMTP_<PART>), else credentials.yml."""
    prefix = "NETKB_SMTP" if name == "smtp" else f"NETKB_NOTIFY_{name.upper().replace('-', '_')}"
    value = os.environ.get(f"{prefix}_{part.upper()}")
    if value is None:
        entry = stored.get(name)
        value = entry.get(part) if isinstance(entry, dict) else None
    return str(value) if value is not None else ""


def send(
    settings: Notifications, summary: Summary, strings: Strings, stored: Mapping[str, object]
) -> list[str]:
    """Tell every target what it asked for; the warnings of the targets that could not be told."""
    warnings = []
    for target in settings.targets:
        wanted = summary.of(target.events)
        if wanted.empty:
            continue
        try:
            if target.kind == "email":
                login = (_secret(stored, "smtp", "username"), _secret(stored, "smtp", "password"))
                send_mail(settings, target, wanted, strings, login)
                continue
            url = _secret(stored, target.name, "url")
            if not url:
                raise NotifyError(
                    f"no URL: set NETKB_NOTIFY_{target.name.upper().replace('-', '_')}_URL or "
                    f"notifications.{target.name}.url in the credentials file"
                )
            secret = _secret(stored, target.name, "secret")
            request = webhook_request(target, wanted, strings, url, secret, time.time())
            post_json(*request, timeout=settings.timeout)
        except NotifyError as exc:
            warnings.append(f"notification to {target.name!r} ({target.kind}) not sent: {exc}")
    return warnings


def after_collect(
    record: RunRecord,
    previous: PreviousRun,
    settings: Settings,
    checklist: Checklist,
    credentials_file: Path | None,
) -> None:
    """The collect's hook: never raises, every failure a logged warning."""
    if not settings.notifications.targets:
        return
    try:
        language, thresholds = settings.language, settings.thresholds
        labels = {i.id: checklist.texts(i.id, language, thresholds).item for i in checklist.items}
        stored: Mapping[str, object] = {}
        if credentials_file is not None and credentials_file.exists():
            stored = credentials_section(credentials_file, "notifications")
        summary = summarize(record, previous, labels)
        warnings = send(settings.notifications, summary, Strings(language), stored)
    except ConfigFileError as exc:
        warnings = [f"notifications not sent: {problem}" for problem in exc.problems]
    except Exception as exc:  # a bug must not cost the collect; its message may quote a URL: not said
        warnings = [f"notifications not sent: {type(exc).__name__} ({BUG_MARK}{location(exc)})"]
    for warning in warnings:
        log.warning("%s", warning)
