"""Lab benchmark: 1,000 devices start in <= 15 s, hold <= 1 GiB RSS, serve 200 concurrent netmiko sessions.

Run with `make bench-lab`; prints its figures and exits 1 if a target is missed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netkb.lab import daemon
from netkb.lab.fidelity import connect, load_inventory

DEVICES = 1000
SESSIONS = 200
TARGET_START_S = 15.0
TARGET_RSS_MIB = 1024.0


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident set size of a process, MiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_session(entry: dict[str, object], profile: dict[str, str]) -> str | None:
    try:
        with connect(entry, profile, timeout=120) as conn:
            if entry["platform"] == "ios":
                conn.enable()
            command = "show version" if entry["platform"] == "ios" else "display version"
            out = conn.send_command(command, read_timeout=120, auto_find_prompt=False)
            if "ersion" not in out:
                return f"{entry['name']}: unexpected output: {out[:120]!r}"
    except Exception as exc:  # counted and reported, the benchmark goes on
        where = " <- ".join(f"{f.name}:{f.lineno}" for f in traceback.extract_tb(exc.__traceback__)[-4:])
        return f"{entry['name']}: {type(exc).__name__}: {str(exc)[:120]!r} at {where}"
    return None


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="netkb-bench-lab-") as tmp:
        state = Path(tmp)
        options = daemon.LabOptions(state=state, devices=DEVICES, seed=1, base_port=22000)
        started = time.monotonic()
        try:
            info = daemon.start(options)
            start_s = time.monotonic() - started
            pid = int(info["pid"])  # type: ignore[call-overload]
            idle_rss, _ = rss_mib(pid)
            devices, profiles = load_inventory(Path(str(info["inventory"])))
            # Spread the sessions over the whole lab: every platform, every layer.
            targets = devices[:: max(1, len(devices) // SESSIONS)][:SESSIONS]
            t0, c0 = time.monotonic(), time.process_time()
            with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
                errors = [
                    e
                    for e in pool.map(lambda d: one_session(d, profiles[str(d["credentials"])]), targets)
                    if e
                ]
            sessions_s, client_cpu = time.monotonic() - t0, time.process_time() - c0
            _, peak_rss = rss_mib(pid)
            lab_cpu = cpu_seconds(pid)
        finally:
            daemon.stop(state)

    print(f"lab devices:                 {DEVICES}")
    print(f"start until ready:           {start_s:.1f} s   (target <= {TARGET_START_S:.0f} s)")
    print(
        f"RSS idle / peak:             {idle_rss:.0f} / {peak_rss:.0f} MiB   "
        f"(target <= {TARGET_RSS_MIB:.0f} MiB)"
    )
    print(f"concurrent netmiko sessions: {len(targets)} in {sessions_s:.1f} s, errors: {len(errors)}")
    print(f"lab process CPU:             {lab_cpu:.1f} s; client CPU: {client_cpu:.1f} s")
    for error in errors[:10]:
        print(f"  {error}")
    ok = start_s <= TARGET_START_S and peak_rss <= TARGET_RSS_MIB and not errors and len(targets) == SESSIONS
    print("result:                      " + ("all targets met" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
