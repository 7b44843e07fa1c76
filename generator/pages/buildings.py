"""Per-building pages: each building's devices with their latest status, a link to the building's
topology map, and the sections other parts register (`site.extras["building_sections"]`: callables
`(site, building) -> Markdown`, appended in order; `building` is "" for the devices without one).

These pages change every night (the last run of each device), but there are few of them: the
device pages themselves carry only what changes when the device changes (generator/pages/devices.py).
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable

from netkb.generator.pages.common import NOT_SEARCHED, outcome, page_link, when
from netkb.generator.pages.device_status import status_page
from netkb.generator.pages.topology import building_page as topology_page
from netkb.generator.pages.topology import campus_graph
from netkb.generator.site import DeviceView, Site
from netkb.markdown import Md, front_matter, table, text, title

INDEX = "buildings/index.md"
UNASSIGNED = "buildings/unassigned.md"

BuildingSection = Callable[[Site, str], str]


def building_page(building: str) -> str:
    """The building's page in the tree ("" = the devices without a building), named as its
    topology map is (a building's name may be anything: the name is a hash of it)."""
    return f"buildings/{posixpath.basename(topology_page(building))}" if building else UNASSIGNED


def render_pages(site: Site) -> dict[str, str]:
    by_building: dict[str, list[DeviceView]] = defaultdict(list)
    for device in site.devices.values():
        by_building[device.building].append(device)
    mapped = _mapped_buildings(site)
    pages = {INDEX: _index(site, by_building)}
    for building, devices in by_building.items():
        pages[building_page(building)] = _page(site, building, devices, building in mapped)
    return pages


def _mapped_buildings(site: Site) -> set[str]:
    """The buildings the topology section draws a map of (generator/pages/topology.py)."""
    graph, _ = campus_graph(site)
    return {n.building for n in graph.nodes.values() if n.known} if graph.links else set()


def _label(site: Site, building: str) -> str:
    """The building's name as the inventory writes it (not escaped: the callers do)."""
    return building or site.strings.plain("bld_unassigned")


def _counts(d: DeviceView) -> tuple[int, int]:
    """(abnormal, unknown) findings of the device's latest collection."""
    found = d.history.last_collected.inspection if d.history.last_collected else ()
    return sum(f.verdict == "abnormal" for f in found), sum(f.verdict == "unknown" for f in found)


def _index(site: Site, by_building: dict[str, list[DeviceView]]) -> str:
    s = site.strings
    rows = []
    for building in sorted(by_building, key=lambda b: (not b, b)):  # the unassigned last
        devices = by_building[building]
        failed = sum(d.history.last_run_outcome == "failed" for d in devices)
        abnormal = sum(1 for d in devices if _counts(d)[0])
        rows.append(
            [
                page_link(INDEX, building_page(building), _label(site, building)),
                len(devices),
                failed,
                abnormal,
            ]
        )
    parts = [
        front_matter({"title": title(s("buildings")), "search": NOT_SEARCHED}),
        f"# {s('buildings')}\n",
        str(s("bld_intro")),
        "",
        table([s("building"), s("bld_devices"), s("bld_failed"), s("bld_abnormal_devices")], rows)
        if rows
        else str(s("bld_none")),
        "",
    ]
    return "\n".join(parts) + "\n"


def _page(site: Site, building: str, devices: list[DeviceView], mapped: bool) -> str:
    s, page = site.strings, building_page(building)
    label = _label(site, building)
    parts = [
        front_matter({"title": title(label), "search": NOT_SEARCHED}),
        f"# {text(label)}\n",
        str(
            page_link(page, topology_page(building), s("bld_topology_link"))
            if mapped
            else s("bld_no_topology")
        ),
        "",
        f"## {s('devices')}\n",
        _device_table(site, page, devices),
        "",
    ]
    sections: list[BuildingSection] = site.extras.get("building_sections", [])
    for section in sections:
        parts += [section(site, building), ""]
    return "\n".join(parts) + "\n"


def _device_table(site: Site, page: str, devices: list[DeviceView]) -> Md:
    s = site.strings
    rows = []
    for d in sorted(devices, key=lambda d: (d.role, d.name)):
        last = d.history.last_run
        abnormal, unknown = _counts(d)
        rows.append(
            [
                page_link(page, d.page, d.name),
                s.term("role", d.role) if d.role else "",
                Md(f"{outcome(s, last.outcome)} ({when(last.started)})") if last else s("bld_never_run"),
                abnormal if d.history.last_collected else "",
                unknown if d.history.last_collected else "",
                page_link(page, status_page(d.name), s("bld_status_link")),
            ]
        )
    return table(
        [s("name"), s("role"), s("last_run"), s("abnormal_count"), s("unknown_count"), s("status")], rows
    )
