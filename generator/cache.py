"""The history model cached by the commit it covers, so a nightly rebuild reads only new commits.

`build/cache/history-<head>.pickle` (the base) holds the model of `<head>`, its runs (most of the
model) in chunks of 32 that a later base copies as bytes. Each night after it adds a delta,
`delta-<since>-<head>.pickle`: the partial model of the commits after `<since>`
(`read_history(since=...)`), which loading `merge`s into the base in order. A night so writes
what it read, not a year of history; after MAX_DELTAS nights the chain is folded into a new base.
A base or delta whose head is not an ancestor of HEAD (rewritten history, another repository),
that cannot be read, or that an older netkb wrote, is discarded and the history read again. The
cache is our own build output, so unpickling it is as safe as the tree.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import git

from generator.history import HistoryRewritten, apply_run_sections, head_commit, read_history
from generator.model import DeviceHistory, History, RunSummary, add_tallies, config_path, tally

FORMAT = 3  # bump when the model's or the cache's shape changes: caches of another shape are rebuilt
RUNS_PER_CHUNK = 32
MAX_DELTAS = 7  # a week of nights on top of the base; the eighth folds them into a new base


def merge(base: History, delta: History) -> History:
    """The model of `delta.head`, from the model of `base.head` and a read of the commits after it."""
    if delta.since != base.head:
        raise ValueError(f"the partial model starts after {delta.since}, not after {base.head}")
    devices = dict(base.devices)
    for name, new in delta.devices.items():
        old = devices.get(name)
        devices[name] = _merge_device(old, new) if old else replace(new, files=_present(new.files))
    runs = {r.path: r for r in base.runs}
    rewritten = any(r.path in runs for r in delta.runs)  # a record changed since: count again
    runs |= {r.path: r for r in delta.runs}
    apply_run_sections(devices, delta.runs)  # a run may name a commit the base already has
    return History(
        head=delta.head,
        devices=dict(sorted(devices.items())),
        runs=sorted(runs.values(), key=lambda r: (r.started, r.path)),
        since=base.since,
        collections=tally(runs.values()) if rewritten else add_tallies(base.collections, delta.collections),
    )


def _present(files: dict[str, str]) -> dict[str, str]:
    return {path: blob for path, blob in sorted(files.items()) if blob}


def _merge_device(old: DeviceHistory, new: DeviceHistory) -> DeviceHistory:
    state_dir = f"devices/{old.name}/state/"
    touched = {p.removeprefix(state_dir).removesuffix(".yml") for p in new.files if p.startswith(state_dir)}
    state = {t: v for t, v in old.state.items() if t not in touched} | new.state
    later = [
        max((r for r in (o, n) if r is not None), key=lambda r: (r.started, r.path), default=None)
        for o, n in ((old.last_run, new.last_run), (old.last_collected, new.last_collected))
    ]
    return DeviceHistory(
        name=old.name,
        changes=old.changes + new.changes,
        config=new.config if config_path(old.name) in new.files else old.config,
        state=dict(sorted(state.items())),
        files=_present(old.files | new.files),
        last_run=later[0],  # type: ignore[arg-type]
        last_collected=later[1],  # type: ignore[arg-type]
    )


def _cache_file(cache_dir: Path, head: str) -> Path:
    return cache_dir / f"history-{head}.pickle"


def _chunks(runs: list[RunSummary]) -> list[tuple[str, list[RunSummary]]]:
    """Runs in groups of RUNS_PER_CHUNK, oldest first, each named by the runs it holds."""
    groups = [runs[i : i + RUNS_PER_CHUNK] for i in range(0, len(runs), RUNS_PER_CHUNK)]
    named = []
    for group in groups:
        digest = hashlib.sha1("\n".join(f"{r.path} {r.sha}" for r in group).encode("utf-8"))
        named.append((digest.hexdigest(), group))
    return named


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pickling hundreds of thousands of small objects, none in a cycle: without the cyclic
    collector rescanning them as they are made, loading takes a quarter of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class _Stored:
    """Where a chunk's pickle lies in a cache file, to copy its bytes instead of pickling again."""

    path: Path
    offset: int
    length: int
    stamp: tuple[int, int]  # the file's size and mtime_ns when read


_stored: dict[str, _Stored] = {}  # chunk id -> bytes in the last cache file loaded


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns)


