"""Importing backups made by other tools (pure): what each version becomes, and what to commit.

A *version* is one dated copy of one device's configuration, as a RANCID or Oxidized git
repository or a folder of dated files holds it (import_sources.py reads them). Each goes
through the collector's own path: the tool's comment header is removed, then `clean`,
`redact` and the completeness gate, exactly as for `netkb collect`.

History is never rewritten. The snapshot repository only grows forwards in time: a version
is imported when it is dated at or after the newest snapshot or run record already in the
repository (a commit of other files, such as the README a repository was created with, does
not count), so `git log` stays in date order (and `git log --since`, which stops at the
first older commit, stays right). A version already in the repository (same device, same date, same
cleaned config) is skipped silently: importing twice adds nothing. An older version that is
not there is reported as not imported; import old backups before the first `netkb collect`,
or into a new snapshot repository.
"""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

from netkb.collector import rancid
from netkb.collector.clean import clean
from netkb.collector.gate import refuse_reason
from netkb.collector.gitstore import blob_id
from netkb.collector.redact import redact
from netkb.collector.sections import changed_sections
from netkb.inventory import DeviceEntry
from netkb.spec import PlatformSpec, load_spec


class SourceFormat(enum.StrEnum):
    RANCID = "rancid"
    OXIDIZED = "oxidized"
    FILES = "files"


@dataclass(frozen=True)
class Version:
    """One dated copy of a device's configuration, as the source holds it."""

    key: str  # the device as the source names it (file name, FQDN or address)
    when: dt.datetime  # aware
    data: bytes
    origin: str  # where it came from, for messages: "<commit> <path>" or a file path


class StepKind(enum.StrEnum):
    IMPORT = "imported"
    PRESENT = "already present"  # in the repository with this date: a re-import
    SAME = "unchanged"  # the same config as the version before it
    REFUSED = "refused"  # not a good config: the gate, or undecodable
    TOO_OLD = "older than the repository"


@dataclass(frozen=True)
class Step:
    kind: StepKind
    version: Version
    config: str = ""
    reason: str = ""  # for REFUSED and TOO_OLD
    message: str = ""  # the commit message, for IMPORT


# --- the tools' comment headers ---------------------------------------------------------------

# Oxidized's models prefix the show-version/inventory lines they add with the platform's
# comment character (the spec's `comment`). Lines a configuration itself may open with that
# look like the tools' comments (the spec's `import_header`): what the header strip took of
# these is given back, so an import stores what collect would. RANCID's own lines: rancid.py.


def strip_tool_header(text: str, source: SourceFormat, platform: str) -> str:
    """The configuration without the lines RANCID or Oxidized put before (and into) it.

    RANCID files open with `!RANCID-CONTENT-TYPE: …` or `#RANCID-CONTENT-TYPE: …` and
    comment lines of `show version`/`display version` and the like (in whatever source they
    are found: rancid.py); Oxidized files open with the platform's comment character.
    Anything else is returned unchanged (`clean` removes a command echo and prompts from a
    terminal capture).
    """
    spec = load_spec(platform)
    if rancid.content_type(text) is not None:
        return rancid.strip_rancid(text, spec)
    if source is not SourceFormat.OXIDIZED:
        return text
    lines = text.splitlines()
    prefix = spec.comment
    end = 0
    while end < len(lines) and (lines[end].startswith(prefix) or not lines[end].strip()):
        end += 1
    start, opening = end, spec.import_header
    while start > 0 and (opening.fullmatch(lines[start - 1].rstrip()) or not lines[start - 1].strip()):
        start -= 1
    given_back: list[str] = []
    for line in (line.rstrip() for line in lines[start:end]):
        # The header's last separator and the config's first are one line (`#`, `!`).
        if line and not (given_back and line == given_back[-1]):
            given_back.append(line)
    return "\n".join(given_back + lines[end:]) + "\n"


# --- device names -----------------------------------------------------------------------------


class DeviceIndex:
    """Finds the inventory device a source names: by name, case-insensitively, by the first
    label of a domain name (`core-1.campus.edu.cn`), or by its address (RANCID's router.db
    often lists addresses)."""

    def __init__(self, devices: Iterable[DeviceEntry]) -> None:
        self._exact: dict[str, DeviceEntry] = {}
        self._folded: dict[str, DeviceEntry] = {}
        self._address: dict[str, DeviceEntry] = {}
        for device in devices:
            self._exact[device.name] = device
            self._folded.setdefault(device.name.casefold(), device)
            for address in (device.host, device.mgmt_ip):
                if address:
                    self._address.setdefault(address.casefold(), device)

    def find(self, key: str) -> DeviceEntry | None:
        if key in self._exact:
            return self._exact[key]
        folded = key.casefold()
        found = self._folded.get(folded) or self._address.get(folded)
        if found is None and "." in key and not _is_address(key):
            found = self._folded.get(folded.split(".", 1)[0])
        return found


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# --- dated file names -------------------------------------------------------------------------

# `core-1_20240301.cfg`, `core-1-2024-03-01.cfg`, `core-1_20240301-0200.txt`,
# `core-1.2024-03-01T02:00:00.cfg`; a file named only by its date takes its folder's name.
_DATED = re.compile(
    r"^(?:(?P<device>.+?)[_.\-])?"
    r"(?P<date>\d{4}-\d{2}-\d{2}|\d{8})"
    r"(?:[T_\-]?(?P<time>\d{2}:?\d{2}(?::?\d{2})?))?"
    r"(?:\.[A-Za-z0-9]{1,8})?$"
)


