"""Who answered, against who was expected (collector/identity.py)."""

from __future__ import annotations

from netkb.collector.identity import Identity, identity_of, mismatch

CW = "#\n sysname core-1\n#\nreturn\n"


def test_names_and_serials_are_read_per_platform() -> None:
    rows = [{"slot": "1", "serial": "210235A1ABC"}, {"slot": "fan 1", "serial": "NONE"}]
    assert identity_of("comware", CW, rows) == Identity("core-1", frozenset({"210235A1ABC"}))
    assert identity_of("vrp", "sysname 教学楼-S5720\nreturn\n", None).name == "教学楼-S5720"
    assert identity_of("ios", "hostname dorm-7\n!\nend\n", []).name == "dorm-7"
    assert identity_of("ios", "", []) == Identity(None, frozenset())


def test_another_name_or_disjoint_serials_is_another_device() -> None:
    before = Identity("core-2", frozenset({"A", "B"}))
    assert (
        mismatch("core-2", None, before, Identity("core-2", frozenset({"B", "C"}))) is None
    )  # a board swapped
    assert "core-1" in (mismatch("core-2", None, before, Identity("core-1", frozenset({"A"}))) or "")
    assert "netkb accept core-2" in (
        mismatch("core-2", None, before, Identity("core-2", frozenset({"X"}))) or ""
    )
    assert mismatch("core-2", None, None, Identity("anything", frozenset())) is None  # first contact
    assert mismatch("core-2", None, Identity(None, frozenset()), Identity("x", frozenset({"A"}))) is None


def test_the_inventory_sysname_is_checked_even_without_history() -> None:
    reason = mismatch("core-2", "XA-Core-02", None, Identity("XA-Core-01", frozenset()))
    assert reason and "the inventory says core-2 is 'XA-Core-02'" in reason
    assert mismatch("core-2", "XA-Core-02", None, Identity("XA-Core-02", frozenset())) is None
