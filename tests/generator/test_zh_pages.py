"""A Chinese site says everything in Chinese: every ASCII word left in the text of the home, device,
inspection, report, change and asset pages is a name, a command, a config line, an identifier, a
number or a unit.

The pages are the golden files' site (test_pages.py: real page code over a fixed model); their
text is what a reader sees: front matter, code, link targets, markup and tags removed.
"""

from __future__ import annotations

import html
import re

import pytest

from netkb.generator.generate import render_site
from netkb.markdown import text
from tests.generator.test_pages import HOSTILE, model, site

PAGES = ("index.md", "devices/", "inspections/", "reports/", "changes/", "assets/", "config-search.md")

# Names: vendors, their systems, protocols and acronyms an engineer reads as such.
NAMES = {"H3C", "Comware", "Huawei", "VRP", "Cisco", "IOS", "Ruijie", "RGOS", "SLA", "CPU", "AP", "IP"}
NAMES |= {"MAC", "VLAN", "OSPF", "IRF", "ID", "SSH", "netkb", "Markdown"}
UNITS = {"m", "h", "d", "s", "ms", "KB", "MB", "GB", "C"}  # C: °C
# What the fixture's devices printed, shown as the device wrote it: a hostile building name, a
# board's raw status, the software banner, a slot.
DEVICE_TEXT = set(re.findall(r"[A-Za-z]+", HOSTILE)) | {"Fault", "Release", "chassis"}


def stored_texts() -> list[str]:
    """Text the run records store as it came and the pages show as stored: a failed run's reason
    and the collect's problems (the transport's and the device's words), changed config sections
    (config lines). Removed from the pages before the check, longest first. Inspection details are
    not among them: they are read back through the catalogue's templates."""
    texts: list[str] = []
    for device in model().devices.values():
        collected, last = device.last_collected, device.last_run
        if collected is not None:
            texts += list(collected.problems)
        if last is not None and last.reason:
            texts.append(last.reason)
        texts += [section for change in device.changes for section in change.sections]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def visible_text(markdown: str, stored: list[str] = []) -> str:  # noqa: B006 (read only)
    for piece in stored:
        markdown = markdown.replace(text(piece), " ").replace(piece, " ")
    out = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)  # front matter
    out = re.sub(r"^( *)(```|~~~).*?^\1\2\s*$", "", out, flags=re.S | re.M)  # code, configs, diffs
    out = re.sub(r"^ *(!!!|\?\?\?\+?) \w+", "", out, flags=re.M)  # an admonition's or a fold's kind is markup
    out = re.sub(r"`[^`\n]*`", "", out)  # commands, identifiers
    out = re.sub(r"\]\([^)]*\)", "]", out)  # link targets
    out = re.sub(r"\{ ?[:#.][^}]*\}|\{ data-[^}]*\}", "", out)  # attribute lists
    out = re.sub(r"<[^>]+>", " ", out)  # tags (a chart's <title> text stays)
    return html.unescape(out)


def foreign_words(text: str) -> set[str]:
    words = set()
    for token in re.findall(r"[A-Za-z0-9][\w./:+-]*", text):
        token = token.rstrip(".:-")
        if re.search(r"[\d/._]", token):  # numbers, names with digits (core-1), paths, time zones
            continue
        if re.fullmatch(r"[0-9a-f]{7,40}", token):  # a commit
            continue
        for word in re.split(r"[-:]", token):
            if word and word not in NAMES | UNITS | DEVICE_TEXT:
                words.add(word)
    return words


@pytest.fixture(scope="module")
def zh_pages() -> dict[str, str]:
    files = render_site(site("zh"))
    return {
        p: c for p, c in files.items() if p.endswith(".md") and p.startswith(PAGES) and isinstance(c, str)
    }


def test_the_fixture_covers_every_page_kind_the_reader_meets_first(zh_pages: dict[str, str]) -> None:
    assert {"index.md", "devices/core-1.md", "inspections/index.md", "reports/2026-11.md"} <= set(zh_pages)
    assert len(zh_pages) >= 12


def test_zh_pages_hold_no_untranslated_word(zh_pages: dict[str, str]) -> None:
    stored = stored_texts()
    leaks = {path: sorted(foreign_words(visible_text(content, stored))) for path, content in zh_pages.items()}
    assert {path: words for path, words in leaks.items() if words} == {}


def test_the_check_finds_an_english_word_where_one_is_left() -> None:
    page = "| 角色 | access |\n| 详情 | fan 1/1: Fault |\n``` text\ndisplay fan\n```\n| core-1 | 5m |"
    assert foreign_words(visible_text(page)) == {"access", "fan"}
