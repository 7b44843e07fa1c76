"""History benchmark: generator.cache.load_or_build on the synthetic year of bench/synthrepo.py.

Prints, each in a fresh process (as `netkb generate` pays it): the cold read (no cache), the
cache hit, and the incremental read (the cache of the last night, plus one more night), with
wall and CPU seconds and the peak RSS of the process. Targets (issue 5's budget for the history
within generation): cold <= 15 s, incremental <= 1.5 s, peak RSS well under 1 GiB.

    python bench/bench_history.py [--devices 1000] [--nights 365]

The machine is shared: figures move by tens of percent from run to run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthrepo import ROOT, Params, append_night, build, copy_repo

MEASURE = """
import resource, sys, time
from pathlib import Path
from netkb.generator.cache import load_or_build
t, c = time.monotonic(), time.process_time()
h = load_or_build(Path(sys.argv[1]), Path(sys.argv[2]))
print(f"{time.monotonic() - t:.2f} {time.process_time() - c:.2f} "
      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} {len(h.runs)}")
"""
TARGETS = {"cold": 15.0, "cache hit": None, "incremental": 1.5}


def measure(repo: Path, cache: Path) -> tuple[float, float, int, int]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(repo), str(cache)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=Params.devices)
    parser.add_argument("--nights", type=int, default=Params.nights)
    args = parser.parse_args()
    synth = build(Params(args.devices, args.nights))
    work = ROOT / f"history-{synth.params.key()}"
    shutil.rmtree(work, ignore_errors=True)
    copy_repo(synth.repo, work / "configs")
    repo, cache = (work / "configs").resolve(), (work / "cache").resolve()
    results = {"cold": measure(repo, cache), "cache hit": measure(repo, cache)}
    append_night(repo, synth.sim_path, checkout=False)
    results["incremental"] = measure(repo, cache)
    shutil.rmtree(work, ignore_errors=True)
    missed = []
    print(f"load_or_build on {args.devices} devices x {args.nights} nights")
    for name, (wall, cpu, rss, runs) in results.items():
        target = TARGETS[name]
        verdict = "" if target is None else ("met" if wall <= target else "NOT met")
        if target is not None and wall > target:
            missed.append(name)
        limit = f"<= {target} s" if target else ""
        figures = f"{wall:6.2f} s wall {cpu:6.2f} s CPU {rss:5d} MiB peak {runs} runs"
        print(f"{name:<12} {figures} {limit} {verdict}")
    print("result: " + ("all targets met" if not missed else "NOT met: " + ", ".join(missed)))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
