"""Ruijie RGOS `show` renderers: version, power, fan, temperature, CPU, memory, interfaces,
VLANs, OSPF, logging, clock and NTP.

Layouts follow the real RG-S8607E session in tests/real/rgos/ (version, power, fan, CPU,
memory, interfaces status, OSPF neighbours, clock) and Ruijie's configuration guides (the
syslog entry layout). `show temperature` and `show ntp status` have no capture: their layouts
are the lab's (see tests/real/rgos/SOURCES.md).
"""

from __future__ import annotations

import re
import time

from netkb.lab.model import Device, Interface, Network
from netkb.lab.platforms.ios_config import ordered_interfaces
from netkb.lab.platforms.ios_show import hex_of

TZ_OFFSET = 8 * 3600  # `clock timezone beijing 8`
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_STATE = {"Normal": "ok", "Fault": "fail", "Absent": "N/A"}


def local(epoch: float) -> time.struct_time:
    return time.gmtime(epoch + TZ_OFFSET)


def rg_name(iface: Interface | str) -> str:
    """RGOS spells interfaces with a space: `GigabitEthernet 0/1`, `VLAN 10`, `Loopback 0`."""
    name = iface if isinstance(iface, str) else iface.name
    m = re.match(r"([A-Za-z-]+?)-?(\d.*)$", name)
    if not m:
        return name
    kind, number = m.groups()
    if kind.lower().startswith("vlan"):
        return f"VLAN {number}"
    return f"{kind} {number}"


def short_name(name: str) -> str:
    """`Gi0/1`, `Te0/25` as `show vlan` lists ports."""
    m = re.match(r"([A-Za-z]+?)(?:-?)(\d.*)$", name)
    if not m:
        return name
    kind, number = m.groups()
    short = {"tengigabitethernet": "Te", "gigabitethernet": "Gi", "fastethernet": "Fa"}.get(
        kind.lower(), kind[:2]
    )
    return short + number


def chassis(dev: Device) -> str:
    return f"RG-{dev.model}"


