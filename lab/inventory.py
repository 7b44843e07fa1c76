"""The files a running lab leaves for the collector: an inventory and a 0600 credentials file.

The inventory has the same format a real network's inventory has (see the README), so
pointing netkb at real devices is a matter of writing this file by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from netkb.lab.model import Device, Network, Platform

PROFILE = {
    Platform.COMWARE: "lab-h3c",
    Platform.VRP: "lab-huawei",
    Platform.IOS: "lab-cisco",
    Platform.RGOS: "lab-ruijie",
}
VENDOR = {Platform.COMWARE: "H3C", Platform.VRP: "Huawei", Platform.IOS: "Cisco", Platform.RGOS: "Ruijie"}


def asset_data(dev: Device) -> dict[str, object]:
    """The asset register a campus keeps (purchase, warranty, vendor support, room), fixed per
    device class so the demo's warranty warnings are the same on every run: the cores' warranty
    ends at the end of 2026, the dormitories' Huawei switches' in December 2026, the old S5120s'
    and the Catalysts' long ago (the Catalysts are past the vendor's end of support too)."""
    if dev.role == "core":
        terms = ("2019-07-15", "2026-12-31", "2029-06-30", "7x24 原厂维保")
    elif dev.role == "firewall":
        terms = ("2022-01-10", "2027-01-10", "2031-12-31", "7x24 原厂维保")
    elif dev.platform is Platform.VRP:
        terms = ("2017-06-30", "2026-12-20", "2027-06-30", "5x8 代理商维保")
    elif dev.platform is Platform.IOS:
        terms = ("2016-03-10", "2021-03-10", "2024-10-31", "备件自保")
    elif dev.platform is Platform.RGOS:
        terms = ("2023-09-01", "2028-09-01", "2031-12-31", "5x8 原厂维保")
    elif dev.model.startswith("S5120"):
        terms = ("2015-09-01", "2020-09-01", "2025-12-31", "备件自保")
    else:
        terms = ("2021-08-20", "2027-08-20", "2030-12-31", "5x8 代理商维保")
    purchase, warranty, support, level = terms
    central = dev.role in ("core", "firewall")
    return {
        "vendor": VENDOR[dev.platform],
        "purchase_date": purchase,
        "warranty_end": warranty,
        "vendor_support_end": support,
        "service_level": level,
        "contract": "XY-NET-2026-01" if central else "XY-NET-2026-02",
        "room": "网络中心 301 机房" if central else f"{dev.building} 弱电间",
        "rack": "A01" if central else "",
    }


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
            "asset": {k: v for k, v in asset_data(dev).items() if v},
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
