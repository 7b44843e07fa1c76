"""The baseline engine on small configs written for each way a check can decide."""

from __future__ import annotations

import textwrap

import pytest

from netkb.baseline.engine import evaluate, outline
from netkb.baseline.model import Verdict, load_rules, parse_rules
from netkb.inventory import ConfigFileError


def verdicts(platform: str, config: str, state: dict | None = None) -> dict[str, Verdict]:
    return {r.rule: r.verdict for r in evaluate(platform, textwrap.dedent(config), state)}


def test_comware_blocks_are_outlined_as_top_level_lines_with_children() -> None:
    config = "#\n sysname a\n ssh server enable\n#\nline vty 0 63\n idle-timeout 5 0\n#\n"
    sections = outline(config)
    assert [s.head.text for s in sections] == ["sysname a", "ssh server enable", "line vty 0 63"]
    assert [line.text for line in sections[2].body] == ["idle-timeout 5 0"]
    assert sections[2].body[0].number == 6


def test_ios_vty_timeout_judged_per_line_section() -> None:
    config = """
        line vty 0 4
         exec-timeout 5 0
        line vty 5 15
         exec-timeout 0 0
        """
    result = next(r for r in evaluate("ios", textwrap.dedent(config)) if r.rule == "vty-idle-timeout")
    assert result.verdict is Verdict.FAIL  # 0 0 never times out
    assert [line.text for line in result.lines] == ["line vty 5 15", "exec-timeout 0 0"]
    assert verdicts("ios", "line vty 0 4\n exec-timeout 10 0\n")["vty-idle-timeout"] is Verdict.PASS
    assert verdicts("ios", "line vty 0 4\n exec-timeout 10 30\n")["vty-idle-timeout"] is Verdict.FAIL


def test_a_default_the_config_cannot_show_is_unknown_with_the_reason() -> None:
    results = {r.rule: r for r in evaluate("ios", "line vty 0 4\n login local\n")}
    telnet = results["telnet-disabled"]
    assert telnet.verdict is Verdict.UNKNOWN
    assert telnet.because is not None and "transport input" in telnet.because.en
    # Comware V5 enables Telnet by default; V7 does not, and its version line says which.
    assert verdicts("comware", "#\n version 5.20, Release 2222P05\n#\n")["telnet-disabled"] is Verdict.UNKNOWN
    assert verdicts("comware", "#\n version 7.1.070, Release 7585P08\n#\n")["telnet-disabled"] is Verdict.PASS
    enabled = "#\n version 7.1.070\n telnet server enable\n#\n"
    assert verdicts("comware", enabled)["telnet-disabled"] is Verdict.FAIL


def test_snmp_community_needs_an_acl_and_is_not_applicable_without_one() -> None:
    assert verdicts("ios", "snmp-server community s3cret RO\n")["snmp-community-acl"] is Verdict.FAIL
    assert verdicts("ios", "snmp-server community s3cret RO 10\n")["snmp-community-acl"] is Verdict.PASS
    with_acl = "snmp-agent community read cipher x acl 2000\n"
    assert verdicts("vrp", with_acl)["snmp-community-acl"] is Verdict.PASS
    assert verdicts("vrp", "snmp-agent community read cipher x\n")["snmp-community-acl"] is Verdict.FAIL
    assert verdicts("vrp", "sysname a\n")["snmp-community-acl"] is Verdict.NOT_APPLICABLE


def test_unused_ports_need_the_interface_state() -> None:
    config = "interface GigabitEthernet 0/1\n switchport access vlan 10\n!\n"
    config += "interface GigabitEthernet 0/2\n shutdown\n"  # RGOS: a space before the number

    def state(first: str) -> dict:
        return {
            "interfaces": [
                {"name": "GigabitEthernet0/1", "oper": first},
                {"name": "GigabitEthernet0/2", "oper": "down"},
            ]
        }

    down, up = state("down"), state("up")
    assert verdicts("rgos", config)["unused-ports-shutdown"] is Verdict.UNKNOWN
    assert verdicts("rgos", config, down)["unused-ports-shutdown"] is Verdict.FAIL
    assert verdicts("rgos", config, up)["unused-ports-shutdown"] is Verdict.PASS


def test_every_rule_covers_every_platform_with_remediation() -> None:
    rules = load_rules()
    assert len(rules.rules) >= 14
    for rule in rules.rules:
        assert set(rule.checks) == {"comware", "vrp", "ios", "rgos"}, rule.id
        assert all(rule.remediation[p] for p in rule.checks), rule.id


def test_a_bad_rule_file_reports_every_error_at_once() -> None:
    text = """
    name: x
    source: y
    rules:
      - id: Bad Id
        title: {zh: 甲, en: a}
        clause: 9.9
        clause_title: {zh: 甲, en: a}
        severity: huge
        checks: {comware: {forbid: ['(']}}
        remediation: {comware: [x]}
    """
    with pytest.raises(ConfigFileError) as caught:
        parse_rules(textwrap.dedent(text), "rules.yaml")
    problems = "\n".join(caught.value.problems)
    for key in ("rules.0.id", "rules.0.clause", "rules.0.severity", "rules.0.checks.comware.forbid.0"):
        assert f"rules.yaml: {key}:" in problems
