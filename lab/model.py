"""The device model: one object per simulated device, from which every view is rendered.

The running configuration and every `display`/`show` output are pure functions of a
`Device` (plus the `Network` it sits in, for links and OSPF adjacencies), so the two views
always agree. Platform renderers live in `lab/platforms/`; they never store state here
except through the small mutators below and the config-mode interpreters.
"""

from __future__ import annotations

import copy
import enum
import random
import time
from dataclasses import dataclass, field

# The secrets a device holds live in device_secrets.py; importable from here like the rest of the model.
from netkb.lab.device_secrets import AaaServer as AaaServer
from netkb.lab.device_secrets import IkePeer as IkePeer
from netkb.lab.device_secrets import LocalUser as LocalUser
from netkb.lab.device_secrets import NtpServer as NtpServer
from netkb.lab.device_secrets import Secrets as Secrets
from netkb.lab.device_secrets import SnmpCommunity as SnmpCommunity
from netkb.lab.device_secrets import SnmpUser as SnmpUser


class Platform(enum.StrEnum):
    COMWARE = "comware"
    VRP = "vrp"
    IOS = "ios"
    RGOS = "rgos"


class Fault(enum.StrEnum):
    """Faults a running lab can inject per device (`netkb lab fault DEVICE KIND`)."""

    AUTH_FAILURE = "auth-failure"  # every password is refused
    CONNECTION_REFUSED = "connection-refused"  # the TCP port closes
    HANG = "hang"  # login succeeds, then the device never answers
    SLOW = "slow"  # every command answers after extra latency
    DISCONNECT = "disconnect"  # the session drops in the middle of a long output
    TRUNCATED_CONFIG = "truncated-config"  # running config ends without its trailer
    PAGING_STUCK = "paging-stuck"  # paging cannot be disabled
    FAN = "fan"  # a fan tray fails
    POWER = "power"  # a power supply fails
    BOARD = "board"  # a line card / module faults
    TEMPERATURE = "temperature"  # a sensor goes past its warning limit
    CPU = "cpu"  # CPU usage stays high
    OSPF_DOWN = "ospf-down"  # an OSPF adjacency is lost
    LOG_ERRORS = "log-errors"  # error entries (severity <= 3) appear in the log buffer
    REBOOT = "reboot"  # the device reboots (uptime resets)
    UNSAVED = "unsaved"  # running config changed and not saved
    LEGACY_SSH = "legacy-ssh"  # the SSH server offers only SHA-1 key exchange, as old firmware does
    AP_DOWN = "ap-down"  # the APs of one building (the first AP's group) drop off the controller
    # A log line printed to the terminal lands after the `display vlan brief` table and after
    # the running config's `return` (Comware's info-center writes to the session at any time).
    GARBAGE_OUTPUT = "garbage-output"
    # Secrets where no config rule looks: a port description holding a password, commands with
    # secrets quoted by the log (as rejected and as recorded), and a password typed as a user name.
    LEAKY_TEXT = "leaky-text"
    ROGUE_NEIGHBOUR = "rogue-neighbour"  # a foreign router plugged into two user ports (lab/lldp.py)


# Faults that only change state once, when injected (they are events, not conditions).
EVENT_FAULTS = frozenset({Fault.REBOOT, Fault.UNSAVED, Fault.LOG_ERRORS, Fault.LEAKY_TEXT})


@dataclass
class Interface:
    name: str  # full name as the platform prints it, e.g. GigabitEthernet1/0/1
    description: str = ""
    admin_up: bool = True
    cabled: bool = True  # something is plugged in (a PC, an AP, another switch)
    speed_mbps: int = 1000
    mode: str = "access"  # access | trunk | routed | vlanif (SVI)
    access_vlan: int = 1
    trunk_vlans: list[int] = field(default_factory=list)
    ip: str | None = None  # "10.1.0.1/30"
    ospf_cost: int | None = None
    peer: tuple[str, str] | None = None  # (device name, interface name) at the far end
    packet_filters: list[str] = field(default_factory=list)  # ACLs applied here: "3100 inbound"

    @property
    def is_physical(self) -> bool:
        return self.mode != "vlanif" and not self.name.lower().startswith(("vlan", "loopback", "null"))


@dataclass
class Vlan:
    vid: int
    name: str = ""
    description: str = ""


@dataclass
class OspfArea:
    area: str  # dotted form, "0.0.0.0"
    networks: list[tuple[str, str]] = field(default_factory=list)  # (address, wildcard)
    md5_key: str | None = None  # area authentication key, plain text in the model


@dataclass
class Ospf:
    process: int
    router_id: str
    areas: list[OspfArea] = field(default_factory=list)


