"""What one `netkb collect` is asked to do (the command line's flags, as the code passes them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from netkb.inventory import Shard


@dataclass
class CollectOptions:
    limit: str | None = None
    workers: int | None = None
    at: dt.datetime | None = None
    force: frozenset[str] = frozenset()  # devices whose config may shrink past the threshold
    shard: Shard | None = None
