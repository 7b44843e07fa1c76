"""`show version` of the Catalyst 2960X (IOS 15.2) and 3850 (IOS-XE 16): the software banner,
the uptime and reload lines, the export notice and the hardware summary.

Column layouts follow the real samples under tests/lab/reference/ios/ (sources in SOURCES.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from netkb.lab.model import Device
from netkb.lab.platforms.ios_config import ios_datetime, is_xe
from netkb.lab.platforms.ios_show import mac_of, serial_of


def uptime_text(seconds: int) -> str:
    years, rest = divmod(seconds, 365 * 86400)
    weeks, rest = divmod(rest, 7 * 86400)
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [(years, "year"), (weeks, "week"), (days, "day"), (hours, "hour")]
    out = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    out.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return ", ".join(out)


def _image(dev: Device) -> tuple[str, str]:
    """(image name as in the banner line, boot file)."""
    if is_xe(dev):
        return "CAT3K_CAA-UNIVERSALK9-M", "flash:packages.conf"
    code = dev.software.replace(".", "").replace("(", "-").replace(")", ".")
    return "C2960X-UNIVERSALK9-M", f"flash:/c2960x-universalk9-mz.{code}/c2960x-universalk9-mz.{code}.bin"


_EXPORT = [
    "This product contains cryptographic features and is subject to United",
    "States and local country laws governing import, export, transfer and",
    "use. Delivery of Cisco cryptographic products does not imply",
    "third-party authority to import, export, distribute or use encryption.",
    "Importers, exporters, distributors and users are responsible for",
    "compliance with U.S. and local country laws. By using this product you",
    "agree to comply with applicable laws and regulations. If you are unable",
    "to comply with U.S. and local laws, return this product immediately.",
    "",
    "A summary of U.S. laws governing Cisco cryptographic products may be found at:",
    "http://www.cisco.com/wwl/export/crypto/tool/stqrg.html",
    "",
    "If you require further assistance please contact us by sending email to",
    "export@cisco.com.",
]


@dataclass(frozen=True)
class _Facts:
    """What both families' `show version` print about the device."""

    image: str
    boot: str
    up: str
    serial: str
    ports: int
    gig: int
    ten: int
    ram_k: int


def show_version(dev: Device) -> list[str]:
    image, boot = _image(dev)
    interfaces = [i for i in dev.interfaces.values() if i.is_physical]
    facts = _Facts(
        image=image,
        boot=boot,
        up=uptime_text(dev.uptime_seconds()),
        serial=dev.serial or serial_of(dev, "chassis"),
        ports=len(interfaces),
        gig=sum(1 for i in interfaces if i.name.startswith("Gigabit")),
        ten=sum(1 for i in interfaces if i.name.startswith("TenGigabit")),
        ram_k=dev.memory_mb * 1024,
    )
    if is_xe(dev):
        return _xe_head(dev, facts) + _EXPORT + _xe_hardware(dev, facts)
    return _classic_head(dev, facts) + _EXPORT + _classic_hardware(dev, facts)


def _xe_head(dev: Device, f: _Facts) -> list[str]:
    """IOS-XE: the banner, the GPL notice, uptime and the last reload."""
    return [
        f"Cisco IOS Software [Fuji], Catalyst L3 Switch Software ({f.image}), Version {dev.software}, "
        "RELEASE SOFTWARE (fc1)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2020 by Cisco Systems, Inc.",
        "Compiled Thu 30-Jan-20 18:48 by mcpre",
        "",
        "",
        "Cisco IOS-XE software, Copyright (c) 2005-2020 by cisco Systems, Inc.",
        "All rights reserved.  Certain components of Cisco IOS-XE software are",
        'licensed under the GNU General Public License ("GPL") Version 2.0.  The',
        "software code licensed under GPL Version 2.0 is free software that comes",
        "with ABSOLUTELY NO WARRANTY.  You can redistribute and/or modify such",
        "GPL code under the terms of GPL Version 2.0.  For more details, see the",
        'documentation or "License Notice" file accompanying the IOS-XE software,',
        "or the applicable URL provided on the flyer accompanying the IOS-XE",
        "software.",
        "",
        "",
        "ROM: IOS-XE ROMMON",
        "BOOTLDR: CAT3K_CAA Boot Loader (CAT3K_CAA-HBOOT-M) Version 4.313, RELEASE SOFTWARE (P)",
        "",
        f"{dev.name} uptime is {f.up}",
        f"Uptime for this control processor is {f.up}",
        f"System returned to ROM by Reload Command at {ios_datetime(dev.boot_time - 95)}",
        f"System restarted at {ios_datetime(dev.boot_time)}",
        f'System image file is "{f.boot}"',
        "Last reload reason: Reload Command",
        "",
        "",
        "",
    ]


