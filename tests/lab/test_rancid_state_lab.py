"""The lab answers what RANCID records beside the config (lab/rancid_state.py): every such spec
command, on every lab device, gives an output the collector's parser reads, or the vendor's refusal
where the spec marks the command optional (a box without licensing)."""

from __future__ import annotations

from typing import Any

import pytest

from netkb.collector.parsers import get_parser
from netkb.lab.platforms import cli_for
from netkb.lab.platforms.base import Ctx, Session
from netkb.lab.topology import build_network
from netkb.spec import load_spec

TOPICS = {"files", "boot", "startup", "licences", "vtp"}
NET = build_network()


def _answer(name: str, command: str) -> str:
    dev = NET.devices[name]
    cli, ctx = cli_for(dev), Ctx(NET, dev, Session())
    if dev.enable_password:
        cli.execute(ctx, "enable")
        cli.execute(ctx, dev.enable_password)
    return cli.execute(ctx, command).text.replace("\r\n", "\n")


def _cases() -> list[tuple[str, str]]:
    return [
        (name, command.command)
        for name, dev in NET.devices.items()
        for command in load_spec(str(dev.platform)).commands
        if TOPICS & set(command.state)
    ]


def _state(name: str, command_text: str) -> dict[str, Any] | None:
    """The topics the collector records from the lab's answer; None where the device refused."""
    spec = load_spec(str(NET.devices[name].platform))
    command = next(c for c in spec.commands if c.command == command_text)
    for text in (command.command, *command.alternatives):
        out = _answer(name, text)
        if not any(marker in out for marker in spec.errors):
            return {topic: get_parser(parser)(out) for topic, parser in command.state.items()}
    assert command.optional, f"{name}: {command_text!r} refused, and the spec needs it"
    return None


@pytest.mark.parametrize(("name", "command"), _cases(), ids=lambda v: str(v))
def test_the_lab_answers_what_rancid_records(name: str, command: str) -> None:
    _state(name, command)


def test_boot_images_follow_the_software() -> None:
    """Comware: the images this boot used are the ones the version names (R7585P05 → r7585p05)."""
    core = NET.devices["core-1"]
    boot = _state("core-1", "display boot-loader")
    assert boot is not None
    release = core.software.rsplit("Release ", 1)[-1].lower()
    assert all(release in image for image in boot["boot"]["current"])
    assert boot["boot"]["next"] == boot["boot"]["current"]


def test_licences_where_the_box_has_them() -> None:
    """The wireless-controller core's AP licence, the Smart Licensing Catalyst (its `show license`
    is incomplete, `show license summary` answers), and none where licensing is refused."""
    assert _state("core-1", "display license") == {
        "licences": [
            {
                "name": "AP",
                "type": "Permanent",
                "state": "In use",
                "description": "H3C S7500E Access Point License(128 APs)",
            }
        ]
    }
    assert _state("core-2", "display license") is None
    smart = _state("rlab-1", "show license")
    assert smart is not None
    assert [row["name"] for row in smart["licences"]] == ["network-advantage", "dna-advantage"]
    assert _state("dorm-01", "display license verbose") is not None
