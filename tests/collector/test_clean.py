"""collector.clean: capture artefacts and volatile lines go, nothing else does."""

from __future__ import annotations

import dataclasses
import re

import pytest

from netkb.collector.clean import clean, clean_output
from netkb.spec import VolatileRule, load_spec
from tests.collector.config_fixtures import CONFIG_FIXTURES, ConfigFixture

IDS = [f.name for f in CONFIG_FIXTURES]

VRP_MORE = "  ---- More ----\x1b[42D" + " " * 42 + "\x1b[42D"
COMWARE_MORE = "  ---- More ----\x1b[16D" + " " * 16 + "\x1b[16D"
IOS_MORE = " --More-- " + "\x08" * 10 + " " * 10 + "\x08" * 10
PAGING = {
    "vrp": VRP_MORE,
    "comware": COMWARE_MORE,
    "ios": IOS_MORE,
    "rgos": IOS_MORE,
}  # RGOS pages as IOS does


def with_paging(text: str, prompt: str, every: int = 7) -> str:
    """The text as a paged terminal delivers it: CRLF, a More prompt erased before every Nth line."""
    lines = text.split("\n")
    return "\r\n".join(prompt + line if i and i % every == 0 else line for i, line in enumerate(lines))


@pytest.mark.parametrize("fixture", CONFIG_FIXTURES, ids=IDS)
def test_clean_removes_volatile_and_capture_lines_and_nothing_else(fixture: ConfigFixture) -> None:
    raw_lines = {line.rstrip() for line in fixture.text.splitlines()} - {""}
    cleaned = clean(fixture.text, fixture.spec)
    clean_lines = set(cleaned.splitlines())
    assert raw_lines - clean_lines == set(fixture.volatile) | set(fixture.capture)
    assert clean_lines - raw_lines <= {""}


@pytest.mark.parametrize("fixture", CONFIG_FIXTURES, ids=IDS)
def test_clean_keeps_line_order_and_is_idempotent(fixture: ConfigFixture) -> None:
    cleaned = clean(fixture.text, fixture.spec)
    dropped = set(fixture.volatile) | set(fixture.capture)
    expected = [line.rstrip() for line in fixture.text.splitlines() if line.rstrip() not in dropped]
    while expected and not expected[0]:
        expected.pop(0)
    while expected and not expected[-1]:
        expected.pop()
    assert cleaned.splitlines() == expected
    assert clean(cleaned, fixture.spec) == cleaned
    assert cleaned.endswith("\n") and not cleaned.endswith("\n\n")


@pytest.mark.parametrize("fixture", CONFIG_FIXTURES, ids=IDS)
def test_paged_crlf_capture_cleans_to_the_same_text(fixture: ConfigFixture) -> None:
    paged = with_paging(fixture.text, PAGING[fixture.platform])
    assert "\x1b" in paged or "\x08" in paged
    assert clean(paged, fixture.spec) == clean(fixture.text, fixture.spec)


def test_more_prompt_left_without_its_erase_is_removed() -> None:
    spec = load_spec("vrp")
    text = "sysname a\n  ---- More ----\n#\nvlan 10\n  ---- More ----\x1b[0m\nreturn\n"
    assert clean(text, spec) == "sysname a\n#\nvlan 10\nreturn\n"
    ios = load_spec("ios")
    assert clean("hostname r1\n --More-- \nend\n", ios) == "hostname r1\nend\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\r\n", "a\nb\n"),
        ("a\rb\r", "a\nb\n"),  # CR-only line endings
        ("a\r\r\nb", "a\nb\n"),  # CR CR LF from some SSH stacks
        ("a  \t\nb   \n\n\n", "a\nb\n"),  # trailing whitespace and blank lines
        ("\n\n a\n", " a\n"),  # leading blank lines go, indentation stays
        ("\x1b[0ma\x1b[?25h\nb\n", "a\nb\n"),  # stray escape sequences
        ("", ""),
    ],
)
def test_clean_output_normalises_endings_and_terminal_noise(raw: str, expected: str) -> None:
    assert clean_output(raw) == expected