def show_version(dev: Device) -> list[str]:
    up = dev.uptime_seconds()
    days, rest = divmod(up, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    start = time.strftime("%Y-%m-%d %H:%M:%S", local(dev.now() - up))
    kind = "Core Routing Switch" if dev.role == "core" else "Gigabit Security & Intelligence Access Switch"
    out = [
        f"System description      : Ruijie {kind}({dev.model}) By Ruijie Networks",
        f"System start time       : {start}",
        f"System uptime           : {days}:{hours:02d}:{minutes:02d}:{seconds:02d}",
        "System hardware version : 1.00",
        f"System software version : {dev.software}",
        "System patch number     : NA",
        f"System serial number    : {dev.serial}",
        "System boot version     : 1.2.25",
    ]
    modules = [b for b in dev.boards if b.slot or len(dev.boards) > 1]
    if modules:
        out.append("Module information:")
        for board in modules:
            slot = f"M{board.slot}" if board.is_mpu else str(board.slot)
            out += [
                f"  Slot {slot} : {board.kind}",
                "    Hardware version    : 1.00",
                "    Boot version        : 1.2.25",
                f"    Software version    : {dev.software}",
                f"    Serial number       : {board.serial}",
            ]
    return out


def show_power(dev: Device) -> list[str]:
    out = [
        f"Chassis-type: {chassis(dev)}",
        f"Power-redun: {'yes' if len(dev.power_supplies) > 1 else 'no'}",
        "Energy-saving: off",
        "",
        "power-id  power-type    supply(W)  status      vol-in/out(V)  cur-out(mA)  supply-out(W)",
        "--------  ------------  ---------  ----------  -------------  -----------  -------------",
    ]
    for psu in dev.power_supplies:
        state = _STATE[psu.status]
        if psu.status == "Absent":
            out.append(f"{psu.index:<10}{'N/A':<14}{'N/A':<11}{'N/A':<12}N/A   /N/A      N/A          N/A")
            continue
        volts = "0     /0.000 " if psu.status == "Fault" else f"{221 + psu.index}   /12.011"
        current = 0 if psu.status == "Fault" else 2300 + 37 * psu.index
        out.append(
            f"{psu.index:<10}{'RG-PA' + str(psu.watts) + 'I':<14}{psu.watts:<11}{state:<12}"
            f"{volts:<15}{current:<13}{current * 12 // 1000}"
        )
    return out


def show_fan(dev: Device) -> list[str]:
    out = [f"Chassis-type: {chassis(dev)}", ""]
    out += ["fan-id  status      mode      speed-level", "------  ----------  --------  -----------"]
    for fan in dev.fans:
        level = "N/A" if fan.status != "Normal" else str(min(8, fan.speed_rpm // 1000))
        out.append(f"{fan.index:<8}{_STATE[fan.status]:<12}{'normal':<10}{level}")
    return out


def show_temperature(dev: Device) -> list[str]:
    out = [
        "Slot  Current Temperature(C)  Warning Temperature(C)  Shutdown Temperature(C)",
        "----  ----------------------  ----------------------  -----------------------",
    ]
    for sensor in dev.sensors:
        out.append(f"{sensor.slot:<6}{dev.sensor_celsius(sensor):<24}{sensor.warning:<24}{sensor.alarm}")
    return out


_TASKS = (
    "init",
    "kthreadd",
    "ksoftirqd/0",
    "cli-server",
    "sysmon",
    "ospf.elf",
    "snmpd",
    "sshd",
    "ntp.elf",
    "syslogd",
)


def show_cpu(dev: Device) -> list[str]:
    five_sec, one_min, five_min = dev.cpu_percent()
    out = [
        "===============================================",
        "CPU Using Rate Information",
        f"CPU utilization in five seconds:  {five_sec:.2f}%",
        f"CPU utilization in one minute:  {one_min:.2f}%",
        f"CPU utilization in five minutes:  {five_min:.2f}%",
        "",
        " NO      5Sec    1Min    5Min Process",
    ]
    for pid, task in enumerate(_TASKS, start=1):
        share = int(hex_of(dev, task, 2), 16) % 3 / 10
        out.append(f"{pid * 97:>5}   {share:.2f}%   {share:.2f}%   {share:.2f}% {task}")
    return out


def show_memory(dev: Device) -> list[str]:
    total = dev.memory_mb * 1024
    used = dev.memory_used_mb() * 1024
    return [
        f"System Memory: {total}KB total, {used}KB used, {total - used}KB free, "
        f"{100 * used / total:.1f}% used rate",
        f"Used detail:   {used // 3}KB active, {used // 9}KB inactive, {used // 30}KB mapped, "
        f"{used // 4}KB slab, {used // 12}KB core, {used // 5}KB others",
        "",
        "PID\tVsd\tText\tRss\tData\tStack\tTotal\tProcess",
        *[f"{pid * 97}\t0\t104\t1880\t38260\t84\t42936\t{task}" for pid, task in enumerate(_TASKS, start=1)],
    ]


def show_interfaces_status(net: Network, dev: Device) -> list[str]:
    out = [
        "Interface                                Status    Vlan   Duplex   Speed     Type  ",
        "---------------------------------------- --------  ----   -------  --------- ------",
    ]
    for iface in ordered_interfaces(dev):
        if not iface.is_physical:
            continue
        status = "disabled" if not iface.admin_up else ("up" if net.link_up(dev, iface) else "down")
        vlan = {"routed": "routed", "trunk": "1"}.get(iface.mode, str(iface.access_vlan))
        fiber = iface.name.startswith("TenGigabitEthernet")
        duplex, speed = ("Full", "10G" if fiber else "1000M") if status == "up" else ("Unknown", "Unknown")
        out.append(
            f"{rg_name(iface):<41}{status:<10}{vlan:<7}{duplex:<9}{speed:<10}{'fiber' if fiber else 'copper'}"
        )
    return out


def show_vlan(dev: Device) -> list[str]:
    out = [
        "VLAN Name                             Status    Ports",
        "---------- -------------------------------- --------- -----------------------------------",
    ]
    for vid in sorted(set(dev.vlans) | {1}):
        vlan = dev.vlans.get(vid)
        name = vlan.name if vlan and vlan.name and vid != 1 else f"VLAN{vid:04d}"
        ports = [
            short_name(i.name)
            for i in ordered_interfaces(dev)
            if i.is_physical
            and (
                (i.mode == "access" and i.access_vlan == vid)
                or (i.mode == "trunk" and vid in [1, *i.trunk_vlans])
            )
        ]
        chunks = [ports[i : i + 4] for i in range(0, len(ports), 4)] or [[]]
        out.append(f"{vid:>4} {name:<32} {'STATIC':<9} {', '.join(chunks[0])}")
        out += [" " * 48 + ", ".join(chunk) for chunk in chunks[1:]]
    return out


def show_ospf_neighbor(net: Network, dev: Device) -> list[str]:
    if dev.ospf is None:
        return []
    neighbors = net.ospf_neighbors(dev)
    full = sum(1 for n in neighbors if n.state.lower() == "full")
    out = [
        "",
        f"OSPF process {dev.ospf.process}, {len(neighbors)} Neighbors, {full} is Full:",
        "Neighbor ID     Pri   State                BFD State  Dead Time   Address         Interface",
    ]
    for n in neighbors:
        state = f"{n.state}/{n.role}"
        out.append(
            f"{n.router_id:<18}{n.priority:<4}{state:<21}{'-':<11}00:00:{n.dead_seconds:02d}    "
            f"{n.address:<16}{rg_name(n.interface)}"
        )
    return [*out, ""]


def log_stamp(epoch: float) -> str:
    t = local(epoch)
    return f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday:>2} {t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"


def show_logging(dev: Device) -> list[str]:
    count = len(dev.logbuffer)
    out = [
        "Syslog logging: enabled",
        f"    Console logging: level debugging, {count} messages logged",
        "    Monitor logging: level debugging, 0 messages logged",
        f"    Buffer logging: level debugging, {count} messages logged",
        "    File logging: level informational, 0 messages logged",
        "    Timestamp log messages: datetime",
        "    Sequence-number log messages: enable",
        "    Sysname log messages: enable",
        f"    Trap logging: level informational, {count} message lines logged, 0 fail",
        "",
        f"Log Buffer (Total 131072 Bytes): have written {sum(len(e.text) + 48 for e in dev.logbuffer)}",
    ]
    for seq, entry in enumerate(dev.logbuffer, start=1):
        module = entry.module.upper().replace(" ", "_")
        mnemonic = entry.mnemonic.upper().replace(" ", "_")
        tag = f"%{module}-{entry.severity}-{mnemonic}"
        out.append(f"{seq:06d}: *{log_stamp(entry.when)}: {dev.name} {tag}: {entry.text}")
    return out


def show_clock(dev: Device) -> list[str]:
    t = local(dev.now())
    return [
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} beijing {_DAYS[t.tm_wday]}, "
        f"{_MONTHS[t.tm_mon - 1]} {t.tm_mday}, {t.tm_year}"
    ]


def show_ntp_status(dev: Device) -> list[str]:
    if not dev.secrets.ntp_servers:
        return ["Clock status: unsynchronized", "Clock stratum: 16", "Reference clock: none"]
    offset = dev.rng.uniform(-1.5, 1.5)
    return [
        "Clock status: synchronized",
        "Clock stratum: 3",
        f"Reference clock: {dev.secrets.ntp_servers[0].address}",
        "Nominal frequency: 250.0000 Hz",
        "Actual frequency: 249.9999 Hz",
        f"Clock offset: {offset:.4f} ms",
        "Root delay: 2.34 ms",
        f"Root dispersion: {abs(offset) * 3 + 1:.2f} ms",
    ]
