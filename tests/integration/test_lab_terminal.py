"""What a person at a terminal sees: banner, prompts, echo, paging, errors, bytes on the wire."""

from __future__ import annotations

import re

import pytest

from netkb.lab.topology import build_network
from tests.conftest import RunningLab
from tests.integration.conftest import RawShell

PROMPTS = {
    "agg-lib": b"<agg-lib>",
    "acc-admin-01": b"<acc-admin-01>",
    "dorm-01": b"<dorm-01>",
    "rlab-1": b"rlab-1>",
}
UNKNOWN = {
    "agg-lib": b"% Unrecognized command found at '^' position.",
    "acc-admin-01": b"% Unrecognized command found at '^' position.",
    "dorm-01": b"Error: Unrecognized command found at '^' position.",
    "rlab-1": b"% Invalid input detected at '^' marker.",
}


@pytest.mark.parametrize("name", sorted(PROMPTS))
def test_prompt_echo_bare_enter_and_unknown_command(raw, name: str) -> None:  # type: ignore[no-untyped-def]
    shell: RawShell = raw(name)
    prompt = re.escape(PROMPTS[name])
    shell.read_until(prompt)
    shell.send("\n")
    assert shell.read_until(prompt).strip() == PROMPTS[name]  # a bare Enter: a fresh prompt
    shell.send("frobnicate now\n")
    answer = shell.read_until(prompt)
    assert answer.startswith(b"frobnicate now\r\n")  # exact echo
    assert UNKNOWN[name] in answer
    assert re.search(rb"\^", answer)


@pytest.mark.parametrize(
    ("name", "disable", "more"),
    [
        ("agg-lib", "screen-length disable", b"---- More ----"),
        ("dorm-01", "screen-length 0 temporary", b"---- More ----"),
        ("rlab-1", "terminal length 0", b" --More-- "),
    ],
)
def test_paging_until_the_vendor_command_disables_it(raw, name: str, disable: str, more: bytes) -> None:  # type: ignore[no-untyped-def]
    shell: RawShell = raw(name)
    prompt = re.escape(PROMPTS[name])
    config = "show running-config" if name.startswith("rlab") else "display current-configuration"
    shell.read_until(prompt)
    if name.startswith("rlab"):
        shell.send("enable\n")
        shell.read_until(rb"Password:")
        shell.send("Enable-ios-7!\n")
        prompt = rb"rlab-1#"
        shell.read_until(prompt)
    shell.send(config + "\n")
    shell.read_until(re.escape(more))
    shell.send(" ")
    shell.read_until(re.escape(more))  # a space shows the next page
    shell.send("q")
    shell.read_until(prompt)
    shell.send(disable + "\n")
    shell.read_until(prompt)
    shell.send(config + "\n")
    output = shell.read_until(prompt, timeout=20)
    assert more not in output
    assert output.rstrip().endswith(prompt.replace(b"\\", b""))


def test_gb18030_bytes_on_the_wire_are_what_the_model_holds(lab: RunningLab, raw) -> None:  # type: ignore[no-untyped-def]
    net = build_network(lab.size, lab.seed)  # the same seed builds the same model
    name = next(
        d for d, e in lab.devices.items() if e.get("encoding") == "gb18030" and e["platform"] == "comware"
    )
    descriptions = [
        i.description
        for i in net.devices[name].interfaces.values()
        if i.description and "<" not in i.description
    ]
    assert any(not d.isascii() for d in descriptions)
    shell: RawShell = raw(name)
    shell.read_until(rf"<{name}>")
    shell.send("screen-length disable\n")
    shell.read_until(rf"<{name}>")
    shell.send("display current-configuration\n")
    wire = shell.read_until(rb"\r\nreturn\r\n", timeout=20)
    for description in descriptions:
        assert description.encode("gb18030") in wire, description
    chinese = next(d for d in descriptions if not d.isascii())
    assert chinese.encode("utf-8") not in wire  # no UTF-8 on a GB18030 device
