"""Cleaning captured output so that a commit is a real change, not an artefact of the capture.

`clean_output` repairs what the terminal session leaves in any output: CR/LF line endings,
paging prompts (`  ---- More ----` with the ANSI erase that follows on Comware and VRP,
` --More-- ` with backspaces on IOS), stray escape sequences and trailing whitespace.

`clean` does that for a configuration and then removes what is not configuration: the
command echo and prompt if the capture kept them, blank lines before and after, and the
spec's `volatile` rules (lines that change between two displays of the same configuration,
such as IOS `! Last configuration change at …` or VRP `!Last configuration was saved at …`).

Both are pure functions of their input; cleaning a cleaned text changes nothing.
"""

from __future__ import annotations

import re

from netkb.spec import PlatformSpec

# CSI sequences (ESC [ params letter): cursor moves, erases, colours.
_CSI = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")
# Any other escape: ESC plus one character (ESC 7, ESC =, ...).
_OTHER_ESCAPE = re.compile(r"\x1b[^\[]?")
_ARTEFACT = re.compile(r"[\x08\x1b\r]")

# Paging prompts as printed: Comware/VRP `  ---- More ----`, IOS ` --More-- `.
# The spaces before the prompt belong to it; what follows it belongs to the next text.
_PAGING_PROMPT = re.compile(r"[ \t]*(?:-{2,4} ?More ?-{2,4}|--More--)")

# A CLI prompt: `<sysname>`, `[sysname]`, `[~sysname]` (VRP 8), `hostname#`, `hostname>`.
_PROMPT = r"(?:<[^<>\n]{1,80}>|\[[~*]?[^\[\]\n]{1,80}\]|[A-Za-z0-9][\w.\-/:()]{0,79}[#>])"
_PROMPT_ONLY = re.compile(rf"^{_PROMPT}\s*$")
_PROMPT_AND_COMMAND = re.compile(rf"^{_PROMPT}\s*(?P<typed>\S.*?)\s*$")


def clean_output(text: str, spec: PlatformSpec | None = None) -> str:
    """Line endings and paging artefacts only: for outputs other than the configuration.

    `spec` is accepted for symmetry with `clean`; no output rule depends on it yet.
    """
    lines = _terminal_lines(text)
    return _join([line for line in lines if line is not None])


def clean(text: str, spec: PlatformSpec) -> str:
    """A configuration as it would be stored: no capture artefacts, no volatile lines."""
    lines = [line for line in _terminal_lines(text) if line is not None]
    lines = _strip_echo_and_prompts(lines, spec)
    lines = _drop_volatile(lines, spec)
    return _join(lines)


# --- terminal artefacts -------------------------------------------------------------------


def _normalise_endings(text: str) -> str:
    # CR LF (and the CR CR LF some telnet/ssh stacks send) is one line end; so is LF CR.
    text = re.sub(r"\r+\n", "\n", text).replace("\n\r", "\n")
    if "\n" not in text:
        return text.replace("\r", "\n")  # a CR-only text: classic line endings
    # A CR left inside a line returns the cursor to the line start (paging erase); a CR at
    # the end of the text is only a line end.
    return text.rstrip("\r")


def _render(line: str) -> str:
    """What a terminal shows for one line: backspaces, cursor moves and CR overwrite."""
    if not any(ch in line for ch in "\x08\x1b\r"):
        return line
    cells: list[str] = []
    col = 0
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\x1b":
            csi = _CSI.match(line, i)
            if csi is not None:
                params, verb = csi.groups()
                count = int(params) if params.isdigit() else 1
                if verb == "D":  # cursor left: Comware/VRP erase the More prompt this way
                    col = max(0, col - count)
                elif verb == "C":
                    col += count
                elif verb == "K":  # erase to end of line
                    del cells[col:]
                i = csi.end()
            else:
                i = _OTHER_ESCAPE.match(line, i).end()  # type: ignore[union-attr]
            continue
        if ch == "\x08":
            col = max(0, col - 1)
        elif ch == "\r":
            col = 0
        else:
            if col >= len(cells):
                cells.extend(" " * (col - len(cells)))
                cells.append(ch)
            else:
                cells[col] = ch
            col += 1
        i += 1
    return "".join(cells)


def _terminal_lines(text: str) -> list[str | None]:
    """Rendered lines without trailing whitespace; None for a line that held only a paging prompt."""
    text = _normalise_endings(text)
    if not _ARTEFACT.search(text) and not _PAGING_PROMPT.search(text):
        return [line.rstrip() for line in text.split("\n")]  # the common case: nothing to render
    out: list[str | None] = []
    for raw in text.split("\n"):
        line = _render(raw)
        if _PAGING_PROMPT.search(line):
            line = _PAGING_PROMPT.sub("", line)
            if not line.strip():
                out.append(None)
                continue
        out.append(line.rstrip())
    return out


# --- configuration-only steps ---------------------------------------------------------------


def _is_abbreviation(typed: str, command: str) -> bool:
    """`dis cur` abbreviates `display current-configuration`; `show run` `show running-config`."""
    words, full = typed.lower().split(), command.lower().split()
    return 0 < len(words) <= len(full) and all(f.startswith(w) for w, f in zip(words, full, strict=False))


def _strip_echo_and_prompts(lines: list[str], spec: PlatformSpec) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    if start < end:
        echo = _PROMPT_AND_COMMAND.match(lines[start])
        commands = [c.command for c in spec.commands]
        if echo and any(_is_abbreviation(echo.group("typed"), c) for c in commands):
            start += 1
    while end > start and (not lines[end - 1].strip() or _PROMPT_ONLY.match(lines[end - 1])):
        end -= 1
    body = lines[start:end]
    while body and not body[0].strip():  # Comware opens with a blank line on some releases
        body.pop(0)
    return body


def _drop_volatile(lines: list[str], spec: PlatformSpec) -> list[str]:
    drops = [rule.pattern for rule in spec.volatile if rule.replacement is None]
    rewrites = [rule for rule in spec.volatile if rule.replacement is not None]
    kept = [line for line in lines if not any(p.search(line) for p in drops)]
    if not rewrites:
        return kept
    text = "\n".join(kept)
    for rule in rewrites:
        text = rule.pattern.sub(rule.replacement or "", text)
    return text.split("\n")


def _join(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(line.rstrip() for line in lines) + "\n" if lines else ""
