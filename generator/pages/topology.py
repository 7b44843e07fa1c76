"""The topology section: a campus map and one map per building (drawn by
generator/pages/topology_draw.py), links lost or added since the previous collection
highlighted, neighbours not in the inventory listed, and a page per date the topology changed
(generator/pages/topology_history.py). Large inventories get building summary nodes for their
access layer on the campus map (readable at 1,000 devices).
"""

from __future__ import annotations

from dataclasses import replace

from netkb.generator.correlation import _addresses as config_addresses
from netkb.generator.pages.common import NOT_SEARCHED, page_link
from netkb.generator.pages.topology_draw import building_page, changed_table, draw, embed, unknown_table
from netkb.generator.pages.topology_history import render_history
from netkb.generator.site import DeviceView, Site
from netkb.generator.topology import (
    Device,
    Graph,
    Link,
    build_graph,
    disagreements,
    members_of,
    ospf_overlay,
    port_speed,
    rows_before,
)
from netkb.markdown import cell, front_matter, table, text, title

INDEX = "topology/index.md"
CAMPUS_SVG = "topology/campus.svg"
SUMMARY_ABOVE = 80  # inventory devices above which the campus map summarises the access layer


# --- the graph of the site's devices -----------------------------------------------------------


def _last_night(view: DeviceView, rows: list[dict]) -> list[dict] | None:
    """A device's rows before its last collection, when that collection changed them; the
    rows themselves when it did not; None when the patch does not rebuild them."""
    path = f"devices/{view.name}/state/neighbours.yml"
    collected = view.history.last_collected
    change = next((c for c in reversed(view.history.changes) if path in c.files), None)
    if change is None or collected is None or change.date < collected.started:
        return rows
    if change.kind == "first" or f"--- /dev/null\n+++ b/{path}" in change.diff:
        return rows  # the first snapshot, or the first holding the file: when collection began
    return rows_before(rows, change.diff, path)


def inventory_devices(site: Site) -> list[Device]:
    return [Device(v.name, v.role, v.building) for v in site.devices.values() if v.entry is not None]


def campus_graph(site: Site) -> tuple[Graph, list[str]]:
    """The graph, and the devices whose previous night could not be rebuilt: built once per site
    (the topology pages and the building pages both read it)."""
    found = site.extras.get("campus_graph")
    if found is None:
        found = site.extras["campus_graph"] = _build_campus_graph(site)
    return found


def _build_campus_graph(site: Site) -> tuple[Graph, list[str]]:
    tonight, before, unknown = {}, {}, []
    for view in site.devices.values():
        rows = view.history.state.get("neighbours")
        if not isinstance(rows, list):
            continue
        tonight[view.name] = rows
        previous = _last_night(view, rows)
        if previous is None:
            unknown.append(view.name)
            previous = rows
        before[view.name] = previous
    graph = build_graph(inventory_devices(site), tonight, before, aggregations(site))
    return replace(graph, ospf=ospf_overlay(_ospf_peers(site), _owners(site))), unknown


def aggregations(site: Site) -> dict[str, dict[str, str]]:
    """Each device's aggregate members (port key -> aggregate), where its aggregation was read."""
    found = {name: view.history.state.get("aggregation") for name, view in site.devices.items()}
    return {name: members_of(rows) for name, rows in found.items() if isinstance(rows, list)}


def _ospf_peers(site: Site) -> dict[str, list[dict]]:
    peers = {name: view.history.state.get("ospf") for name, view in site.devices.items()}
    return {
        name: [p for p in rows if isinstance(p, dict)]
        for name, rows in peers.items()
        if isinstance(rows, list)
    }


def _owners(site: Site) -> dict[str, str]:
    """Address -> inventory device, from each config's router ID and interface addresses."""
    owner: dict[str, str] = {}
    for name in sorted(site.devices):
        view = site.devices[name]
        if view.entry is not None:
            for address in sorted(config_addresses(view.history.config)):
                owner.setdefault(address, name)
    return owner


# --- pages ---------------------------------------------------------------------------------------


