"""The asset register: inventory fields joined with what the device reports; mismatches and
warranty warnings."""

from __future__ import annotations

import datetime as dt

from netkb.generator.assets import Coverage, asset_register, term, warranty_warnings
from netkb.generator.model import DeviceHistory, History
from netkb.inventory import Asset, DeviceEntry, PlatformName

TODAY = dt.date(2026, 11, 1)


def entry(
    name: str, platform: str = "comware", model: str = "", serial: str = "", **asset: object
) -> DeviceEntry:
    return DeviceEntry(
        name=name, host="10.0.0.1", platform=PlatformName(platform), model=model, serial=serial,
        asset=Asset.model_validate(asset),
    )  # fmt: skip


def reported(model: str, *serials: str, chassis: str = "") -> dict[str, object]:
    manu = [{"slot": "chassis", "name": model, "serial": chassis}] if chassis else []
    manu += [{"slot": str(i), "name": "board", "serial": s} for i, s in enumerate(serials, 1)]
    return {"version": {"model": model, "software": "7.1.070 Release 7585P05"}, "manuinfo": manu}


HISTORY = History(
    head="h",
    devices={
        "core-1": DeviceHistory("core-1", state=reported("S7506E", "SN-B1", "SN-B2", chassis="SN-CORE")),
        "core-2": DeviceHistory("core-2", state=reported("S7506E", "SN-B3", chassis="SN-OTHER")),
        "acc-1": DeviceHistory("acc-1", state=reported("S5130S-28S-EI", "SN-ACC")),
        "dorm-1": DeviceHistory(
            "dorm-1", state={"version": {"model": "S5700-28C-EI", "software": "V200R011C10"}}
        ),
    },
)


def test_reported_facts_are_joined_and_disagreements_flagged() -> None:
    devices = [
        entry("core-1", model="H3C S7506E", serial="SN-CORE", vendor="H3C", service_level="7x24"),
        entry("core-2", model="S7503E", serial="SN-CORE-2"),  # another model, another chassis
        entry("acc-1", model="S5130", serial="SN-ACC", vendor="Huawei"),  # a prefix model is the same
        entry("dorm-1", platform="vrp", model="S5700", serial="210235A1"),  # no serial reported: no verdict
        entry("new-1", model="S5130", serial="X"),  # never collected
    ]
    rows = {r.name: r for r in asset_register(devices, HISTORY, TODAY)}
    core1 = rows["core-1"]
    assert (core1.reported_model, core1.reported_serial, core1.software) == (
        "S7506E",
        "SN-CORE",
        "7.1.070 Release 7585P05",
    )
    assert core1.reported_serials == ("SN-CORE", "SN-B1", "SN-B2") and core1.mismatches == ()
    assert core1.vendor == "H3C" and core1.service_level == "7x24"
    assert [(m.field, m.inventory, m.reported) for m in rows["core-2"].mismatches] == [
        ("model", "S7503E", "S7506E"),
        ("serial", "SN-CORE-2", "SN-OTHER"),
    ]
    assert [(m.field, m.inventory) for m in rows["acc-1"].mismatches] == [("vendor", "Huawei")]
    assert rows["dorm-1"].mismatches == () and rows["dorm-1"].reported_serial == ""
    assert rows["new-1"].reported_model == "" and rows["new-1"].mismatches == ()


def test_warranty_terms_and_warnings() -> None:
    assert term(dt.date(2026, 10, 31), TODAY, [90, 30]).coverage is Coverage.ENDED
    assert term(TODAY, TODAY, [90, 30]) == term(TODAY, TODAY, [30, 90])  # the last day still counts
    assert (term(TODAY, TODAY, [90, 30]).coverage, term(TODAY, TODAY, [90, 30]).within) == (
        Coverage.ENDING,
        30,
    )
    # Nov 1 -> Dec 1 is 30 days, -> Jan 1 61, -> Jan 30 90.
    assert term(dt.date(2026, 12, 1), TODAY, [90, 30]).within == 30  # 30 days left
    assert term(dt.date(2026, 12, 2), TODAY, [90, 30]).within == 90  # 31 days left: within 90 only
    assert term(dt.date(2027, 1, 30), TODAY, [90, 30]).within == 90  # 90 days left
    assert term(dt.date(2027, 1, 31), TODAY, [90, 30]).coverage is Coverage.COVERED  # 91 days left
    assert term(None, TODAY, [90, 30]).coverage is Coverage.UNKNOWN

    devices = [
        entry("a", warranty_end="2027-06-30"),
        entry("b", warranty_end="2026-11-20"),  # 19 days
        entry("c", warranty_end="2026-06-30"),  # ended 124 days ago
        entry("d", warranty_end="2028-01-01", vendor_support_end="2026-12-31"),  # support ends in 60 days
        entry("e"),
    ]
    flagged = warranty_warnings(asset_register(devices, HISTORY, TODAY))
    assert [(r.name, r.warranty.days_left, r.support.days_left) for r in flagged] == [
        ("c", -124, None),
        ("b", 19, None),
        ("d", 426, 60),  # 61 days to 2027-01-01, 365 more
    ]
