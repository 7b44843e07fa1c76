"""The escaping helpers, run through the same Markdown pipeline as the site (Python-Markdown with
the extensions of the generated mkdocs.yml), read back as a browser reads the HTML."""

from __future__ import annotations

import html.parser
from pathlib import Path

import markdown as python_markdown
import pytest
import yaml

from netkb import markdown as md
from netkb.generator.mkdocs_config import mkdocs_config
from netkb.i18n import Strings
from netkb.lab.topology import HOSTILE_DESCRIPTIONS

HOSTILE = [
    *HOSTILE_DESCRIPTIONS,
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt; &amp; &#60;",
    "line one\n# heading\n- item\n```\nfence",
    "trailing \\",
    "{: onclick=alert(1) } *a* _b_ ~~c~~ ^d^ ==e== :smile: $x$",
    "<!-- comment --> <![CDATA[x]]> </td></tr></table>",
    "[x]: javascript:alert(1)",
    "接口 GigabitEthernet1/0/1 至图书馆 10.0.0.1/30",
]


def render(text: str) -> str:
    config = yaml.safe_load(mkdocs_config(Strings("zh"), "x", Path("build"), Path("site")))
    extensions = config["markdown_extensions"]  # a mapping: a team's mkdocs.yml adds to it
    configs = {name: options for name, options in extensions.items() if options}
    return python_markdown.markdown(text, extensions=list(extensions), extension_configs=configs)


class Reader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "td":
            self.cells.append("")
            self._in_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_cell:
            self.cells[-1] += data


def read(html_text: str) -> Reader:
    reader = Reader()
    reader.feed(html_text)
    reader.close()
    return reader


@pytest.mark.parametrize("value", HOSTILE)
def test_text_reads_back_exactly_and_makes_no_markup(value: str) -> None:
    page = read(render(f"Before {md.text(value)} after."))
    assert [t for t, _ in page.tags] == ["p"]
    assert "".join(page.text) == f"Before {' '.join(value.splitlines())} after."


@pytest.mark.parametrize("value", HOSTILE)
def test_a_table_cell_keeps_its_row_and_its_text(value: str) -> None:
    page = read(render(str(md.table(["a", "b"], [[value, "next"]]))))
    assert page.cells == [" ".join(value.splitlines()), "next"]
    assert all(t in ("table", "thead", "tbody", "tr", "th", "td") for t, _ in page.tags)


@pytest.mark.parametrize("value", HOSTILE)
def test_an_html_table_cell_keeps_its_row_and_its_text(value: str) -> None:
    """The HTML-block table (`html_table`: the status pages' sparklines) escapes as `table` does;
    its `Md` cells are taken as HTML."""
    page = read(render(str(md.html_table(["a", "b"], [[value, md.Md("<b>next</b>")]])) + "\n\nAfter."))
    assert page.cells == [" ".join(value.splitlines()), "next"]
    assert [t for t, _ in page.tags if t not in ("table", "thead", "tbody", "tr", "th", "td")] == ["b", "p"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_fence_cannot_be_closed_by_its_body(value: str) -> None:
    body = f"{value}\n```\n````\n~~~\n{value}\n"
    page = read(render(str(md.fence(body, "netconfig")) + "\n\nAfter the fence."))
    text = "".join(page.text)
    assert body in text  # the whole body, verbatim, inside the block
    assert text.rstrip().endswith("After the fence.")
    assert {t for t, _ in page.tags} <= {"div", "pre", "span", "code", "p"}


@pytest.mark.parametrize("value", HOSTILE)
def test_a_title_has_no_character_a_template_could_unescape(value: str) -> None:
    title = md.title(value)
    assert not set(title) & set("<>&\"'`\n")
    front = md.front_matter({"title": title})
    assert yaml.safe_load(front.strip().strip("-"))["title"] == title


def test_a_link_label_is_text_and_a_bad_target_is_refused() -> None:
    page = read(render(str(md.link("<b>x</b> ](javascript:y)", "devices/core-1.md"))))
    assert ("a", {"href": "devices/core-1.md"}) in page.tags and "<b>x</b> ](javascript:y)" in "".join(
        page.text
    )
    with pytest.raises(ValueError):
        md.link("x", "javascript:alert(1) (y)")


def test_strings_escape_their_values_but_not_themselves() -> None:
    s = Strings("en")
    assert (
        s("stale_note", days="<b>")
        == "Not collected successfully for more than &#60;b&#62; days: config and state may be out of date."
    )
    assert Strings("zh")("home") == "首页"
    with pytest.raises(ValueError):
        Strings("fr")


def test_every_ui_string_has_one_entry_in_both_languages() -> None:
    from importlib import resources

    text = resources.files("netkb").joinpath("strings.yaml").read_text(encoding="utf-8")
    keys = [line.split(":", 1)[0] for line in text.splitlines() if line[:1].isalpha()]
    assert len(keys) == len(set(keys)), "a key defined twice: the later one silently wins"
    table = yaml.safe_load(text)
    assert all(isinstance(v, list) and len(v) == 2 and all(v) for v in table.values())


def test_front_matter_reads_back_exactly_even_with_characters_yaml_refuses_raw() -> None:
    # C1 controls, NEL, a lone surrogate, noncharacters, CJK, quotes, and a mapping and a list.
    fields: dict[str, object] = {
        "title": 'a\x7f\x80\x85\x9f\u2028\u2029\ud800\ufffe\uffff 教学楼 "q" \\ # x: y',
        "search": {"boost": 2, "exclude": True},
        "tags": ["核心", "a: b", None],
    }
    front = md.front_matter(fields)
    assert front.startswith("---\n") and front.endswith("---\n")
    assert yaml.safe_load(front.strip().strip("-")) == fields
    with pytest.raises(ValueError):
        md.front_matter({"bad key": "x"})


def test_a_team_navigation_keeps_netkbs_pages_first() -> None:
    from netkb.generator.mkdocs_plugin import merged_nav

    netkb = [{"首页": "index.md"}, {"设备": "devices/index.md"}, {"资产": "assets/index.md"}]
    assert merged_nav(netkb, None) == netkb
    team = [{"值班": "team/duty.md"}, {"规范": [{"命名": "team/naming.md"}, {"资产台账": "assets/index.md"}]}]
    # netkb's pages the team did not place come first; the ones they placed stay where they put them
    assert merged_nav(netkb, team) == [{"首页": "index.md"}, {"设备": "devices/index.md"}, *team]
    assert merged_nav([], None) is None  # neither set one: MkDocs lists the pages itself
