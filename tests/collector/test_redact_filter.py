"""collector.redact_filter: the pre-filter skips only rules that cannot match.

The fast path (rules skipped by the filter) and the plain path (every rule run) must give the
same bytes on every text redaction meets: the config fixtures, every corpus line as a config
line, quoted in a log and inside state, the same texts upper-cased, with non-ASCII look-alikes
(`ſ` matches `s` case-insensitively), and random mixes of the rules' own keywords.
"""

from __future__ import annotations

import random
import re
import sys

import pytest

from netkb.collector import redact as redact_module
from netkb.collector import redact_filter
from netkb.collector.redact import redact, redact_free_text, redact_quoted, redact_state, shared_rules
from netkb.collector.redact_filter import LOOKALIKES, lowered, may_match, required
from netkb.spec import PLATFORMS, load_spec
from tests.collector.config_fixtures import CONFIG_FIXTURES
from tests.collector.test_secret_corpus import CORPUS, QUOTING

KEY = b"netkb-filter-test-key-0123456789abcdef"


def all_rules() -> list[tuple[str, re.Pattern[str]]]:
    rules = [(r.name, r.anywhere) for r in shared_rules().free_text]
    for platform in PLATFORMS:
        for rule in load_spec(platform).secrets:
            rules += [(f"{platform}:{rule.name}", rule.pattern), (f"{platform}:{rule.name}", rule.anywhere)]
    return [(name, pattern) for name, pattern in rules if pattern is not None]


def texts(platform: str) -> list[str]:
    """Texts that hold this platform's secrets, as configs and as logs quoting them."""
    lines = [line for p, line, _ in CORPUS if p == platform]
    found = [f.text for f in CONFIG_FIXTURES if f.spec.platform == platform] + ["\n".join(lines)]
    found += [quote.format(line=line.strip()) for quote in QUOTING[platform] for line in lines]
    found += [t.upper() for t in found] + [t.replace("s", "ſ").replace("k", "\u212a") for t in found]
    # Chinese descriptions: non-ASCII text around the keywords
    found += [f"至core-1 {t}".replace("i", "\u0131", 3) for t in found]
    words = sorted({w for _, pattern in all_rules() for any_of in required(pattern) for w in any_of})
    rng = random.Random(platform)
    for _ in range(200):  # the rules' keywords in random order, with values after them
        found.append(" ".join(rng.choice([*words, "x9", "$c$3$abc", "=", ":", "\n"]) for _ in range(12)))
    return found


def unfiltered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact_module, "may_match", lambda pattern, low: True)


def test_most_rules_require_a_keyword() -> None:
    """The filter reads a requirement out of nearly every rule (else it saves nothing)."""
    rules = all_rules()
    without = [name for name, pattern in rules if not required(pattern)]
    assert len(without) <= len(rules) // 10, without


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_match_holds_what_its_rule_requires(platform: str) -> None:
    for text in texts(platform):
        for name, pattern in all_rules():
            for match in pattern.finditer(text):
                assert may_match(pattern, lowered(match.group(0))), (name, match.group(0))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_filtered_redaction_gives_the_same_bytes(platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load_spec(platform)
    samples = texts(platform)

    def every_reading() -> list[object]:
        out: list[object] = []
        for text in samples:
            out += [
                redact(text, spec, KEY),
                redact_quoted(text, spec, KEY),
                redact_free_text(text, spec, KEY),
            ]
            out.append(
                redact_state({"rows": [{"description": line} for line in text.split("\n")]}, spec, KEY)
            )
        return out

    fast = every_reading()
    unfiltered(monkeypatch)
    assert every_reading() == fast


def test_the_look_alikes_are_every_non_ascii_character_re_matches_to_an_ascii_letter() -> None:
    import _sre
    from re import _casefix  # type: ignore[attr-defined]

    to_ascii = {chr(cp) for cp in range(128, sys.maxunicode + 1) if _sre.unicode_tolower(cp) < 128}
    extra = {chr(other) for lower, others in _casefix._EXTRA_CASES.items() if lower < 128 for other in others}
    assert set(LOOKALIKES) == to_ascii | extra
    for char, letter in LOOKALIKES.items():
        assert re.fullmatch(letter, char, re.IGNORECASE)


def test_non_ascii_text_is_filtered_exactly() -> None:
    pattern = re.compile(r"(?i)password (?P<secret>\S+)")
    for text in ("paſſword x", "PAſſWORD x", "路由器 password x", "pass\u212aword x"):
        assert may_match(pattern, lowered(text)) == bool(pattern.search(text)), text
    assert may_match(re.compile("(?i)pin"), lowered("p\u0130n")) and re.search("(?i)pin", "p\u0130n")
    assert not may_match(pattern, lowered("路由器标识 no secret here"))


def test_literals_come_from_the_regex() -> None:
    assert required(
        re.compile(r"^\s*snmp-agent community(?: (?:simple|cipher))? (?:read|write) (?P<s>\S+)")
    ) == (
        frozenset({"snmp-agent community"}),
        frozenset({" read ", " write "}),
    )
    assert required(re.compile(r"(?i)\b(?:password|pwd)\s*[:=]")) == (frozenset({"password", "pwd"}),)
    assert required(re.compile(r"(?:a|b)?\S+")) == ()  # nothing required: always run
    assert required(re.compile(r"x+|\d")) == ()  # one alternative requires nothing


def test_an_unreadable_pattern_is_always_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact_filter, "_p", None)
    required.cache_clear()
    try:
        assert required(re.compile("password")) == ()
        assert may_match(re.compile("password"), "nothing")
    finally:
        required.cache_clear()
