"""The interactive CLI session of one simulated device over one SSH channel.

Platform-neutral terminal behaviour lives here: character echo, line editing, a bare Enter,
output filters (`| include`), paging with the platform's More prompt, per-command latency,
byte encoding (UTF-8 or GB18030) and the transport-level faults. What a line *means* is the
platform's business (`lab/platforms/`).
"""

from __future__ import annotations

import asyncio
import re

from netkb.lab.model import Device, Fault, Network
from netkb.lab.platforms import cli_for
from netkb.lab.platforms.base import Ctx, PlatformCli, Session

# Extra delay per command while the `slow` fault is on.
SLOW_FAULT_MS = 3000
# The `disconnect` fault drops the session after this share of a long output.
DISCONNECT_AFTER = 0.5
# The `truncated-config` fault keeps this share of the running configuration.
TRUNCATE_KEEP = 0.6

_FILTER = re.compile(r"^(?P<cmd>.*?)\s+\|\s+(?P<kind>include|exclude|begin|section)\s+(?P<pattern>.+)$", re.I)


class Channel:
    """What the shell needs from a transport: bytes in, bytes out, close."""

    async def read(self) -> bytes:  # b"" at end of input
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    async def drain(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        """Drop the connection without a goodbye, as a crashing device or a cut link does."""
        raise NotImplementedError


class DeviceShell:
    def __init__(
        self,
        net: Network,
        dev: Device,
        channel: Channel,
        lab_latency_ms: int = 0,
        cli: PlatformCli | None = None,
    ) -> None:
        self.ctx = Ctx(net, dev, Session())
        self.cli: PlatformCli = cli or cli_for(dev)
        self.channel = channel
        self.lab_latency_ms = lab_latency_ms
        self._pending_input = ""

    # --- byte I/O -------------------------------------------------------------------

    @property
    def dev(self) -> Device:
        return self.ctx.dev

    def write(self, text: str) -> None:
        # Encode with the device's own charset, as a real box does: GB18030 devices put
        # GB18030 bytes on the wire whatever the client expects.
        self.channel.write(text.encode(self.dev.encoding, errors="replace"))

    async def _more_input(self) -> bool:
        data = await self.channel.read()
        if not data:
            return False
        self._pending_input += data.decode(self.dev.encoding, errors="replace")
        return True

    async def read_key(self) -> str | None:
        while not self._pending_input:
            if not await self._more_input():
                return None
        key, self._pending_input = self._pending_input[0], self._pending_input[1:]
        if key == "\r" and self._pending_input.startswith("\n"):
            self._pending_input = self._pending_input[1:]
        return key

    async def read_line(self, echo: bool = True) -> str | None:
        """A line typed by the client, echoed as it arrives, as a terminal does.

        The echo of what arrived together goes out together: a pasted or scripted line is
        echoed in one piece, not one SSH packet per character.
        """
        buffer: list[str] = []
        shown: list[str] = []
        while True:
            if not self._pending_input and shown:
                self.write("".join(shown))
                shown.clear()
            key = await self.read_key()
            if key is None:
                return None
            if key in "\r\n":
                self.write("".join(shown) + "\r\n")
                return "".join(buffer)
            if key in "\x08\x7f":
                if buffer:
                    buffer.pop()
                    if echo:
                        shown.append("\x08 \x08")
                continue
            if key == "\x03":  # Ctrl-C abandons the line
                self.write("".join(shown) + "^C\r\n")
                return ""
            if key.isprintable() or key == "\t":
                buffer.append(key)
                if echo:
                    shown.append(key)

    # --- the session ----------------------------------------------------------------

    async def run(self, username: str) -> None:
        dev = self.dev
        dev.log("SHELL", 5, "SHELL_LOGIN", f"{username} logged in from 127.0.0.1.")
        try:
            if Fault.HANG in dev.faults:
                await self._hang()
                return
            self.write(self.cli.banner(self.ctx))
            self.write(self.cli.prompt(self.ctx))
            echo = True
            while not self.ctx.session.closed:
                line = await self.read_line(echo)
                if line is None:
                    return
                echo = not await self._answer(line)
                if self.ctx.session.closed:
                    return
                if Fault.HANG in dev.faults:
                    await self._hang()
                    return
        finally:
            dev.log("SHELL", 5, "SHELL_LOGOUT", f"{username} logged out from 127.0.0.1.")
            self.channel.close()

    async def _hang(self) -> None:
        # Logged in, then silence: the client must time out on its own.
        while await self.channel.read():
            pass

    async def _answer(self, line: str) -> bool:
        """Answer one line; True when the next line is a password (not echoed)."""
        session = self.ctx.session
        if not line.strip() and session.pending is None:
            self.write(self.cli.prompt(self.ctx))
            return False
        await self._delay()
        pending, session.pending = session.pending, None
        match = _FILTER.match(line) if pending is None else None
        command = match.group("cmd") if match else line
        reply = pending(line) if pending else self.cli.execute(self.ctx, command)
        if Fault.PAGING_STUCK in self.dev.faults:
            session.paging = True
        text = reply.text
        if match and text:
            text = apply_filter(text, match.group("kind").lower(), match.group("pattern"))
        if reply.is_config and Fault.TRUNCATED_CONFIG in self.dev.faults:
            lines = text.split("\r\n")
            text = "\r\n".join(lines[: int(len(lines) * TRUNCATE_KEEP)]) + "\r\n"
        if not await self._send_output(text, paged=reply.paged) or session.closed:
            return False
        self.write(reply.question if reply.question is not None else self.cli.prompt(self.ctx))
        return reply.hide_input

    async def _delay(self) -> None:
        ms = self.lab_latency_ms + self.dev.latency_ms
        if Fault.SLOW in self.dev.faults:
            ms += SLOW_FAULT_MS
        if ms:
            await asyncio.sleep(ms / 1000)

    async def _send_output(self, text: str, paged: bool) -> bool:
        """Write an output, paging it while paging is on; False if the session ended."""
        if not text:
            return True
        if text and not text.endswith("\n"):
            text += "\r\n"
        lines = text.split("\r\n")[:-1]
        cut_at = len(lines) + 1
        if Fault.DISCONNECT in self.dev.faults and len(lines) > 20:
            cut_at = int(len(lines) * DISCONNECT_AFTER)
        page = self.ctx.session.screen_length if (paged and self.ctx.session.paging) else 0
        sent = 0
        shown_until = page if page else len(lines)
        while sent < len(lines):
            chunk_end = min(shown_until, len(lines), cut_at)
            if chunk_end > sent:
                self.write("".join(line + "\r\n" for line in lines[sent:chunk_end]))
                sent = chunk_end
                await self.channel.drain()
            if sent >= cut_at:
                self.channel.abort()  # the fault: the connection drops mid-output
                self.ctx.session.closed = True
                return False
            if sent >= len(lines):
                break
            self.write(self.cli.more_prompt)
            key = await self.read_key()
            if key is None:
                return False
            self.write(self.cli.more_erase)
            if key == " ":
                shown_until = sent + page
            elif key in "\r\n":
                shown_until = sent + 1
            else:  # any other key stops the display, as on the real devices
                break
        return True


def apply_filter(text: str, kind: str, pattern: str) -> str:
    """The `| include / exclude / begin / section` output filters all three vendors have."""
    try:
        regex = re.compile(pattern)
    except re.error:
        regex = re.compile(re.escape(pattern))
    lines = text.split("\r\n")
    if kind == "include":
        kept = [line for line in lines if regex.search(line)]
    elif kind == "exclude":
        kept = [line for line in lines if not regex.search(line)]
    elif kind == "begin":
        start = next((i for i, line in enumerate(lines) if regex.search(line)), len(lines))
        kept = lines[start:]
    else:  # section: a matching top-level line and the indented lines under it
        kept, inside = [], False
        for line in lines:
            if line and not line[0].isspace():
                inside = bool(regex.search(line))
            if inside:
                kept.append(line)
    return "".join(line + "\r\n" for line in kept if line or kind == "begin")
