"""The lab process: one asyncssh server per simulated device, all in one event loop.

Each device listens on its own TCP port of 127.0.0.1 with a host key kept in the lab's state
folder, checks its own username and password, and hands the session to `DeviceShell`.
A control socket (`lab/control.py`) lets `netkb lab status|fault|stop` talk to the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
from pathlib import Path
from typing import Any

import asyncssh

from netkb.lab.faults import clear, inject
from netkb.lab.model import Device, Fault, Network
from netkb.lab.shell import Channel, DeviceShell

log = logging.getLogger("netkb.lab")

# The `legacy-ssh` fault: what Comware 5.20, VRP V100/V200R00x and IOS 12.2/15.0 firmware offers.
# Key exchange and the host key signature are SHA-1 only (the two things paramiko 5 dropped, and
# netkb allows only for devices marked `legacy_ssh: true`); MACs and ciphers are that era's too.
LEGACY_KEX = ["diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"]
LEGACY_HOST_KEY_ALGS = (b"ssh-rsa",)  # an RSA host key, signed with SHA-1 only (no rsa-sha2-256/512)
LEGACY_MACS = ["hmac-sha1", "hmac-sha1-96", "hmac-md5", "hmac-md5-96"]
LEGACY_CIPHERS = ["aes128-cbc", "3des-cbc"]
# Faults that change how the device's port listens: applied by re-opening the listener.
LISTENER_FAULTS = (Fault.CONNECTION_REFUSED, Fault.LEGACY_SSH)


class _ProcessChannel(Channel):
    def __init__(self, process: asyncssh.SSHServerProcess) -> None:  # type: ignore[type-arg]
        self.process = process

    async def read(self) -> bytes:
        try:
            return await self.process.stdin.read(4096)  # type: ignore[no-any-return]
        except (asyncssh.BreakReceived, asyncssh.SignalReceived, asyncssh.TerminalSizeChanged):
            return b"\x03"
        except (asyncssh.DisconnectError, ConnectionError, BrokenPipeError):
            return b""

    def write(self, data: bytes) -> None:
        if not self.process.is_closing():
            self.process.stdout.write(data)

    async def drain(self) -> None:
        with contextlib.suppress(ConnectionError, BrokenPipeError, asyncssh.Error):
            await self.process.stdout.drain()

    def close(self) -> None:
        if not self.process.is_closing():
            self.process.exit(0)

    def abort(self) -> None:
        conn = self.process.get_extra_info("connection")
        if conn is not None:
            conn.abort()


class _DeviceSSHServer(asyncssh.SSHServer):
    def __init__(self, lab: Lab, dev: Device) -> None:
        self.lab = lab
        self.dev = dev

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.lab.connections += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.lab.connections -= 1

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if Fault.AUTH_FAILURE in self.dev.faults:
            return False
        return username == self.dev.username and password == self.dev.password


class Lab:
    """Serves every device of a `Network`; the unit the control socket talks to."""

    def __init__(self, net: Network, state_dir: Path, latency_ms: int = 0) -> None:
        self.net = net
        self.state_dir = state_dir
        self.latency_ms = latency_ms
        self.connections = 0
        self.sessions = 0
        self._listeners: dict[str, asyncssh.SSHAcceptor] = {}
        self._keys: dict[str, asyncssh.SSHKey] = {}
        self._rsa_keys: dict[str, asyncssh.SSHKey] = {}  # made on first legacy-ssh fault

    async def start(self) -> None:
        _raise_fd_limit()
        for dev in self.net.devices.values():
            self._keys[dev.name] = load_or_create_host_key(self.state_dir / "hostkeys", dev.name)
        await asyncio.gather(*(self._listen(dev) for dev in self.net.devices.values()))

    async def _listen(self, dev: Device) -> None:
        async def handle(process: asyncssh.SSHServerProcess) -> None:  # type: ignore[type-arg]
            channel = _ProcessChannel(process)
            self.sessions += 1
            try:
                await DeviceShell(self.net, dev, channel, self.latency_ms).run(
                    process.get_extra_info("username")
                )
            except Exception:  # a bug in one session must not take the lab down
                log.exception("session on %s failed", dev.name)
                channel.abort()
            finally:
                self.sessions -= 1

        self._listeners[dev.name] = await asyncssh.listen(
            "127.0.0.1",
            dev.port,
            server_factory=lambda: _DeviceSSHServer(self, dev),
            process_factory=handle,
            encoding=None,  # bytes: the shell encodes (UTF-8 or GB18030) itself
            line_editor=False,  # the shell echoes and edits, as the device's own CLI does
            reuse_address=True,
            login_timeout=60,
            keepalive_interval=0,
            **self._algorithms(dev),
        )

    def _algorithms(self, dev: Device) -> dict[str, Any]:
        """The host key and algorithms the device offers: asyncssh's defaults, or old firmware's."""
        if Fault.LEGACY_SSH not in dev.faults:
            return {"server_host_keys": [self._keys[dev.name]]}
        if dev.name not in self._rsa_keys:
            self._rsa_keys[dev.name] = load_or_create_host_key(
                self.state_dir / "hostkeys", dev.name, "ssh-rsa"
            )
        return {
            "server_host_keys": [legacy_host_key(self._rsa_keys[dev.name])],
            "kex_algs": LEGACY_KEX,
            "mac_algs": LEGACY_MACS,
            "encryption_algs": LEGACY_CIPHERS,
        }

    async def stop(self) -> None:
        for acceptor in self._listeners.values():
            acceptor.close()
        await asyncio.gather(*(a.wait_closed() for a in self._listeners.values()), return_exceptions=True)
        self._listeners.clear()

    # --- faults -------------------------------------------------------------------------

    async def set_fault(self, name: str, fault: Fault) -> str:
        dev = self.device(name)
        message = inject(self.net, dev, fault)
        if fault in LISTENER_FAULTS:
            await self._relisten(dev)
        return message

    async def clear_fault(self, name: str, fault: Fault | None) -> str:
        dev = self.device(name)
        relisten = any(f in dev.faults and fault in (None, f) for f in LISTENER_FAULTS)
        message = clear(self.net, dev, fault)
        if relisten:
            await self._relisten(dev)
        return message

    async def _relisten(self, dev: Device) -> None:
        acceptor = self._listeners.pop(dev.name, None)
        if acceptor is not None:
            acceptor.close()
            await acceptor.wait_closed()
        if Fault.CONNECTION_REFUSED not in dev.faults:
            await self._listen(dev)

    def device(self, name: str) -> Device:
        try:
            return self.net.devices[name]
        except KeyError:
            raise KeyError(f"no device named {name!r} in the lab (see `netkb lab status`)") from None

    def status(self) -> dict[str, object]:
        return {
            "devices": len(self.net.devices),
            "listening": len(self._listeners),
            "connections": self.connections,
            "sessions": self.sessions,
            "faults": {
                d.name: sorted(f.value for f in d.faults) for d in self.net.devices.values() if d.faults
            },
        }


def load_or_create_host_key(folder: Path, name: str, algorithm: str = "ssh-ed25519") -> asyncssh.SSHKey:
    """The device's host key, created on first start and reused after, so known_hosts holds."""
    path = folder / (f"{name}.key" if algorithm == "ssh-ed25519" else f"{name}.{algorithm}.key")
    if path.exists():
        return asyncssh.read_private_key(path)
    folder.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key(algorithm)
    tmp = path.with_suffix(".tmp")
    key.write_private_key(tmp)
    tmp.chmod(0o600)
    tmp.replace(path)
    return key


def legacy_host_key(key: asyncssh.SSHKey) -> asyncssh.SSHKeyPair:
    """`key` (RSA) as old firmware offers it: `ssh-rsa`, a SHA-1 signature, and nothing else.

    asyncssh offers every signature algorithm of a key (rsa-sha2-256/512 first); the server's
    host key algorithms are those of its key pairs, so the pair is narrowed here.
    """
    pair = asyncssh.load_keypairs([key])[0]
    pair.host_key_algorithms = pair.sig_algorithms = LEGACY_HOST_KEY_ALGS
    return pair


def _raise_fd_limit() -> None:
    # A thousand listeners plus hundreds of sessions need more than the usual 1024 descriptors.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
