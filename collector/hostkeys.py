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

from netkb.collector.identity import ACCEPTED_DIR

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
        self._by_key: dict[bytes, str] | None = None  # pinned key -> device, read when needed
        accepted = repo_path / ACCEPTED_DIR
        self.accepted = {p.name for p in accepted.iterdir()} if accepted.is_dir() else set()

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
        """Pinned per device, whatever its address: a device whose address changed keeps its
        key, and a key already pinned for another device is never a first contact."""
        with self._lock:
            if device in self.accepted and device not in self._learned:
                # `netkb accept`: a replaced device; its new key is learned, the old one dropped.
                self._devices[device] = paramiko.HostKeys()
            own = self._keys_of(device)
            known: dict[str, paramiko.PKey] = {}
            for host in own:
                known.update(own.lookup(host) or {})
            where = self.device_file(device)
            if not known and device not in self.accepted:
                known, where = dict(self._legacy.lookup(hostname) or {}), LEGACY_FILE
            if not known:
                holder = self._holder_of(key, device)
                if holder is not None:
                    raise HostKeyChanged(
                        f"{device} ({hostname}) offers the host key of {holder} "
                        f"({key.get_name()} {key.fingerprint}, pinned in {self.device_file(holder)}): its "
                        f"inventory address probably points at {holder}; correct the address"
                    )
                own.add(hostname, key.get_name(), key)
                self._learned.add(device)
                self.first_contact.append(device)
                return
            if key.get_name() not in known:  # the device now offers another key type: a change
                raise HostKeyChanged(self._changed(device, hostname, next(iter(known.values())), key, where))
            if known[key.get_name()] != key:
                raise HostKeyChanged(self._changed(device, hostname, known[key.get_name()], key, where))

    def _holder_of(self, key: paramiko.PKey, device: str) -> str | None:
        """The other device this key is pinned for (read once per run, at the first new device)."""
        if self._by_key is None:
            self._by_key = {}
            folder = self.repo_path / DEVICE_DIR
            for path in sorted(folder.iterdir()) if folder.is_dir() else []:
                if path.name.startswith("."):
                    continue
                for host in self._keys_of(path.name):
                    for pinned in (self._keys_of(path.name).lookup(host) or {}).values():
                        self._by_key.setdefault(pinned.asbytes(), path.name)
        holder = self._by_key.get(key.asbytes())
        return holder if holder != device else None

    @staticmethod
    def _changed(device: str, hostname: str, old: paramiko.PKey, new: paramiko.PKey, where: str) -> str:
        return (
            f"host key of {device} ({hostname}) changed: known {old.get_name()} {old.fingerprint}, "
            f"offered {new.get_name()} {new.fingerprint} (pinned in {where}); if the device was replaced "
            f"or re-keyed on purpose, run `netkb accept {device}`"
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
