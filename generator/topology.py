"""The campus graph from what every device reports over LLDP (`state/neighbours.yml`).

Pure: devices and neighbour rows in, a graph out. A link is one cable seen from either end or
both, its two interface names as the two ends print them; a neighbour no inventory device
answers for (a rogue router, a phone, a device not yet in the inventory) is a node of its own,
marked unknown. Comparing the rows of the previous night with tonight's gives the links lost
and added. `previous_rows` rebuilds a device's rows before its latest change from the patch the
history keeps (the state file is written by the collector's `dump_state`, one scalar a line).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from netkb.yamlsafe import safe_load

ROLE_ORDER = ("core", "firewall", "aggregation", "access")
# Interface families: every spelling a platform prints (full, brief list, advertised) -> one word,
# so `XGE1/0/25`, `Ten-GigabitEthernet1/0/25` and `Te1/0/25` are the same port.
_FAMILIES = {
    "10g": ("ten-gigabitethernet", "tengigabitethernet", "xgigabitethernet", "xge", "te"),
    "1g": ("gigabitethernet", "ge", "gi"),
    "25g": ("twenty-fivegige", "twentyfivegige", "25ge", "twe", "wge"),
    "40g": ("fortygige", "fortygigabitethernet", "40ge", "fo", "fge"),
    "100g": ("hundredgige", "100ge", "hu", "hge"),
    "fe": ("fastethernet", "fa", "ethernet", "eth"),
    "agg": ("bridge-aggregation", "bagg", "eth-trunk", "port-channel", "po", "aggregateport", "ag"),
}
_FAMILY_OF = {spelling: family for family, spellings in _FAMILIES.items() for spelling in spellings}
_NAME = re.compile(r"^(?P<kind>[a-z][a-z-]*?)-?(?P<numbers>\d[\d/:.]*)$")


@functools.lru_cache(maxsize=65536)  # a campus prints the same few thousand names every night
def port_key(name: str) -> str:
    """One key for every spelling of an interface (`GE1/0/1`, `GigabitEthernet 1/0/1` -> `1g1/0/1`)."""
    plain = name.replace(" ", "").lower()
    m = _NAME.match(plain)
    if m is None or m["kind"] not in _FAMILY_OF:
        return plain
    return _FAMILY_OF[m["kind"]] + m["numbers"]


@dataclass(frozen=True)
class Device:
    """An inventory device as the graph needs it."""

    name: str
    role: str
    building: str


@dataclass(frozen=True)
class Node:
    name: str
    role: str  # "" for an unknown neighbour
    building: str  # an unknown neighbour sits in the building of the device that sees it
    known: bool  # in the inventory


@dataclass(frozen=True)
class End:
    device: str
    interface: str  # as this end's device prints it (or as the far end advertises it)


@dataclass(frozen=True)
class Link:
    a: End
    b: End
    status: str = "up"  # up | lost (seen last night, not tonight) | added (new tonight)
    both_ends: bool = True  # each end reports the other
    agg_a: str = ""  # the aggregate (Bridge-Aggregation / Eth-Trunk / Port-channel) a's port is a member of
    agg_b: str = ""

    @property
    def key(self) -> frozenset[tuple[str, str]]:
        return frozenset(
            {(self.a.device, port_key(self.a.interface)), (self.b.device, port_key(self.b.interface))}
        )


@dataclass(frozen=True)
class Adjacency:
    """An OSPF adjacency between two inventory devices (the overlay), as `a` reports it."""

    a: str
    b: str
    interface: str  # a's interface
    state: str  # `Full/DR`, `2-Way/DROther` ... as printed


@dataclass(frozen=True)
class Graph:
    nodes: dict[str, Node]
    links: list[Link] = field(default_factory=list)
    ospf: list[Adjacency] = field(default_factory=list)

    def unknown(self) -> list[Node]:
        return [n for n in self.nodes.values() if not n.known]

    def changed(self) -> list[Link]:
        return [link for link in self.links if link.status != "up"]


def _far_name(row: Mapping[str, Any]) -> str:
    return str(row.get("neighbour") or row.get("chassis_id") or "?")


def _links(rows_by_device: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[frozenset, Link]:
    """Every reported link once: a link both ends report is kept with the first end's view."""
    reported = {
        (device, _far_name(row), port_key(str(row["interface"])))
        for device, rows in rows_by_device.items()
        for row in rows
    }  # who reports whom on which port: one pass, so the far end's view is a lookup
    found: dict[frozenset, Link] = {}
    for device in sorted(rows_by_device):
        for row in rows_by_device[device]:
            far = _far_name(row)
            a, b = End(device, str(row["interface"])), End(far, str(row.get("neighbour_interface") or ""))
            key = frozenset({(device, port_key(a.interface)), (far, port_key(b.interface))})
            if key not in found:
                found[key] = Link(a, b, "up", (far, device, port_key(b.interface)) in reported)
    return found


