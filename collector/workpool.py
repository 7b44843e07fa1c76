"""A thread pool in which a hung device does not take a worker from the healthy ones.

A device that stops answering holds its thread until `timeouts.device` gives up on it. With a
fixed pool, N such devices cost the run about N × timeout / workers in lost throughput on top
of the timeout itself. Here a task that has run longer than `stall_after` seconds is counted
as stalled and a thread is added in its place (at most `extra` of them), so the healthy
devices keep `workers` threads and N hung devices add about one device timeout to the run.
When a stalled task finishes, one thread beyond `workers` + the tasks still stalled ends
before taking another task: the pool never runs more healthy devices at once than `workers`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class ElasticPool:
    def __init__(self, workers: int, stall_after: float, extra: int) -> None:
        self.workers, self.stall_after, self.extra = workers, stall_after, extra
        self._queue: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._running: dict[Future[Any], float] = {}  # task -> when it started (monotonic)
        self._stalled: set[Future[Any]] = set()  # tasks a thread was added for
        self._threads: list[threading.Thread] = []
        self._live = 0  # threads started and not ended
        self._closed = False

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._queue.put((future, fn, args))
        with self._lock:
            short = self._live < self.workers
        if short:
            self._add_thread()
        return future

    @property
    def threads(self) -> int:
        return len(self._threads)

    def rebalance(self) -> int:
        """Add a thread for each task that stalled since the last call; how many were added.

        Called by the owner's wait loop (it wakes every fraction of a second anyway).
        """
        now, added = time.monotonic(), 0
        with self._lock:
            stalled = [
                f for f, t in self._running.items() if now - t > self.stall_after and f not in self._stalled
            ]
            for future in stalled:
                if len(self._stalled) >= self.extra or self._queue.empty():
                    break
                self._stalled.add(future)
                added += 1
        for _ in range(added):
            self._add_thread()
        return added

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self._closed = True
        if cancel_futures:
            while True:
                try:
                    future, _, _ = self._queue.get_nowait()
                except queue.Empty:
                    break
                future.cancel()
        if wait:
            for thread in self._threads:
                thread.join()

    def _add_thread(self) -> None:
        # Daemon: a thread blocked in a hung device's read must not keep the process alive after
        # an interrupted run (its session is closed; the thread ends when the read fails).
        thread = threading.Thread(target=self._work, name=f"netkb-worker-{len(self._threads)}", daemon=True)
        self._threads.append(thread)
        with self._lock:
            self._live += 1
        thread.start()

    def _work(self) -> None:
        while not self._closed:
            with self._lock:
                # One more thread than the healthy tasks need (an extra whose stalled task has
                # finished): it ends here, counted out under the lock so only one decides at a time.
                if self._live > self.workers + len(self._stalled):
                    self._live -= 1
                    return
            try:
                future, fn, args = self._queue.get_nowait()
            except queue.Empty:
                break
            if not future.set_running_or_notify_cancel():
                continue
            with self._lock:
                self._running[future] = time.monotonic()
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the owner, like concurrent.futures does
                future.set_exception(exc)
            else:
                future.set_result(result)
            finally:
                with self._lock:
                    self._running.pop(future, None)
                    self._stalled.discard(future)
        with self._lock:
            self._live -= 1
