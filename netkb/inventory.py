"""The inventory (devices, groups, asset data), validated into models.

Read and validated whole by netkb/validation.py (shared with the settings and the records):
every problem at once, each as `file: key.path: what is wrong`; unknown keys are errors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import CoreSchema, core_schema

from netkb.fingerprint import fingerprint
from netkb.spec import PLATFORMS
from netkb.validation import ConfigFileError, read_yaml, validate


class PlatformName(str):
    """A platform: one of the spec files in netkb/specs/ (netkb.spec.PLATFORMS)."""

    @property
    def value(self) -> str:  # reads as the platform enum it replaced did
        return str.__str__(self)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls._known, core_schema.str_schema(), serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def _known(cls, value: str) -> PlatformName:
        if value not in PLATFORMS:
            raise ValueError(f"{value!r} is not one of {', '.join(PLATFORMS)}")
        return cls(value)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Asset(Strict):
    """Asset-register fields (the service reports use them)."""

    vendor: str | None = None  # H3C, Huawei, Cisco …
    service_level: str | None = None  # the maintenance contract's level for this device (e.g. 7x24)
    purchase_date: dt.date | None = None
    warranty_end: dt.date | None = None
    vendor_support_end: dt.date | None = None
    contract: str | None = None
    room: str | None = None
    rack: str | None = None


class Expect(Strict):
    """What a device should show, where a first run cannot tell from the output alone
    (collector/expectations.py): an IRF split shows each half as a healthy one-member stack."""

    irf_members: Annotated[int, Field(ge=1, le=16)] | None = None
    ospf_neighbours: Annotated[int, Field(ge=0)] | None = None
    # LLDP neighbours expected although no inventory device (shell patterns of the names they
    # announce: IP phones `SEP*`, APs `AP-*`): not unknown devices (checks_topology.py).
    foreign_neighbours: list[Annotated[str, Field(min_length=1)]] | None = None


class Skip(Strict):
    """A device left out of collection on purpose (`skip: {reason: …, until: 2027-01-31}`): not
    collected, not failed, not stale, shown with its reason; collected again after `until`."""

    reason: Annotated[str, Field(min_length=1)]
    until: dt.date | None = None  # the last day it is skipped; none: until the entry is removed

    @field_validator("until", mode="before")
    @classmethod
    def _a_date(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date) or value is None:
            return value
        try:
            if isinstance(value, str):
                return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, e.g. 2027-01-31")

    def active(self, day: dt.date) -> bool:
        """Whether the device is skipped on `day` (`until` is the last day skipped)."""
        return self.until is None or day <= self.until


class GroupDefaults(Strict):
    """Settings shared by the devices that name the group in their `groups`."""

    expect: Expect = Field(default_factory=Expect)


class DeviceEntry(Strict):
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    host: str  # a hostname or an address: not empty, no spaces (see _a_host)
    port: Annotated[int, Field(ge=1, le=65535)] = 22
    platform: PlatformName
    role: str = "access"
    building: str = ""
    model: str = ""
    serial: str = ""
    mgmt_ip: str = ""
    credentials: Annotated[str, Field(min_length=1)] = "default"
    encoding: str = "utf-8"
    groups: list[str] = Field(default_factory=list)
    timeout: Annotated[float, Field(gt=0)] | None = None  # seconds for the whole device; settings default
    legacy_ssh: bool = False
    sysname: str | None = None  # the name the device calls itself, checked on every collect
    expect: Expect = Field(default_factory=Expect)
    asset: Asset = Field(default_factory=Asset)
    skip: Skip | None = None

    def skipped_on(self, day: dt.date) -> bool:
        """Whether the inventory leaves the device out of collection on `day`."""
        return self.skip is not None and self.skip.active(day)

    @field_validator("platform", mode="wrap")
    @classmethod
    def _named_platform(cls, value: Any, handler: Any, info: ValidationInfo) -> PlatformName:
        """One line naming the device and the platforms there are."""
        try:
            return handler(value)  # type: ignore[no-any-return]
        except ValidationError:
            device = f" (device {info.data['name']})" if info.data.get("name") else ""
            raise ValueError(f"{value!r}{device} is not one of {', '.join(PLATFORMS)}") from None

    @field_validator("host")
    @classmethod
    def _a_host(cls, value: str) -> str:
        if not value or any(c.isspace() for c in value):
            raise ValueError(f"{value!r} is not a hostname or an address (e.g. 10.0.0.1 or core-1.campus)")
        return value

    @field_validator("mgmt_ip")
    @classmethod
    def _an_address(cls, value: str) -> str:
        import ipaddress

        if value:
            try:
                ipaddress.ip_address(value)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not an IP address (e.g. 10.0.0.1, no prefix length)"
                ) from None
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        import codecs

        try:
            info = codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r} (use utf-8, gb18030 or gbk)") from None
        # base64, hex, rot13, zlib … are codecs too, but not of bytes into text: the session
        # decoder would fail on the first read.
        if not getattr(info, "_is_text_encoding", True) or info.incrementaldecoder is None:
            raise ValueError(f"{value!r} is not a text encoding (use utf-8, gb18030 or gbk)")
        # Commands and prompts are ASCII: a terminal encoding must keep ASCII as it is
        # (utf-16, utf-7, cp037 … would send commands no device reads).
        ascii_text = bytes(range(0x20, 0x7F)) + b"\r\n"
        try:
            same = (
                ascii_text.decode(info.name) == ascii_text.decode()
                and ascii_text.decode().encode(info.name) == ascii_text
            )
        except (UnicodeError, ValueError):
            same = False
        if not same:
            raise ValueError(
                f"{value!r} changes ASCII, which a device's terminal never does (use utf-8, gb18030 or gbk)"
            )
        return value


@dataclass(frozen=True)
class Shard:
    """Shard `index` of `count` (`--shard K/N`): the devices whose name hashes to it.

    The hash is of the name alone (SHA-256, not Python's per-process `hash`), so every runner
    agrees, and adding or removing a device never moves another one to a different shard.
    """

    index: int  # 1-based, as typed
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N` with 1 <= K <= N, or ValueError saying what was expected."""
        k, sep, n = text.partition("/")
        if not (sep and k.strip().isdigit() and n.strip().isdigit()) or not 1 <= int(k) <= int(n):
            raise ValueError(f"not a shard: {text!r} (expected K/N with 1 <= K <= N, e.g. 2/4)")
        return cls(int(k), int(n))

    def holds(self, name: str) -> bool:
        digest = hashlib.sha256(name.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


class Inventory(Strict):
    credentials_file: str | None = None
    groups: dict[str, GroupDefaults] = Field(default_factory=dict)
    devices: list[DeviceEntry]
    _names: frozenset[str] | None = PrivateAttr(default=None)

    def expected(self, device: DeviceEntry) -> dict[str, Any]:
        """The device's `expect`, over its groups' in the order it lists them."""
        stated: dict[str, Any] = {}
        for group in device.groups:
            if group in self.groups:
                stated.update(self.groups[group].expect.model_dump(exclude_none=True))
        stated.update(device.expect.model_dump(exclude_none=True))
        # Who may answer LLDP on the campus (netkb/inspection/checks_topology.py): a neighbour
        # that is none of these is an unknown device.
        stated["inventory_names"] = self.names()
        return stated

    def names(self) -> frozenset[str]:
        """Every device's inventory name and the sysname it calls itself, computed once."""
        if self._names is None:
            found = {d.name for d in self.devices} | {d.sysname for d in self.devices if d.sysname}
            self._names = frozenset(found)
        return self._names

    def select(self, limit: str | None, shard: Shard | None = None) -> list[DeviceEntry]:
        """Devices matching `--limit` (a name, a group, a role or a platform; comma-separated)
        and, with `--shard`, in that shard."""
        chosen = [d for d in self.devices if shard is None or shard.holds(d.name)]
        if not limit:
            return chosen
        wanted = {part.strip() for part in limit.split(",") if part.strip()}
        return [
            d
            for d in chosen
            if d.name in wanted or d.role in wanted or d.platform.value in wanted or wanted & set(d.groups)
        ]


def load_inventory(path: Path) -> Inventory:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigFileError([f"{path}: expected a mapping with a 'devices' list"])
    inventory = validate(Inventory, data, path)
    problems, seen = [], {}  # type: list[str], dict[str, int]
    for index, device in enumerate(inventory.devices):
        if device.name in seen:
            problems.append(
                f"{path}: devices[{index}].name: {device.name!r} is also devices[{seen[device.name]}]"
            )
        seen.setdefault(device.name, index)
    if problems:
        raise ConfigFileError(problems)
    return inventory


def load_inventory_cached(path: Path, cache_dir: Path) -> Inventory:
    """`load_inventory`, kept in `cache_dir` under a digest of the file and netkb's fingerprint: the
    nightly site rebuild reads a thousand-device inventory in milliseconds instead of a quarter
    second of YAML and validation. Only a valid inventory is kept; any problem with the kept
    copy means reading the file again."""
    try:
        digest = hashlib.sha256(path.read_bytes())
    except OSError:
        return load_inventory(path)  # its error names the file
    # netkb's fingerprint covers this module, the platform specs (what is valid) and pydantic.
    digest.update(fingerprint().encode())
    kept = cache_dir / f"inventory-{digest.hexdigest()[:32]}.pickle"
    try:
        with kept.open("rb") as f:
            inventory = pickle.load(f)
        if isinstance(inventory, Inventory):
            return inventory
    except Exception:  # none yet, damaged, another version: read the file
        pass
    inventory = load_inventory(path)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(inventory, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(kept)
        for old in cache_dir.glob("inventory-*.pickle"):
            if old != kept:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written costs time, not correctness
    return inventory
