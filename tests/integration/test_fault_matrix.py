"""The fault matrix: every lab fault on every platform that has it, seen the same way three times.

For each (fault, device) cell the collect's exit status and the device's run-record entry, what
`netkb inspect` reports for the device, and the device's page on the built site must agree with
one row of `MATRIX`: a transport or config fault fails the device with a reason naming the cause
and keeps its last good snapshot; a hardware or state fault is collected with its checklist item
abnormal. One small lab, one device per platform variant, faults applied to the five devices in
parallel; the collected faults that touch different items share a collect (`GROUPS`), so the 88
cells take 14 collects (a baseline, 9 failing rounds, 4 collected ones).
"""

from __future__ import annotations

import html.parser
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from netkb.inspection.checklist import Thresholds, load_checklist
from netkb.lab import daemon
from netkb.lab.control import request
from netkb.lab.model import Fault
from netkb.lab.topology import MIN_DEVICES
from tests.conftest import RunningLab, netkb, start_lab
from tests.integration.test_collect import latest_record
from tests.site_html import read_page

# One device per platform variant. The lab's third access switch is a Comware 5 S5120; core-1 has
# OSPF neighbours and the wireless-controller card, so every Comware 7 fault applies to it;
# rg-core-1 is the Ruijie RG-N18000 of the second campus area.
DEVICES = {
    "comware7": "core-1",
    "comware5": "acc-admin-01",
    "vrp": "dorm-01",
    "ios": "rlab-1",
    "rgos": "rg-core-1",
}
ALL = tuple(DEVICES)
TRAILER = {"comware7": "return", "comware5": "return", "vrp": "return", "ios": "end", "rgos": "end"}
# The RGOS spec reads no board table (no boards item there: netkb/inspection/checklist.py).
WITH_BOARDS = ("comware7", "comware5", "vrp", "ios")
# The matrix is one module fixture that collects every round (about 2 minutes alone, more beside
# another xdist worker): its setup gets the room the demo replay gets.
pytestmark = pytest.mark.timeout(900)

SETTINGS = {"timeouts": {"connect": 5, "command": 8, "device": 20}, "retries": 0, "language": "en"}


@dataclass(frozen=True)
class Expect:
    """What one fault must do: fail the device naming `cause`, or be collected with `item` abnormal."""

    failed: bool
    cause: str = ""  # a phrase of the run record's reason (failed faults)
    item: str | None = None  # the checklist item made abnormal (collected faults)
    platforms: tuple[str, ...] = ALL


MATRIX: dict[Fault, Expect] = {
    Fault.AUTH_FAILURE: Expect(True, "authentication failed"),
    Fault.CONNECTION_REFUSED: Expect(True, "connection refused"),
    Fault.HANG: Expect(True, "no answer"),
    # 3 s more per answer: the 20 s device budget runs out; the reason must tell it from a hang
    # ("it had answered 5 command(s), 3.0 s each").
    Fault.SLOW: Expect(True, "answered"),
    Fault.DISCONNECT: Expect(True, "connection lost"),
    Fault.TRUNCATED_CONFIG: Expect(True, "config incomplete"),
    Fault.PAGING_STUCK: Expect(True, "no prompt within"),
    Fault.LEGACY_SSH: Expect(True, "legacy_ssh: true"),
    Fault.GARBAGE_OUTPUT: Expect(True, "gate: config incomplete", platforms=("comware7", "comware5")),
    Fault.FAN: Expect(False, item="fans"),
    Fault.POWER: Expect(False, item="power"),
    Fault.BOARD: Expect(False, item="boards", platforms=WITH_BOARDS),
    Fault.TEMPERATURE: Expect(False, item="temperature"),
    Fault.CPU: Expect(False, item="cpu"),
    Fault.OSPF_DOWN: Expect(False, item="ospf", platforms=("comware7",)),
    Fault.LOG_ERRORS: Expect(False, item="logs"),
    Fault.REBOOT: Expect(False, item="reboot"),
    Fault.UNSAVED: Expect(False, item="config_saved"),
    Fault.AP_DOWN: Expect(False, item="aps", platforms=("comware7",)),
    # Shares log-errors' collect: its warnings land in the same "logs" item, and the device
    # must show nothing else (tests/integration/test_secret_outputs.py looks for its secrets).
    Fault.LEAKY_TEXT: Expect(False, item="logs"),
    # A rogue router needs free user ports (an access switch): its item `unknown_neighbours` is
    # covered on acc-admin-02 by tests/integration/test_topology.py.
    Fault.ROGUE_NEIGHBOUR: Expect(False, item="unknown_neighbours", platforms=()),
}

# Collected faults that share a collect on one device: each touches an item the others leave
# alone (log-errors writes a BOARD_REBOOT entry, which a board fault would claim; reboot empties
# the log buffer), so the device's abnormal items must be exactly the group's.
GROUPS: list[set[Fault]] = [
    {Fault.FAN, Fault.POWER, Fault.CPU, Fault.OSPF_DOWN},
    {Fault.BOARD, Fault.TEMPERATURE, Fault.UNSAVED, Fault.AP_DOWN},
    {Fault.LOG_ERRORS, Fault.LEAKY_TEXT},
    {Fault.REBOOT, Fault.ROGUE_NEIGHBOUR},  # the latter on no device: see MATRIX
]

