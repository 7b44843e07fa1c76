"""Host keys: trust on first use, refuse a changed key.

The known_hosts file lives in the snapshot repository (host keys are public), so every
runner that clones it verifies devices the same way. Keys are checked by our own paramiko
policy rather than by loading them into the client, so a changed key yields our clear
reason instead of an exception netmiko rewraps.
"""

from __future__ import annotations

import threading
from pathlib import Path

import paramiko


class HostKeyChanged(paramiko.SSHException):
    pass


class KnownHosts:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._keys = paramiko.HostKeys()
        if path.exists():
            self._keys.load(str(path))
        self.first_contact: list[str] = []  # host names learned in this run

    def policy(self, device: str) -> _TofuPolicy:
        return _TofuPolicy(self, device)

    def check(self, device: str, hostname: str, key: paramiko.PKey) -> None:
        with self._lock:
            known = self._keys.lookup(hostname)
            if known is None or key.get_name() not in known:
                if known:  # the device now offers another key type: treat as a change
                    old = next(iter(known.values()))
                    raise HostKeyChanged(self._changed(device, hostname, old, key))
                self._keys.add(hostname, key.get_name(), key)
                self.first_contact.append(device)
                return
            if known[key.get_name()] != key:
                raise HostKeyChanged(self._changed(device, hostname, known[key.get_name()], key))

    @staticmethod
    def _changed(device: str, hostname: str, old: paramiko.PKey, new: paramiko.PKey) -> str:
        return (
            f"host key of {device} ({hostname}) changed: known {old.get_name()} {old.fingerprint}, "
            f"offered {new.get_name()} {new.fingerprint}; if the device was replaced, delete its line "
            "from known_hosts in the snapshot repository"
        )

    def save(self) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            self._keys.save(str(tmp))
            tmp.replace(self.path)


class _TofuPolicy(paramiko.MissingHostKeyPolicy):
    def __init__(self, known: KnownHosts, device: str) -> None:
        self.known = known
        self.device = device
        self.changed: str | None = None

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        try:
            self.known.check(self.device, hostname, key)
        except HostKeyChanged as exc:
            self.changed = str(exc)
            raise
