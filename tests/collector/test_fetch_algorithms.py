"""What netkb's SSH client offers on the wire: SHA-1 only to devices marked `legacy_ssh: true`.

A bare TCP server plays the device: it sends an SSH banner, reads the client's first key
exchange message (SSH_MSG_KEXINIT, sent in clear before any key is agreed) and hangs up. The
lists in that message are what paramiko's Transport was configured with by `login.connect`, as
a device would receive them; paramiko 4 itself still offers SHA-1 unless netkb disables it.
"""

from __future__ import annotations

import socket
import struct
import threading
from pathlib import Path

import pytest

from netkb.collector.fetch_errors import FetchError
from netkb.collector.hostkeys import KnownHosts
from netkb.collector.login import connect
from netkb.collector.ssh_algorithms import no_common_algorithm
from netkb.credentials import Credential
from netkb.inventory import DeviceEntry
from netkb.settings import Timeouts
from netkb.spec import load_spec

SSH_MSG_KEXINIT = 20
NAME_LISTS = (
    "kex",
    "host_keys",
    "ciphers_cs",
    "ciphers_sc",
    "macs_cs",
    "macs_sc",
    "compression_cs",
    "compression_sc",
    "languages_cs",
    "languages_sc",
)


def _read_exact(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError(f"client closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def parse_kexinit(payload: bytes) -> dict[str, list[str]]:
    assert payload[0] == SSH_MSG_KEXINIT, payload[:1]
    offset = 1 + 16  # message number, cookie
    lists = {}
    for name in NAME_LISTS:
        (length,) = struct.unpack(">I", payload[offset : offset + 4])
        text = payload[offset + 4 : offset + 4 + length].decode("ascii")
        lists[name] = text.split(",") if text else []
        offset += 4 + length
    return lists


def offered_by_netkb(tmp_path: Path, *, legacy_ssh: bool) -> dict[str, list[str]]:
    """Run `login.connect` against a fake device; the name-lists of the client's KEXINIT."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)
    port = server.getsockname()[1]
    captured: dict[str, list[str]] = {}

    def device() -> None:
        conn, _ = server.accept()
        with conn:
            conn.settimeout(10)
            conn.sendall(b"SSH-2.0-Comware-5.20\r\n")
            banner = b""
            while not banner.endswith(b"\n"):
                banner += _read_exact(conn, 1)
            (length,) = struct.unpack(">I", _read_exact(conn, 4))
            packet = _read_exact(conn, length)
            padding = packet[0]
            captured.update(parse_kexinit(packet[1 : length - padding]))

    thread = threading.Thread(target=device, daemon=True)
    thread.start()
    entry = DeviceEntry(
        name="acc-old-01", host="127.0.0.1", port=port, platform="comware", legacy_ssh=legacy_ssh
    )
    try:
        with pytest.raises(FetchError):  # the fake device hangs up after the KEXINIT
            connect(
                entry,
                Credential("netkb", "secret"),
                load_spec("comware"),
                KnownHosts(tmp_path),
                Timeouts(connect=5, command=5, device=10),
            )
    finally:
        thread.join(10)
        server.close()
    assert captured, "the fake device never received a KEXINIT"
    return captured


def sha1_names(offered: dict[str, list[str]]) -> list[str]:
    """Every SHA-1 algorithm in the offer (`ssh-rsa` is an RSA host key signed with SHA-1)."""
    names = offered["kex"] + offered["host_keys"] + offered["macs_cs"] + offered["macs_sc"]
    return [n for n in names if "sha1" in n or n == "ssh-rsa"]


def test_a_normal_device_is_offered_no_sha1_algorithm(tmp_path: Path) -> None:
    offered = offered_by_netkb(tmp_path, legacy_ssh=False)
    assert sha1_names(offered) == []
    # ...while the SHA-2 ones, RSA host keys included, are still there.
    assert "diffie-hellman-group14-sha256" in offered["kex"]
    assert {"rsa-sha2-256", "rsa-sha2-512", "ssh-ed25519"} <= set(offered["host_keys"])
    assert "hmac-sha2-256" in offered["macs_cs"]


def test_a_legacy_device_is_offered_sha1_after_sha2(tmp_path: Path) -> None:
    offered = offered_by_netkb(tmp_path, legacy_ssh=True)
    kex, host_keys = offered["kex"], offered["host_keys"]
    assert {"diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"} <= set(kex)
    assert "ssh-rsa" in host_keys
    assert "hmac-sha1" in offered["macs_cs"]
    # A legacy-marked device that has SHA-2 after all still gets it: SHA-2 is preferred.
    assert kex.index("diffie-hellman-group14-sha256") < kex.index("diffie-hellman-group14-sha1")
    assert host_keys.index("rsa-sha2-256") < host_keys.index("ssh-rsa")


@pytest.mark.parametrize(
    ("legacy_ssh", "paramiko_said", "tells_to_mark"),
    [
        (False, "Incompatible ssh peer (no acceptable kex algorithm)", True),
        (False, "Incompatible ssh peer (no acceptable host key)", True),
        (False, "Incompatible ssh server (no acceptable macs)", True),
        (False, "Incompatible ssh server (no acceptable ciphers)", False),  # not a SHA-1 matter
        (True, "Incompatible ssh peer (no acceptable kex algorithm)", False),  # marked already
    ],
)
def test_no_common_algorithm_says_what_to_do(
    legacy_ssh: bool, paramiko_said: str, tells_to_mark: bool
) -> None:
    entry = DeviceEntry(name="acc-old-01", host="10.0.0.9", platform="comware", legacy_ssh=legacy_ssh)
    reason = no_common_algorithm(entry, paramiko_said)
    assert "\n" not in reason
    assert paramiko_said.split("(")[1].rstrip(")") in reason
    assert ("set 'legacy_ssh: true' for acc-old-01 in the inventory" in reason) is tells_to_mark
    assert ("collision and downgrade attacks" in reason) is tells_to_mark
