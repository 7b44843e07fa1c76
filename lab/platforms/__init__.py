"""Per-platform CLI behaviour of the simulated devices (Comware 5/7, VRP, IOS)."""

from __future__ import annotations

from functools import cache

from netkb.lab.model import Device, Platform
from netkb.lab.platforms.base import PlatformCli


@cache
def _cli(platform: Platform, os_major: int) -> PlatformCli:
    # Imported lazily so a lab of one platform does not pay for the others.
    if platform is Platform.COMWARE:
        from netkb.lab.platforms.comware import ComwareCli

        return ComwareCli(os_major)
    if platform is Platform.VRP:
        from netkb.lab.platforms.vrp import VrpCli

        return VrpCli()
    from netkb.lab.platforms.ios import IosCli

    return IosCli()


def cli_for(device: Device) -> PlatformCli:
    return _cli(device.platform, device.os_major)
