"""The team's hand-written records for the synthetic network, scaled from demo/ to a year.

demo/ holds 90 days of a small campus: 8 incidents, 4 on-site records, 10 service requests and
12 change records. A thousand devices over a year carry (issue 16) about 250 incidents, 60
on-site records and 40 runbooks; requests and change records keep the demo's proportion to the
incidents (about 310 and 375). Every record has the demo's fields and formats and names devices,
buildings and runbooks that exist, so `netkb check` accepts the folder; dates spread over the
synthetic year with a seeded generator, so the same parameters give the same files.

    write_records(folder, inventory, start, days)   the folder: incidents/ inspections/ runbooks/
                                                    requests/ change-requests/
    add_incident(folder, inventory, when, number)   one more incident (a timed night)
    edit_runbook(folder, number)                    one runbook edited (a timed night)
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

TZ = dt.timezone(dt.timedelta(hours=8))
INCIDENTS, ONSITE, RUNBOOKS = 250, 60, 40
REQUESTS, CHANGES = INCIDENTS * 10 // 8, INCIDENTS * 12 // 8  # demo/'s proportions
LEVELS = (("P1", 1), ("P2", 3), ("P3", 10), ("P4", 6))
CATEGORIES = ("hardware", "link", "routing", "switching", "wireless", "power", "config", "software")
REQUEST_TYPES = ("new_port", "wireless_account", "consultation", "complaint", "other")
CHANNELS = ("phone", "walk-in", "e-mail", "system")
ONSITE_ITEMS = ("indicator_lights", "dust_screen", "grounding", "room_environment", "cable_labels")
ENGINEERS = ("李工", "王工", "张工", "赵工", "周工")
TOPICS = ("风扇框", "电源模块", "OSPF 邻居", "环路", "光模块", "AP 离线", "端口错包", "配置回退")


class Campus:
    """What the records may name: the inventory's devices by building, platforms and roles."""

    def __init__(self, inventory: Path) -> None:
        data = yaml.safe_load(inventory.read_text(encoding="utf-8"))
        self.devices: list[dict[str, Any]] = data["devices"]
        self.by_building: dict[str, list[str]] = defaultdict(list)
        for dev in self.devices:
            self.by_building[dev["building"]].append(dev["name"])
        self.buildings = sorted(self.by_building)

    def some(self, rng: random.Random, most: int = 3) -> tuple[str, list[str]]:
        """A building and a few of its devices."""
        building = rng.choice(self.buildings)
        names = self.by_building[building]
        return building, sorted(rng.sample(names, min(len(names), rng.randint(1, most))))


def _stamp(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def _write(path: Path, front: dict[str, Any], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{head}---\n{body}\n", encoding="utf-8")


def _moment(rng: random.Random, start: dt.date, days: int) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randrange(days))
    return dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.randrange(0, 60, 5)), TZ)


def runbook(folder: Path, number: int, rng: random.Random, platforms: list[str]) -> str:
    """Runbook `number` (its slug): a title, targets and a body of steps with commands."""
    topic = TOPICS[number % len(TOPICS)]
    slug = f"rb-{number:02d}"
    steps = "\n\n".join(
        f"## {i}. 步骤 {i}：检查{topic}\n\n```\n<core-1> display interface brief\n<core-1> display logbuffer"
        f" | include {i}\n```\n\n确认输出与上次巡检一致；不一致时记录到故障单，按第 {i + 1} 步继续。"
        for i in range(1, rng.randint(5, 9))
    )
    front = {
        "title": f"{topic}处理手册 {number} / Runbook {number}",
        "platforms": sorted(rng.sample(platforms, min(len(platforms), 2))),
        "roles": [rng.choice(["core", "aggregation", "access"])],
        "tags": [topic, "synthetic"],
    }
    _write(folder / "runbooks" / f"{slug}.md", front, f"# {front['title']}\n\n适用：{topic}。\n\n{steps}")
    return slug


def incident(
    folder: Path, campus: Campus, rng: random.Random, number: int, reported: dt.datetime, closed: bool
) -> None:
    building, devices = campus.some(rng, 2)
    level = rng.choices([lv for lv, _ in LEVELS], [w for _, w in LEVELS])[0]
    responded = reported + dt.timedelta(minutes=rng.randint(3, 40))
    onsite = responded + dt.timedelta(minutes=rng.randint(30, 200)) if rng.random() < 0.5 else None
    resolved = (onsite or responded) + dt.timedelta(minutes=rng.randint(20, 1500))
    topic = rng.choice(TOPICS)
    front: dict[str, Any] = {
        "id": f"INC-{reported:%Y}-{number:04d}",
        "title": f"{building} {devices[0]} {topic}故障",
        "level": level,
        "category": rng.choice(CATEGORIES),
        "devices": devices,
        "reported": _stamp(reported),
        "responded": _stamp(responded),
        **({"onsite": _stamp(onsite)} if onsite else {}),
        **({"resolved": _stamp(resolved)} if closed else {}),
        "reporter": f"{building} 值班",
        "handler": rng.choice(ENGINEERS),
        "status": "resolved" if closed else "open",
        "cause": f"{devices[0]} {topic}异常",
        "actions": "远程确认后处理，恢复后观察一夜",
        "runbooks": [f"rb-{rng.randrange(RUNBOOKS):02d}"],
        "effort": {"remote": rng.choice([0.5, 1, 1.5]), "onsite": rng.choice([1, 2, 4]) if onsite else 0},
    }
    body = (
        f"## 经过\n\n- {reported:%m-%d %H:%M} 报修；{responded:%H:%M} 响应。\n\n"
        f"## 影响\n\n{building}部分用户。"
    )
    _write(folder / "incidents" / f"{reported:%Y-%m-%d}-inc-{number:04d}.md", front, body)


