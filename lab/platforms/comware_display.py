"""Comware system `display` renderers: version, hardware, CPU/memory, clock, NTP, logs, IRF, WLAN.

Each takes the device and returns the output lines; the samples they follow are listed in
tests/lab/reference/comware/SOURCES.md.
"""

from __future__ import annotations

import hashlib

from netkb.lab.model import Board, Device, FanTray, Fault, PowerSupply
from netkb.lab.platforms.comware_text import mac_dotted, uptime_text

COPYRIGHT7 = "Copyright (c) 2004-2023 New H3C Technologies Co., Ltd. All rights reserved."
COPYRIGHT5 = "Copyright (c) 2004-2013 Hangzhou H3C Tech. Co., Ltd. All rights reserved."


def release(dev: Device) -> str:
    return dev.software.split("Release")[-1].strip()


def _present(dev: Device) -> list[Board]:
    return [b for b in dev.boards if b.status != "Absent"] or [Board(1, dev.model, is_mpu=True)]


def slot_label(board: Board) -> str:
    return f"Chassis {board.chassis} Slot {board.slot}" if board.chassis is not None else f"Slot {board.slot}"


def _stable(dev: Device, text: str, modulo: int) -> int:
    return int(hashlib.sha256(f"{dev.name}|{text}".encode()).hexdigest(), 16) % modulo


def _manufactured(dev: Device, text: str) -> str:
    year = 2018 + _stable(dev, text, 5)
    return f"{year}-{1 + _stable(dev, text + 'm', 12):02d}-{1 + _stable(dev, text + 'd', 28):02d}"


# --- display version ------------------------------------------------------------------


def version(dev: Device) -> list[str]:
    return _version7(dev) if dev.os_major >= 7 else _version5(dev)


def _version7(dev: Device) -> list[str]:
    rel = release(dev)
    image = dev.model.split()[-1].lower().split("-")[0]
    reason = "Cold reboot" if Fault.REBOOT in dev.faults else "User reboot"
    lines = [
        f"H3C Comware Software, Version {dev.software}",
        COPYRIGHT7,
        f"H3C {dev.model} uptime is {uptime_text(dev)}",
        f"Last reboot reason : {reason}",
        "",
        f"Boot image: flash:/{image}-cmw710-boot-r{rel.lower()}.bin",
        f"Boot image version: {dev.software}",
        "  Compiled Jun 28 2023 11:00:00",
        f"System image: flash:/{image}-cmw710-system-r{rel.lower()}.bin",
        f"System image version: {dev.software}",
        "  Compiled Jun 28 2023 11:00:00",
        "",
    ]
    compact = uptime_text(dev).replace(", ", ",")
    for board in _present(dev):
        if board.chassis is not None and not board.is_mpu:
            head = f"LPU {slot_label(board)}:"
        elif board.chassis is not None:
            head = f"MPU({'M' if board.slot == 0 else 'S'}) {slot_label(board)}:"
        else:
            head = f"{slot_label(board)}:"
        lines += [
            head,
            f"Uptime is {compact}",
            f"{dev.model} {'MPU' if board.is_mpu else 'LPU'} with 1 Processor",
            f"BOARD TYPE:         {board.kind}",
            f"DRAM:               {dev.memory_mb if board.is_mpu else 512}M bytes",
            f"FLASH:              {1024 if board.is_mpu else 0}M bytes",
            "PCB 1 Version:      VER.B",
            "Bootrom Version:    165",
            "CPLD 1 Version:     003",
            f"Release Version:    H3C {dev.model.split()[-1]}-{rel}",
            "Patch Version  :    None",
            f"Reboot Cause  :     {reason.title().replace(' ', '')}",
            f"[SubSlot 0] {board.ports or 48}GE",
            "",
        ]
    return lines


def _version5(dev: Device) -> list[str]:
    return [
        "H3C Comware Platform Software",
        f"Comware Software, Version {dev.software}",
        COPYRIGHT5,
        f"H3C {dev.model} uptime is {uptime_text(dev)}",
        "",
        f"H3C {dev.model}",
        f"{dev.memory_mb}M    bytes DRAM",
        "128M    bytes Nand Flash Memory",
        "Config Register points to Nand Flash",
        "",
        "Hardware Version is REV.A",
        "CPLD Version is 002",
        "Bootrom Version is 169",
        "[SubSlot 0] 48GE+4SFP Hardware Version is REV.A",
    ]


# --- display device / manuinfo --------------------------------------------------------


def _board_state(dev: Device, board: Board) -> str:
    if board.status in ("Fault", "Absent"):
        return board.status
    if board.is_mpu:
        mpus = [b for b in dev.boards if b.is_mpu and b.status == "Normal"]
        return "Master" if mpus and board is mpus[0] else "Standby"
    return "Normal"


