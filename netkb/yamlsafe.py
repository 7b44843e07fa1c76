"""YAML read with PyYAML's safe loader, in C (libyaml) where PyYAML was built with it: the
pure-Python parser costs seconds on a thousand-device inventory and more than parsing a device's
output, and every `netkb generate` reads the specs, the checklist and the UI strings."""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str | bytes) -> Any:
    """Like `yaml.safe_load`; raises `yaml.YAMLError` on bad input."""
    return yaml.load(text, Loader=SAFE_LOADER)