@dataclass
class Board:
    slot: int
    kind: str  # "LSU1SUPB0", "LSU1GP48EB0", ...
    status: str = "Normal"  # Normal | Fault | Absent
    serial: str = ""
    chassis: int | None = None  # IRF member for IRF-capable chassis
    is_mpu: bool = False
    ports: int = 0


@dataclass
class PowerSupply:
    index: int
    status: str = "Normal"  # Normal | Fault | Absent
    watts: int = 650


@dataclass
class FanTray:
    index: int
    status: str = "Normal"  # Normal | Fault | Absent
    speed_rpm: int = 3600


@dataclass
class TempSensor:
    slot: int
    name: str  # "hotspot 1", "inflow 1"
    celsius: float
    lower: int = 0
    warning: int = 70
    alarm: int = 80


@dataclass
class IrfMember:
    member: int
    role: str = "Master"
    priority: int = 1
    bridge_mac: str = ""


@dataclass
class LogEntry:
    when: float  # epoch seconds
    module: str  # "SHELL", "OSPF", "DEV" ...
    severity: int  # 0 emergency .. 7 debug
    mnemonic: str  # "SHELL_LOGIN"
    text: str


@dataclass
class AccessPoint:
    name: str
    model: str
    serial: str
    mac: str
    ip: str
    online: bool = True
    group: str = "default"


@dataclass
class Device:
    """Everything a simulated device knows about itself."""

    name: str
    platform: Platform
    os_major: int  # Comware 5 or 7; VRP 5 or 8; IOS 15
    model: str  # "S7500E", "S5130-52S-EI", "S5700-28C-EI", "WS-C3850-24T"
    software: str  # "7.1.070, Release 7585P05"
    role: str  # core | aggregation | access | firewall
    building: str  # Chinese building name
    mgmt_ip: str
    port: int = 0  # TCP port of its SSH server on 127.0.0.1
    username: str = "netkb"
    password: str = "netkb-lab"
    enable_password: str | None = None  # IOS and RGOS privileged EXEC
    encoding: str = "utf-8"  # or "gb18030": what bytes the device puts on the wire
    serial: str = ""
    bridge_mac: str = ""
    boot_time: float = field(default_factory=time.time)
    interfaces: dict[str, Interface] = field(default_factory=dict)
    vlans: dict[int, Vlan] = field(default_factory=dict)
    ospf: Ospf | None = None
    boards: list[Board] = field(default_factory=list)
    power_supplies: list[PowerSupply] = field(default_factory=list)
    fans: list[FanTray] = field(default_factory=list)
    sensors: list[TempSensor] = field(default_factory=list)
    irf: list[IrfMember] = field(default_factory=list)
    secrets: Secrets = field(default_factory=Secrets)
    logbuffer: list[LogEntry] = field(default_factory=list)
    aps: list[AccessPoint] = field(default_factory=list)  # wireless-controller card only
    static_routes: list[tuple[str, str, str]] = field(default_factory=list)  # (prefix, mask, next hop)
    acls: dict[str, list[str]] = field(default_factory=dict)  # number/name -> rule lines (platform syntax)
    extra_config: list[str] = field(
        default_factory=list
    )  # lines added in config mode the model has no slot for
    memory_mb: int = 1024
    faults: set[Fault] = field(default_factory=set)
    latency_ms: int = 0
    # The config as of the last `save`; None while running == saved.
    saved: Device | None = field(default=None, repr=False)
    rng: random.Random = field(default_factory=random.Random, repr=False)
    # The clock offset this device keeps from the host (set by the topology), so two
    # devices do not print the same time to the second.
    clock_skew: float = 0.0

    # --- derived readings -------------------------------------------------------------

    def now(self) -> float:
        return time.time() + self.clock_skew

    def uptime_seconds(self) -> int:
        return max(0, int(self.now() - self.boot_time))

    def cpu_percent(self) -> tuple[int, int, int]:
        """(5 s, 1 min, 5 min) CPU usage; moves between reads like a real box."""
        if Fault.CPU in self.faults:
            return (self.rng.randint(93, 99), self.rng.randint(90, 97), self.rng.randint(88, 95))
        base = 8 if self.role in ("core", "firewall") else 4
        return (base + self.rng.randint(0, 9), base + self.rng.randint(0, 5), base + self.rng.randint(0, 3))

    def memory_used_mb(self) -> int:
        return int(self.memory_mb * (0.38 + self.rng.random() * 0.08))

    def sensor_celsius(self, sensor: TempSensor) -> int:
        if Fault.TEMPERATURE in self.faults and sensor is self.sensors[0]:
            return sensor.warning + 6
        return int(sensor.celsius + self.rng.randint(-1, 1))

    # --- mutation helpers used by config mode and faults ------------------------------

    def before_config_change(self) -> None:
        """Remember the saved config before the first unsaved change."""
        if self.saved is None:
            self.saved = self.config_copy()

    def config_copy(self) -> Device:
        """A detached copy of the configuration-bearing parts of the device."""
        clone = copy.copy(self)
        clone.interfaces = copy.deepcopy(self.interfaces)
        clone.vlans = copy.deepcopy(self.vlans)
        clone.ospf = copy.deepcopy(self.ospf)
        clone.secrets = copy.deepcopy(self.secrets)
        clone.static_routes = list(self.static_routes)
        clone.acls = copy.deepcopy(self.acls)
        clone.extra_config = list(self.extra_config)
        clone.saved = None
        return clone

    def save(self) -> None:
        self.saved = None

    def log(self, module: str, severity: int, mnemonic: str, text: str) -> None:
        self.logbuffer.append(LogEntry(self.now(), module, severity, mnemonic, text))
        del self.logbuffer[:-512]  # a real log buffer is bounded too


