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
