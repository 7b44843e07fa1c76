"""The platform-neutral terminal: echo, Enter, paging, filters, encoding and transport faults."""

from __future__ import annotations

import asyncio

import pytest

from netkb.lab.model import Device, Fault, Network, Platform
from netkb.lab.platforms.base import Ctx, Reply
from netkb.lab.shell import DeviceShell, apply_filter

CONFIG = "\r\n".join(
    ["#", " sysname toy", *[f"interface GigabitEthernet1/0/{i}" for i in range(1, 61)], "return"]
)


class ToyCli:
    """A minimal platform: enough to drive the shell, nothing vendor-specific."""

    more_prompt = "  ---- More ----"
    more_erase = "\x1b[16D                \x1b[16D"

    def banner(self, ctx: Ctx) -> str:
        return "Welcome\r\n"

    def prompt(self, ctx: Ctx) -> str:
        return f"<{ctx.dev.name}>"

    def execute(self, ctx: Ctx, line: str) -> Reply:
        if line == "screen-length disable":
            ctx.session.paging = False
            return Reply()
        if line == "display current-configuration":
            return Reply(CONFIG + "\r\n", is_config=True)
        if line == "display description":
            return Reply("中文描述\r\n")
        if line == "quit":
            ctx.session.closed = True
            return Reply()
        return Reply("% Unrecognized command found at '^' position.\r\n", paged=False)


class ScriptedChannel:
    def __init__(self, keys: list[bytes]) -> None:
        self.keys = list(keys)
        self.out = b""
        self.aborted = False
        self.closed = False

    async def read(self) -> bytes:
        return self.keys.pop(0) if self.keys else b""

    def write(self, data: bytes) -> None:
        self.out += data

    async def drain(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True


def session(keys: list[bytes], encoding: str = "utf-8", faults: set[Fault] | None = None) -> ScriptedChannel:
    dev = Device(
        "toy", Platform.COMWARE, 7, "S5130", "7.1", "access", "图书馆", "10.0.0.1", encoding=encoding
    )
    dev.faults = faults or set()
    channel = ScriptedChannel(keys)
    shell = DeviceShell(Network({"toy": dev}), dev, channel, cli=ToyCli())  # type: ignore[arg-type]
    asyncio.run(shell.run("netkb"))
    return channel


def test_echo_bare_enter_and_quit() -> None:
    out = session([b"\r", b"dis", b"play nothing\r\n", b"quit\n"]).out
    assert out.startswith(b"Welcome\r\n<toy>")
    assert b"<toy>\r\n<toy>display nothing\r\n% Unrecognized" in out


def test_backspace_edits_the_line() -> None:
    out = session([b"displax\x7fy description\r", b"quit\r"]).out
    assert "中文描述".encode() in out


def test_paging_space_enter_and_q() -> None:
    out = session([b"display current-configuration\r", b" ", b"q", b"quit\r"]).out
    assert out.count(b"---- More ----") == 2
    assert b"interface GigabitEthernet1/0/60" not in out  # q stopped the display


def test_paging_disabled_shows_everything() -> None:
    out = session([b"screen-length disable\r", b"display current-configuration\r", b"quit\r"]).out
    assert b"More" not in out
    assert b"interface GigabitEthernet1/0/60\r\nreturn\r\n<toy>" in out


def test_gb18030_device_writes_gb18030_bytes() -> None:
    out = session([b"display description\r", b"quit\r"], encoding="gb18030").out
    assert "中文描述".encode("gb18030") in out and "中文描述".encode() not in out


def test_truncated_config_fault_cuts_before_the_trailer() -> None:
    out = session(
        [b"screen-length disable\r", b"display current-configuration\r", b"quit\r"],
        faults={Fault.TRUNCATED_CONFIG},
    ).out
    assert b"return" not in out and b"sysname toy" in out


def test_paging_stuck_fault_keeps_the_more_prompt() -> None:
    out = session(
        [b"screen-length disable\r", b"display current-configuration\r", b"q", b"quit\r"],
        faults={Fault.PAGING_STUCK},
    ).out
    assert b"---- More ----" in out


def test_disconnect_fault_aborts_mid_output() -> None:
    channel = session(
        [b"screen-length disable\r", b"display current-configuration\r", b"quit\r"], faults={Fault.DISCONNECT}
    )
    assert channel.aborted
    assert b"sysname toy" in channel.out and b"return" not in channel.out


@pytest.mark.parametrize(
    ("kind", "pattern", "expected"),
    [
        ("include", "1/0/1", ["interface GigabitEthernet1/0/1", "interface GigabitEthernet1/0/10"]),
        ("begin", "1/0/60", ["interface GigabitEthernet1/0/60", "return"]),
    ],
)
def test_output_filters(kind: str, pattern: str, expected: list[str]) -> None:
    assert apply_filter(CONFIG + "\r\n", kind, pattern).split("\r\n")[: len(expected)] == expected


def test_filter_in_a_session() -> None:
    out = session(
        [b"screen-length disable\r", b"display current-configuration | include sysname\r", b"quit\r"]
    ).out
    assert b" sysname toy\r\n<toy>" in out and b"GigabitEthernet" not in out
