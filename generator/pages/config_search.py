"""Config search: every device's current config in one data file, loaded only by this page.

The configs stay out of the main search index (they would swamp it); this page matches a
string or a regular expression line by line in the browser. The data file lists each distinct
config line once and each device as indexes into that list: most lines repeat across devices of
a role, so the file is a fraction of the configs' total size. With each device go its platform
and, per line, the line its block opens with (the interface or section it belongs to), and with
the whole the vendors' syntax the search understands (static/config-syntax.yaml: interface
name abbreviations, VLAN lists and ranges).
"""

from __future__ import annotations

import json
from importlib import resources

import yaml

from netkb.generator.pages.common import rel
from netkb.generator.site import Site
from netkb.markdown import front_matter, title
from netkb.spec import find_spec

PAGE = "config-search.md"
DATA = "assets/netkb/configs.json"
SCRIPT = "assets/netkb/config-search.js"


def render_pages(site: Site) -> dict[str, str]:
    s = site.strings
    lines: dict[str, int] = {}
    devices = []
    for device in site.devices.values():
        if not device.history.config:
            continue
        config = device.history.config.splitlines()
        spec = find_spec(device.platform)
        comment = spec.comment if spec else "#"
        devices.append(
            {
                "name": device.name,
                "url": rel(PAGE, device.page).removesuffix(".md") + "/",
                "platform": device.platform,
                "lines": [lines.setdefault(line, len(lines)) for line in config],
                "parents": parents(config, comment),
            }
        )
    static = resources.files("netkb.generator").joinpath("static")
    syntax = yaml.safe_load(static.joinpath("config-syntax.yaml").read_text(encoding="utf-8"))
    everything = {"lines": list(lines), "devices": devices, "syntax": syntax}
    data = json.dumps(everything, ensure_ascii=False, separators=(",", ":"))
    script = static.joinpath("config-search.js").read_text(encoding="utf-8")
    labels = {
        "placeholder": str(s("config_search_placeholder")),
        "regex": str(s("regex")),
        "case": str(s("case_sensitive")),
        "button": str(s("search_button")),
    }
    # The form is HTML we write; its labels are our own strings, attribute-escaped by json.dumps.
    body = f"""{front_matter({"title": title(s("config_search")), "search": {"exclude": True}})}
# {s("config_search")}

{s("config_search_intro")}
{s("config_search_hint")}

<form id="netkb-config-search" class="netkb-form" data-source="../{DATA}"
 data-labels='{_attr(json.dumps(labels, ensure_ascii=False))}'>
<input type="search" name="q" autocomplete="off" placeholder="{_attr(labels["placeholder"])}">
<label><input type="checkbox" name="regex"> {s("regex")}</label>
<label><input type="checkbox" name="case"> {s("case_sensitive")}</label>
<button type="submit">{s("search_button")}</button>
</form>

<div id="netkb-config-results" aria-live="polite"></div>

<script src="../{SCRIPT}"></script>
"""
    return {PAGE: body, DATA: data, SCRIPT: script}


def parents(config: list[str], comment: str = "#") -> list[int]:
    """For each line, the position of the line its block opens with (the nearest line above it
    indented less), or -1 at the top level. Comment lines (Comware's `#`, IOS's `!`) open nothing."""
    out: list[int] = []
    stack: list[tuple[int, int]] = []  # (indent, position) of the open blocks, innermost last
    for i, line in enumerate(config):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped or stripped.startswith((comment, "!")):
            out.append(-1)
            if not indent:
                stack.clear()
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        out.append(stack[-1][1] if stack else -1)
        stack.append((indent, i))
    return out


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")
