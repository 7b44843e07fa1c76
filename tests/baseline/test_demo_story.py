"""The demo's baseline story, checked without replaying it: dorm-01 fails the remote-syslog rule
until the scenario's change of 2026-11-12 sends its log to the audit server, made through the lab
device's own configuration mode, and a planned change record covers that change."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from netkb.baseline.engine import evaluate
from netkb.baseline.model import Verdict
from netkb.inventory import load_inventory
from netkb.lab.inventory import write_lab_files
from netkb.lab.platforms import cli_for, vrp_config
from netkb.lab.platforms.base import Ctx, Session
from netkb.lab.scenario import load_scenario
from netkb.lab.topology import DEFAULT_DEVICES, build_network
from netkb.records.change_matching import ConfigCommit, judge
from netkb.records.change_matching import Verdict as ChangeVerdict
from netkb.records.planned_changes import load_planned_changes

ROOT = Path(__file__).resolve().parents[2]
DEVICE = "dorm-01"


def _syslog(config: str) -> Verdict:
    results = evaluate("vrp", config.replace("\r\n", "\n"), {})
    return next(r.verdict for r in results if r.rule == "remote-syslog")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    net = build_network(DEFAULT_DEVICES, seed=0)
    for index, dev in enumerate(net.devices.values()):
        dev.port = 16000 + index
    inventory = write_lab_files(net, tmp_path_factory.mktemp("inventory"), "# demo inventory\n")
    scenario = load_scenario(ROOT / "lab/scenarios/campus.yaml", load_inventory(inventory))
    events = [e for e in scenario.events if e.device == DEVICE and e.config]
    return net, scenario, events


def test_the_scenario_fixes_dorm_01_remote_syslog_through_config_mode(story) -> None:  # type: ignore[no-untyped-def]
    net, _, events = story
    assert len(events) == 1 and events[0].at.date() == dt.date(2026, 11, 12)
    dev = net.devices[DEVICE]
    assert _syslog(vrp_config.running_config(dev, random.Random(0))) is Verdict.FAIL
    cli, ctx = cli_for(dev), Ctx(net, dev, Session())
    for line in ["system-view", *(events[0].config or []), "return"]:
        reply = cli.execute(ctx, line)
        assert "Error" not in reply.text, (line, reply.text)
    assert _syslog(vrp_config.running_config(dev, random.Random(0))) is Verdict.PASS


def test_a_planned_change_record_covers_the_fix(story) -> None:  # type: ignore[no-untyped-def]
    _, scenario, events = story
    records, problems = load_planned_changes(ROOT / "demo" / "change-requests", frozenset({DEVICE}))
    assert not [p for p in problems if "2026-11-12" in p]
    made = scenario.local(events[0].at)
    found = made.replace(hour=2, minute=0) + dt.timedelta(days=1)  # the 02:00 collect after it
    commit = ConfigCommit(DEVICE, "f" * 40, found, made - dt.timedelta(hours=19))
    verdict = judge(commit, records, 24)
    assert verdict.verdict is ChangeVerdict.COVERED and verdict.records == ("CHG-2026-051",)
