"""Bounds on an open session: a watchdog that closes it when a wait runs past its time, and the
run-wide `Cancel` that closes every open session at once (Ctrl-C)."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from netkb.collector.fetch_errors import Cancelled


def time_left(deadline: float) -> float:
    """Seconds until `deadline` (a `time.monotonic()` instant); negative once it has passed."""
    return deadline - time.monotonic()


def _close_client(conn: Any) -> None:
    client = getattr(conn, "remote_conn_pre", None)
    if client is not None:
        with contextlib.suppress(Exception):
            client.close()


class Watchdog:
    """Closes the session when a wait runs past its time.

    netmiko's login reads have waits of their own that no argument shortens (20 s for the first
    prompt, `find_prompt`'s growing sleeps), so the time allowed is enforced from outside: the
    SSH client is closed, and the read in progress fails at once (decode.py `read_buffer`).
    `fired` tells that failure from a device that hung up on its own.
    """

    def __init__(self, conn: Any, seconds: float) -> None:
        self.conn = conn
        self.fired = False
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        _close_client(self.conn)

    def cancel(self) -> None:
        self._timer.cancel()


class Cancel:
    """Stops every fetch of a run at once (Ctrl-C): open sessions are closed, so a read blocked in
    netmiko fails at once, and no new session or retry starts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[Any] = set()
        self.cancelled = threading.Event()

    def open(self, conn: Any) -> None:
        with self._lock:
            if self.cancelled.is_set():
                raise Cancelled("interrupted before logging in")
            self._open.add(conn)

    def close(self, conn: Any) -> None:
        with self._lock:
            self._open.discard(conn)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled.set()
            sessions, self._open = list(self._open), set()
        for conn in sessions:
            _close_client(conn)
