"""Raw HTML in the team's own Markdown (runbooks, incident narratives, on-site notes), made safe.

Those bodies are published as written, and Python-Markdown passes raw HTML through untouched:
`<script>`, `<img onerror=...>`, `<svg onload=...>`, but also Markdown's own ways to reach an
attribute or a URL (`[x](javascript:...)`, attr_list's `{: onclick=... }`). So the check runs on
the HTML MkDocs rendered (see generator/mkdocs_plugin.py), where every one of them has become an
element or an attribute and no spelling (upper case, a tag split over lines, entities) is left
to guess at, and code blocks are already text (`&lt;script&gt;` stays visible).

The sanitizer is nh3, the Python binding of the Rust `ammonia` crate: maintained, and built on
html5ever, the HTML parser of a browser engine. (bleach, the usual Python choice, is deprecated.)
It keeps only the elements and attributes of the allow-list below, whatever the input.
"""

from __future__ import annotations

import re

import nh3

# What Markdown and its extensions emit (tables, admonitions, details, code highlighting, the
# heading permalinks) and what people write by hand in a runbook.
TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "blockquote", "hr", "br"),
        *("ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("details", "summary"),
        *("pre", "code", "kbd", "samp"),
        *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small", "abbr"),
        *("a", "img"),
    }
)
# Elements dropped with everything inside them (other elements not allowed lose their tags and
# keep their text: `<font>x</font>` shows x).
DROPPED = frozenset(
    {"script", "style", "iframe", "frame", "object", "embed", "form", "noscript", "template", "svg", "math"}
)
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "title"},  # class: admonitions, highlighting (`.language-x`, Pygments tokens)
    **{h: {"id"} for h in ("h1", "h2", "h3", "h4", "h5", "h6")},  # the table of contents' anchors
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "align", "style"},  # style: only text-align, see STYLES
    "td": {"colspan", "rowspan", "align", "style"},
    "ol": {"start", "type"},
    "details": {"open"},
}
STYLES = frozenset({"text-align"})  # Markdown tables align their columns with a style attribute
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # plus relative links; never javascript: or data:
LINK_REL = "noopener"

# A scheme (`https:`), or a host (`//host`; browsers read `\` as `/` in a URL's start).
_NOT_LOCAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|[/\\]{2})")
# What browsers ignore in a URL: leading and trailing C0 controls and spaces, tabs and newlines anywhere.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def _filter(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        # Images from the site only: the site works offline and must not call out (tracking, leaks).
        url = _URL_IGNORED.sub("", value).strip(_C0_AND_SPACE)
        return None if not url or _NOT_LOCAL.match(url) else value
    if attribute == "id" and value.startswith("__"):
        # Material's own elements (`#__config`, `#__search`, `#__drawer`) must stay the first match
        # of their id: a heading named `__config` would otherwise replace the theme's settings.
        return None
    return value


def sanitize(html: str) -> str:
    """The HTML with only the allow-list left: no script, no event handler, no javascript: or
    data: URL, no external image; text (code blocks included) is kept as text."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=_filter,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLES),
    )


def text_only(html: str) -> str:
    """An HTML fragment with no element left at all (a table-of-contents title), text as text."""
    return nh3.clean(html, tags=set(), clean_content_tags=set(DROPPED))