def _xe_hardware(dev: Device, f: _Facts) -> list[str]:
    """IOS-XE: the licence, the hardware summary and the switch table."""
    return [
        "",
        "",
        "Technology Package License Information: ",
        "",
        "------------------------------------------------------------------------------",
        "Technology-package                                     Technology-package",
        "Current                        Type                       Next reboot  ",
        "------------------------------------------------------------------------------",
        "ipbase                 Smart License                    ipbase              ",
        "",
        "",
        f"cisco {dev.model} (MIPS) processor (revision V07) with {f.ram_k // 2}K/6147K bytes of memory.",
        f"Processor board ID {f.serial}",
        "2 Virtual Ethernet interfaces",
        f"{f.gig} Gigabit Ethernet interfaces",
        f"{f.ten} Ten Gigabit Ethernet interfaces",
        "2048K bytes of non-volatile configuration memory.",
        f"{f.ram_k}K bytes of physical memory.",
        "252000K bytes of Crash Files at crashinfo:.",
        "1611414K bytes of Flash at flash:.",
        "0K bytes of WebUI ODM Files at webui:.",
        "",
        f"Base Ethernet MAC Address          : {mac_of(dev)}",
        "Motherboard Assembly Number        : 73-15805-04",
        f"Motherboard Serial Number          : {serial_of(dev, 'board')}",
        "Model Revision Number              : AC0",
        "Motherboard Revision Number        : A0",
        f"Model Number                       : {dev.model}",
        f"System Serial Number               : {f.serial}",
        "",
        "",
        "Switch Ports Model              SW Version        SW Image              Mode   ",
        "------ ----- -----              ----------        ----------            ----   ",
        f"*    1 {f.ports:<5} {dev.model:<18} {dev.software:<17} {'CAT3K_CAA-UNIVERSALK9':<21} INSTALL",
        "",
        "",
        "Configuration register is 0x102",
        "",
    ]


def _classic_head(dev: Device, f: _Facts) -> list[str]:
    """IOS 15: the banner, uptime and the last reload."""
    return [
        f"Cisco IOS Software, C2960X Software ({f.image}), Version {dev.software}, RELEASE SOFTWARE (fc2)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2020 by Cisco Systems, Inc.",
        "Compiled Wed 26-Aug-20 01:46 by prod_rel_team",
        "",
        "ROM: Bootstrap program is C2960X boot loader",
        "BOOTLDR: C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(7r)E1, RELEASE SOFTWARE (fc1)",
        "",
        f"{dev.name} uptime is {f.up}",
        "System returned to ROM by power-on",
        f"System restarted at {ios_datetime(dev.boot_time)}",
        f'System image file is "{f.boot}"',
        "Last reload reason: power-on",
        "",
        "",
        "",
    ]


def _classic_hardware(dev: Device, f: _Facts) -> list[str]:
    """IOS 15: the hardware summary and the switch table."""
    return [
        "",
        f"cisco {dev.model} (APM86XXX) processor (revision B0) with {f.ram_k}K bytes of memory.",
        f"Processor board ID {f.serial}",
        "Last reset from power-on",
        "1 Virtual Ethernet interface",
        "1 FastEthernet interface",
        f"{f.gig} Gigabit Ethernet interfaces",
        f"{f.ten} Ten Gigabit Ethernet interfaces",
        "The password-recovery mechanism is enabled.",
        "",
        "512K bytes of flash-simulated non-volatile configuration memory.",
        f"Base ethernet MAC Address       : {mac_of(dev).upper()}",
        "Motherboard assembly number     : 73-14200-13",
        "Power supply part number        : 341-0528-03",
        f"Motherboard serial number       : {serial_of(dev, 'board')}",
        f"Power supply serial number      : {serial_of(dev, 'psu0', 'LIT')}",
        "Model revision number           : B0",
        "Motherboard revision number     : B0",
        f"Model number                    : {dev.model}",
        f"System serial number            : {f.serial}",
        "Top Assembly Part Number        : 68-100404-01",
        "Top Assembly Revision Number    : B0",
        "Version ID                      : V04",
        "Hardware Board Revision Number  : 0x0B",
        "",
        "",
        "Switch Ports Model                     SW Version            SW Image                 ",
        "------ ----- -----                     ----------            ----------               ",
        f"*    1 {f.ports:<5} {dev.model:<25} {dev.software:<21} {f.image:<25}",
        "",
        "",
        "Configuration register is 0xF",
        "",
    ]
