"""Raw HTML in a runbook, an incident narrative and on-site notes, in Chromium (no lab needed).

The fixed site model of tests/generator/test_pages.py with hostile bodies, written with
`render_site`, built twice with `mkdocs build` (netkb's plugin on, then `trust_raw_html: true`)
and opened over HTTP: nothing written by hand runs unless the settings trust it, and the HTML a
runbook may use (details, tables, admonitions, code) still shows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from netkb.generator.generate import render_site
from netkb.generator.mkdocs_config import mkdocs_config
from netkb.generator.tree import write_tree
from tests.browser import Browser, browse
from tests.generator.test_pages import site

RUNBOOK = """# Fan tray

<img src=x onerror="window.__pwned=1">

<script>window.__pwned=2</script>

<a id="js" href="javascript:window.__pwned=3">click me</a>

<svg onload="window.__pwned=4"><circle r="1"/></svg>

[markdown link](javascript:window.__pwned=5){: .mdlink }

<SCRIPT>window.__pwned=6</SCRIPT>

<img
src=x
onerror="window.__pwned=7">

<iframe srcdoc="<script>parent.__pwned=8</script>"></iframe>

## Step <img src=y onerror="window.__pwned=9"> two

<p onmouseover="window.__pwned=10" class="hover">hover me</p>

<details><summary>Spare parts</summary>

<table>
<tr><th>Part</th><th>Qty</th></tr>
<tr><td colspan="1">fan module</td><td>2</td></tr>
</table>

</details>

| Slot | State |
|------|-------|
| 1    | fault |

!!! note "Before you start"
    Read the log.

```html
<script>window.__pwned=11</script>
```
"""
NARRATIVE = '<img src=x onerror="window.__pwned=12">\n\n<b>bold</b> narrative'
NOTES = '<svg><animate onbegin="window.__pwned=13" attributeName=x dur=1s></svg>\n\nnotes <kbd>Ctrl</kbd>'
INCIDENT = (
    "---\nid: INC-2026-0077\ntitle: t\nlevel: P4\ncategory: other\ndevices: [core-1]\n"
    "reported: 2026-11-02T10:00:00+08:00\nreporter: r\nhandler: h\nstatus: open\n---\n" + NARRATIVE + "\n"
)
# Page, and a text it shows (so a missing page cannot pass for a safe one).
PAGES = {
    "/sanitized/runbooks/hardware/s7500e-fan/": "hover me",
    "/sanitized/incidents/INC-2026-0077/": "narrative",
    "/sanitized/inspections/onsite/2026-11-01-core/": "notes",
}
RUNBOOK_PAGE = "/sanitized/runbooks/hardware/s7500e-fan/"
PWNED = "() => window.__pwned"


def _build(docs: Path, sites: Path, trust: bool) -> subprocess.Popen[str]:
    """`mkdocs build` of the tree into sites/sanitized or sites/trusted, started."""
    name = "trusted" if trust else "sanitized"
    config = docs.parent / f"mkdocs-{name}.yml"
    strings = site("en").strings
    config.write_text(
        mkdocs_config(strings, "netkb test", docs.parent, sites / name, trust_raw_html=trust),
        encoding="utf-8",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`sanitized/` and `trusted/`: the same tree built without and with `trust_raw_html`."""
    root = tmp_path_factory.mktemp("sanitize-site")
    model = site("en", {"incidents/2026-11-02-x.md": INCIDENT})
    model.runbooks[0] = replace(model.runbooks[0], body=RUNBOOK)
    model.onsite[0] = replace(model.onsite[0], notes=NOTES)
    docs = root / "tree" / "docs"
    write_tree(docs, render_site(model))
    builds = [_build(docs, root / "sites", trust) for trust in (False, True)]  # side by side
    for build in builds:
        _, errors = build.communicate(timeout=300)
        assert build.returncode == 0, errors
    return root / "sites"


@pytest.fixture(scope="module")
def browser(sites: Path) -> Iterator[Browser]:
    with browse(sites) as b:
        yield b
    assert b.watch.dialogs == [] and b.watch.foreign == []
    # `src=x` is kept (a relative image) and answers 404; nothing else may go wrong.
    assert [e for e in b.watch.errors if "404" not in e] == []


def test_nothing_written_by_hand_runs(browser: Browser) -> None:
    for path, shown in PAGES.items():
        page = browser.open(path)
        page.wait_for_load_state("load")
        assert shown in page.locator("article").inner_text(), path
        page.wait_for_timeout(300)  # the image errors and SVG animations of the page, had they run
        assert page.evaluate(PWNED) is None, path
        assert (
            page.locator(
                "article script, article svg, article iframe, article [onerror], article [onload]"
            ).count()
            == 0
        )
        page.close()


def test_links_and_handlers_stay_inert_when_used(browser: Browser) -> None:
    page = browser.open(RUNBOOK_PAGE)
    page.get_by_text("click me").click()
    page.locator("a.mdlink").click()
    page.get_by_text("hover me").hover()
    page.wait_for_timeout(200)
    assert page.evaluate(PWNED) is None
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert hrefs and not any(href.lower().startswith("javascript:") for href in hrefs)
    page.close()


def test_the_html_a_runbook_may_use_still_shows(browser: Browser) -> None:
    page = browser.open(RUNBOOK_PAGE)
    article = page.locator("article")
    summary = article.locator("details > summary", has_text="Spare parts")
    assert summary.is_visible()
    summary.click()
    assert article.locator("details table td", has_text="fan module").is_visible()
    assert article.locator("table th", has_text="Slot").is_visible()  # the Markdown table
    assert article.locator(".admonition.note", has_text="Read the log.").is_visible()
    assert "<script>window.__pwned=11</script>" in article.locator("pre code").inner_text()
    assert article.locator("h2#step-two").is_visible()  # the heading, its anchor, its image gone
    assert page.locator(".md-nav--secondary a[href='#step-two']").count() == 1
    page.close()
    page = browser.open("/sanitized/incidents/INC-2026-0077/")
    assert page.locator("article b", has_text="bold").is_visible()
    page.close()
    page = browser.open("/sanitized/inspections/onsite/2026-11-01-core/")
    assert page.locator("article kbd", has_text="Ctrl").is_visible()
    page.close()


def test_trusted_html_is_published_as_written(browser: Browser) -> None:
    # The same tree with `trust_raw_html: true`: the runbook's own script runs (so the checks above
    # would see one that got through).
    page = browser.open(RUNBOOK_PAGE.replace("/sanitized/", "/trusted/"))
    page.wait_for_load_state("load")
    assert "hover me" in page.locator("article").inner_text()
    assert page.evaluate(PWNED) is not None
    page.close()
