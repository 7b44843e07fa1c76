"""The i18n catalogue (netkb/strings.yaml + netkb/strings/*.yaml, and the checklist's item texts):
every key in both languages, nothing empty, the same placeholders in zh and en, every key the code
asks for defined, no key defined twice."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from netkb.i18n import LANGUAGES, Strings, build_table, catalogue_files
from netkb.inspection.checklist import load_checklist
from netkb.inspection.details import localise

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = build_table(catalogue_files())


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_every_key_has_a_non_empty_value_in_both_languages() -> None:
    empty = [
        (key, LANGUAGES[i])
        for key, values in CATALOGUE.items()
        for i, v in enumerate(values)
        if not v.strip()
    ]
    assert not empty
    assert len(CATALOGUE) > 400  # the site's UI, reports, recommendations and terms together


def test_zh_and_en_take_the_same_placeholders() -> None:
    differ = {key: (placeholders(zh), placeholders(en)) for key, (zh, en) in CATALOGUE.items()}
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}


def test_a_chinese_value_is_chinese_and_an_english_value_has_no_chinese() -> None:
    han = re.compile(r"[\u4e00-\u9fff]")
    assert [k for k, (_, en) in CATALOGUE.items() if han.search(en)] == []
    # Names and units (VLAN, AP, SLA 达成率 …) may be ASCII in zh; a whole English phrase may not.
    assert [
        k for k, (zh, _) in CATALOGUE.items() if not han.search(zh) and re.search(r"[a-z]{3,} [a-z]{3,}", zh)
    ] == []


def test_the_checklist_texts_are_in_both_languages_with_the_same_placeholders() -> None:
    checklist = load_checklist()
    texts = [("unknown_suggestion", checklist.unknown_suggestion)] + [
        (f"{item.id}.{field}", getattr(item, field))
        for item in checklist.items
        for field in ("item", "standard", "method", "suggestion")
    ]
    assert [name for name, t in texts if not t.zh.strip() or not t.en.strip()] == []
    assert [name for name, t in texts if placeholders(t.zh) != placeholders(t.en)] == []


def test_a_key_defined_twice_or_a_value_not_zh_en_is_refused_with_every_problem() -> None:
    with pytest.raises(ValueError) as caught:
        build_table(
            [("a.yaml", "home: [首页, Home]\nhome: [主页, Home]\n"), ("b.yaml", "home: [x, y]\nodd: [x]\n")]
        )
    message = str(caught.value)
    assert "a.yaml: 'home' is already defined in a.yaml" in message
    assert "b.yaml: 'home' is already defined in a.yaml" in message
    assert "b.yaml: 'odd' must be a list [zh, en]" in message


def test_the_packaged_catalogue_has_no_key_defined_twice() -> None:
    seen: dict[str, str] = {}
    for name, text in catalogue_files():
        for key in re.findall(r"^([A-Za-z0-9_]+):", text, re.M):
            assert key not in seen, f"{key} in {name} and {seen[key]}"
            seen[key] = name


# Keys the code asks for by name: s("key"), strings("key"), .plain("key"); keys built at run time
# (f"status_{...}") are checked by the pages that render them (the golden files).
CALL = re.compile(
    r"""\b(?:s|strings|self\.strings|site\.strings|\w+\.plain)\(\s*["']([a-z][a-z0-9_]*)["']\s*[,)]"""
)


def test_every_key_the_code_asks_for_exists() -> None:
    used: dict[str, str] = {}
    for folder in ("generator", "netkb"):
        for path in (ROOT / folder).rglob("*.py"):
            for key in CALL.findall(path.read_text(encoding="utf-8")):
                used.setdefault(key, str(path.relative_to(ROOT)))
    assert len(used) > 150
    assert {k: where for k, where in used.items() if k not in CATALOGUE} == {}


def test_a_closed_set_word_falls_back_to_itself_and_durations_follow_the_language() -> None:
    zh, en = Strings("zh"), Strings("en")
    assert zh.term("role", "access") == "接入" and en.term("role", "access") == "access"
    assert zh.term("role", "dormitory-edge") == "dormitory-edge"  # a role the user chose
    assert [zh.duration(s) for s in (660, 86400, 3900, -720, None)] == [
        "11 分钟",
        "1 天 0 小时",
        "1 小时 05 分",
        "-12 分钟",
        "—",
    ]
    assert [en.duration(s) for s in (660, 86400, 3900, -720)] == ["11m", "1d 0h", "1h 05m", "-12m"]


# --- inspection details: the checks' English read back through the catalogue's templates -------

# Device words the checks quote as the device printed them (a raw status, an IRF role, a log line).
DEVICE_WORDS = {
    "Fault",
    "Master",
    "Standby",
    "Loading",
    "Init",
    "suspend",
    "mgmt",
    "default",
    "hotspot",
    "inflow",
}
DEVICE_WORDS |= {"IFNET", "PHY_UPDOWN", "Full", "DR", "DROther", "DROthers", "Way", "x"}


def check_details() -> list[str]:
    """Details the real checks write: a healthy core's, each fault's, data that cannot be judged."""
    from tests.collector.test_inspection import ABNORMAL_CASES, healthy, verdicts

    details = [f.detail for f in verdicts(healthy()).values()]
    for _, changes, _ in ABNORMAL_CASES:
        current = healthy()
        for change in changes:
            change(current)
        details += [f.detail for f in verdicts(current).values()]
    odd = {"fans": [{"id": "1", "status": "unknown", "raw_status": "Spinning"}], "vlans": "garbage"}
    details += [
        f.detail for topic, value in odd.items() for f in verdicts(healthy(**{topic: value})).values()
    ]
    details += [f.detail for f in verdicts(healthy(irf=[{"member": 1, "role": "Master"}])).values()]
    return sorted(set(details))


def test_every_detail_a_check_writes_reads_in_chinese() -> None:
    from tests.generator.test_zh_pages import foreign_words

    zh = Strings("zh")
    details = check_details()
    assert len(details) > 20
    left = {d: localise(d, zh) for d in details}
    assert {d: t for d, t in left.items() if t == d} == {}  # each one matched a template
    # Python's own words in a "data not in the expected shape" detail stay as Python wrote them.
    shown = {
        d: t.split("：", 1)[0] if d.startswith("data not in the expected shape") else t
        for d, t in left.items()
    }
    words = {d: foreign_words(t) - DEVICE_WORDS - {"Spinning"} for d, t in shown.items()}
    assert {d: w for d, w in words.items() if w} == {}


def test_a_detail_no_template_knows_is_shown_as_stored() -> None:
    zh = Strings("zh")
    assert localise("fan 1/1: Fault", zh) == "风扇 1/1：Fault"
    assert localise("CPU 1-min 3%, 5-min 4% (threshold 80%)", zh) == "CPU 1 分钟 3%、5 分钟 4%（阈值 80%）"
    assert (
        localise("fans checked by hand on 2025-01-01", zh) == "fans checked by hand on 2025-01-01"
    )  # an old record
    assert localise("fan 1/1: Fault", Strings("en")) == "fan 1/1: Fault"
