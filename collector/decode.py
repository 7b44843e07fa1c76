"""Bytes to text without silent loss, for netmiko's SSH channel.

netmiko decodes every `recv()` chunk on its own with errors="ignore": a GB18030 (or UTF-8)
character whose bytes straddle two reads is dropped without a trace. The fix belongs at the
channel: one incremental decoder per session keeps the incomplete tail of a read until the
next read completes it. Bytes that are invalid in the device's encoding become U+FFFD and
are counted: the collector fails such a device rather than commit garbled text, and names the
encoding its bytes do decode in (`suggest_encoding`), so the user can fix the inventory.
"""

from __future__ import annotations

import codecs
import re

from netmiko.channel import SSHChannel
from netmiko.exceptions import ReadException

MAX_BUFFER = 65535
# Raw bytes kept per session to name the right encoding when the configured one fails: more
# than any config's non-ASCII part needs, and little memory for a few dozen sessions at once.
KEPT_BYTES = 4 * 1024 * 1024
# What campus devices speak, tried in this order: UTF-8 is strict (other text rarely passes as
# UTF-8); GB18030 takes almost any byte pair, so it comes after UTF-8; Big5 for Taiwan and
# Hong Kong firmware. GB18030 is also the answer for GBK and GB2312 text (its subsets).
CANDIDATES = ("utf-8", "gb18030", "big5")


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def suggest_encoding(data: bytes, configured: str, complete: bool = True) -> str | None:
    """The first candidate encoding other than `configured` in which all of `data` decodes,
    or None. `complete=False`: `data` was cut short, a character may be cut at its end."""
    current = _codec_name(configured)
    for candidate in CANDIDATES:
        name = _codec_name(candidate)
        if name == current:
            continue  # what failed already (GBK failing is no reason to skip GB18030, its superset)
        try:
            codecs.getincrementaldecoder(name)(errors="strict").decode(data, final=complete)
        except UnicodeDecodeError:
            continue
        return candidate
    return None


def undecodable_reason(device: str, encoding: str, count: int, hint: str | None) -> str:
    """A device's failure reason when its output did not decode in its configured encoding."""
    what = f"decode: {count} undecodable byte sequence(s) in the output as {encoding}"
    if hint:
        fix = f"the output decodes as {hint}: set 'encoding: {hint}' for {device} in the inventory"
    else:
        fix = (
            f"it decodes as none of {', '.join(CANDIDATES)} either: set {device}'s encoding in the "
            "inventory to the device's own (see its terminal settings), or check the line for noise"
        )
    return f"{what}; {fix}; nothing was stored, the last good snapshot stays"


# A line that is only a prompt: `<core-1>`, `[core-1]`, `rlab-1#`, `rlab-1>` (a banner's `####` is not).
_PROMPT_LINE = re.compile(r"(?m)^[\w.\-\[<][^\s]*[>#\]][ \t]*\r?$")


class IncrementalSSHChannel(SSHChannel):
    def __init__(self, conn, encoding: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(conn, encoding)
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self.replaced = 0  # undecodable bytes seen (each became U+FFFD)
        self._raw: list[bytes] = []  # the session's bytes, up to KEPT_BYTES
        self._kept = 0
        self.tail = ""  # the text received until a prompt line shows: a slow device, not a hung one
        self.prompted = False

    def decode(self, data: bytes, final: bool = False) -> str:
        if self._kept < KEPT_BYTES:
            self._raw.append(data[: KEPT_BYTES - self._kept])
            self._kept += len(self._raw[-1])
        text = self._decoder.decode(data, final)
        self.replaced += text.count("\ufffd")
        if not self.prompted:
            self.tail = (self.tail + text)[-400:]
            self.prompted = bool(_PROMPT_LINE.search(self.tail))
        return text

    def showed_prompt(self) -> bool:
        """Whether the device has shown a prompt line (`<sw>`, `[sw]`, `sw#`, `sw>`) since login:
        a device that answers, however slowly, rather than one that hangs."""
        return self.prompted

    def suggested_encoding(self) -> str | None:
        """When bytes did not decode: the encoding the session's bytes do decode in, if any."""
        if not self.replaced:
            return None
        complete = self._kept < KEPT_BYTES
        return suggest_encoding(b"".join(self._raw), self.encoding, complete)

    def read_buffer(self) -> str:
        if self.remote_conn is None:
            raise ReadException("Attempt to read, but there is no active channel.")
        if not self.remote_conn.recv_ready():
            if _gone(self.remote_conn):
                # netmiko would wait for a prompt until its read timeout; the peer is gone.
                raise ReadException("Channel stream closed by remote device.")
            return ""
        data = self.remote_conn.recv(MAX_BUFFER)
        if not data:
            raise ReadException("Channel stream closed by remote device.")
        return self.decode(data)


def _gone(conn) -> bool:  # type: ignore[no-untyped-def]
    transport = conn.get_transport() if hasattr(conn, "get_transport") else None
    return bool(conn.closed or conn.eof_received or (transport is not None and not transport.is_active()))
