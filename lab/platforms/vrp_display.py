"""VRP `display` renderers for the system and hardware: version, device, power, fan, temperature,
CPU, memory, clock, NTP, log buffer, startup, ESN. Shapes follow the real outputs listed in
tests/lab/reference/vrp/SOURCES.md.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from netkb.lab.model import Device, TempSensor
from netkb.lab.platforms.vrp_common import (
    NL,
    TZ_NAME,
    family,
    hw_model,
    image_file,
    iso_stamp,
    local_time,
    release,
    uptime_text,
    vrp_version,
)

_COPYRIGHT_YEAR = {10: 2016, 11: 2017, 12: 2018, 13: 2019, 19: 2020, 20: 2021, 21: 2022, 22: 2023}


def _stable(dev: Device, what: str, modulo: int) -> int:
    """A per-device number that does not move between reads (a serial-like constant)."""
    return int(hashlib.sha256(f"{dev.name}\0{what}".encode()).hexdigest(), 16) % modulo


def display_version(dev: Device) -> str:
    m = re.search(r"R(\d{3})", release(dev))
    year = _COPYRIGHT_YEAR.get(int(m.group(1)) if m else 19, 2020)
    mpu = next((b for b in dev.boards if b.is_mpu), None)
    board = mpu.kind if mpu is not None else hw_model(dev)
    slot = mpu.slot if mpu is not None else 0
    up = dev.uptime_seconds()
    lines = [
        "Huawei Versatile Routing Platform Software",
        f"VRP (R) software, Version {vrp_version(dev)} ({family(dev)} {release(dev)})",
        f"Copyright (C) 2000-{year} HUAWEI TECH CO., LTD",
        f"HUAWEI {dev.model} Routing Switch uptime is {uptime_text(up)}",
        "",
        f"{board} {slot}(Master)  : uptime is {uptime_text(max(0, up - 60))}",
        f"DDR    Memory Size      : {dev.memory_mb:<11}M bytes",
        f"FLASH  Memory Size      : {'241':<11}M bytes",
        "Pcb           Version   : VER.B",
        "BootROM       Version   : 020a.0001",
        "BootLoad      Version   : 020a.0001",
        f"Software      Version   : VRP (R) Software, Version {vrp_version(dev)} ({release(dev)})",
    ]
    return NL.join(lines) + NL


def _device_row(slot: str, sub: str, kind: str, status: str, role: str, power_fault: bool = False) -> str:
    if status == "Absent":
        state = f"{'Absent':<10}{'-':<9}{'Unregistered':<13}{'-':<9}"
    elif status == "Fault":
        power = "PowerOff" if power_fault else "PowerOn"
        state = f"{'Present':<10}{power:<9}{'Registered':<13}{'Abnormal':<9}"
    else:
        state = f"{'Present':<10}{'PowerOn':<9}{'Registered':<13}{'Normal':<9}"
    return f"{slot:<5}{sub:<5}{kind:<23}{state}{role}"


def display_device(dev: Device) -> str:
    lines = [
        f"{dev.model}'s Device status:",
        "Slot Sub  Type                   Online    Power    Register     Status   Role  ",
        "-" * 79,
    ]
    mpus = [b for b in dev.boards if b.is_mpu] or []
    if not mpus:
        lines.append(_device_row("0", "-", hw_model(dev), "Normal", "Master"))
    cards = [b for b in dev.boards if not b.is_mpu]
    for i, mpu in enumerate(mpus):
        lines.append(_device_row(str(mpu.slot), "-", mpu.kind, mpu.status, "Master" if i == 0 else "Standby"))
        for card in cards:
            home = card.chassis if card.chassis is not None else mpus[0].slot
            if home == mpu.slot:
                lines.append(_device_row("", str(card.slot), card.kind, card.status, "NA"))
        if i == 0:
            # A missing power module or fan leaves no row; an installed one that fails shows Abnormal.
            for psu in dev.power_supplies:
                if psu.status != "Absent":
                    lines.append(
                        _device_row("", f"PWR{psu.index}", "POWER", psu.status, "NA", power_fault=True)
                    )
            for fan in dev.fans:
                if fan.status != "Absent":
                    lines.append(_device_row("", f"FAN{fan.index}", "FAN", fan.status, "NA"))
    return NL.join(lines) + NL


def display_power(dev: Device) -> str:
    lines = ["-" * 60, " Slot    PowerID  Online   Mode   State      Power(W)", "-" * 60]
    for psu in dev.power_supplies:
        if psu.status == "Absent":
            cells = f"{'Absent':<9}{'-':<7}{'-':<11}-"
        else:
            state = "Supply" if psu.status == "Normal" else "NotSupply"
            cells = f"{'Present':<9}{'AC':<7}{state:<11}{psu.watts:<11.2f}"
        lines.append(f" {'0':<8}{'PWR' + str(psu.index):<9}{cells}")
    return NL.join(lines) + NL


def display_fan(dev: Device) -> str:
    lines = [
        " Slot  FanID   Online    Status    Speed     Mode     Airflow            ",
        "-" * 73,
    ]
    for fan in dev.fans:
        if fan.status == "Absent":
            cells = f"{'Absent':<10}{'-':<10}{'-':<10}{'-':<9}-"
        else:
            speed = f"{min(100, round(fan.speed_rpm / 60))}%" if fan.status == "Normal" else "0%"
            status = "Normal" if fan.status == "Normal" else "Abnormal"
            cells = f"{'Present':<10}{status:<10}{speed:<10}{'Auto':<9}Side-to-Back"
        lines.append(f" {'0':<6}{fan.index:<8}{cells}")
    return NL.join(lines) + NL


def display_temperature(dev: Device) -> str:
    rule = "-" * 79
    lines = [
        rule,
        " Slot  Card  Sensor Status    Current(C) Lower(C) Lower     Upper(C) Upper",
        " " * 50 + "Resume(C)          Resume(C)",
        rule,
    ]
    for sensor in dev.sensors:
        lines.append(_temperature_row(dev, sensor))
    return NL.join(lines) + NL


def _temperature_row(dev: Device, sensor: TempSensor) -> str:
    now = dev.sensor_celsius(sensor)
    status = "Normal" if sensor.lower <= now < sensor.warning else "Abnormal"
    return (
        f" {sensor.slot:<6}{'NA':<6}{'NA':<7}{status:<11}{now:<10}{sensor.lower:<9}"
        f"{sensor.lower + 4:<10}{sensor.warning:<9}{sensor.warning - 4}"
    )


def display_cpu_usage(dev: Device) -> str:
    five_s, one_m, five_m = dev.cpu_percent()
    peak = max(five_s, 25 + _stable(dev, "cpu-max", 40))
    peak_at = dev.boot_time + 3600 + _stable(dev, "cpu-max-at", 86400)
    if peak_at > dev.now():
        peak_at = dev.now() - 60
    now = local_time(dev.now())
    idle = 100 - five_s
    tasks = [
        ("VIDL", idle, "DOPRA IDLE"),
        ("OS", max(0, five_s - 3), "Operation System"),
        ("VPR", min(five_s, 1), "Virtual Path RX"),
        ("SOCK", min(five_s, 1), "Packet schedule and process"),
        ("FTS", min(five_s, 1), "Forward task"),
    ]
    lines = [
        "CPU Usage Stat. Cycle: 60 (Second)",
        f"CPU Usage            : {five_s}% Max: {peak}%",
        f"CPU Usage Stat. Time : {now:%Y-%m-%d  %H:%M:%S} ",
        f"CPU utilization for five seconds: {five_s}%: one minute: {one_m}%: five minutes: {five_m}%",
        f"Max CPU Usage Stat. Time : {local_time(peak_at):%Y-%m-%d %H:%M:%S}.",
        "",
        "TaskName        CPU  Runtime(CPU Tick High/Tick Low)  Task Explanation",
    ]
    for name, pct, what in tasks:
        ticks = (int(dev.now()) * (pct + 1) * 977) & 0xFFFFFFFF
        lines.append(f"{name:<15}{pct:>3}%{'':9}0/{ticks:8x}       {what}")
    return NL.join(lines) + NL


def display_memory_usage(dev: Device) -> str:
    total = dev.memory_mb * 1024 * 1024
    used = dev.memory_used_mb() * 1024 * 1024 + dev.rng.randint(0, 1024 * 1024)
    lines = [
        f" Memory utilization statistics at {iso_stamp(dev.now())}",
        f" System Total Memory Is: {total} bytes",
        f" Total Memory Used Is: {used} bytes",
        f" Memory Using Percentage Is: {used * 100 // total}%",
    ]
    return NL.join(lines) + NL


def display_clock(dev: Device) -> str:
    now = local_time(dev.now())
    return NL.join([f"{now:%Y-%m-%d %H:%M:%S}+08:00", f"{now:%A}", f"Time Zone({TZ_NAME}) : UTC+08:00"]) + NL


def display_ntp_status(dev: Device) -> str:
    servers = dev.secrets.ntp_servers
    if not servers:
        lines = [
            " clock status: unsynchronized ",
            " clock stratum: 16 ",
            " reference clock ID: none",
            " nominal frequency: 100.0000 Hz ",
            " actual frequency: 100.0000 Hz ",
            " clock precision: 2^18",
            " clock offset: 0.0000 ms ",
            " root delay: 0.00 ms ",
            " root dispersion: 0.00 ms ",
            " peer dispersion: 0.00 ms ",
            " reference time: 00:00:00.000 UTC Jan 1 1900(00000000.00000000)",
        ]
        return NL.join(lines) + NL
    synced = dev.now() - dev.rng.randint(16, 1024)
    utc = datetime.fromtimestamp(synced, tz=UTC)
    ntp_seconds = int(synced) + 2208988800  # NTP counts from 1900
    reference = (
        f"{utc:%H:%M:%S}.{utc.microsecond // 1000:03d} UTC {utc:%b} {utc.day} {utc.year}"
        f"({ntp_seconds:08X}.{int((synced % 1) * 2**32):08X})"
    )
    lines = [
        " clock status: synchronized ",
        " clock stratum: 3 ",
        f" reference clock ID: {servers[0].address}",
        " nominal frequency: 100.0000 Hz ",
        " actual frequency: 100.0000 Hz ",
        " clock precision: 2^18",
        f" clock offset: {dev.rng.uniform(-2, 2):.4f} ms ",
        f" root delay: {dev.rng.uniform(1, 12):.2f} ms ",
        f" root dispersion: {dev.rng.uniform(5, 80):.2f} ms ",
        f" peer dispersion: {dev.rng.uniform(1, 20):.2f} ms ",
        f" reference time: {reference}",
        " synchronization state: clock set ",
    ]
    return NL.join(lines) + NL


# Modules whose records VRP files as security logs `(s)`; the rest are ordinary logs `(l)`.
_SECURITY_MODULES = {"SHELL", "SSH", "CFM", "AAA", "TELNET", "SNMP"}


def display_logbuffer(dev: Device) -> str:
    entries = dev.logbuffer
    lines = [
        "Logging buffer configuration and contents : enabled",
        "Allowed max buffer size : 1024",
        "Actual buffer size : 512",
        "Channel number : 4 , Channel name : logbuffer",
        "Dropped messages : 0",
        "Overwritten messages : 0",
        f"Current messages : {len(entries)}",
        "",
    ]
    # Newest first, each with the running sequence number VRP keeps per log type.
    for seq, entry in reversed(list(enumerate(entries))):
        kind = "s" if entry.module in _SECURITY_MODULES else "l"
        when = local_time(entry.when)
        lines.append(
            f"{when:%b %d %Y %H:%M:%S}+08:00 {dev.name} %%01{entry.module}/{entry.severity}/"
            f"{entry.mnemonic}({kind})[{seq}]:{entry.text}"
        )
    return NL.join(lines) + NL


def display_startup(dev: Device) -> str:
    image = image_file(dev)
    rows = [
        ("Configured startup system software:", image),
        ("Startup system software:", image),
        ("Next startup system software:", image),
        ("Startup saved-configuration file:", "flash:/vrpcfg.zip"),
        ("Next startup saved-configuration file:", "flash:/vrpcfg.zip"),
        ("Startup paf file:", "default"),
        ("Next startup paf file:", "default"),
        ("Startup license file:", "default"),
        ("Next startup license file:", "default"),
        ("Startup patch package:", "NULL"),
        ("Next startup patch package:", "NULL"),
    ]
    return NL.join(["MainBoard: ", *(f"  {label:<43}{value}" for label, value in rows)]) + NL


def display_esn(dev: Device) -> str:
    return f"ESN of slot 0: {dev.serial}" + NL
