"""Platforms are data: core code never names one, and a malformed platform file is reported
whole (every problem at once, each naming the file and the key)."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from netkb.inventory import ConfigFileError, Inventory, validate
from netkb.spec import PLATFORMS, SpecError, load_spec, parse_spec
from netkb.yamlsafe import safe_load

ROOT = Path(__file__).resolve().parents[2]
CORE = ("netkb", "collector", "generator")  # lab/ is per-platform by design
SPECS = ROOT / "netkb" / "specs"


def _named(text: str) -> list[str]:
    """Platform names in a string or an identifier, as a word (`"vrp"`, `f"{x}.ios"`, `ios_x`).

    Platform names are lower case; a message's prose that names a vendor's software release in
    its own spelling (`as IOS 12.2/15.0 do`) is what a reader needs, not a branch on a platform."""
    words = "|".join(map(re.escape, PLATFORMS))
    return re.findall(rf"(?<![A-Za-z0-9])(?:{words})(?![A-Za-z0-9])", text)


def test_the_platforms_are_the_spec_files() -> None:
    files = {p.stem for p in SPECS.glob("*.yaml")} - {"redaction"}
    assert set(PLATFORMS) == files and len(PLATFORMS) >= 4
    assert all(load_spec(p).platform == p for p in PLATFORMS)


PARSER_MODULES = {load_spec(p).parsers for p in PLATFORMS}


def _docstring_lines(source: str) -> set[int]:
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                lines.add(first.lineno)
    return lines


def test_core_code_names_no_platform() -> None:
    """Strings and names in core modules (comments and docstrings are prose)."""
    found = []
    for folder in CORE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative.parts[:2] == ("collector", "parsers") and path.stem.split("_")[0] in PARSER_MODULES:
                continue  # a platform's parser module is its own (named by its spec's `parsers`)
            source = path.read_text(encoding="utf-8")
            docstrings = _docstring_lines(source)
            for token in tokenize.generate_tokens(io.StringIO(source).readline):
                if token.type == tokenize.STRING and token.start[0] in docstrings:
                    continue
                if token.type in (tokenize.STRING, tokenize.NAME):
                    for name in _named(token.string):
                        found.append(f"{relative}:{token.start[0]}: {name!r} in {token.string[:60]!r}")
    assert not found, "platform names belong in netkb/specs/<platform>.yaml:\n" + "\n".join(found)


def test_the_check_sees_a_platform_name() -> None:
    assert _named('if spec.platform == "ios":') == ["ios"]
    assert _named("PLATFORM_MODULES = ('comware', 'ios_health')") == ["comware", "ios"]
    assert not _named('"biostat", "vrps", "xcomware", "as IOS 12.2 does"')


def test_a_malformed_platform_file_gives_every_error_at_once() -> None:
    data = safe_load((SPECS / f"{PLATFORMS[0]}.yaml").read_text(encoding="utf-8"))
    data["netmiko_drvier"] = data.pop("netmiko_driver")  # a typo in a key
    data["enable"] = "sometimes"
    data["identity"] = {"hostname": "^hostname \\S+$"}  # no group for the name
    data["ospf_config"] = "(unclosed"
    data["commands"][1]["stat"] = {}
    data["secrets"][0]["pattern"] = "password (\\S+)"  # no secret group
    data["commands"] = [{**c, "config": False} for c in data["commands"]]  # no config command
    with pytest.raises(SpecError) as raised:
        parse_spec(data, "netkb/specs/x.yaml")
    problems = raised.value.problems
    expected = [
        "netkb/specs/x.yaml: netmiko_driver: Field required",
        "netkb/specs/x.yaml: netmiko_drvier: unknown key",
        "netkb/specs/x.yaml: enable: Input should be a valid boolean",
        "netkb/specs/x.yaml: identity: hostname needs a group",
        "netkb/specs/x.yaml: ospf_config: bad regular expression '(unclosed'",
        "netkb/specs/x.yaml: commands[1].stat: unknown key",
        "netkb/specs/x.yaml: secrets[0]: secret rule",
    ]
    for want in expected:
        assert any(p.startswith(want) for p in problems), (want, problems)
    assert len(problems) == len(expected), problems


def test_one_config_command_is_checked_when_the_rest_is_valid() -> None:
    data = safe_load((SPECS / f"{PLATFORMS[0]}.yaml").read_text(encoding="utf-8"))
    data["commands"] = [{**c, "config": False} for c in data["commands"]]
    with pytest.raises(SpecError, match=r"x.yaml: \(top level\): exactly one command must have config: true"):
        parse_spec(data, "netkb/specs/x.yaml")


def test_an_unknown_inventory_platform_is_one_line_naming_the_device_and_the_choices() -> None:
    data = {"devices": [{"name": "core-1", "host": "10.0.0.1", "platform": "junos"}]}
    with pytest.raises(ConfigFileError) as raised:
        validate(Inventory, data, Path("inventory.yml"))
    assert raised.value.problems == [
        f"inventory.yml: devices[0].platform: 'junos' (device core-1) is not one of {', '.join(PLATFORMS)}"
    ]
