"""The settings file (`netkb.yml`): where the snapshot repository is, how to collect,
the inspection thresholds and cycles. Every key is optional; unknown keys are errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from collector.checks import Thresholds
from collector.cycles import Cycles
from collector.inventory import ConfigFileError, Strict, read_yaml, validate


class Timeouts(Strict):
    connect: Annotated[float, Field(gt=0)] = 20
    command: Annotated[float, Field(gt=0)] = 60
    device: Annotated[float, Field(gt=0)] = 300


class Author(Strict):
    name: str = "netkb"
    email: str = "netkb@localhost"


class Settings(Strict):
    snapshot_repo: str = "configs"
    workers: Annotated[int, Field(ge=1, le=512)] = 16
    timeouts: Timeouts = Field(default_factory=Timeouts)
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    retry_backoff: Annotated[float, Field(ge=0)] = 2.0  # seconds, doubled per retry
    shrink_threshold: Annotated[float, Field(gt=0, le=1)] = 0.5  # refuse configs that lose more lines
    author: Author = Field(default_factory=Author)
    # Where the key of the secret markers lives (NETKB_REDACTION_KEY overrides it); never in git.
    redaction_key_file: str = ".netkb/redaction.key"
    language: str = "zh"
    thresholds: Thresholds = Field(default_factory=Thresholds)
    cycles: Cycles = Field(default_factory=Cycles)


def load_settings(path: Path | None) -> Settings:
    """Settings from a file, or the defaults when there is none."""
    if path is None or not path.exists():
        return Settings()
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ConfigFileError([f"{path}: expected a mapping of settings"])
    return validate(Settings, data, path)