def parse_dated_name(file_name: str, folder_name: str, zone: dt.tzinfo) -> tuple[str, dt.datetime] | str:
    """(device, time) from a dated file name, or why it is not one.

    A date without a time is midnight; a time without a zone is in `zone`.
    """
    match = _DATED.fullmatch(file_name)
    if match is None:
        return "no date in the file name (expected e.g. core-1_20240301.cfg or core-1-2024-03-01.cfg)"
    digits = match["date"].replace("-", "") + (match["time"] or "").replace(":", "").ljust(6, "0")
    try:
        when = dt.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=zone)
    except ValueError:
        return f"{match['date']} {match['time'] or ''}".strip() + " is not a valid date"
    return match["device"] or folder_name, when


# --- planning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepoState:
    """What the snapshot repository already holds, as far as an import needs it."""

    newest: dt.datetime | None  # the newest snapshot's or run record's date: nothing older is added
    config_dates: frozenset[tuple[str, int, str]]  # (device, unix time, config blob id) committed
    current: dict[str, str]  # device -> its config at the tip


_MOJIBAKE = re.compile(r"[\u0080-\u00ff]{2,}")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


_REFUSED = "\0refused: "


def decode_text(data: bytes, encoding: str) -> str:
    """The text of a copy, re-decoded where a wrong locale garbled it, or `_REFUSED` + why.

    * Bytes that are not UTF-8 are tried as the device's encoding and as GB18030 (Chinese
      devices print GB18030/GBK; a RANCID host in the C locale stores those bytes as they came).
    * UTF-8 text whose non-ASCII characters are all Latin-1 letters in runs (`¶«Ð£Çø` for
      `东校区`) is GB18030 that was read as Latin-1/CP1252 and written back as UTF-8: it is
      re-decoded when that gives Chinese text.
    * U+FFFD replacement characters mean the original bytes were thrown away: refused.
    """
    for candidate in dict.fromkeys(("utf-8", encoding, "gb18030")):
        try:
            text = data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        break
    else:
        return _REFUSED + (
            f"neither UTF-8, {encoding} nor GB18030 text; set the device's encoding in the inventory"
        )
    if "\ufffd" in text:
        return _REFUSED + (
            "holds U+FFFD replacement characters: the original bytes were lost when the text was "
            "read in a wrong locale (GB18030 read as UTF-8); import an older copy or collect the device"
        )
    if _MOJIBAKE.search(text) and not _CJK.search(text):
        for wrong in ("latin-1", "cp1252"):
            try:
                fixed = text.encode(wrong).decode("gb18030")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if _CJK.search(fixed):
                return fixed
    return text


def plan_device(
    device: DeviceEntry,
    versions: list[Version],
    source: SourceFormat,
    spec: PlatformSpec,
    key: bytes,
    state: RepoState,
    shrink_threshold: float,
    force: bool = False,
) -> list[Step]:
    """What becomes of each version of one device (sorted by date), in the collector's terms.

    The gate compares each version with the one accepted before it in the source, as collect
    compares with the last good snapshot.
    """
    steps: list[Step] = []
    previous: str | None = None  # the last good version of the source: what the gate compares with
    kept: str | None = None  # the last version in the repository: a repeat of it is no change
    current = state.current.get(device.name)  # the device's config in the repository
    for version in sorted(versions, key=lambda v: (v.when, v.origin)):
        text = decode_text(version.data, device.encoding)
        if text.startswith(_REFUSED):
            steps.append(Step(StepKind.REFUSED, version, reason=text.removeprefix(_REFUSED)))
            continue
        config = redact(clean(strip_tool_header(text, source, spec.platform), spec), spec, key)
        refused = refuse_reason(config, spec, previous, shrink_threshold, force)
        if refused:
            steps.append(Step(StepKind.REFUSED, version, reason=refused))
            continue
        previous = config
        if kept is not None and rancid.same_but_removed(config, kept):
            steps.append(Step(StepKind.SAME, version, config))
            continue
        when = int(version.when.timestamp())
        if (device.name, when, blob_id(config.encode("utf-8"))) in state.config_dates:
            steps.append(Step(StepKind.PRESENT, version, config))
            kept = config  # `current` stays the tip: later commits may have followed this one
            continue
        if state.newest is not None and version.when < state.newest:
            reason = (
                f"dated {version.when:%Y-%m-%d %H:%M}, before the repository's newest snapshot "
                f"({state.newest:%Y-%m-%d %H:%M}); history is never rewritten: import old backups "
                "before the first collect, or into a new snapshot repository"
            )
            steps.append(Step(StepKind.TOO_OLD, version, config, reason=reason))
            continue
        if current is not None and rancid.same_but_removed(config, current):
            # RANCID's `<removed>` for a secret netkb holds as a marker is no change.
            steps.append(Step(StepKind.SAME, version, current))
            kept = current
            continue
        sections = changed_sections(current, config, spec.config_syntax) if current else []
        # The first line as collect writes it (the generator reads the sections from it).
        summary = ", ".join(sections) if current else "first snapshot"
        message = f"{device.name}: {summary}\n\nimported from {source.value}: {version.origin}"
        steps.append(Step(StepKind.IMPORT, version, config, message=message))
        current = kept = config
    return steps
