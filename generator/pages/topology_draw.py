"""Drawing the topology: Graphviz (`dot`) maps as static SVG files (no script), each inventory
node a link to its device page, layered by role (core -> aggregation -> access) and grouped by
building; links lost or added highlighted, neighbours not in the inventory marked, aggregated
links one thick edge labelled with their member count; and the tables that go with a map.

Every device-derived string reaches Graphviz through `graphviz.escape` (never an HTML-like
label, no escString sequences; dot escapes XML in its SVG) and Markdown through `text`/`cell`.
"""

from __future__ import annotations

import hashlib
import posixpath

import graphviz

from netkb.generator.pages.common import page_link
from netkb.generator.site import Site, device_page
from netkb.generator.topology import ROLE_ORDER, Adjacency, Graph, Link, port_speed
from netkb.markdown import cell, table, text

STAGGER_ABOVE, STAGGER = 24, 8  # nodes above which a map's leaves are staggered over 8 rows
_COLOURS = {"up": "#555555", "lost": "#d32f2f", "added": "#2e7d32"}
_STYLES = {"up": "solid", "lost": "dashed", "added": "bold"}
_OSPF_COLOUR = "#1565c0"
_FILL = {"core": "#bbdefb", "firewall": "#ffe0b2", "aggregation": "#c8e6c9", "access": "#f5f5f5"}


def building_slug(building: str) -> str:
    return "b-" + hashlib.sha1(building.encode("utf-8")).hexdigest()[:10]


def building_page(building: str) -> str:
    return f"topology/buildings/{building_slug(building)}.md"


def _url(from_file: str, to_page: str) -> str:
    """An href in an SVG file to a page's URL (directory URLs: devices/x.md is served at devices/x/)."""
    target = to_page.removesuffix(".md").removesuffix("index") + ("" if to_page.endswith("index.md") else "/")
    return posixpath.relpath(target, posixpath.dirname(from_file)).rstrip("/") + "/"


# --- drawing -------------------------------------------------------------------------------------


def _rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def _new_dot(name: str) -> graphviz.Graph:
    dot = graphviz.Graph(name, format="svg", engine="dot")
    dot.attr(rankdir="TB", fontname="sans-serif", newrank="true", compound="true")
    dot.attr("node", shape="box", style="rounded,filled", fontname="sans-serif", fontsize="10")
    dot.attr("edge", fontname="sans-serif", fontsize="8", dir="none")
    return dot


def _node(dot: graphviz.Graph, graph: Graph, svg: str, name: str, ids: dict[str, str]) -> None:
    node = graph.nodes[name]
    ids[name] = f"n{len(ids)}"
    tip = graphviz.escape(name)
    if not node.known:  # no device page: a warning colour, the name as the device advertised it
        dot.node(
            ids[name],
            graphviz.escape(f"{name}\n?"),
            fillcolor="#ffcc80",
            color="#e65100",
            penwidth="2",
            tooltip=tip,
        )
        return
    fill = _FILL.get(node.role, "#ffffff")
    dot.node(ids[name], tip, URL=_url(svg, device_page(name)), target="_top", fillcolor=fill, tooltip=tip)


def _edge(dot: graphviz.Graph, link: Link, ids: dict[str, str], graph: Graph, labels: bool) -> None:
    a, b = link.a, link.b
    if _rank(graph.nodes[a.device].role) > _rank(graph.nodes[b.device].role):
        a, b = b, a  # the upper layer first, so dot ranks core above aggregation above access
    dot.edge(
        ids[a.device],
        ids[b.device],
        taillabel=graphviz.escape(a.interface) if labels else "",
        headlabel=graphviz.escape(b.interface) if labels else "",
        color=_COLOURS[link.status],
        style=_STYLES[link.status],
        penwidth="1" if link.status == "up" else "2.5",
        tooltip=graphviz.escape(
            f"{a.device} {_port(a.interface)} - {b.device} {_port(b.interface)} ({link.status})"
        ),
    )


