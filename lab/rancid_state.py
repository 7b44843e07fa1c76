"""What RANCID asks a device beside its config, answered from the device model: the flash
listing, boot settings, licences and VTP status.

Image file names follow the device's software version (as its `display version` / `show
version` names them), file sizes are fixed by the file's name (the same every night), and the
free space moves a little with the clock, as on real flash, so that a collector keeping it would
see a change every night. Layouts follow real captures (tests/real/*/dir/, …/show_boot/,
…/show_license/, …/show_vtp_status/, …/display_startup/).
"""

from __future__ import annotations

import hashlib
import time

from netkb.lab.model import Device


def _size(name: str, low: int, high: int) -> int:
    digest = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
    return low + digest % (high - low)


def _free(total: int) -> int:
    """Free bytes that move with the hour (logs grow and are rotated)."""
    return total // 3 + int(time.time() // 3600) % 97 * 4096


# --- H3C Comware -------------------------------------------------------------------------


def comware_images(dev: Device) -> list[str]:
    from netkb.lab.platforms.comware_display import release

    rel = release(dev).lower()
    image = dev.model.split()[-1].lower().split("-")[0]
    if dev.os_major >= 7:
        return [f"{image}-cmw710-boot-r{rel}.bin", f"{image}-cmw710-system-r{rel}.bin"]
    return [f"{image}-cmw520-r{rel}.bin"]


def comware_dir(dev: Device) -> list[str]:
    files = [*comware_images(dev), "startup.cfg", "startup.mdb", "ifindex.dat"]
    rows = ["   0 drw-           - Jan 01 2013 00:00:30   logfile"]
    for i, name in enumerate(files, start=1):
        size = _size(name, 30_000_000, 90_000_000) if name.endswith(".bin") else _size(name, 300, 60_000)
        rows.append(f"{i:>4} -rw- {size:>11} Jun 28 2023 11:00:00   {name}")
    total = 1_046_512
    return ["Directory of flash:", *rows, "", f"{total} KB total ({_free(total * 1024) // 1024} KB free)", ""]


def comware_startup(dev: Device) -> list[str]:
    lines = [
        " Current startup saved-configuration file: flash:/startup.cfg",
        " Next main startup saved-configuration file: flash:/startup.cfg",
        " Next backup startup saved-configuration file: NULL",
    ]
    if dev.os_major < 7:
        lines = [lines[0], " Next startup saved-configuration file: flash:/startup.cfg"]
    return lines


def comware_boot_loader(dev: Device) -> list[str]:
    """Comware 7: the three image lists per IRF member (`display boot-loader`); Comware 5: the
    `The boot file used …` lines. The next boot uses the running images, no backup is set."""
    images = [f"flash:/{name}" for name in comware_images(dev)]
    if dev.os_major < 7:
        return [
            f" The boot file used at this reboot:{images[0]} attribute: main",
            f" The boot file used at the next reboot:{images[0]} attribute: main",
            " Failed to get the backup boot file used at the next reboot!",
            " Failed to get the secure boot file used at the next reboot!",
        ]
    members = [m.member for m in dev.irf] or [1]
    lines = []
    for member in members:
        lines += [f"Software images on slot {member}:", "Current software images:"]
        lines += [f"  {i}" for i in images] + ["Main startup software images:"]
        lines += [f"  {i}" for i in images] + ["Backup startup software images:", "  None"]
    return lines


def comware_license(dev: Device) -> list[str]:
    """The AP licence of the wireless-controller card (the one box here with licensing)."""
    return [
        f"flash:/license/{dev.serial or 'H3C'}_20230628110000.ak",
        "Feature: AP",
        f"Product Description: H3C {dev.model} Access Point License(128 APs)",
        "Registered at: 2023-06-28 11:00:00",
        "License Type: Permanent",
        "Current State: In use",
    ]


# --- Huawei VRP --------------------------------------------------------------------------


def vrp_dir(dev: Device) -> str:
    from netkb.lab.platforms.vrp_common import NL, image_file

    image = image_file(dev).removeprefix("flash:/")
    files = [(image, _size(image, 100_000_000, 200_000_000)), ("vrpcfg.zip", _size(dev.name, 2_000, 9_000))]
    files += [("device.sys", 34_505), ("private-data.txt", _size(dev.name + "p", 300, 900))]
    rows = [
        "  Idx  Attr     Size(Byte)  Date        Time       FileName",
        "    0  drwx              -  Oct 12 2019 18:12:15   logfile",
    ]
    for i, (name, size) in enumerate(files, start=1):
        rows.append(f"{i:>5}  -rw- {size:>14,}  Oct 21 2019 15:21:23   {name}")
    total = 2_994_228
    return NL.join(
        [
            "Directory of flash:/",
            "",
            *rows,
            "",
            f"{total:,} KB total ({_free(total * 1024) // 1024:,} KB free)",
            "",
        ]
    )


