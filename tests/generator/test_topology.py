"""The campus graph from a small hand-made neighbour set, the previous night rebuilt from a
patch, and the SVG a map is drawn as (links to device pages, device strings escaped)."""

from __future__ import annotations

import difflib
from dataclasses import replace
from types import SimpleNamespace

from netkb.generator.pagecache import PageCache
from netkb.generator.pages.topology_draw import building_page, draw
from netkb.generator.topology import (
    Device,
    build_graph,
    disagreements,
    dump_rows,
    members_of,
    ospf_overlay,
    port_key,
    rows_of,
    unapply,
)
from netkb.i18n import Strings

DEVICES = [
    Device("core-1", "core", "网络中心"),
    Device("agg-admin", "aggregation", "行政楼"),
    Device("acc-admin-02", "access", "行政楼"),
]


def row(interface: str, neighbour: str | None, port: str) -> dict[str, object]:
    return {"interface": interface, "neighbour": neighbour, "neighbour_interface": port, "chassis_id": None}


TONIGHT = {
    "core-1": [row("Ten-GigabitEthernet1/2/0/3", "agg-admin", "Ten-GigabitEthernet1/0/25")],
    "agg-admin": [
        row("Ten-GigabitEthernet1/0/25", "core-1", "Ten-GigabitEthernet1/2/0/3"),
        row("GigabitEthernet1/0/2", "acc-admin-02", "GigabitEthernet1/0/49"),
    ],
    # the brief list's spelling (`GE1/0/49`) is the same port as the full one
    "acc-admin-02": [
        row("GigabitEthernet1/0/49", "agg-admin", "GE1/0/2"),
        row("GigabitEthernet1/0/18", "TL-WR842N", "LAN2"),
    ],
}


def test_port_spellings_meet() -> None:
    assert port_key("XGE1/0/25") == port_key("Ten-GigabitEthernet1/0/25") == port_key("Te1/0/25")
    assert port_key("GigabitEthernet 0/1") == port_key("Gi0/1") != port_key("XGE0/1")


def test_one_link_per_cable_and_the_rogue_router_is_unknown() -> None:
    graph = build_graph(DEVICES, TONIGHT)
    assert len(graph.links) == 3
    assert all(link.status == "up" for link in graph.links)
    assert [n.name for n in graph.unknown()] == ["TL-WR842N"]
    assert graph.nodes["TL-WR842N"].building == "行政楼"  # where the device that sees it stands
    rogue = next(lk for lk in graph.links if "TL-WR842N" in (lk.a.device, lk.b.device))
    assert not rogue.both_ends
    cable = next(lk for lk in graph.links if {lk.a.device, lk.b.device} == {"agg-admin", "acc-admin-02"})
    assert cable.both_ends


def test_a_link_gone_since_last_night_is_lost_and_a_new_one_added() -> None:
    rogue_before = row("GigabitEthernet1/0/17", "TL-WR842N", "LAN1")
    last_night = {**TONIGHT, "acc-admin-02": [TONIGHT["acc-admin-02"][0], rogue_before]}
    graph = build_graph(DEVICES, TONIGHT, last_night)
    changed = {(lk.status, lk.b.interface) for lk in graph.changed()}
    assert changed == {("lost", "LAN1"), ("added", "LAN2")}


def test_the_previous_rows_come_back_from_the_patch() -> None:
    path = "devices/acc-admin-02/state/neighbours.yml"
    before, after = dump_rows(TONIGHT["agg-admin"]), dump_rows(TONIGHT["acc-admin-02"])
    body = difflib.unified_diff(before, after, f"a/{path}", f"b/{path}", lineterm="")
    patch = f"diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n" + "\n".join(body) + "\n"
    assert unapply(after, patch, path) == before
    assert rows_of(unapply(after, patch, path) or []) == TONIGHT["agg-admin"]
    assert unapply(after[1:], patch, path) is None  # a patch that does not fit: unknown, not a guess


def test_the_svg_links_each_device_and_escapes_what_devices_say() -> None:
    hostile = '<script>alert(1)</script>&"\\N'
    rows = {**TONIGHT, "acc-admin-02": [row("GigabitEthernet1/0/17", hostile, "<b>LAN1</b>")]}
    graph = build_graph(DEVICES, rows)
    site = SimpleNamespace(strings=Strings("en"), pages=PageCache(None, ""))
    svg_path = building_page("行政楼").removesuffix(".md") + ".svg"
    svg = draw(site, graph, svg_path, set(graph.nodes), {})  # type: ignore[arg-type]
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in svg and "&lt;b&gt;LAN1&lt;/b&gt;" in svg
    assert "\\N" in svg or "\\\\N" in svg  # printed as written, not dot's node-name escape
    assert 'xlink:href="../../devices/core-1/"' in svg and 'target="_top"' in svg
    assert "../../devices/acc-admin-02/" in svg and "devices/&lt;script" not in svg


