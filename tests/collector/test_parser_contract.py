"""The parser contract: whatever a device prints, a parser returns a result or raises ParseError.

Every recorded input — the parser fixtures (lab renders and real outputs,
fixtures/parsers/<platform>/<parser>/<case>/input.txt) and the real-capture corpus
(tests/real/<platform>/<command>/<case>.txt, mapped to its parsers through the platform
spec) — is damaged the way a terminal session damages output: a garbage line, a duplicated,
deleted or truncated line, the rest cut off, swapped case, CR LF ends, a stray prompt, paging
remnants, bytes that are not UTF-8. Each damaged text must give a result or a `ParseError`,
within a deadline; anything else (IndexError, KeyError, TypeError, a TextFSM error, a hang…)
is a parser bug, and one that the collector would turn into a failed device.

The test cannot be fooled by catching everything: a `ParseError` raised from a programming
error (`raise ParseError(...) from IndexError`) counts as that error. Every result is then
judged by the inspection checklist (netkb/inspection/checklist.py `evaluate`), which must not
raise either.

Mutation positions are chosen by a seeded generator from the file's path, so a run is
repeatable and a failure names the file, the mutation and the line. One test per parser and
mutation kind: a known bug is marked xfail(strict=True) on its own pair, the others still run.
"""

from __future__ import annotations

import datetime as dt
import random
import signal
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from netkb.collector.parsers import ParseError, get_parser
from netkb.collector.runrecord import location
from netkb.inspection.checklist import Observation, Thresholds, evaluate, load_checklist
from netkb.spec import PLATFORMS, load_spec

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "collector" / "fixtures" / "parsers"
REAL = ROOT / "tests" / "real"
POSITIONS = 5  # mutated lines per file and positional mutation (plus the first and the last)
DEADLINE = 2.0  # seconds one parse may take (they take milliseconds)
# Programming errors: raised by a parser, or hidden as the cause of its ParseError, they are bugs.
BUGS = (
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    RecursionError,
    NameError,
    ZeroDivisionError,
    AssertionError,
)


# --- the inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    """What a parser feeds downstream: a state topic, a measure or the log buffer."""

    kind: str  # state | measure | log
    name: str


@cache
def parser_uses() -> dict[str, tuple[Use, ...]]:
    uses: dict[str, list[Use]] = {}
    for platform in PLATFORMS:
        for command in load_spec(platform).commands:
            for topic, parser in command.state.items():
                uses.setdefault(parser, []).append(Use("state", topic))
            for name, measure in command.measure.items():
                if measure:
                    uses.setdefault(measure, []).append(Use("measure", name))
            if command.log:
                uses.setdefault(command.log, []).append(Use("log", "new_logs"))
    return {parser: tuple(u) for parser, u in uses.items()}


def command_parsers(platform: str, folder: str) -> list[str]:
    """The parsers of a real-capture folder (`display_vlan_brief`: the spec command or one of its
    alternatives, `_` for spaces)."""
    if platform not in PLATFORMS:
        return []
    for command in load_spec(platform).commands:
        if folder in (c.replace(" ", "_") for c in (command.command, *command.alternatives)):
            named = [*command.state.values(), *command.measure.values(), command.log]
            return sorted({p for p in named if p})
    return []


def inputs() -> dict[str, list[Path]]:
    """parser name -> the recorded inputs it is run on."""
    found: dict[str, list[Path]] = {}
    for path in sorted(FIXTURES.glob("*/*/*/input.txt")):
        platform, parser = path.parts[-4:-2]
        found.setdefault(f"{platform}.{parser}", []).append(path)
    for path in sorted([*REAL.glob("*/*/*.txt"), *(REAL.parent / "real_edited").glob("*/*/*.txt")]):
        for parser in command_parsers(path.parts[-3], path.parts[-2]):
            found.setdefault(parser, []).append(path)
    return found


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- the mutations --------------------------------------------------------------------------