@dataclass
class OspfNeighbor:
    """One adjacency as seen from a device (derived from the topology, never stored)."""

    router_id: str
    address: str  # the neighbour's interface address
    interface: str  # the local interface
    area: str
    state: str = "Full"
    role: str = "DR"  # DR | BDR | DROther (on broadcast links)
    priority: int = 1
    dead_seconds: int = 35


@dataclass
class Network:
    """All devices of the lab, indexed by name, plus what links and adjacencies derive from them."""

    devices: dict[str, Device] = field(default_factory=dict)
    # Pairs of (device, interface) endpoints whose OSPF adjacency is broken by a fault.
    broken_adjacencies: set[frozenset[tuple[str, str]]] = field(default_factory=set)
    # How far the lab's calendar is from the host's (`lab/operations.py` `set_clock`); every
    # device's `clock_skew` includes it.
    clock_offset: float = 0.0

    def peer_interface(self, device: Device, iface: Interface) -> tuple[Device, Interface] | None:
        if iface.peer is None:
            return None
        far = self.devices.get(iface.peer[0])
        if far is None:
            return None
        far_iface = far.interfaces.get(iface.peer[1])
        return (far, far_iface) if far_iface is not None else None

    def link_up(self, device: Device, iface: Interface) -> bool:
        """Physical state: admin up on both ends and something plugged in."""
        if not iface.admin_up:
            return False
        if iface.mode == "vlanif":
            return self._vlanif_up(device, iface)
        far = self.peer_interface(device, iface)
        if far is None:
            return iface.cabled
        return far[1].admin_up

    def _vlanif_up(self, device: Device, iface: Interface) -> bool:
        vid = int("".join(ch for ch in iface.name if ch.isdigit()) or 0)
        for other in device.interfaces.values():
            if other.mode == "vlanif" or not other.is_physical:
                continue
            carries = other.access_vlan == vid if other.mode == "access" else vid in other.trunk_vlans
            if carries and self.link_up(device, other):
                return True
        return False

    def ospf_neighbors(self, device: Device) -> list[OspfNeighbor]:
        """Adjacencies: OSPF on both ends of an up link whose addresses are in an OSPF network."""
        if device.ospf is None:
            return []
        result = []
        for iface in device.interfaces.values():
            far = self.peer_interface(device, iface)
            if far is None:
                continue
            far_dev, far_iface = far
            if iface.ip is None or far_iface.ip is None:
                continue
            if far_dev.ospf is None or not self.link_up(device, iface):
                continue
            if (
                frozenset({(device.name, iface.name), (far_dev.name, far_iface.name)})
                in self.broken_adjacencies
            ):
                continue
            area = ospf_area_of(device.ospf, iface.ip)
            if area is None or ospf_area_of(far_dev.ospf, far_iface.ip) != area:
                continue
            # The higher router id is DR on the transit link, as OSPF elects with equal priority.
            role = "DR" if far_dev.ospf.router_id > device.ospf.router_id else "BDR"
            result.append(
                OspfNeighbor(
                    router_id=far_dev.ospf.router_id,
                    address=far_iface.ip.split("/")[0],
                    interface=iface.name,
                    area=area,
                    role=role,
                    dead_seconds=31 + device.rng.randint(0, 8),
                )
            )
        return result


def ip_to_int(address: str) -> int:
    a, b, c, d = (int(x) for x in address.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def ospf_area_of(ospf: Ospf, ip_with_len: str) -> str | None:
    """The area whose `network` statement covers this interface address, if any."""
    address = ip_to_int(ip_with_len.split("/")[0])
    for area in ospf.areas:
        for net, wildcard in area.networks:
            mask = ~ip_to_int(wildcard) & 0xFFFFFFFF
            if address & mask == ip_to_int(net) & mask:
                return area.area
    return None


def prefix_to_mask(length: int) -> str:
    value = (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF
    return ".".join(str((value >> shift) & 0xFF) for shift in (24, 16, 8, 0))
