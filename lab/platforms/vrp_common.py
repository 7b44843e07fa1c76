"""Shared helpers of the Huawei VRP (S5700, VRP 5 / V200R0xx) platform: names, time, secrets, VLAN lists."""

from __future__ import annotations

import hashlib
import random
import re
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone

from netkb.lab.model import Device, Interface

# Campus switches in China run with `clock timezone BJ add 08:00:00`.
TZ_NAME = "BJ"
TZ = timezone(timedelta(hours=8))
NL = "\r\n"

# Interface types in the order `display interface brief` sorts them (alphabetical), with the
# short form `display vlan` / `display interface description` print.
INTERFACE_TYPES: dict[str, str] = {
    "40GE": "40GE",
    "Eth-Trunk": "Eth-Trunk",
    "Ethernet": "Eth",
    "GigabitEthernet": "GE",
    "LoopBack": "LoopBack",
    "MEth": "MEth",
    "NULL": "NULL",
    "Vlanif": "Vlanif",
    "XGigabitEthernet": "XGE",
}
# Order of interface blocks in the running configuration (as S-series switches print them).
CONFIG_ORDER = ["Vlanif", "MEth", "Eth-Trunk", "Ethernet", "GigabitEthernet", "XGigabitEthernet", "40GE"]
TAIL_ORDER = ["NULL", "LoopBack"]
# Types that `interface X` may create when they do not exist yet.
CREATABLE = {"Vlanif", "LoopBack", "Eth-Trunk"}


def split_name(name: str) -> tuple[str, str]:
    """("GigabitEthernet", "0/0/1") from "GigabitEthernet0/0/1"."""
    if name.startswith("40GE"):
        return "40GE", name[4:]
    m = re.match(r"([A-Za-z-]+)(.*)", name)
    return (m.group(1), m.group(2)) if m else (name, "")


def number_key(number: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", number))


def sort_key(name: str) -> tuple[str, tuple[int, ...]]:
    kind, number = split_name(name)
    return kind.lower(), number_key(number)


def short_name(name: str) -> str:
    kind, number = split_name(name)
    return INTERFACE_TYPES.get(kind, kind) + number


def resolve_interface_type(word: str) -> str | None:
    """The full type for what the user typed ("g", "GE", "vlanif", "eth-t"); None if unknown/ambiguous."""
    low = word.lower()
    aliases = {"ge": "GigabitEthernet", "xge": "XGigabitEthernet"}
    if low in aliases:
        return aliases[low]
    hits = {kind for kind in INTERFACE_TYPES if kind.lower().startswith(low)}
    if len(hits) == 1:
        return hits.pop()
    exact = [kind for kind in hits if kind.lower() == low]
    return exact[0] if exact else None


def vlanif_id(iface: Interface) -> int:
    return int(split_name(iface.name)[1] or 0)


# --- time -------------------------------------------------------------------------------


def local_time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=TZ)


def iso_stamp(epoch: float) -> str:
    """2026-11-26 10:12:01+08:00, as VRP prints login and statistics times."""
    return local_time(epoch).strftime("%Y-%m-%d %H:%M:%S") + "+08:00"


def plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n <= 1 else f"{n} {unit}s"


def uptime_text(seconds: int) -> str:
    """`0 week, 0 day, 15 hours, 53 minutes` (VRP 5 singular for 0 and 1)."""
    weeks, rest = divmod(seconds, 7 * 86400)
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return ", ".join(
        (plural(weeks, "week"), plural(days, "day"), plural(hours, "hour"), plural(minutes, "minute"))
    )


def hms(seconds: int) -> str:
    hours, rest = divmod(max(0, seconds), 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


# --- software identity --------------------------------------------------------------------


def release(dev: Device) -> str:
    """V200R019C10SPC500 out of whatever form `Device.software` has."""
    m = re.search(r"V\d{3}R\d{3}C\d{2}\w*", dev.software)
    return m.group(0) if m else dev.software


def vrp_version(dev: Device) -> str:
    """The VRP kernel version a V200R release ships with (5.110 for R001 ... 5.170 from R010)."""
    m = re.search(r"V\d{3}R(\d{3})", dev.software)
    r = int(m.group(1)) if m else 19
    return {1: "5.110", 2: "5.120", 3: "5.130", 5: "5.150", 8: "5.160", 9: "5.160"}.get(r, "5.170")


def family(dev: Device) -> str:
    """ "S5700" out of "S5700-28C-EI"."""
    return dev.model.split("-")[0]


def image_file(dev: Device) -> str:
    """flash:/S5700EI-V200R019C10SPC500.cc, as the S-series names its system software."""
    edition = next((p for p in reversed(dev.model.split("-")) if p in ("EI", "SI", "LI", "HI", "SE")), "")
    return f"flash:/{family(dev)}{edition}-{release(dev)}.cc"


def hw_model(dev: Device) -> str:
    """The board type `display device` prints: the model without the power suffix (-AC/-DC/-PWR)."""
    return re.sub(r"-(AC|DC|PWR)$", "", dev.model)


# --- secrets ------------------------------------------------------------------------------

# VRP's cipher alphabet: printable ASCII without space and `?` (both are CLI-special).
_CIPHER_CHARS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) != "?")
_IRREVERSIBLE_CHARS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "?$")


