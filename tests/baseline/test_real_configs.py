"""The baseline on real configs (tests/real/configs/<platform>/<case>.txt), each against the
verdicts a person wrote in <case>.yml by reading the config, never by running netkb."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from netkb.baseline.engine import evaluate
from netkb.baseline.model import load_rules

ROOT = Path(__file__).resolve().parents[1] / "real" / "configs"
CASES = sorted(ROOT.glob("*/*.txt"))


def test_every_platform_netkb_judges_from_real_captures_has_cases() -> None:
    assert {p.parent.name for p in CASES} >= {"comware", "vrp", "ios"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_real_config_gets_the_verdicts_its_reader_wrote(case: Path) -> None:
    meta = yaml.safe_load(case.with_suffix(".yml").read_text(encoding="utf-8"))
    assert "@" in meta["source"] or "index file id" in meta["source"], "provenance: repository@commit:path"
    expected = meta["expect"]
    assert set(expected) == {r.id for r in load_rules().rules}, "every rule has a written verdict"
    for rule, verdict in expected.items():
        if verdict == "unknown":
            assert meta["unknown_because"].get(rule), f"{rule}: say why a reader cannot tell"
    results = evaluate(case.parent.name, case.read_text(encoding="utf-8"))
    got = {r.rule: r.verdict.value for r in results}
    wrong = {rule: (want, got[rule]) for rule, want in expected.items() if got[rule] != want}
    assert not wrong, f"(written, judged): {wrong}"
