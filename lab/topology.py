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

from netkb.lab.model import (
    AccessPoint,
    Board,
    Device,
    Interface,
    IrfMember,
    Network,
    Ospf,
    OspfArea,
    Platform,
)
from netkb.lab.network_builder import (
    MGMT_VLAN,
    Area,
    NetworkBuilder,
    mac_address,
    serial_number,
)

AREAS = (
    Area("lib", "图书馆", 100),
    Area("teach", "教学楼", 200),
    Area("admin", "行政楼", 300),
    Area("lab", "实验楼", 400),
    Area("dorm", "学生宿舍区", 500),
    Area("sport", "体育馆", 600),
)

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


class _Builder(NetworkBuilder):
    """The campus, layer by layer."""

    def __init__(self, seed: int, access_switches: int) -> None:
        super().__init__(seed)
        self.access_switches = access_switches

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
            board.serial = serial_number(f"{dev.name}/{board.slot}", "210231A")
        self.chassis_hw(dev, boards, psus=2, fans=1)
        dev.irf = [IrfMember(1, "Master", 32, dev.bridge_mac)]
        self.area_ospf(dev, f"10.255.0.{i}", "LoopBack0")
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
        self.area_ospf(dev, f"10.255.1.{index + 1}", "LoopBack0")
        for n, core in enumerate(cores):
            self.ospf_link(
                dev, f"Ten-GigabitEthernet1/0/{25 + n}", core, f"Ten-GigabitEthernet1/2/0/{index + 1}", 10
            )
        self.area_gateways(dev, area, "Vlan-interface")
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
                    serial=serial_number(f"ap{n}", "219801A"),
                    mac=mac_address(n, 7),
                    ip=f"10.{area.vlan_base // 100 + 10}.3.{100 + n}",
                    group=area.slug,
                )
            )

    def access_ports(
        self, dev: Device, area: Area, prefix: str, count: int, uplink: str, agg: Device
    ) -> None:
        """User ports on the building's VLANs, a trunk uplink to the aggregation switch."""
        vids = self.area_vlans(dev, area)
        self.user_ports(dev, area, vids, [f"{prefix}{port}" for port in range(1, count + 1)], area.name)
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
        dev.serial = serial_number(dev.name, "2102350DLL")
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
        dev.serial = "FOC" + serial_number(dev.name, "")[:8]
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
        rg.serial = "G1" + serial_number(rg.name, "")[:11]
        boards = [
            Board(1, "M18000-CM", chassis=1, is_mpu=True),
            Board(2, "M18000-48GT-ED", chassis=1, ports=48),
            Board(3, "M18000-16XS-ED", chassis=1, ports=16),
        ]
        for board in boards:
            board.serial = "G1" + serial_number(f"{rg.name}/{board.slot}", "")[:11]
        self.chassis_hw(rg, boards, psus=2, fans=2)
        self.area_ospf(rg, "10.255.3.1", "Loopback0")
        self.ospf_link(rg, "TenGigabitEthernet3/1", core, "Ten-GigabitEthernet1/3/0/2", 10)
        self.area_gateways(rg, EAST, "Vlan")
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
            dev.serial = "G1" + serial_number(dev.name, "")[:11]
            self.chassis_hw(dev, [Board(0, model, is_mpu=True, ports=28)], psus=2 if n == 0 else 1, fans=1)
            dev.boards[0].serial = dev.serial
            down = f"GigabitEthernet2/{n + 1}"
            self._east_access(dev, rg, down)

    def _east_access(self, dev: Device, rg: Device, down: str) -> None:
        vids = self.area_vlans(dev, EAST)
        self.user_ports(dev, EAST, vids, [f"GigabitEthernet0/{port}" for port in range(1, 25)], dev.building)
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