def cipher(plain: str, rng: random.Random) -> str:
    """`%^%#...%^%#`: VRP's reversible cipher, salted afresh every time the config is displayed."""
    length = 40 + 4 * ((len(plain) + 2) // 3)
    while True:
        body = "".join(rng.choice(_CIPHER_CHARS) for _ in range(length))
        if "%^%#" not in body and not body.endswith(("%", "%^", "%^%")):
            return f"%^%#{body}%^%#"


def irreversible(plain: str, dev_name: str) -> str:
    """`$1a$salt$hash$`: a one-way hash, stable until the password changes (derived, not real PBKDF2)."""
    digest = hashlib.sha256(f"{dev_name}\0{plain}".encode()).digest()
    stream = random.Random(digest)
    salt = "".join(stream.choice(_IRREVERSIBLE_CHARS) for _ in range(10))
    body = "".join(stream.choice(_IRREVERSIBLE_CHARS) for _ in range(44))
    return f"$1a${salt}${body}$"


# --- VLAN lists ----------------------------------------------------------------------------


def vlan_runs(vids: list[int]) -> list[str]:
    """["10", "20 to 23"]: VRP writes consecutive VLANs as `a to b`."""
    items: list[str] = []
    ordered = sorted(set(vids))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        items.append(str(ordered[i]) if i == j else f"{ordered[i]} to {ordered[j]}")
        i = j + 1
    return items


def vlan_list_lines(prefix: str, vids: list[int]) -> list[str]:
    """`prefix 10 20 to 23 ...`, ten items a line as the running configuration wraps them."""
    items = vlan_runs(vids)
    return [f"{prefix} {' '.join(items[i : i + 10])}" for i in range(0, len(items), 10)]


class VlanListError(ValueError):
    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index  # which token is wrong


def parse_vlan_list(tokens: list[str]) -> list[int]:
    """`10 20 to 23 30` -> [10, 20, 21, 22, 23, 30]; raises VlanListError at the bad token."""
    vids: list[int] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].isdigit() or not 1 <= int(tokens[i]) <= 4094:
            raise VlanListError(i)
        start = int(tokens[i])
        if i + 1 < len(tokens) and tokens[i + 1].lower() == "to":
            if i + 2 >= len(tokens):
                raise VlanListError(i + 2)
            if not tokens[i + 2].isdigit() or not start <= int(tokens[i + 2]) <= 4094:
                raise VlanListError(i + 2)
            vids.extend(range(start, int(tokens[i + 2]) + 1))
            i += 3
        else:
            vids.append(start)
            i += 1
    return vids


# --- command errors -----------------------------------------------------------------------

ERROR_TEXT = {
    "unknown": "Error: Unrecognized command found at '^' position.",
    "incomplete": "Error: Incomplete command found at '^' position.",
    "wrong": "Error: Wrong parameter found at '^' position.",
    "toomany": "Error:Too many parameters found at '^' position.",
    "ambiguous": "Error: Ambiguous command found at '^' position.",
}


class CliError(Exception):
    """A parse error VRP reports with a `^` under the offending token.

    `arg` indexes the handler's argument list; `absolute` indexes the whole line's tokens;
    neither means the end of the line (an incomplete command).
    """

    def __init__(self, kind: str, arg: int | None = None, absolute: int | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.arg = arg
        self.absolute = absolute


def token_columns(line: str) -> list[int]:
    """Start column of every whitespace-separated token of a line."""
    return [m.start() for m in re.finditer(r"\S+", line)]


def rest_of_line(line: str, skip_tokens: int) -> str:
    """The raw text after the first `skip_tokens` tokens, spacing and symbols kept (for descriptions)."""
    columns = token_columns(line)
    if skip_tokens >= len(columns):
        return ""
    return line[columns[skip_tokens] :].rstrip()


# The line being executed and how many of its tokens were command keywords; set by the
# dispatcher so handlers that take free text (descriptions) see it with its spacing intact.
CURRENT: ContextVar[tuple[str, int]] = ContextVar("vrp_current_line", default=("", 0))


def raw_args(skip: int = 0) -> str:
    """The raw argument text of the current command, after `skip` further tokens."""
    line, keywords = CURRENT.get()
    return rest_of_line(line, keywords + skip)


def raw_line() -> str:
    """The whole current command line, trimmed."""
    return CURRENT.get()[0].strip()
