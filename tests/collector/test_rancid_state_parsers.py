"""What RANCID records beside the config, as state (collector/parsers/rancid_state.py): only the
durable parts, and a wrong answer is never an empty healthy one. Real captures: tests/real/*/."""

from __future__ import annotations

from pathlib import Path

import pytest

from netkb.collector.parsers import ParseError, get_parser

REAL = Path(__file__).parents[1] / "real"


def test_a_listing_read_another_night_is_the_same_state() -> None:
    """Free bytes, dates and index numbers change; the state does not."""
    text = (REAL / "vrp/dir/ntc_dir.txt").read_text()
    later = (
        text.replace("801,664 KB free", "790,112 KB free")
        .replace("Nov 11 2019 20:01:07", "Dec 01 2019 03:00:00")
        .replace("    8  -rw-", "   12  -rw-")
    )
    assert get_parser("vrp.files")(later) == get_parser("vrp.files")(text)


def test_a_changed_image_is_a_change() -> None:
    text = (REAL / "vrp/dir/ntc_dir.txt").read_text()
    files = get_parser("vrp.files")
    assert files(text.replace("572,847,476", "572,847,477")) != files(text)


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        ("ios.files", "% Invalid input detected at '^' marker.\n"),
        ("vrp.files", "Error: Unrecognized command found at '^' position.\n"),
        ("ios.boot", "Config file : flash:/config.text\n"),
        ("ios.vtp", "VTP Domain Name : x\n"),
        ("ios.licences", "% License not present\n"),
        ("vrp.boot", "MainBoard:\n  Startup paf file: default\n"),
        ("comware.startup", " Next main startup saved-configuration file: flash:/startup.cfg\n"),
    ],
)
def test_another_shape_is_a_parse_error(parser: str, text: str) -> None:
    with pytest.raises(ParseError):
        get_parser(parser)(text)


def test_an_evaluation_licence_counting_down_is_not_a_change() -> None:
    text = (REAL / "ios/show_license/ntc_license.txt").read_text()
    later = text.replace("Period Used: 0  minute  0  second", "Period Used: 3  days  2  hours", 1)
    assert later != text
    assert get_parser("ios.licences")(later) == get_parser("ios.licences")(text)
