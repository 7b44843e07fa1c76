"""Ctrl-C during a collect: the signal only sets a flag, so no commit is cut in the middle; the
run stops between devices, keeps what finished, and says so (collect.py)."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from typing import Any

from netkb.collector.runrecord import (
    RunRecord,
)
from netkb.collector.session_guard import Cancel

log = logging.getLogger("netkb.collect")


class CollectInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the run: the devices done are committed with a run record that marks the
    others failed ("interrupted")."""

    def __init__(self, record: RunRecord, unfinished: list[str]) -> None:
        super().__init__(f"interrupted; {len(unfinished)} device(s) unfinished")
        self.record, self.unfinished = record, unfinished


@contextlib.contextmanager
def ctrl_c_cancels(cancel: Cancel) -> Iterator[None]:
    """While the devices are fetched, the first Ctrl-C (SIGINT) cancels the fetches instead of
    raising: the run then keeps what finished. A second one raises as usual (the store still
    ends cleanly: gitstore.py `locked`). Only the main thread can take signals; elsewhere
    (a service, a test) the run is not interruptible this way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGINT, previous)
        cancel.cancel()

    previous = signal.signal(signal.SIGINT, interrupted)
    # A terminal's Ctrl-C goes to the whole process group, git fast-import included: killed, it
    # would take this run's commits since its last checkpoint with it. The main thread, which
    # starts every git process, blocks SIGINT so they inherit it blocked; the worker threads
    # (started already, at submit) still take the signal, and Python runs the handler here.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        signal.signal(signal.SIGINT, previous)
