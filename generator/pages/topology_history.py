"""A page per date the topology changed (`topology/history/<date>.md`): the map of that night
around what changed — the devices on a lost or added link and their direct neighbours — with
the links lost and added and the neighbours not in the inventory seen then. So the rogue router
plugged in on 09-28 and removed later is on both dates' pages.

Cheap at 1,000 devices: only dates with a changed link get a page; a date's graph is built
from the rows of the devices that changed that day and the rows naming them (`night`); a
map shows only the neighbourhood of the change; dot runs only for a map whose input is new
(the SVG is kept by it, generator/pagecache.py), so a night adds one map at most.
"""

from __future__ import annotations

import datetime as dt

from netkb.generator.pages.common import NOT_SEARCHED, page_link
from netkb.generator.pages.topology_draw import changed_table, draw, embed, unknown_table
from netkb.generator.site import Site
from netkb.generator.topology import Device, Graph, build_graph
from netkb.generator.topology_history import Timeline, around, changed_by_date, night, not_rebuilt, timeline
from netkb.markdown import front_matter, text, title

HISTORY = "topology/history"


def history_page(day: dt.date) -> str:
    return f"{HISTORY}/{day.isoformat()}.md"


def timelines(site: Site) -> dict[str, Timeline]:
    out = {}
    for view in site.devices.values():
        rows = view.history.state.get("neighbours")
        if isinstance(rows, list):
            path = f"devices/{view.name}/state/neighbours.yml"
            out[view.name] = timeline(path, rows, view.history.changes)
    return out


def render_history(site: Site, devices: list[Device]) -> tuple[dict[str, str], list[str]]:
    """The pages of every date a link changed, and the index's list of them (newest first)."""
    lines = timelines(site)
    inventory = {d.name: d for d in devices}
    broken = {n: t for n, t in lines.items() if t.unknown_before is not None}
    pages: dict[str, str] = {}
    listed: list[str] = []
    for day, changed in sorted(changed_by_date(lines).items(), reverse=True):
        tonight, before = night(lines, day, changed)
        named = {str(r.get("neighbour")) for rows in (*tonight.values(), *before.values()) for r in rows}
        graph = build_graph(
            [inventory[n] for n in sorted((named | set(tonight)) & set(inventory))], tonight, before
        )
        links = graph.changed()
        if not links:
            continue  # rows changed (a chassis id, a port description) but no link did
        page = history_page(day)
        pages.update(_day_page(site, graph, day, not_rebuilt(broken, day)))
        lost = sum(1 for lk in links if lk.status == "lost")
        label = site.strings("topo_history_entry", date=day.isoformat(), lost=lost, added=len(links) - lost)
        listed.append(f"- {page_link('topology/index.md', page, label)}")
    return pages, listed


def _day_page(site: Site, graph: Graph, day: dt.date, unknown: list[str]) -> dict[str, str]:
    s = site.strings
    page = history_page(day)
    svg = page.removesuffix(".md") + ".svg"
    pairs = [(lk.a.device, lk.b.device) for lk in graph.links]
    names = around(pairs, [(lk.a.device, lk.b.device) for lk in graph.changed()])
    shown = [lk for lk in graph.links if lk.a.device in names and lk.b.device in names]
    sub = Graph({n: graph.nodes[n] for n in names}, shown)
    heading = s("topo_history_title", date=day.isoformat())
    out = [front_matter({"title": title(heading), "search": NOT_SEARCHED}), f"# {text(heading)}\n"]
    out += [str(s("topo_history_intro")), ""]
    out += embed(page, svg, s("topo_open_svg"))
    seen = Graph(sub.nodes, [lk for lk in shown if lk.status != "lost"])  # what that night saw
    out += changed_table(site, graph.changed(), page) + unknown_table(site, seen, page)
    if unknown:
        out += [str(s("topo_previous_unknown", devices=text(", ".join(unknown)))), ""]
    return {svg: draw(site, sub, svg, names, {}), page: "\n".join(out) + "\n"}
