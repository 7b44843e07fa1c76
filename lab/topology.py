"""The default lab: a university campus network, built deterministically from a seed.

Layers: two H3C S7500E cores (Comware 7, core-1 carries the wireless-controller card), six
aggregation switches, one per campus area (Comware 7), access switches in every building
(a mix of Comware 7 S5130 and Comware 5 S5120), two SecPath firewalls, Huawei S5700 switches
in the dormitories and Cisco Catalysts in the research lab. OSPF area 0 runs between cores,
aggregation and firewalls over /30 links; each building has its own VLANs, gateways on its
aggregation switch; every uplink is modelled on both ends so the two sides agree. A second campus
area (东校区) runs Ruijie: an RG-N18000 core in OSPF area 0 with core-1, an RG-S5750 and an
RG-S2910 access switch below it.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from netkb.lab.model import (
    AaaServer,
    AccessPoint,
    Board,
    Device,
    FanTray,
    IkePeer,
    Interface,
    IrfMember,
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


AREAS = (
    Area("lib", "图书馆", 100),
    Area("teach", "教学楼", 200),
    Area("admin", "行政楼", 300),
    Area("lab", "实验楼", 400),
    Area("dorm", "学生宿舍区", 500),
    Area("sport", "体育馆", 600),
)

# (suffix, Chinese purpose) of the VLANs each building carries.
BUILDING_VLANS = ((1, "办公"), (2, "教学"), (3, "无线"), (4, "监控"))

MGMT_VLAN = 10
# Number of fixed (non-access-layer) devices: cores, aggregation, firewalls, VRP, IOS, RGOS.
FIXED_DEVICES = 2 + len(AREAS) + 2 + 4 + 2 + 3
DEFAULT_DEVICES = FIXED_DEVICES + 24
MIN_DEVICES = FIXED_DEVICES + 2

# Descriptions that are hostile in Markdown/HTML: the site must print them as text.
HOSTILE_DESCRIPTIONS = (
    "<script>alert('netkb')</script>",
    "| 表格 | 注入 |",
    "`code` **粗体** {: .x } [链接](javascript:alert(1))",
    "```~~~ </code></pre> {{ page.title }}",  # fence closers, raw HTML, template syntax
)

COMWARE7 = "7.1.070, Release 7585P05"
COMWARE7_ACCESS = "7.1.070, Release 6126P20"
COMWARE5 = "5.20.99, Release 1115P02"
VRP = "V200R019C10SPC500"
IOS = "15.2(7)E8"
EAST = Area("east", "东校区", 700)  # the second campus area, on Ruijie
RGOS_CORE = "N18000_RGOS 11.0(4)B12P2"
RGOS_ACCESS = {"S5750C-28GT4XS-H": "S5750C_RGOS 11.4(1)B12P10", "S2910-24GT4XS-E": "S29_RGOS 11.4(1)B12P5"}


def _serial(name: str, prefix: str) -> str:
    digest = hashlib.sha256(name.encode()).hexdigest().upper()
    return prefix + digest[:14]


def _mac(index: int, salt: int) -> str:
    value = (0x70BA_EF00_0000 + salt * 0x10000 + index) & 0xFFFF_FFFF_FFFF
    raw = f"{value:012x}"
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


class _Builder:
    def __init__(self, seed: int, access_switches: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.access_switches = access_switches
        self.net = Network()
        self._p2p = 0
        self._mgmt = 0

    # --- helpers --------------------------------------------------------------------

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
        dev.serial = dev.serial or _serial(dev.name, "210235A")
        dev.bridge_mac = _mac(len(self.net.devices), 1)
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

    # --- layers ---------------------------------------------------------------------

    def build(self) -> Network:
        cores = [self.core(i) for i in (1, 2)]
        self.ospf_link(cores[0], "Ten-GigabitEthernet1/3/0/1", cores[1], "Ten-GigabitEthernet1/3/0/1", 1)
        aggs = [self.aggregation(area, cores) for area in AREAS]
        for i in (1, 2):
            self.firewall(i, cores)
        self.wireless(cores[0])
        by_area = {agg.name: [] for agg in aggs}  # type: dict[str, list[Device]]
        for n in range(self.access_switches):
            agg = aggs[n % len(aggs)]
            by_area[agg.name].append(self.h3c_access(AREAS[n % len(AREAS)], agg, n))
        for n in range(4):
            self.huawei_access(AREAS[4], aggs[4], n)
        for n in range(2):
            self.cisco_access(AREAS[3], aggs[3], n)
        self.ruijie_campus(cores[0])
        self.decorate()
        return self.net

    def core(self, i: int) -> Device:
        dev = self.add(
            Device(
                name=f"core-{i}",
                platform=Platform.COMWARE,
                os_major=7,
                model="S7500E",
                software=COMWARE7,
                role="core",
                building="网络中心",
                mgmt_ip=self.mgmt_ip(),
                memory_mb=4096,
            )
        )
        boards = [
            Board(0, "LSU1SUPB0", chassis=1, is_mpu=True),
            Board(1, "LSU1SUPB0", chassis=1, is_mpu=True),
            Board(2, "LSU1GP48EB0", chassis=1, ports=48),
            Board(3, "LSU1TGS8EB0", chassis=1, ports=8),
        ]
        if i == 1:
            boards.append(Board(4, "LSU1WCME0", chassis=1))  # the wireless-controller card
        for board in boards:
            board.serial = _serial(f"{dev.name}/{board.slot}", "210231A")
        self.chassis_hw(dev, boards, psus=2, fans=1)
        dev.irf = [IrfMember(1, "Master", 32, dev.bridge_mac)]
        dev.ospf = Ospf(
            1, f"10.255.0.{i}", [OspfArea("0.0.0.0", [("10.0.0.0", "0.0.255.255")], "Ospf-area0")]
        )
        dev.interfaces["LoopBack0"] = Interface(
            "LoopBack0", "路由器标识", mode="routed", ip=f"10.255.0.{i}/32"
        )
        dev.ospf.areas[0].networks.append((f"10.255.0.{i}", "0.0.0.0"))
        self.mgmt_vlan(dev)
        return dev

    def aggregation(self, area: Area, cores: list[Device]) -> Device:
        index = AREAS.index(area)
        dev = self.add(
            Device(
                name=f"agg-{area.slug}",
                platform=Platform.COMWARE,
                os_major=7,
                model="S6520X-30QC-EI",
                software=COMWARE7,
                role="aggregation",
                building=area.name,
                mgmt_ip=self.mgmt_ip(),
                memory_mb=2048,
            )
        )
        self.chassis_hw(dev, [Board(1, "S6520X-30QC-EI", is_mpu=True, ports=30)], psus=2, fans=2)
        dev.boards[0].serial = dev.serial
        rid = f"10.255.1.{index + 1}"
        dev.ospf = Ospf(
            1, rid, [OspfArea("0.0.0.0", [("10.0.0.0", "0.0.255.255"), (rid, "0.0.0.0")], "Ospf-area0")]
        )
        dev.interfaces["LoopBack0"] = Interface("LoopBack0", "路由器标识", mode="routed", ip=f"{rid}/32")
        for n, core in enumerate(cores):
            self.ospf_link(
                dev, f"Ten-GigabitEthernet1/0/{25 + n}", core, f"Ten-GigabitEthernet1/2/0/{index + 1}", 10
            )
        for suffix, purpose in BUILDING_VLANS:
            vid = area.vlan_base + suffix
            dev.vlans[vid] = Vlan(vid, f"{area.slug}-{suffix}", f"{area.name}{purpose}")
            gw = f"10.{area.vlan_base // 100 + 10}.{suffix}.1/24"
            dev.interfaces[f"Vlan-interface{vid}"] = Interface(
                f"Vlan-interface{vid}", f"{area.name}{purpose}网关", mode="vlanif", ip=gw
            )
            dev.ospf.areas[0].networks.append((gw.split("/")[0].rsplit(".", 1)[0] + ".0", "0.0.0.255"))
        self.mgmt_vlan(dev)
        return dev

    def firewall(self, i: int, cores: list[Device]) -> None:
        dev = self.add(
            Device(
                name=f"fw-{i}",
                platform=Platform.COMWARE,
                os_major=7,
                model="SecPath F1000-AK",
                software="7.1.064, Release 9333P30",
                role="firewall",
                building="网络中心",
                mgmt_ip=self.mgmt_ip(),
                memory_mb=8192,
            )
        )
        self.chassis_hw(dev, [Board(1, "F1000-AK", is_mpu=True, ports=16)], psus=2, fans=1)
        dev.boards[0].serial = dev.serial
        rid = f"10.255.2.{i}"
        dev.ospf = Ospf(1, rid, [OspfArea("0.0.0.0", [("10.0.0.0", "0.0.255.255")], "Ospf-area0")])
        self.ospf_link(dev, "GigabitEthernet1/0/1", cores[i - 1], "Ten-GigabitEthernet1/3/0/8", 100)
        dev.interfaces["GigabitEthernet1/0/2"] = Interface(
            "GigabitEthernet1/0/2", "至教育网出口 CERNET", mode="routed", ip=f"202.118.0.{i * 4 + 2}/30"
        )
        dev.static_routes.append(("0.0.0.0", "0.0.0.0", f"202.118.0.{i * 4 + 1}"))
        dev.acls["3001"] = [
            "rule 5 permit ip source 10.0.0.0 0.255.255.255",
            "rule 10 deny ip",
        ]
        self.mgmt_vlan(dev)

    def wireless(self, controller: Device) -> None:
        for n in range(1, 25):
            area = AREAS[n % len(AREAS)]
            controller.aps.append(
                AccessPoint(
                    name=f"ap-{area.slug}-{n:02d}",
                    model="WA6320" if n % 3 else "WA6330",
                    serial=_serial(f"ap{n}", "219801A"),
                    mac=_mac(n, 7),
                    ip=f"10.{area.vlan_base // 100 + 10}.3.{100 + n}",
                    group=area.slug,
                )
            )

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

    def access_ports(
        self, dev: Device, area: Area, prefix: str, count: int, uplink: str, agg: Device
    ) -> None:
        """User ports on the building's VLANs, a trunk uplink to the aggregation switch."""
        vids = [area.vlan_base + suffix for suffix, _ in BUILDING_VLANS]
        for suffix, purpose in BUILDING_VLANS:
            vid = area.vlan_base + suffix
            dev.vlans[vid] = Vlan(vid, f"{area.slug}-{suffix}", f"{area.name}{purpose}")
        for port in range(1, count + 1):
            vid = vids[(port - 1) * len(vids) // count]
            purpose = dict(BUILDING_VLANS)[vid - area.vlan_base]
            dev.interfaces[f"{prefix}{port}"] = Interface(
                f"{prefix}{port}",
                f"{area.name}{port // 8 + 1}层-{purpose}" if port % 4 == 1 else "",
                cabled=self.rng.random() < 0.7,
                access_vlan=vid,
            )
        self.mgmt_vlan(dev)
        down = Interface(
            self.downlink_name(agg), f"下联-{dev.name}", mode="trunk", trunk_vlans=[MGMT_VLAN, *vids]
        )
        up = Interface(
            uplink, f"上联-{area.name}汇聚 {agg.name}", mode="trunk", trunk_vlans=[MGMT_VLAN, *vids]
        )
        self.link(dev, up, agg, down)

    def h3c_access(self, area: Area, agg: Device, n: int) -> Device:
        comware5 = n % 3 == 2  # a third of the access layer still runs the older S5120
        dev = self.add(
            Device(
                name=f"acc-{area.slug}-{n // len(AREAS) + 1:02d}",
                platform=Platform.COMWARE,
                os_major=5 if comware5 else 7,
                model="S5120-52P-SI" if comware5 else "S5130-52S-EI",
                software=COMWARE5 if comware5 else COMWARE7_ACCESS,
                role="access",
                building=area.name,
                mgmt_ip=self.mgmt_ip(),
                memory_mb=256 if comware5 else 1024,
                # Older Comware 5 boxes in the administration building still print GB18030.
                encoding="gb18030" if comware5 and area.slug == "admin" else "utf-8",
            )
        )
        self.chassis_hw(dev, [Board(1, dev.model, is_mpu=True, ports=52)], psus=1 if comware5 else 2, fans=1)
        dev.boards[0].serial = dev.serial
        self.access_ports(dev, area, "GigabitEthernet1/0/", 48, "GigabitEthernet1/0/49", agg)
        return dev

    def huawei_access(self, area: Area, agg: Device, n: int) -> None:
        dev = self.add(
            Device(
                name=f"dorm-{n + 1:02d}",
                platform=Platform.VRP,
                os_major=5,
                model="S5700-28C-EI",
                software=VRP,
                role="access",
                building=f"学生宿舍{n + 1}号楼",
                mgmt_ip=self.mgmt_ip(),
                memory_mb=512,
                encoding="gb18030" if n == 1 else "utf-8",
            )
        )
        dev.serial = _serial(dev.name, "2102350DLL")
        self.chassis_hw(dev, [Board(0, "S5700-28C-EI", is_mpu=True, ports=28)], psus=2, fans=1)
        dev.boards[0].serial = dev.serial
        self.access_ports(dev, area, "GigabitEthernet0/0/", 24, "GigabitEthernet0/0/25", agg)

    def cisco_access(self, area: Area, agg: Device, n: int) -> None:
        dev = self.add(
            Device(
                name=f"rlab-{n + 1}",
                platform=Platform.IOS,
                os_major=15,
                model="WS-C3850-24T" if n == 0 else "WS-C2960X-24TS-L",
                software=IOS,
                role="access",
                building="实验楼-科研实验室",
                mgmt_ip=self.mgmt_ip(),
                memory_mb=512,
                enable_password=f"Enable-ios-{self.seed}!",
            )
        )
        dev.serial = "FOC" + _serial(dev.name, "")[:8]
        self.chassis_hw(dev, [Board(1, dev.model, is_mpu=True, ports=28)], psus=1, fans=1)
        dev.boards[0].serial = dev.serial
        self.access_ports(dev, area, "GigabitEthernet1/0/", 24, "GigabitEthernet1/1/1", agg)

    def ruijie_campus(self, core: Device) -> None:
        """东校区: an RG-N18000 core (OSPF with core-1, the area's gateways), two access switches."""
        rg = self.add(
            Device(
                name="rg-core-1",
                platform=Platform.RGOS,
                os_major=11,
                model="N18007",
                software=RGOS_CORE,
                role="core",
                building=f"{EAST.name}网络中心",
                mgmt_ip=self.mgmt_ip(),
                memory_mb=4096,
                enable_password=f"Enable-rgos-{self.seed}!",
            )
        )
        rg.serial = "G1" + _serial(rg.name, "")[:11]
        boards = [
            Board(1, "M18000-CM", chassis=1, is_mpu=True),
            Board(2, "M18000-48GT-ED", chassis=1, ports=48),
            Board(3, "M18000-16XS-ED", chassis=1, ports=16),
        ]
        for board in boards:
            board.serial = "G1" + _serial(f"{rg.name}/{board.slot}", "")[:11]
        self.chassis_hw(rg, boards, psus=2, fans=2)
        rid = "10.255.3.1"
        rg.ospf = Ospf(
            1, rid, [OspfArea("0.0.0.0", [("10.0.0.0", "0.0.255.255"), (rid, "0.0.0.0")], "Ospf-area0")]
        )
        rg.interfaces["Loopback0"] = Interface("Loopback0", "路由器标识", mode="routed", ip=f"{rid}/32")
        self.ospf_link(rg, "TenGigabitEthernet3/1", core, "Ten-GigabitEthernet1/3/0/2", 10)
        for suffix, purpose in BUILDING_VLANS:
            vid = EAST.vlan_base + suffix
            rg.vlans[vid] = Vlan(vid, f"{EAST.slug}-{suffix}", f"{EAST.name}{purpose}")
            gw = f"10.{EAST.vlan_base // 100 + 10}.{suffix}.1/24"
            rg.interfaces[f"Vlan{vid}"] = Interface(
                f"Vlan{vid}", f"{EAST.name}{purpose}网关", mode="vlanif", ip=gw
            )
            rg.ospf.areas[0].networks.append((gw.split("/")[0].rsplit(".", 1)[0] + ".0", "0.0.0.255"))
        self.mgmt_vlan(rg)
        for n, (model, software) in enumerate(RGOS_ACCESS.items()):
            dev = self.add(
                Device(
                    name=f"rg-acc-{n + 1}",
                    platform=Platform.RGOS,
                    os_major=11,
                    model=model,
                    software=software,
                    role="access",
                    building=f"{EAST.name}{n + 1}号教学楼",
                    mgmt_ip=self.mgmt_ip(),
                    memory_mb=512,
                    enable_password=f"Enable-rgos-{self.seed}!",
                )
            )
            dev.serial = "G1" + _serial(dev.name, "")[:11]
            self.chassis_hw(dev, [Board(0, model, is_mpu=True, ports=28)], psus=2 if n == 0 else 1, fans=1)
            dev.boards[0].serial = dev.serial
            down = f"GigabitEthernet2/{n + 1}"
            self._east_access(dev, rg, down)

    def _east_access(self, dev: Device, rg: Device, down: str) -> None:
        vids = [EAST.vlan_base + suffix for suffix, _ in BUILDING_VLANS]
        for suffix, purpose in BUILDING_VLANS:
            vid = EAST.vlan_base + suffix
            dev.vlans[vid] = Vlan(vid, f"{EAST.slug}-{suffix}", f"{EAST.name}{purpose}")
        for port in range(1, 25):
            vid = vids[(port - 1) * len(vids) // 24]
            purpose = dict(BUILDING_VLANS)[vid - EAST.vlan_base]
            dev.interfaces[f"GigabitEthernet0/{port}"] = Interface(
                f"GigabitEthernet0/{port}",
                f"{dev.building}{port // 8 + 1}层-{purpose}" if port % 4 == 1 else "",
                cabled=self.rng.random() < 0.7,
                access_vlan=vid,
            )
        self.mgmt_vlan(dev)
        trunk = [MGMT_VLAN, *vids]
        self.link(
            dev,
            Interface(
                "TenGigabitEthernet0/25", f"上联-{EAST.name}核心 {rg.name}", mode="trunk", trunk_vlans=trunk
            ),
            rg,
            Interface(down, f"下联-{dev.name}", mode="trunk", trunk_vlans=trunk),
        )

    def decorate(self) -> None:
        """Hard text a real campus has: shut ports, hostile descriptions."""
        access = [d for d in self.net.devices.values() if d.role == "access"]
        for i, dev in enumerate(access):
            users = [iface for iface in dev.interfaces.values() if iface.peer is None and iface.is_physical]
            # An unused port shut by the administrator, as campus practice wants.
            users[-1].admin_up = False
            users[-1].description = "未使用-已关闭"
            if i < len(HOSTILE_DESCRIPTIONS):
                users[-2].description = HOSTILE_DESCRIPTIONS[i]


def build_network(devices: int = DEFAULT_DEVICES, seed: int = 0) -> Network:
    """The campus network with `devices` devices in all (the access layer takes the rest)."""
    if devices < MIN_DEVICES:
        raise ValueError(f"the lab needs at least {MIN_DEVICES} devices (got {devices})")
    return _Builder(seed, devices - FIXED_DEVICES).build()
