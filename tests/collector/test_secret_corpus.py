"""The secret corpus in every place a secret can stand, and the lines redaction must not touch.

The corpus is the `forms` fixtures (tests/collector/fixtures/configs/<platform>/forms.*): one
line per documented secret form of each platform, with the secret values listed. Each line is
redacted as netkb meets it: in a config, quoted by the platform's logs (a rejected command, a
recorded command), cut right after its secret (a capture that ends there), and inside a message
that quotes it. None may leave a value behind; `netkb redact` (the collector's path, offline)
shows none either.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from netkb.collector.clean import clean
from netkb.collector.redact import SECRET_MARKER, redact, redact_free_text, redact_quoted, redact_state
from netkb.spec import PLATFORMS, load_spec
from tests.collector.config_fixtures import CONFIG_FIXTURES, contains_token

KEY = b"netkb-corpus-test-key-0123456789abcdef"
STRONG = "7c1f" * 16

# How each platform's log quotes a command typed at the CLI (vendor log references: Comware
# SHELL_CMD_MATCHFAIL and SHELL_CMD, VRP AUTHCMDFAIL and CMDRECORD, IOS CFGLOG_LOGGEDCMD).
QUOTING = {
    "comware": [
        "%Dec  7 10:00:00:000 2026 core-1 SHELL/4/SHELL_CMD_MATCHFAIL: -User=admin-IPAddr=10.1.1.9; "
        "Command {line} in view system does not exist.",
        "%Dec  7 10:00:00:000 2026 core-1 SHELL/6/SHELL_CMD: -Line=vty0-IPAddr=10.1.1.9-User=admin; "
        "Command is {line}",
    ],
    "vrp": [
        "Dec  7 2026 10:00:00 core SHELL/4/AUTHCMDFAIL:(s)Command authorization failed. (LineIndex=34, "
        'UserName=admin, Command="{line}", Source=10.1.1.9)',
        "Dec  7 2026 10:00:00 core SHELL/5/CMDRECORD:Recorded command information. (Task=VT0, Ip=10.1.1.9, "
        'VpnName=, User=admin, AuthenticationMethod="Local-user", Command="{line}", Result=Success)',
    ],
    "ios": [
        "*Dec  7 10:00:00.000: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:{line}",
        "Dec  7 10:00:00 UTC: %SYS-5-CONFIG_I: Configured from console by admin; last command: {line}",
    ],
    # RGOS's log layout (`seq: *time: sysname %MODULE-SEV-MNEMONIC: text`, Ruijie's Configuring
    # Syslog guide); no public sample of its command log was found: the lab's wording, a command
    # quoted after `command: `.
    "rgos": [
        "001233: *Dec  7 10:00:00: rg-acc-1 %CLI-5-EXEC_CMD: User admin(10.1.1.9) ran command: {line}",
        "001234: *Dec  7 10:00:00: rg-acc-1 %CLI-4-CMD_FAIL: User admin(10.1.1.9) "
        "failed to run command: {line}",
    ],
}


def corpus() -> list[tuple[str, str, tuple[str, ...]]]:
    """(platform, line, secret values in it) for every secret-bearing line of the forms fixtures."""
    rows = []
    for fixture in (f for f in CONFIG_FIXTURES if f.path.stem == "forms"):
        for line in fixture.text.splitlines():
            values = tuple(v for v in fixture.secrets if contains_token(line, v))
            if values:
                rows.append((fixture.platform, line, values))
    return rows


CORPUS = corpus()
IDS = [f"{p}:{line.strip()[:50]}" for p, line, _ in CORPUS]


def left(text: str, values: tuple[str, ...]) -> list[str]:
    return [v for v in values if v in text]


def test_the_corpus_covers_every_platform() -> None:
    assert {p for p, _, _ in CORPUS} == set(PLATFORMS)
    assert len(CORPUS) >= 60


@pytest.mark.parametrize(("platform", "line", "values"), CORPUS, ids=IDS)
def test_a_quoted_command_is_redacted_wherever_it_stands(
    platform: str, line: str, values: tuple[str, ...]
) -> None:
    spec = load_spec(platform)
    for form in QUOTING[platform]:
        logged = form.format(line=line.strip())
        redacted = redact_quoted(logged, spec, KEY)
        assert left(redacted, values) == [], redacted
        assert SECRET_MARKER.search(redacted)


@pytest.mark.parametrize(("platform", "line", "values"), CORPUS, ids=IDS)
def test_a_line_cut_right_after_its_secret_leaks_nothing(
    platform: str, line: str, values: tuple[str, ...]
) -> None:
    """A capture that ends in the middle of a secret's line: as the config's last line, and
    quoted by the completeness gate's message."""
    spec = load_spec(platform)
    last = values[-1]
    cut = line[: line.rindex(last) + len(last)]
    assert left(redact(f"sysname x\n{cut}", spec, KEY), values) == []
    message = f"config incomplete: it ends with {cut.strip()!r}, not the trailer"
    assert left(redact_quoted(message, spec, KEY), values) == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_netkb_redact_prints_what_a_collect_stores_and_no_secret(platform: str) -> None:
    fixture = next(f for f in CONFIG_FIXTURES if f.platform == platform and f.path.stem == "forms")
    done = subprocess.run(
        [sys.executable, "-m", "netkb.cli", "redact", "--platform", platform, str(fixture.path)],
        capture_output=True,
        env={**os.environ, "NETKB_REDACTION_KEY": STRONG},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.decode() == "netkb redact: complete\n"
    printed = done.stdout.decode("utf-8")
    assert printed == redact(clean(fixture.text, fixture.spec), fixture.spec, STRONG.encode())
    assert [s for s in fixture.secrets if contains_token(printed, s)] == []


def test_netkb_redact_exit_status_says_complete_refused_or_weak_key(tmp_path: Path) -> None:
    cut = tmp_path / "cut.txt"
    cut.write_text(
        "sysname x\n#\nlocal-user admin class manage\n password simple Cw-Cut-99\n", encoding="utf-8"
    )

    def run(*args: str, key: str = STRONG) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "netkb.cli", "redact", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "NETKB_REDACTION_KEY": key},
            timeout=60,
        )

    refused = run("--platform", "comware", str(cut))
    assert refused.returncode == 1 and "Cw-Cut-99" not in refused.stdout + refused.stderr
    assert refused.stderr.startswith("netkb redact: refused: config incomplete")
    weak = run("--platform", "comware", str(cut), key="short")
    assert weak.returncode == 2 and weak.stdout == "" and "openssl rand -hex 32" in weak.stderr
    missing = run("--platform", "comware", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "nope.txt: cannot read it" in missing.stderr


# Lines that hold no secret and must come out byte-identical, in configs and (for free text)
# in state fields. Each was eaten by an earlier catch-all or is a near miss of a rule.
UNCHANGED = {
    "ios": [
        "ntp server 10.254.255.1 key 1 prefer",
        "ntp server 10.1.1.1 key 2 source Vlan10",
        "ntp server 10.1.1.2 key 3 version 3",
        "ntp peer 10.1.1.3 key 7 prefer",
        "ntp authenticate",
        "ntp trusted-key 1",
        "snmp-server host 10.1.1.1 version 3 priv netops",
        "snmp-server enable traps snmp authentication linkdown linkup",
        "key chain OSPF-KEYS",
        " key 1",
        " description link to simple switch",
        " description key 7 floor, cipher suite upgrade",
        " description 宿舍楼 simple 交换机 key 1",
        "ip ssh server algorithm encryption aes256-ctr aes128-ctr",
        "aaa authentication login default group tacacs+ local",
        "service password-encryption",
        "security passwords min-length 10",
        "snmp-server location 图书馆 3F simple room",
    ],
    "comware": [
        " description link to simple switch",
        " description cipher suite upgrade",
        " description 宿舍楼 simple 交换机",
        " description key chain test",
        " ssh2 algorithm cipher aes128-ctr aes256-ctr",
        "local-user admin class manage",
        " authentication-mode scheme",
        " password-control enable",
        "snmp-agent sys-info version all",
        "snmp-agent sys-info location 教学楼 simple room",
        " ntp-service unicast-server 10.1.1.1 authentication-keyid 1",
    ],
    "vrp": [
        " description link to simple switch",
        " description cipher suite upgrade",
        " description 宿舍楼 simple 交换机",
        "ssh server cipher aes256_ctr aes128_ctr",
        "ssh client cipher aes256_ctr",
        " authentication-scheme default",
        " pin verify auto",
        "snmp-agent sys-info version v3",
        " ntp-service unicast-server 10.1.1.1 authentication-keyid 1",
    ],
    "rgos": [
        "ntp server 10.254.255.1 key 1",
        "ntp authenticate",
        "ntp trusted-key 1",
        "key chain RIP-KEYS",
        " key 1",
        " description link to simple switch",
        " description key 7 floor, cipher suite upgrade",
        " security rsn akm psk enable",
        " security rsn ciphers aes enable",
        "service password-encryption",
        "aaa authentication login default group radius local",
        "snmp-server location 东校区 3F simple room",
        " switchport trunk allowed vlan only 10,701-704",
    ],
}
UNCHANGED_ROWS = [(p, line) for p, lines in UNCHANGED.items() for line in lines]


@pytest.mark.parametrize(
    ("platform", "line"), UNCHANGED_ROWS, ids=[f"{p}:{x.strip()}" for p, x in UNCHANGED_ROWS]
)
def test_lines_without_a_secret_stay_byte_identical(platform: str, line: str) -> None:
    spec = load_spec(platform)
    assert redact(f"{line}\n", spec, KEY) == f"{line}\n"
    assert redact_free_text(line, spec, KEY) == line


def test_only_the_secret_token_becomes_a_marker() -> None:
    ios, comware = load_spec("ios"), load_spec("comware")
    assert re.fullmatch(
        r"ntp authentication-key 1 md5 <secret:[0-9a-f]{8}> 7",
        redact("ntp authentication-key 1 md5 104D000A0618 7", ios, KEY),
    )
    assert re.fullmatch(
        r"snmp-server community <secret:[0-9a-f]{8}> RO 10",
        redact("snmp-server community Ios-C-1 RO 10", ios, KEY),
    )
    assert re.fullmatch(
        r" description pppoe password simple <secret:[0-9a-f]{8}> to simple switch",
        redact(" description pppoe password simple Lk-9 to simple switch", comware, KEY),
    )


FREE_TEXT = [
    ("comware", "pppoe password simple Lk-Desc-01", "Lk-Desc-01"),
    ("comware", "wifi psk: Guest-2026!", "Guest-2026!"),
    ("vrp", "备用账号 password=Adm1n#2026 勿删", "Adm1n#2026"),
    ("ios", "old key 7 0822455D0A16 do not use", "0822455D0A16"),
    ("ios", "hash $1$mERr$hx5rVt7rPNoS4wqbXKX7m0 from old box", "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0"),
    ("comware", "copied $c$3$U3VwZXJMZXZlbDNDaXBoZXI= here", "$c$3$U3VwZXJMZXZlbDNDaXBoZXI="),
    ("vrp", "cipher %^%#abc{}def%^%# kept", "%^%#abc{}def%^%#"),
]


@pytest.mark.parametrize(("platform", "text", "value"), FREE_TEXT)
def test_recognisable_secrets_in_free_text_are_redacted(platform: str, text: str, value: str) -> None:
    spec = load_spec(platform)
    assert value not in redact_free_text(text, spec, KEY)
    rows = [{"name": "GigabitEthernet1/0/1", "description": text, "admin": "up"}]
    state = redact_state(rows, spec, KEY)
    assert value not in state[0]["description"] and state[0]["name"] == "GigabitEthernet1/0/1"
    assert redact(f"interface X\n description {text}\n", spec, KEY).count(value) == 0


LOGIN_FAILURES = [
    (
        "comware",
        "%Dec  7 10:00:00:000 2026 core LOGIN/5/LOGIN_FAILED: Typed-Pw-1 failed to log in from 10.1.1.9.",
    ),
    (
        "comware",
        "%Dec  7 10:00:00:000 2026 core SSHS/6/SSHS_AUTH_FAIL: SSH user Typed-Pw-1 (IP: 10.1.1.9) didn't "
        "pass password authentication.",
    ),
    (
        "comware",
        "%Dec  7 10:00:00:000 2026 core LOGIN/5/LOGIN_AUTHENTICATION_FAILED: Authentication failed for "
        "Typed-Pw-1 from 10.1.1.9 because of invalid username or wrong password.",
    ),
    (
        "vrp",
        "Dec  7 2026 10:00:00 core SSH/5/SSH_USER_LOGIN_FAIL:The SSH user failed to login. (ServiceType="
        "stelnet, FailedReason=Password authentication failed, UserName=Typed-Pw-1, IPAddress=10.1.1.9)",
    ),
    (
        "vrp",
        "Dec  7 2026 10:00:00 core SHELL/5/LOGINFAILED: Failed to login. (Ip=10.1.1.9, UserName=Typed-Pw-1, "
        "Times=1, AccessType=SSH)",
    ),
    (
        "ios",
        "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: Typed-Pw-1] [Source: 10.1.1.9] [localport: 22] "
        "[Reason: Login Authentication Failed] at 10:00:00 UTC Mon Dec 7 2026",
    ),
    (
        "ios",
        "%SSH-5-SSH2_USERAUTH: User 'Typed-Pw-1' authentication for SSH2 Session from 10.1.1.9 (tty = 0) "
        "using crypto cipher 'aes128-ctr', hmac 'hmac-sha1' Failed",
    ),
]


@pytest.mark.parametrize(("platform", "line"), LOGIN_FAILURES)
def test_the_user_name_of_a_failed_login_is_a_marker(platform: str, line: str) -> None:
    redacted = redact_quoted(line, load_spec(platform), KEY)
    assert "Typed-Pw-1" not in redacted and SECRET_MARKER.search(redacted)
    assert "10.1.1.9" in redacted  # only the user name goes


def test_a_successful_login_keeps_its_user_name() -> None:
    line = "%Dec  7 10:00:00:000 2026 core SHELL/5/SHELL_LOGIN: admin logged in from 10.1.1.9."
    assert redact_quoted(line, load_spec("comware"), KEY) == line


# netkb's own messages around quoted device text: prose stays as written ("key exchange",
# "simple", "password of profile"), only a secret inside a quoted command would go.
MESSAGES = [
    "the device offers only SHA-1 SSH algorithms (paramiko: Incompatible ssh peer (no acceptable kex "
    "algorithm)), as Comware 5, VRP V100/V200 and IOS 12.2/15.0 do (diffie-hellman-group14-sha1/group1-sha1 "
    "key exchange, ssh-rsa host keys); set 'legacy_ssh: true' for core-1 in the inventory",
    "no prompt within 2.0 s after 'display fan' (device budget 30 s used up after 2 attempts)",
    "authentication failed: the device refused the user name or password of profile campus-h3c",
    "config incomplete: it ends with 'interface GigabitEthernet1/0/3', not the '^return$' trailer",
    "a simple check: key 1 of 2, password policy unchanged",
]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_netkb_messages_stay_as_written(platform: str) -> None:
    spec = load_spec(platform)
    assert [redact_quoted(m, spec, KEY) for m in MESSAGES] == MESSAGES
