"""`show` renderers for hardware and system state of the Catalyst 2960X (IOS 15.2) / 3850 (IOS-XE 16)
(`show version` is in ios_show_version.py).

Each function takes the device (and network), returns lines without "\r\n". Column layouts follow
the real samples under tests/lab/reference/ios/ (sources in SOURCES.md).
"""

from __future__ import annotations

import hashlib

from netkb.lab.model import Device
from netkb.lab.platforms.ios_config import is_xe, ordered_interfaces


def hex_of(dev: Device, what: str, n: int) -> str:
    return hashlib.sha256(f"{dev.name}:{what}".encode()).hexdigest()[:n].upper()


def serial_of(dev: Device, what: str, prefix: str = "FOC") -> str:
    return prefix + hex_of(dev, what, 8)


def mac_of(dev: Device) -> str:
    raw = (
        (dev.bridge_mac or hex_of(dev, "mac", 12)).replace("-", "").replace(":", "").replace(".", "").lower()
    )
    raw = (raw + "0" * 12)[:12]
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


def _psu_pid(watts: int) -> str:
    # Catalyst 3850 power supplies come in three sizes; round the model's wattage to one of them.
    return f"PWR-C1-{next((w for w in (350, 715, 1100) if watts <= w), 1100)}WAC"


def show_inventory(dev: Device) -> list[str]:
    serial = dev.serial or serial_of(dev, "chassis")
    entries: list[tuple[str, str, str, str, str]] = []
    if is_xe(dev):
        entries.append(("c38xx Stack", "c38xx Stack", dev.model, "V07", serial))
    entries.append(("1" if not is_xe(dev) else "Switch 1", dev.model, dev.model, "V04", serial))
    for board in dev.boards:
        if board.status == "Absent" or board.is_mpu:
            continue
        name = f"Switch 1 FRU Uplink Module {board.slot}" if is_xe(dev) else f"Switch 1 - Module {board.slot}"
        entries.append(
            (name, f"{board.kind} Module", board.kind, "V01", board.serial or serial_of(dev, board.kind))
        )
    if is_xe(dev):
        for psu in dev.power_supplies:
            if psu.status == "Absent":
                continue
            letter = "AB"[(psu.index - 1) % 2] if psu.index else "AB"[0]
            name = f"Switch 1 - Power Supply {letter}"
            entries.append((name, name, _psu_pid(psu.watts), "V02", serial_of(dev, f"psu{psu.index}", "DCB")))
    for iface in ordered_interfaces(dev):
        if iface.name.startswith("TenGigabitEthernet") and iface.cabled:
            entries.append(
                (iface.name, "SFP-10GBase-SR", "SFP-10G-SR", "V03", serial_of(dev, iface.name, "FNS"))
            )
    out = []
    for name, descr, pid, vid, sn in entries:
        out += [f'NAME: "{name}", DESCR: "{descr}"', f"PID: {pid:<19}, VID: {vid:<5}, SN: {sn}", ""]
    return out


def _temp_state(dev: Device, sensor) -> tuple[int, str]:
    value = dev.sensor_celsius(sensor)
    state = "GREEN" if value < sensor.warning else "YELLOW" if value < sensor.alarm else "RED"
    return value, state


def show_environment(dev: Device) -> list[str]:
    """`show environment all`: fans, temperature, power (3850 per-switch layout or 2960X summary)."""
    return _xe_environment(dev) if is_xe(dev) else _classic_environment(dev)


def _xe_environment(dev: Device) -> list[str]:
    """The 3850's per-switch layout: each fan, each sensor with its thresholds, the supply table."""
    out: list[str] = []
    fan_word = {"Normal": "OK", "Fault": "FAULTY", "Absent": "NOT PRESENT"}
    out += [f"Switch 1 FAN {fan.index} is {fan_word[fan.status]}" for fan in dev.fans]
    for psu in dev.power_supplies:
        out.append(f"FAN PS-{psu.index} is {'NOT PRESENT' if psu.status == 'Absent' else 'OK'}")
    readings = [(s, *_temp_state(dev, s)) for s in dev.sensors]
    worst = "OK" if all(st == "GREEN" for _, _, st in readings) else "WARNING"
    out.append(f"Switch 1: SYSTEM TEMPERATURE is {worst}")
    for i, (sensor, value, state) in enumerate(readings):
        label = _sensor_label(sensor.name, i)
        if i:
            out.append("")
        out += [
            f"{label} Temperature Value: {value} Degree Celsius",
            f"Temperature State: {state}",
            f"Yellow Threshold : {sensor.warning} Degree Celsius",
            f"Red Threshold    : {sensor.alarm} Degree Celsius",
        ]
    out += [
        "SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts",
        "--  ------------------  ----------  ---------------  -------  -------  -----",
    ]
    for psu in dev.power_supplies:
        letter = "AB"[(psu.index - 1) % 2] if psu.index else "A"
        if psu.status == "Absent":
            out.append(f"1{letter}  Not Present")
            continue
        ok = psu.status == "Normal"
        status, good = ("OK", "Good") if ok else ("No Input Power", "Bad")
        serial = serial_of(dev, f"psu{psu.index}", "DCB")
        out.append(
            f"1{letter:<3}{_psu_pid(psu.watts):<20}{serial:<13}{status:<16}{good:<9}{good:<9}{psu.watts}"
        )
    return out


