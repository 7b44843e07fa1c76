"""Raw HTML in hand-written Markdown: rendered as MkDocs renders it, then sanitized as netkb's
plugin does (generator/mkdocs_plugin.py); tests/integration/test_sanitize_browser.py runs the
same in Chromium on a built site."""

from __future__ import annotations

import html.parser
import re
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from netkb.generator.generate import render_site
from netkb.generator.mkdocs_config import mkdocs_config
from netkb.generator.mkdocs_plugin import HAND_WRITTEN, NetkbPlugin, hand_written
from netkb.generator.sanitize import DROPPED
from netkb.i18n import Strings
from netkb.settings import Settings
from tests.generator.test_markdown import render
from tests.generator.test_pages import site

# Each must leave nothing that runs: no script, no event handler, no javascript:/data: URL.
DANGEROUS = [
    "<script>window.__pwned=1</script>",
    "<SCRIPT>window.__pwned=1</SCRIPT>",
    "<ScRiPt src=/x.js></sCrIpT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x ONERROR=alert(1)>",
    "<img\nsrc=x\nonerror=alert(1)>",
    '<div\n  onclick="alert(1)"\n>\n\nsplit over lines\n\n</div>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<style>body{display:none}</style>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![i](javascript:alert(1))",
    "![i](data:image/svg+xml,<svg onload=alert(1)>)",
    "[x](https://example.org/){: onclick=alert(1) }",
    "## Heading {: onmouseover=alert(1) }",
    '<p markdown="1" onclick="alert(1)">**md**</p>',
    "<details ontoggle=alert(1) open><summary>s</summary>b</details>",
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<!--><script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<input autofocus onfocus="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    '<a href="#" style="background:url(javascript:alert(1))">x</a>',
]

# Constructs a runbook may use, and what must be left of each (a regex on the sanitized HTML).
ALLOWED = [
    (
        "<table><thead><tr><th colspan=2>a</th></tr></thead>"
        "<tbody><tr><td rowspan=2 align=right>1</td><td>2</td></tr></tbody></table>",
        r'<table><thead><tr><th colspan="2">a</th></tr></thead>'
        r'<tbody><tr><td rowspan="2" align="right">1</td>',
    ),
    (
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        r'<th style="text-align:left">a</th>\s*<th style="text-align:right">b',
    ),
    (
        "<details open><summary>More</summary>\n\nhidden\n\n</details>",
        r"<details open=\"\"><summary>More</summary>",
    ),
    ('??? note "Title"\n    body', r'<details class="note">\s*<summary>Title</summary>'),
    (
        '!!! warning "Careful"\n    body',
        r'<div class="admonition warning">\s*<p class="admonition-title">Careful',
    ),
    ("## Steps", r'<h2 id="steps">Steps<a class="headerlink" href="#steps"'),
    ("1. one\n2. two", r"<ol>\s*<li>one</li>"),
    ('<ol start="3"><li>three</li></ol>', r'<ol start="3"><li>three</li></ol>'),
    ("- a\n- b", r"<ul>\s*<li>a</li>"),
    ("> quoted", r"<blockquote>\s*<p>quoted"),
    ("*em* **strong** `code`", r"<em>em</em> <strong>strong</strong> <code>code</code>"),
    (
        "<kbd>Ctrl</kbd>+<kbd>C</kbd> H<sub>2</sub>O x<sup>2</sup>",
        r"<kbd>Ctrl</kbd>\+<kbd>C</kbd> H<sub>2</sub>O",
    ),
    ("<b>b</b> <i>i</i> <u>u</u> <s>s</s><br>next", r"<b>b</b> <i>i</i> <u>u</u> <s>s</s><br>next"),
    ('<div class="x"><span>in</span></div>\n\n---', r'<div class="x"><span>in</span></div>\s*<hr>'),
    ("[docs](https://example.org/docs)", r'<a href="https://example.org/docs" rel="noopener">docs</a>'),
    ("[mail](mailto:noc@example.org)", r'<a href="mailto:noc@example.org" rel="noopener">mail</a>'),
    ("[other](../other.md#step-2)", r'<a href="../other.md#step-2" rel="noopener">other</a>'),
    ('![fan tray](img/fan.png "Fan")', r'<img alt="fan tray" src="img/fan.png" title="Fan">'),
    (
        '<img src="/runbooks/img/a.png" alt="a" width="300" height="200">',
        r'<img src="/runbooks/img/a.png" alt="a" width="300" height="200">',
    ),
    (
        "```python\nprint(1)\n```",
        r'<div class="language-python highlight"><pre><span></span><code><span class="nb">print',
    ),
]

