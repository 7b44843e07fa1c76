"""A year of nights on the lab's campus network, as the collector would have recorded them.

The lab model (`lab.topology.build_network`) is the network; the platform CLIs of `lab/platforms/`
render what each device prints, and the collector's own functions turn that into what a collect
stores (`collector.snapshot.build_snapshot`: cleaning, redaction, parsing; `collector.inspection.
evaluate`; `collector.snapshot.entry_id`; `collector.runrecord`). Each night some devices change
(a new VLAN, a port shut or opened, a description, an OSPF cost), some see a fault (fan, power,
board, CPU, temperature, reboot, log errors, an OSPF neighbour lost) that clears nights later,
some cannot be reached, a few new switches join. Only what a night touched is re-rendered:

* a device whose config changed: its config (`collector.clean.clean`, then redacted line by line)
  and the state topics the change can move (through `build_snapshot`); its log window (the last
  logout, the change's log entries, tonight's login) is rendered and parsed;
* a device with a fault (or its neighbours, for OSPF): everything, as a first collect would;
* every other device: its measures move (CPU and memory from the lab model's own readings,
  temperatures by a degree, uptime by the time elapsed) and its inspection findings are those
  of its last evaluation; its new log entries are the logout and login of the collector's own
  sessions, fingerprinted without rendering. These shortcuts keep a year of a thousand devices
  to a few minutes; the configs, state files, commits and sections are exact.

The shortcuts around the collector's slow steps are in bench/synthrender.py.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from bench.synthrecord import Commit, Night
from bench.synthrender import REDACTION_KEY, config_path, host_key_line, redact_lines, sections_changed
from netkb.collector.clean import clean
from netkb.collector.fetch import Fetched, _is_error
from netkb.collector.parsers import get_parser
from netkb.collector.runrecord import DeviceResult, Outcome
from netkb.collector.snapshot import build_snapshot, entry_id
from netkb.inspection.checklist import evaluate, load_checklist
from netkb.inspection.checks import Observation, Thresholds
from netkb.lab import faults
from netkb.lab.model import Device, Fault, LogEntry, Network, Vlan
from netkb.lab.platforms import cli_for
from netkb.lab.platforms.base import Ctx, Mode, Session
from netkb.lab.topology import HOSTILE_DESCRIPTIONS, build_network
from netkb.spec import PlatformSpec, load_spec

TZ = dt.timezone(dt.timedelta(hours=8))
COLLECTOR_IP = "10.254.255.5"
RUN_SECONDS = 300.0  # a nightly collect of the whole network
FAIL_RATE = 0.002  # a device not reached on a given night
OUTAGE_RATE = 1 / 30  # a night on which some device goes down for days
FAULT_RATE = 0.002  # a device with a new hardware or protocol fault
JOIN_SHARE = 0.01  # access switches that join the network during the year
FAULTS = (
    Fault.FAN,
    Fault.POWER,
    Fault.BOARD,
    Fault.CPU,
    Fault.TEMPERATURE,
    Fault.REBOOT,
    Fault.LOG_ERRORS,
    Fault.OSPF_DOWN,
)
FAILURES = (
    "no answer within 20 s at login",
    "connection refused by {host}:22",
    "'display current-configuration': connection lost during the output",
    "SSH session failed at login: Error reading SSH protocol banner",
)
_CHECKLIST = load_checklist()
_THRESHOLDS = Thresholds()


@dataclass
class DeviceState:
    """What the collector's history knows of one device."""

    files: dict[str, bytes] = field(default_factory=dict)  # repository path -> content at the tip
    parsed: dict[str, Any] = field(default_factory=dict)  # state topic -> parsed data
    measures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    inspection: list[dict[str, str]] = field(default_factory=list)
    cleaned: str = ""  # the config before redaction, as of the last render
    log_cursor: str | None = None
    last_login: float | None = None  # epoch of the last session (its logout is tonight's first entry)
    evaluated: int = -1  # the last night its inspection was evaluated
    down_until: int = -1  # unreachable through this night
    fault_until: dict[Fault, int] = field(default_factory=dict)
    joins: int = 0  # the night of its first collect


