"""netkb's MkDocs plugin reuses pages from the build before (generator/mkdocs_cache.py,
mkdocs_html.py), and the site is the one MkDocs makes without it, byte for byte (but the
sitemap's dates): a small generated tree (tests/generator/test_pages.py's model) built by a real
`mkdocs build` cold, warm and unchanged, warm after one page changed and one added (which a page
that did not change links to), and with a damaged cache, each compared with a cold build."""

from __future__ import annotations

import gzip
import json
import logging
import re
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from netkb.generator.generate import render_site
from netkb.generator.mkdocs_config import mkdocs_config
from netkb.generator.tree import write_tree
from tests.generator.test_pages import site

# A page of the team's that links to one not written yet: its Markdown stays the same when the
# other page comes, its HTML does not (the link resolves).
NOTES = "# Notes\n\nSee [the new page](added.md) and [the devices](devices/index.md).\n"
ADDED = "# Added\n\nA page added after the first build, with `code` and a [link](notes.md).\n"
CHANGED = "devices/core-1.md"
REUSED = re.compile(r"netkb: (render|search|html): (\d+) pages reused, (\d+) made")


def mkdocs_build(root: Path, site_dir: Path, caplog: pytest.LogCaptureFixture) -> dict[str, tuple[int, int]]:
    """`mkdocs build` of root/mkdocs.yml into site_dir (in this process, as the command runs it);
    per cache, how many pages it reused and made."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir)))
    return {m[1]: (int(m[2]), int(m[3])) for m in REUSED.finditer(caplog.text)}


def site_files(site_dir: Path) -> dict[str, bytes]:
    """Every file of a built site; the sitemap without its dates (the day of the build)."""
    files = {p.relative_to(site_dir).as_posix(): p.read_bytes() for p in site_dir.rglob("*") if p.is_file()}
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        if name in files:
            xml = gzip.decompress(files[name]) if name.endswith(".gz") else files[name]
            files[name] = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", xml)
    return files


def assert_same_site(built: Path, cold: Path) -> None:
    got, expected = site_files(built), site_files(cold)
    assert sorted(got) == sorted(expected)
    differ = [name for name in expected if got[name] != expected[name]]
    assert not differ, f"not as a build without the cache: {differ[:10]}"


def cold_build(root: Path, site_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The same tree built with no cache at all (the plugin's folder emptied, then restored)."""
    cache = root / "cache" / "mkdocs"
    kept = root / "kept-cache"
    shutil.move(cache, kept)
    try:
        counts = mkdocs_build(root, site_dir, caplog)
        assert all(reused == 0 for reused, _ in counts.values()), counts
    finally:
        shutil.rmtree(cache)
        shutil.move(kept, cache)


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    model = site("zh")
    root = tmp_path / "build"
    files = render_site(model)
    files["notes.md"] = NOTES
    write_tree(root / "docs", files)
    (root / "mkdocs.yml").write_text(
        mkdocs_config(model.strings, "netkb test", root, tmp_path / "site"), "utf-8"
    )
    return root


def test_a_warm_build_is_the_cold_one(tree: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    first = mkdocs_build(tree, tmp_path / "cold", caplog)
    pages = first["render"][1]
    assert first == {"render": (0, pages), "search": (0, pages), "html": (0, pages)}

    # Nothing changed: every page from the cache, the same site.
    assert mkdocs_build(tree, tmp_path / "warm", caplog) == {k: (pages, 0) for k in first}
    assert_same_site(tmp_path / "warm", tmp_path / "cold")

    # One page changed, one added (linked from notes.md, unchanged): those made afresh.
    docs = tree / "docs"
    (docs / CHANGED).write_text((docs / CHANGED).read_text("utf-8").replace("core-1", "core-one"), "utf-8")
    (docs / "added.md").write_text(ADDED, "utf-8")
    counts = mkdocs_build(tree, tmp_path / "changed", caplog)
    cold_build(tree, tmp_path / "changed-cold", caplog)
    assert_same_site(tmp_path / "changed", tmp_path / "changed-cold")
    assert counts["render"] == (pages - 2, 3)  # core-1, notes (its link now resolves), added
    assert b"../added/" in (tmp_path / "changed" / "notes" / "index.html").read_bytes()


def test_a_damaged_or_foreign_cache_is_not_trusted(
    tree: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mkdocs_build(tree, tmp_path / "cold", caplog)
    entries = sorted((tree / "cache" / "mkdocs").rglob("*.json.gz"))
    for i, path in enumerate(entries):
        entry = json.loads(gzip.decompress(path.read_bytes()))
        if i % 4 == 0:
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])  # cut short
        elif i % 4 == 1:
            entry["key"] = "0" * 64  # another netkb, another configuration
            entry["value"] = "<p>stale</p>" if isinstance(entry["value"], str) else {"content": 1}
            path.write_bytes(gzip.compress(json.dumps(entry).encode()))
        elif i % 4 == 2:
            entry["value"] = {"content": ["not", "html"]} if isinstance(entry["value"], dict) else [1]
            path.write_bytes(gzip.compress(json.dumps(entry).encode()))
        else:
            path.write_text(json.dumps(entry), "utf-8")  # not compressed
    mkdocs_build(tree, tmp_path / "damaged", caplog)
    assert_same_site(tmp_path / "damaged", tmp_path / "cold")
