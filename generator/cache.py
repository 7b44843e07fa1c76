"""The history model cached by the commit it covers, so a nightly rebuild reads only new commits
and writes little more than what it read.

Two files in `build/cache/`:
- the base, `history-<base>.pickle`: the model of commit `<base>`. Its runs (32 to a chunk), its
  devices' changes (a chunk per month) and state (a chunk per device) are pickled apart from the
  rest, so that writing a new base copies the bytes of every chunk the old one holds and pickles
  only what is new;
- the delta, `delta-<base>.pickle`: the partial model of every commit after `<base>`
  (`read_history(since=...)`), extended each night with the night's commits (`merge` of two
  partial models) and written again; it stays small while the base is a year of history.
Loading merges the delta into the base. When the delta holds MAX_DELTA_RUNS runs, or outgrows a
quarter of the base, the two are folded into a new base.
A base or delta whose head is not an ancestor of HEAD (rewritten history, another repository),
that cannot be read, or that another netkb wrote (another fingerprint, netkb/fingerprint.py:
code, data or library versions), is discarded and the history read again; chunks are copied
only from a base of this fingerprint. The cache is our own build output, so unpickling it is as
safe as the tree.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import git

from netkb.fingerprint import fingerprint
from netkb.generator.discard import remove_later
from netkb.generator.history import HistoryRewritten, apply_run_sections, head_commit, read_history
from netkb.generator.model import Change, DeviceHistory, History, add_tallies, config_path, tally

RUNS_PER_CHUNK = 32
# A week of nightly runs in the delta, then a new base: a delta costs more to load and write
# with each night it holds, a new base costs a fixed third of a second (measured on a year of a
# thousand devices); a week is about where the two cost least together.
MAX_DELTA_RUNS = 7
MIN_FOLD_BYTES = 1 << 20  # a delta smaller than this is never too big to keep


# --- merging -----------------------------------------------------------------------------


def merge(base: History, delta: History) -> History:
    """The model of `delta.head`, from the model of `base.head` and a read of the commits after
    it. `base` may itself be partial: two nights' deltas make one (deleted files stay marked)."""
    if delta.since != base.head:
        raise ValueError(f"the partial model starts after {delta.since}, not after {base.head}")
    partial = base.since is not None
    devices = dict(base.devices)
    for name, new in delta.devices.items():
        old = devices.get(name)
        if old is not None:
            devices[name] = _merge_device(old, new, partial)
        else:
            devices[name] = new if partial else replace(new, files=_present(new.files))
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


def _merge_device(old: DeviceHistory, new: DeviceHistory, partial: bool) -> DeviceHistory:
    state_dir = f"devices/{old.name}/state/"
    touched = {p.removeprefix(state_dir).removesuffix(".yml") for p in new.files if p.startswith(state_dir)}
    state = {t: v for t, v in old.state.items() if t not in touched} | new.state
    later = [
        max((r for r in (o, n) if r is not None), key=lambda r: (r.started, r.path), default=None)
        for o, n in ((old.last_run, new.last_run), (old.last_collected, new.last_collected))
    ]
    files = old.files | new.files
    return DeviceHistory(
        name=old.name,
        changes=old.changes + new.changes,
        config=new.config if config_path(old.name) in new.files else old.config,
        state=dict(sorted(state.items())),
        files=dict(sorted(files.items())) if partial else _present(files),
        last_run=later[0],  # type: ignore[arg-type]
        last_collected=later[1],  # type: ignore[arg-type]
    )


# --- the base: a pickle in chunks --------------------------------------------------------


def _cache_file(cache_dir: Path, head: str) -> Path:
    return cache_dir / f"history-{head}.pickle"


def _named(groups: Iterable[list[Any]], names: Iterable[str]) -> list[tuple[str, list[Any]]]:
    """Each group with an id: a digest of what names its content and of the netkb that made it."""
    made_by = fingerprint().encode()
    return [
        (hashlib.sha1(made_by + n.encode("utf-8")).hexdigest(), g) for g, n in zip(groups, names, strict=True)
    ]


def _run_chunks(history: History) -> list[tuple[str, list[Any]]]:
    """Runs in groups of RUNS_PER_CHUNK, oldest first (a run record never changes: its path and
    commit name it)."""
    runs = history.runs
    groups = [runs[i : i + RUNS_PER_CHUNK] for i in range(0, len(runs), RUNS_PER_CHUNK)]
    return _named(groups, ("\n".join(f"{r.path} {r.sha}" for r in g) for g in groups))


def _change_chunks(history: History) -> list[tuple[str, list[Any]]]:
    """Every device's changes as (device, position, change), a group per month of change date:
    past months stay the same group, so a new base copies them. A change is named by its commit
    and by the sections a run record may give it later."""
    months: defaultdict[tuple[int, int], list[tuple[str, int, Change]]] = defaultdict(list)
    for name, device in history.devices.items():
        for i, change in enumerate(device.changes):
            months[(change.date.year, change.date.month)].append((name, i, change))
    groups = [months[m] for m in sorted(months)]
    names = ("\n".join(f"{n} {i} {c.sha} {c.sections}" for n, i, c in g) for g in groups)
    return _named(groups, names)


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


def _state_chunks(history: History) -> list[tuple[str, list[Any]]]:
    """Each device's state topics, a group per device named by the blobs they were read from:
    the devices the last base's week did not touch are copied."""
    devices = [(n, d) for n, d in history.devices.items() if d.state]
    prefixes = [f"devices/{n}/state/" for n, _ in devices]
    groups = [[(n, d.state)] for n, d in devices]
    names = (
        f"{n} " + " ".join(blob for path, blob in d.files.items() if path.startswith(prefix))
        for (n, d), prefix in zip(devices, prefixes, strict=True)
    )
    return _named(groups, names)