# Known disagreements: (fault, platform variant) -> (what `check_cell` says, why). The cell is
# marked xfail with the reason only when that is all that is wrong with it.
KNOWN: dict[tuple[Fault, str], tuple[str, str]] = {}


def test_the_matrix_covers_every_fault_kind() -> None:
    assert set(MATRIX) == set(Fault)
    grouped = [f for group in GROUPS for f in group]
    assert sorted(grouped) == sorted(f for f, e in MATRIX.items() if not e.failed)


def schedule() -> list[dict[str, set[Fault]]]:
    """The rounds: per round, each variant's faults (empty: healthy). Failing faults in MATRIX
    order, so the slow ones (hang, slow, paging) run on every device in the same collect."""
    rounds: list[dict[str, set[Fault]]] = []
    for fault, expect in MATRIX.items():
        if expect.failed:
            rounds.append({v: {fault} if v in expect.platforms else set() for v in ALL})
    for group in GROUPS:
        rounds.append({v: {f for f in group if v in MATRIX[f].platforms} for v in ALL})
    return rounds


# --- the three views ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Views:
    """One device after one collect, as the run record, `netkb inspect` and the site show it."""

    exit_status: int
    stderr: str  # the collect's
    inspect_status: int
    record: dict[str, Any]  # the device's entry in the newest run record
    inspect: dict[str, tuple[str, str]]  # item label (or "collect") -> (verdict, detail), not normal
    page_rows: dict[str, str]  # item label -> verdict, the device page's latest-inspection table
    page_text: str  # the device's status page

    def recorded_abnormal(self) -> set[str]:
        return {f["item"] for f in self.record.get("inspection", []) if f["verdict"] == "abnormal"}


class _Rows(html.parser.HTMLParser):
    """Every table row of a page as its cells' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def run(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=300,
        # A wide terminal: `netkb inspect` prints one table line per finding.
        env={**os.environ, "CI": "true", "NO_MKDOCS_2_WARNING": "1", "COLUMNS": "4000"},
    )


def inspect_rows(stdout: str) -> dict[str, dict[str, tuple[str, str]]]:
    """`netkb inspect`'s findings table: device -> item label -> (verdict, detail)."""
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 6 and cells[0] and cells[0] != "device":
            found.setdefault(cells[0], {})[cells[1]] = (cells[2], cells[3])
    return found


def gather(ws: Path, lab: RunningLab, names: list[str]) -> dict[str, Views]:
    """Collect `names`, then read the three views of each: record, `netkb inspect`, device page."""
    inventory = str(lab.inventory)
    collect = run(ws, "netkb.cli", "collect", "--inventory", inventory, "--limit", ",".join(names))
    assert collect.returncode in (0, 1), collect.stderr + collect.stdout
    assert "netkb bug" not in collect.stdout + collect.stderr, collect.stdout
    inspect = run(ws, "netkb.cli", "inspect", "--inventory", inventory, "--limit", ",".join(names))
    assert inspect.returncode in (0, 1), inspect.stderr + inspect.stdout
    generate = run(ws, "netkb.cli", "generate", "--inventory", inventory)
    assert generate.returncode == 0, generate.stderr + generate.stdout
    build = run(ws, "mkdocs", "build", "--strict", "-f", "build/mkdocs.yml")
    assert build.returncode == 0, build.stderr
    record = latest_record(ws)["devices"]
    found = inspect_rows(inspect.stdout)
    views = {}
    for name in names:
        path = ws / "site" / "devices" / name / "index.html"
        rows = _Rows()
        rows.feed(path.read_text(encoding="utf-8"))
        views[name] = Views(
            collect.returncode,
            collect.stderr,
            inspect.returncode,
            record[name],
            found.get(name, {}),
            {r[0]: r[1] for r in rows.rows if len(r) == 4},
            # The failed collect's reason is nightly news: the status page's, not the device page's.
            " ".join(read_page(ws / "site" / "status" / name / "index.html").text.split()),
        )
    return views


# --- the matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    fault: Fault
    variant: str
    views: Views
    config_before: bytes | None
    config_after: bytes | None


