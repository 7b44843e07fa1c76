"""Per-platform CLI behaviour of the simulated devices; each platform's spec names its class
(`lab: <module>:<Class>` in netkb/specs/<platform>.yaml), a module of this package."""

from __future__ import annotations

import importlib
import inspect
from functools import cache

from netkb.lab.model import Device, Platform
from netkb.lab.platforms.base import PlatformCli
from netkb.spec import load_spec


@cache
def _cli(platform: Platform, os_major: int) -> PlatformCli:
    # Imported lazily so a lab of one platform does not pay for the others.
    named = load_spec(platform.value).lab
    if named is None:
        raise LookupError(f"netkb/specs/{platform.value}.yaml names no lab CLI (lab: <module>:<Class>)")
    module, _, name = named.partition(":")
    cls = getattr(importlib.import_module(f"netkb.lab.platforms.{module}"), name)
    # A class whose behaviour differs by major release (Comware 5/7) takes it.
    cli = cls(os_major) if "os_major" in inspect.signature(cls).parameters else cls()
    return cli  # type: ignore[no-any-return]


def cli_for(device: Device) -> PlatformCli:
    return _cli(device.platform, device.os_major)
