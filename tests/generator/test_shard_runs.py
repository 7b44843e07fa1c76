"""A night collected in shards shows as one collection on the home page: every shard's record,
every shard's failed devices, and the shards that left no record (their devices were not
collected) — not only the last shard to commit."""

from __future__ import annotations

import datetime as dt

from netkb.generator.model import DeviceRun, History, RunSummary
from netkb.generator.pages import home
from netkb.generator.site import build_site, last_collection
from netkb.inspection.checklist import load_checklist
from netkb.inventory import Inventory
from netkb.settings import Settings

TZ = dt.timezone(dt.timedelta(hours=8))
NAMES = [f"acc-{i:02d}" for i in range(1, 9)]


def run(day: int, minute: int, shard: str | None, outcomes: dict[str, str]) -> RunSummary:
    started = dt.datetime(2026, 11, day, 2, minute, tzinfo=TZ)
    stamp = started.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = f"-shard{shard.replace('/', 'of')}" if shard else ""
    devices = {
        n: DeviceRun(o, f"{n}: connection refused" if o == "failed" else "", 1.0, None, (), 0, ())
        for n, o in outcomes.items()
    }
    counts = {k: sum(1 for o in outcomes.values() if o == k) for k in ("changed", "unchanged", "failed")}
    return RunSummary(f"runs/2026/11/{stamp}{suffix}.json", "a" * 40, started, started, None, counts, devices)


def home_page(runs: list[RunSummary], language: str = "en") -> str:
    inventory = Inventory.model_validate(
        {"devices": [{"name": n, "host": "10.0.0.1", "platform": "comware"} for n in NAMES]}
    )
    site = build_site(
        History(head="f" * 40, runs=runs),
        inventory,
        Settings.model_validate({"language": language}),
        now=dt.datetime(2026, 11, 3, 9, 0, tzinfo=TZ),
        checklist=load_checklist(),
        runbooks=[],
        onsite=[],
    )
    return home.render_pages(site)["index.md"]


def night(day: int, shards: dict[int, dict[str, str]]) -> list[RunSummary]:
    return [run(day, 2 * k, f"{k}/4", outcomes) for k, outcomes in sorted(shards.items())]


FIRST = night(1, {k: {n: "changed" for n in NAMES[2 * (k - 1) : 2 * k]} for k in range(1, 5)})
# The second night: shard 2 failed to commit its record; shards 1 and 4 have a failed device each.
SECOND = night(
    2,
    {
        1: {"acc-01": "failed", "acc-02": "unchanged"},
        3: {"acc-05": "unchanged", "acc-06": "unchanged"},
        4: {"acc-07": "unchanged", "acc-08": "failed"},
    },
)


def test_the_last_collection_is_every_shard_of_the_newest_night() -> None:
    last = last_collection(FIRST + SECOND)
    assert [r.path for r in last.runs] == [r.path for r in SECOND]
    assert last.shards == 4 and last.missing == [2]
    assert last_collection(FIRST).missing == [] and len(last_collection(FIRST).runs) == 4
    unsharded = run(3, 0, None, {"acc-01": "changed"})
    assert last_collection([*FIRST, *SECOND, unsharded]).runs == [unsharded]


def test_the_home_page_shows_every_shards_failures_and_the_missing_shard() -> None:
    page = home_page(FIRST + SECOND)
    assert "Last night's collection ran in 4 shards, 3 with a record:" in page
    assert page.count("1 unchanged, 1 failed (of 2)") == 2  # shards 1 and 4
    assert "Shard 2/4 has no record of this night: its devices were not collected." in page
    failed = page.split("### Devices that failed", 1)[1].split("###", 1)[0]
    assert "acc-01" in failed and "acc-08" in failed  # the first and the last shard's
    zh = home_page(FIRST + SECOND, "zh")
    assert "分片 2/4 没有这一晚的采集记录" in zh and "分为 4 个分片，3 个有记录" in zh


def test_an_unsharded_run_reads_as_before() -> None:
    page = home_page([run(1, 0, None, {n: "changed" for n in NAMES})])
    assert "shards" not in page and "8 changed, 0 unchanged, 0 failed (of 8)" in page