def _load(path: Path) -> History | None:
    """A base: a pickle of the fingerprint (read first: another netkb's model is not even
    unpickled), one of (the model without runs, changes and state, then the chunk ids of each),
    then one pickle per chunk."""
    try:
        with _no_cyclic_gc(), path.open("rb") as f:
            if pickle.load(f) != fingerprint():
                return None
            history, *ids = pickle.load(f)
            if not isinstance(history, History):
                return None
            stored = {}
            chunks: list[list[list[Any]]] = [[], [], []]  # runs, changes, state
            for kind, chunk_ids in enumerate(ids):
                for chunk_id in chunk_ids:
                    offset = f.tell()
                    chunks[kind].append(pickle.load(f))
                    stored[chunk_id] = _Stored(path, offset, f.tell() - offset, _stamp(path))
            runs = [run for chunk in chunks[0] for run in chunk]
            changes: defaultdict[str, list[tuple[int, Change]]] = defaultdict(list)
            for chunk in chunks[1]:
                for name, i, change in chunk:
                    changes[name].append((i, change))
            state = {name: topics for chunk in chunks[2] for name, topics in chunk}
            devices = {
                name: replace(
                    d,
                    changes=[c for _, c in sorted(changes.get(name, ()), key=lambda p: p[0])],
                    state=state.get(name, {}),
                )
                for name, d in history.devices.items()
            }
    except Exception:  # damaged, truncated or from another netkb: any failure means rebuild
        return None
    _stored.update(stored)
    return replace(history, runs=runs, devices=devices)


def _chunk_bytes(chunk_id: str, group: list[Any]) -> bytes:
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
    """A new base: the chunks the last base held are copied as bytes, so folding a month of
    nights into a year of history pickles that month only."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = _cache_file(cache_dir, history.head)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    kinds = [_run_chunks(history), _change_chunks(history), _state_chunks(history)]
    bare = {name: replace(d, changes=[], state={}) for name, d in history.devices.items()}
    with _no_cyclic_gc(), tmp.open("wb") as f:
        ids = [[chunk_id for chunk_id, _ in chunks] for chunks in kinds]
        pickle.dump(fingerprint(), f, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump((replace(history, runs=[], devices=bare), *ids), f, protocol=pickle.HIGHEST_PROTOCOL)
        for chunks in kinds:
            for chunk_id, group in chunks:
                f.write(_chunk_bytes(chunk_id, group))
    tmp.replace(target)  # a rebuild killed half-way leaves the old cache, never a torn one
    old = [*cache_dir.glob("history-*.pickle"), *cache_dir.glob("delta-*.pickle")]
    remove_later(p for p in old if p != target)


def _newest_base(cache_dir: Path) -> History | None:
    bases = sorted(cache_dir.glob("history-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    return next((h for h in map(_load, bases) if h is not None and h.head and h.since is None), None)


# --- the delta ---------------------------------------------------------------------------


def _delta_file(cache_dir: Path, base: str) -> Path:
    return cache_dir / f"delta-{base}.pickle"


def _load_delta(cache_dir: Path, base: History) -> History | None:
    try:
        with _no_cyclic_gc(), _delta_file(cache_dir, base.head).open("rb") as f:
            if pickle.load(f) != fingerprint():
                return None  # another netkb's: read those commits again
            delta = pickle.load(f)
    except Exception:  # none yet or damaged: read those commits again
        return None
    ok = isinstance(delta, History) and delta.since == base.head
    return delta if ok else None


def _write_delta(cache_dir: Path, delta: History, data: bytes) -> None:
    assert delta.since is not None
    target = _delta_file(cache_dir, delta.since)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)


def _extend(repo_path: Path, base: History, delta: History | None) -> History:
    """The delta from the base to HEAD: the cached one with the commits after it."""
    reached = delta.head if delta is not None else base.head
    try:
        new = read_history(repo_path, since=reached)
        return new if delta is None else merge(delta, new)
    except HistoryRewritten:
        if delta is None:
            raise
        # HEAD moved back inside the delta's commits, or the delta is from another branch.
        return read_history(repo_path, since=base.head)


def _from_base(repo_path: Path, cache_dir: Path, base: History, head: str) -> History:
    """The model of `head` from the base, the cached delta and the commits after it."""
    if base.head == head:
        return base
    delta = _load_delta(cache_dir, base)
    data = b""
    with _no_cyclic_gc():
        if delta is None or delta.head != head:
            delta = _extend(repo_path, base, delta)
            data = pickle.dumps(fingerprint(), protocol=pickle.HIGHEST_PROTOCOL)
            data += pickle.dumps(delta, protocol=pickle.HIGHEST_PROTOCOL)
        history = merge(base, delta)
    if not data:
        return history
    base_size = _stamp(_cache_file(cache_dir, base.head))[0]
    if len(delta.runs) >= MAX_DELTA_RUNS or len(data) > max(base_size // 4, MIN_FOLD_BYTES):
        _save(cache_dir, history)  # fold the delta into a new base
    else:
        _write_delta(cache_dir, delta, data)
    return history


def load_or_build(repo_path: Path, cache_dir: Path) -> History:
    """The model of the repository's HEAD, reading only what the cache does not cover."""
    head = head_commit(git.Repo(repo_path))
    if not head:
        return read_history(repo_path)
    base = _newest_base(cache_dir)
    if base is not None:
        try:
            return _from_base(repo_path, cache_dir, base, head)
        except HistoryRewritten:
            pass  # the base is not an ancestor of HEAD: read it all again
    history = read_history(repo_path)
    _save(cache_dir, history)
    return history
