"""Renamed commands: newer releases (VRP YunShan) reject `display power` but answer
`display device power`; the spec's alternatives are tried after a vendor error, and the output is
stored under the spec's command. The SSH session is a stand-in that answers like such a device."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import netkb.collector.fetch as fetch_module
from netkb.collector.fetch import fetch
from netkb.collector.fetch_errors import FetchError
from netkb.collector.hostkeys import KnownHosts
from netkb.credentials import Credential
from netkb.inventory import DeviceEntry
from netkb.settings import Timeouts
from netkb.spec import load_spec

REJECTED = "                 ^\nError: Unrecognized command found at '^' position."


class YunShanSession:
    """Answers every spec command with a line, except the renamed ones."""

    renamed = frozenset(
        {"display power", "display fan", "display memory-usage", "display ntp-service status"}
    )

    def __init__(self, answers_new_names: bool = True) -> None:
        self.sent: list[str] = []
        self.answers_new_names = answers_new_names
        self.channel = None

    def send_command(self, command: str, read_timeout: float) -> str:
        self.sent.append(command)
        if command in self.renamed:
            return REJECTED
        if command.startswith(
            ("display device power", "display device fan", "display memory", "display ntp status")
        ):
            return f"output of {command}" if self.answers_new_names else REJECTED
        return "return" if "configuration" in command else f"output of {command}"

    def disconnect(self) -> None:
        pass


def _fetch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, session: YunShanSession) -> Any:
    monkeypatch.setattr(fetch_module, "connect", lambda *args, **kwargs: session)
    entry = DeviceEntry(name="ce-1", host="10.0.0.1", platform="vrp")
    return fetch(entry, Credential("u", "p", None), load_spec("vrp"), KnownHosts(tmp_path), Timeouts())


def test_renamed_commands_are_answered_by_their_alternatives(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    session = YunShanSession()
    fetched = _fetch(monkeypatch, tmp_path, session)
    assert fetched.outputs["display power"] == "output of display device power"
    assert fetched.outputs["display ntp-service status"] == "output of display ntp status"
    assert session.sent.index("display device fan") == session.sent.index("display fan") + 1


def test_a_command_rejected_under_every_name_fails_naming_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(
        FetchError, match=r"'display power' \(and 'display device power'\) answered with an error"
    ):
        _fetch(monkeypatch, tmp_path, YunShanSession(answers_new_names=False))