def _classic_environment(dev: Device) -> list[str]:
    """The 2960X's summary: one line each for fans, temperature and power, then the RPS."""
    out: list[str] = []
    fans_ok = all(fan.status == "Normal" for fan in dev.fans)
    out.append(f"FAN is {'OK' if fans_ok else 'FAULTY'}")
    if dev.sensors:
        value, state = _temp_state(dev, dev.sensors[0])
        out += [
            f"TEMPERATURE is {'OK' if state == 'GREEN' else 'FAULTY'}",
            f"Temperature Value: {value} Degree Celsius",
            f"Temperature State: {state}",
            f"Yellow Threshold : {dev.sensors[0].warning} Degree Celsius",
            f"Red Threshold    : {dev.sensors[0].alarm} Degree Celsius",
        ]
    power_ok = all(p.status == "Normal" for p in dev.power_supplies[:1])
    out += [
        f"POWER is {'OK' if power_ok else 'FAULTY'}",
        "SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts",
        "--  ------------------  ----------  ---------------  -------  -------  -----",
        f"1   Built-in                                         {'Good' if power_ok else 'Bad'}",
        "",
        "SW  Status          RPS Name          RPS Serial#  RPS Port#",
        "--  -------------   ----------------  -----------  ---------",
    ]
    rps = dev.power_supplies[1:2]
    if not rps or rps[0].status == "Absent":
        out.append("1   Not Present     <>                                       ")
    else:
        state = "Enabled" if rps[0].status == "Normal" else "Faulty"
        out.append(f"1   {state:<16}<>                {serial_of(dev, 'rps', 'FDO'):<13}1")
    return out


def _sensor_label(name: str, index: int) -> str:
    low = name.lower()
    if "hot" in low:
        return "Hotspot"
    if "in" in low:
        return "Inlet"
    if "out" in low:
        return "Outlet"
    return ("Inlet", "Hotspot")[index] if index < 2 else name.title()


_PROCESSES = [
    "Chunk Manager", "Load Meter", "SpanTree Helper", "Retransmission o", "IPC ISSU Dispatc",
    "RF Slave Main Th", "EDDRI_MAIN", "Check heaps", "Pool Manager", "DiscardQ Backgro",
    "Timers", "WATCH_AFS", "ARP Input", "ARP Background", "CEF MIB API", "AAA_SERVER_DEADT",
    "Policy Manager", "Entity MIB API", "PrstVbl", "RO Notify Timers", "Net Input",
    "Hulc LED Process", "HL3U bkgrd proce", "HRPC pm-counters", "Spanning Tree", "IP Input",
    "CDP Protocol", "OSPF-1 Router", "OSPF-1 Hello", "SNMP ENGINE", "SSH Process",
    "NTP", "Syslog Traps", "Per-Second Jobs", "Per-minute Jobs", "IP SNMP",
]  # fmt: skip


