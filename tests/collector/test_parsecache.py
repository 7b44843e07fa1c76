"""The parse cache gives exactly what the work gives, and is dropped whenever it might not."""

from __future__ import annotations

from pathlib import Path

from netkb.collector.fetch import Fetched
from netkb.collector.parsecache import ParseCache
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
    session = Session(mode=Mode.ENABLE if dev.platform.value == "ios" else Mode.USER, paging=False)
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
