"""`netkb init` writes a commented spare-parts ledger that reads back empty, in each language, and
whose example, uncommented, is a valid ledger."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netkb.records.spares import load_ledger
from netkb.scaffold import write_project


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_scaffolded_ledger_is_empty_and_its_example_is_valid(tmp_path: Path, language: str) -> None:
    write_project(tmp_path, language)
    ledger, problems = load_ledger(tmp_path, [], {})
    assert problems == [] and ledger is not None and ledger.parts == ()
    text = (tmp_path / "spares.yml").read_text(encoding="utf-8")
    # The commented example from `# parts:` down to the blank comment line, without its `# `.
    example = text[text.index("# parts:") : text.index("#\n")]
    (tmp_path / "spares.yml").write_text(re.sub(r"^# ?", "", example, flags=re.M), encoding="utf-8")
    ledger, problems = load_ledger(tmp_path, [], {})
    assert problems == [] and ledger is not None
    assert [(p.part, p.fits, p.minimum, p.quantity, p.unit_cost) for p in ledger.parts] == [
        ("FAN-S7500E-06", ["S7500E"], 1, 2, 1850)
    ]
