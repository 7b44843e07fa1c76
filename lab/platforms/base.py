"""What a platform (Comware 5/7, VRP, IOS) tells the shell, and the shared command matcher.

The shell (`lab/shell.py`) is platform-neutral: it echoes, pages, applies latency and the
transport faults. A platform answers four questions: what the banner is, what the prompt
is in the session's current mode, what a line of input prints (and how it changes the
session or the model), and what its paging prompt looks like.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from netkb.lab.model import Device, Network


class Mode(enum.StrEnum):
    USER = "user"  # <name> on Comware/VRP, name> on IOS
    ENABLE = "enable"  # name# on IOS (privileged EXEC); unused on Comware/VRP
    CONFIG = "config"  # [name...] on Comware/VRP, name(config...)# on IOS


@dataclass
class Session:
    """Per-connection CLI state: the shell owns it, platforms read and change it."""

    mode: Mode = Mode.USER
    # Nested configuration views, outermost first, in the platform's own words, e.g.
    # ["interface GigabitEthernet1/0/1"] or ["ospf 1", "area 0.0.0.0"]. Empty in system view.
    views: list[str] = field(default_factory=list)
    paging: bool = True
    screen_length: int = 24  # lines per page while paging is on
    width: int = 80
    # A question the platform asked (e.g. "Are you sure? [Y/N]:"); the next line answers it.
    pending: Callable[[str], Reply] | None = None
    closed: bool = False


@dataclass
class Reply:
    text: str = ""  # output, without the echo and without the next prompt
    paged: bool = True  # subject to paging (long display output); errors and messages are not
    is_config: bool = False  # the running configuration (the truncated-config fault cuts it)
    # Printed instead of a prompt when the platform asks a question (e.g. save confirmation).
    question: str | None = None
    hide_input: bool = False  # the answer is a password: the device does not echo it


@dataclass
class Ctx:
    net: Network
    dev: Device
    session: Session


Handler = Callable[[Ctx, list[str]], Reply]
# A table's handler type: Handler on most tables; Comware's configuration views pass the raw
# text after the keywords as a third argument (see comware_configmode_common.ConfigHandler).
H = TypeVar("H", bound=Callable[..., Reply])


class PlatformCli(Protocol):
    """The interface each platform module implements (see comware.py, vrp.py, ios.py)."""

    more_prompt: str  # e.g. "  ---- More ----" or " --More-- "
    # What the device prints after the user presses a key at the paging prompt: the
    # escape sequence that erases the "More" prompt on a real terminal.
    more_erase: str

    def banner(self, ctx: Ctx) -> str: ...

    def prompt(self, ctx: Ctx) -> str: ...

    def execute(self, ctx: Ctx, line: str) -> Reply: ...


class Ambiguous(Exception):
    pass


class CommandTable(Generic[H]):
    """Keyword commands with the unique-prefix abbreviation real CLIs accept (`dis cur`)."""

    def __init__(self, entries: Mapping[str, H]) -> None:
        self._entries = sorted(
            ((tuple(key.split()), handler) for key, handler in entries.items()),
            key=lambda item: -len(item[0]),
        )

    def keywords(self) -> list[tuple[str, ...]]:
        return [keys for keys, _ in self._entries]

    def lookup(self, line: str) -> tuple[H, list[str]] | None:
        """The handler for a line and the tokens after its keywords; None if unknown.

        Raises Ambiguous when an abbreviation matches two commands of the same length.
        """
        tokens = line.split()
        if not tokens:
            return None
        best: list[tuple[tuple[str, ...], H]] = []
        for keys, handler in self._entries:
            if best and len(keys) < len(best[0][0]):
                break
            if len(tokens) < len(keys):
                continue
            if all(keys[i] == tokens[i].lower() for i in range(len(keys))):
                return handler, tokens[len(keys) :]  # an exact spelling always wins
            if all(keys[i].startswith(tokens[i].lower()) for i in range(len(keys))):
                best.append((keys, handler))
        if len(best) > 1:
            raise Ambiguous(line)
        if best:
            keys, handler = best[0]
            return handler, tokens[len(keys) :]
        return None

    def unknown_position(self, line: str) -> int:
        """Column of the first token no command accepts (where the vendor prints its `^`)."""
        tokens = line.split()
        column = len(line) - len(line.lstrip())
        prefixes = self.keywords()
        for i, token in enumerate(tokens):
            prefixes = [k for k in prefixes if len(k) > i and k[i].startswith(token.lower())]
            if not prefixes:
                return column
            column += len(token)
            column += len(line[column:]) - len(line[column:].lstrip())
        return column
