"""The service request pages built by MkDocs (--strict): the list with open requests first, a page
per request, the device and building pages' sections, the monthly report's complaints by name and
the quarter's satisfaction chart; a hostile requester, comment and building stay text. The site is
the fixed model of tests/generator/test_pages.py (its now: 2026-11-03 09:00) with four requests added."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from netkb.generator.generate import render_site
from netkb.generator.mkdocs_config import mkdocs_config
from netkb.generator.pages import requests as request_pages
from netkb.generator.pages.buildings import building_page
from netkb.generator.service_pages import attach_service
from netkb.generator.service_site import service_of
from netkb.generator.site import Site
from netkb.generator.tree import write_tree
from netkb.records.requests import RequestRules, parse_request
from tests.generator.test_pages import HOSTILE, site
from tests.site_html import broken_links, read_page

REQUESTS = {
    "requests/2026-11-02-lib-wifi.md": f"""---
id: REQ-2026-0007
title: 图书馆三楼无线频繁掉线投诉
type: complaint
channel: phone
requester: "{HOSTILE}"
department: 图书馆
building: 图书馆
devices: [acc-lib-01]
received: 2026-11-02T08:30:00+08:00
dispatched: {{at: 2026-11-02T08:40:00+08:00, engineer: 王工}}
fulfilled: 2026-11-02T12:00:00+08:00
return_call: {{at: 2026-11-02T15:00:00+08:00, confirmed: false, satisfaction: 2, comment: "{HOSTILE}"}}
incident: INC-2026-0003
---
""",
    "requests/2026-11-03-lib-port.md": """---
id: REQ-2026-0008
title: 图书馆新增办公信息点
type: new_port
channel: walk-in
requester: 图书馆 王老师
department: 图书馆
building: 图书馆
devices: [acc-lib-01]
received: 2026-11-03T08:40:00+08:00
---
""",
    "requests/2026-11-03-lib-question.md": """---
id: REQ-2026-0006
title: 图书馆咨询访客无线
type: consultation
channel: phone
requester: 图书馆 张老师
department: 图书馆
building: 图书馆
received: 2026-11-03T08:45:00+08:00
dispatched: {at: 2026-11-03T08:47:00+08:00, engineer: 王工}
fulfilled: 2026-11-03T08:55:00+08:00
return_call: {at: 2026-11-03T08:58:00+08:00, confirmed: true, satisfaction: 5}
---
""",
    "requests/2026-10-20-port-move.md": f"""---
