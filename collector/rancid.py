"""What RANCID adds to a configuration, and taking it away again (pure).

RANCID (3.13, https://shrubbery.net/rancid/; read in the haussli/rancid mirror, commit
fb9019c3cc82) writes each device's file as its module's `init` header, a block of comment
lines from `show version`/`display version` and friends, then the configuration as its
`WriteTerm` filtered it:

* lib/ios.pm.in `init`: `!RANCID-CONTENT-TYPE: cisco` and `!`; `ShowVersion`, `ShowInventory`,
  `ShowBoot`… add `!Chassis type:`, `!CPU:`, `!Memory:`, `!Serial Number:`, `!Image:`,
  `!Variable:`, `!BootFlash:` lines, each block closed by `!`.
* lib/ios.pm.in `WriteTerm`: `ProcessHistory("","","", "!\\nconfig-register $config_register\\n")`
  before the first configuration line (the register comes from `show version`, it is no line
  of `show running-config`); with FILTER_PWDS (default YES) a reversible secret's line becomes
  a comment such as `!enable password <removed>`, `! password <removed>`,
  `!username NAME password <removed>`, `!crypto isakmp key <removed> address …`.
* lib/vrp.pm.in `init`: `#RANCID-CONTENT-TYPE: vrp` and `#`, then `#Chassis type:`, `#Memory:`,
  `#Image:` and every other `display version`/`display device`… line behind a `#`;
  `WriteTerm` drops VRP's own `!Software Version …` line and writes
  `#local-user NAME cipher <removed>`, `#  peer X password simple <removed>`.
* H3C Comware is no stock RANCID 3.13 type; the h3c module kept by users (earendilfr/rancid_old
  lib/h3c.pm.in) writes `#RANCID-CONTENT-TYPE: h3c` and `#`-comment lines the same way.

A `<removed>` line is what is left of a secret RANCID threw away: it cannot be given back,
but it is no change against a line netkb redacted (`<secret:…>`): `same_but_removed` compares
so.
"""

from __future__ import annotations

import re

from netkb.spec import PlatformSpec

MARK = re.compile(r"^[!#]RANCID-CONTENT-TYPE:[ \t]*(?P<type>\S*)")
_CONFIG_REGISTER = re.compile(r"^config-register 0x[0-9A-Fa-f]+\s*$")
REMOVED = "<removed>"
_MARKER = r"<secret:[^>\s]+>"


def content_type(text: str) -> str | None:
    """The RANCID-CONTENT-TYPE of a file RANCID wrote (`cisco`, `vrp`, `h3c`…), else None."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    match = MARK.match(first)
    return match["type"] if match else None


def strip_rancid(text: str, spec: PlatformSpec) -> str:
    """The configuration without RANCID's header block and its synthesised `config-register`.

    The header is every line from the RANCID-CONTENT-TYPE mark on that opens with the mark's
    comment character (`!` or `#`) or is blank. Lines a configuration itself may open with that
    look the same (the spec's `import_header`: Comware's `#`, IOS's `!`) are given back, as
    the configuration shows them once. A file without the mark is returned unchanged.
    """
    lines = text.splitlines()
    begin = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if begin == len(lines) or not MARK.match(lines[begin]):
        return text
    prefix = lines[begin][0]
    end = begin
    while end < len(lines) and (lines[end].startswith(prefix) or not lines[end].strip()):
        end += 1
    if end < len(lines) and _CONFIG_REGISTER.match(lines[end]):
        del lines[end]  # ios.pm WriteTerm's "!\nconfig-register …" (the "!" is in the block)
        while end < len(lines) and lines[end].startswith(prefix) and not lines[end].strip(prefix + " "):
            end += 1  # the configuration's own opening separators
    start = end
    while start > begin and (
        spec.import_header.fullmatch(lines[start - 1].rstrip()) or not lines[start - 1].strip()
    ):
        start -= 1
    given_back: list[str] = []
    for line in (line.rstrip() for line in lines[start:end]):
        # The header's last separator and the configuration's first are one line (`#`, `!`).
        if line and not MARK.match(line) and not (given_back and line == given_back[-1]):
            given_back.append(line)
    config = given_back + lines[end:]
    kind = MARK.match(lines[begin])["type"]  # type: ignore[index]
    return "\n".join(_restore_opening(config, lines[begin:end], spec, kind)) + "\n"


_VRP_VERSION = re.compile(r"\bV\d{3}R\d{3}C[0-9A-Z]+\b")


# RANCID content types (RANCID's names, not netkb's platforms) whose WriteTerm skips every
# comment line before the first command (ios.pm: "skip the crap").
_SKIPS_OPENING_COMMENTS = frozenset({"cisco", "cat5", "cisco-nx"})


def _restore_opening(config: list[str], header: list[str], spec: PlatformSpec, kind: str) -> list[str]:
    """The opening lines RANCID's WriteTerm dropped, as netkb's collect stores them.

    * ios.pm skips every `!` line between `Current configuration` and the first command;
      netkb's `clean` keeps the two separators left around `! Last configuration change`
      (`!`, `!`, `version 15.2`).
    * vrp.pm skips `!Software Version V…`; the version is in the header's `display version`
      or `display startup` lines when the device printed it there.
    """
    if kind in _SKIPS_OPENING_COMMENTS:
        body = list(config)
        while body and body[0].strip() == spec.comment:
            body.pop(0)
        if body and body[0].startswith("version "):
            return [spec.comment, spec.comment, *body]
        return config
    # A platform whose configuration opens with `!Software Version …` (its spec's import_header
    # says so) lost that line to vrp.pm's WriteTerm.
    opening = "!Software Version {}"
    if spec.import_header.fullmatch(opening.format("V0")) and not (
        config and config[0].startswith("!Software")
    ):
        found = next((m[0] for line in header if (m := _VRP_VERSION.search(line))), None)
        return [opening.format(found), *config] if found else config
    return config


def _removed_pattern(line: str) -> re.Pattern[str] | None:
    """For a RANCID `<removed>` comment line, the lines netkb's redaction of the same
    configuration line can be: `!enable password <removed>` matches `enable password 7 <secret:…>`."""
    if REMOVED not in line or line[:1] not in ("!", "#"):
        return None
    words = line[1:].replace(REMOVED, f" {REMOVED} ").split()
    parts = [r"(?:\S+\s+)*?" + _MARKER if word == REMOVED else re.escape(word) for word in words]
    return re.compile(r"\s*" + r"\s+".join(parts) + r"\s*")


def same_but_removed(rancid: str, other: str) -> bool:
    """Whether two configurations differ only where RANCID's copy has `<removed>` for what the
    other (netkb's redaction of the same configuration) holds as a `<secret:…>` marker."""
    if REMOVED not in rancid:
        return rancid == other
    ours, theirs = rancid.splitlines(), other.splitlines()
    if len(ours) != len(theirs):
        return False
    for mine, their in zip(ours, theirs, strict=True):
        if mine == their:
            continue
        pattern = _removed_pattern(mine)
        if pattern is None or not pattern.fullmatch(their):
            return False
    return True