def show_processes_cpu(dev: Device, sort: bool = False) -> list[str]:
    five_sec, one_min, five_min = dev.cpu_percent()
    interrupt = max(0, five_sec // 5)
    up_ms = dev.uptime_seconds() * 1000
    hog = "Hulc LED Process" if five_sec < 80 else "IP Input"
    rows = []
    spare = max(0.0, five_sec - interrupt - 1.0)
    for pid, name in enumerate(_PROCESSES, start=1):
        weight = int(hex_of(dev, name, 2), 16)
        invoked = max(1, up_ms // (200 + weight * 40))
        runtime = up_ms // (800 + weight * 30) if weight % 3 == 0 else invoked // 50
        if name == hog:
            shares = (spare * 0.7, one_min * 0.6, five_min * 0.6)
        elif name in ("Spanning Tree", "ARP Input", "SSH Process"):
            shares = (spare * 0.1, one_min * 0.08, five_min * 0.08)
        else:
            shares = (0.0, 0.0, 0.0)
        usecs = runtime * 1000 // invoked
        rows.append((pid, runtime, invoked, usecs, *shares, 2 if name == "SSH Process" else 0, name))
    if sort:
        rows.sort(key=lambda row: (-row[4], -row[5], row[0]))
    out = [
        f"CPU utilization for five seconds: {five_sec}%/{interrupt}%; one minute: {one_min}%; "
        f"five minutes: {five_min}%",
        " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process ",
    ]
    for pid, runtime, invoked, usecs, s5, m1, m5, tty, name in rows:
        usage = f"{s5:>6.2f}%{m1:>6.2f}%{m5:>6.2f}%"
        out.append(f"{pid:>4}{runtime:>12}{invoked:>12}{usecs:>11}{usage}{tty:>4} {name:<16} ")
    return out


def _pools(dev: Device) -> list[tuple[str, int, int, int]]:
    """(pool, head, total, used) in bytes, following the model's memory figures."""
    total = int(dev.memory_mb * 1024 * 1024 * 0.58)
    used = int(total * dev.memory_used_mb() / dev.memory_mb)
    if is_xe(dev):
        return [("Processor", 0xFF8CD6F010, total, used), ("lsmpi_io", 0xFF86CBA1A8, 6295128, 6294304)]
    return [
        ("Processor", 0x3B5B8F8, total, used),
        ("I/O", 0x4400000, 12582912, 4895284),
        ("Driver te", 0x4B00000, 4194304, 40),
    ]


def show_memory_statistics(dev: Device) -> list[str]:
    out = ["                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)"]
    for name, head, total, used in _pools(dev):
        free = total - used
        out.append(
            f"{name:>9}  {head:>9X}{total:>12}{used:>12}{free:>12}{free - free // 97:>12}{free * 9 // 10:>12}"
        )
    return out


def show_processes_memory(dev: Device, sort: bool = False) -> list[str]:
    out = [
        f"{name:>9} Pool Total: {total:>10} Used: {used:>10} Free: {total - used:>10}"
        for name, _, total, used in _pools(dev)
    ]
    out += ["", " PID TTY  Allocated      Freed    Holding    Getbufs    Retbufs Process"]
    rows = []
    for pid, name in enumerate(["*Init*", *_PROCESSES], start=0):
        weight = int(hex_of(dev, "mem" + name, 4), 16)
        allocated = weight * 173 + 20000
        freed = allocated * (weight % 7) // 9
        rows.append((pid, allocated, freed, allocated - freed, name))
    if sort:
        rows.sort(key=lambda row: -row[3])
    for pid, allocated, freed, holding, name in rows:
        out.append(f"{pid:>4}{0:>4}{allocated:>11}{freed:>11}{holding:>11}{0:>11}{0:>11} {name}")
    out.append(f"{'':>26}{sum(r[3] for r in rows):>11} Total")
    return out


def show_switch(dev: Device) -> list[str]:
    """Stack members and their state (boards are the members; a faulty one drops out)."""
    mac = mac_of(dev).replace(":", "")
    dotted = f"{mac[0:4]}.{mac[4:8]}.{mac[8:12]}"
    out = [
        f"Switch/Stack Mac Address : {dotted} - Local Mac Address",
        "Mac persistency wait time: Indefinite",
        "                                             H/W   Current",
        "Switch#   Role    Mac Address     Priority Version  State ",
        "------------------------------------------------------------",
    ]
    members = [b for b in dev.boards if b.is_mpu or b.kind.upper().startswith(("WS-C", "C9"))]
    if not members:
        return [*out, f"*1       Active   {dotted}     15     V07     Ready               "]
    for i, board in enumerate(members):
        state = {"Normal": "Ready", "Fault": "Removed", "Absent": "Provisioned"}.get(board.status, "Ready")
        role = "Active" if i == 0 else "Standby" if i == 1 else "Member"
        mark = "*" if i == 0 else " "
        member = board.chassis or board.slot or i + 1
        out.append(f"{mark}{member:<8}{role:<9}{dotted}     {15 - i:<7}V07     {state:<20}")
    return out
