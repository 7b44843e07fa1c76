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
        ("comware.boot", " Startup saved-configuration file: flash:/startup.cfg\n"),
        ("rgos.files", "Directory of flash:/\n\n 3 -rwx 4785 Jun 28 2023 11:00:00 config.text\n"),
        ("comware.licences", "Total: 50 Usage: 7\n"),
        ("vrp.licences", " Device ESN is: 2102351931P0C3000154\n"),
        ("ios.licences", "Smart Licensing is ENABLED\n\nRegistration:\n  Status: REGISTERED\n"),
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


def test_a_member_left_on_other_images_is_recorded() -> None:
    """An IRF member whose next-boot images differ from the master's shows in `slots`."""
    text = (REAL / "comware/display_boot-loader/h3c_manual_irf3.txt").read_text()
    slots = get_parser("comware.boot")(text)["slots"]
    assert [s["slot"] for s in slots] == ["slot 1", "slot 101", "slot 105"]
    assert slots[1]["next"] != slots[1]["current"]


def test_a_licence_counting_its_days_down_is_not_a_change() -> None:
    text = (REAL / "comware/display_license/h3c_manual_license_c7.txt").read_text()
    later = text.replace("Time Left (days): 249", "Time Left (days): 248")
    assert get_parser("comware.licences")(later) == get_parser("comware.licences")(text)
    vrp = (REAL / "vrp/display_license_verbose/ntc_license_verbose.txt").read_text()
    used = vrp.replace("Used value        : 0", "Used value        : 7", 1).replace(
        "trial days   : 60", "trial days   : 59"
    )
    assert used != vrp
    assert get_parser("vrp.licences")(used) == get_parser("vrp.licences")(vrp)


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        ("comware.licences", "No license is installed.\n"),
        ("vrp.licences", "Info: No license is activated.\n"),
        # `show license status` on a CSR1000v without licences (xaviervalette/cisco-smart-licensing,
        # README, 'Expected output'; stored code index id 4398888001), its licence lines.
        (
            "ios.licences",
            "Smart Licensing is ENABLED\n\nLicense Authorization: \n  Status: No Licenses in Use\n",
        ),
    ],
)
def test_a_box_saying_it_has_no_licence_has_none(parser: str, text: str) -> None:
    assert get_parser(parser)(text) == []


def test_smart_licensing_blocks_are_read() -> None:
    """The per-licence blocks IOS-XE prints in `show license` / `show license usage` (the first
    block of CiscoTestAutomation/genieparser@366d83b9…:src/genie/libs/parser/iosxe/tests/
    ShowLicenseUsage/cli/equal/golden_output1_output.txt, a C9300 stack)."""
    text = (
        "License Authorization:\n  Status: Not Applicable\n\n"
        "network-advantage (C9300-24 Network Advantage):\n"
        "  Description: C9300-24 Network Advantage\n  Count: 2\n  Version: 1.0\n  Status: IN USE\n"
        "  Export status: NOT RESTRICTED\n  Feature Name: network-advantage\n"
        "  Feature Description: C9300-24 Network Advantage\n  Enforcement type: NOT ENFORCED\n"
        "  License type: Perpetual\n"
    )
    assert get_parser("ios.licences")(text) == [
        {
            "name": "network-advantage",
            "type": "Perpetual",
            "state": "IN USE",
            "tag": "C9300-24 Network Advantage",
            "count": 2,
        }
    ]


def test_an_rgos_listing_with_rows_it_cannot_read_is_a_parse_error() -> None:
    """RGOS counts its files: a row in a layout the parser does not know is not silently dropped."""
    text = (Path(__file__).parent / "fixtures/parsers/rgos/files/lab_rg_n18007/input.txt").read_text()
    assert get_parser("rgos.files")(text)
    odd = text.replace("2023-06-28 11:00:00 rgos.bin", "Jun 28 2023 11:00 rgos.bin")
    with pytest.raises(ParseError, match="2 files counted, 1 file rows read"):
        get_parser("rgos.files")(odd)


def test_smart_licence_names_may_hold_spaces() -> None:
    """IOS-XE 16 names a licence by its display name in `show license summary` (`C9300 48P DNA
    Advantage`); every row is read, none is cut at its first space."""
    text = (
        "Smart Licensing is ENABLED\n\nLicense Usage:\n"
        "  License                 Entitlement tag               Count Status\n  " + "-" * 77 + "\n"
        "  C9300 48P DNA Advantage (C9300-48 DNA Advantage)          1 AUTHORIZED\n"
    )
    assert get_parser("ios.licences")(text) == [
        {
            "name": "C9300 48P DNA Advantage",
            "type": None,
            "state": "AUTHORIZED",
            "tag": "C9300-48 DNA Advantage",
            "count": 1,
        }
    ]