def draw(
    site: Site, graph: Graph, svg: str, names: set[str], summaries: dict[str, int], labels: bool = True
) -> str:
    """The SVG of the nodes `names` (clustered by building) and the links between them (with
    their interface names when `labels`); each building of `summaries` gets one node for its
    access switches.

    Running dot is the cost (seconds at 1,000 devices), and even writing its source is not free:
    the SVG is kept (generator/pagecache.py) by what the map shows — its nodes, the links and
    adjacencies placed on it, its words — so a night that changed nothing on a map costs a hash."""
    shown = []
    for link in graph.links:
        ends = (
            _placed(graph, link.a.device, names, summaries),
            _placed(graph, link.b.device, names, summaries),
        )
        if ends[0] is not None and ends[1] is not None and ends[0] != ends[1]:  # not inside one summary
            shown.append((link, ends[0], ends[1]))
    ospf = [adj for adj in graph.ospf if adj.a in names and adj.b in names]
    words = (
        str(site.strings("topo_unplaced")),
        *(site.strings("topo_summary_node", building=b, count=c) for b, c in sorted(summaries.items())),
    )
    nodes = sorted((n, graph.nodes[n]) for n in names)
    shape = repr((svg, labels, nodes, sorted(summaries.items()), [str(w) for w in words], shown, ospf))
    key = ("topology-svg-2", hashlib.sha256(shape.encode("utf-8")).hexdigest())
    return site.pages.get(key, lambda: _dot(site, graph, svg, names, summaries, labels, shown, ospf))


def _dot(
    site: Site,
    graph: Graph,
    svg: str,
    names: set[str],
    summaries: dict[str, int],
    labels: bool,
    shown: list[tuple[Link, str, str]],
    ospf: list[Adjacency],
) -> str:
    dot = _new_dot(posixpath.basename(svg))
    ids: dict[str, str] = {}
    by_building: dict[str, list[str]] = {}
    for name in sorted(names, key=lambda n: (_rank(graph.nodes[n].role), n)):
        by_building.setdefault(graph.nodes[name].building, []).append(name)
    for building in summaries:
        by_building.setdefault(building, [])
    for number, (building, members) in enumerate(sorted(by_building.items())):
        with dot.subgraph(name=f"cluster_{number}") as cluster:
            cluster.attr(
                label=graphviz.escape(building or str(site.strings("topo_unplaced"))), style="dashed"
            )
            for name in members:
                _node(cluster, graph, svg, name, ids)
            if building in summaries:
                ids[f"summary:{building}"] = f"s{number}"
                label = str(site.strings("topo_summary_node", building=building, count=summaries[building]))
                url = _url(svg, building_page(building))
                cluster.node(
                    f"s{number}",
                    graphviz.escape(label),
                    URL=url,
                    target="_top",
                    shape="folder",
                    fillcolor=_FILL["access"],
                )
    _links_into(dot, graph, ids, shown, labels)
    _ospf_into(dot, ospf, ids)
    if len(ids) > STAGGER_ABOVE:  # many leaves under one switch: rows of STAGGER instead of one line
        dot = dot.unflatten(stagger=STAGGER)
    return dot.pipe(encoding="utf-8")


def _links_into(
    dot: graphviz.Graph, graph: Graph, ids: dict[str, str], shown: list[tuple[Link, str, str]], labels: bool
) -> None:
    seen: set[tuple[str, str]] = set()
    bundles: dict[tuple[tuple[str, str], ...], list[Link]] = {}
    for link, a, b in shown:
        if a == link.a.device and b == link.b.device and (link.agg_a or link.agg_b):
            key = tuple(sorted(((link.a.device, link.agg_a), (link.b.device, link.agg_b))))
            bundles.setdefault(key, []).append(link)
            continue
        if a == link.a.device and b == link.b.device:
            _edge(dot, link, ids, graph, labels)
            continue
        ends = sorted(
            (a, b), key=lambda end: _rank("access" if end.startswith("summary:") else graph.nodes[end].role)
        )
        if (pair := (ids[ends[0]], ids[ends[1]])) not in seen and pair[0] != pair[1]:
            seen.add(pair)  # a summary node: one line per building, coloured if it changed
            dot.edge(*pair, color=_COLOURS[link.status], style=_STYLES[link.status])
    for members in bundles.values():
        _bundle(dot, members, ids, graph)


def _port(interface: str) -> str:
    """An interface with its speed by port type, where the name says it (`XGE1/0/1 10G`)."""
    speed = port_speed(interface)
    return f"{interface} {speed}" if speed else interface