def _load(path: Path) -> History | None:
    """A cache file: a pickle of (FORMAT, the model without runs, chunk ids), then one pickle
    per chunk of runs."""
    try:
        with _no_cyclic_gc(), path.open("rb") as f:
            fmt, history, chunk_ids = pickle.load(f)
            if fmt != FORMAT or not isinstance(history, History):
                return None
            runs: list[RunSummary] = []
            stored = {}
            for chunk_id in chunk_ids:
                offset = f.tell()
                runs += pickle.load(f)
                stored[chunk_id] = _Stored(path, offset, f.tell() - offset, _stamp(path))
    except Exception:  # damaged, truncated or from another netkb: any failure means rebuild
        return None
    _stored.update(stored)
    return replace(history, runs=runs)


def _chunk_bytes(chunk_id: str, group: list[RunSummary]) -> bytes:
    stored = _stored.get(chunk_id)
    if stored is not None:
        try:
            if _stamp(stored.path) == stored.stamp:
                with stored.path.open("rb") as f:
                    f.seek(stored.offset)
                    return f.read(stored.length)
        except OSError:
            pass  # gone since: pickle it again
    return pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL)


def _save(cache_dir: Path, history: History) -> None:
    """The model, its runs in chunks: a chunk the last cache file holds is copied as bytes, so a
    nightly rebuild pickles its last chunk of runs only, not a year of them."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = _cache_file(cache_dir, history.head)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    chunks = _chunks(history.runs)
    with _no_cyclic_gc(), tmp.open("wb") as f:
        pickle.dump(
            (FORMAT, replace(history, runs=[]), [chunk_id for chunk_id, _ in chunks]),
            f,
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        for chunk_id, group in chunks:
            f.write(_chunk_bytes(chunk_id, group))
    tmp.replace(target)  # a rebuild killed half-way leaves the old cache, never a torn one
    for old in cache_dir.glob("history-*.pickle"):
        if old != target:
            old.unlink(missing_ok=True)


def _delta_file(cache_dir: Path, since: str, head: str) -> Path:
    return cache_dir / f"delta-{since}-{head}.pickle"


def _load_delta(path: Path) -> History | None:
    try:
        with _no_cyclic_gc(), path.open("rb") as f:
            fmt, delta = pickle.load(f)
    except Exception:  # damaged, truncated or from another netkb: read those commits again
        return None
    return delta if fmt == FORMAT and isinstance(delta, History) and delta.since else None


def _save_delta(cache_dir: Path, delta: History) -> Path:
    assert delta.since is not None
    target = _delta_file(cache_dir, delta.since, delta.head)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with _no_cyclic_gc(), tmp.open("wb") as f:
        pickle.dump((FORMAT, delta), f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(target)
    return target


def _newest_base(cache_dir: Path) -> History | None:
    bases = sorted(cache_dir.glob("history-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    return next((h for h in map(_load, bases) if h is not None and h.head and h.since is None), None)


def _follow_deltas(cache_dir: Path, base: History, head: str) -> tuple[History, list[Path]]:
    """The base with the deltas that start at its head merged in, in order, up to `head`
    (deltas of another branch are never reached: none starts at a commit of this chain)."""
    history, used = base, []
    while history.head != head:
        found = sorted(cache_dir.glob(f"delta-{history.head}-*.pickle"), key=lambda p: p.stat().st_mtime)
        loaded = ((path, _load_delta(path)) for path in reversed(found))
        path, delta = next(((p, d) for p, d in loaded if d is not None), (None, None))
        if path is None or delta is None:
            break
        with _no_cyclic_gc():
            history = merge(history, delta)
        used.append(path)
    return history, used


def _drop_deltas(cache_dir: Path, keep: list[Path]) -> None:
    for old in cache_dir.glob("delta-*.pickle"):
        if old not in keep:
            old.unlink(missing_ok=True)


def load_or_build(repo_path: Path, cache_dir: Path) -> History:
    """The model of the repository's HEAD, reading only what the cache does not cover and
    writing only what it read (a delta), except on the nights a new base is due."""
    head = head_commit(git.Repo(repo_path))
    if not head:
        return read_history(repo_path)
    base = _newest_base(cache_dir)
    history: History | None = None
    used: list[Path] = []
    if base is not None:
        history, used = _follow_deltas(cache_dir, base, head)
        if history.head != head:
            try:
                delta = read_history(repo_path, since=history.head)
                with _no_cyclic_gc():
                    history = merge(history, delta)
                used.append(_save_delta(cache_dir, delta))
            except HistoryRewritten:
                history, used = None, []
    if history is None:
        history = read_history(repo_path)
        _save(cache_dir, history)
    elif len(used) > MAX_DELTAS:
        _save(cache_dir, history)
        used = []
    _drop_deltas(cache_dir, used)
    return history
