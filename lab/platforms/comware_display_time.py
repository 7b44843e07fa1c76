"""Comware 5 and 7 `display clock`, `display ntp-service status` and `display logbuffer`: what
the device says about its time and its events (Comware 5 and 7 print each differently)."""

from __future__ import annotations

import time

from netkb.lab.model import Device
from netkb.lab.platforms.comware_text import TZ_NAME, local_time, log_stamp

# --- clock / ntp ----------------------------------------------------------------------


def clock(dev: Device) -> list[str]:
    tm, ms = local_time(dev)
    if dev.os_major < 7:
        return [
            f"{time.strftime('%H:%M:%S', tm)} {TZ_NAME} {time.strftime('%a %m/%d/%Y', tm)}",
            f"Time Zone : {TZ_NAME} add 08:00:00",
        ]
    return [
        f"{time.strftime('%H:%M:%S', tm)}.{ms:03d} {TZ_NAME} {time.strftime('%a %m/%d/%Y', tm)}",
        f"Time Zone : {TZ_NAME} add 08:00:00",
    ]


def ntp_status(dev: Device) -> list[str]:
    servers = dev.secrets.ntp_servers
    if not servers:
        return [" Clock status: unsynchronized", " Clock stratum: 16", " Reference clock ID: none"]
    ref = servers[0].address
    tm, ms = local_time(dev, dev.now() - 37)
    stamp = int(dev.now() - 37) + 2208988800  # NTP era seconds
    if dev.os_major < 7:
        return [
            " Clock status: synchronized",
            " Clock stratum: 3",
            f" Reference clock ID: {ref}",
            " Nominal frequency: 100.0000 Hz",
            " Actual frequency: 100.0000 Hz",
            " Clock precision: 2^18",
            " Clock offset: 0.0000 ms",
            " Root delay: 0.97 ms",
            " Root dispersion: 3.38 ms",
            " Peer dispersion: 10.00 ms",
            f" Reference time: {time.strftime('%H:%M:%S', tm)}.{ms:03d} UTC {time.strftime('%b %d %Y', tm)}"
            f"({stamp:08X}.5C28F5C2)",
        ]
    return [
        " Clock status: synchronized",
        " Clock stratum: 3",
        f" System peer: {ref}",
        " Local mode: client",
        f" Reference clock ID: {ref}",
        " Leap indicator: 00",
        " Clock jitter: 0.000778 s",
        " Stability: 0.000 pps",
        " Clock precision: 2^-22",
        " Root delay: 0.97211 ms",
        " Root dispersion: 3.38745 ms",
        f" Reference time: {stamp:08x}.5c28f5c2  {time.strftime('%a, %b %d %Y %H:%M:%S', tm)}.{ms:03d}",
        " System poll interval: 64 s",
    ]


# --- log buffer -----------------------------------------------------------------------


def logbuffer(dev: Device) -> list[str]:
    entries = sorted(dev.logbuffer, key=lambda e: e.when)
    body = [
        f"%{log_stamp(dev, e.when)} {dev.name} {e.module}/{e.severity}/{e.mnemonic}: {e.text}"
        for e in entries
    ]
    if dev.os_major < 7:
        return [
            "Logging buffer configuration and contents:enabled",
            "Allowed max buffer size : 1024",
            "Actual buffer size : 512",
            "Channel number : 4 , Channel name : logbuffer",
            "Dropped messages : 0",
            "Overwritten messages : 0",
            f"Current messages : {len(body)}",
            "",
            *body,
        ]
    return [
        "Log buffer: Enabled",
        "Max buffer size: 1024",
        "Actual buffer size: 512",
        "Dropped messages: 0",
        "Overwritten messages: 0",
        f"Current messages: {len(body)}",
        *body,
    ]
