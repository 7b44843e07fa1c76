"""A cheap, exact pre-filter for the redaction rules: skip a rule whose regex cannot match.

Most rules name a keyword (`password `, `snmp-agent community`, `$c$3$`…) that every match
must contain. `required(pattern)` reads those literals out of the compiled regex itself (its
parse tree: runs of literal characters, small alternations of them), so no keyword list is kept
by hand and none can drift from the rules. If a text does not contain any of a rule's required
literals, the regex cannot match it and running it would change nothing: the filter only saves
the scan, it never decides what is a secret.

Exactness: literals (ASCII only) and text are compared lower-cased, which covers
case-insensitive rules. Unicode case folding lets four non-ASCII characters match an ASCII
letter in a case-insensitive regex (`ſ` ~ `s`, dotless `ı` and `İ` ~ `i`, KELVIN SIGN ~ `k`):
`lowered` writes them as that letter first, so a text of Chinese descriptions is filtered as
exactly as an ASCII one. A pattern the reader does not understand has no requirement (always run).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

try:  # the re module's own parser (private, stable since 3.11); without it, nothing is skipped
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _p = _c = None

_MAX_EXPANSION = 64  # alternatives of a literal set kept (`(?:1|5|6|8|9)` times its neighbours)
_KEEP = 2  # requirements checked per rule: the two most selective

AnyOf = frozenset[str]


# The non-ASCII characters `re` matches to an ASCII letter under IGNORECASE (tested complete).
LOOKALIKES = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}


def lowered(text: str) -> str:
    """The text to filter with: lower-cased, look-alikes written as their ASCII letter."""
    if not text.isascii():
        for char, letter in LOOKALIKES.items():
            if char in text:
                text = text.replace(char, letter)
    return text.lower()


def may_match(pattern: re.Pattern[str], low: str) -> bool:
    """False only if `pattern` cannot match the text `low` was lowered from."""
    return all(any(word in low for word in any_of) for any_of in required(pattern))


@functools.cache
def required(pattern: re.Pattern[str]) -> tuple[AnyOf, ...]:
    """Sets of lower-case literals; every match of `pattern` contains one literal of each set."""
    if _p is None:
        return ()
    try:
        tree = _p.parse(pattern.pattern, pattern.flags)
    except Exception:  # a pattern re compiled but this reader cannot: no requirement
        return ()
    return _best(_sequence(list(tree)))


def _best(candidates: Iterable[AnyOf]) -> tuple[AnyOf, ...]:
    useful = [c for c in candidates if c and all(c)]
    useful.sort(key=lambda c: min(len(w) for w in c), reverse=True)
    return tuple(useful[:_KEEP])


def _sequence(nodes: list[tuple[Any, Any]]) -> list[AnyOf]:
    """Requirements of a sequence of nodes: its literal runs and its nested requirements."""
    found: list[AnyOf] = []
    run: set[str] = {""}
    for op, arg in nodes:
        words = _expand([(op, arg)])
        if words is not None and len(run) * len(words) <= _MAX_EXPANSION:
            run = {a + b for a in run for b in words}
            continue
        found.append(frozenset(run))
        run = {""}
        if words is not None:  # a literal set too large to join with the run: a run of its own
            run = set(words)
            continue
        inner = _node(op, arg)
        if inner is not None:
            found.append(inner)
    found.append(frozenset(run))
    return found


def _node(op: Any, arg: Any) -> AnyOf | None:
    """The one requirement of a node that is not a literal set, or None."""
    if op is _c.SUBPATTERN:
        return _one(list(arg[-1]))
    if op is _c.ATOMIC_GROUP:
        return _one(list(arg))
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
        return _one(list(arg[2]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            one = _one(list(alternative))
            if one is None:
                return None  # an alternative with no requirement: the branch has none
            union |= one
        return frozenset(union)
    return None  # anchors, classes, lookarounds, back-references: nothing required


def _one(nodes: list[tuple[Any, Any]]) -> AnyOf | None:
    best = _best(_sequence(nodes))
    return best[0] if best else None


def _expand(nodes: list[tuple[Any, Any]]) -> set[str] | None:
    """Every string a purely literal piece of regex matches (lower-cased), or None."""
    words: set[str] = {""}
    for op, arg in nodes:
        if op is _c.LITERAL and arg < 128:
            piece: set[str] | None = {chr(arg).lower()}
        elif op is _c.SUBPATTERN:
            piece = _expand(list(arg[-1]))
        elif op is _c.BRANCH:
            piece = set()
            for alternative in arg[1]:
                more = _expand(list(alternative))
                if more is None:
                    return None
                piece |= more
        else:
            return None
        if piece is None or len(words) * len(piece) > _MAX_EXPANSION:
            return None
        words = {a + b for a in words for b in piece}
    return words