def vrp_license_verbose(dev: Device) -> list[str]:
    """One function licence item, in the layout of a real `display license verbose`
    (tests/real/vrp/display_license_verbose/); the used value moves as a real one would."""
    version = dev.software.split("SPC")[0]
    item = f"LANJ{dev.model.split('-')[0].removeprefix('S')}EI01"
    return [
        f" Active license    : flash:/LIC{dev.serial or '0'}.dat",
        " License state     : Normal",
        " Revoke ticket     : No ticket",
        " License mode      : common",
        "",
        f" Product name      : {dev.model.split('-')[0]}",
        f" Product version   : {version}",
        f" License file ESN  : {dev.serial}",
        "",
        f" Feature name      : {dev.model}",
        " Authorize type    : comm",
        " Expired date      : PERMANENT",
        " Trial days        : --",
        f" Item name         : {item}",
        " Item type         : Function",
        " Control value     : 1",
        f" Used value        : {int(time.time() // 86400) % 2}",
        " Item state        : Normal",
        " Item expired date : PERMANENT",
        " Item trial days   : --",
        f" Description       : {dev.model} function license",
    ]


# --- Cisco IOS -----------------------------------------------------------------------------


def _ios_boot_file(dev: Device) -> str:
    from netkb.lab.platforms.ios_show_version import _image

    return _image(dev)[1]


def ios_dir(dev: Device, recursive: bool = False) -> list[str]:
    """`dir` (the top of flash:), or `dir /recursive`: each directory's block after the top's, so
    the image kept in its own directory (classic Catalyst `archive` layout) is listed too."""
    boot = _ios_boot_file(dev).removeprefix("flash:").lstrip("/")
    image_dir = boot.split("/")[0] if "/" in boot else None
    files = [
        ("vlan.dat", 2_236),
        ("config.text", _size(dev.name, 3_000, 12_000)),
        ("private-config.text", 2_072),
    ]
    if image_dir is None:  # IOS-XE in install mode: packages.conf and its .pkg files
        files += [
            (boot, 7_406),
            (f"cat3k_caa-rpbase.{dev.software}.SPA.pkg", _size(boot, 70_000_000, 90_000_000)),
        ]
    rows = []
    for i, (name, size) in enumerate(files, start=2):
        rows.append(f"{i:>6}  -rwx {size:>12}  Mar 1 1993 00:03:21 +00:00  {name}")
    if image_dir is not None:
        rows.append(f"{len(files) + 2:>6}  drwx          512  Mar 1 1993 00:04:10 +00:00  {image_dir}")
    rows.append(f"{len(files) + 3:>6}  -rwx         {len(dev.name)}  Mar 1 1993 00:05:00 +00:00  crashinfo")
    total = 122_185_728
    nested = _ios_image_dir(dev, image_dir, len(files) + 4) if recursive and image_dir else []
    head = "Directory of flash:/*" if recursive else "Directory of flash:/"
    return [head, "", *rows, "", *nested, f"{total} bytes total ({_free(total)} bytes free)"]


def _ios_image_dir(dev: Device, image_dir: str, index: int) -> list[str]:
    """An extracted image's directory (`archive download-sw`): the image, its info file, html/."""
    image, when = f"{image_dir}.bin", "Mar 1 1993 00:04:10 +00:00"
    return [
        f"Directory of flash:/{image_dir}/",
        "",
        f"{index:>6}  drwx         4096  {when}  html",
        f"{index + 1:>6}  -rwx {_size(image, 20_000_000, 30_000_000):>12}  {when}  {image}",
        f"{index + 2:>6}  -rwx          {len(image) * 13}  {when}  info",
        "",
        f"Directory of flash:/{image_dir}/html/",
        "",
        f"{index + 3:>6}  -rwx {_size(image + 'h', 2_000, 9_000):>12}  {when}  homepage.htm",
        "",
    ]


def ios_boot(dev: Device) -> list[str]:
    boot = _ios_boot_file(dev)
    if boot.endswith("packages.conf"):  # IOS-XE 16: the Gibraltar/Fuji layout, per member
        return [
            "---------------------------",
            "Switch 1",
            "---------------------------",
            "Current Boot Variables:",
            f"BOOT variable = {boot};",
            "",
            "Boot Variables on next reload:",
            f"BOOT variable = {boot};",
            "Manual Boot = no",
            "Enable Break = no",
        ]
    return [
        f"BOOT path-list      : {boot.replace(':/', ':', 1)}",
        "Config file         : flash:/config.text",
        "Private Config file : flash:/private-config.text",
        "Enable Break        : no",
        "Manual Boot         : no",
        "HELPER path-list    : ",
        "Auto upgrade        : yes",
        "NVRAM/Config file",
        "      buffer size:   524288",
    ]


