"""The demo's month of cost, checked without replaying the term: September's fan and power incidents
with their spare parts from demo/spares.yml, and the library's new ports (a service request), priced
by the default cost model the demo's settings keep; the ledger below its minimum for both parts.
Every figure worked out by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from netkb.generator.periods import parse_period
from netkb.lab.inventory import inventory_data
from netkb.lab.topology import DEFAULT_DEVICES, build_network
from netkb.records.cost import period_cost
from netkb.records.handwritten import HandWritten, read_records
from netkb.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> tuple[HandWritten, Settings, dict[str, tuple[str, str]]]:
    devices = inventory_data(build_network(DEFAULT_DEVICES, seed=0))["devices"]
    assert isinstance(devices, list)
    models = {d["name"]: d["model"] for d in devices}
    settings = load_settings(ROOT / "demo" / "netkb.yml")
    written = read_records(set(models), settings, ROOT / "demo", models)
    assert written.problems == []
    return written, settings, {d["name"]: (d["building"], d["role"]) for d in devices}


def test_septembers_cost_prices_the_fan_and_power_incidents_and_a_request(
    demo: tuple[HandWritten, Settings, dict[str, tuple[str, str]]],
) -> None:
    written, settings, places = demo
    start, end = parse_period("2026-09").bounds(settings.sla.time_zone)
    incidents = [i for i in written.incidents if start <= i.reported < end]
    requests = [r for r in written.requests if start <= r.received < end]
    cost = period_cost(incidents, settings.cost, settings.sla, places, requests)
    by_id = {c.record.id: c.total for c in cost.tickets if c.total}
    # The default model: P3 200 / 300 an hour, difficulty 1 × 1, 2 × 1.25, 50 a trip.
    # INC-2026-0031, core-1's fan (P3, difficulty 2): responded Tue 09-15 08:52 and on site 10:30,
    # both working time: (0.5 + 4) × 200 × 1.25 = 1125; the fan at the ledger's 1850; 1 trip 50.
    # INC-2026-0034, agg-dorm's power module (P3, difficulty 1): responded Wed 09-23 08:35, on site
    # 10:05: 3 × 200 = 600; the module 1200; 2 trips 100 + 36 expenses.
    # REQ-2026-0101, the library's new ports: new_port has no rate of its own (default 200 / 300);
    # dispatched Wed 09-02 11:40: 1.5 × 200 = 300; 1 trip 50.
    assert by_id == {"INC-2026-0031": 3025, "INC-2026-0034": 1936, "REQ-2026-0101": 350}
    assert cost.total == 3025 + 1936 + 350 and cost.parts == 1850 + 1200
    assert cost.by_kind == {"incident": 3025 + 1936, "request": 350}
    assert cost.by_category == {"hardware": 3025, "power": 1936}
    # Both parts used, one of each received: none left, below the minimum of 1 (home page warning).
    ledger = written.spares
    assert ledger is not None
    low = {s.part.part: s.on_hand for s in ledger.low()}
    assert low == {"FAN-S7500E-06": 0, "PSR150-A1": 0}


def test_a_request_dispatched_before_work_is_priced_out_of_hours(
    demo: tuple[HandWritten, Settings, dict[str, tuple[str, str]]],
) -> None:
    written, settings, places = demo
    complaint = next(r for r in written.requests if r.id == "REQ-2026-0108")
    cost = period_cost([], settings.cost, settings.sla, places, [complaint])
    # Dispatched Tue 11-03 08:15, before the business day's 08:30: 0.5 h × 300 = 150.
    assert (cost.hours_out, cost.total) == (0.5, 150)
