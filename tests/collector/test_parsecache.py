"""The parse cache gives exactly what the work gives, and is dropped whenever it might not."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netkb.collector.fetch import Fetched
from netkb.collector.parsecache import ParseCache, cache_file
from netkb.collector.snapshot import build_snapshot
from netkb.lab.platforms import cli_for
from netkb.lab.platforms.base import Ctx, Mode, Session
from netkb.lab.topology import build_network
from netkb.spec import PlatformSpec, load_spec

KEY = b"k" * 32


def fetched(name: str) -> tuple[PlatformSpec, Fetched]:
    """What the collector would have fetched from this lab device (its CLI's own outputs)."""
    net = build_network(40, seed=7)
    dev = net.devices[name]
    spec = load_spec(dev.platform.value)
    cli = cli_for(dev)
    session = Session(mode=Mode.ENABLE if load_spec(dev.platform.value).enable else Mode.USER, paging=False)
    outputs = {c.command: cli.execute(Ctx(net, dev, session), c.command).text for c in spec.commands}
    return spec, Fetched(outputs)


def test_a_hit_is_byte_for_byte_the_work(tmp_path: Path) -> None:
    for name in ("core-1", "dorm-02", "rlab-1", "acc-admin-01"):
        spec, outputs = fetched(name)
        plain = build_snapshot(spec, outputs, KEY)
        cache = ParseCache(tmp_path / "cache.json", KEY)
        first = build_snapshot(spec, outputs, KEY, cache)
        cache.save()
        again = ParseCache(tmp_path / "cache.json", KEY)
        second = build_snapshot(spec, outputs, KEY, again)
        for snap in (first, second):
            assert snap.config == plain.config and snap.state == plain.state and snap.parsed == plain.parsed
        assert again._used and set(again._used) <= set(again._old)  # every result came from the file
        second.parsed[next(iter(second.parsed))] = "mutated"  # a hit is decoded afresh each time
        third = build_snapshot(spec, outputs, KEY, again)
        assert third.parsed == plain.parsed


def test_another_salt_or_a_damaged_file_means_an_empty_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    cache = ParseCache(path, KEY)
    cache.put(cache.key("state:x", "text"), ["[1]", "- 1\n"])
    cache.save()
    assert ParseCache(path, KEY).get(cache.key("state:x", "text")) == ["[1]", "- 1\n"]
    other = ParseCache(path, b"another key")
    assert other.get(other.key("state:x", "text")) is None
    path.write_bytes(b"{not json")
    assert ParseCache(path, KEY).get(cache.key("state:x", "text")) is None


def test_a_run_keeps_only_what_it_used_unless_it_read_some_devices(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    cache = ParseCache(path, KEY)
    cache.put("old", "x")
    cache.save()
    partial = ParseCache(path, KEY)
    partial.put("new", "y")
    partial.save(keep_unused=True)
    assert ParseCache(path, KEY).get("old") == "x"
    full = ParseCache(path, KEY)
    full.put("new", "y")
    full.save()
    assert ParseCache(path, KEY).get("old") is None and ParseCache(path, KEY).get("new") == "y"


def stale(value: Any) -> Any:
    """What an older netkb might have made of an output: well-formed, and wrong."""
    if isinstance(value, str):
        return value + "! made by another netkb\n"
    if isinstance(value, list):
        return [json.dumps("stale"), "stale\n"]
    return {topic: "a parse problem another netkb had" for topic in value}


def test_a_cache_another_netkb_wrote_is_not_used(tmp_path: Path, upgrade_netkb: Callable[[], None]) -> None:
    spec, outputs = fetched("core-1")
    plain = build_snapshot(spec, outputs, KEY)
    path = tmp_path / "cache.json"
    older = ParseCache(path, KEY)  # the netkb before the upgrade: its results differ from ours
    build_snapshot(spec, outputs, KEY, older)
    older._used = {k: stale(v) for k, v in older._used.items()}
    older.save()
    served = build_snapshot(spec, outputs, KEY, ParseCache(path, KEY))
    assert served.config != plain.config  # the same netkb would serve it (the test can fail)

    upgrade_netkb()  # e.g. ntc-templates upgraded: the fingerprint changes
    cache = ParseCache(path, KEY)
    snap = build_snapshot(spec, outputs, KEY, cache)
    assert cache._old == {}  # cold, never mixed
    assert (snap.config, snap.state, snap.parsed, snap.problems) == (
        plain.config,
        plain.state,
        plain.parsed,
        plain.problems,
    )
    cache.save()
    text = path.read_text(encoding="utf-8")  # kept by CI: nothing that stands for the key
    assert KEY.hex() not in text and hashlib.sha256(KEY).hexdigest() not in text
    again = ParseCache(path, KEY)  # what the new netkb wrote, it reads
    assert build_snapshot(spec, outputs, KEY, again).config == plain.config and again._old


def test_each_shard_has_its_own_cache_file(tmp_path: Path) -> None:
    assert cache_file(tmp_path) == tmp_path / "parse-cache.json"
    assert cache_file(tmp_path, "2/4") == tmp_path / "parse-cache-shard2of4.json"
