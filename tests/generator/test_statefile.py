"""State files are read exactly as PyYAML's safe loader (libyaml's where there) reads them."""

from __future__ import annotations

import random

import pytest
import yaml

from netkb.collector.snapshot import dump_state
from netkb.generator.statefile import load_state
from netkb.yamlsafe import safe_load

TRICKY_STRINGS = [
    "",
    "plain",
    "图书馆 汇聚",
    'quote " and \\ backslash',
    "tab\tnew\nline\r",
    "\x00\x01\x1f control",
    "\x7f\x85\x9f C1 controls",
    "\u2028 line and \u2029 paragraph separators",
    "\ufeff BOM \ufffd",
    "emoji 😀",
    "yes",
    "on",
    "null",
    "1e-05",
    "- dash",
    "key: value # comment",
    "{ flow }",
]
TRICKY_NUMBERS = [0, -3, 7, 10**20, 1.5, -0.25, 38.0, 1e-05, 1e16, 2.5e-300, float("inf"), float("nan")]
KEYS = ["name", "status", "on", "yes", "null", "off", "no", "true", "y", "n", "_x", "slot_1"]


def _value(rng: random.Random) -> object:
    kind = rng.randrange(5)
    if kind == 0:
        return rng.choice(TRICKY_STRINGS)
    if kind == 1:
        return rng.choice(TRICKY_NUMBERS)
    if kind == 2:
        return rng.choice([True, False, None])
    if kind == 3:
        return "".join(rng.choice("ab 12:-#\"'\\\t\x85\u2028图") for _ in range(rng.randrange(8)))
    return [rng.choice(TRICKY_STRINGS)]  # a nested value: PyYAML writes the file


def _row(rng: random.Random) -> dict[str, object]:
    return {rng.choice(KEYS): _value(rng) for _ in range(rng.randrange(1, 5))}


def _same(text: str) -> None:
    try:
        expected: object = safe_load(text)  # what the history reader used before
    except yaml.YAMLError as exc:
        with pytest.raises(type(exc)):
            load_state(text)
        return
    got = load_state(text)
    assert repr(got) == repr(expected), text  # repr: NaN equals itself this way


def test_dump_state_shapes_read_as_yaml_reads_them() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        shape = rng.randrange(4)
        data: object
        if shape == 0:
            data = _value(rng)
        elif shape == 1:
            data = _row(rng)
        elif shape == 2:
            data = [_row(rng) for _ in range(rng.randrange(0, 4))]
        else:
            data = {"nested": [_row(rng)], "n": rng.choice(TRICKY_NUMBERS)}
        _same(dump_state(data))


def test_hand_edited_and_damaged_files() -> None:
    for text in [
        "name: x\n",
        "name: x",  # no final newline
        "name:  x\n",
        "- name: x\n  - y\n",
        "- a: 1\n b: 2\n",
        "a: 1\na: 2\n",  # a repeated key: the last wins in both
        "a: [1, 2\n",
        "a: 'single'\n",
        '"only a string"\n',
        "[]\n",
        "{}\n",
        "",
        'a: "\\u0041"\n',
        'a: "\\ud83d\\ude00"\n',
        'a: "\\/"\n',
        "a: 01\n",
        "a: 1_000\n",
        "a: 0x10\n",
        "a: .5\n",
        "a: 5.\n",
    ]:
        _same(text)
