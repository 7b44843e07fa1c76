"""Hung-device benchmark: what a few hung devices add to a collect.

A lab of N devices (BENCH_DEVICES, default 1000) is collected once for its first snapshots, then
timed on nightly runs: with every device healthy, and with H of them hung after login
(BENCH_HUNG, default 20: the lab's `hang` fault), each at two worker counts: fewer workers
than hung devices (the hung ones then take workers in waves) and at least as many.
`timeouts.device` (BENCH_DEVICE_TIMEOUT, default 15 s) bounds each device, retries and backoff
included, so with workers >= H the hung devices should add about one device timeout.
Target: with workers >= H, the hung run is at most the healthy run + the device timeout + 5 s.
Run with `make bench-hung`; exits 1 if the target is missed.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netkb.collector.collect import CollectOptions, Collector
from netkb.inventory import load_inventory
from netkb.lab import daemon
from netkb.lab.control import request
from netkb.settings import Settings, Timeouts

DEVICES = int(os.environ.get("BENCH_DEVICES", "1000"))
HUNG = int(os.environ.get("BENCH_HUNG", "20"))
DEVICE_TIMEOUT = float(os.environ.get("BENCH_DEVICE_TIMEOUT", "15"))
SLACK_S = 5.0


def timed(collector: Collector, workers: int) -> tuple[float, dict[str, int], float]:
    """(wall seconds, counts, longest recorded device seconds) of one collect."""
    wall = time.monotonic()
    record = collector.run(CollectOptions(workers=workers))
    longest = max(r.seconds for r in record.devices.values())
    return time.monotonic() - wall, record.counts(), longest


def main() -> int:
    few, many = max(1, HUNG // 2), max(HUNG, 16)  # fewer workers than hung devices, then enough
    with tempfile.TemporaryDirectory(prefix="netkb-bench-hung-") as tmp:
        base = Path(tmp)
        state = base / "lab"
        try:
            info = daemon.start(daemon.LabOptions(state=state, devices=DEVICES, seed=3, base_port=23000))
            inventory_path = Path(str(info["inventory"]))
            inventory = load_inventory(inventory_path)
            settings = Settings(
                snapshot_repo=str(base / "configs"),
                timeouts=Timeouts(connect=10, command=10, device=DEVICE_TIMEOUT),
            )
            collector = Collector(inventory, inventory_path, settings, base)
            collector.run(CollectOptions(workers=many))  # first snapshots: not timed
            names = sorted(d.name for d in inventory.devices)
            hung = names[:: max(1, len(names) // HUNG)][:HUNG]  # spread over the inventory
            rows = []
            for workers in (few, many):
                healthy = timed(collector, workers)
                for name in hung:
                    request(
                        daemon.socket_path(state.resolve()), {"op": "fault", "device": name, "kind": "hang"}
                    )
                try:
                    with_hung = timed(collector, workers)
                finally:
                    for name in hung:
                        request(
                            daemon.socket_path(state.resolve()), {"op": "clear", "device": name, "kind": None}
                        )
                rows.append((workers, healthy, with_hung))
        finally:
            daemon.stop(state)
    print(
        f"devices: {DEVICES}, hung: {len(hung)}, timeouts: device {DEVICE_TIMEOUT:.0f} s, connect 10 s, "
        f"command 10 s, retries {settings.retries}, backoff {settings.retry_backoff:.0f} s; "
        f"{os.cpu_count()} CPU(s)"
    )
    ok = True
    for workers, (healthy_s, healthy_counts, _), (hung_s, hung_counts, longest) in rows:
        added = hung_s - healthy_s
        waves = math.ceil(len(hung) / workers)
        print(
            f"workers {workers:3d}: healthy {healthy_s:6.1f} s ({healthy_counts['failed']} failed)   "
            f"with hung {hung_s:6.1f} s ({hung_counts['failed']} failed)   added {added:5.1f} s "
            f"= {added / DEVICE_TIMEOUT:.1f} device timeouts (hung devices need {waves} wave(s) of workers); "
            f"longest device {longest:.1f} s"
        )
        if workers >= len(hung):
            ok = ok and added <= DEVICE_TIMEOUT + SLACK_S and hung_counts["failed"] == len(hung)
        ok = ok and longest <= DEVICE_TIMEOUT + 2
    print(
        f"target: with workers >= hung, added <= device timeout + {SLACK_S:.0f} s, every device "
        f"<= device timeout + 2 s"
    )
    print("result: " + ("target met" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
