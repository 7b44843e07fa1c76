"""The baseline over time: the sweep per building and night (pure), the blobs named by a change's
patch, and the history judged on a real git repository — once per config, a warm night judging
only the new config and giving the trend a cold run gives."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest

from netkb.baseline.model import Verdict
from netkb.baseline.trend import Counts, Step, sweep
from netkb.generator import baseline_history
from netkb.generator.baseline_history import baseline_trend, new_blobs
from netkb.generator.model import Change, DeviceHistory, DeviceRun, History, RunSummary
from netkb.generator.pages.baseline_trend import attach, building_section, device_history, report_section
from netkb.generator.site import Site, build_site
from netkb.inspection.checklist import load_checklist
from netkb.inventory import Inventory
from netkb.settings import Settings

TZ = dt.timezone(dt.timedelta(hours=8))
HOSTILE = "<script>x</script> | `b` [l](javascript:x)"


def at(day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=TZ)


def test_sweep_counts_each_building_each_night_and_lists_the_verdicts_that_changed() -> None:
    devices = {
        "a": ("east", [Step(at(1), "pf"), Step(at(3), "pp")]),
        "b": ("east", [Step(at(2), "uf")]),
        "c": ("west", [Step(at(2), "ff"), Step(at(4), None)]),  # its config removed
    }
    nights = [at(d).date() for d in (1, 2, 3, 4)]
    trend = sweep(devices, ["r1", "r2"], nights, TZ)
    assert trend.buildings["east"] == [Counts(1, 1), Counts(1, 2, 1), Counts(2, 1, 1), Counts(2, 1, 1)]
    assert trend.buildings["west"] == [None, Counts(0, 2), Counts(0, 2), None]
    (fixed,) = trend.transitions
    assert (fixed.day, fixed.device, fixed.rule, fixed.before, fixed.after) == (
        at(3).date(),
        "a",
        "r2",
        Verdict.FAIL,
        Verdict.PASS,
    )
    assert trend.as_of(dt.date(2026, 10, 31)) is None
    assert trend.total(dt.date(2026, 11, 30)) == Counts(2, 1, 1)
    assert trend.between(at(1).date(), at(2).date()) == []
    assert Counts(1, 3).score == 0.25 and Counts(0, 0, 4).score is None


def test_new_blobs_reads_full_index_patches() -> None:
    old, new = "1" * 40, "2" * 40
    diff = (
        f"diff --git a/devices/s/config.txt b/devices/s/config.txt\nindex {old}..{new} 100644\n--- a\n+++ b\n"
        f"diff --git a/devices/s/state/interfaces.yml b/devices/s/state/interfaces.yml\n"
        f"new file mode 100644\nindex {'0' * 40}..{old}\n--- /dev/null\n+++ b\n"
        f"diff --git a/devices/s/state/fans.yml b/devices/s/state/fans.yml\n"
        f"deleted file mode 100644\nindex {new}..{'0' * 40}\n"
    )
    assert list(new_blobs(diff)) == [
        ("devices/s/config.txt", new),
        ("devices/s/state/interfaces.yml", old),
        ("devices/s/state/fans.yml", ""),
    ]


# --- on a real repository -------------------------------------------------------------------

FAILING = "#\n sysname sw1\n#\nline vty 0 63\n authentication-mode scheme\n#\nreturn\n"
FIXED = FAILING.replace(" sysname sw1\n", " sysname sw1\n info-center loghost 10.0.0.9\n")
AGAIN = FIXED.replace("#\nreturn", "#\nvlan 30\n#\nreturn")


def _blob(repo: Path, text: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "hash-object", "-w", "--stdin"], input=text, text=True, capture_output=True
    )
    return done.stdout.strip()


def _site(repo: Path, configs: list[str], cache: Path, building: str = "宿舍") -> Site:
    """sw1 with one config a night (nights 1, 2, ...), each a commit whose patch names its blob."""
    blobs = [_blob(repo, c) for c in configs]
    path = "devices/sw1/config.txt"
    changes, runs = [], []
    for i, blob in enumerate(blobs):
        before = blobs[i - 1] if i else "0" * 40
        diff = f"diff --git a/{path} b/{path}\nindex {before}..{blob} 100644\n"
        sha = f"{i + 1:040x}"
        changes.append(Change(sha, at(i + 1), "sw1: x", "first" if not i else "config", [], [], [path], diff))
        runs.append(
            RunSummary(
                f"runs/2026/11/202611{i + 1:02d}T020000+0800.json",
                sha,
                at(i + 1),
                at(i + 1),
                None,
                {"changed": 1},
                {"sw1": DeviceRun("changed", "", 1.0, sha, (), 0, ())},
            )
        )
    device = DeviceHistory("sw1", changes, configs[-1], {}, {path: blobs[-1]})
    history = History(head=changes[-1].sha, devices={"sw1": device}, runs=runs)
    inventory = Inventory.model_validate(
        {"devices": [{"name": "sw1", "host": "10.0.0.1", "platform": "comware", "building": building}]}
    )
    settings = Settings.model_validate({"language": "en", "snapshot_repo": str(repo)})
    now = at(len(configs), 9)
    site = build_site(
        history, inventory, settings, now=now, checklist=load_checklist(), runbooks=[], onsite=[]
    )
    attach(site, cache)
    return site


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path / "configs")], check=True)
    return tmp_path / "configs"


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The configs the baseline judged (not served from the cache)."""
    seen: list[str] = []
    evaluate = baseline_history.evaluate

    def counting(platform: str, config: str, *args: Any) -> Any:
        seen.append(config)
        return evaluate(platform, config, *args)

    monkeypatch.setattr(baseline_history, "evaluate", counting)
    return seen


