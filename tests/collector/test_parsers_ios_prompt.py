"""IOS outputs under `terminal exec prompt timestamp` parse as the plain outputs do.

Every real IOS capture (tests/real/ios) is parsed twice: as stored, and with the two lines the
exec prompt timestamp prints above a command's output. Both must give the same rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netkb.collector.parsers import ParseError, get_parser
from netkb.spec import load_spec

REAL = Path(__file__).parents[1] / "real" / "ios"
STAMP = (
    "Load for five secs: 4%/0%; one minute: 8%; five minutes: 6%\n"
    "Time source is NTP, 17:41:24.716 EST Wed Oct 19 2016\n\n"
)


def _parsers(command: str) -> list[str]:
    spec = next(c for c in load_spec("ios").commands if command in (c.command, *c.alternatives))
    return [p for p in [*spec.state.values(), *spec.measure.values(), spec.log] if p]


@pytest.mark.parametrize("case", sorted(REAL.glob("*/*.txt")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_prompt_timestamp_lines_change_nothing(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    for name in _parsers(case.parent.name.replace("_", " ")):
        parse = get_parser(name)
        try:
            plain = parse(text)
        except ParseError:
            with pytest.raises(ParseError):
                parse(STAMP + text)
            continue
        assert parse(STAMP + text) == plain, name