id: REQ-2026-0005
title: 接入交换机端口调整
type: other
channel: e-mail
requester: 网络中心 李老师
department: 网络中心
building: "{HOSTILE}"
received: 2026-10-20T10:00:00+08:00
dispatched: {{at: 2026-10-20T10:30:00+08:00, engineer: 王工}}
fulfilled: 2026-10-21T10:00:00+08:00
return_call: {{at: 2026-10-22T10:00:00+08:00, confirmed: true, satisfaction: 4}}
---
""",
}


@dataclass
class Built:
    docs: Path
    site: Path
    log: str
    model: Site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    model = site("en")
    incidents = [v.incident for v in service_of(model).incidents]
    rules = RequestRules(
        frozenset(model.devices), tuple(model.settings.requests.types), frozenset({"INC-2026-0003"})
    )
    requests = []
    for path, text in REQUESTS.items():
        request, problems = parse_request(text, path, rules)
        assert request and not problems, problems
        requests.append(request)
    for key in ("home_sections", "device_sections", "building_sections"):  # again, with the requests
        model.extras.pop(key, None)
    attach_service(model, incidents, requests)
    root = tmp_path_factory.mktemp("requests-site")
    build, out = root / "build", root / "site"
    write_tree(build / "docs", render_site(model))
    (build / "mkdocs.yml").write_text(
        mkdocs_config(model.strings, "netkb test", build, out), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(build / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return Built(build / "docs", out, result.stderr, model)


def test_the_requests_list_shows_open_ones_first_and_links_every_request(built: Built) -> None:
    assert "WARNING" not in built.log
    assert broken_links(built.site) == []
    index = (built.docs / "requests" / "index.md").read_text(encoding="utf-8")
    open_part, all_part = index.split("## All requests", 1)
    assert "[REQ-2026-0008](REQ-2026-0008.md)" in open_part and "REQ-2026-0007" not in open_part
    assert "pending (1h 40m left) | pending (17h 40m left)" in open_part  # 2h and 2d on 5×8 from 08:40
    assert all_part.index("REQ-2026-0008") < all_part.index("REQ-2026-0007")  # newest first
    links = read_page(built.site / "requests" / "index.html").links
    assert ("a", "REQ-2026-0007/") in links and ("a", "REQ-2026-0008/") in links
    nav = read_page(built.site / "index.html")
    assert any(url.rstrip("/").endswith("requests") for _, url in nav.links)


def test_a_request_page_shows_its_return_call_and_hostile_text_as_text(built: Built) -> None:
    path = built.site / "requests" / "REQ-2026-0007" / "index.html"
    page = read_page(path)
    raw = path.read_text(encoding="utf-8")
    assert page.handlers == [] and not any("alert" in code for _, code in page.scripts)
    assert "<script>alert(1)" not in raw and not any(u.startswith("javascript") for _, u in page.links)
    assert page.text.count(HOSTILE) == 2  # the requester and the comment, verbatim
    assert ("a", "../../incidents/INC-2026-0003/") in page.links
    facts = (built.docs / "requests" / "REQ-2026-0007.md").read_text(encoding="utf-8")
    assert "| Type | Complaint |" in facts and "| Channel | Phone |" in facts
    assert "| Confirmed | **No** |" in facts and "| Satisfaction | 2 |" in facts
    # response 10 min of 1 h on 5×8; fulfilment 3.5 h of 2 d (18 working hours), due the next evening
    assert "| Response | 1h | Business hours (5×8) | 2026-11-02 09:30 | met (0h 50m to spare) |" in facts
    assert (
        "| Fulfilment | 2d (18h 00m) | Business hours (5×8) | 2026-11-03 17:30 | met (14h 30m to spare) |"
        in facts
    )


def test_the_device_page_lists_the_requests_that_concern_it(built: Built) -> None:
    page = read_page(built.site / "devices" / "acc-lib-01" / "index.html")
    assert "Related service requests" in page.text
    assert ("a", "../../requests/REQ-2026-0007/") in page.links
    assert ("a", "../../requests/REQ-2026-0008/") in page.links


def test_the_monthly_report_names_its_complaints_and_the_quarter_charts_satisfaction(built: Built) -> None:
    month = (built.docs / "reports" / "2026-11.md").read_text(encoding="utf-8")
    assert "| Service requests | 3 |" in month and "| Open requests | 1 |" in month
    assert "| Return-call coverage | 100.0% (2/2) |" in month
    assert "| Satisfaction | 3.50 / 5 (2) |" in month  # (2 + 5) / 2
    complaints = month.split("### Complaints this month", 1)[1]
    assert "[REQ-2026-0007](../requests/REQ-2026-0007.md) | 图书馆三楼无线频繁掉线投诉" in complaints
    quarter = read_page(built.site / "reports" / "2026-Q4" / "index.html")
    assert "Satisfaction per month (1–5)" in quarter.text
    assert "Complaints this month" not in quarter.text


def test_the_building_section_lists_its_requests_open_first_with_their_satisfaction(built: Built) -> None:
    section = request_pages.building_section(built.model, "图书馆")
    # REQ-2026-0008 is open; of the fulfilled ones REQ-2026-0006 (11-03) is newer than -0007 (11-02),
    # though -0006 is newer than the open one too: open first, then newest first.
    order = [section.index(f"REQ-2026-000{n}") for n in (8, 6, 7)]
    assert order == sorted(order)
    assert "Satisfaction by return call: 3.50 / 5 (2 scores)." in section  # (2 + 5) / 2
    # From the building page: buildings/<name>.md links ../requests/<id>.md.
    assert "[REQ-2026-0008](../requests/REQ-2026-0008.md)" in section
    # -0007: response 10 min of 1 h and fulfilment 3.5 h of 2 d, both met; -0008 still pending.
    assert "| Fulfilled | met | met | 2 |" in section and "| **Open** | pending | pending | — |" in section
    assert "REQ-2026-0005" not in section  # another building's
    assert "No service request from this building yet." in request_pages.building_section(built.model, "宿舍")
    assert request_pages.building_section(built.model, "") == ""  # the devices without a building


def test_the_building_page_shows_the_requests_of_its_building(built: Built) -> None:
    page = building_page(HOSTILE)  # acc-lib-01's building
    docs = (built.docs / page).read_text(encoding="utf-8")
    assert "## Service requests of this building" in docs
    assert "[REQ-2026-0005](../requests/REQ-2026-0005.md)" in docs and "REQ-2026-0008" not in docs
    html = read_page(built.site / page.removesuffix(".md") / "index.html")
    assert ("a", "../../requests/REQ-2026-0005/") in html.links
    assert "Satisfaction by return call: 4.00 / 5 (1 scores)." in html.text
    assert html.handlers == [] and not any("alert" in code for _, code in html.scripts)
    assert HOSTILE in html.text  # the building's name in the request's row, as text
