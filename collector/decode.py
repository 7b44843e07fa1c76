"""Bytes to text without silent loss, for netmiko's SSH channel.

netmiko decodes every `recv()` chunk on its own with errors="ignore": a GB18030 (or UTF-8)
character whose bytes straddle two reads is dropped without a trace. The fix belongs at the
channel: one incremental decoder per session keeps the incomplete tail of a read until the
next read completes it. Bytes that are invalid in the device's encoding become U+FFFD and
are counted, so the run record can say so instead of losing them.
"""

from __future__ import annotations

import codecs

from netmiko.channel import SSHChannel
from netmiko.exceptions import ReadException

MAX_BUFFER = 65535


class IncrementalSSHChannel(SSHChannel):
    def __init__(self, conn, encoding: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(conn, encoding)
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self.replaced = 0  # undecodable bytes seen (each became U+FFFD)

    def decode(self, data: bytes, final: bool = False) -> str:
        text = self._decoder.decode(data, final)
        self.replaced += text.count("\ufffd")
        return text

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