def test_clean_output_keeps_volatile_lines() -> None:
    text = "!Last configuration was saved at 2026-11-26 10:12:01+08:00\r\n#\r\nreturn\r\n"
    assert clean_output(text, load_spec("vrp")) == text.replace("\r\n", "\n")
    assert clean(text, load_spec("vrp")) == "#\nreturn\n"


def test_comware_leading_blank_line_is_normalised() -> None:
    spec = load_spec("comware")
    assert clean("\r\n#\r\n version 5.20.99, Release 2221P20\r\n#\r\nreturn\r\n", spec) == (
        "#\n version 5.20.99, Release 2221P20\n#\nreturn\n"
    )


@pytest.mark.parametrize(
    ("platform", "first", "kept"),
    [
        ("comware", "<core-1>display current-configuration", False),
        ("comware", "<core-1>dis cur", False),
        ("vrp", "[~HUAWEI]display current-configuration", False),
        ("vrp", "<dorm-01>display saved-configuration", False),
        ("ios", "rlab-1#show running-config", False),
        ("ios", "rlab-1#sh run", False),
        ("ios", "rlab-1#configure terminal", True),  # not a command of the spec: not an echo
        ("comware", "#", True),
    ],
)
def test_command_echo_is_removed_only_when_it_is_one(platform: str, first: str, kept: bool) -> None:
    spec = load_spec(platform)
    trailer = "end" if platform == "ios" else "return"
    text = f"{first}\nsysname x\n{trailer}\n{'rlab-1#' if platform == 'ios' else '<core-1>'}\n"
    cleaned = clean(text, spec)
    assert cleaned.startswith(first + "\n") is kept
    assert cleaned.endswith(f"{trailer}\n")


@pytest.mark.parametrize(
    ("platform", "line"),
    [
        ("comware", " version 7.1.070, Release 7585P05"),
        ("vrp", "!Software Version V200R019C10SPC500"),
        ("ios", "version 15.2"),
        ("ios", "ntp server 10.0.0.1 key 1"),
    ],
)
def test_version_lines_are_not_volatile(platform: str, line: str) -> None:
    assert clean(line + "\n", load_spec(platform)) == line + "\n"


@pytest.mark.parametrize(
    ("platform", "line"),
    [
        ("ios", "Building configuration..."),
        ("ios", "Current configuration : 1234 bytes"),
        ("ios", "! Last configuration change at 10:12:01 CST Thu Nov 26 2026 by netkb"),
        ("ios", "! NVRAM config last updated at 09:00:02 CST Thu Nov 26 2026"),
        ("ios", "! No configuration change since last restart"),
        ("ios", "ntp clock-period 17179869"),
        ("ios", "Using 4421 out of 524288 bytes"),
        ("vrp", "!Last configuration was updated at 2026-11-26 10:12:01+08:00"),
        ("vrp", "!Last configuration was saved at 2026-11-26 10:12:01+08:00 by admin"),
    ],
)
def test_volatile_lines_are_dropped(platform: str, line: str) -> None:
    assert clean(f"{line}\nhostname a\n", load_spec(platform)) == "hostname a\n"


def test_volatile_rewrite_rules_apply_their_replacement() -> None:
    spec = dataclasses.replace(
        load_spec("ios"),
        volatile=(VolatileRule(re.compile(r"(?<=uptime )\d+", re.MULTILINE), "N", "a counter"),),
    )
    assert clean("hostname a\n! uptime 1234\n", spec) == "hostname a\n! uptime N\n"


@pytest.mark.parametrize("platform", ["comware", "vrp", "ios"])
def test_chinese_and_hostile_text_pass_untouched(platform: str) -> None:
    lines = [" description 图书馆二层 <script>alert('x')</script>", " description `rm -rf /` | tee; $(id)"]
    text = "\n".join(lines) + "\n"
    assert clean(text, load_spec(platform)) == text
    assert clean_output(text) == text
