"""The real-capture corpus (tests/real/README.md) through `netkb parse`'s own path.

Every case is an output a real device printed, with its provenance and an expectation a person
wrote by reading it. Verdicts must match exactly: a false "normal" (or "abnormal") on a real
device is the failure this corpus exists to catch.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from netkb.collector.parse_command import parse_output
from netkb.inspection.checklist import load_checklist
from netkb.spec import PLATFORMS, load_spec
from netkb.yamlsafe import safe_load

REAL = Path(__file__).parent
CHECKLIST = load_checklist()
# Real layouts whose values another project edited (tests/real_edited/README.md): run, never counted as real.
EDITED = REAL.parent / "real_edited"
CASES = sorted(p for root in (REAL, EDITED) for p in root.glob("*/*/*.txt") if p.parts[-3] in PLATFORMS)
VERDICTS = {"normal", "abnormal", "unknown"}
META_KEYS = {"source", "model", "software", "cut", "expect", "note"}
EXPECT_KEYS = {"verdicts", "unknown_because", "state", "measures", "expect_args", "log_entries", "logs"}


def _case_id(path: Path) -> str:
    return "/".join((*(["edited"] if EDITED in path.parents else []), *path.parts[-3:-1], path.stem))


def _meta(case: Path) -> dict[str, Any]:
    meta = safe_load(case.with_suffix(".yml").read_text(encoding="utf-8"))
    assert isinstance(meta, dict), f"{case.with_suffix('.yml')}: not a mapping"
    return meta


def _command(case: Path) -> str:
    return case.parts[-2].replace("_", " ")


def _matches(expected: Any, actual: Any, where: str) -> None:
    """Expected rows/mappings are partial: every key written must match; lists match in length."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected a mapping, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}: no {key!r} in {actual!r}"
            _matches(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{where}: {len(actual)} rows, expected {len(expected)}: {actual!r}"
        )
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _matches(e, a, f"{where}[{i}]")
    elif isinstance(expected, float) or isinstance(actual, float):
        assert actual == pytest.approx(expected), f"{where}: {actual!r} != {expected!r}"
    else:
        assert actual == expected or str(actual) == str(expected), f"{where}: {actual!r} != {expected!r}"


def _feeds_an_item(platform: str, command: str) -> bool:
    """Whether the command's output feeds a checklist item (the clock, serials do not)."""
    spec_command = next(c for c in load_spec(platform).commands if command in (c.command, *c.alternatives))
    fed = {*spec_command.state, *spec_command.measure, *(["new_logs"] if spec_command.log else [])}
    return any(set(item.inputs) & fed for item in CHECKLIST.items)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_metadata(case: Path) -> None:
    """Provenance, model, software and a hand-written expectation for every capture."""
    meta = _meta(case)
    assert not set(meta) - META_KEYS, f"unknown keys {set(meta) - META_KEYS}"
    for key in ("source", "model", "software", "expect"):
        assert meta.get(key), f"{case.with_suffix('.yml')}: {key} is missing"
    expect = meta["expect"]
    assert not set(expect) - EXPECT_KEYS, f"unknown expect keys {set(expect) - EXPECT_KEYS}"
    verdicts = expect.get("verdicts") or {}
    platform, command = case.parts[-3], _command(case)
    assert verdicts or "log_entries" in expect or not _feeds_an_item(platform, command), (
        "an expectation needs verdicts (or log_entries for a log buffer)"
    )
    assert verdicts or expect.get("state") or expect.get("measures") or "log_entries" in expect, (
        "an expectation needs verdicts, state or measures"
    )
    assert set(verdicts.values()) <= VERDICTS
    unknown = {item for item, v in verdicts.items() if v == "unknown"}
    assert unknown <= set(expect.get("unknown_because") or {}), "every unknown verdict needs its reason"
    assert any(command in (c.command, *c.alternatives) for c in load_spec(platform).commands), (
        f"{command!r} is not a spec command or one of its alternatives"
    )


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_capture(case: Path) -> None:
    meta = _meta(case)
    expect = meta["expect"]
    result = parse_output(
        case.parts[-3],
        _command(case),
        case.read_bytes(),
        expect={k: v for k, v in (expect.get("expect_args") or {}).items()},
    )
    got = {item: v["verdict"] for item, v in result["verdicts"].items()}
    for item, verdict in (expect.get("verdicts") or {}).items():
        detail = result["verdicts"].get(item, {}).get("detail")
        assert got.get(item) == verdict, (
            f"{item}: {got.get(item)} ({detail}), expected {verdict}; problems: {result['problems']}"
        )
    for topic, rows in (expect.get("state") or {}).items():
        _matches(rows, result["state"].get(topic), f"state.{topic}")
    for name, value in (expect.get("measures") or {}).items():
        _matches(value, result["measures"].get(name), f"measures.{name}")
    if "log_entries" in expect:
        assert len(result["logs"]) == expect["log_entries"], (
            f"{len(result['logs'])} log entries; {result['problems']}"
        )
        wanted = expect.get("logs") or []
        ends = [result["logs"][0], result["logs"][-1]][: len(wanted)] if result["logs"] else []
        _matches(wanted, ends, "logs")


def test_the_cli_prints_the_same_json() -> None:
    """`netkb parse --json` is the public face of the same path (one case per platform)."""
    for platform in PLATFORMS:
        case = next((c for c in CASES if c.parts[-3] == platform), None)
        if case is None:
            continue
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "netkb.cli",
                "parse",
                "--platform",
                platform,
                "--command",
                _command(case),
                str(case),
                "--json",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert json.loads(out) == json.loads(
            json.dumps(parse_output(platform, _command(case), case.read_bytes()), ensure_ascii=False)
        )


def test_usage_errors_exit_2_naming_the_choices(tmp_path: Path) -> None:
    capture = tmp_path / "out.txt"
    capture.write_text("Fan 1 State: Normal\n")
    runs = {
        "platform": ["--platform", "junos", "--command", "display fan", str(capture)],
        "command": ["--platform", "comware", "--command", "display fans", str(capture)],
        "file": ["--platform", "comware", "--command", "display fan", str(tmp_path / "missing.txt")],
    }
    for what, argv in runs.items():
        done = subprocess.run(
            [sys.executable, "-m", "netkb.cli", "parse", *argv], capture_output=True, text=True
        )
        assert done.returncode == 2, what
        assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert (
        ", ".join(PLATFORMS)
        in subprocess.run(
            [sys.executable, "-m", "netkb.cli", "parse", *runs["platform"]],
            capture_output=True,
            text=True,
        ).stderr
    )