def _bundle(dot: graphviz.Graph, members: list[Link], ids: dict[str, str], graph: Graph) -> None:
    """The members of one aggregate as one thick line, labelled with the aggregate's name and its
    member count; red dashed when a member was lost, green when one was added."""
    first = members[0]
    status = next((s for s in ("lost", "added") if any(m.status == s for m in members)), "up")
    a, b, agg_a, agg_b = first.a, first.b, first.agg_a, first.agg_b
    if _rank(graph.nodes[a.device].role) > _rank(graph.nodes[b.device].role):
        a, b, agg_a, agg_b = b, a, agg_b, agg_a
    up = sum(1 for m in members if m.status != "lost")
    label = f"{agg_a or agg_b} ×{up}" + (f"/{len(members)}" if up != len(members) else "")
    ports = ", ".join(f"{m.a.interface}-{m.b.interface}" for m in members)
    dot.edge(
        ids[a.device],
        ids[b.device],
        label=graphviz.escape(label),
        color=_COLOURS[status],
        style=_STYLES[status],
        penwidth=str(min(2 + 1.5 * len(members), 8)),
        tooltip=graphviz.escape(f"{a.device} {agg_a or '-'} - {b.device} {agg_b or '-'}: {ports}"),
    )


def _ospf_into(dot: graphviz.Graph, ospf: list[Adjacency], ids: dict[str, str]) -> None:
    """The OSPF overlay: a dotted blue line per adjacency between two devices this map shows
    (orange when not Full), left out of the layout (`constraint=false`) so the layers stay."""
    for adj in ospf:
        if adj.a in ids and adj.b in ids:
            full = adj.state.startswith("Full")
            dot.edge(
                ids[adj.a],
                ids[adj.b],
                color=_OSPF_COLOUR if full else "#ef6c00",
                style="dotted",
                penwidth="1.5",
                constraint="false",
                tooltip=graphviz.escape(f"OSPF {adj.a} {adj.interface} - {adj.b} ({adj.state})"),
            )


def _placed(graph: Graph, name: str, names: set[str], summaries: dict[str, int]) -> str | None:
    """Where a link's end sits on a map: its own node, its building's summary node, or nowhere."""
    if name in names:
        return name
    node = graph.nodes.get(name)
    if node is not None and node.building in summaries:
        return f"summary:{node.building}"
    return None


def embed(page: str, svg: str, label: object) -> list[str]:
    """The SVG as an <object> (its links work, no script), and a link to open it alone; paths are
    relative to the page's URL (directory URLs: topology/buildings/x.md is served at .../x/)."""
    url_dir = page.removesuffix(".md").removesuffix("index").rstrip("/")
    src = posixpath.relpath(svg, url_dir)
    return [
        f'<object data="{src}" type="image/svg+xml" style="max-width:100%"></object>',
        "",
        f'<a href="{src}">{text(label)}</a>',
        "",
    ]


def _device_cell(site: Site, page: str, graph: Graph, name: str) -> object:
    node = graph.nodes.get(name)
    return page_link(page, device_page(name), name) if node is not None and node.known else cell(name)


def unknown_table(site: Site, graph: Graph, page: str) -> list[str]:
    s = site.strings
    rows = []
    for lk in graph.links:
        for near, far in ((lk.a, lk.b), (lk.b, lk.a)):
            if not graph.nodes[far.device].known and graph.nodes[near.device].known:
                rows.append(
                    [
                        _device_cell(site, page, graph, near.device),
                        cell(near.interface),
                        cell(far.device),
                        cell(far.interface),
                    ]
                )
    out = [f"## {s('topo_unknown')}", ""]
    if not rows:
        return [*out, str(s("topo_unknown_none")), ""]
    headers = [s("topo_device"), s("topo_interface"), s("topo_neighbour"), s("topo_neighbour_interface")]
    return [*out, str(table(headers, rows)), ""]


def changed_table(site: Site, links: list[Link], page: str) -> list[str]:
    s = site.strings
    out = [f"## {s('topo_changed')}", ""]
    changed = [lk for lk in links if lk.status != "up"]
    if not changed:
        return [*out, str(s("topo_changed_none")), ""]
    rows = [
        [
            cell(s("topo_lost") if lk.status == "lost" else s("topo_added")),
            cell(lk.a.device),
            cell(lk.a.interface),
            cell(lk.b.device),
            cell(lk.b.interface),
        ]
        for lk in changed
    ]
    headers = [
        s("topo_change"),
        s("topo_device"),
        s("topo_interface"),
        s("topo_neighbour"),
        s("topo_neighbour_interface"),
    ]
    return [*out, str(table(headers, rows)), ""]
