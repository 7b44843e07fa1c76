"""Site benchmark: a year of nightly runs on a thousand devices, generated and built.

Builds (or reuses, see bench/synthrepo.py) the synthetic snapshot repository, then on a copy of it:
`netkb generate` with an empty build folder (cold), `mkdocs build` of the generated tree (the
floor), then NIGHTS more nights, each appended and generated again (incremental, with the cache
the night before left): the first of them, their median and the slowest are printed (the slowest
is a night that folds the cache's week of deltas into a new base, or rewrites the page cache).
After each night's generation the site is built again (`mkdocs build` with netkb's plugin and the
cache its build the night before left in build/cache/mkdocs/, as CI keeps build/cache/): what a
night costs is generation + build, and the slowest night's is held to 30 s (issue 16). Each night
also counts the pages whose Markdown changed (what an incremental build must convert again).
Prints each figure next to its target (issues 5 and 16) and exits 1 if one is missed.

    python bench/bench_site.py [--devices 1000] [--nights 365]      (make bench-site)

The machine is shared: figures move by tens of percent from run to run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthrepo import ROOT, Params, append_night, build, copy_repo

BIN = Path(sys.executable).parent
GIB = 1 << 30
MB = 1_000_000
TARGET_RATIO = 0.3  # generation / mkdocs build
TARGET_INCREMENTAL_S = 5.0  # every night, the slowest included
TARGET_NIGHT_S = 30.0  # generation + site build, the slowest night (issue 16)
NIGHTS = 12  # more than a week (the history cache's new base) and ten (the page cache's rewrite)
TARGET_RSS = 1 * GIB
TARGET_INDEX = 5 * MB
TARGET_PAGE = 1 * MB
TARGET_SITE = 150 * MB
NOW = "2026-01-13T09:00:00+08:00"  # the morning after the last appended night: nothing looks stale


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_rss: int  # bytes, of the process (git children are smaller and counted apart)


def run(args: list[str], cwd: Path) -> Timed:
    """Run a command to the end; its wall time and peak RSS (from wait4). The writes of what ran
    before (a 100 MB site, a night's commits) are flushed first, so they are not timed here."""
    os.sync()
    started = time.monotonic()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        sys.stdout.write(output.decode(errors="replace")[-4000:])
        raise SystemExit(f"{' '.join(args[:2])} failed with status {proc.returncode}")
    return Timed(seconds, usage.ru_maxrss * 1024)


def generate(work: Path, inventory: Path) -> Timed:
    return run(
        [
            str(BIN / "netkb"),
            "generate",
            "--inventory",
            str(inventory),
            "--settings",
            "netkb.yml",
            "--records",
            "records",
            "--build",
            "build",
            "--site",
            "site",
            "--now",
            NOW,
        ],
        work,
    )


def site_build(work: Path) -> Timed:
    return run([str(BIN / "mkdocs"), "build", "-q", "-f", "build/mkdocs.yml"], work)


def digests(docs: Path) -> dict[str, bytes]:
    """Each Markdown page of the tree and a digest of it."""
    return {
        page.relative_to(docs).as_posix(): hashlib.sha256(page.read_bytes()).digest()
        for page in docs.rglob("*.md")
    }


def changed_pages(before: dict[str, bytes], after: dict[str, bytes]) -> tuple[int, int]:
    """(pages new or changed, of them device pages)."""
    changed = [name for name, d in after.items() if before.get(name) != d]
    return len(changed), sum(1 for name in changed if name.startswith("devices/"))


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _mb(n: float) -> str:
    return f"{n / MB:.2f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=Params.devices)
    parser.add_argument("--nights", type=int, default=Params.nights)
    parser.add_argument("--seed", type=int, default=Params.seed)
    args = parser.parse_args()
    params = Params(args.devices, args.nights, args.seed)
    started = time.monotonic()
    synth = build(params)
    print(f"synthetic repository: {synth.repo} ({time.monotonic() - started:.0f} s to build or reuse)")

    work = ROOT / f"run-{params.key()}"  # a copy: the cached repository is never changed
    shutil.rmtree(work, ignore_errors=True)
    copy_repo(synth.repo, work / "configs")
    (work / "records").mkdir()
    (work / "netkb.yml").write_text("snapshot_repo: configs\n", encoding="utf-8")
    inventory = synth.inventory.resolve()

    cold = generate(work, inventory)
    docs = work / "build" / "docs"
    pages = sum(1 for _ in docs.rglob("*.md"))
    floor = site_build(work)  # cold: the plugin's cache is empty (and filled)
    site = work / "site"
    html = [p for p in site.rglob("*.html")]
    largest = max(html, key=lambda p: p.stat().st_size)
    index = site / "search" / "search_index.json"
    nights = []
    sim = work / "sim.pickle"  # the network as the appended nights leave it (the cached one is kept)
    shutil.copyfile(synth.sim_path, sim)
    builds, changes = [], []
    pages_before = digests(docs)
    for _ in range(NIGHTS):
        summary = append_night(work / "configs", sim, save_to=sim, checkout=False)
        nights.append((generate(work, inventory), len(summary["changed"])))
        pages_after = digests(docs)
        changes.append(changed_pages(pages_before, pages_after))
        pages_before = pages_after
        builds.append(site_build(work))
    incremental = [timed for timed, _ in nights]
    totals = [g.seconds + b.seconds for (g, _), b in zip(nights, builds, strict=True)]
    worst = totals.index(max(totals))
    build_rss = max(b.peak_rss for b in [floor, *builds])
    seconds = sorted(t.seconds for t in incremental)
    first, slowest = incremental[0], max(incremental, key=lambda t: t.seconds)

    ratio = cold.seconds / floor.seconds
    index_size = index.stat().st_size if index.exists() else 0
    site_size = _size(site)
    rows = [
        ("cold generation", f"{cold.seconds:.1f} s", "", True),
        ("mkdocs build (floor, cold)", f"{floor.seconds:.1f} s", "", True),
        ("generation / floor", f"{ratio:.2f}", f"<= {TARGET_RATIO}", ratio <= TARGET_RATIO),
        ("incremental, first night", f"{first.seconds:.1f} s ({nights[0][1]} devices changed)", "", True),
        (
            f"incremental, {NIGHTS} nights",
            f"median {seconds[len(seconds) // 2]:.1f} s ("
            + " ".join(f"{t.seconds:.1f}" for t in incremental)
            + ")",
            "",
            True,
        ),
        (
            "incremental, slowest",
            f"{slowest.seconds:.1f} s (night {incremental.index(slowest) + 1})",
            f"<= {TARGET_INCREMENTAL_S:.0f} s",
            slowest.seconds <= TARGET_INCREMENTAL_S,
        ),
        (
            "site build, each night",
            "median "
            + f"{sorted(b.seconds for b in builds)[len(builds) // 2]:.1f} s ("
            + " ".join(f"{b.seconds:.1f}" for b in builds)
            + ")",
            "",
            True,
        ),
        (
            "pages changed a night",
            f"max {max(c for c, _ in changes)} of {pages} ("
            + " ".join(f"{c}/{d}" for c, d in changes)
            + " changed/devices among them)",
            "",
            True,
        ),
        (
            "generation + build, slowest",
            f"{totals[worst]:.1f} s (night {worst + 1}: {incremental[worst].seconds:.1f} + "
            f"{builds[worst].seconds:.1f} s)",
            f"<= {TARGET_NIGHT_S:.0f} s",
            totals[worst] <= TARGET_NIGHT_S,
        ),
        (
            "peak RSS of generation",
            f"{max(t.peak_rss for t in [cold, *incremental]) / GIB * 1024:.0f} MiB",
            "<= 1024 MiB",
            max(t.peak_rss for t in [cold, *incremental]) <= TARGET_RSS,
        ),
        ("peak RSS of site build", f"{build_rss / GIB * 1024:.0f} MiB", "", True),
        ("pages (Markdown)", f"{pages} ({len(html)} HTML)", "", True),
        ("search index", _mb(index_size), f"<= {_mb(TARGET_INDEX)}", 0 < index_size <= TARGET_INDEX),
        (
            "largest page",
            f"{_mb(largest.stat().st_size)} ({largest.relative_to(site)})",
            f"<= {_mb(TARGET_PAGE)}",
            largest.stat().st_size <= TARGET_PAGE,
        ),
        ("site size", _mb(site_size), f"<= {_mb(TARGET_SITE)}", site_size <= TARGET_SITE),
    ]
    print(f"devices {params.devices}, nights {params.nights} (+{NIGHTS} appended), work folder {work}")
    for name, value, target, ok in rows:
        verdict = "" if not target else ("met" if ok else "NOT met")
        print(f"{name:<24} {value:<48} {target:<12} {verdict}")
    missed = [name for name, _, target, ok in rows if target and not ok]
    print("result: " + ("all targets met" if not missed else "NOT met: " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
