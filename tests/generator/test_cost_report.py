"""Cost in the reports and on the site: the month's figures beside the contract's (tickets,
response times), `netkb report`'s table, the home page's low-stock warning and the parts a device
received, from a small hand-made set. Expectations worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from netkb.generator.model import History
from netkb.generator.pages import devices as device_pages
from netkb.generator.pages import home, reports
from netkb.generator.pages.spares import attach_spares
from netkb.generator.periods import parse_period
from netkb.generator.report_command import print_report
from netkb.generator.reports import build_report
from netkb.inventory import DeviceEntry, PlatformName
from netkb.records.service import TargetKind
from netkb.records.spares import Ledger, Part, uses_of
from tests.generator.test_markdown import render
from tests.generator.test_pages import HOSTILE, site
from tests.records.test_cost import PLACES, SETTINGS, A, B, C

NOW = dt.datetime(2026, 11, 5, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DEVICES = [
    DeviceEntry(name=n, host="10.0.0.1", platform=PlatformName("comware"), building=b, role=r)
    for n, (b, r) in PLACES.items()
]


def test_the_month_shows_its_cost_beside_the_contract_figures(capsys: pytest.CaptureFixture[str]) -> None:
    report = build_report(
        parse_period("2026-10"), incidents=[A, B, C], history=History(head=""), devices=DEVICES,
        settings=SETTINGS.model_copy(update={"language": "en"}), now=NOW,
    )  # fmt: skip
    assert report.cost is not None
    # tests/records/test_cost.py: A 3090, B 300, C 0 (no work recorded).
    assert (report.cost.total, report.cost.recorded, len(report.incidents)) == (3390, 2, 3)
    # A responded in 10m of P1's 15m, B in 5m of P2's 15m: both met; C (P3, 30m) has no response
    # yet and is long past it at NOW: missed.
    response = report.compliance[TargetKind.RESPONSE]
    assert (response.met, response.missed) == (2, 1)
    november = build_report(
        parse_period("2026-11"), incidents=[A, B, C], history=History(head=""), devices=DEVICES,
        settings=SETTINGS, now=NOW,
    )  # fmt: skip
    assert november.cost is not None and november.cost.total == 0 and november.cost.incidents == ()
    print_report(report, "en")
    out = capsys.readouterr().out
    # labour 2025 + 300 = 2325 over 3 + 3 hours, 1 + 2 of them out of hours; 2 of 3 recorded
    assert re.search(r"cost\s*│\s*CNY 3,390.00", out)
    assert re.search(r"labour\s*│\s*CNY 2,325.00 \(6 h, 3 h out of hours\)", out)
    assert re.search(r"parts\s*│\s*CNY 1,000.00", out) and re.search(r"travel\s*│\s*CNY 65.00", out)
    assert re.search(r"incidents with their work recorded\s*│\s*2/3", out)
    assert re.search(r"Building: 网络中心\s*│\s*CNY 2,045.00", out)
    assert re.search(r"Role: access\s*│\s*CNY 300.00", out)


FAN_INCIDENT = f"""---
id: INC-9
title: fan
level: P2
category: hardware
devices: [core-1]
reported: 2026-10-20T10:00:00+08:00
responded: 2026-10-20T10:10:00+08:00
onsite: 2026-10-20T13:00:00+08:00
status: open
effort: {{remote: 0.5, onsite: 2}}
difficulty: 2
parts:
  - {{part: FAN-1, serial_out: "{HOSTILE}", serial_in: NEW-1, cost: 1000}}
travel: {{trips: 1}}
---
"""


def test_the_site_shows_low_stock_the_replaced_serial_and_the_report_cost() -> None:
    built = site("en", {"incidents/2026-10-20-fan.md": FAN_INCIDENT})
    incidents = [v.incident for v in built.extras["service"].incidents]
    part = Part.model_validate(
        {"part": "FAN-1", "description": HOSTILE, "fits": ["S7500E"], "minimum": 2,
         "received": [{"date": "2026-03-01", "quantity": 2, "unit_cost": 1000}]}
    )  # fmt: skip
    attach_spares(built, Ledger((part,), tuple(uses_of(incidents))))
    page = home.render_pages(built)["index.md"]
    # 2 received, 1 used: 1 in stock, below the minimum of 2.
    assert "Spare parts below minimum stock" in page
    html = render(page)
    assert "<script>" not in html and "alert(1)" in html  # the description, as text
    assert '<div class="admonition warning">' in html
    assert re.search(r"<td>FAN-1</td>\s*<td>.*</td>\s*<td>1</td>\s*<td>2</td>", html)
    device = render(device_pages.render_pages(built)["devices/core-1.md"])
    assert "Parts replaced" in device and "<td>NEW-1</td>" in device and "<script>" not in device
    month = reports.render_pages(built)["reports/2026-10.md"]
    # P2 at the defaults: 250 an hour in working hours (both 10:10 and 13:00 on a Tuesday are),
    # difficulty 2 = × 1.25: 2.5 h × 250 × 1.25 = 781.25; the fan 1000; 1 trip × 50.
    # Total 781.25 + 1000 + 50 = 1831.25.
    assert "| Total cost | **CNY 1,831.25** |" in month
    assert "| Labour | CNY 781.25 (2.5 h, 0 h out of hours) |" in month
    assert "| Incidents | 1 |" in month and "| Response compliance | 1/1 (100.0%) |" in month
    assert "| Mean time to respond | 10m |" in month  # reported 10:00, responded 10:10