GARBAGE = [
    "garbage !@#$%^&*() 12 34",
    "%Dec  7 16:00:01:123 2026 core-1 SHELL/5/SHELL_LOGIN: admin logged in from 10.0.0.1.",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15",
    "----------------------------------------------------------------",
    "Slot  Type  State  Status  Speed",
    "状态 异常\tFault  Normal  N/A",
    ":",
    "   x",
    # Half-recognisable rows: a known word with a value missing, huge, negative or not a number.
    "CPU utilization for five seconds: 999999999999999999999%/0%; one minute: %; five minutes: x%",
    "Slot 1:",
    " 1        Fault",
    "Fan 1:",
    "State    :",
    "Uptime is 0 weeks, 0 days, 0 hours, 0 minutes",
    "GigabitEthernet1/0/1  UP  DOWN",
    "1.1.1.1  2.2.2.2  1  30  Full/DR  GE1/0/1",
    "-1  -2  -3  N/A  --",
    "Total: 0",
]
PROMPTS = ["<core-1>", "core-1#", "[core-1]", "core-1>", "<core-1>display this"]
COMWARE_MORE = "  ---- More ----"
COMWARE_ERASE = "\x1b[16D                \x1b[16D"
IOS_MORE = " --More-- "


@dataclass(frozen=True)
class Mutant:
    what: str  # e.g. "insert-garbage at line 12: '%Dec  7 …'"
    text: str


Lines = list[str]
LineMutation = Callable[[Lines, int, random.Random], Lines]


def _insert(line: str) -> LineMutation:
    return lambda lines, i, rng: [*lines[:i], line, *lines[i:]]


def _insert_choice(choices: list[str]) -> LineMutation:
    return lambda lines, i, rng: [*lines[:i], rng.choice(choices), *lines[i:]]


def _replace(change: Callable[[str, random.Random], str]) -> LineMutation:
    return lambda lines, i, rng: [*lines[:i], change(lines[i], rng), *lines[i + 1 :]]


def _truncate(line: str, rng: random.Random) -> str:
    return line[: rng.randrange(len(line))] if line else line


def _non_utf8(line: str, rng: random.Random) -> str:
    raw = line.encode("utf-8")
    cut = rng.randrange(len(raw) + 1)
    return (
        raw[:cut] + rng.choice([b"\xff\xfe", b"\x80", b"\xc3", b"\xe4\xb8", b"\xa1\xa1\xa1"]) + raw[cut:]
    ).decode("utf-8", errors="replace")


LINE_MUTATIONS: dict[str, LineMutation] = {
    "insert-garbage": _insert_choice(GARBAGE),
    "duplicate-line": lambda lines, i, rng: [*lines[: i + 1], lines[i], *lines[i + 1 :]],
    "delete-line": lambda lines, i, rng: [*lines[:i], *lines[i + 1 :]],
    "swap-lines": lambda lines, i, rng: [*lines[:i], *lines[i + 1 : i + 2], lines[i], *lines[i + 2 :]],
    "truncate-line": _replace(_truncate),
    "cut-rest": lambda lines, i, rng: lines[:i],  # the session dropped mid-output
    "swap-case-line": _replace(lambda line, rng: line.swapcase()),
    "stray-prompt": _insert_choice(PROMPTS),
    "more-prompt-line": _insert_choice([COMWARE_MORE, IOS_MORE, "--More--", "  ---- More ----  "]),
    "more-remnant": _replace(lambda line, rng: COMWARE_MORE + COMWARE_ERASE + line),
    "ansi-escape": _replace(
        lambda line, rng: rng.choice(["\x1b[42D", "\x1b[16D", "\x1b[K", "\x1b[1A"]) + line
    ),
    "ios-more-remnant": _replace(lambda line, rng: IOS_MORE + "\x08" * 10 + " " * 10 + "\x08" * 10 + line),
    "non-utf8": _replace(_non_utf8),
    # A GB18030 description (Chinese campus devices) read as UTF-8.
    "gb18030-as-utf8": _replace(
        lambda line, rng: (line + " 教学楼-备用").encode("gb18030").decode("utf-8", errors="replace")
    ),
}

WHOLE_MUTATIONS: dict[str, Callable[[str], str]] = {
    "swap-case-all": str.swapcase,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "cr-crlf": lambda text: text.replace("\n", "\r\r\n"),
    "empty": lambda text: "",
    "blank-lines": lambda text: "\n \n\t\n",
    "final-newline": lambda text: text.rstrip("\n") if text.endswith("\n") else text + "\n\n",
}