def _onsite(folder: Path, campus: Campus, rng: random.Random, number: int, day: dt.date) -> None:
    building, devices = campus.some(rng, 8)
    items = {item: {"verdict": "normal"} for item in ONSITE_ITEMS}
    if rng.random() < 0.3:
        items[rng.choice(ONSITE_ITEMS)] = {"verdict": "abnormal", "note": "已登记整改"}
    front = {
        "date": day.isoformat(),
        "engineer": rng.choice(ENGINEERS),
        "title": f"{building}机房巡检 {number}",
        "devices": devices,
        "items": items,
        "readings": {
            "room_temperature_c": round(rng.uniform(18, 31), 1),
            "humidity_percent": rng.randint(35, 70),
        },
    }
    _write(folder / "inspections" / f"{day}-onsite-{number:03d}.md", front, f"{building}弱电间抽查。")


def _request(folder: Path, campus: Campus, rng: random.Random, number: int, received: dt.datetime) -> None:
    building, devices = campus.some(rng, 1)
    dispatched = received + dt.timedelta(minutes=rng.randint(10, 240))
    fulfilled = dispatched + dt.timedelta(hours=rng.randint(1, 60))
    front = {
        "id": f"REQ-{received:%Y}-{number:04d}",
        "title": f"{building} 服务请求 {number}",
        "type": rng.choice(REQUEST_TYPES),
        "channel": rng.choice(CHANNELS),
        "requester": f"{building} 老师",
        "department": building,
        "building": building,
        "devices": devices,
        "received": _stamp(received),
        "dispatched": {"at": _stamp(dispatched), "engineer": rng.choice(ENGINEERS)},
        "fulfilled": _stamp(fulfilled),
        "return_call": {
            "at": _stamp(fulfilled + dt.timedelta(days=1)),
            "confirmed": True,
            "satisfaction": rng.randint(3, 5),
        },
    }
    _write(folder / "requests" / f"{received:%Y-%m-%d}-req-{number:04d}.md", front, "按请求处理。")


def _change(folder: Path, campus: Campus, rng: random.Random, number: int, start: dt.datetime) -> None:
    _, devices = campus.some(rng, 2)
    start = start.replace(hour=21, minute=30)
    front = {
        "id": f"CHG-{start:%Y}-{number:04d}",
        "title": f"{devices[0]} 计划变更 {number}",
        "devices": devices,
        "window": {"start": _stamp(start), "end": _stamp(start + dt.timedelta(minutes=90))},
        "requester": f"网络中心 {rng.choice(ENGINEERS)}",
        "approver": "网络中心 赵主任",
        "approved": _stamp(start - dt.timedelta(days=1)),
        "risk": rng.choice(["low", "low", "medium", "high"]),
        "emergency": False,
        "plan": "调整接口与 VLAN 配置",
        "rollback": "恢复变更前配置",
        "result": "完成",
    }
    _write(folder / "change-requests" / f"{start:%Y-%m-%d}-chg-{number:04d}.md", front, "")


def write_records(folder: Path, inventory: Path, start: dt.date, days: int, seed: int = 7) -> None:
    """A year's records for the network of `inventory`, dated from `start` over `days`."""
    rng, campus = random.Random(f"netkb-synthbook:{seed}"), Campus(inventory)
    platforms = sorted({d["platform"] for d in campus.devices})
    for number in range(RUNBOOKS):
        runbook(folder, number, rng, platforms)
    moments = sorted(_moment(rng, start, days) for _ in range(INCIDENTS))
    for number, reported in enumerate(moments, 1):
        incident(folder, campus, rng, number, reported, closed=number <= INCIDENTS - 3)
    for number in range(1, ONSITE + 1):
        _onsite(folder, campus, rng, number, _moment(rng, start, days).date())
    for number in range(1, REQUESTS + 1):
        _request(folder, campus, rng, number, _moment(rng, start, max(1, days - 5)))
    for number in range(1, CHANGES + 1):
        _change(folder, campus, rng, number, _moment(rng, start, days))


def add_incident(folder: Path, inventory: Path, reported: dt.datetime, number: int) -> None:
    """One more incident, reported at `reported` and resolved (a night's new record)."""
    incident(folder, Campus(inventory), random.Random(number), number, reported, closed=True)


def edit_runbook(folder: Path, number: int) -> None:
    """A step added at the end of runbook `number`."""
    path = folder / "runbooks" / f"rb-{number:02d}.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n## 补充\n\n处理后在故障单中记录现场照片。\n", encoding="utf-8"
    )
