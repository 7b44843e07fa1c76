"""Small Comware text helpers shared by the renderers: names, ciphers, times, VLAN lists."""

from __future__ import annotations

import base64
import hashlib
import time

from netkb.lab.model import Device, Interface

CRLF = "\r\n"

# Full interface type -> the abbreviation Comware prints in brief tables (display interface
# brief, display ospf peer, display vlan brief). Longest names first so prefixes do not clash.
INTERFACE_TYPES = (
    ("Twenty-FiveGigE", "WGE"),
    ("Ten-GigabitEthernet", "XGE"),
    ("M-GigabitEthernet", "MGE"),
    ("GigabitEthernet", "GE"),
    ("FortyGigE", "FGE"),
    ("HundredGigE", "HGE"),
    ("Bridge-Aggregation", "BAGG"),
    ("Vlan-interface", "Vlan"),
    ("LoopBack", "Loop"),
    ("InLoopBack", "InLoop"),
    ("NULL", "NULL"),
)

# Seconds east of UTC the campus devices keep (clock timezone Beijing add 08:00:00).
TZ_NAME = "Beijing"
TZ_OFFSET = 8 * 3600


def short_name(name: str) -> str:
    for full, short in INTERFACE_TYPES:
        if name.startswith(full):
            return short + name[len(full) :]
    if name.startswith("Vlanif"):  # a VRP-style name in a hand-built model
        return "Vlan" + name[len("Vlanif") :]
    return name


def vlanif_id(iface: Interface) -> int:
    digits = "".join(ch for ch in iface.name if ch.isdigit())
    return int(digits) if digits else 0


def normalize_interface(text: str) -> str | None:
    """`g1/0/1`, `GigabitEthernet 1/0/1`, `vlan 10`, `ten1/0/49` -> the full Comware name."""
    raw = text.replace(" ", "")
    split = next((i for i, ch in enumerate(raw) if ch.isdigit()), len(raw))
    kind, number = raw[:split].lower(), raw[split:]
    if not kind or not number:
        return None
    aliases = {
        "vlan": "Vlan-interface",
        "vlanif": "Vlan-interface",
        "loop": "LoopBack",
        "xge": "Ten-GigabitEthernet",
    }
    for alias, full in aliases.items():
        if kind == alias:
            return full + number
    for full, short in INTERFACE_TYPES:
        if full.lower().startswith(kind) or short.lower() == kind:
            return full + number
    return None


def interface_sort_key(name: str) -> tuple:
    """Comware's order in the configuration: NULL, LoopBack, aggregates, VLAN interfaces, ports."""
    order = ("NULL", "LoopBack", "Bridge-Aggregation", "Vlan-interface", "M-GigabitEthernet")
    rank = next((i for i, prefix in enumerate(order) if name.startswith(prefix)), len(order))
    numbers = tuple(int(part) for part in "".join(ch if ch.isdigit() else " " for ch in name).split())
    return (rank, name.rstrip("0123456789/"), numbers)


def vlan_list(vids: list[int]) -> str:
    """`1 10 to 12 20`: consecutive VLANs folded into ranges as `port trunk permit vlan` prints them."""
    out, values = [], sorted(set(vids))
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        out.append(str(values[i]) if i == j else f"{values[i]} to {values[j]}")
        i = j + 1
    return " ".join(out)


def parse_vlan_list(tokens: list[str]) -> list[int] | None:
    """`10 20 to 30` / `all` -> VLAN ids; None when malformed."""
    if [t.lower() for t in tokens] == ["all"]:
        return list(range(1, 4095))
    result: list[int] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].isdigit():
            return None
        start = int(tokens[i])
        if i + 2 < len(tokens) and tokens[i + 1].lower() == "to" and tokens[i + 2].isdigit():
            result.extend(range(start, int(tokens[i + 2]) + 1))
            i += 3
        else:
            result.append(start)
            i += 1
    return result if result and all(1 <= v <= 4094 for v in result) else None


# --- secrets: deterministic per plain text and device, as Comware's are -------------------


def _digest(dev: Device, plain: str, purpose: str, size: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{purpose}|{dev.name}|{plain}|{counter}".encode()).digest()
        counter += 1
    return out[:size]


def cipher7(dev: Device, plain: str) -> str:
    """Comware 7 reversible cipher text: `$c$3$` + base64, longer for longer secrets."""
    body = _digest(dev, plain, "c3", 12 + len(plain.encode()) + 4)
    return "$c$3$" + base64.b64encode(body).decode()


def hash7(dev: Device, plain: str) -> str:
    """Comware 7 irreversible hash: `$h$6$` + 16-character salt + `$` + SHA-512 in base64."""
    salt = base64.b64encode(_digest(dev, plain, "salt", 12)).decode()
    value = hashlib.sha512((salt + plain).encode()).digest()
    return f"$h$6${salt}${base64.b64encode(value).decode()}"


_CIPHER5_ALPHABET = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"


def cipher5(dev: Device, plain: str) -> str:
    """Comware 5 `cipher` text: 24 printable characters ending in `!!` (e.g. `_(TT8F]Y\\5SQ=^Q`MAF4<1!!`)."""
    raw = _digest(dev, plain, "c5", 22)
    return "".join(_CIPHER5_ALPHABET[b % len(_CIPHER5_ALPHABET)] for b in raw) + "!!"


def cipher(dev: Device, plain: str) -> str:
    return cipher7(dev, plain) if dev.os_major >= 7 else cipher5(dev, plain)


# --- time ---------------------------------------------------------------------------------


def local_time(dev: Device, when: float | None = None) -> tuple[time.struct_time, int]:
    """The device's wall clock (Beijing time) and its milliseconds."""
    stamp = dev.now() if when is None else when
    return time.gmtime(stamp + TZ_OFFSET), int((stamp % 1) * 1000)


def uptime_text(dev: Device) -> str:
    """`0 weeks, 3 days, 4 hours, 12 minutes`; Comware 5 keeps the singular for 0 and 1."""
    seconds = dev.uptime_seconds()
    weeks, rest = divmod(seconds, 7 * 86400)
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    for value, unit in ((weeks, "week"), (days, "day"), (hours, "hour"), (minutes, "minute")):
        plural = value > 1 if dev.os_major < 7 else value != 1
        parts.append(f"{value} {unit}{'s' if plural else ''}")
    return ", ".join(parts)


def log_stamp(dev: Device, when: float) -> str:
    """`Nov 26 10:12:01:123 2026` (day padded with a space, as in `%Oct  4 06:59:33:843 2026`)."""
    tm, ms = local_time(dev, when)
    return f"{time.strftime('%b', tm)} {tm.tm_mday:>2} {time.strftime('%H:%M:%S', tm)}:{ms:03d} {tm.tm_year}"


def mac_dotted(mac: str) -> str:
    """`70ba-ef00-0001` as Comware prints MACs (lower case, dash every four digits)."""
    raw = "".join(ch for ch in mac.lower() if ch in "0123456789abcdef").rjust(12, "0")[:12]
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def vlan_name(dev: Device, vid: int) -> str:
    """The VLAN's name; `VLAN 0010` by default (VLAN 1's model name `default` is VRP's word)."""
    vlan = dev.vlans.get(vid)
    if vlan is None or not vlan.name or (vid == 1 and vlan.name == "default"):
        return f"VLAN {vid:04d}"
    return vlan.name


def vlan_description(dev: Device, vid: int) -> str:
    vlan = dev.vlans.get(vid)
    return vlan.description if vlan is not None and vlan.description else f"VLAN {vid:04d}"
