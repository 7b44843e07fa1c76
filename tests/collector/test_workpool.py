"""collector.workpool: a stalled task gets a thread added in its place, up to `extra`."""

from __future__ import annotations

import threading
import time
from concurrent.futures import wait

from netkb.collector.workpool import ElasticPool


def _run(pool: ElasticPool, hung: int, quick: int, release: threading.Event) -> tuple[bool, int]:
    """(whether every quick task finished while the hung ones were still stuck, threads used)."""
    stuck = [pool.submit(release.wait, 10) for _ in range(hung)]
    quick_tasks = [pool.submit(time.sleep, 0.01) for _ in range(quick)]
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and not all(f.done() for f in quick_tasks):
        pool.rebalance()
        time.sleep(0.02)
    finished = all(f.done() for f in quick_tasks)
    release.set()
    wait(stuck + quick_tasks, timeout=10)
    pool.shutdown()
    return finished, pool.threads


def test_hung_tasks_do_not_hold_back_the_others() -> None:
    finished, threads = _run(ElasticPool(workers=2, stall_after=0.05, extra=2), 2, 20, threading.Event())
    assert finished and threads == 4


def test_without_extra_threads_hung_tasks_hold_the_pool() -> None:
    finished, threads = _run(ElasticPool(workers=2, stall_after=0.05, extra=0), 2, 20, threading.Event())
    assert not finished and threads == 2


def test_extra_threads_are_bounded() -> None:
    finished, threads = _run(ElasticPool(workers=2, stall_after=0.05, extra=1), 3, 20, threading.Event())
    assert not finished and threads == 3  # two workers and one extra are all stuck


def test_results_and_exceptions_reach_the_futures() -> None:
    pool = ElasticPool(workers=2, stall_after=1, extra=0)
    ok, bad = pool.submit(lambda x: x * 2, 21), pool.submit(lambda: 1 / 0)
    wait([ok, bad], timeout=5)
    pool.shutdown()
    assert ok.result() == 42 and isinstance(bad.exception(), ZeroDivisionError)


def test_shutdown_cancels_what_did_not_start() -> None:
    release = threading.Event()
    pool = ElasticPool(workers=1, stall_after=10, extra=0)
    first, second = pool.submit(release.wait, 5), pool.submit(time.sleep, 0)
    time.sleep(0.05)
    pool.shutdown(wait=False, cancel_futures=True)
    release.set()
    assert second.cancelled() and first.result(timeout=5) is True


def test_once_the_stalled_tasks_end_the_pool_shrinks_back_to_its_workers() -> None:
    pool, release, lock = (
        ElasticPool(workers=2, stall_after=0.25, extra=2),  # a 10 ms task never looks stalled
        threading.Event(),
        threading.Lock(),
    )
    running, late_peak, released_at = [0], [0], [0.0]

    def task() -> None:
        with lock:
            running[0] += 1
            if released_at[0] and time.monotonic() > released_at[0] + 0.3:
                late_peak[0] = max(late_peak[0], running[0])
        time.sleep(0.01)
        with lock:
            running[0] -= 1

    futures = [pool.submit(release.wait, 10) for _ in range(2)] + [pool.submit(task) for _ in range(200)]
    started = time.monotonic()
    while not all(f.done() for f in futures) and time.monotonic() < started + 10:
        pool.rebalance()
        if not release.is_set() and time.monotonic() > started + 1.0:
            released_at[0] = time.monotonic()
            release.set()
        time.sleep(0.01)
    pool.shutdown()
    assert all(f.done() for f in futures) and pool.threads == 4
    assert late_peak[0] <= 2  # the two extra threads ended once the hung tasks did
