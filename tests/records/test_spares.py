"""The spare-parts ledger (spares.yml) read with the records: stock, low stock, the parts a device
received, and every problem `netkb check` reports (a part that does not fit, more used than received,
a part the ledger does not list, a bad ledger, bad effort fields), all at once."""

from __future__ import annotations

from pathlib import Path

from netkb.records.handwritten import read_records
from netkb.records.requests import RequestRules, parse_request
from netkb.settings import Settings

MODELS = {"core-1": "S7500E", "agg-1": "S6520X-30QC-EI", "acc-1": ""}  # acc-1: model unknown

LEDGER = """\
parts:
  - part: FAN-1
    description: fan tray
    fits: [s7500e]                  # case does not matter
    minimum: 1
    received:
      - {date: 2026-03-01, quantity: 2, unit_cost: 1000}
      - {date: 2026-06-01, quantity: 1, unit_cost: 1300}
  - part: PSU-1
    fits: [S6520X-30QC-EI]
    received:
      - {date: 2026-03-01, quantity: 1, unit_cost: 800}
  - part: 12345                     # a bare number is a part number too
    fits: [S7500E]
"""


def incident(folder: Path, name: str, devices: str, extra: str) -> None:
    (folder / "incidents").mkdir(parents=True, exist_ok=True)
    (folder / "incidents" / f"{name}.md").write_text(
        f"---\nid: {name}\ntitle: t\nlevel: P3\ncategory: hardware\ndevices: {devices}\n"
        "reported: 2026-09-15T08:45:00+08:00\nresponded: 2026-09-15T08:52:00+08:00\n"
        f"status: open\n{extra}---\nnarrative\n",
        encoding="utf-8",
    )


def read(folder: Path) -> tuple[object, list[str]]:
    written = read_records(set(MODELS), Settings(), folder, MODELS)
    return written, written.problems


def test_stock_low_stock_prices_and_the_serials_of_a_device(tmp_path: Path) -> None:
    (tmp_path / "spares.yml").write_text(LEDGER, encoding="utf-8")
    fan = "parts:\n  - {part: FAN-1, serial_out: OLD-1, serial_in: NEW-1}\n"
    incident(tmp_path, "INC-1", "[core-1]", fan)
    incident(tmp_path, "INC-2", "[core-1, agg-1]", "parts:\n  - {part: PSU-1, device: agg-1, cost: 950}\n")
    # acc-1's model is not known: whether a part fits it is not checked.
    incident(tmp_path, "INC-3", "[acc-1]", "parts:\n  - {part: FAN-1}\n")
    written, problems = read(tmp_path)
    assert problems == []
    ledger = written.spares  # type: ignore[attr-defined]
    stock = {s.part.part: (s.on_hand, s.low) for s in ledger.stock()}
    # FAN-1: 2 + 1 received, 2 used -> 1 left, minimum 1: not low. PSU-1: 1 - 1 = 0, minimum 0.
    # 12345: nothing received, nothing used, minimum 0.
    assert stock == {"FAN-1": (1, False), "PSU-1": (0, False), "12345": (0, False)}
    assert [(u.part, u.serial_out, u.serial_in, u.incident) for u in ledger.of_device("core-1")] == [
        ("FAN-1", "OLD-1", "NEW-1", "INC-1")
    ]
    assert [u.incident for u in ledger.of_device("agg-1")] == ["INC-2"]
    # A part without a cost is priced at the ledger's average unit cost: (2 × 1000 + 1 × 1300) / 3
    # = 3300 / 3 = 1100; a part with one keeps it (950).
    costs = {i.id: [p.cost for p in i.parts] for i in written.incidents}  # type: ignore[attr-defined]
    assert costs == {"INC-1": [1100.0], "INC-2": [950.0], "INC-3": [1100.0]}


def test_below_minimum_is_low(tmp_path: Path) -> None:
    (tmp_path / "spares.yml").write_text(LEDGER, encoding="utf-8")
    for n in (1, 2, 3):
        incident(tmp_path, f"INC-{n}", "[core-1]", "parts:\n  - {part: FAN-1}\n")
    written, problems = read(tmp_path)
    assert problems == []
    low = written.spares.low()  # type: ignore[attr-defined]
    assert [(s.part.part, s.on_hand) for s in low] == [("FAN-1", 0)]  # 3 received, 3 used, minimum 1


def test_check_names_every_problem_of_the_ledger_and_the_parts(tmp_path: Path) -> None:
    (tmp_path / "spares.yml").write_text(LEDGER, encoding="utf-8")
    incident(tmp_path, "INC-1", "[core-1]", "parts:\n  - {part: PSU-1}\n")  # PSU-1 does not fit S7500E
    incident(tmp_path, "INC-2", "[agg-1]", "parts:\n  - {part: PSU-1}\n")  # the second PSU-1 of one
    incident(tmp_path, "INC-3", "[agg-1]", "parts:\n  - {part: NOPE}\n")
    incident(tmp_path, "INC-4", "[core-1, agg-1]", "parts:\n  - {part: FAN-1}\ndifficulty: 9\n")
    incident(tmp_path, "INC-5", "[core-1]", "parts:\n  - {part: FAN-1, device: agg-1}\n")
    incident(tmp_path, "INC-6", "[core-1]", "effort: {onsite: -1, lunch: 2}\ntravel: {trips: x}\n")
    _, problems = read(tmp_path)
    assert sorted(problems) == sorted(
        [
            "incidents/INC-1.md: parts: 'PSU-1' does not fit core-1 (model S7500E; it fits "
            "S6520X-30QC-EI): correct the part, or its fits in spares.yml",
            "spares.yml: parts[1] (PSU-1): 2 used (INC-1, INC-2) but 1 received: add the receipt "
            "under received, or correct the incidents",
            "incidents/INC-3.md: parts: 'NOPE' is not a part of spares.yml: add it there, or correct it",
            "incidents/INC-4.md: difficulty: '9' is not one of 1, 2, 3 (settings cost.difficulty)",
            "incidents/INC-4.md: parts[0].device: missing: the record names several devices; say which one",
            "incidents/INC-5.md: parts[0].device: 'agg-1' is not one of the record's devices",
            "incidents/INC-6.md: effort.onsite: Input should be greater than or equal to 0 (got -1)",
            "incidents/INC-6.md: effort.lunch: unknown field (check its spelling)",
            "incidents/INC-6.md: travel.trips: Input should be a valid integer, unable to parse string "
            "as an integer (got 'x')",
        ]
    )


