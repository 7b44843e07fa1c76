"""Real and synthetic configuration fixtures, each with a sidecar YAML of what it holds.

The sidecar (`<name>.yaml` next to `<name>.txt`) lists:
  secrets:   every secret value in the text (must not survive redaction)
  volatile:  lines `clean` must remove as volatile
  capture:   command echo / prompt lines `clean` must remove
  untouched: lines that must survive cleaning and redaction verbatim
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from netkb.spec import PlatformSpec, load_spec

FIXTURES = Path(__file__).parent / "fixtures" / "configs"


@dataclass(frozen=True)
class ConfigFixture:
    path: Path
    platform: str
    text: str
    secrets: tuple[str, ...]
    volatile: tuple[str, ...]
    capture: tuple[str, ...]
    untouched: tuple[str, ...]

    @property
    def spec(self) -> PlatformSpec:
        return load_spec(self.platform)

    @property
    def name(self) -> str:
        return f"{self.platform}/{self.path.stem}"


def load_fixtures() -> list[ConfigFixture]:
    out = []
    for path in sorted(FIXTURES.glob("*/*.txt")):
        meta = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        out.append(
            ConfigFixture(
                path=path,
                platform=path.parent.name,
                text=path.read_text(encoding="utf-8"),
                secrets=tuple(meta.get("secrets") or ()),
                volatile=tuple(meta.get("volatile") or ()),
                capture=tuple(meta.get("capture") or ()),
                untouched=tuple(meta.get("untouched") or ()),
            )
        )
    return out


CONFIG_FIXTURES = load_fixtures()


def contains_token(text: str, value: str) -> bool:
    """`value` appears in `text` delimited by whitespace (so `sec` is not found in `security`)."""
    return re.search(r"(?<!\S)" + re.escape(value) + r"(?!\S)", text) is not None
