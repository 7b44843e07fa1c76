"""Escaping for every context a device- or record-derived string lands in.

Device descriptions, hostnames, log lines and record fields are data, never markup. The
generated pages go through Python-Markdown (with attr_list, tables, md_in_html, superfences)
and then Material's templates, so a string must be safe against all of them at once:

- inline text: every character that Markdown, its extensions or HTML give a meaning is written
  as a numeric character reference (`&#42;`). Python-Markdown passes references through
  untouched and the browser shows the character, so the text reads exactly as it came, while
  no `*`, `` ` ``, `[`, `{:`, `|` or `<` is left for a parser to act on. Newlines become spaces
  (a newline would let the text start a block of its own: a heading, a list, a fence);
- fences: a backtick fence one longer than the longest backtick run at the start of any line,
  so the config's own text cannot close it;
- titles: MkDocs and Material print page titles through `striptags`, which *unescapes*
  references (`&lt;/title&gt;` would come back as a real tag), so titles cannot rely on
  references. Their few dangerous characters are replaced with full-width look-alikes.

`Md` marks a string that is already Markdown (built by these functions); the Jinja environment
escapes everything else by default (see generator/templates.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable


class Md(str):
    """Markdown we built ourselves: already escaped, printed as is."""

    __slots__ = ()


# What opens markup in the middle of a line: code, emphasis, links and images (`[`), attribute
# lists (`{`), table cells (`|`), HTML and entities (`<`, `&`), headings' closing `#`, and the
# tilde/caret extensions. Everything else (':', '(', '%', '.', '-', '+', quotes, CJK) is plain in
# the middle of a line, which is the only place templates put inline text, and stays readable.
_SPECIAL = frozenset("\\`*_{}[]<>#|~^&")
_REFERENCES = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


_PLAIN = re.compile(r"[^\\`*_{}\[\]<>#|~^&\x00-\x1f\x7f]*")


def text(value: object) -> Md:
    """Inline text: shows exactly as given, can start nothing and close nothing."""
    s = str(value)
    if _PLAIN.fullmatch(s):  # most values (names, numbers, dates): nothing to escape
        return Md(s)
    s = _CONTROL.sub("", s)
    s = " ".join(s.splitlines()) if ("\n" in s or "\r" in s) else s
    return Md(s.translate(_REFERENCES))


def cell(value: object) -> Md:
    """A table cell: inline text that is never empty (an empty cell shifts nothing, but reads badly)."""
    s = text(value)
    return Md(s if s.strip() else "&nbsp;")


def title(value: object) -> str:
    """A page title for front matter and navigation: plain text with no character a template could
    turn back into markup (see the module docstring), one line."""
    s = _CONTROL.sub("", " ".join(str(value).split()))
    return s.translate(_TITLE_LOOKALIKES) or "-"


_TITLE_LOOKALIKES = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀"})


def fence(body: str, language: str = "text", attrs: str = "") -> Md:
    """A fenced code block that the body cannot close (superfences closes on a run of at least
    as many backticks at the start of a line)."""
    longest = max((len(m.group(1)) for m in re.finditer(r"^[ \t]*(`+)", body, re.M)), default=0)
    ticks = "`" * max(3, longest + 1)
    header = f"{ticks} {language}" + (f" {{{attrs}}}" if attrs else "")
    body = body if body.endswith("\n") or not body else body + "\n"
    return Md(f"{header}\n{body}{ticks}")


def link(label: object, target: str) -> Md:
    """A link whose label is escaped text; the target is a path we built (relative .md or anchor)."""
    if any(c in target for c in " <>()\"'\n"):
        raise ValueError(f"unsafe link target {target!r}")
    return Md(f"[{text(label)}]({target})")


def code(value: object) -> Md:
    """Inline literal text shown in a monospace span (an HTML <code> so nothing inside is Markdown)."""
    return Md(f"<code>{text(value)}</code>")


def front_matter(fields: dict[str, object]) -> Md:
    """YAML front matter, each value written as JSON, which YAML reads back exactly (strings as
    double-quoted scalars, lists and mappings in flow style); a thousand pages of PyYAML's
    representer cost more than rendering them. Strings keep their characters, except the few
    that YAML does not take unescaped (C1 controls, line separators, surrogates, U+FFFE/U+FFFF)."""
    lines = []
    for key, value in fields.items():
        if not _PLAIN_KEY.fullmatch(key):
            raise ValueError(f"front matter key {key!r}")
        encoded = json.dumps(value, ensure_ascii=False)
        lines.append(f"{key}: {_YAML_UNPRINTABLE.sub(_json_escape, encoded)}\n")
    return Md(f"---\n{''.join(lines)}---\n")


# What YAML 1.1 (PyYAML) rejects in a document or reads as a line break (NEL, U+2028/9), even
# inside quotes, and JSON leaves as is.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


_PLAIN_KEY = re.compile(r"[a-z_]+")


def table(headers: Iterable[object], rows: Iterable[Iterable[object]]) -> Md:
    """A pipe table; strings are escaped as cells, `Md` values are taken as built."""
    head = list(headers)
    lines = [
        "| " + " | ".join(cell(h) for h in head) + " |",
        "|" + "|".join("---" for _ in head) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(v if isinstance(v, Md) else cell(v) for v in row) + " |")
    return Md("\n".join(lines))


def html_table(headers: Iterable[object], rows: Iterable[Iterable[object]]) -> Md:
    """The same table as `table`, written as an HTML block: Python-Markdown stashes it whole
    instead of running its inline patterns over every cell, which is most of the cost of a page
    whose cells hold inline SVG (the status pages' sparklines, rebuilt every night). Cells are
    escaped text or `Md` that is already HTML (no Markdown syntax: it would not be converted)."""

    def row(tag: str, values: Iterable[object]) -> str:
        cells = "".join(f"<{tag}>{v if isinstance(v, Md) else cell(v)}</{tag}>" for v in values)
        return f"<tr>{cells}</tr>"

    body = "\n".join(row("td", r) for r in rows)
    return Md(f"<table>\n<thead>\n{row('th', headers)}\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>")