def build_graph(
    devices: Iterable[Device],
    tonight: Mapping[str, Iterable[Mapping[str, Any]]],
    last_night: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    aggregation: Mapping[str, Mapping[str, str]] | None = None,
) -> Graph:
    """The graph of tonight's rows; links only in `last_night`'s rows are kept as `lost`,
    links only in tonight's as `added` (no `last_night`: nothing is lost or added). With
    `aggregation` (device -> port_key(member) -> aggregate, `members_of`), each link end
    carries the aggregate its port is a member of."""
    inventory = {d.name: d for d in devices}
    nodes = {d.name: Node(d.name, d.role, d.building, True) for d in inventory.values()}
    now = _links(tonight)
    before = _links(last_night) if last_night is not None else now
    links = [Link(lk.a, lk.b, "up" if key in before else "added", lk.both_ends) for key, lk in now.items()]
    links += [Link(lk.a, lk.b, "lost", lk.both_ends) for key, lk in before.items() if key not in now]
    if aggregation:
        links = [
            replace(
                lk,
                agg_a=aggregation.get(lk.a.device, {}).get(port_key(lk.a.interface), ""),
                agg_b=aggregation.get(lk.b.device, {}).get(port_key(lk.b.interface), ""),
            )
            for lk in links
        ]
    for link in links:
        for end, other in ((link.a, link.b), (link.b, link.a)):
            if end.device not in nodes:
                seen_by = inventory.get(other.device)
                nodes[end.device] = Node(end.device, "", seen_by.building if seen_by else "", False)
    return Graph(nodes, links)


def ospf_overlay(
    peers_by_device: Mapping[str, Iterable[Mapping[str, Any]]], owner: Mapping[str, str]
) -> list[Adjacency]:
    """One adjacency per pair of inventory devices that are OSPF peers: a peer is the device
    owning its router ID or its address (`owner`: address -> device, from the configs); a pair
    both ends report is kept once (a Full view wins), a peer no device owns is left out."""
    found: dict[frozenset[str], Adjacency] = {}
    for device in sorted(peers_by_device):
        for peer in peers_by_device[device]:
            other = owner.get(str(peer.get("router_id", ""))) or owner.get(str(peer.get("address", "")))
            if other is None or other == device:
                continue
            seen = Adjacency(device, other, str(peer.get("interface") or ""), str(peer.get("state") or ""))
            key = frozenset({device, other})
            if key not in found or (
                seen.state.startswith("Full") and not found[key].state.startswith("Full")
            ):
                found[key] = seen
    return list(found.values())