def render_pages(site: Site) -> dict[str, str]:
    graph, not_rebuilt = campus_graph(site)
    s = site.strings
    head = [front_matter({"title": title(s("topology")), "search": NOT_SEARCHED}), f"# {s('topology')}\n"]
    if not graph.links:
        return {INDEX: "\n".join([*head, str(s("topo_no_data")), ""])}
    inventory = [n for n in graph.nodes.values() if n.known]
    summaries: dict[str, int] = {}
    names = set(graph.nodes)
    if len(inventory) > SUMMARY_ABOVE:
        for node in inventory:
            if node.role == "access":
                summaries[node.building] = summaries.get(node.building, 0) + 1
                names.discard(node.name)
        names -= {n.name for n in graph.unknown()}  # they hang off access switches: building maps
    pages = {CAMPUS_SVG: draw(site, graph, CAMPUS_SVG, names, summaries, labels=False)}
    buildings = sorted({n.building for n in inventory})
    for building in buildings:
        members = {n.name for n in graph.nodes.values() if n.building == building}
        around = {
            e.device for lk in graph.links for e in (lk.a, lk.b) if {lk.a.device, lk.b.device} & members
        }
        svg = building_page(building).removesuffix(".md") + ".svg"
        pages[svg] = draw(site, graph, svg, members | around, {})
        pages[building_page(building)] = _building_page(site, graph, building, members, svg)
    history, dates = render_history(site, inventory_devices(site))
    pages.update(history)
    pages[INDEX] = _index(site, graph, head, buildings, summaries, not_rebuilt) + _dates(site, dates)
    return pages


def _dates(site: Site, dates: list[str]) -> str:
    """The index's list of the dates the topology changed, each a link to its page."""
    out = ["", f"## {site.strings('topo_history')}", ""]
    return "\n".join(out + (dates or [str(site.strings("topo_history_none"))])) + "\n"


def _index(
    site: Site,
    graph: Graph,
    head: list[str],
    buildings: list[str],
    summaries: dict[str, int],
    not_rebuilt: list[str],
) -> str:
    s = site.strings
    out = [*head, str(s("topo_intro")), "", f"## {s('topo_campus_map')}", ""]
    if summaries:
        out += [str(s("topo_campus_summary", count=sum(1 for n in graph.nodes.values() if n.known))), ""]
    out += embed(INDEX, CAMPUS_SVG, s("topo_open_svg"))
    out += unknown_table(site, graph, INDEX) + changed_table(site, graph.links, INDEX)
    out += _disagree_table(site, disagreements(graph, aggregations(site)))
    if not_rebuilt:
        out += [str(s("topo_previous_unknown", devices=text(", ".join(not_rebuilt)))), ""]
    out += [f"## {s('topo_building_maps')}", ""]
    out += [f"- {page_link(INDEX, building_page(b), b or s('topo_unplaced'))}" for b in buildings]
    return "\n".join(out) + "\n"


def _disagree_table(site: Site, found: list[tuple[Link, str]]) -> list[str]:
    """Links whose two ends disagree about aggregation or speed (the ends as each prints them)."""
    s = site.strings
    out = [f"## {s('topo_disagree')}", ""]
    if not found:
        return [*out, str(s("topo_disagree_none")), ""]
    rows = []
    for lk, reason in found:
        if reason == "aggregation":
            what = s("topo_disagree_aggregation", aggregate=lk.agg_a or lk.agg_b)
        else:
            what = s("topo_disagree_speed", a=port_speed(lk.a.interface), b=port_speed(lk.b.interface))
        ends = [cell(f"{lk.a.interface} ({lk.agg_a})" if lk.agg_a else lk.a.interface)]
        ends.append(cell(f"{lk.b.interface} ({lk.agg_b})" if lk.agg_b else lk.b.interface))
        rows.append([cell(lk.a.device), ends[0], cell(lk.b.device), ends[1], cell(what)])
    headers = [s("topo_device"), s("topo_interface"), s("topo_neighbour"), s("topo_neighbour_interface")]
    return [*out, str(table([*headers, s("topo_disagree_what")], rows)), ""]


def _building_page(site: Site, graph: Graph, building: str, members: set[str], svg: str) -> str:
    s = site.strings
    page = building_page(building)
    heading = s("topo_building_title", building=building or s("topo_unplaced"))
    out = [front_matter({"title": title(heading), "search": NOT_SEARCHED}), f"# {text(heading)}\n"]
    out += embed(page, svg, s("topo_open_svg"))
    mine = [lk for lk in graph.links if {lk.a.device, lk.b.device} & members]
    sub = Graph({n: graph.nodes[n] for lk in mine for n in (lk.a.device, lk.b.device)}, mine)
    out += unknown_table(site, sub, page) + changed_table(site, mine, page)
    return "\n".join(out) + "\n"
