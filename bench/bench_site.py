"""Site benchmark: the deployment the README recommends, a year of a thousand devices, night by night.

Builds (or reuses, see bench/synthrepo.py) the synthetic snapshot repository of four shard
records a night, and on a copy of it the team's records scaled from demo/ (bench/teamrecords.py:
about 250 incidents, 60 on-site records, 40 runbooks, requests and change records; `netkb check`
must accept them). Then: `netkb generate` from nothing (cold) and a plain `mkdocs build` of that
tree (the floor), and NIGHTS timed nights (bench/sitenights.py): (a) a night, (b) a night and an
incident, (c) a night and a new device, (d) a night and a changed setting, (e) a night and an
edited runbook, then plain nights past a week (the history cache folds) and ten (the page cache
rewrites). Each night starts as CI starts it: a fresh checkout keeping only build/cache/.

For each night: generation seconds, `mkdocs build` seconds, pages whose Markdown changed, pages
the build made (not reused from the plugin's cache); then the SLOWEST night against the targets
of issue 16, each figure with its target and PASS/MISS; exit status 1 if one is missed.

    python bench/bench_site.py [--devices 1000] [--nights 365] [--timed 5]      (make bench-site)

The machine is shared: figures move by tens of percent from run to run (the load is printed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sitenights import SHARDS, Work, night, write_inventory
from bench.synthrepo import ROOT, Params, build, copy_repo
from bench.teamrecords import write_records

BIN = Path(sys.executable).parent
GIB = 1 << 30
MB = 1_000_000
TARGET_RATIO = 0.3  # cold generation / plain mkdocs build
TARGET_GENERATION_S = 5.0  # the slowest night
TARGET_NIGHT_S = 30.0  # generation + site build, the slowest night (issue 16)
TIMED = 5  # (a)-(e); --timed 12 adds plain nights past a week (history cache) and ten (page cache)
TARGET_RSS = 1 * GIB
TARGET_INDEX = 5 * MB
TARGET_PAGE = 1 * MB
TARGET_SITE = 150 * MB
_MADE = re.compile(r"(\d+) pages reused, (\d+) made")


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_rss: int  # bytes, of the process (git children are smaller and counted apart)
    output: str
    cpu: float  # user + system seconds, of the process and the children it waited for (git)


@dataclass(frozen=True)
class Night:
    what: str
    devices_changed: int
    generation: Timed
    build: Timed
    pages_changed: int
    pages_made: int | None  # by the build (the plugin's count); None: it printed none

    @property
    def seconds(self) -> float:
        return self.generation.seconds + self.build.seconds


def run(args: list[str], cwd: Path) -> Timed:
    """Run a command to the end; its wall time, peak RSS (from wait4) and output. The writes of
    what ran before (a 100 MB site, a night's commits) are flushed first, so they are not timed.
    On a machine shared by other work the wall time grows with the load; the CPU time does not,
    and is printed beside it."""
    os.sync()
    started = time.monotonic()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stdout.write(output[-4000:])
        raise SystemExit(f"{' '.join(args[:2])} failed with status {os.waitstatus_to_exitcode(status)}")
    return Timed(seconds, usage.ru_maxrss * 1024, output, usage.ru_utime + usage.ru_stime)


def netkb(work: Work, command: str, *more: str) -> Timed:
    args = ["--inventory", str(work.inventory), "--settings", "netkb.yml", "--records", "records"]
    return run([str(BIN / "netkb"), command, *args, *more], work.folder)


def generate(work: Work, now: str) -> Timed:
    return netkb(work, "generate", "--build", "build", "--site", "site", "--now", now)


def site_build(work: Work) -> Timed:
    """`mkdocs build` as CI runs it (the plugin's count of pages made is in its info lines)."""
    return run([str(BIN / "mkdocs"), "build", "-f", "build/mkdocs.yml"], work.folder)


def digests(docs: Path) -> dict[str, bytes]:
    """Each Markdown page of the tree and a digest of it."""
    return {
        page.relative_to(docs).as_posix(): hashlib.sha256(page.read_bytes()).digest()
        for page in docs.rglob("*.md")
    }


def prepare(params: Params, timed: int) -> tuple[Work, str]:
    """The deployment's folder, from the cached synthetic repository; the morning after the
    last timed night (so nothing looks stale)."""
    started = time.monotonic()
    synth = build(params)
    print(f"synthetic repository: {synth.repo} ({time.monotonic() - started:.0f} s to build or reuse)")
    work = Work((ROOT / f"run-{params.key()}").resolve())  # a copy: the cached one is never changed
    shutil.rmtree(work.folder, ignore_errors=True)
    copy_repo(synth.repo, work.folder / "configs")
    write_inventory(synth.inventory, work.inventory)
    start = dt.date.fromisoformat(params.start)
    write_records(work.records, work.inventory, start, params.nights, params.seed)
    work.settings.write_text("snapshot_repo: configs\n", encoding="utf-8")
    shutil.copyfile(synth.sim_path, work.sim)
    checked = netkb(work, "check")
    print(f"netkb check of the records: {checked.output.strip().splitlines()[-1]}")
    morning = start + dt.timedelta(days=params.nights + timed)
    return work, f"{morning.isoformat()}T09:00:00+08:00"


def timed_nights(work: Work, now: str, count: int) -> list[Night]:
    docs = work.folder / "build" / "docs"
    before = digests(docs)
    nights = []
    for index in range(count):
        what, summary = night(work, index)
        generation = generate(work, now)
        after = digests(docs)
        changed = sum(1 for name, d in after.items() if before.get(name) != d)
        before = after
        built = site_build(work)
        made = _MADE.search(built.output)
        nights.append(
            Night(what, len(summary["changed"]), generation, built, changed, int(made[2]) if made else None)
        )
        n, g, b = nights[-1], generation, built
        print(
            f"night {index + 1:>2} ({what}): generation {g.seconds:.1f} s (CPU {g.cpu:.1f} s), mkdocs build "
            f"{b.seconds:.1f} s (CPU {b.cpu:.1f} s), {changed} pages changed, "
            f"{n.pages_made if made else '?'} made by the build; {n.devices_changed} devices changed",
            flush=True,
        )
    return nights


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _mb(n: float) -> str:
    return f"{n / MB:.2f} MB"


def _mib(n: float) -> str:
    return f"{n / GIB * 1024:.0f} MiB"


Row = tuple[str, str, str, bool | None]  # figure, value, target, met (None: no target)


def rows(cold: Timed, floor: Timed, nights: list[Night], site: Path) -> list[Row]:
    slowest = max(nights, key=lambda n: n.seconds)
    at = f"night {nights.index(slowest) + 1}, {slowest.what}"
    gen = max(nights, key=lambda n: n.generation.seconds)
    ratio = cold.seconds / floor.seconds
    rss = max(t.peak_rss for t in [cold, *(n.generation for n in nights)])
    index = site / "search" / "search_index.json"
    index_size = index.stat().st_size if index.exists() else 0
    largest = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    site_size = _size(site)
    return [
        ("cold generation", f"{cold.seconds:.1f} s (CPU {cold.cpu:.1f} s)", "", None),
        ("plain mkdocs build (cold)", f"{floor.seconds:.1f} s (CPU {floor.cpu:.1f} s)", "", None),
        ("cold generation / build", f"{ratio:.2f}", f"<= {TARGET_RATIO}", ratio <= TARGET_RATIO),
        (
            "generation, slowest night",
            f"{gen.generation.seconds:.1f} s (CPU {gen.generation.cpu:.1f} s; night {nights.index(gen) + 1})",
            f"<= {TARGET_GENERATION_S:.0f} s",
            gen.generation.seconds <= TARGET_GENERATION_S,
        ),
        (
            "generation + build, slowest",
            f"{slowest.seconds:.1f} s ({slowest.generation.seconds:.1f} + {slowest.build.seconds:.1f}; "
            f"CPU {slowest.generation.cpu + slowest.build.cpu:.1f} s; {at})",
            f"<= {TARGET_NIGHT_S:.0f} s",
            slowest.seconds <= TARGET_NIGHT_S,
        ),
        ("peak RSS of generation", _mib(rss), "<= 1024 MiB", rss <= TARGET_RSS),
        ("peak RSS of site build", _mib(max(t.build.peak_rss for t in nights)), "", None),
        ("search index", _mb(index_size), f"<= {_mb(TARGET_INDEX)}", 0 < index_size <= TARGET_INDEX),
        (
            "largest page",
            f"{_mb(largest.stat().st_size)} ({largest.relative_to(site)})",
            f"<= {_mb(TARGET_PAGE)}",
            largest.stat().st_size <= TARGET_PAGE,
        ),
        ("site size", _mb(site_size), f"<= {_mb(TARGET_SITE)}", site_size <= TARGET_SITE),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=Params.devices)
    parser.add_argument("--nights", type=int, default=Params.nights)
    parser.add_argument("--seed", type=int, default=Params.seed)
    parser.add_argument(
        "--timed", type=int, default=TIMED, help=f"timed nights (default {TIMED}, at least 5)"
    )
    args = parser.parse_args()
    params = Params(args.devices, args.nights, args.seed, shards=SHARDS)
    work, now = prepare(params, args.timed)
    cold = generate(work, now)
    pages = sum(1 for _ in (work.folder / "build" / "docs").rglob("*.md"))
    floor = site_build(work)  # the plugin's cache empty (and filled for the nights)
    print(
        f"cold: generation {cold.seconds:.1f} s, mkdocs build {floor.seconds:.1f} s, {pages} pages",
        flush=True,
    )
    nights = timed_nights(work, now, args.timed)
    print(
        f"devices {params.devices}, nights {params.nights} (+{args.timed} timed), {SHARDS} shard records a "
        f"night, work folder {work.folder}; load average {os.getloadavg()[0]:.1f} (2 cores, shared)"
    )
    table = rows(cold, floor, nights, work.folder / "site")
    for name, value, target, ok in table:
        verdict = "" if ok is None else ("PASS" if ok else "MISS")
        print(f"{name:<28} {value:<58} {target:<12} {verdict}")
    missed = [name for name, _, _, ok in table if ok is False]
    print("result: " + ("every target met" if not missed else "MISS: " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
