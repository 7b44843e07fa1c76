"""The page cache on disk: a base file, a journal of what later generations added, rewrites."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

from netkb.generator.discard import replace_later
from netkb.generator.generate import render_site
from netkb.generator.pagecache import PageCache
from tests.generator.test_pages import site


def generation(path: Path, keys: list[str], salt: str = "s1") -> tuple[list[str], PageCache]:
    """One generation asking for `keys`; the keys it had to render."""
    cache = PageCache(path, salt)
    rendered: list[str] = []

    def render(key: str) -> str:
        rendered.append(key)
        return f"page {key}"

    for key in keys:
        assert cache.get(("page", key), lambda key=key: render(key)) == f"page {key}"  # type: ignore[misc]
    cache.save()
    return rendered, cache


def test_a_night_appends_what_it_rendered_and_the_next_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "pages.pickle"
    assert generation(path, ["a", "b"])[0] == ["a", "b"]
    assert path.exists() and not PageCache(path, "s1").journal.exists()
    base = path.stat().st_mtime_ns

    assert generation(path, ["a", "b", "c"])[0] == ["c"]
    assert path.stat().st_mtime_ns == base  # the base was not written again
    assert PageCache(path, "s1").journal.stat().st_size > 0
    assert generation(path, ["a", "b", "c"])[0] == []  # base + journal serve all

    assert generation(path, ["a"], salt="s2")[0] == ["a"]  # another generator: nothing reused
    assert not PageCache(path, "s1").journal.exists()


def test_a_torn_journal_keeps_what_came_before_and_is_folded_into_the_base(tmp_path: Path) -> None:
    path = tmp_path / "pages.pickle"
    generation(path, ["a"])
    generation(path, ["a", "b"])
    journal = PageCache(path, "s1").journal
    with journal.open("ab") as f:
        f.write(b"\x80\x05 torn by a killed generation")
    assert generation(path, ["a", "b", "c"])[0] == ["c"]
    assert not journal.exists()  # rewritten into the base
    assert generation(path, ["a", "b", "c"])[0] == []


def test_the_base_is_rewritten_when_the_journal_is_long_or_much_is_unused(tmp_path: Path) -> None:
    path = tmp_path / "pages.pickle"
    keys = [str(i) for i in range(20)]
    generation(path, keys)
    for night in range(PageCache.MAX_JOURNAL):
        keys.append(f"n{night}")
        assert generation(path, keys)[0] == [f"n{night}"]
    cache = PageCache(path, "s1")
    assert cache.journal.exists() and cache._appended == PageCache.MAX_JOURNAL
    generation(path, keys)
    assert not cache.journal.exists()

    generation(path, [*keys[:10], "new"])  # half of the stored pages are gone from the site
    kept = PageCache(path, "s1")
    assert set(kept._old) == {("page", k) for k in [*keys[:10], "new"]} and not kept.journal.exists()


def test_replace_later_swaps_the_file_and_frees_the_old_one_in_the_background(tmp_path: Path) -> None:
    target, tmp = tmp_path / "pages.pickle", tmp_path / ".pages.pickle.tmp"
    target.write_bytes(b"old")
    tmp.write_bytes(b"new")
    replace_later(tmp, target)
    for thread in threading.enumerate():
        if thread.name == "netkb-discard":
            thread.join()
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["pages.pickle"]
    (tmp_path / "x").write_bytes(b"x")
    replace_later(tmp_path / "x", tmp_path / "y")  # nothing to free
    assert (tmp_path / "y").read_bytes() == b"x"


def test_pages_another_netkb_rendered_are_not_served(
    tmp_path: Path, upgrade_netkb: Callable[[], None]
) -> None:
    plain = render_site(site("zh"))
    path = tmp_path / "pages.pickle"
    older = PageCache(path, "salt")  # the netkb before an upgrade: its pieces differ from ours
    render_site(site("zh", pages=older))
    older._used = {
        k: f"{v}\nmade by another netkb" if isinstance(v, str) else v for k, v in older._used.items()
    }
    older.save()
    journaled = PageCache(path, "salt")
    assert render_site(site("zh", pages=journaled)) != plain  # served as is (the test can fail)
    journaled.get(("page", "extra"), lambda: "made by another netkb")
    journaled.save()
    assert journaled.journal.exists()  # a base and a journal record of the older netkb

    upgrade_netkb()  # e.g. ntc-templates upgraded: the fingerprint changes, the salt does not
    cache = PageCache(path, "salt")
    assert cache._old == {}  # cold, never mixed with the base or the journal
    assert render_site(site("zh", pages=cache)) == plain
    cache.save()
    warm = PageCache(path, "salt")
    assert render_site(site("zh", pages=warm)) == plain and warm._old  # what it wrote, it reads


def test_a_collector_only_setting_keeps_every_page_and_a_site_setting_does_not() -> None:
    from netkb.generator.generate import COLLECTOR_ONLY, page_salt
    from netkb.settings import Settings

    names, base = ["core-1", "agg-lib"], Settings()
    salt = page_salt(base, names)
    collector_only = {"workers": 3, "retries": 0, "retry_backoff": 9.0, "shrink_threshold": 0.9}
    for key, value in collector_only.items():
        assert page_salt(base.model_copy(update={key: value}), names) == salt, key
    for key, value in {"language": "en", "stale_days": 9, "repeat_target": 0.5}.items():
        assert page_salt(base.model_copy(update={key: value}), names) != salt, key
    assert page_salt(base, [*names, "acc-new"]) != salt  # a new device: pages may link it
    assert set(Settings.model_fields) >= COLLECTOR_ONLY  # no stale name that would hide a real key


def test_the_generator_reads_no_collector_only_setting() -> None:
    from netkb.generator.generate import COLLECTOR_ONLY

    root = Path(__file__).resolve().parents[2] / "generator"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for key in COLLECTOR_ONLY:
            assert not re.search(rf"settings\.{key}\b", text), (
                f"{path.name} reads settings.{key}: remove it from COLLECTOR_ONLY"
            )