def test_a_bad_ledger_is_every_problem_at_once_and_no_ledger_is_no_check(tmp_path: Path) -> None:
    (tmp_path / "spares.yml").write_text(
        "parts:\n  - part: A\n    fits: []\n    received: [{date: 2026-01-01, quantity: 0, unit_cost: 1}]\n"
        "  - part: A\n    fits: [X]\n    colour: red\n",
        encoding="utf-8",
    )
    _, problems = read(tmp_path)
    assert [p.split(":")[1].strip() for p in problems] == [
        "parts[0].fits",
        "parts[0].received[0].quantity",
        "parts[1].colour",
    ]
    assert all(p.startswith("spares.yml: ") for p in problems)
    (tmp_path / "spares.yml").unlink()
    incident(tmp_path, "INC-1", "[core-1]", "parts:\n  - {part: ANY}\n")
    written, problems = read(tmp_path)
    assert problems == [] and written.spares is None  # type: ignore[attr-defined]


def test_a_request_records_its_work_like_an_incident_and_each_bad_field_is_named() -> None:
    text = (
        "---\nid: REQ-1\ntitle: t\ntype: new_port\nchannel: phone\nrequester: a\ndepartment: b\n"
        "building: c\ndevices: [core-1, agg-1]\nreceived: 2026-10-01T09:00:00+08:00\n"
        "effort: {remote: 1, bogus: 2}\ndifficulty: 7\nparts: [{part: X}]\ntravel: {trips: 1}\n---\n"
    )
    rules = RequestRules(frozenset(MODELS), ("new_port",), None, ("1", "2", "3"))
    request, problems = parse_request(text, "requests/x.md", rules)
    assert request is None
    assert sorted(problems) == [
        "requests/x.md: difficulty: '7' is not one of 1, 2, 3 (settings cost.difficulty)",
        "requests/x.md: effort.bogus: unknown field (check its spelling; known: onsite, remote)",
        "requests/x.md: parts[0].device: missing: the record names several devices; say which one",
    ]
    good = (
        text.replace(", bogus: 2", "")
        .replace("difficulty: 7", "difficulty: 2")
        .replace("X}", "X, device: agg-1}")
    )
    request, problems = parse_request(good, "requests/x.md", rules)
    assert problems == [] and request is not None and request.effort and request.travel
    assert (request.effort.remote, request.difficulty, request.parts[0].device, request.travel.trips) == (
        1,
        "2",
        "agg-1",
        1,
    )


def test_a_part_a_service_request_put_in_leaves_the_stock_and_is_checked(tmp_path: Path) -> None:
    (tmp_path / "spares.yml").write_text(LEDGER, encoding="utf-8")
    incident(tmp_path, "INC-1", "[core-1]", "parts:\n  - {part: FAN-1}\n")
    (tmp_path / "requests").mkdir()
    request = (
        "---\nid: REQ-2026-0001\ntitle: 更换风扇\ntype: other\nchannel: phone\nrequester: a\n"
        "department: b\nbuilding: c\ndevices: [{device}]\nreceived: 2026-10-01T09:00:00+08:00\n"
        "fulfilled: 2026-10-02T10:00:00+08:00\nparts:\n  - {{part: {part}, serial_out: OLD-9}}\n---\n"
    )
    (tmp_path / "requests" / "fan.md").write_text(request.format(device="core-1", part="FAN-1"), "utf-8")
    written, problems = read(tmp_path)
    assert problems == []
    ledger = written.spares  # type: ignore[attr-defined]
    # FAN-1: 3 received, one by the incident and one by the request -> 1 left.
    assert {s.part.part: s.on_hand for s in ledger.stock()}["FAN-1"] == 1
    uses = [(u.incident, str(u.date), u.serial_out) for u in ledger.of_device("core-1")]
    assert uses == [("INC-1", "2026-09-15", ""), ("REQ-2026-0001", "2026-10-02", "OLD-9")]
    # The request's part names no cost: the ledger's average, (2 × 1000 + 1 × 1300) / 3 = 1100.
    assert [p.cost for p in written.requests[0].parts] == [1100.0]  # type: ignore[attr-defined]
    # A part a request put into a device it does not fit is refused like an incident's.
    (tmp_path / "requests" / "fan.md").write_text(request.format(device="agg-1", part="FAN-1"), "utf-8")
    assert any("requests/fan.md: parts: 'FAN-1' does not fit agg-1" in p for p in read(tmp_path)[1])
