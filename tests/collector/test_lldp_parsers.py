"""Why Comware's LLDP list has a parser of its own, and what every LLDP parser refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from netkb.collector.parsers import ParseError, get_parser
from netkb.collector.parsers.common import textfsm_ntc

WRAPPED = Path(__file__).parents[1] / "real/comware/display_lldp_neighbor-information_list/ntc_list2.txt"


def test_ntc_template_cuts_a_wrapped_system_name_and_netkb_joins_it() -> None:
    text = WRAPPED.read_text(encoding="utf-8")
    ntc = textfsm_ntc("hp_comware", "display lldp neighbor-information list", text)
    assert ntc[0]["neighbor_name"] == "SEP0000000000A0.exam"  # `ple.com` on the next line is dropped
    ours = get_parser("comware.neighbours")(text)
    assert ours[0]["neighbour"] == "SEP0000000000A0.example.com"  # type: ignore[index]


@pytest.mark.parametrize(
    "parser", ["comware.neighbours", "vrp.neighbours", "ios.neighbours", "rgos.neighbours"]
)
def test_another_table_is_a_parse_error_and_no_output_is_no_neighbour(parser: str) -> None:
    with pytest.raises(ParseError):
        get_parser(parser)(
            "Interface            Link Speed   Duplex Type PVID Description\nGE1/0/1  UP  1G  F  A  1\n"
        )
    assert get_parser(parser)("") == []


def test_ios_asks_for_cdp_where_lldp_is_off_and_a_cdp_block_it_cannot_read_is_an_error() -> None:
    from netkb.spec import load_spec

    spec = load_spec("ios")
    command = next(c for c in spec.commands if c.command == "show lldp neighbors detail")
    assert command.alternatives == ("show cdp neighbors detail",) and command.optional
    assert {"% LLDP is not enabled", "% CDP is not enabled"} <= set(spec.errors)
    parse = get_parser("ios.neighbours")
    block = "Device ID: sw-2\nPlatform: cisco WS-C2960,  Capabilities: Switch\n"
    with pytest.raises(ParseError, match="no 'Interface:' line in the block of 'sw-2'"):
        parse(block + "Holdtime : 150 sec\n")  # no local interface: not a neighbour to keep
    rows = parse(block + "Interface: Gi0/1,  Port ID (outgoing port): Port 1\n\nVersion :\nIOS\n")
    assert rows == [
        {
            "interface": "GigabitEthernet0/1",
            "neighbour": "sw-2",
            "neighbour_interface": "Port 1",
            "chassis_id": None,
        }
    ]