def test_the_tables_show_what_devices_say_as_text() -> None:
    from netkb.generator.pages.topology_draw import changed_table, unknown_table

    hostile = "<img src=x onerror=alert(1)>|*"
    rows = {**TONIGHT, "acc-admin-02": [row("GigabitEthernet1/0/17", hostile, "[x](javascript:y)")]}
    graph = build_graph(DEVICES, rows, TONIGHT)
    site = SimpleNamespace(strings=Strings("en"))
    markdown = "\n".join(
        unknown_table(site, graph, "topology/index.md")
        + changed_table(site, graph.links, "topology/index.md")
    )  # type: ignore[arg-type]
    assert "<img" not in markdown and "](javascript" not in markdown
    assert "&#60;img src=x onerror=alert(1)&#62;&#124;&#42;" in markdown
    assert "[acc-admin-02](../devices/acc-admin-02.md)" in markdown


def test_ospf_peers_become_one_overlay_adjacency_per_pair_of_inventory_devices() -> None:
    peers = {
        "core-1": [
            {"router_id": "10.255.1.1", "address": "10.0.0.5", "interface": "XGE1/2/0/3", "state": "Full/ -"},
            {"router_id": "9.9.9.9", "address": "172.16.0.1", "interface": "Vlan9", "state": "Full/DR"},
        ],
        "agg-admin": [
            {"router_id": "10.255.0.1", "address": "10.0.0.6", "interface": "XGE1/0/25", "state": "Init"}
        ],
    }
    owner = {"10.255.1.1": "agg-admin", "10.255.0.1": "core-1"}  # from the configs; 9.9.9.9 is nobody's
    overlay = ospf_overlay(peers, owner)
    assert [(a.a, a.b, a.state) for a in overlay] == [("core-1", "agg-admin", "Full/ -")]  # Full wins
    graph = replace(build_graph(DEVICES, TONIGHT), ospf=overlay)
    site = SimpleNamespace(strings=Strings("en"), pages=PageCache(None, ""))
    svg = draw(site, graph, "topology/campus.svg", set(graph.nodes), {})  # type: ignore[arg-type]
    assert 'stroke="#1565c0"' in svg and 'stroke-dasharray="1,5"' in svg  # a dotted blue line
    assert "OSPF core&#45;1 XGE1/2/0/3 &#45; agg&#45;admin (Full/ &#45;)" in svg  # dot writes - as &#45;


def test_an_aggregate_is_one_thick_line_with_its_member_count_and_a_half_aggregated_link_disagrees() -> None:
    core = [
        row(f"Ten-GigabitEthernet1/2/0/{n}", "agg-admin", f"Ten-GigabitEthernet1/0/{24 + n}") for n in (3, 4)
    ]
    agg = [row(f"Ten-GigabitEthernet1/0/{24 + n}", "core-1", f"XGE1/2/0/{n}") for n in (3, 4)]
    agg.append(row("GigabitEthernet1/0/2", "acc-admin-02", "GigabitEthernet1/0/49"))
    acc = [row("GigabitEthernet1/0/49", "agg-admin", "GE1/0/2")]
    lags = {
        "core-1": members_of(
            [
                {"aggregate": "Bridge-Aggregation1", "member": f"XGE1/2/0/{n}", "selected": True}
                for n in (3, 4)
            ]
        ),
        "agg-admin": members_of(
            [
                {
                    "aggregate": "Bridge-Aggregation1",
                    "member": f"Ten-GigabitEthernet1/0/{24 + n}",
                    "selected": True,
                }
                for n in (3, 4)
            ]
        ),
        "acc-admin-02": {},
    }
    graph = build_graph(DEVICES, {"core-1": core, "agg-admin": agg, "acc-admin-02": acc}, None, lags)
    assert sorted((lk.agg_a, lk.agg_b) for lk in graph.links) == [
        ("", ""),
        *[("Bridge-Aggregation1",) * 2] * 2,
    ]
    site = SimpleNamespace(strings=Strings("en"), pages=PageCache(None, ""))
    svg = draw(site, graph, "topology/campus.svg", set(graph.nodes), {})  # type: ignore[arg-type]
    assert svg.count("Bridge&#45;Aggregation1 ×2") == 1  # one line for both members
    assert 'stroke-width="5"' in svg
    assert disagreements(graph, lags) == []  # both ends aggregated, same speed
    half = {**lags, "agg-admin": {}}  # agg-admin's ports are single: the ends disagree
    one_sided = build_graph(DEVICES, {"core-1": core, "agg-admin": agg, "acc-admin-02": acc}, None, half)
    assert {reason for _, reason in disagreements(one_sided, half)} == {"aggregation"}
    unread = {"core-1": lags["core-1"]}  # agg-admin's aggregation not read: no judgement
    assert disagreements(build_graph(DEVICES, {"core-1": core, "agg-admin": agg}, None, unread), unread) == []


def test_ports_of_different_speeds_disagree() -> None:
    rows = {"agg-admin": [row("Ten-GigabitEthernet1/0/2", "acc-admin-02", "GigabitEthernet1/0/49")]}
    graph = build_graph(DEVICES, rows)
    assert [(lk.a.interface, reason) for lk, reason in disagreements(graph, {})] == [
        ("Ten-GigabitEthernet1/0/2", "speed")
    ]