def device(dev: Device) -> list[str]:
    rel = release(dev)
    if dev.os_major < 7:
        lines = ["Slot 1", "SubSNo PortNum PCBVer FPGAVer CPLDVer BootRomVer AddrLM Type      State"]
        for board in dev.boards or [Board(1, dev.model, ports=52)]:
            state = board.status if board.status != "Normal" else "Normal"
            lines.append(
                f"{0:<7}{board.ports or 52:<8}{'REV.A':<7}{'NULL':<8}{'002':<8}{'169':<11}{'IVL':<7}"
                f"{'MAIN':<10}{state}"
            )
        return lines
    chassis = any(b.chassis is not None for b in dev.boards)
    head = "Slot Type             State    Subslot  Soft Ver                 Patch Ver"
    lines = [("Chassis " + head) if chassis else head]
    for board in dev.boards or [Board(1, dev.model, is_mpu=True)]:
        absent = board.status == "Absent"
        kind = "NONE" if absent else board.kind
        soft = "NONE" if absent else f"{dev.model.split()[-1]}-{rel}"
        row = f"{board.slot:<5}{kind:<17}{_board_state(dev, board):<9}{0:<9}{soft:<25}{'None'}"
        lines.append(f"{board.chassis:<8}{row}" if chassis else row)
    return lines


def manuinfo(dev: Device) -> list[str]:
    def block(name: str, serial: str, mac: str | None = None) -> list[str]:
        lines = [f"DEVICE_NAME          : {name}", f"DEVICE_SERIAL_NUMBER : {serial}"]
        if mac is not None:
            lines.append(f"MAC_ADDRESS          : {mac.upper()}")
        return [*lines, f"MANUFACTURING_DATE   : {_manufactured(dev, serial)}", "VENDOR_NAME          : H3C"]

    mac = mac_dotted(dev.bridge_mac or "00e0-fc00-5800")
    if dev.os_major < 7:
        return ["Slot 1:", *block(dev.model, dev.serial, mac)]
    lines: list[str] = []
    chassis = any(b.chassis is not None for b in dev.boards)
    if chassis:
        lines += ["Chassis 1:", "Chassis self:", *block(dev.model, dev.serial, mac)]
    for board in dev.boards:
        if board.status == "Absent":
            continue
        label = f"Slot {board.slot} CPU 0:" if chassis else f" Slot {board.slot} CPU 0:"
        lines += [label, *block(board.kind, board.serial or dev.serial, mac if board.is_mpu else None)]
    for fan in dev.fans:
        if fan.status != "Absent":
            lines += [f"Fan {fan.index}:", *block("LSPM1FANSA", f"{dev.serial[:12]}F{fan.index:03d}")]
    for psu in dev.power_supplies:
        if psu.status != "Absent":
            lines += [
                f"Power {psu.index}:",
                *block(f"PSR{psu.watts}-12A", f"{dev.serial[:12]}P{psu.index:03d}"),
            ]
    return lines


# --- power / fan / environment --------------------------------------------------------


def _member(dev: Device) -> int:
    return dev.irf[0].member if dev.irf else 1


def _unit_states(dev: Device, units: list[PowerSupply] | list[FanTray], label: str) -> list[str]:
    """`display power` / `display fan`: the same table for both kinds of unit."""
    if dev.os_major < 7:
        lines = [" Unit 1"]
        for unit in units:
            lines += [f" {label}{unit.index}", f" State    : {unit.status}"]
        return lines
    lines = [f"Device Info on Slot {_member(dev)}:", "Device ID.  Status"]
    return lines + [f" {unit.index:<11}{unit.status}" for unit in units]


def power(dev: Device) -> list[str]:
    return _unit_states(dev, dev.power_supplies, "Power ")


def fan(dev: Device) -> list[str]:
    return _unit_states(dev, dev.fans, "Fan   ")


def environment(dev: Device) -> list[str]:
    readings = [(s, dev.sensor_celsius(s)) for s in dev.sensors]
    if dev.os_major < 7:
        lines = [
            " System temperature information (degree centigrade):",
            " ----------------------------------------------------",
            " SlotNo  Sensor       Temperature  Lower  Upper",
        ]
        return lines + [f" {s.slot:<8}{s.name:<13}{c:<13}{s.lower:<7}{s.warning}" for s, c in readings]
    lines = [
        "System temperature information (degree centigrade):",
        "-------------------------------------",
        "Slot  Sensor    Temperature LowerLimit WarningLimit AlarmLimit",
    ]
    chassis = {b.slot: b.chassis for b in dev.boards}
    for sensor, celsius in readings:
        where = f"{chassis.get(sensor.slot)}/{sensor.slot}" if chassis.get(sensor.slot) else str(sensor.slot)
        lines.append(
            f" {where:<5}{sensor.name:<12}{celsius:<13}{sensor.lower:<12}{sensor.warning:<12}"
            f"{sensor.alarm:<14}"
        )
    return lines


# --- cpu / memory ---------------------------------------------------------------------