def _session(dev: Device) -> Ctx:
    return Ctx(
        Network(), dev, Session(mode=Mode.ENABLE if load_spec(dev.platform.value).enable else Mode.USER)
    )


class Simulator:
    """The network and its history; `night()` advances one night. Picklable, to append later."""

    def __init__(self, devices: int, seed: int, start: dt.date, change_rate: float) -> None:
        self.net = build_network(devices=devices, seed=seed)
        self.rng = random.Random(f"netkb-synth:{seed}")
        self.start = dt.datetime.combine(start, dt.time(2, 0), TZ)
        self.change_rate = change_rate
        self.nights = 0
        shift = self.start.timestamp() - time.time()  # the lab's clocks start now; ours on `start`
        for dev in self.net.devices.values():
            dev.boot_time += shift
        access = [d.name for d in self.net.devices.values() if d.role == "access"]
        late = set(self.rng.sample(access, int(len(access) * JOIN_SHARE)))
        self.state = {name: DeviceState() for name in self.net.devices}
        for name in sorted(late):
            self.state[name].joins = self.rng.randint(30, 330)
        self._vlan_serial = 0

    # --- one night ----------------------------------------------------------------------

    def night(self) -> Night:
        n, rng = self.nights, self.rng
        started = self.start + dt.timedelta(days=n)
        base = started.timestamp()
        names = [name for name, st in self.state.items() if st.joins <= n]
        order = rng.sample(names, len(names))  # the order a collect finishes devices in
        at = {name: base + 5 + i * RUN_SECONDS / max(1, len(order)) for i, name in enumerate(order)}
        first = {name for name in names if self.state[name].joins == n}
        reachable = [name for name in names if name not in first]
        if n and rng.random() < OUTAGE_RATE and reachable:
            self.state[rng.choice(reachable)].down_until = n + rng.randint(2, 10)
        failed = {name for name in reachable if self.state[name].down_until >= n or rng.random() < FAIL_RATE}
        quiet = [name for name in reachable if name not in failed]
        changed = rng.sample(
            quiet, min(len(quiet), round(len(names) * self.change_rate * rng.uniform(0.6, 1.4)))
        )
        touched: dict[str, list[LogEntry]] = {name: [] for name in first}
        for name in changed:
            touched[name] = self._mutate(self.net.devices[name], base - rng.uniform(3600, 80000))
        full = set(first) | self._faults(n, quiet, base, touched)
        for name in full:
            touched.setdefault(name, [])

        night = Night(n, started, started, {}, [], {}, {}, {})
        for name in order:
            dev, st = self.net.devices[name], self.state[name]
            if name in failed:
                night.results[name] = self._failed(dev, st, n, rng)
            else:
                night.results[name] = self._collected(
                    night, dev, st, at[name], name in full, touched.get(name)
                )
        night.finished = started + dt.timedelta(seconds=RUN_SECONDS + rng.uniform(10, 60))
        self.nights += 1
        return night

    def _collected(
        self,
        night: Night,
        dev: Device,
        st: DeviceState,
        when: float,
        full: bool,
        events: list[LogEntry] | None,
    ) -> DeviceResult:
        n, rng = night.number, self.rng
        spec = load_spec(dev.platform.value)
        first = not st.files
        result = DeviceResult(dev.name, Outcome.UNCHANGED, seconds=round(rng.uniform(1.5, 9.0), 2))
        previous_parsed, previous_measures = st.parsed, st.measures
        if events is not None:
            dev.clock_skew = when - time.time()  # the lab renders "now" as the night's time
            files = self._render(dev, st, spec, full)
            logs = self._logs(dev, st, spec, events, when)
        else:
            files = st.files
            self._move_measures(dev, st, when)
            logs = None
        if logs is None:
            result.new_log_count = 1 if st.last_login is None else 2
            login = {"time": f"{when:.3f}", "severity": 5, "module": "SHELL", "mnemonic": "SHELL_LOGIN"}
            st.log_cursor = entry_id({**login, "text": f"netkb logged in from {COLLECTOR_IP}."})
        else:
            result.new_log_count = len(logs)
            result.new_logs = [e for e in logs if int(e["severity"]) <= 4]
            st.log_cursor = entry_id(logs[-1]) if logs else st.log_cursor
        st.last_login = when
        if events is not None or st.evaluated == n - 1:  # re-judged the night after too
            st.inspection = self._inspect(
                dev, st, previous_parsed, previous_measures, when, result.new_logs, first
            )
            st.evaluated = n if events is not None else st.evaluated
        result.measures, result.problems, result.unsupported = st.measures, st.problems, st.unsupported
        result.log_last_seen, result.inspection = st.log_cursor, st.inspection
        result.first_contact = first
        changed_files = {p: d for p, d in files.items() if st.files.get(p) != d}
        if changed_files:
            old_config = st.files.get(config_path(dev.name))
            new_config = files[config_path(dev.name)]
            sections = sections_changed(old_config.decode(), new_config.decode()) if old_config else []
            topics = sorted(p.rsplit("/", 1)[1].removesuffix(".yml") for p in changed_files if "/state/" in p)
            parts = sections + ([f"state {', '.join(topics)}"] if topics else [])
            message = f"{dev.name}: {', '.join(parts) if old_config else 'first snapshot'}"
            commit_at = dt.datetime.fromtimestamp(int(when + result.seconds), TZ)
            night.commits.append(Commit(dev.name, commit_at, message, changed_files))
            night.sections[dev.name], night.topics[dev.name] = sections, topics
            result.outcome, result.sections = Outcome.CHANGED, sections
            st.files = {**st.files, **files}
        if first:
            night.key_files[f"known_hosts.d/{dev.name}"] = host_key_line(dev)
        return result

    def _failed(self, dev: Device, st: DeviceState, n: int, rng: random.Random) -> DeviceResult:
        reason = (
            rng.choice(FAILURES).format(host=dev.mgmt_ip)
            if st.down_until < n
            else FAILURES[1].format(host=dev.mgmt_ip)
        )
        seconds = round(rng.uniform(20, 65), 2) if "no answer" in reason else round(rng.uniform(0.1, 2.0), 2)
        return DeviceResult(
            dev.name, Outcome.FAILED, reason, seconds, attempts=3, log_last_seen=st.log_cursor
        )

    # --- rendering through the collector's functions --------------------------------------

    def _render(self, dev: Device, st: DeviceState, spec: PlatformSpec, full: bool) -> dict[str, bytes]:
        """The device's files after tonight's collect; measures and state of what was rendered."""
        ctx, cli = _session(dev), cli_for(dev)
        wanted = _CONFIG_TOPICS if not full else None
        outputs: dict[str, str] = {}
        unsupported = []
        for command in spec.commands:
            if command.log or (wanted is not None and not command.config and not set(command.state) & wanted):
                continue
            text = cli.execute(ctx, command.command).text
            if _is_error(text, spec) and command.optional:
                unsupported.append(command.command)
                continue
            outputs[command.command] = text
        config_command = spec.config_command.command
        if full:
            snap = build_snapshot(spec, Fetched(outputs), REDACTION_KEY)
            st.parsed, st.measures, st.problems, st.unsupported = (
                snap.parsed,
                snap.measures,
                snap.problems,
                unsupported,
            )
            st.cleaned = clean(outputs[config_command], spec)
        else:
            # The state through build_snapshot; the config cleaned and redacted here, redacting
            # only the lines the last render did not have (see _redact).
            snap = build_snapshot(spec, Fetched({**outputs, config_command: ""}), REDACTION_KEY)
            cleaned = clean(outputs[config_command], spec)
            snap.config = redact_lines(cleaned, st.cleaned, st.files[config_path(dev.name)].decode(), spec)
            st.cleaned = cleaned
            st.parsed = {**st.parsed, **snap.parsed}
            self._move_measures(dev, st, dev.now())
            st.measures = {**st.measures, "config_saved": dev.saved is None}
        return {**st.files, **snap.files(dev.name)}

    def _logs(
        self, dev: Device, st: DeviceState, spec: PlatformSpec, events: list[LogEntry], when: float
    ) -> list[dict[str, Any]]:
        """Tonight's log window (last logout, the day's entries, this login), rendered and parsed."""
        window = []
        if st.last_login is not None:
            window.append(
                LogEntry(
                    st.last_login + 40, "SHELL", 5, "SHELL_LOGOUT", f"netkb logged out from {COLLECTOR_IP}."
                )
            )
        window += events
        window.append(LogEntry(when, "SHELL", 5, "SHELL_LOGIN", f"netkb logged in from {COLLECTOR_IP}."))
        dev.logbuffer = window
        command = next(c for c in spec.commands if c.log)
        text = cli_for(dev).execute(_session(dev), command.command).text
        dev.logbuffer = []
        return list(get_parser(command.log or "")(text))  # type: ignore[call-overload]

    def _move_measures(self, dev: Device, st: DeviceState, when: float) -> None:
        """Readings of a night without rendering: the lab model's own CPU and memory figures."""
        measures = dict(st.measures)
        cpu = measures.get("cpu")
        if isinstance(cpu, dict) and set(cpu) == {"five_seconds", "one_minute", "five_minutes"}:
            measures["cpu"] = dict(
                zip(("five_seconds", "one_minute", "five_minutes"), dev.cpu_percent(), strict=True)
            )
        memory = measures.get("memory")
        if isinstance(memory, dict) and "used_percent" in memory:
            measures["memory"] = {
                **memory,
                "used_percent": round(100 * dev.memory_used_mb() / dev.memory_mb, 1),
            }
        temps = measures.get("temperature")
        if isinstance(temps, list) and len(temps) == len(dev.sensors):
            measures["temperature"] = [
                {**t, "celsius": float(dev.sensor_celsius(s))}
                for t, s in zip(temps, dev.sensors, strict=True)
            ]
        if isinstance(measures.get("uptime"), int):
            measures["uptime"] = int(when - dev.boot_time) // 60 * 60
        st.measures = measures

    def _inspect(
        self,
        dev: Device,
        st: DeviceState,
        previous_parsed: dict[str, Any],
        previous_measures: dict[str, Any],
        when: float,
        new_logs: list[dict[str, Any]],
        first: bool,
    ) -> list[dict[str, str]]:
        at = dt.datetime.fromtimestamp(when, TZ)
        platform = dev.platform.value
        previous = None
        if not first:
            previous = Observation(
                dev.name,
                platform,
                dev.role,
                dev.model,
                previous_parsed,
                previous_measures,
                [],
                [],
                at - dt.timedelta(days=1),
            )
        current = Observation(
            dev.name, platform, dev.role, dev.model, st.parsed, st.measures, new_logs, st.problems, at
        )
        return [
            {"item": f.item_id, "verdict": f.verdict.value, "detail": f.detail, "suggestion": f.suggestion}
            for f in evaluate(current, previous, _CHECKLIST, _THRESHOLDS)
        ]

    # --- what changes on the network ------------------------------------------------------

    def _mutate(self, dev: Device, when: float) -> list[LogEntry]:
        """One change an engineer makes during the day; the log entries it leaves."""
        rng = self.rng
        users = [
            i for i in dev.interfaces.values() if i.is_physical and i.peer is None and i.mode == "access"
        ]
        routed = [i for i in dev.interfaces.values() if i.ospf_cost is not None]
        kinds = ["description", "shutdown", "vlan"] if users else ["description", "ospf_cost"]
        if dev.role == "aggregation":
            kinds.append("vlan")
        kind = rng.choice([k for k in kinds if k != "ospf_cost" or routed])
        saved = rng.random() > 0.08  # now and then the engineer forgets `save`
        if not saved:
            dev.before_config_change()
        commands: list[str] = []
        entries: list[LogEntry] = []
        if kind == "description":
            port = rng.choice(users or [i for i in dev.interfaces.values() if i.is_physical])
            port.description = self._description(dev, rng)
            commands = [f"interface {port.name}", f"description {port.description}"]
        elif kind == "shutdown":
            port = rng.choice(users)
            port.admin_up = not port.admin_up
            commands = [f"interface {port.name}", "shutdown" if not port.admin_up else "undo shutdown"]
            if port.cabled:
                state = "down" if not port.admin_up else "up"
                entries.append(
                    LogEntry(
                        when + 1,
                        "IFNET",
                        3,
                        "PHY_UPDOWN",
                        f"Physical state on the interface {port.name} changed to {state}.",
                    )
                )
        elif kind == "vlan":
            vid = self._new_vlan(dev)
            commands = [f"vlan {vid}", f"description {dev.vlans[vid].description}"]
            if users:
                port = rng.choice(users)
                port.access_vlan = vid
                commands += [f"interface {port.name}", f"port access vlan {vid}"]
        else:
            port = rng.choice(routed)
            port.ospf_cost = rng.choice([c for c in (1, 5, 10, 20, 50, 100, 200) if c != port.ospf_cost])
            commands = [f"interface {port.name}", f"ospf cost {port.ospf_cost}"]
        if saved:
            dev.save()
        return [
            LogEntry(
                when - 0.5 + i * 0.2,
                "SHELL",
                6,
                "SHELL_CMD",
                f"-Line=vty0-IPAddr=10.254.255.30-User=admin; Command is {c}",
            )
            for i, c in enumerate(commands)
        ] + entries

    def _description(self, dev: Device, rng: random.Random) -> str:
        if rng.random() < 0.02:
            return rng.choice(HOSTILE_DESCRIPTIONS)
        floor, room = rng.randint(1, 12), rng.randint(1, 40)
        purpose = rng.choice(("办公", "教学", "监控", "门禁", "打印机", "会议室", "AP", "实验台"))
        return f"{dev.building}{floor}层{room:02d}室-{purpose}"

    def _new_vlan(self, dev: Device) -> int:
        used = set(dev.vlans)
        base = next((v // 100 * 100 for v in sorted(used) if v >= 100), 700)
        vid = (
            next(v for v in range(base + 10, base + 100) if v not in used)
            if len(used) < 80
            else 3000 + len(used)
        )
        self._vlan_serial += 1
        dev.vlans[vid] = Vlan(vid, f"svc-{vid}", f"{dev.building}新增业务{self._vlan_serial}")
        return vid

    def _faults(self, n: int, quiet: list[str], base: float, touched: dict[str, list[LogEntry]]) -> set[str]:
        """Faults that clear tonight and new ones; the devices to render in full."""
        full: set[str] = set()
        for name in quiet:
            st = self.state[name]
            for fault in [f for f, until in st.fault_until.items() if until < n]:
                dev = self.net.devices[name]
                devs = [dev, *self._neighbours(dev)] if fault is Fault.OSPF_DOWN else [dev]
                full |= self._logged(
                    devs, base - 7200, touched, lambda d=dev, f=fault: faults.clear(self.net, d, f)
                )
                del st.fault_until[fault]
        for name in quiet:
            if self.rng.random() >= FAULT_RATE or name in touched:
                continue
            dev, fault = self.net.devices[name], self.rng.choice(FAULTS)
            devs = [dev, *self._neighbours(dev)] if fault is Fault.OSPF_DOWN else [dev]
            try:
                full |= self._logged(
                    devs,
                    base - self.rng.uniform(600, 80000),
                    touched,
                    lambda d=dev, f=fault: faults.inject(self.net, d, f),
                )
            except faults.FaultError:
                continue
            self.state[name].fault_until[fault] = n + (
                0 if fault in (Fault.REBOOT, Fault.LOG_ERRORS) else self.rng.randint(1, 7)
            )
        return {name for name in full if name in quiet}

    def _logged(
        self, devs: list[Device], when: float, touched: dict[str, list[LogEntry]], action: Any
    ) -> set[str]:
        """Run a fault action at `when` on the lab's clock; collect the entries it logs."""
        for dev in devs:
            dev.clock_skew = when - time.time()
            dev.logbuffer = []
        action()
        for dev in devs:
            touched.setdefault(dev.name, []).extend(dev.logbuffer)
            dev.logbuffer = []
        return {dev.name for dev in devs}

    def _neighbours(self, dev: Device) -> list[Device]:
        """The OSPF neighbours of a device (a lost adjacency shows on both ends)."""
        names = sorted({i.peer[0] for i in dev.interfaces.values() if i.peer and i.ospf_cost is not None})
        return [self.net.devices[name] for name in names]


# Topics a config change can move (interface brief: state, description; VLANs).

# Topics a config change can move (interface brief: state, description; VLANs).
_CONFIG_TOPICS = {"interfaces", "vlans"}