def _smart_licensing(dev: Device) -> bool:
    """The IOS-XE 16 layout (packages.conf) licenses by Smart Licensing: `show license` alone is
    incomplete there, `show license summary` lists the licences in use."""
    return _ios_boot_file(dev).endswith("packages.conf")


def ios_license_summary(dev: Device) -> list[str]:
    if not _smart_licensing(dev):
        return ios_license(dev)
    tag = dev.model.removeprefix("WS-").removesuffix("T").removesuffix("P")  # WS-C3850-24T: C3850-24
    return [
        "License Usage:",
        "  License                 Entitlement Tag               Count Status",
        "  " + "-" * 77,
        f"  {'network-advantage':<23} {'(' + tag + ' Network Advan...)':<33} 1 IN USE",
        f"  {'dna-advantage':<23} {'(' + tag + ' DNA Advantage)':<33} 1 IN USE",
    ]


def ios_license(dev: Device) -> list[str]:
    if _smart_licensing(dev):
        from netkb.lab.platforms.ios_configmode import Incomplete

        raise Incomplete
    features = [("ipservices", "Permanent", "Active, In Use"), ("ipbase", "Permanent", "Active, Not in Use")]
    lines = []
    for i, (name, kind, state) in enumerate(features, start=1):
        lines += [
            f"Index {i} Feature: {name:<30}",
            "        Period left: Life time",
            f"        License Type: {kind}",
            f"        License State: {state}",
            "        License Count: Non-Counted",
            "        License Priority: Medium",
        ]
    return lines


def ios_vtp_status(dev: Device) -> list[str]:
    """The lab's Catalysts run `vtp mode transparent` (lab/platforms/ios_config.py)."""
    return [
        "VTP Version capable             : 1 to 3",
        "VTP version running             : 1",
        "VTP Domain Name                 : ",
        "VTP Pruning Mode                : Disabled",
        "VTP Traps Generation            : Disabled",
        f"Device ID                       : {dev.bridge_mac.replace('-', '.')}",
        "Configuration last modified by 0.0.0.0 at 0-0-00 00:00:00",
        "",
        "Feature VLAN:",
        "--------------",
        "VTP Operating Mode                : Transparent",
        "Maximum VLANs supported locally   : 1005",
        f"Number of existing VLANs          : {len(dev.vlans) + 4}",
        "Configuration Revision            : 0",
        "MD5 digest                        : 0x57 0xCD 0x40 0x65 0x63 0x59 0x47 0xBD ",
        "                                    0x56 0x9D 0x4A 0x3E 0xA5 0x69 0x35 0xBC ",
    ]


# --- Ruijie RGOS ---------------------------------------------------------------------------


def rgos_dir(dev: Device) -> list[str]:
    """RGOS 11's own layout (`Mode Link Size MTime Name`, `<DIR>`, ISO dates, a count line); the
    main program is `rgos.bin` whatever the release, its size follows the software."""
    files = [
        ("config.text", _size(dev.name, 3_000, 12_000)),
        ("rgos.bin", _size(dev.software, 40_000_000, 90_000_000)),
    ]
    rows = [
        "      Mode Link       Size                MTime Name",
        "---------- ---- ---------- ------------------- --------",
        "     <DIR>    2          0 1970-01-01 00:00:00 dev/",
        *(f"           1 {size:>10} 2023-06-28 11:00:00 {name}" for name, size in files),
        "     <DIR>    3          0 2023-06-28 11:00:00 syslog/",
    ]
    total = 264_241_152
    free = _free(total)
    return [
        "Directory of flash:/",
        "",
        *rows,
        "",
        f"{len(files)} files, 2 directories",
        f"{total:,} bytes data total ({free:,} bytes free)",
        f"{total * 2:,} bytes flash total ({free:,} bytes free)",
    ]


# The command tables of each platform's CLI take these (lab/platforms/<platform>.py).
COMWARE = {"dir": comware_dir, "display startup": comware_startup, "display boot-loader": comware_boot_loader}
IOS = {
    "dir": ios_dir,
    "dir /recursive": lambda dev: ios_dir(dev, recursive=True),
    "show boot": ios_boot,
    "show license": ios_license,
    "show license summary": ios_license_summary,
    "show vtp status": ios_vtp_status,
}
