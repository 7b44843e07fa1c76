"""The inspection engine: hand-built observations per item, then the lab's rendered outputs.

Hand-built cases pin each rule (healthy -> normal, one fault -> exactly that item abnormal,
missing data -> unknown with the reason). The lab cases run the collector's own pipeline
(spec commands -> platform CLI -> build_snapshot -> Observation) so a parser, spec or lab
change that breaks a rule fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from netkb.collector.expectations import config_facts
from netkb.inspection.checklist import (
    Checklist,
    Finding,
    Kind,
    Observation,
    Thresholds,
    Verdict,
    evaluate,
    load_checklist,
)
from netkb.inventory import ConfigFileError

CHECKLIST = load_checklist()
AT = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _parts(kind: str, ids: list[str], raw: str = "Normal") -> list[dict[str, Any]]:
    key = "slot" if kind == "boards" else "id"
    return [
        {key: i, "status": "normal", "raw_status": raw} | ({"type": "LSU1SUPB0"} if key == "slot" else {})
        for i in ids
    ]


def healthy(platform: str = "comware", role: str = "core", **state_changes: Any) -> Observation:
    """A healthy device; a chassis core with IRF and a WLAN card unless changed."""
    state: dict[str, Any] = {
        "version": {"model": "S7500E", "software": "7.1.070"},
        "boards": [
            *_parts("boards", ["1/0", "1/1"], "Master"),
            {"slot": "1/5", "type": "", "status": "absent", "raw_status": "Absent"},
        ],
        "power": _parts("power", ["1/1", "1/2"]),
        "fans": _parts("fans", ["1/1"]),
        "vlans": [
            {"id": 1, "name": "default", "status": "active"},
            {"id": 10, "name": "mgmt", "status": "active"},
        ],
        "ospf": [
            {
                "router_id": "10.255.0.2",
                "address": "10.0.0.2",
                "interface": "XGE1/3/0/1",
                "state": "Full/DR",
                "area": "0.0.0.0",
            },
            {
                "router_id": "10.255.1.1",
                "address": "10.0.0.5",
                "interface": "XGE1/2/0/1",
                "state": "Full/ -",
                "area": "0.0.0.0",
            },
            {
                "router_id": "10.255.1.9",
                "address": "10.0.9.5",
                "interface": "Vlan9",
                "state": "2-Way/DROther",
                "area": "0.0.0.0",
            },
        ],
        "irf": [
            {"member": 1, "role": "Master", "priority": 32, "mac": "a"},
            {"member": 2, "role": "Standby", "priority": 1, "mac": "b"},
        ],
        "aps": [{"name": f"ap-{i}", "state": "online", "model": "WA6320", "ip": ""} for i in range(10)],
        "neighbours": [{"interface": "XGE1/2/0/1", "neighbour": "agg-lib", "neighbour_interface": "GE1/25"}],
    }
    measures: dict[str, Any] = {
        "cpu": {"five_seconds": 20, "one_minute": 15, "five_minutes": 12},
        "memory": {"used_percent": 45.0},
        "temperature": [
            {"slot": "1/0", "sensor": "hotspot 1", "celsius": 40.0, "warning": 75.0, "alarm": 85.0},
            {"slot": "1/0", "sensor": "inflow 1", "celsius": 29.0, "warning": 55.0, "alarm": None},
        ],
        "uptime": 30 * 86400,
        "ntp": {"synchronized": True, "server": "10.254.255.1", "stratum": 3},
        "clock": {"text": "10:00:00 CST Thu 11/26/2026"},
        "config_saved": True,
    }
    for topic, value in state_changes.items():
        (state if topic in state else measures)[topic] = value
    expect = {"inventory_names": frozenset({"dev", "agg-lib"})}  # the inventory, as collect passes it
    return Observation("dev", platform, role, "S7500E", state, measures, [], [], AT, expect)


def verdicts(current: Observation, previous: Observation | None = None, **limits: Any) -> dict[str, Finding]:
    return {f.item_id: f for f in evaluate(current, previous, CHECKLIST, Thresholds(**limits))}


def abnormal(findings: dict[str, Finding]) -> set[str]:
    return {i for i, f in findings.items() if f.verdict is Verdict.ABNORMAL}


# --- hand-built observations ---------------------------------------------------------------


def test_healthy_core_is_normal_on_every_automatic_item() -> None:
    found = verdicts(healthy())
    assert set(found) == {i.id for i in CHECKLIST.of_kind(Kind.AUTO)}
    assert {i: f.verdict for i, f in found.items() if f.verdict is not Verdict.NORMAL} == {}
    assert found["boards"].detail == "2 boards normal, 1 absent (1/5)"
    assert found["ospf"].detail == "3 neighbours settled (2 Full, 1 2-Way between DROthers)"
    assert all(f.suggestion == "" for f in found.values())


@pytest.mark.parametrize(
    ("platform", "role", "expected_missing"),
    [
        ("comware", "access", {"ospf"}),  # OSPF is checked on core, aggregation and firewalls
        ("vrp", "aggregation", {"irf"}),  # IRF is Comware's
        ("ios", "firewall", {"irf"}),
    ],
)
def test_items_apply_per_platform_and_role(platform: str, role: str, expected_missing: set[str]) -> None:
    found = verdicts(healthy(platform, role))
    assert {i.id for i in CHECKLIST.of_kind(Kind.AUTO)} - set(found) == expected_missing


def test_optional_data_items_apply_only_where_the_device_reports_them() -> None:
    current = healthy()
    del current.state["irf"], current.state["aps"]  # optional commands the device lacks
    assert {"irf", "aps"}.isdisjoint(verdicts(current))
    # ... but a controller that reported APs last time and not now is not silently dropped.
    found = verdicts(current, healthy())
    assert found["aps"].verdict is Verdict.UNKNOWN and found["aps"].detail == "no aps data in this run"


def _set(path: str, value: Any) -> Callable[[Observation], None]:
    """Change one field of a healthy observation: "fans.0.status" -> state['fans'][0]['status']."""

    def change(obs: Observation) -> None:
        topic, *rest = path.split(".")
        target: Any = obs.state if topic in obs.state else obs.measures
        keys: list[Any] = [topic, *(int(k) if k.isdigit() else k for k in rest)]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


def _log(severity: int, module: str = "IFNET", mnemonic: str = "PHY_UPDOWN") -> Callable[[Observation], None]:
    entry = {
        "time": "Nov 26 10:00:00 2026",
        "severity": severity,
        "module": module,
        "mnemonic": mnemonic,
        "text": "x",
    }
    return lambda obs: obs.new_logs.append(entry)


ABNORMAL_CASES = [
    ("power", [_set("power.0.status", "fault"), _set("power.0.raw_status", "Fault")], "power 1/1: Fault"),
    ("fans", [_set("fans.0.status", "fault"), _set("fans.0.raw_status", "Fault")], "fan 1/1: Fault"),
    (
        "boards",
        [_set("boards.1.status", "fault"), _set("boards.1.raw_status", "Fault")],
        "slot 1/1 (LSU1SUPB0): Fault",
    ),
    ("temperature", [_set("temperature.1.celsius", 55.0)], "slot 1/0 inflow 1: 55 °C ≥ warning 55 °C"),
    ("cpu", [_set("cpu.five_minutes", 85)], "CPU 5-min 85% ≥ 80%"),
    ("cpu", [_set("cpu.one_minute", 97)], "CPU 1-min 97% ≥ 80%"),
    ("memory", [_set("memory.used_percent", 91.5)], "memory used 91.5% ≥ 80%"),
    ("ospf", [_set("ospf.1.state", "Init")], "not Full: 10.255.1.1 on XGE1/2/0/1: Init"),
    ("vlans", [_set("vlans.1.status", "suspend")], "VLAN 10 (mgmt): suspend"),
    (
        "config_saved",
        [_set("config_saved", False)],
        "running configuration differs from the saved configuration",
    ),
    (
        "logs",
        [_log(6, "SHELL", "SHELL_LOGIN"), _log(3)],
        "1 serious entries in the log buffer (first run): IFNET/3/PHY_UPDOWN: x",
    ),
    ("ntp", [_set("ntp.synchronized", False)], "clock not synchronised"),
    ("reboot", [_set("uptime", 120)], "uptime 120 s < 3600 s: rebooted recently"),
    ("irf", [_set("irf.1.role", "Loading")], "member 2: Loading"),
    ("irf", [_set("irf.1.role", "Master")], "2 masters"),
    (
        "aps",
        [_set(f"aps.{i}.state", "offline") for i in (3, 7)],
        "8/10 APs online (80%) < 90%; offline: ap-3; ap-7",
    ),
]


@pytest.mark.parametrize(("item", "changes", "detail"), ABNORMAL_CASES, ids=[c[0] for c in ABNORMAL_CASES])
def test_each_fault_makes_exactly_its_item_abnormal(
    item: str, changes: list[Callable[..., None]], detail: str
) -> None:
    current = healthy()
    for change in changes:
        change(current)
    found = verdicts(current)
    assert abnormal(found) == {item}
    assert found[item].detail == detail
    assert found[item].suggestion == CHECKLIST.texts(item, "en").suggestion


def test_thresholds_are_settings() -> None:
    current = healthy(cpu={"five_seconds": 70, "one_minute": 65, "five_minutes": 60})
    assert abnormal(verdicts(current)) == set()
    assert abnormal(verdicts(current, cpu_percent=60)) == {"cpu"}
    with pytest.raises(ValueError, match="extra"):
        Thresholds.model_validate({"cpu_percnt": 70})


def test_log_entries_of_an_abnormal_item_are_reported_there_not_twice() -> None:
    current = healthy()
    _set("fans.0.status", "fault")(current)
    _log(2, "DEV", "FAN_FAILED")(current)
    found = verdicts(current)
    assert abnormal(found) == {"fans"}
    assert "1 reported under fans" in found["logs"].detail
    # The same entry with the fan healthy again is not explained: it counts as an error.
    assert abnormal(verdicts(dataclasses.replace(current, state=healthy().state))) == {"logs"}


def test_lost_since_the_previous_run() -> None:
    previous = healthy()
    current = healthy()
    del current.state["ospf"][0]
    del current.state["irf"][1]
    del current.state["aps"][0]  # an AP that vanished from the list counts as offline
    _set("aps.1.state", "offline")(current)
    found = verdicts(current, previous)
    assert abnormal(found) == {"ospf", "irf", "aps"}
    assert found["ospf"].detail == "lost since the previous run: 10.255.0.2 on XGE1/3/0/1"
    assert found["irf"].detail == "lost since the previous run: member 2"
    assert found["aps"].detail == "8/10 APs online (80%) < 90%; offline: ap-2; ap-0"


@pytest.mark.parametrize(
    ("previous_uptime", "hours_later", "uptime", "verdict"),
    [
        (30 * 86400, 24, 31 * 86400, Verdict.NORMAL),
        (30 * 86400, 24, 31 * 86400 - 600, Verdict.NORMAL),  # minutes of rounding and reading order
        (30 * 86400, 24, 5 * 3600, Verdict.ABNORMAL),  # rebooted 5 hours ago, between the runs
        (120, 0.5, 120 + 1800, Verdict.NORMAL),  # the reboot the previous run reported, not again
    ],
)
def test_reboot_is_a_break_in_uptime_since_the_previous_run(
    previous_uptime: int, hours_later: float, uptime: int, verdict: Verdict
) -> None:
    previous = healthy(uptime=previous_uptime)
    current = dataclasses.replace(healthy(uptime=uptime), at=AT + dt.timedelta(hours=hours_later))
    found = verdicts(current, previous)["reboot"]
    assert found.verdict is verdict, found.detail
    if verdict is Verdict.ABNORMAL:
        assert found.detail == (
            "uptime 5 h 0 min, expected about 31 d 0 h 0 min after the previous run at 2026-11-26 10:00: "
            "rebooted since"
        )


def test_missing_topic_is_unknown_with_the_reason() -> None:
    current = healthy()
    del current.state["fans"]
    found = verdicts(current)
    assert found["fans"].verdict is Verdict.UNKNOWN
    assert found["fans"].detail == "no fans data in this run"
    assert found["fans"].suggestion == CHECKLIST.unknown_suggestion.en


def test_unparsed_output_is_unknown_with_the_parse_problem() -> None:
    problem = "'display fan' (fans): a fan table header not found"
    current = dataclasses.replace(
        healthy(), problems=[problem, "'display logbuffer' (log): header not found"]
    )
    found = verdicts(current)
    assert (
        found["fans"].verdict is Verdict.UNKNOWN and found["fans"].detail == f"could not read fans: {problem}"
    )
    assert found["logs"].verdict is Verdict.UNKNOWN  # log errors cannot be ruled out
    assert abnormal(found) == set()


@pytest.mark.parametrize(
    ("topic", "value", "detail"),
    [
        (
            "fans",
            [{"id": "1", "status": "unknown", "raw_status": "Spinning"}],
            "fans listed, none with a health status",
        ),
        (
            "boards",
            [{"slot": "1", "type": "C3850", "status": "unknown", "raw_status": ""}],
            "shows what is installed",
        ),
        (
            "temperature",
            [{"slot": "1", "sensor": "x", "celsius": 40.0, "warning": None, "alarm": None}],
            "no limit",
        ),
        ("cpu", {"five_seconds": 5, "one_minute": None, "five_minutes": 4}, "CPU 1-min not reported"),
        ("vlans", [{"id": 5, "name": "x", "status": "weird"}], "VLAN state not understood"),
        ("ntp", {"synchronized": "yes"}, "synchronized is 'yes'"),
        ("power", [{"id": "1"}], "data not in the expected shape"),  # never a crash
        ("ospf", "garbage", "data not in the expected shape"),
    ],
)
def test_data_that_cannot_be_judged_is_unknown(topic: str, value: Any, detail: str) -> None:
    item = {"temperature": "temperature", "ntp": "ntp"}.get(topic, topic)
    found = verdicts(healthy(**{topic: value}))
    assert found[item].verdict is Verdict.UNKNOWN
    assert detail in found[item].detail


def test_faults_win_over_unreadable_entries() -> None:
    fans = [
        {"id": "1", "status": "unknown", "raw_status": "?"},
        {"id": "2", "status": "fault", "raw_status": "Fault"},
    ]
    assert verdicts(healthy(fans=fans))["fans"].verdict is Verdict.ABNORMAL


# --- the checklist file ---------------------------------------------------------------------


def test_packaged_checklist_has_the_contract_items() -> None:
    ids = {i.id for i in CHECKLIST.items}
    assert {"power", "fans", "boards", "temperature", "cpu", "memory", "ospf", "vlans", "config_saved"} <= ids
    assert {"logs", "ntp", "reboot", "irf", "aps"} <= ids
    onsite = {i.id for i in CHECKLIST.of_kind(Kind.ONSITE)}
    assert {"indicator_lights", "dust_screen", "grounding", "room_environment", "cable_labels"} <= onsite
    texts = CHECKLIST.texts("cpu", "zh", Thresholds(cpu_percent=70))
    assert texts.item == "CPU 利用率" and "70" in texts.standard
    assert CHECKLIST.commands("fans", "ios") == ["show environment all"]
    assert CHECKLIST.commands("logs", "vrp") == ["display logbuffer"]


def _checklist_file(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load(
        (Path(__file__).parents[2] / "netkb" / "inspection" / "checklist.yaml").read_text(encoding="utf-8")
    )
    change(data)
    path = tmp_path / "checklist.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][0].update(chek="x"), "items.0.chek: unknown key"),
        (lambda d: d["items"][0].update(check="fan_ok"), "items[0].check: unknown check 'fan_ok'"),
        (lambda d: d["items"][0].update(inputs=["fan"]), "items[0]: 'fan' is no state topic or measure"),
        (lambda d: d["items"][4].update(thresholds=["cpu"]), "items[4].thresholds: 'cpu' is not one of"),
        (lambda d: d["items"][4].update(thresholds=[]), "items[4].standard.zh: {cpu_percent} is not in"),
        (lambda d: d["items"][1].update(id="power"), "items[1].id: 'power' is used twice"),
        (lambda d: d["items"][0].update(applies={"platforms": ["junos"]}), "items.0.applies.platforms.0"),
    ],
)
def test_checklist_errors_name_the_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    path = _checklist_file(tmp_path, change)
    with pytest.raises(ConfigFileError) as raised:
        load_checklist(path)
    assert any(message in line for line in raised.value.problems), raised.value.problems
    assert all(line.startswith(str(path)) for line in raised.value.problems)


def test_checklist_is_reusable(tmp_path: Path) -> None:
    assert isinstance(load_checklist(_checklist_file(tmp_path, lambda d: None)), Checklist)


# --- the lab: real outputs through the collector's pipeline ---------------------------------

from netkb.collector.fetch import Fetched  # noqa: E402
from netkb.collector.snapshot import build_snapshot, entry_id, new_log_entries  # noqa: E402
from netkb.lab import faults  # noqa: E402
from netkb.lab import topology as lab_topology  # noqa: E402
from netkb.lab.model import Fault  # noqa: E402
from netkb.lab.platforms import cli_for  # noqa: E402
from netkb.lab.platforms.base import Ctx, Mode, Session  # noqa: E402
from netkb.spec import load_spec  # noqa: E402


class LabRuns:
    """Successive collects of a lab network: previous observation and log cursor per device."""

    def __init__(self) -> None:
        self.net = lab_topology.build_network()
        self.previous: dict[str, Observation] = {}
        self.cursor: dict[str, str | None] = {}

    def observe(self, name: str) -> Observation:
        dev = self.net.devices[name]
        spec = load_spec(dev.platform.value)
        session = Session(
            mode=Mode.ENABLE if load_spec(dev.platform.value).enable else Mode.USER, paging=False
        )
        outputs, unsupported = {}, []
        for command in spec.commands:
            text = cli_for(dev).execute(Ctx(self.net, dev, session), command.command).text
            if command.optional and any(error in text for error in spec.errors):
                unsupported.append(command.command)  # what fetch() does with an optional command
            else:
                outputs[command.command] = text
        snap = build_snapshot(spec, Fetched(outputs, unsupported), b"test-key")
        new_logs = new_log_entries(snap.logs, self.cursor.get(name))
        self.cursor[name] = entry_id(snap.logs[-1]) if snap.logs else self.cursor.get(name)
        state = {topic: yaml.safe_load(text) for topic, text in snap.state.items()}
        now = dt.datetime.now().astimezone()
        expect = config_facts(dev.platform.value, snap.config)  # what collect passes too
        expect["inventory_names"] = frozenset(self.net.devices)  # and the inventory's names
        return Observation(
            name,
            dev.platform.value,
            dev.role,
            dev.model,
            state,
            snap.measures,
            new_logs,
            snap.problems,
            now,
            expect,
        )

    def run(self, names: list[str] | None = None) -> dict[str, dict[str, Finding]]:
        results = {}
        for name in names or list(self.net.devices):
            current = self.observe(name)
            found = evaluate(current, self.previous.get(name), CHECKLIST, Thresholds())
            results[name] = {f.item_id: f for f in found}
            self.previous[name] = current
        return results

    def not_normal(self, results: dict[str, dict[str, Finding]]) -> dict[str, dict[str, str]]:
        return {
            name: bad
            for name, found in results.items()
            if (
                bad := {
                    i: f"{f.verdict}: {f.detail}" for i, f in found.items() if f.verdict is not Verdict.NORMAL
                }
            )
        }


def test_healthy_lab_is_normal_on_every_device_and_item() -> None:
    lab = LabRuns()
    first = lab.run()
    assert lab.not_normal(first) == {}
    assert lab.not_normal(lab.run()) == {}  # and again with the previous run to compare with
    assert "aps" in first["core-1"] and "irf" in first["core-1"]  # the controller card, IRF
    assert "irf" not in first["acc-admin-01"]  # Comware 5 box without IRF
    assert "ospf" not in first["dorm-01"]  # access switches run no OSPF


# One device per platform variant: Comware 7 chassis, Comware 5 box, VRP, IOS-XE 3850.
VARIANTS = ["core-1", "acc-admin-01", "dorm-01", "rlab-1"]
FAULT_ITEMS = {
    Fault.FAN: ("fans", VARIANTS),
    Fault.POWER: ("power", VARIANTS),
    Fault.BOARD: ("boards", VARIANTS),
    Fault.TEMPERATURE: ("temperature", VARIANTS),
    Fault.CPU: ("cpu", VARIANTS),
    Fault.OSPF_DOWN: ("ospf", ["core-1", "agg-lib", "fw-1"]),
    Fault.LOG_ERRORS: ("logs", VARIANTS),
    Fault.REBOOT: ("reboot", VARIANTS),
    Fault.UNSAVED: ("config_saved", ["core-1", "acc-lib-01", "acc-admin-01", "dorm-01", "rlab-1"]),
}
FAULT_CASES = [
    pytest.param(fault, item, name, id=f"{fault.value}-{name}")
    for fault, (item, names) in FAULT_ITEMS.items()
    for name in names
]


@pytest.mark.parametrize(("fault", "item", "name"), FAULT_CASES)
def test_lab_fault_makes_exactly_its_item_abnormal(fault: Fault, item: str, name: str) -> None:
    lab = LabRuns()
    lab.run([name])
    faults.inject(lab.net, lab.net.devices[name], fault)
    found = lab.run([name])
    assert lab.not_normal(found) == {name: {item: f"abnormal: {found[name][item].detail}"}}
    faults.clear(lab.net, lab.net.devices[name], fault)
    assert lab.not_normal(lab.run([name])) == {}  # the next run after clearing


def test_lab_faults_show_on_exactly_their_devices() -> None:
    lab = LabRuns()
    lab.run()
    placed = {
        Fault.FAN: "acc-admin-01",
        Fault.POWER: "dorm-01",
        Fault.BOARD: "core-2",
        Fault.TEMPERATURE: "rlab-1",
        Fault.CPU: "agg-lib",
        Fault.OSPF_DOWN: "fw-1",
        Fault.LOG_ERRORS: "acc-lib-01",
        Fault.REBOOT: "agg-teach",
        Fault.UNSAVED: "acc-teach-01",
    }
    for fault, name in placed.items():
        faults.inject(lab.net, lab.net.devices[name], fault)
    (pair,) = lab.net.broken_adjacencies
    peer = next(device for device, _ in pair if device != "fw-1")  # loses the adjacency too
    bad = {name: set(items) for name, items in lab.not_normal(lab.run()).items()}
    expected = {name: {FAULT_ITEMS[fault][0]} for fault, name in placed.items()}
    assert bad == expected | {peer: {"ospf"}}
    assert "fan 1/1: Fault" in lab.run(["acc-admin-01"])["acc-admin-01"]["fans"].detail
    for fault, name in placed.items():
        faults.clear(lab.net, lab.net.devices[name], fault)
    assert lab.not_normal(lab.run()) == {}


def test_ios_saved_config_matches_despite_its_own_header_comments() -> None:
    found = LabRuns().run(["rlab-1"])["rlab-1"]
    assert found["config_saved"].verdict is Verdict.NORMAL


def test_vrp_new_log_errors_after_older_entries_are_found() -> None:
    # VRP prints its log buffer newest first; the parser must hand it over oldest first.
    lab = LabRuns()
    dev = lab.net.devices["dorm-01"]
    dev.log("SHELL", 6, "LOGIN", "User netkb logged in.")  # a real buffer is never empty
    lab.run(["dorm-01"])
    faults.inject(lab.net, dev, Fault.LOG_ERRORS)
    assert lab.run(["dorm-01"])["dorm-01"]["logs"].verdict is Verdict.ABNORMAL


def test_ios_boards_come_with_health() -> None:
    found = LabRuns().run(["rlab-2"])["rlab-2"]
    assert found["boards"].verdict is Verdict.NORMAL, found["boards"].detail
