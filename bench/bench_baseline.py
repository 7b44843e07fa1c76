"""Baseline benchmark: what the security baseline and the topology add to a nightly generation at
1,000 devices (issue 20: at most 20 %).

Builds (or reuses, see bench/synthrepo.py) the synthetic year, then on a copy of it runs the
generation in this process twice: cold (empty build folder: the baseline judges every config of
the year once, the topology reads every night's neighbours), then after one more night is appended
(warm caches: what CI pays every night). Each time it measures the whole generation and, inside
it, the baseline (its pages, the score per building over the year, the building pages' and the
reports' baseline sections) and the topology pages, and prints their share: the time they add
over the rest of the generation. Exits 1 when the nightly share is over the target.

    python bench/bench_baseline.py [--devices 1000] [--nights 365] [--shards 1]   (make bench-baseline)

The machine is shared: figures move by tens of percent from run to run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthrepo import ROOT, Params, append_night, build, copy_repo
from netkb.generator import generate as generation
from netkb.generator.pages import baseline, baseline_trend, topology
from netkb.inventory import load_inventory
from netkb.settings import Settings

TARGET_SHARE = 0.20  # baseline + topology over the rest of a nightly generation
NOW = "2026-01-01T09:00:00+08:00"  # the morning after the last night of a year from 2025-01-01


class Timers:
    """Seconds spent in the wrapped functions, by part; a part's calls never nest another's."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    def wrap(self, part: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.spent[part] += time.perf_counter() - started

        return timed


def instrument(timers: Timers) -> None:
    """Time the baseline's and the topology's pages and sections inside the generation."""
    kinds = generation.PAGE_KINDS
    for i, render in enumerate(kinds):
        if render is baseline.render_pages:
            kinds[i] = timers.wrap("baseline", render)
        elif render is topology.render_pages:
            kinds[i] = timers.wrap("topology", render)
    baseline_trend.report_section = timers.wrap("baseline", baseline_trend.report_section)
    baseline_trend.building_section = timers.wrap("baseline", baseline_trend.building_section)


def generate_once(work: Path, inventory: Path, timers: Timers, now: dt.datetime) -> dict[str, float]:
    timers.spent.clear()
    settings = Settings.model_validate({"snapshot_repo": str(work / "configs")})
    started = time.perf_counter()
    generation.generate(
        load_inventory(inventory),
        settings,
        records=work / "records",
        build=work / "build",
        site_dir=work / "site",
        now=now,
    )
    return {"total": time.perf_counter() - started, **timers.spent}


def share(figures: dict[str, float]) -> float:
    added = figures.get("baseline", 0.0) + figures.get("topology", 0.0)
    return added / max(figures["total"] - added, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=Params.devices)
    parser.add_argument("--nights", type=int, default=Params.nights)
    parser.add_argument("--shards", type=int, default=Params.shards)
    parser.add_argument("--synth", type=Path, help="a synthetic folder built before (synthrepo.py's output)")
    args = parser.parse_args()
    params = Params(args.devices, args.nights, shards=args.shards)
    started = time.monotonic()
    synth = build(params) if args.synth is None else None
    folder = args.synth or (synth.folder if synth else Path())
    print(f"synthetic repository: {folder} ({time.monotonic() - started:.0f} s to build or reuse)")

    work = ROOT / f"baseline-{folder.name}"
    shutil.rmtree(work, ignore_errors=True)
    copy_repo(folder / "configs", work / "configs")
    (work / "records").mkdir(parents=True)
    shutil.copyfile(folder / "sim.pickle", work / "sim.pickle")
    timers = Timers()
    instrument(timers)
    now = dt.datetime.fromisoformat(NOW)
    inventory = (folder / "inventory.yml").resolve()
    cold = generate_once(work, inventory, timers, now)
    summary = append_night(work / "configs", work / "sim.pickle", checkout=False, shards=params.shards)
    night = generate_once(work, inventory, timers, now + dt.timedelta(days=1))
    print(
        f"devices {params.devices}, nights {params.nights} (+1 appended: {len(summary['changed'])} changed)"
    )
    for name, figures in (("cold", cold), ("one more night", night)):
        print(
            f"{name:<16} generation {figures['total']:6.1f} s  baseline {figures.get('baseline', 0):6.2f} s  "
            f"topology {figures.get('topology', 0):6.2f} s  added {share(figures):6.1%}"
        )
    ok = share(night) <= TARGET_SHARE
    verdict = "met" if ok else "NOT met"
    print(f"result: baseline + topology add {share(night):.1%} a night (<= {TARGET_SHARE:.0%}): {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
