"""What a device should show, for checks that cannot judge a first run from the output alone.

An IRF split leaves each half a healthy one-member stack, and an OSPF router that lost every
neighbour prints the same empty table as one that never had any. Two sources say what is
expected: the inventory (`expect: {irf_members: 2, ospf_neighbours: 3}` on a device or a
group) and the device's own config (IRF member and IRF-port lines, an OSPF process). Pure.
"""

from __future__ import annotations

import re
from typing import Any

from netkb.spec import find_spec

# A config line that runs OSPF is the spec's `ospf_config`. Where the spec says `irf_config`,
# the config declares IRF: ` irf member 2 priority 1` (one per member the config knows), and an IRF port with
# physical ports bound to it (`irf-port 1/2` then ` port group interface Ten-GigabitEthernet1/0/50`).
_IRF_MEMBER = re.compile(r"^\s*irf member (\d+) (?:priority|description|renumber)\b", re.MULTILINE)
_IRF_PORT_BOUND = re.compile(
    r"^irf-port \d+/\d+\s*\n(?:[ \t]+.*\n)*?[ \t]+port group interface ", re.MULTILINE
)


def config_facts(platform: str, config: str) -> dict[str, Any]:
    """Facts a (cleaned) running config states; nothing when there is no config to read."""
    if not config.strip():
        return {}
    facts: dict[str, Any] = {}
    spec = find_spec(platform)
    if spec is None:
        return facts
    if spec.ospf_config is not None:
        facts["ospf_configured"] = bool(spec.ospf_config.search(config))
    if spec.irf_config:
        members = sorted({int(n) for n in _IRF_MEMBER.findall(config)})
        if members:
            facts["irf_configured_members"] = members
        facts["irf_ports_bound"] = bool(_IRF_PORT_BOUND.search(config + "\n"))
    return facts


def merged(config: dict[str, Any], stated: dict[str, Any]) -> dict[str, Any]:
    """The config's facts, then what the inventory states (the inventory wins)."""
    return {**config, **{k: v for k, v in stated.items() if v is not None}}


# Which interfaces a config runs OSPF on: an interface-level enable, or an address inside a
# `network` statement of an OSPF process; minus silent (passive) interfaces, which form no
# adjacency by design.
_IF_OSPF = re.compile(r"^\s+(?:ospf \d+ area |ospf enable(?: \d+)? area |ip ospf \d+ area )", re.MULTILINE)
_IP = re.compile(r"^\s+ip address (\d+\.\d+\.\d+\.\d+)[ /](\S+)", re.MULTILINE)
_NETWORK = re.compile(r"^\s*network (\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+)", re.MULTILINE)
_SILENT = re.compile(
    r"^\s*(undo |no )?(?:silent-interface|passive-interface) (\S+(?: \S+)?)\s*$", re.MULTILINE
)
_OSPF_PROCESS = re.compile(r"^(?:router )?ospf \d+\b")


def _ip(text: str) -> int:
    a, b, c, d = (int(x) for x in text.split("."))
    return a << 24 | b << 16 | c << 8 | d


def ospf_interfaces(platform: str, config: str) -> list[str] | None:
    """The interfaces this (cleaned) config runs OSPF on; None when there is no config to read."""
    if not config.strip():
        return None
    blocks: list[tuple[str, str]] = []  # (header line, body)
    for chunk in re.split(r"^(?=\S)", config, flags=re.MULTILINE):
        header, _, body = chunk.partition("\n")
        blocks.append((header.strip(), body))
    interfaces: dict[str, str] = {}
    networks: list[tuple[int, int]] = []
    silent: dict[str, bool] = {}
    for header, body in blocks:
        if header.startswith("interface "):
            interfaces[header.removeprefix("interface ").strip()] = body
        elif _OSPF_PROCESS.match(header):
            networks += [(_ip(n), _ip(w)) for n, w in _NETWORK.findall(body)]
            for undo, what in _SILENT.findall(body):
                target = "*" if what in ("all", "default") else what.replace(" ", "")
                silent[target] = not undo
    running = []
    for name, body in interfaces.items():
        enabled = bool(_IF_OSPF.search(body))
        for address, _mask in _IP.findall(body):
            ip = _ip(address)
            enabled = enabled or any(ip & ~w & 0xFFFFFFFF == n & ~w & 0xFFFFFFFF for n, w in networks)
        quiet = silent.get(name.replace(" ", ""), silent.get("*", False))
        if enabled and not quiet:
            running.append(name)
    return running
