"""Cost in the reports and on the site: the month's figures beside the contract's (tickets,
response times), incidents and service requests apart, `netkb report`'s table, the home page's
low-stock warning and the parts a device received, from a small hand-made set. Expectations worked
out by hand in the comments."""

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
from netkb.generator.service_pages import attach_service
from netkb.inventory import DeviceEntry, PlatformName
from netkb.records.requests import RequestRules, parse_request
from netkb.records.service import TargetKind
from netkb.records.spares import Ledger, Part, uses_of
from tests.generator.test_markdown import render
from tests.generator.test_pages import HOSTILE, site
from tests.records.test_cost import PLACES, R1, R2, R3, SETTINGS, A, B, C

NOW = dt.datetime(2026, 11, 5, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DEVICES = [
    DeviceEntry(name=n, host="10.0.0.1", platform=PlatformName("comware"), building=b, role=r)
    for n, (b, r) in PLACES.items()
]


def test_the_month_shows_its_cost_beside_the_contract_figures(capsys: pytest.CaptureFixture[str]) -> None:
    report = build_report(
        parse_period("2026-10"), incidents=[A, B, C], history=History(head=""), devices=DEVICES,
        settings=SETTINGS.model_copy(update={"language": "en"}), now=NOW, requests=[R1, R2, R3],
    )  # fmt: skip
    assert report.cost is not None
    # tests/records/test_cost.py: A 3090, B 300, C 0 (no work recorded); R1 640, R2 75, R3 0.
    assert (report.cost.total, report.cost.recorded, len(report.cost.tickets)) == (4105, 4, 6)
    # A responded in 10m of P1's 15m, B in 5m of P2's 15m: both met; C (P3, 30m) has no response
    # yet and is long past it at NOW: missed.
    response = report.compliance[TargetKind.RESPONSE]
    assert (response.met, response.missed) == (2, 1)
    november = build_report(
        parse_period("2026-11"), incidents=[A, B, C], history=History(head=""), devices=DEVICES,
        settings=SETTINGS, now=NOW, requests=[R1, R2, R3],
    )  # fmt: skip
    assert november.cost is not None and november.cost.total == 0 and november.cost.tickets == ()
    print_report(report, "en")
    out = capsys.readouterr().out
    # labour 2025 + 300 + 540 + 75 = 2940 over 4 + 2 + 3 + 0.5 hours, 1 + 2 + 0.5 of them out of
    # hours; parts 1000 + 60; travel 65 + 40; A, B, R1 and R2 of the 6 tickets recorded.
    assert re.search(r"cost\s*│\s*CNY 4,105.00", out)
    assert re.search(r"labour\s*│\s*CNY 2,940.00 \(9.5 h, 3.5 h out of hours\)", out)
    assert re.search(r"parts\s*│\s*CNY 1,060.00", out) and re.search(r"travel\s*│\s*CNY 105.00", out)
    assert re.search(r"tickets with their work recorded\s*│\s*4/6", out)
    assert re.search(r"Ticket kind: Incidents\s*│\s*CNY 3,390.00", out)
    assert re.search(r"Ticket kind: Service requests\s*│\s*CNY 715.00", out)  # 640 + 75
    assert re.search(r"Type: new_port\s*│\s*CNY 640.00", out)
    # 图书馆: A's half for agg-lib 1045, B 300, R1 640; 网络中心: A's half 1045 and the fan 1000.
    assert re.search(r"Building: 图书馆\s*│\s*CNY 1,985.00", out)
    assert re.search(r"Building: 网络中心\s*│\s*CNY 2,045.00", out)
    # access: B 300 and R1's half (290) with the cord (60); R2 names no device.
    assert re.search(r"Role: access\s*│\s*CNY 650.00", out)
    assert re.search(r"Role: unassigned\s*│\s*CNY 75.00", out)
    # The requests' own figures beside: R1, R2 and R3 received in October, none fulfilled; the
    # complaint R3 by name.
    assert re.search(r"Requests \(open\)\s*│\s*3 \(3\)", out) and re.search(r"Complaints\s*│\s*R3 R3", out)


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


PORT_REQUEST = """---
id: REQ-9
title: new port
type: new_port
channel: phone
requester: a
department: b
building: 图书馆
devices: [acc-lib-01]
received: 2026-10-20T09:00:00+08:00
dispatched: {at: 2026-10-20T09:20:00+08:00, engineer: 李工}
effort: {remote: 1}
travel: {trips: 1, expenses: 18.75}
---
"""


def test_the_report_page_prices_requests_beside_incidents() -> None:
    built = site("en", {"incidents/2026-10-20-fan.md": FAN_INCIDENT})
    incidents = [v.incident for v in built.extras["service"].incidents]
    rules = RequestRules(frozenset(built.devices), tuple(built.settings.requests.types))
    request, problems = parse_request(PORT_REQUEST, "requests/port.md", rules)
    assert request is not None and not problems, problems
    for key in ("home_sections", "device_sections"):  # attached again, now with the request
        built.extras.pop(key)
    attach_service(built, incidents, [request])
    month = reports.render_pages(built)["reports/2026-10.md"]
    # The fan incident 1831.25 (above). The request: new_port has no rate of its own, so the default
    # 200 an hour; dispatched Tuesday 09:20, working time: 1 h × 200 = 200; 1 trip × 50 + 18.75.
    # 268.75. Total 1831.25 + 268.75 = 2100 over 2 tickets: 1050 each.
    assert "| Total cost | **CNY 2,100.00** |" in month
    assert "| Labour | CNY 981.25 (3.5 h, 0 h out of hours) |" in month  # 781.25 + 200
    assert "| Per ticket | CNY 1,050.00 |" in month
    assert "| Incidents | 1 |" in month and "| Service requests | 1 |" in month
    assert "| Request response compliance | 1/1 (100.0%) |" in month  # 20m of new_port's 2h
    assert "| Ticket kind | Incidents | CNY 1,831.25 |" in month
    assert "| Ticket kind | Service requests | CNY 268.75 |" in month
    assert "| Type | New port or VLAN | CNY 268.75 |" in month
    assert "| Building | 图书馆 | CNY 268.75 |" in month and "| Building | 网络中心 | CNY 1,831.25 |" in month
    assert "| Role | access | CNY 268.75 |" in month and "| Role | core | CNY 1,831.25 |" in month
