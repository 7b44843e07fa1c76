"""A night that did not change a device leaves its page as it was, byte for byte: the nightly
figures (measures, logs, the latest inspection's details, the collection's time and health, the
nights without a change up to now) are on its status page. The site's MkDocs plugin reuses an
unchanged page's HTML, so this is what makes the nightly build cost what the night changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from netkb.collector.runrecord import DeviceResult
from netkb.generator.model import Change, Collections
from netkb.generator.pages import device_history, devices
from netkb.generator.pages.common import when
from netkb.generator.site import DeviceView, Site
from netkb.i18n import Strings
from tests.generator.test_history import CORE, Collector, Snap
from tests.generator.test_incremental_is_cold import INC, INCIDENT, Project


class Nightly(Collector):
    """The collector's record with what really moves every night: measures, uptime, the CPU
    finding's detail, new log lines, the time a collection took."""

    def device(self, name: str, snap: Snap) -> DeviceResult:
        result = super().device(name, snap)
        night = (self.at - dt.datetime(2025, 3, 1, tzinfo=self.at.tzinfo)).days
        result.seconds = 1.0 + night / 10
        result.measures = {
            "cpu": {"five_minutes": 10 + night},
            "memory": {"used_percent": 40 + night},
            "temperature": [{"slot": "1", "sensor": "a", "celsius": 30.0 + night}],
            "uptime": 86400 * night,
        }
        result.inspection = [
            {"item": "cpu", "verdict": "normal", "detail": f"CPU 5 minutes {10 + night}%", "suggestion": ""},
            {
                "item": "fans",
                "verdict": "abnormal",
                "detail": f"fan 1/{night}: Fault",
                "suggestion": "更换风扇",
            },
        ]
        result.new_logs = [{"time": f"night {night}", "severity": 2, "text": f"FAN_FAILED {night}"}]
        return result


def _project(root: Path) -> Project:
    project = Project(root)  # night 1: the first snapshots
    at, project.store = project.store.at, Nightly(project.store.path)
    project.store.at = at
    project.devices.append({"name": "acc-1", "host": "10.0.0.3", "platform": "comware", "building": "图书馆"})
    project.write("incidents/a.md", INCIDENT.format(id=INC, title="断网"))
    project.night(core="vlan 10\n", **{"acc-1": ""})  # night 2: core-1 changes
    return project


def _failing(project: Project, reason: str) -> None:
    """A night on which core-1 and acc-1 do not change, agg-1 changes and acc-1 cannot be reached."""
    project.store.run({"core-1": Snap(CORE + "vlan 10\n", {"fans": [{"id": "1/1", "status": "normal"}]}),
                       "agg-1": Snap(f"sysname agg-1\nvlan {project.store.at.day}\n"),
                       "acc-1": reason})  # fmt: skip


def _two_nights(tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    project = _project(tmp_path)
    _failing(project, "connection refused")
    before = project.generate(tmp_path / "build")
    _failing(project, "timed out after 30 s")
    return before, project.generate(tmp_path / "build")


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    return _two_nights(tmp_path_factory.mktemp("stable"))


PAGES = ("docs/devices/core-1.md", "docs/devices/acc-1.md")


def test_a_night_that_did_not_change_a_device_leaves_its_page_byte_for_byte(
    nights: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    before, after = nights
    for page in PAGES:
        assert after[page] == before[page], page
    # The night did change: agg-1's page and the status pages moved on.
    assert after["docs/devices/agg-1.md"] != before["docs/devices/agg-1.md"]
    for page in ("docs/status/core-1.md", "docs/status/acc-1.md"):
        assert after[page] != before[page], page
    core = after["docs/devices/core-1.md"].decode("utf-8")
    assert "| 风扇状态 | **异常** | 2025-03-01 |" in core  # the finding and the night it began
    assert "fan 1/" not in core and "风扇 1/" not in core  # not the night's detail
    assert "../status/core-1.md" in core  # the nightly figures are a link away
    assert "INC-2025-0001" in core  # a record about the device stays on its page
    status = after["docs/status/core-1.md"].decode("utf-8")
    assert "FAN_FAILED 3" in status and "风扇 1/3" in status and "13 %" in status
    assert "netkb-sparkline" in status and "连续 2 晚无变化" in status
    acc = after["docs/devices/acc-1.md"].decode("utf-8")
    assert "最近一次成功采集在 2025-03-02 02:00，此后的采集均失败" in acc  # the same every night
    assert "timed out" in after["docs/status/acc-1.md"].decode("utf-8")


# What the device page used to carry, each put back in turn: the comparison must catch it.
def _with_last_collected(site: Site, d: DeviceView) -> list[tuple[object, object]]:
    return [*ORIGINAL_FACTS(site, d), ("last collected", when(d.last_ok))]


def _quiet_up_to_now(s: Strings, collections: Collections, changes: list[Change]) -> list[str | None]:
    """The quiet line before the newest change, counted up to now."""
    newest = device_history.quiet_nights(collections, None, changes[0].date)
    return [f"{newest} nights", *([None] * (len(changes) - 1))]


ORIGINAL_FACTS = devices._facts
NIGHTLY_VALUES: list[tuple[str, Callable[..., object]]] = [
    ("_facts", _with_last_collected),
    ("quiet_between", _quiet_up_to_now),
]


@pytest.mark.parametrize(("name", "nightly"), NIGHTLY_VALUES)
def test_the_comparison_fails_when_a_nightly_value_is_put_back_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, nightly: Callable[..., object]
) -> None:
    monkeypatch.setattr(devices, name, nightly)
    before, after = _two_nights(tmp_path)
    assert after["docs/devices/core-1.md"] != before["docs/devices/core-1.md"]
