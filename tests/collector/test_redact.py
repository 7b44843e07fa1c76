"""collector.redact: no known secret survives; markers are stable and follow the secret."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import random
import re

import pytest

from netkb.collector.clean import clean
from netkb.collector.redact import RERANDOMISED_MARKER, SECRET_MARKER, marker, redact
from netkb.spec import PLATFORMS, load_spec
from tests.collector.config_fixtures import CONFIG_FIXTURES, ConfigFixture, contains_token

KEY = b"netkb-test-key"
IDS = [f.name for f in CONFIG_FIXTURES]
VRP_CIPHER = re.compile(r"(%\^%#|%@%@|%\$%\$)([^\n]*?)\1")


def cleaned_and_redacted(fixture: ConfigFixture, key: bytes = KEY) -> str:
    return redact(clean(fixture.text, fixture.spec), fixture.spec, key)


def is_rerandomised(value: str) -> bool:
    return VRP_CIPHER.fullmatch(value) is not None


@pytest.mark.parametrize("fixture", CONFIG_FIXTURES, ids=IDS)
def test_no_known_secret_survives(fixture: ConfigFixture) -> None:
    redacted = cleaned_and_redacted(fixture)
    assert [s for s in fixture.secrets if contains_token(redacted, s)] == []
    assert len(SECRET_MARKER.findall(redacted)) >= len(fixture.secrets) > 0 or not fixture.secrets


@pytest.mark.parametrize("fixture", CONFIG_FIXTURES, ids=IDS)
def test_only_the_secrets_are_replaced(fixture: ConfigFixture) -> None:
    """Each redacted line is its cleaned line with known secret values, and only those, turned to markers."""
    cleaned = clean(fixture.text, fixture.spec).splitlines()
    redacted = cleaned_and_redacted(fixture).splitlines()
    assert len(cleaned) == len(redacted)
    values = sorted(fixture.secrets, key=len, reverse=True)
    token = re.compile("|".join(r"(?<!\S)" + re.escape(v) + r"(?!\S)" for v in values)) if values else None
    for before, after in zip(cleaned, redacted, strict=True):
        if token is None:
            assert after == before
            continue
        parts = token.split(before)
        expected = SECRET_MARKER.pattern.join(re.escape(part) for part in parts)
        assert re.fullmatch(expected, after), (before, after)
    for line in fixture.untouched:
        assert line in redacted


@pytest.mark.parametrize("fixture", CONFIG_FIXTURES, ids=IDS)
def test_markers_are_stable_and_keyed(fixture: ConfigFixture) -> None:
    first, second = cleaned_and_redacted(fixture), cleaned_and_redacted(fixture)
    assert first == second
    stable = [s for s in fixture.secrets if not is_rerandomised(s)]
    if stable:
        assert cleaned_and_redacted(fixture, b"another-key") != first


@pytest.mark.parametrize("fixture", CONFIG_FIXTURES, ids=IDS)
def test_redaction_is_idempotent(fixture: ConfigFixture) -> None:
    once = cleaned_and_redacted(fixture)
    assert redact(once, fixture.spec, KEY) == once
    assert redact(once, fixture.spec, b"another-key") == once


@pytest.mark.parametrize("fixture", CONFIG_FIXTURES, ids=IDS)
def test_a_changed_secret_changes_its_marker(fixture: ConfigFixture) -> None:
    before = cleaned_and_redacted(fixture)
    # A rerandomised cipher's marker is constant by design (see redact.py): not checked here.
    for value in (s for s in fixture.secrets if not is_rerandomised(s)):
        other = value[:-1] + ("Y" if value.endswith("Z") else "Z")
        token = re.compile(r"(?<!\S)" + re.escape(value) + r"(?!\S)")
        changed = ConfigFixture(
            fixture.path, fixture.platform, token.sub(lambda _, o=other: o, fixture.text), (), (), (), ()
        )
        assert cleaned_and_redacted(changed) != before, value


def rerandomise(text: str, rng: random.Random) -> str:
    """The same configuration displayed again: every VRP cipher body salted afresh."""
    alphabet = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "?%")

    def fresh(match: re.Match[str]) -> str:
        body = "".join(rng.choice(alphabet) for _ in range(len(match.group(2)) + rng.randint(0, 8)))
        return match.group(1) + body + match.group(1)

    return VRP_CIPHER.sub(fresh, text)


@pytest.mark.parametrize("fixture", [f for f in CONFIG_FIXTURES if f.platform == "vrp"], ids=lambda f: f.name)
def test_rerandomised_vrp_ciphers_redact_identically(fixture: ConfigFixture) -> None:
    spec = fixture.spec
    one, two = rerandomise(fixture.text, random.Random(1)), rerandomise(fixture.text, random.Random(2))
    assert one != two
    assert redact(clean(one, spec), spec, KEY) == redact(clean(two, spec), spec, KEY)
    assert RERANDOMISED_MARKER in redact(clean(one, spec), spec, KEY)


def test_marker_is_the_truncated_hmac_of_the_displayed_value() -> None:
    expected = hmac.new(KEY, b"Cw-User-02", hashlib.sha256).hexdigest()[:8]
    assert marker("Cw-User-02", KEY) == f"<secret:{expected}>"
    assert SECRET_MARKER.fullmatch(marker("x", KEY)) and SECRET_MARKER.fullmatch(RERANDOMISED_MARKER)
    text = redact("local-user admin\n password simple Cw-User-02\n", load_spec("comware"), KEY)
    assert text == f"local-user admin\n password simple <secret:{expected}>\n"


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError):
        redact("enable secret 5 $1$a$b\n", load_spec("ios"), b"")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_rule_is_exercised_by_a_fixture(platform: str) -> None:
    texts = [clean(f.text, f.spec) for f in CONFIG_FIXTURES if f.platform == platform]
    unused = [r.name for r in load_spec(platform).secrets if not any(r.pattern.search(t) for t in texts)]
    assert unused == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_chinese_and_hostile_text_pass_untouched(platform: str) -> None:
    text = (
        " description 宿舍楼三层 <script>alert('x')</script>\n"
        " description `reboot` | include password\n"
        "sysname 教学楼-核心\n"
    )
    assert redact(text, load_spec(platform), KEY) == text


# --- the lab's rendered configurations ------------------------------------------------------


def _lab_renderers():
    """(platform, render(device, display_number) -> text) for each lab platform that imports."""
    model = pytest.importorskip("netkb.lab.model")
    comware = pytest.importorskip("netkb.lab.platforms.comware_config")
    vrp = pytest.importorskip("netkb.lab.platforms.vrp_config")
    ios = pytest.importorskip("netkb.lab.platforms.ios_config")
    rgos = pytest.importorskip("netkb.lab.platforms.rgos_config")
    return model, {
        model.Platform.COMWARE: lambda dev, n: "\r\n".join(comware.render_config(dev)) + "\r\n",
        # VRP salts its reversible ciphers afresh on every display: give each display its own rng.
        model.Platform.VRP: lambda dev, n: vrp.running_config(dev, random.Random(n)),
        model.Platform.IOS: lambda dev, n: ios.running_config(dev),
        model.Platform.RGOS: lambda dev, n: rgos.running_config(dev),
    }


def _model_secrets(dev) -> set[str]:
    s = dev.secrets
    values = {dev.password, dev.enable_password, s.super_password}
    values |= {u.password for u in s.users}
    values |= {c.name for c in s.snmp_communities}
    values |= {k for u in s.snmp_users for k in (u.auth_key, u.priv_key)}
    values |= {a.key for a in s.aaa_servers}
    values |= {p.psk for p in s.ike_peers}
    values |= {n.key for n in s.ntp_servers}
    if dev.ospf is not None:
        values |= {a.md5_key for a in dev.ospf.areas}
    return {v for v in values if v}


def _displayed_forms(dev, values: set[str]) -> set[str]:
    """How the lab prints each secret on this platform: plain, and every deterministic cipher or hash."""
    forms = set(values)
    if str(dev.platform) == "comware":
        text = importlib.import_module("netkb.lab.platforms.comware_text")
        forms |= {f(dev, v) for v in values for f in (text.cipher5, text.cipher7, text.hash7)}
    elif str(dev.platform) in ("ios", "rgos"):  # RGOS prints Cisco type 7 and type 5 forms
        sec = importlib.import_module("netkb.lab.platforms.ios_secrets")
        forms |= {f(v, dev.name) for v in values for f in (sec.type7_encode, sec.type5, sec.type8, sec.type9)}
    else:  # VRP's reversible ciphers are random; CIPHER_SHAPES catches them
        common = importlib.import_module("netkb.lab.platforms.vrp_common")
        forms |= {common.irreversible(v, dev.name) for v in values}
    return forms


# Any cipher or hash shape left in a redacted text is a leak, whatever its value.
CIPHER_SHAPES = re.compile(r"\$[ch]\$\d+\$|%\^%#|%@%@|%\$%\$|\$1[ac]\$|\$(?:1|5|8|9)\$[./\w]")


def test_lab_configs_redact_stably_and_leak_no_model_secret() -> None:
    _, renderers = _lab_renderers()
    topology = importlib.import_module("netkb.lab.topology")
    network = topology.build_network()
    for dev in network.devices.values():
        spec = load_spec(str(dev.platform))
        render = renderers[dev.platform]
        first = redact(clean(render(dev, 1), spec), spec, KEY)
        second = redact(clean(render(dev, 2), spec), spec, KEY)
        assert first == second, dev.name
        leaked = sorted(f for f in _displayed_forms(dev, _model_secrets(dev)) if contains_token(first, f))
        assert leaked == [], dev.name
        assert CIPHER_SHAPES.search(first) is None, dev.name
        assert SECRET_MARKER.search(first), dev.name
