"""Topology benchmark: the topology section of a 1,000-device campus, cold and warm.

The lab model (`lab.topology.build_network`) is the network; every device's LLDP rows are what
the lab answers (`lab.lldp.neighbours`, both ends agreeing), the OSPF peers those of its links
between non-access devices (router IDs in a one-line config). NIGHTS nights of history follow,
on each of which one access switch gains or loses a neighbour on a user port (a phone, a rogue
router): a page per date, the worst case of issue 20's "a page per date the topology changed".
Then `generator.pages.topology.render_pages` on it, three times:

- cold: no cached SVG, every map drawn by dot;
- warm: the same history again, every SVG served from the page cache (keyed by its dot source);
- a new night: one more change, so one more date page (one new dot run) and a new campus map.

Compare the warm and new-night figures with the site benchmark's incremental generation of a
night (README, *Performance*: median 3.3-4.1 s): the issue's bound is topology and baseline
adding at most 20 % to it.

    python bench/bench_topology.py [--devices 1000] [--nights 365]
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netkb.generator.model import Change
from netkb.generator.pagecache import PageCache
from netkb.generator.pages.topology import render_pages
from netkb.generator.topology import dump_rows
from netkb.i18n import Strings
from netkb.lab import lldp
from netkb.lab.topology import build_network

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 1, 1, 2, 0, tzinfo=TZ)


def _rows(net: Any, dev: Any) -> list[dict[str, Any]]:
    return [
        {"interface": s.local, "neighbour": s.name, "neighbour_interface": s.port, "chassis_id": s.chassis}
        for s in lldp.neighbours(net, dev)
    ]


def _change(name: str, night: int, before: list[dict], after: list[dict]) -> Change:
    path = f"devices/{name}/state/neighbours.yml"
    body = "\n".join(
        difflib.unified_diff(dump_rows(before), dump_rows(after), f"a/{path}", f"b/{path}", lineterm="")
    )
    patch = f"diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n{body}\n"
    when = START + dt.timedelta(days=night)
    return Change(
        f"{night:040d}", when, f"{name}: state neighbours", "state", [], ["neighbours"], [path], patch
    )


class Campus:
    """The fake site the topology pages read: devices with their state and neighbour history."""

    def __init__(self, devices: int, nights: int) -> None:
        net = build_network(devices=devices)
        self.net = net
        self.views: dict[str, SimpleNamespace] = {}
        for dev in net.devices.values():
            rows = _rows(net, dev)
            peers = [
                {
                    "router_id": net.devices[r["neighbour"]].mgmt_ip,
                    "address": "",
                    "interface": r["interface"],
                    "state": "Full/ -",
                }
                for r in rows
                if dev.role != "access"
                and r["neighbour"] in net.devices
                and net.devices[r["neighbour"]].role != "access"
            ]
            history = SimpleNamespace(
                state={"neighbours": rows, "ospf": peers},
                changes=[],
                last_collected=None,
                config=f"ospf 1 router-id {dev.mgmt_ip}\n",
            )
            self.views[dev.name] = SimpleNamespace(
                name=dev.name, entry=True, role=dev.role, building=dev.building, history=history
            )
        self.access = sorted(n for n, v in self.views.items() if v.role == "access")
        for night in range(1, nights + 1):
            self.night(night)

    def night(self, night: int) -> None:
        """One access switch gains a neighbour on a user port, or loses the one it gained."""
        view = self.views[self.access[(night * 7919) % len(self.access)]]
        rows = view.history.state["neighbours"]
        phone = {
            "interface": "GigabitEthernet1/0/9",
            "neighbour": f"phone-{night}",
            "neighbour_interface": "eth0",
            "chassis_id": None,
        }
        after = [r for r in rows if r["interface"] != phone["interface"]]
        if len(after) == len(rows):
            after = [*rows, phone]
        view.history.changes.append(_change(view.name, night, rows, after))
        view.history.state["neighbours"] = after


def _time(site: SimpleNamespace) -> tuple[float, int, int]:
    started = time.perf_counter()
    pages = render_pages(site)  # type: ignore[arg-type]
    return time.perf_counter() - started, len(pages), site.pages._new


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--nights", type=int, default=365)
    args = parser.parse_args()
    built = time.perf_counter()
    campus = Campus(args.devices, args.nights)
    took = time.perf_counter() - built
    print(f"campus: {len(campus.views)} devices, {args.nights} nights ({took:.1f} s to build)")
    cache = PageCache(None, "bench")
    site = SimpleNamespace(strings=Strings("zh"), pages=cache, devices=campus.views)
    seconds, pages, drawn = _time(site)
    print(f"cold:      {seconds:6.2f} s  {pages} files, {drawn} maps drawn by dot")
    cache._new = 0
    seconds, pages, drawn = _time(site)
    print(f"warm:      {seconds:6.2f} s  {pages} files, {drawn} maps drawn by dot")
    cache._new = 0
    campus.night(args.nights + 1)
    seconds, pages, drawn = _time(site)
    print(f"new night: {seconds:6.2f} s  {pages} files, {drawn} maps drawn by dot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