def cpu_usage(dev: Device) -> list[str]:
    if dev.os_major < 7:
        five_s, one_m, five_m = dev.cpu_percent()
        return [
            "Unit CPU usage:",
            f"{five_s:>7}% in last 5 seconds",
            f"{one_m:>7}% in last 1 minute",
            f"{five_m:>7}% in last 5 minutes",
        ]
    lines: list[str] = []
    for board in _present(dev):
        if board.status == "Fault":
            continue
        five_s, one_m, five_m = dev.cpu_percent()
        if lines:
            lines.append("")
        lines += [
            f"{slot_label(board)} CPU 0 CPU usage:",
            f"{five_s:>8}% in last 5 seconds",
            f"{one_m:>8}% in last 1 minute",
            f"{five_m:>8}% in last 5 minutes",
        ]
    return lines


def memory(dev: Device) -> list[str]:
    total_kb = dev.memory_mb * 1024
    if dev.os_major < 7:
        used = dev.memory_used_mb() * 1024 * 1024
        return [
            f"System Total Memory(bytes): {total_kb * 1024}",
            f"Total Used Memory(bytes): {used}",
            f"Used Rate: {round(used * 100 / (total_kb * 1024))}%",
        ]
    lines = ["Memory statistics are measured in KB:"]
    for board in _present(dev):
        if not board.is_mpu or board.status == "Fault":
            continue
        used = dev.memory_used_mb() * 1024
        buffers, cached = total_kb // 1500, total_kb // 12
        free = total_kb - used - buffers - cached
        lines += [
            f"{slot_label(board)}: ",
            "             Total      Used      Free    Shared   Buffers    Cached   FreeRatio",
            f"Mem:{total_kb:>14}{used + buffers + cached:>10}{free:>10}{0:>10}{buffers:>10}{cached:>10}"
            f"{free * 100 / total_kb:>11.1f}%",
            f"-/+ Buffers/Cache:{used:>10}{total_kb - used:>10}",
            f"Swap:{0:>13}{0:>10}{0:>10}",
            "",
        ]
    return lines[:-1]


# --- IRF / WLAN -----------------------------------------------------------------------


def irf(dev: Device) -> list[str]:
    members = dev.irf
    bridge = mac_dotted(dev.bridge_mac or "00e0-fc0f-8c00")
    lines = ["MemberID    Role    Priority  CPU-Mac         Description"]
    if not members:
        lines.append(f" *+1        Master  1         {bridge[:-2]}04  ---")
    for i, member in enumerate(members):
        mark = " *+" if i == 0 else "   "
        cpu_mac = mac_dotted(member.bridge_mac or bridge)[:-2] + f"{member.member:02d}04"[-2:]
        lines.append(f"{mark}{member.member:<9}{member.role:<8}{member.priority:<10}{cpu_mac}  ---")
    return [
        *lines,
        "--------------------------------------------------",
        " * indicates the device is the master.",
        " + indicates the device through which the user logs in.",
        "",
        f" The bridge MAC of the IRF is: {bridge}",
        " Auto upgrade                : yes",
        " Mac persistent              : 6 min",
        " Domain ID                   : 0",
    ]


def wlan_ap_all(dev: Device) -> list[str]:
    online = [ap for ap in dev.aps if ap.online]
    lines = [
        f"Total number of APs: {len(dev.aps)}",
        f"Total number of connected APs: {len(online)}",
        f"Total number of connected manual APs: {len(online)}",
        "Total number of connected auto APs: 0",
        f"Total number of connected common APs: {len(online)}",
        "Total number of connected WTUs: 0",
        "Total number of inside APs: 0",
        "Maximum supported APs: 1536",
        f"Remaining APs: {1536 - len(dev.aps)}",
        "Total AP licenses: 768",
        "Local AP licenses: 768",
        "Server AP licenses: 0",
        f"Remaining Local AP licenses: {768 - len(online)}",
        "Sync AP licenses: 0",
        "",
        "                                 AP information",
        " State : I = Idle,      J  = Join,       JA = JoinAck,    IL = ImageLoad",
        "         C = Config,    DC = DataCheck,  R  = Run,   M = Master,  B = Backup",
        " Online time : Day:Hour:Minute:Second ",
        "",
        "AP name                        APID State Model           Serial ID            Group name"
        "             Online time   Clients Mode  IP address",
    ]
    up = dev.uptime_seconds()
    for apid, ap in enumerate(dev.aps, start=1):
        seconds = max(0, up - 600 - _stable(dev, ap.name, 3600)) if ap.online else 0
        days, rest = divmod(seconds, 86400)
        online_time = (
            f"{days}:{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}" if ap.online else "--"
        )
        state = "R/M" if ap.online else "I"
        ip = ap.ip if ap.online else "--"
        clients = _stable(dev, ap.name + "c", 30) if ap.online else 0
        lines.append(
            f"{ap.name:<31}{apid:<6}{state:<5}{ap.model:<16}{ap.serial:<21}{ap.group:<23}"
            f"{online_time:<14}{clients:<8}{'Fit':<6}{ip}"
        )
    return lines