MUTATIONS = [*LINE_MUTATIONS, *WHOLE_MUTATIONS]


def positions(path: Path, mutation: str, count: int) -> list[int]:
    """The first line, the last, and `POSITIONS` more chosen by a generator seeded by the file."""
    if count == 0:
        return []
    rng = random.Random(zlib.crc32(f"{shown(path)}:{mutation}".encode()))
    chosen = {0, count - 1} | {rng.randrange(count) for _ in range(POSITIONS)}
    return sorted(chosen)


def mutants(path: Path, text: str, mutation: str) -> Iterator[Mutant]:
    if mutation in WHOLE_MUTATIONS:
        yield Mutant(mutation, WHOLE_MUTATIONS[mutation](text))
        return
    lines = text.split("\n")
    change = LINE_MUTATIONS[mutation]
    for i in positions(path, mutation, len(lines)):
        rng = random.Random(zlib.crc32(f"{shown(path)}:{mutation}:{i}".encode()))
        mutated = change(lines, i, rng)
        near = mutated[i] if i < len(mutated) else "(end of text)"
        yield Mutant(f"{mutation} at line {i + 1} (now {near[:60]!r})", "\n".join(mutated))


# --- running one parse ----------------------------------------------------------------------


class Deadline(Exception):
    pass


def _expire(signum: int, frame: FrameType | None) -> None:
    raise Deadline(f"no result within {DEADLINE} s")


def within_deadline(call: Callable[[], Any]) -> Any:
    """`call()` interrupted after DEADLINE seconds (the re module checks signals while matching).

    pytest-timeout may hold SIGALRM for the whole test: its handler and the time left are
    restored afterwards.
    """
    previous = signal.signal(signal.SIGALRM, _expire)
    started = time.monotonic()
    left, _ = signal.setitimer(signal.ITIMER_REAL, DEADLINE)
    try:
        return call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if left:
            signal.setitimer(signal.ITIMER_REAL, max(left - (time.monotonic() - started), 0.001))


def where(exc: BaseException) -> str:
    """`collector/parsers/comware_net.py:66 in vlans, via textfsm/parser.py:1038 in _Operations`."""
    return location(exc)


def disguised(exc: ParseError) -> BaseException | None:
    """The programming error a ParseError was raised from, if any."""
    seen: BaseException | None = exc.__cause__ or exc.__context__
    while seen is not None:
        if isinstance(seen, BUGS):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class Outcome:
    """A parse's result, its ParseError, or the description of a contract breach."""

    def __init__(self, parser: str, text: str) -> None:
        self.result: Any = None
        self.breach: str | None = None
        self.parsed = False
        try:
            self.result = within_deadline(lambda: get_parser(parser)(text))
            self.parsed = True
        except ParseError as exc:
            hidden = disguised(exc)
            if hidden is not None:
                self.breach = f"ParseError raised from {type(hidden).__name__}: {hidden} ({where(hidden)})"
        except Deadline as exc:
            self.breach = f"hang: {exc} ({where(exc)})"
        except Exception as exc:
            self.breach = f"{type(exc).__name__}: {str(exc)[:160]} ({where(exc)})"


# --- the inspection on what was parsed ------------------------------------------------------

AT = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CHECKLIST = cache(load_checklist)
ROLES = ("core", "firewall")  # together they reach every automatic item of the checklist


def observation(platform: str, parser: str, result: Any, role: str, at: dt.datetime) -> Observation:
    state: dict[str, Any] = {}
    measures: dict[str, Any] = {}
    logs: list[Any] = []
    for use in parser_uses().get(parser, ()):
        if use.kind == "state":
            state[use.name] = result
        elif use.kind == "measure":
            measures[use.name] = result
        else:
            logs = result if isinstance(result, list) else []
    return Observation("core-1", platform, role, "unknown", state, measures, logs, [], at)


