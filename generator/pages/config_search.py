"""Config search: every device's current config in one data file, loaded only by this page.

The configs stay out of the main search index (they would swamp it); this page matches a
string or a regular expression line by line in the browser. The data file lists each distinct
config line once and each device as indexes into that list: most lines repeat across devices of
a role, so the file is a fraction of the configs' total size.
"""

from __future__ import annotations

import json
from importlib import resources

from netkb.generator.pages.common import rel
from netkb.generator.site import Site
from netkb.markdown import front_matter, title

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
        indexes = [lines.setdefault(line, len(lines)) for line in device.history.config.splitlines()]
        devices.append(
            {"name": device.name, "url": rel(PAGE, device.page).removesuffix(".md") + "/", "lines": indexes}
        )
    data = json.dumps({"lines": list(lines), "devices": devices}, ensure_ascii=False, separators=(",", ":"))
    script = (
        resources.files("netkb.generator").joinpath("static/config-search.js").read_text(encoding="utf-8")
    )
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

<form id="netkb-config-search" data-source="../{DATA}"
 data-labels='{_attr(json.dumps(labels, ensure_ascii=False))}'>
<input type="search" name="q" autocomplete="off" style="width:60%">
<label><input type="checkbox" name="regex"> {s("regex")}</label>
<label><input type="checkbox" name="case"> {s("case_sensitive")}</label>
<button type="submit">{s("search_button")}</button>
</form>

<div id="netkb-config-results" aria-live="polite"></div>

<script src="../{SCRIPT}"></script>
"""
    return {PAGE: body, DATA: data, SCRIPT: script}


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")
