"""The nights bench/bench_site.py times, each as a real deployment lives it (issue 16).

A night is always a nightly collect (four shard records appended, bench/synthrepo.py) and, before
it, what the team did that day: nothing, a new incident, a new device in the inventory, a changed
setting, an edited runbook. Then CI's checkout: a fresh clone has no build/docs/ and no site/;
only build/cache/ (the generator's and the MkDocs plugin's caches, which both CI examples in
.ci/examples/ keep between nights) is left.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.synthnet import DeviceState, Simulator
from bench.synthrepo import append_night
from bench.teamrecords import INCIDENTS, add_incident, edit_runbook

SHARDS = 4


@dataclass(frozen=True)
class Work:
    """The benchmark's deployment: configs/ (a copy of the synthetic repository), records/,
    inventory.yml, netkb.yml, build/, site/, and sim.pickle (the network the nights go on from)."""

    folder: Path

    @property
    def sim(self) -> Path:
        return self.folder / "sim.pickle"

    @property
    def inventory(self) -> Path:
        return self.folder / "inventory.yml"

    @property
    def records(self) -> Path:
        return self.folder / "records"

    @property
    def settings(self) -> Path:
        return self.folder / "netkb.yml"


def write_inventory(source: Path, target: Path) -> None:
    """The synthetic inventory without its credentials file (the site does not log in, and
    `netkb check` would ask for the file)."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.pop("credentials_file", None)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _night_start(work: Work) -> dt.datetime:
    with work.sim.open("rb") as f:
        sim: Simulator = pickle.load(f)
    return sim.start + dt.timedelta(days=sim.nights)


def nothing(work: Work, number: int) -> str:
    return "a night"


def an_incident(work: Work, number: int) -> str:
    reported = _night_start(work) - dt.timedelta(hours=14)  # the afternoon before the collect
    add_incident(work.records, work.inventory, reported, INCIDENTS + number)
    return "a night + an incident"


def a_device(work: Work, number: int) -> str:
    """A new access switch: in the simulated network (collected for the first time tonight) and
    in the inventory, as a team adds one."""
    with work.sim.open("rb") as f:
        sim: Simulator = pickle.load(f)
    model = next(d for d in sim.net.devices.values() if d.role == "access")
    dev = copy.deepcopy(model)
    dev.name, dev.mgmt_ip = f"acc-new-{number:02d}", f"10.254.240.{number}"
    dev.serial = f"{model.serial[:-4]}N{number:03d}"
    sim.net.devices[dev.name] = dev
    sim.state[dev.name] = DeviceState(joins=sim.nights)
    with work.sim.open("wb") as f:
        pickle.dump(sim, f, protocol=pickle.HIGHEST_PROTOCOL)
    data = yaml.safe_load(work.inventory.read_text(encoding="utf-8"))
    entry: dict[str, Any] = copy.deepcopy(next(e for e in data["devices"] if e["name"] == model.name))
    entry.update(name=dev.name, host=dev.mgmt_ip, mgmt_ip=dev.mgmt_ip, serial=dev.serial)
    data["devices"].append(entry)
    work.inventory.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return "a night + a device"


def a_setting(work: Work, number: int) -> str:
    """A site setting a team tunes: when a device counts as stale."""
    text = work.settings.read_text(encoding="utf-8")
    work.settings.write_text(text + f"stale_days: {3 + number}\n", encoding="utf-8")
    return "a night + a setting"


def a_runbook(work: Work, number: int) -> str:
    edit_runbook(work.records, number % 40)
    return "a night + a runbook edit"


# The timed nights, in order: (a)–(e) of issue 16, then plain nights past a week (the history
# cache folds its deltas into a new base) and ten (the page cache rewrites its journal).
SCENARIOS: tuple[Callable[[Work, int], str], ...] = (nothing, an_incident, a_device, a_setting, a_runbook)


def scenario(index: int) -> Callable[[Work, int], str]:
    return SCENARIOS[index] if index < len(SCENARIOS) else nothing


def night(work: Work, index: int) -> tuple[str, dict[str, Any]]:
    """Night `index` (0-based): the day's change, the collect, CI's fresh checkout; what it was
    and the collect's summary."""
    what = scenario(index)(work, index + 1)
    summary = append_night(work.folder / "configs", work.sim, save_to=work.sim, checkout=False, shards=SHARDS)
    fresh_checkout(work)
    return what, summary


def fresh_checkout(work: Work) -> None:
    """What a CI job starts from: the generated tree and the site gone, build/cache/ restored."""
    build = work.folder / "build"
    for child in build.iterdir() if build.exists() else []:
        if child.name != "cache":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.rmtree(work.folder / "site", ignore_errors=True)
