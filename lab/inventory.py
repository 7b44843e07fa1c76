"""The files a running lab leaves for the collector: an inventory and a 0600 credentials file.

The inventory has the same format a real network's inventory has (see the README), so
pointing netkb at real devices is a matter of writing this file by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from lab.model import Network, Platform

PROFILE = {Platform.COMWARE: "lab-h3c", Platform.VRP: "lab-huawei", Platform.IOS: "lab-cisco"}


def inventory_data(net: Network) -> dict[str, object]:
    devices = []
    for dev in net.devices.values():
        entry: dict[str, object] = {
            "name": dev.name,
            "host": "127.0.0.1",
            "port": dev.port,
            "platform": dev.platform.value,
            "role": dev.role,
            "building": dev.building,
            "model": dev.model,
            "mgmt_ip": dev.mgmt_ip,
            "serial": dev.serial,
            "credentials": PROFILE[dev.platform],
        }
        if dev.encoding != "utf-8":
            entry["encoding"] = dev.encoding
        devices.append(entry)
    return {"credentials_file": "credentials.yml", "devices": devices}


def credentials_data(net: Network) -> dict[str, object]:
    profiles: dict[str, dict[str, str]] = {}
    for dev in net.devices.values():
        profile = profiles.setdefault(
            PROFILE[dev.platform], {"username": dev.username, "password": dev.password}
        )
        if dev.enable_password:
            profile["enable"] = dev.enable_password
    return {"profiles": profiles}


def write_lab_files(net: Network, folder: Path, header: str) -> Path:
    """Write inventory.yml and credentials.yml (mode 0600) into the lab folder."""
    folder.mkdir(parents=True, exist_ok=True)
    creds = folder / "credentials.yml"
    # Created 0600 from the start: the secret is never readable by others, not even briefly.
    fd = os.open(creds, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        yaml.safe_dump(credentials_data(net), out, allow_unicode=True, sort_keys=False)
    os.chmod(creds, 0o600)
    inventory = folder / "inventory.yml"
    tmp = inventory.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write(header)
        yaml.safe_dump(inventory_data(net), out, allow_unicode=True, sort_keys=False)
    tmp.replace(inventory)
    return inventory
