"""What operators do to a running lab that is neither a fault nor a CLI command: move its
calendar (so a replayed scenario's logs, uptimes and clocks follow the scenario's dates) and
upgrade a device's firmware.
"""

from __future__ import annotations

import datetime as dt
import time

from netkb.lab.model import Device, Network


def lab_time(net: Network) -> float:
    """The lab's calendar now, as epoch seconds (each device adds its own few seconds of skew)."""
    return time.time() + net.clock_offset


def set_clock(net: Network, when: dt.datetime) -> str:
    """Move every device's clock to `when`.

    Forward is time passing: uptimes grow and earlier log entries age with it. Backward
    re-dates the lab: boot times and log entries move with the clock, so uptimes are kept and
    no entry lies in the future.
    """
    if when.tzinfo is None:
        raise ValueError(f"clock time {when.isoformat()} has no time zone; add one, e.g. +08:00")
    delta = when.timestamp() - lab_time(net)
    net.clock_offset += delta
    for dev in net.devices.values():
        dev.clock_skew += delta
        if delta < 0:
            _redate(dev, delta)
    return f"lab clock set to {when.isoformat(timespec='seconds')}"


def _redate(dev: Device, delta: float) -> None:
    dev.boot_time += delta
    for entry in dev.logbuffer:
        entry.when += delta


def upgrade(dev: Device, version: str) -> str:
    """Boot the device on new firmware: the version changes and the device reloads."""
    version = version.strip()
    if not version:
        raise ValueError("upgrade: give the new software version, e.g. '7.1.070, Release 7585P08'")
    old, dev.software = dev.software, version
    dev.boot_time = dev.now()
    dev.logbuffer.clear()  # the buffer lives in RAM: the reload empties it
    dev.log("DEV", 5, "SYSTEM_RESTART", f"System restarted -- software version {version}.")
    return f"{dev.name}: software {old} -> {version}, device reloaded"
