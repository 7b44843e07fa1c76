"""Collector benchmark: 1,000 lab devices at 20 ms per command.

Prints wall time and CPU seconds per device for `netkb collect` at the default workers — the
first run (every device a first snapshot and a cold parse cache: a new project, or a CI runner
whose cache was lost) and a nightly one (readings moved, configs did not; the parse cache kept
by CI between nights) — and the same for a bare netmiko loop running the same commands with no
cleaning or git (the floor). CPU counts the collector's own process and its child processes
(git), as `resource.getrusage` reports them; the lab runs in another process and is not counted.
Targets: <= 90 s wall for both; CPU of the first run and of the nightly run each <= 1.5x the floor.
Run with `make bench-collect`; exits 1 if a target is missed.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netkb.collector.collect import CollectOptions, Collector
from netkb.inventory import load_inventory
from netkb.lab import daemon
from netkb.lab.fidelity import connect
from netkb.lab.fidelity import load_inventory as load_raw_inventory
from netkb.settings import Settings
from netkb.spec import load_spec

DEVICES = int(os.environ.get("BENCH_DEVICES", "1000"))
LATENCY_MS = 20
TARGET_WALL_S = 90.0
TARGET_CPU_RATIO = 1.5


def cpu_seconds() -> float:
    """CPU of this process and of its children that have ended (git): user + system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def floor_loop(inventory: Path, workers: int) -> tuple[float, float]:
    devices, profiles = load_raw_inventory(inventory)

    def one(entry: dict[str, object]) -> None:
        spec = load_spec(str(entry["platform"]))
        with connect(entry, profiles[str(entry["credentials"])], timeout=120) as conn:
            if entry["platform"] == "ios":
                conn.enable()
            for command in spec.commands:
                conn.send_command(command.command, read_timeout=120, auto_find_prompt=False)

    wall, cpu = time.monotonic(), cpu_seconds()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, devices))
    return time.monotonic() - wall, cpu_seconds() - cpu


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="netkb-bench-collect-") as tmp:
        base = Path(tmp)
        state = base / "lab"
        try:
            info = daemon.start(
                daemon.LabOptions(
                    state=state, devices=DEVICES, seed=2, latency_ms=LATENCY_MS, base_port=22000
                )
            )
            inventory_path = Path(str(info["inventory"]))
            settings = Settings(snapshot_repo=str(base / "configs"))
            collector = Collector(load_inventory(inventory_path), inventory_path, settings, base)
            wall, cpu = time.monotonic(), cpu_seconds()
            first = collector.run(CollectOptions())  # every device's first snapshot, a cold parse cache
            first_wall, first_cpu = time.monotonic() - wall, cpu_seconds() - cpu
            wall, cpu = time.monotonic(), cpu_seconds()
            record = collector.run(CollectOptions())  # a nightly run: readings moved, configs did not
            collect_wall, collect_cpu = time.monotonic() - wall, cpu_seconds() - cpu
            floor_wall, floor_cpu = floor_loop(inventory_path, settings.workers)
        finally:
            daemon.stop(state)
    counts = record.counts()
    ratio = collect_cpu / floor_cpu if floor_cpu else float("inf")
    first_ratio = first_cpu / floor_cpu if floor_cpu else float("inf")
    print(
        f"devices: {DEVICES}, latency {LATENCY_MS} ms per command, workers {settings.workers}, "
        f"load average {os.getloadavg()[0]:.2f} (CPU: the process and its git children)"
    )
    print(
        f"first collect:   wall {first_wall:6.1f} s   CPU {first_cpu / DEVICES * 1000:6.1f} ms/device   "
        f"({first.counts()['changed']} changed, {first.counts()['failed']} failed)"
    )
    print(
        f"nightly collect: wall {collect_wall:6.1f} s   CPU {collect_cpu / DEVICES * 1000:6.1f} ms/device   "
        f"({counts['changed']} changed, {counts['failed']} failed)"
    )
    print(f"netmiko floor:   wall {floor_wall:6.1f} s   CPU {floor_cpu / DEVICES * 1000:6.1f} ms/device")
    print(
        f"CPU ratio first run (cold parse cache)/floor: {first_ratio:.2f}, nightly/floor: {ratio:.2f} "
        f"(target <= {TARGET_CPU_RATIO} for both)   wall target <= {TARGET_WALL_S:.0f} s"
    )
    ok = (
        max(first_wall, collect_wall) <= TARGET_WALL_S
        and max(ratio, first_ratio) <= TARGET_CPU_RATIO
        and counts["failed"] == first.counts()["failed"] == 0
    )
    print("result: " + ("all targets met" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