def test_each_config_is_judged_once_and_a_warm_night_judges_only_the_new_one(
    repo: Path, tmp_path: Path, judged: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scanned: list[str] = []  # the devices whose patches were read for their timeline
    timeline = baseline_history.timeline

    def counting(device: Any) -> Any:
        scanned.append(device.name)
        return timeline(device)

    monkeypatch.setattr(baseline_history, "timeline", counting)
    cache = tmp_path / "cache"
    cold = baseline_trend(_site(repo, [FAILING, FIXED], cache))
    assert sorted(judged) == sorted([FAILING, FIXED])  # the old one read from git, HEAD's from the model
    judged.clear()
    scanned.clear()
    warm = baseline_trend(_site(repo, [FAILING, FIXED], cache))
    assert judged == [] and scanned == [] and warm == cold
    night = baseline_trend(_site(repo, [FAILING, FIXED, AGAIN], cache))
    assert judged == [AGAIN] and scanned == ["sw1"]
    (tmp_path / "other").mkdir()
    assert night == baseline_trend(_site(repo, [FAILING, FIXED, AGAIN], tmp_path / "other"))  # = a cold run
    fixed = [t for t in night.transitions if t.rule == "remote-syslog"]
    assert [(t.day, t.before, t.after) for t in fixed] == [(at(2).date(), Verdict.FAIL, Verdict.PASS)]
    first, second, third = night.buildings["宿舍"]
    assert first and second and third and second.passed == first.passed + 1 and third == second


def test_a_cache_of_another_rule_set_is_not_used(
    repo: Path, tmp_path: Path, judged: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline_trend(_site(repo, [FAILING], tmp_path))
    judged.clear()
    monkeypatch.setattr(baseline_history, "rules_digest", lambda: "another rule set")
    baseline_trend(_site(repo, [FAILING], tmp_path))
    assert judged == [FAILING]


def test_the_fix_shows_on_the_building_page_device_history_and_report(repo: Path, tmp_path: Path) -> None:
    site = _site(repo, [FAILING, FIXED], tmp_path, building=HOSTILE)
    section = building_section(site, HOSTILE)
    assert section.startswith("## Security baseline") and "2026-11-02" in section
    assert "[Remote syslog" in section or "remote-syslog" in section
    assert "Fail → **Pass**" in section
    assert "<script>" not in section and "| `b`" not in section  # the name is inert, also in the SVG
    assert section in "\n".join(s(site, HOSTILE) for s in site.extras["building_sections"])
    history = "\n".join(device_history(site, "baseline/devices/sw1.md", "sw1"))
    assert "2026-11-02" in history and "(../rules/remote-syslog.md)" in history
    report = "\n".join(report_section(site, "reports/2026-11.md", at(1, 0), at(3, 0)))
    assert "At the end (2026-11-02)" in report and "pass +" in report
    assert "1 verdict changes in this period" in report