def inspection_breach(platform: str, parser: str, result: Any, baseline: Any, role: str) -> str | None:
    """The inspection on a mutated result, against the unmutated one as the previous run."""
    checklist = CHECKLIST()
    current = observation(platform, parser, result, role, AT)
    previous = observation(platform, parser, baseline, role, AT - dt.timedelta(days=1))
    try:
        within_deadline(lambda: evaluate(current, previous, checklist, Thresholds()))
        within_deadline(lambda: evaluate(current, None, checklist, Thresholds()))
    except Exception as exc:
        return f"inspection ({role}) raised {type(exc).__name__}: {str(exc)[:160]} ({where(exc)})"
    return None


# --- the tests ------------------------------------------------------------------------------

INPUTS = inputs()

# Known parser bugs: (parser, mutation) -> what breaks, as this test reports it. xfail(strict):
# once the parser is fixed the pair passes, and the test says to remove the entry here.
KNOWN: dict[tuple[str, str], str] = {}


def _cases() -> list[Any]:
    cases = []
    for parser in sorted(INPUTS):
        for mutation in MUTATIONS:
            marks = []
            if (parser, mutation) in KNOWN:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[(parser, mutation)]))
            cases.append(pytest.param(parser, mutation, id=f"{parser}-{mutation}", marks=marks))
    return cases


@cache
def baseline(parser: str, path: Path) -> Any:
    outcome = Outcome(parser, read(path))
    return outcome.result if outcome.parsed else None


@pytest.mark.parametrize(("parser", "mutation"), _cases())
def test_damaged_output_gives_a_result_or_parse_error(parser: str, mutation: str) -> None:
    platform = parser.split(".")[0]
    breaches: list[str] = []
    changed = 0
    for n, path in enumerate(INPUTS[parser]):
        text = read(path)
        for mutant in mutants(path, text, mutation):
            changed += mutant.text != text
            outcome = Outcome(parser, mutant.text)
            if outcome.breach:
                breaches.append(f"{parser} on {shown(path)}, {mutant.what}: {outcome.breach}")
            elif outcome.parsed:
                role = ROLES[n % len(ROLES)]
                found = inspection_breach(platform, parser, outcome.result, baseline(parser, path), role)
                if found:
                    breaches.append(f"{parser} on {shown(path)}, {mutant.what}: {found}")
    assert changed, f"{mutation} changed none of {parser}'s inputs: the test would prove nothing"
    assert not breaches, f"{len(breaches)} contract breach(es):\n" + "\n".join(breaches[:25])


def test_every_spec_parser_is_exercised() -> None:
    """Each parser the specs name has recorded inputs here (else its contract is untested)."""
    assert set(parser_uses()) <= set(INPUTS), sorted(set(parser_uses()) - set(INPUTS))


def test_every_real_capture_maps_to_a_parser() -> None:
    """A real-capture folder that names no spec command would silently test nothing."""
    unmapped = [
        shown(p)
        for p in sorted(REAL.glob("*/*/*.txt"))
        if p.parts[-3] in PLATFORMS
        and not command_parsers(p.parts[-3], p.parts[-2])
        and p.parts[-2].replace("_", " ") not in _unparsed_commands(p.parts[-3])
    ]
    assert not unmapped, unmapped


def _unparsed_commands(platform: str) -> set[str]:
    """Commands whose output no parser reads (the configurations)."""
    return {
        c.command
        for c in load_spec(platform).commands
        if not c.state and not c.log and not any(c.measure.values())
    }


def test_recorded_inputs_mostly_parse_unmutated() -> None:
    """The inputs are outputs the parsers understand: otherwise every mutation would be a
    ParseError and the contract would hold for nothing."""
    total = sum(len(paths) for paths in INPUTS.values())
    parsed = sum(baseline(parser, path) is not None for parser, paths in INPUTS.items() for path in paths)
    assert parsed >= 0.8 * total, f"only {parsed} of {total} recorded inputs parse"


def test_the_contract_check_catches_a_disguised_crash() -> None:
    """A ParseError raised from an IndexError is a crash in disguise (what a blanket
    conversion in get_parser would produce), and a hang is caught by the deadline."""
    try:
        try:
            [][1]
        except IndexError as exc:
            raise ParseError("hidden") from exc
    except ParseError as exc:
        assert isinstance(disguised(exc), IndexError)
    with pytest.raises(Deadline):
        within_deadline(lambda: __import__("re").match(r"(a+)+$", "a" * 64 + "b"))
