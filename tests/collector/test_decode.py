"""GB18030 and UTF-8 characters split across socket reads survive decoding."""

from __future__ import annotations

import pytest
from netmiko.channel import SSHChannel

from netkb.collector.decode import IncrementalSSHChannel

TEXT = " description 图书馆三层-办公区 接入\r\n<acc-lib-01>"


class ChunkedConn:
    """Stands in for paramiko's channel: hands out the bytes in fixed-size reads."""

    def __init__(self, data: bytes, size: int) -> None:
        self.chunks = [data[i : i + size] for i in range(0, len(data), size)]

    closed = eof_received = False

    def recv_ready(self) -> bool:
        return bool(self.chunks)

    def recv(self, _: int) -> bytes:
        return self.chunks.pop(0)


def read_all(channel: SSHChannel) -> str:
    out = ""
    while channel.remote_conn.recv_ready():  # type: ignore[union-attr]
        out += channel.read_buffer()
    return out


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
@pytest.mark.parametrize("size", [1, 3, 5, 7])
def test_split_characters_survive(encoding: str, size: int) -> None:
    data = TEXT.encode(encoding)
    ours = IncrementalSSHChannel(ChunkedConn(data, size), encoding)
    assert read_all(ours) == TEXT
    assert ours.replaced == 0


def test_netmikos_own_channel_loses_them() -> None:
    # Why decode.py exists: netmiko decodes each read on its own with errors="ignore".
    data = TEXT.encode("gb18030")
    assert read_all(SSHChannel(ChunkedConn(data, 3), "gb18030")) != TEXT


def test_invalid_bytes_are_counted_not_dropped() -> None:
    channel = IncrementalSSHChannel(ChunkedConn(b"ok \xff\xfe end", 4), "utf-8")
    text = read_all(channel)
    assert text.startswith("ok ") and text.endswith(" end") and channel.replaced == 2