def members_of(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """A device's `aggregation` state as port_key(member) -> aggregate."""
    return {
        port_key(str(r["member"])): str(r["aggregate"])
        for r in rows
        if r.get("member") and r.get("aggregate")
    }


_SPEED = {"fe": "100M", "1g": "1G", "10g": "10G", "25g": "25G", "40g": "40G", "100g": "100G"}
_SPEED_OF = re.compile(r"^(100g|40g|25g|10g|1g|fe)\d")


def port_speed(name: str) -> str:
    """The nominal speed of a port by its type (`XGE1/0/1` -> 10G); "" when the name does not say."""
    m = _SPEED_OF.match(port_key(name))
    return _SPEED[m.group(1)] if m else ""


def disagreements(graph: Graph, aggregation: Mapping[str, Mapping[str, str]]) -> list[tuple[Link, str]]:
    """Links (not lost) between two inventory devices whose ends disagree: one end's port in an
    aggregate and the other's not (both devices' aggregation read: `aggregation` holds them), or
    ports of different speeds. Reasons: "aggregation", "speed"."""
    out = []
    for link in graph.links:
        a, b = graph.nodes.get(link.a.device), graph.nodes.get(link.b.device)
        if link.status == "lost" or a is None or b is None or not (a.known and b.known):
            continue
        read = link.a.device in aggregation and link.b.device in aggregation
        if read and bool(link.agg_a) != bool(link.agg_b):
            out.append((link, "aggregation"))
        speeds = port_speed(link.a.interface), port_speed(link.b.interface)
        if all(speeds) and speeds[0] != speeds[1]:
            out.append((link, "speed"))
    return out


# --- the previous night's rows from the history's patch ------------------------------------------


def dump_rows(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The state file's lines as the collector writes a list of flat rows (collector/snapshot.py)."""
    lines = [
        f"{'- ' if i == 0 else '  '}{key}: {json.dumps(value, ensure_ascii=False)}"
        for row in rows
        for i, (key, value) in enumerate(row.items())
    ]
    return lines or ["[]"]


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def unapply(new_lines: list[str], patch: str, path: str) -> list[str] | None:
    """The file's lines before `patch` (a git patch of several files; only `path`'s part is
    used), or None when the patch does not fit the lines (then the night is unknown)."""
    lines = patch.split("\n")
    head = f"diff --git a/{path} b/{path}"
    if head not in lines:
        return None
    old: list[str] = []
    at = 0  # the next line of the new file not yet copied
    in_hunk = False
    for line in lines[lines.index(head) + 1 :]:
        if line.startswith("diff --git "):
            break
        if m := _HUNK.match(line):
            in_hunk = True
            start = int(m.group(3)) - (0 if m.group(4) == "0" else 1)
            if start < at:
                return None
            old += new_lines[at:start]
            at = start
        elif in_hunk and line.startswith((" ", "+")):
            if at >= len(new_lines) or new_lines[at] != line[1:]:
                return None
            if line.startswith(" "):
                old.append(line[1:])
            at += 1
        elif in_hunk and line.startswith("-"):
            old.append(line[1:])
    return old + new_lines[at:]


def rows_of(lines: list[str]) -> list[dict[str, Any]]:
    """Rows back from the state file's lines (`dump_rows`' shape only)."""
    rows: list[dict[str, Any]] = []
    for line in lines:
        m = re.match(r"^(- |  )([a-z_]+): (.*)$", line)
        if m is None:
            continue
        if m.group(1) == "- ":
            rows.append({})
        if rows:
            rows[-1][m.group(2)] = json.loads(m.group(3))
    return rows


def rows_before(rows: list[dict[str, Any]], patch: str, path: str) -> list[dict[str, Any]] | None:
    """A state file's rows before `patch`, from its rows after it: the file is written back the
    collector's way (`dump_rows`), or PyYAML's block style (an older netkb, a hand-made store),
    whichever the patch fits; None when neither does (then that night is unknown)."""
    writers = (dump_rows, lambda r: yaml.safe_dump(r, allow_unicode=True, sort_keys=False).splitlines())
    for write in writers:
        old = unapply(write(rows), patch, path)
        if old is not None:
            try:
                value = safe_load("\n".join(old)) if old else []
            except yaml.YAMLError:
                return None
            return value if isinstance(value, list) else [] if value is None else None
    return None
