"""The security baseline on every config the snapshot history holds: per device the verdicts of
each config it had, per building the counts of every night (netkb/baseline/trend.py).

Which config a device had when comes from the changes the history model already holds: each
change's patch names the new blob of every file (`git log -p --full-index`), so no git process
walks the history again. Each (platform, config blob, interface-state blob) is judged once and
kept in `baseline-verdicts.pickle` in the cache folder under a digest of the rule set and the
code that judges (`rules_digest`), not netkb's whole fingerprint: an upgrade that leaves the
rules alone keeps a year of verdicts. A night then costs only the configs it changed: their
blobs are read in one `git cat-file --batch`, those at HEAD not at all (the model has them).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import git

from netkb.baseline.engine import evaluate
from netkb.baseline.model import RuleSet, load_rules
from netkb.baseline.trend import Step, Trend, sweep, verdict_codes
from netkb.generator.gitlog import read_blobs, utf8
from netkb.generator.model import config_path
from netkb.generator.site import DeviceView, Site
from netkb.generator.statefile import load_state

CACHE_FILE = "baseline-verdicts.pickle"
Key = tuple[str, str, str]  # platform, config blob, interfaces.yml blob ("" = none)

# The new blob of each file a patch changes (`new file mode` / `deleted file mode` may come between).
_INDEX = re.compile(
    r"^diff --git a/(\S+) b/\S+\n(?:(?:new|deleted) file mode \d+\n)?index ([0-9a-f]+)\.\.([0-9a-f]+)", re.M
)
_GONE = re.compile(r"^0+$")


def interfaces_path(name: str) -> str:
    return f"devices/{name}/state/interfaces.yml"


@cache
def rules_digest() -> str:
    """What a verdict depends on besides its config: the rule file and the code that reads it."""
    digest = hashlib.sha256()
    for package, name in (
        ("netkb.baseline", "gbt22239.yaml"),
        ("netkb.baseline", "engine.py"),
        ("netkb.baseline", "model.py"),
        ("netkb.generator", "statefile.py"),
    ):
        digest.update(resources.files(package).joinpath(name).read_bytes() + b"\0")
    return digest.hexdigest()


def new_blobs(diff: str) -> Iterator[tuple[str, str]]:
    """(path, new blob, "" when deleted) of every file the patch changes."""
    for found in _INDEX.finditer(diff):
        yield found.group(1), "" if _GONE.match(found.group(3)) else found.group(3)


def timeline(device: DeviceView) -> list[tuple[Any, Key]]:
    """(date, key) each time the device's config or interface state changed, oldest first; the
    last is HEAD's (a change whose patch names no blob is skipped: HEAD's files still hold)."""
    name, platform = device.name, device.platform
    paths = (config_path(name), interfaces_path(name))
    config, interfaces = "", ""
    steps: list[tuple[Any, Key]] = []
    for change in device.history.changes:
        if not any(p in paths for p in change.files):
            continue
        for path, blob in new_blobs(change.diff):
            if path == paths[0]:
                config = blob
            elif path == paths[1]:
                interfaces = blob
        key = (platform, config, interfaces)
        if (config or steps) and (not steps or steps[-1][1] != key):  # "": the config was removed
            steps.append((change.date, key))
    files = device.history.files
    head = (platform, files.get(paths[0], ""), files.get(paths[1], ""))
    if head[1] and (not steps or steps[-1][1] != head) and device.history.changes:
        steps.append((device.history.changes[-1].date, head))
    return steps


Mark = tuple[str, str, str, str]  # platform, last change, config and interfaces blob at HEAD


class VerdictCache:
    """(platform, config blob, interfaces blob) -> verdict letters, and each device's timeline
    by its last change (a year of patches is not scanned again every night), kept in one pickle;
    what this generation did not use is dropped when it is written."""

    def __init__(self, path: Path | None) -> None:
        self.path, self.salt = path, rules_digest()
        self.old: dict[Key, str] = {}
        self.used: dict[Key, str] = {}
        self.old_timelines: dict[str, tuple[Mark, list[tuple[Any, Key]]]] = {}
        self.timelines: dict[str, tuple[Mark, list[tuple[Any, Key]]]] = {}
        self.new = 0
        if path is not None:
            try:
                with path.open("rb") as f:
                    salt, entries, timelines = pickle.load(f)
                if salt == self.salt and isinstance(entries, dict) and isinstance(timelines, dict):
                    self.old, self.old_timelines = entries, timelines
            except Exception:  # missing, damaged or another rule set: judge again
                pass

    def timeline(self, device: DeviceView) -> list[tuple[Any, Key]]:
        """The device's timeline, read from its patches only when it changed since the last time."""
        files, changes = device.history.files, device.history.changes
        mark = (
            device.platform,
            changes[-1].sha if changes else "",
            files.get(config_path(device.name), ""),
            files.get(interfaces_path(device.name), ""),
        )
        found = self.old_timelines.get(device.name)
        if found is None or found[0] != mark:
            found = (mark, timeline(device))
            self.new += 1
        self.timelines[device.name] = found
        return found[1]

    def save(self) -> None:
        unchanged = len(self.used) == len(self.old) and len(self.timelines) == len(self.old_timelines)
        if self.path is None or (not self.new and unchanged):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump((self.salt, self.used, self.timelines), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


def judge_keys(site: Site, keys: set[Key], cache: VerdictCache, rules: RuleSet) -> None:
    """Every key's verdicts into `cache.used`: from the cache, else judged (blobs read in one batch)."""
    missing = []
    for key in keys:
        found = cache.old.get(key)
        if found is None:
            missing.append(key)
        else:
            cache.used[key] = found
    if not missing:
        return
    texts: dict[str, str] = {}
    for d in site.devices.values():  # what HEAD holds is in the model already
        files = d.history.files
        if files.get(config_path(d.name)):
            texts[files[config_path(d.name)]] = d.history.config
    wanted = sorted({blob for _, c, i in missing for blob in (c, i) if blob and blob not in texts})
    repo = Path(site.settings.snapshot_repo)
    if wanted and (repo / ".git").exists():
        texts.update((sha, utf8(data, sha)) for sha, data in read_blobs(git.Repo(repo), wanted))
    for key in missing:
        platform, config, interfaces = key
        if config not in texts or (interfaces and interfaces not in texts):
            continue  # not readable here (a model built without its repository): left out
        state = {"interfaces": load_state(texts[interfaces])} if interfaces else {}
        cache.used[key] = verdict_codes(evaluate(platform, texts[config], state, rules))
        cache.new += 1


def baseline_trend(site: Site) -> Trend:
    """The trend of the site's inventory devices, computed once per site."""
    found = site.extras.get("baseline_trend")
    if isinstance(found, Trend):
        return found
    rules = load_rules()
    devices = [d for d in site.devices.values() if d.entry is not None]
    cache = VerdictCache(site.extras.get("baseline_cache"))
    timelines = {d.name: cache.timeline(d) for d in devices}
    judge_keys(site, {key for steps in timelines.values() for _, key in steps}, cache, rules)
    cache.save()
    steps = {
        d.name: (d.building, [_step(at, key, cache) for at, key in timelines[d.name] if _known(key, cache)])
        for d in devices
    }
    zone = site.now.tzinfo
    nights = sorted({run.started.astimezone(zone).date() for run in site.history.runs})
    trend = sweep(steps, [r.id for r in rules.rules], nights, zone)
    site.extras["baseline_trend"] = trend
    return trend


def _known(key: Key, cache: VerdictCache) -> bool:
    return not key[1] or key in cache.used


def _step(at: Any, key: Key, cache: VerdictCache) -> Step:
    return Step(at, cache.used[key] if key[1] else None)