# Each drops the image's source: the site is offline and loads nothing from elsewhere.
EXTERNAL_IMAGES = [
    "![t](https://tracker.example/p.png)",
    '<img src="http://example.org/a.png">',
    '<img src="//example.org/a.png">',
    '<img src="/\\example.org/a.png">',
    '<img src=" \t//example.org/a.png">',
    '<img src="HTTPS://example.org/a.png">',
    '<img src="ftp://example.org/a.png">',
]


class Reader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(html_text: str) -> Reader:
    reader = Reader()
    reader.feed(html_text)
    reader.close()
    return reader


def publish(markdown: str, page: str = "runbooks/x.md", trust: bool = False) -> str:
    """The page content as the built site has it: Markdown rendered, then netkb's plugin."""
    plugin = NetkbPlugin()
    plugin.load_config({"trust_raw_html": trust})
    stub = SimpleNamespace(file=SimpleNamespace(src_uri=page), toc=[])
    return plugin.on_page_content(render(markdown), page=stub, config=None, files=None)  # type: ignore[arg-type]


def _runs_nothing(html_text: str) -> None:
    # html.parser reads `<!-->` as the start of a comment; browsers, as a whole one.
    assert not re.search(r"<(script|iframe|object|embed|svg|math|style|form)\b", html_text, re.I), html_text
    for tag, attrs in read(html_text).tags:
        assert tag not in DROPPED | {"input", "video", "source", "body", "meta", "base", "button"}, html_text
        for name, value in attrs.items():
            assert not name.startswith("on"), html_text
            assert name != "style" or set(value.split(":")[0].split(";")) <= {"text-align"}, html_text
            url = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21)))).lower()  # as browsers
            assert not url.startswith(("javascript:", "data:", "vbscript:")), html_text


@pytest.mark.parametrize("markdown", DANGEROUS)
def test_dangerous_html_leaves_nothing_that_runs(markdown: str) -> None:
    _runs_nothing(publish(markdown))


def test_the_check_sees_what_runs() -> None:
    # As Python-Markdown renders them, nearly all of the dangerous inputs would run.
    caught = 0
    for markdown in DANGEROUS:
        try:
            _runs_nothing(render(markdown))
        except AssertionError:
            caught += 1
    assert caught >= len(DANGEROUS) - 2


@pytest.mark.parametrize("markdown", DANGEROUS)
def test_dangerous_html_published_as_written_when_trusted(markdown: str) -> None:
    assert publish(markdown, trust=True) == render(markdown)


def test_trust_and_untrust_differ_on_a_script() -> None:
    markdown = "<script>window.__pwned=2</script>\n\ntext"
    assert "<script>" in publish(markdown, trust=True)
    assert "<script>" not in publish(markdown) and "text" in publish(markdown)


@pytest.mark.parametrize(("markdown", "kept"), ALLOWED)
def test_allowed_constructs_are_kept(markdown: str, kept: str) -> None:
    published = publish(markdown)
    assert re.search(kept, published), published


@pytest.mark.parametrize("markdown", EXTERNAL_IMAGES)
def test_images_come_from_the_site_only(markdown: str) -> None:
    images = [attrs for tag, attrs in read(publish(markdown)).tags if tag == "img"]
    assert images and all("src" not in attrs for attrs in images)


@pytest.mark.parametrize(
    "markdown",
    [
        "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
        "~~~\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n~~~",
        "Text.\n\n    <script>alert(1)</script>\n    <img src=x onerror=alert(1)>",
        "Inline `<script>alert(1)</script>` and `<img src=x onerror=alert(1)>`.",
    ],
)
def test_code_shows_html_as_text(markdown: str) -> None:
    published = publish(markdown)
    text = "".join(read(published).text)
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert all(tag not in ("script", "img") for tag, _ in read(published).tags)


def test_links_open_nothing_with_access_to_the_site() -> None:
    for tag, attrs in read(publish("[a](https://example.org/) <a href='x.md' target=_blank>b</a>")).tags:
        if tag == "a":
            assert attrs["rel"] == "noopener" and "target" not in attrs


def test_heading_ids_cannot_take_the_themes_own() -> None:
    # Material reads its settings from the first `#__config` of the page.
    published = publish("## __config\n\n<h3 id='__search'>s</h3>\n\n## ok {#my-anchor}")
    ids = [attrs.get("id") for _, attrs in read(published).tags]
    assert "__config" not in ids and "__search" not in ids and "my-anchor" in ids