def check_cell(cell: Cell, round_faults: set[Fault], labels: dict[str, str]) -> list[str]:
    """Where the views disagree with MATRIX for this cell (empty: they agree)."""
    expect, v = MATRIX[cell.fault], cell.views
    wrong = []
    if "Traceback" in v.stderr:
        wrong.append("collect: a traceback on stderr")
    if v.inspect_status != 1:  # every cell has something abnormal: an item, or the failed collect
        wrong.append(f"inspect: exit status {v.inspect_status}, not 1")
    if expect.failed:
        reason = str(v.record.get("reason") or "")
        if v.exit_status != 1:
            wrong.append(f"exit status {v.exit_status}, not 1")
        if v.record.get("outcome") != "failed" or expect.cause not in reason:
            wrong.append(f"record: {v.record.get('outcome')} {reason!r}, not failed naming {expect.cause!r}")
        trailer = TRAILER[cell.variant]
        if cell.config_after != cell.config_before or not (cell.config_after or b"").rstrip().endswith(
            trailer.encode()
        ):
            wrong.append("config.txt: the last good snapshot was not kept as it was")
        verdict, detail = v.inspect.get("collect", ("", ""))
        if verdict != "abnormal" or not reason or reason not in detail:
            wrong.append(f"inspect: collect {verdict!r} {detail!r}, not the failed collect")
        if not reason or " ".join(reason.split()) not in v.page_text:
            wrong.append("site: the device's status page does not show the failed collect's reason")
        if cell.fault is Fault.GARBAGE_OUTPUT:
            vlans = {f["item"]: f["verdict"] for f in v.record.get("inspection", [])}.get("vlans")
            if vlans != "unknown":
                wrong.append(f"record: vlans {vlans!r}, not unknown")
        return wrong
    item = expect.item
    assert item is not None
    label = labels[item]
    if v.exit_status != 0:
        wrong.append(f"exit status {v.exit_status}, not 0")
    if v.record.get("outcome") == "failed":
        wrong.append(f"record: failed {v.record.get('reason')!r}, not collected")
    expected_items = {MATRIX[f].item or "" for f in round_faults}
    if v.recorded_abnormal() != expected_items:
        wrong.append(f"record: abnormal {sorted(v.recorded_abnormal())}, not {sorted(expected_items)}")
    if v.inspect.get(label, ("",))[0] != "abnormal":
        wrong.append(f"inspect: {label!r} is {v.inspect.get(label, ('normal',))[0]!r}, not abnormal")
    if v.page_rows.get(label) != "abnormal":
        wrong.append(f"site: {label!r} is {v.page_rows.get(label)!r} on the device page, not abnormal")
    return wrong


@pytest.fixture(scope="module")
def small_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """The smallest lab holding a Comware 5 switch (the third access switch), stopped on failure too."""
    state = tmp_path_factory.mktemp("matrix-lab")
    try:
        yield start_lab(state, MIN_DEVICES + 1, seed=13)
    finally:
        netkb("lab", "--state", str(state), "stop", check=False)


def _control(lab: RunningLab, payload: dict[str, str]) -> None:
    """What `netkb lab fault` sends, without starting a Python per fault."""
    answer = request(daemon.socket_path(lab.state.resolve()), payload)
    assert answer.get("ok"), answer


@pytest.fixture(scope="module")
def matrix(small_lab: RunningLab, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[Fault, str], Cell]:
    """Run every round of `schedule()` and keep each cell's views."""
    lab = small_lab
    ws = tmp_path_factory.mktemp("matrix-ws")
    (ws / "netkb.yml").write_text(yaml.safe_dump(SETTINGS), encoding="utf-8")
    names = list(DEVICES.values())
    baseline = gather(ws, lab, names)
    for name, view in baseline.items():
        assert view.exit_status == 0 and view.record["outcome"] == "changed", (name, view.record)
        assert view.recorded_abnormal() == set(), (name, view.record["inspection"])
    cells: dict[tuple[Fault, str], Cell] = {}
    for faults in schedule():
        config = {v: ws / "configs" / "devices" / DEVICES[v] / "config.txt" for v in ALL}
        before = {v: config[v].read_bytes() for v in ALL}
        try:
            for variant, kinds in faults.items():
                for kind in kinds:
                    _control(lab, {"op": "fault", "device": DEVICES[variant], "kind": kind.value})
            views = gather(ws, lab, names)
        finally:
            for name in names:
                _control(lab, {"op": "clear", "device": name})
        for variant, kinds in faults.items():
            for kind in kinds:
                after = config[variant].read_bytes() if config[variant].exists() else None
                cells[(kind, variant)] = Cell(kind, variant, views[DEVICES[variant]], before[variant], after)
    return cells


def _labels() -> dict[str, str]:
    checklist = load_checklist()
    return {i.id: checklist.texts(i.id, "en", Thresholds()).item for i in checklist.items}


CELLS = [(f, v) for f, e in MATRIX.items() for v in e.platforms]


@pytest.mark.parametrize(("fault", "variant"), CELLS, ids=[f"{f.value}-{v}" for f, v in CELLS])
def test_every_view_agrees(matrix: dict[tuple[Fault, str], Cell], fault: Fault, variant: str) -> None:
    cell = matrix[(fault, variant)]
    round_faults = next(g for g in [*GROUPS, {fault}] if fault in g)
    round_faults = {f for f in round_faults if variant in MATRIX[f].platforms}
    wrong = check_cell(cell, round_faults, _labels())
    if (fault, variant) in KNOWN:
        said, why = KNOWN[(fault, variant)]
        if wrong and all(said in w for w in wrong):
            pytest.xfail(why)
    assert wrong == [], (cell.views.record, cell.views.inspect)
