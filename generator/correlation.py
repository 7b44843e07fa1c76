"""What changed before an incident: config and state commits on its devices and their directly
connected neighbours, in a window (default 72 h) before `reported`.

Neighbours come from what the devices report, where the topology is known:
- OSPF peers (`state/ospf.yml`): the peer's router id or address is matched against every
  device's `router-id` and interface addresses in its config;
- interface descriptions (`state/interfaces.yml`) that name another inventory device
  (`上联-图书馆汇聚 agg-lib`), the usual campus convention for uplinks, so access switches
  without OSPF still have their neighbours.
Both ends count: a link seen from either side makes each the other's neighbour.

A commit is dated when the collect found the change, not when it was made: the change was
made between the device's previous collection and that commit. So a commit after `reported`
whose previous collection came before it may hold the cause; it is listed with
`found_after=True` (the page says "made between … and …") rather than hidden. A change first
collected after the incident and made after it (its previous collection too is after
`reported`) is never listed.
"""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from netkb.generator.model import Change, History, RunFigures, RunSummary
from netkb.records.incidents import Incident

_ROUTER_ID = re.compile(r"^\s*(?:ospf \d+ )?router-id (\d{1,3}(?:\.\d{1,3}){3})\b", re.M)
_ADDRESS = re.compile(r"^\s*ip address (\d{1,3}(?:\.\d{1,3}){3})\b", re.M)
# Which changes count: a first snapshot is when collection began, not a change on the network.
CHANGE_KINDS = frozenset({"config", "state", "removed"})


class LinkSource(enum.StrEnum):
    OSPF = "ospf"  # an OSPF peer
    DESCRIPTION = "description"  # an interface description names the other device


@dataclass(frozen=True)
class Link:
    """How a device knows a neighbour: `source` seen on `interface` of `seen_from`."""

    source: LinkSource
    interface: str
    seen_from: str  # the device that reports it (the other end when only that end does)


@dataclass(frozen=True)
class Topology:
    links: dict[str, dict[str, Link]]  # device -> neighbour -> link

    def neighbours(self, device: str) -> dict[str, Link]:
        return self.links.get(device, {})


def _addresses(config: str) -> set[str]:
    found = set(_ROUTER_ID.findall(config)) | set(_ADDRESS.findall(config))
    out = set()
    for text in found:
        try:
            out.add(str(ipaddress.IPv4Address(text)))
        except ipaddress.AddressValueError:
            continue
    return out


def topology(history: History, devices: Iterable[str]) -> Topology:
    """Links between the given devices (inventory names) from their state and config at HEAD."""
    names = sorted(set(devices))
    owner: dict[str, str] = {}
    for name in names:
        device = history.devices.get(name)
        for address in _addresses(device.config) if device else ():
            owner.setdefault(address, name)
    # Longest names first, bounded by non-alphanumerics: `下联-acc-dorm-01` names acc-dorm-01 (not
    # dorm-01), `下联-dorm-01` names dorm-01, `core-10` is not core-1.
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    mention = re.compile(rf"(?<![A-Za-z0-9])({alternatives})(?![A-Za-z0-9])") if names else None
    seen: dict[str, dict[str, Link]] = {}  # what each device itself reports

    def link(a: str, b: str, source: LinkSource, interface: object) -> None:
        if a != b:
            seen.setdefault(a, {}).setdefault(b, Link(source, str(interface or ""), a))

    for name in names:
        device = history.devices.get(name)
        if device is None:
            continue
        for peer in _rows(device.state.get("ospf")):
            other = owner.get(str(peer.get("router_id", ""))) or owner.get(str(peer.get("address", "")))
            if other:
                link(name, other, LinkSource.OSPF, peer.get("interface"))
        for iface in _rows(device.state.get("interfaces")):
            description = str(iface.get("description") or "")
            for match in mention.finditer(description) if mention else ():
                link(name, match.group(1), LinkSource.DESCRIPTION, iface.get("name"))
    links = {a: dict(b) for a, b in seen.items()}
    for a, others in seen.items():  # the other end's view, where that end does not report the link
        for b, found in others.items():
            links.setdefault(b, {}).setdefault(a, found)
    return Topology({a: dict(sorted(b.items())) for a, b in sorted(links.items())})


def _rows(value: object) -> list[dict[str, object]]:
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


@dataclass(frozen=True)
class RelatedChange:
    device: str
    relation: str  # "affected", or "neighbour" of an affected device
    neighbour_of: str  # for a neighbour: the affected device it is connected to ("" when affected)
    link: Link | None  # for a neighbour: how the two are known to be connected
    change: Change
    made_after: dt.datetime | None  # the device's previous collection (None: unknown)
    found_after: bool  # collected after `reported`: made between made_after and the commit


def previous_collections(
    history: History, figures: Callable[[RunSummary], RunFigures] = RunFigures.of
) -> dict[tuple[str, str], dt.datetime]:
    """(device, commit sha) -> when the device was last collected before the run that committed
    it. `figures` may be a cache of each run's figures (see RunIndex.figures)."""
    out: dict[tuple[str, str], dt.datetime] = {}
    for run in history.runs:
        for name, commit in figures(run).commits:
            collections = history.collections.get(name)
            before = collections.last_ok_before(run.started) if collections else None
            if before is not None:
                out[(name, commit)] = before
    return out


def changes_before(
    incident: Incident,
    history: History,
    topo: Topology,
    window_hours: float,
    previous: dict[tuple[str, str], dt.datetime] | None = None,
) -> list[RelatedChange]:
    """Changes on the incident's devices and their neighbours that may have come before it, newest first.

    `previous` is `previous_collections(history)`; pass it when correlating many incidents."""
    previous = previous_collections(history) if previous is None else previous
    start = incident.reported - dt.timedelta(hours=window_hours)
    watched: dict[str, tuple[str, str, Link | None]] = {
        name: ("affected", "", None) for name in incident.devices
    }
    for name in incident.devices:
        for other, link in topo.neighbours(name).items():
            watched.setdefault(other, ("neighbour", name, link))
    found: list[RelatedChange] = []
    for name, (relation, neighbour_of, via) in watched.items():
        device = history.devices.get(name)
        for change in device.changes if device else ():
            if change.kind not in CHANGE_KINDS:
                continue
            made_after = previous.get((name, change.sha))
            if change.date < start:
                continue  # found before the window opened: made before it too
            if change.date > incident.reported and (made_after is None or made_after >= incident.reported):
                continue  # made after the report
            found.append(
                RelatedChange(
                    name, relation, neighbour_of, via, change, made_after, change.date > incident.reported
                )
            )
    found.sort(key=lambda r: (r.relation != "affected", r.device))
    found.sort(key=lambda r: r.change.date, reverse=True)  # newest first; stable: affected, then by name
    return found
