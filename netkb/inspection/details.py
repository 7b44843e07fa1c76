"""Inspection details in the site's language.

The checks write a finding's detail in English (`fan 1/1: Fault`) and run records keep that
text. The catalogue's `detail_*` keys (netkb/strings/details.yaml) hold each detail's template
in both languages; `localise` reads a stored English detail back through the English templates
and writes it with the other language's, part by part. A text no template matches (an old run
record, a device's own words) is shown as it was stored: never a guess.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache

from netkb.i18n import Strings, keys

# Closed-set words a placeholder stands for, by its name: the catalogue prefix of their keys.
TERMS = {"topic": "topic", "noun": "part", "what": "measure", "window": "window"}
NUMBERS = {"count", "online", "total", "settled", "expected", "full", "two_way", "absent", "value", "celsius"}
NUMBERS |= {"days", "hours", "minutes"}
LOOKUPS = {"input": "topic"}  # a word looked up like TERMS but matched as any word
PHRASES = {"since": "detail_since_"}  # one of a few fixed phrases, by their keys' prefix
NAMES = {"slot", "sensor", "name", "id", "member"}  # never hold `: `
ADDRESSES = {"router"}  # an OSPF router ID: four dotted numbers
DEPTH = 6  # how deep values are read again (a list of parts of a list …)


@dataclass(frozen=True)
class Template:
    key: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    literal: int  # characters outside placeholders: the more, the more specific


def _group(name: str) -> str:
    if name in TERMS:
        words = sorted((k.split("_", 1)[1] for k in keys() if k.startswith(TERMS[name] + "_")), key=len)
        return f"(?P<{name}>{'|'.join(re.escape(w) for w in reversed(words))})"
    if name in PHRASES:
        english = Strings("en")
        phrases = [re.escape(english.plain(k)) for k in keys() if k.startswith(PHRASES[name])]
        return f"(?P<{name}>{'|'.join(phrases)})"
    if name in NUMBERS:
        return rf"(?P<{name}>-?\d+(?:\.\d+)?)"
    if name in ADDRESSES:
        return rf"(?P<{name}>\d+(?:\.\d+){{3}})"
    if name in NAMES:
        return f"(?P<{name}>[^;:]+?)"
    if name.endswith("_list"):
        return f"(?P<{name}>.+?)"
    return f"(?P<{name}>[^;]+?)"


@cache
def templates() -> tuple[Template, ...]:
    english = Strings("en")
    out = []
    for key in keys():
        if not key.startswith("detail_"):
            continue
        pattern, names, literal = "", [], 0
        for text, name, _, _ in string.Formatter().parse(english.plain(key)):
            pattern += re.escape(text)
            literal += len(text)
            if name:
                pattern += _group(name)
                names.append(name)
        out.append(Template(key, re.compile(pattern), tuple(names), literal))
    return tuple(sorted(out, key=lambda t: -t.literal))


def localise(detail: str, strings: Strings) -> str:
    """The stored detail in `strings`' language; as stored where it is English or not understood."""
    if strings.language == "en" or not detail:
        return detail
    translated = _read(detail, strings, DEPTH)
    return detail if translated is None else translated


def _read(text: str, strings: Strings, depth: int) -> str | None:
    """`text` in the other language, or None where some part of it matches no template."""
    if depth <= 0:
        return None
    for template in templates():
        match = template.pattern.fullmatch(text)
        if match:
            values = {name: _value(name, match[name], strings, depth) for name in template.names}
            return strings.plain(template.key, **values)
    if "; " in text:
        parts = [_read(part, strings, depth - 1) or part for part in text.split("; ")]
        return strings.plain("detail_separator").join(parts)
    return None


def _value(name: str, value: str, strings: Strings, depth: int) -> str:
    if name in TERMS or name in LOOKUPS:
        return strings.term({**TERMS, **LOOKUPS}[name], value)
    if name in NUMBERS:
        return value
    if name.endswith("_items"):
        parts = [_read(part, strings, depth - 1) or part for part in value.split(", ")]
        return strings.plain("detail_item_separator").join(parts)
    return _read(value, strings, depth - 1) or value


def written(key: str, /, **values: object) -> str:
    """A detail as the checks write it into run records: the English form of a `detail_*` key."""
    return _ENGLISH.plain(key, **values)


_ENGLISH = Strings("en")
