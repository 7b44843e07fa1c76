"""The real device texts under tests/lab/reference/ that are not parser inputs (those are in the
real-capture corpus, tests/real/): configurations and command-line error messages, through the
collector's own cleaning, completeness gate, redaction and error detection."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netkb.collector.clean import clean
from netkb.collector.expectations import config_facts
from netkb.collector.gate import refuse_reason
from netkb.collector.redact import redact
from netkb.spec import load_spec

REFERENCE = Path(__file__).parents[1] / "lab" / "reference"
CONFIGS = {
    "comware/current_configuration_c5.txt": True,
    "comware/current_configuration_c7.txt": True,
    "vrp/display_current-configuration.txt": True,
    "ios/show_running-config.txt": False,  # an excerpt: it stops before `end`
}


@pytest.mark.parametrize(("name", "complete"), CONFIGS.items())
def test_real_configs_pass_the_gate_only_when_complete(name: str, complete: bool) -> None:
    platform = name.split("/")[0]
    spec = load_spec(platform)
    config = clean((REFERENCE / name).read_text(encoding="utf-8"), spec)
    assert (refuse_reason(config, spec, None, 0.5) is None) is complete
    assert clean(config, spec) == config  # cleaning is stable: no noise commit on the next run
    redacted = redact(config, spec, b"key")
    assert redact(redacted, spec, b"key") == redacted
    assert config_facts(platform, config).get("ospf_configured") in (True, False)


@pytest.mark.parametrize("name", ["comware/errors_c7.txt", "vrp/errors.txt"])
def test_real_command_errors_are_recognised(name: str) -> None:
    """A rejected command must be seen as rejected (fetch fails it, or marks an optional command
    unsupported), never stored as if it were the output."""
    spec = load_spec(name.split("/")[0])
    lines = [line.strip() for line in (REFERENCE / name).read_text(encoding="utf-8").splitlines()]
    syntax_errors = [
        line for line in lines if re.search(r"found at '\^' position", line) and not line.startswith("#")
    ]
    assert syntax_errors
    for line in syntax_errors:
        assert any(marker in line for marker in spec.errors), f"{line!r} is not recognised as an error"
