"""Host keys: trust on first use, refuse a changed key.

The keys live in the snapshot repository (host keys are public), so every runner that
clones it verifies devices the same way. Each device has its own file,
`known_hosts.d/<device>` (OpenSSH known_hosts format): shards of one collect write
disjoint files, so their pushes never conflict. A repository made before that keeps one
`known_hosts` file for all devices; it is still read (a device without its own file is
checked against it) and never rewritten, so upgrading changes nothing in git until a new
device is met. Keys are checked by our own paramiko policy rather than by loading them into
the client, so a changed key yields our clear reason instead of an exception netmiko rewraps.
"""

from __future__ import annotations

import threading
from pathlib import Path

import paramiko

LEGACY_FILE = "known_hosts"
DEVICE_DIR = "known_hosts.d"


class HostKeyChanged(paramiko.SSHException):
    pass


class KnownHosts:
    def __init__(self, repo_path: Path) -> None:
        self.repo_path = repo_path
        self._lock = threading.Lock()
        self._legacy = paramiko.HostKeys()
        if (repo_path / LEGACY_FILE).exists():
            self._legacy.load(str(repo_path / LEGACY_FILE))
        self._devices: dict[str, paramiko.HostKeys] = {}  # loaded on first use
        self._learned: set[str] = set()  # devices whose file must be written
        self.first_contact: list[str] = []  # host names learned in this run

    @staticmethod
    def device_file(device: str) -> str:
        """The device's key file, relative to the snapshot repository."""
        return f"{DEVICE_DIR}/{device}"

    def policy(self, device: str) -> _TofuPolicy:
        return _TofuPolicy(self, device)

    def _keys_of(self, device: str) -> paramiko.HostKeys:
        if device not in self._devices:
            keys = paramiko.HostKeys()
            path = self.repo_path / self.device_file(device)
            if path.exists():
                keys.load(str(path))
            self._devices[device] = keys
        return self._devices[device]

    def check(self, device: str, hostname: str, key: paramiko.PKey) -> None:
        with self._lock:
            own = self._keys_of(device)
            known = own.lookup(hostname)
            where = self.device_file(device)
            if known is None and not own.keys():
                known, where = self._legacy.lookup(hostname), LEGACY_FILE
            if known is None or key.get_name() not in known:
                if known:  # the device now offers another key type: treat as a change
                    old = next(iter(known.values()))
                    raise HostKeyChanged(self._changed(device, hostname, old, key, where))
                own.add(hostname, key.get_name(), key)
                self._learned.add(device)
                self.first_contact.append(device)
                return
            if known[key.get_name()] != key:
                raise HostKeyChanged(self._changed(device, hostname, known[key.get_name()], key, where))

    @staticmethod
    def _changed(device: str, hostname: str, old: paramiko.PKey, new: paramiko.PKey, where: str) -> str:
        return (
            f"host key of {device} ({hostname}) changed: known {old.get_name()} {old.fingerprint}, "
            f"offered {new.get_name()} {new.fingerprint}; if the device was replaced, delete its line "
            f"from {where} in the snapshot repository"
        )

    def save(self) -> list[str]:
        """Write the files of the devices met for the first time; their paths, to commit."""
        with self._lock:
            written = []
            for device in sorted(self._learned):
                path = self.repo_path / self.device_file(device)
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.tmp")
                self._devices[device].save(str(tmp))
                tmp.replace(path)
                written.append(self.device_file(device))
            self._learned.clear()
            return written


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
