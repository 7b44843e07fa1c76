"""Which SSH algorithms a device may use, and the reason when it and netkb have none in common.

SHA-1 SSH algorithms are disabled for every device unless the inventory marks it
`legacy_ssh: true` (see `disabled_algorithms`).
"""

from __future__ import annotations

import re

from netkb.inventory import DeviceEntry

# What a device marked `legacy_ssh: true` may use and no other device may: paramiko's names, in the
# shape of its `disabled_algorithms`. A normal device is neither offered these nor allowed to pick
# them. Only SHA-1 is here; paramiko's other defaults (hmac-md5, CBC ciphers) are left as they are.
SHA1_ALGORITHMS: dict[str, tuple[str, ...]] = {
    "kex": (
        "diffie-hellman-group-exchange-sha1",
        "diffie-hellman-group14-sha1",
        "diffie-hellman-group1-sha1",
    ),
    "keys": ("ssh-rsa",),  # the device's RSA host key signed with SHA-1 (rsa-sha2-256/512 stay)
    "pubkeys": ("ssh-rsa",),  # the same for a client key (netkb logs in with a password)
    "macs": ("hmac-sha1", "hmac-sha1-96"),
}


def disabled_algorithms(entry: DeviceEntry) -> dict[str, list[str]]:
    """paramiko's `disabled_algorithms` for the device: every SHA-1 algorithm, unless it is legacy.

    A legacy device is still offered the SHA-2 algorithms first (paramiko's order), so it uses
    SHA-1 only when its firmware has nothing else.
    """
    if entry.legacy_ssh:
        return {}
    return {kind: list(names) for kind, names in SHA1_ALGORITHMS.items()}


def no_common_algorithm(entry: DeviceEntry, paramiko_said: str) -> str:
    """The reason when SSH negotiation finds no algorithm in common (paramiko's `IncompatiblePeer`)."""
    said = re.sub(r"^Incompatible ssh (peer|server) \((.*)\)$", r"\2", paramiko_said.strip())
    sha1_kind = any(kind in said for kind in ("kex", "host key", "macs"))
    if not sha1_kind or entry.legacy_ssh:
        allowed = ", even with SHA-1 allowed (legacy_ssh: true)" if entry.legacy_ssh else ""
        return (
            f"no SSH algorithm in common with the device{allowed} (paramiko: {said}); compare its "
            "'display ssh server status' (IOS: 'show ip ssh') with README: Legacy SSH"
        )
    return (
        f"the device offers only SHA-1 SSH algorithms (paramiko: {said}), as Comware 5, VRP V100/V200 "
        "and IOS 12.2/15.0 do (diffie-hellman-group14-sha1/group1-sha1 key exchange, ssh-rsa host keys); "
        f"set 'legacy_ssh: true' for {entry.name} in the inventory to allow SHA-1 for it alone, which "
        "leaves its SSH session open to collision and downgrade attacks on the management network, "
        "or enable a SHA-2 key exchange on the device (README: Legacy SSH)"
    )