def test_the_table_of_contents_is_plain_text() -> None:
    plugin = NetkbPlugin()
    plugin.load_config({})
    child = SimpleNamespace(title="<img src=x onerror=alert(1)>b &amp; c", children=[])
    toc = [SimpleNamespace(title="<script>alert(1)</script>a", children=[child])]
    stub = SimpleNamespace(file=SimpleNamespace(src_uri="incidents/x.md"), toc=toc)
    plugin.on_page_content("<p>x</p>", page=stub, config=None, files=None)  # type: ignore[arg-type]
    assert toc[0].title == "a" and child.title == "b &amp; c"


def test_generated_pages_are_left_as_built() -> None:
    # The generator's own pages escape what they print; their charts and scripts stay.
    svg = '<div class="netkb-chart" markdown="0" data-search-exclude><svg><text>x</text></svg></div>'
    assert publish(svg, page="reports/2026.md") == render(svg)
    assert publish(svg, page="devices/core-1.md") == render(svg)


def test_every_page_with_a_record_body_is_sanitized() -> None:
    runbook = "<b>RUNBOOK-BODY</b>"
    narrative = "NARRATIVE-BODY <i>x</i>"
    incident = (
        "---\nid: INC-2026-0042\ntitle: t\nlevel: P4\ncategory: other\ndevices: [core-1]\n"
        "reported: 2026-11-02T10:00:00+08:00\nreporter: r\nhandler: h\nstatus: open\n"
        f"runbooks: [hardware/s7500e-fan]\n---\n{narrative}\n"
    )
    model = site("en", {"incidents/2026-11-02-x.md": incident})
    model.runbooks[0] = replace(model.runbooks[0], body=runbook)
    model.onsite[0] = replace(model.onsite[0], notes="ONSITE-NOTES <u>x</u>")
    files = render_site(model)
    holding = {
        path
        for path, content in files.items()
        if isinstance(content, str) and re.search("RUNBOOK-BODY|NARRATIVE-BODY|ONSITE-NOTES", content)
    }
    assert {"runbooks/hardware/s7500e-fan.md", "inspections/onsite/2026-11-01-core.md"} <= holding
    assert any(p.startswith("incidents/") for p in holding)
    assert all(hand_written(path) for path in holding), sorted(p for p in holding if not hand_written(p))
    assert all(any(p.startswith(prefix) for p in files) for prefix in HAND_WRITTEN)


def test_the_setting_reaches_the_mkdocs_configuration() -> None:
    assert Settings().trust_raw_html is False
    assert Settings.model_validate({"trust_raw_html": True}).trust_raw_html is True
    for trust in (False, True):
        config = yaml.safe_load(mkdocs_config(Strings("en"), "x", Path("b"), Path("s"), trust_raw_html=trust))
        assert config["plugins"]["netkb"]["trust_raw_html"] is trust


def test_runbook_attachments_that_a_browser_would_run_are_reported_not_published(tmp_path: Path) -> None:
    from netkb.records.runbooks import attachments

    folder = tmp_path / "runbooks"
    (folder / "img").mkdir(parents=True)
    for name in ("img/topo.png", "manual.pdf", "x.html", "img/map.svg", "hook.js", "a.md", ".hidden"):
        (folder / name).write_bytes(b"<script>window.__pwned=1</script>")
    kept, problems = attachments(folder)
    assert [p.relative_to(folder).as_posix() for p in kept] == ["img/topo.png", "manual.pdf"]
    assert [p.split(":")[0] for p in problems] == [
        "runbooks/hook.js",
        "runbooks/img/map.svg",
        "runbooks/x.html",
    ]
    assert all("trust_raw_html: true" in p for p in problems)
    trusted, none = attachments(folder, trust_raw_html=True)
    assert len(trusted) == 5 and none == []


def test_the_attachments_of_a_runbook_library_the_settings_name_are_published(tmp_path: Path) -> None:
    from netkb.generator.generate import _runbook_assets

    library = tmp_path / "library"
    (library / "img").mkdir(parents=True)
    (library / "img" / "fan.png").write_bytes(b"\x89PNG fan")
    (tmp_path / "records" / "runbooks").mkdir(parents=True)  # the default folder, empty here
    named = Settings.model_validate({"runbooks": str(library)})
    assert _runbook_assets(named, tmp_path / "records") == {"runbooks/img/fan.png": b"\x89PNG fan"}
    assert _runbook_assets(Settings(), tmp_path / "records") == {}
