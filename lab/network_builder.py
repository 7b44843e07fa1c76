"""The tools the campus topology (topology.py) is built with: addresses, serials and MACs, the
secrets every device holds, links modelled on both ends, chassis hardware, and the VLANs,
gateways and user ports of one campus area.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from netkb.lab.model import (
    AaaServer,
    Board,
    Device,
    FanTray,
    IkePeer,
    Interface,
    LocalUser,
    Network,
    NtpServer,
    Ospf,
    OspfArea,
    Platform,
    PowerSupply,
    Secrets,
    SnmpCommunity,
    SnmpUser,
    TempSensor,
    Vlan,
)


@dataclass(frozen=True)
class Area:
    slug: str  # used in host names
    name: str  # Chinese name, used in descriptions
    vlan_base: int


# (suffix, Chinese purpose) of the VLANs each building carries.
BUILDING_VLANS = ((1, "办公"), (2, "教学"), (3, "无线"), (4, "监控"))

MGMT_VLAN = 10


def serial_number(name: str, prefix: str) -> str:
    digest = hashlib.sha256(name.encode()).hexdigest().upper()
    return prefix + digest[:14]


def mac_address(index: int, salt: int) -> str:
    value = (0x70BA_EF00_0000 + salt * 0x10000 + index) & 0xFFFF_FFFF_FFFF
    raw = f"{value:012x}"
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


class NetworkBuilder:
    """A network under construction; deterministic from its seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.net = Network()
        self._p2p = 0
        self._mgmt = 0

    # --- addresses, identity, secrets ---------------------------------------------------------

    def mgmt_ip(self) -> str:
        index, self._mgmt = self._mgmt, self._mgmt + 1
        return f"10.254.{index // 250}.{index % 250 + 1}"

    def p2p_pair(self) -> tuple[str, str]:
        base = self._p2p * 4
        self._p2p += 1
        return (f"10.0.{base // 256}.{base % 256 + 1}/30", f"10.0.{base // 256}.{base % 256 + 2}/30")

    def add(self, dev: Device) -> Device:
        # One credential profile per vendor, as campus teams usually have.
        dev.password = f"Lab-{dev.platform.value}-{self.seed}!"
        dev.rng = random.Random(f"{self.seed}:{dev.name}")
        dev.clock_skew = dev.rng.uniform(-2.0, 2.0)
        dev.boot_time -= dev.rng.randint(3, 400) * 86400 + dev.rng.randint(0, 86399)
        dev.serial = dev.serial or serial_number(dev.name, "210235A")
        dev.bridge_mac = mac_address(len(self.net.devices), 1)
        dev.secrets = self.secrets_for(dev)
        self.net.devices[dev.name] = dev
        return dev

    def secrets_for(self, dev: Device) -> Secrets:
        tag = dev.name.replace("-", "")
        secrets = Secrets(
            users=[
                LocalUser("admin", f"Adm!n-{tag}-2026"),
                LocalUser(dev.username, dev.password),
                LocalUser("monitor", f"Mon-{tag}-ro", level=1),
            ],
            super_password=f"Sup3r-{tag}",
            snmp_communities=[SnmpCommunity(f"campus-ro-{tag}"), SnmpCommunity(f"campus-rw-{tag}", "write")],
            snmp_users=[SnmpUser("nms", "nmsgroup", f"AuthKey-{tag}", f"PrivKey-{tag}")],
            ntp_servers=[NtpServer("10.254.255.1", 1, f"NtpKey-{tag}"), NtpServer("10.254.255.2")],
        )
        if dev.role in ("access", "aggregation"):
            # Campus access control: 802.1X / portal against the campus RADIUS servers.
            secrets.aaa_servers.append(AaaServer("radius", "campus-radius", "10.254.255.10", f"Radius-{tag}"))
        if dev.role in ("core", "firewall"):
            secrets.aaa_servers.append(AaaServer("hwtacacs", "ops-tacacs", "10.254.255.20", f"Tacacs-{tag}"))
        if dev.role == "firewall":
            secrets.ike_peers.append(IkePeer("branch-campus", "202.118.1.2", f"Psk-{tag}-branch"))
        return secrets

    def link(self, a: Device, a_if: Interface, b: Device, b_if: Interface) -> None:
        a_if.peer = (b.name, b_if.name)
        b_if.peer = (a.name, a_if.name)
        a.interfaces[a_if.name] = a_if
        b.interfaces[b_if.name] = b_if

    def ospf_link(self, a: Device, a_name: str, b: Device, b_name: str, cost: int) -> None:
        ip_a, ip_b = self.p2p_pair()
        self.link(
            a,
            Interface(a_name, f"至{b.name}", mode="routed", ip=ip_a, ospf_cost=cost, speed_mbps=10000),
            b,
            Interface(b_name, f"至{a.name}", mode="routed", ip=ip_b, ospf_cost=cost, speed_mbps=10000),
        )

    @staticmethod
    def chassis_hw(dev: Device, boards: list[Board], psus: int, fans: int) -> None:
        dev.boards = boards
        dev.power_supplies = [PowerSupply(i) for i in range(1, psus + 1)]
        dev.fans = [FanTray(i, speed_rpm=3200 + 150 * i) for i in range(1, fans + 1)]
        dev.sensors = []
        for board in boards:
            if board.status == "Absent":
                continue
            dev.sensors.append(TempSensor(board.slot, "hotspot 1", 38.0 + (board.slot % 3) * 3, 0, 75, 85))
            dev.sensors.append(TempSensor(board.slot, "inflow 1", 28.0 + (board.slot % 2) * 2, 0, 55, 65))

    def mgmt_vlan(self, dev: Device) -> None:
        dev.vlans.setdefault(1, Vlan(1, "default"))
        dev.vlans[MGMT_VLAN] = Vlan(MGMT_VLAN, "mgmt", "网管")
        name = (
            "Vlanif"
            if dev.platform is Platform.VRP
            else ("Vlan" if dev.platform in (Platform.IOS, Platform.RGOS) else "Vlan-interface")
        )
        dev.interfaces[f"{name}{MGMT_VLAN}"] = Interface(
            f"{name}{MGMT_VLAN}", "网管地址", mode="vlanif", ip=f"{dev.mgmt_ip}/16"
        )

    def downlink_name(self, agg: Device) -> str:
        used = sum(1 for name in agg.interfaces if name.startswith("GigabitEthernet"))
        slot, port = divmod(used, 24)
        return f"GigabitEthernet{slot + 1}/0/{port + 1}"

    def area_vlans(self, dev: Device, area: Area) -> list[int]:
        """The building VLANs of `area` on `dev`; their ids."""
        for suffix, purpose in BUILDING_VLANS:
            vid = area.vlan_base + suffix
            dev.vlans[vid] = Vlan(vid, f"{area.slug}-{suffix}", f"{area.name}{purpose}")
        return [area.vlan_base + suffix for suffix, _ in BUILDING_VLANS]

    def area_gateways(self, dev: Device, area: Area, vlanif: str) -> None:
        """The area's VLANs with their gateways (`<vlanif><vid>`) on `dev`, announced in OSPF."""
        assert dev.ospf is not None
        for suffix, purpose in BUILDING_VLANS:
            vid = area.vlan_base + suffix
            dev.vlans[vid] = Vlan(vid, f"{area.slug}-{suffix}", f"{area.name}{purpose}")
            gw = f"10.{area.vlan_base // 100 + 10}.{suffix}.1/24"
            dev.interfaces[f"{vlanif}{vid}"] = Interface(
                f"{vlanif}{vid}", f"{area.name}{purpose}网关", mode="vlanif", ip=gw
            )
            dev.ospf.areas[0].networks.append((gw.split("/")[0].rsplit(".", 1)[0] + ".0", "0.0.0.255"))

    def user_ports(self, dev: Device, area: Area, vids: list[int], names: list[str], place: str) -> None:
        """Access ports spread over the building VLANs, some cabled, every fourth described."""
        count = len(names)
        for port, name in enumerate(names, start=1):
            vid = vids[(port - 1) * len(vids) // count]
            purpose = dict(BUILDING_VLANS)[vid - area.vlan_base]
            dev.interfaces[name] = Interface(
                name,
                f"{place}{port // 8 + 1}层-{purpose}" if port % 4 == 1 else "",
                cabled=self.rng.random() < 0.7,
                access_vlan=vid,
            )

    @staticmethod
    def area_ospf(dev: Device, rid: str, loopback: str) -> Ospf:
        """OSPF area 0 over the campus links and the router-id loopback."""
        dev.ospf = Ospf(
            1, rid, [OspfArea("0.0.0.0", [("10.0.0.0", "0.0.255.255"), (rid, "0.0.0.0")], "Ospf-area0")]
        )
        dev.interfaces[loopback] = Interface(loopback, "路由器标识", mode="routed", ip=f"{rid}/32")
        return dev.ospf
