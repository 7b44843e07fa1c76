"""Secret redaction: no secret, hashed, ciphered or plain, reaches git.

Each `secrets` rule of a platform spec names a `secret` group; `redact` replaces that
group with a marker:

* `<secret:XXXXXXXX>`, the first 8 hex digits of HMAC-SHA256(key, secret as displayed).
  The same secret gives the same marker, so unchanged configs commit nothing; a changed
  secret gives a different marker, so a password change is still a visible commit. Without
  the key the marker does not reveal the value, and cannot be checked against a guess.
  Hashes (Cisco type 5/8/9, Comware `$h$6$`, VRP `irreversible-cipher`) are redacted too:
  a published hash can be brute-forced offline. Reversible ciphers (Cisco type 7, Comware
  `$c$3$`) are as good as plain text and are redacted for that reason.
* `<secret:rerandomised>` for rules marked `rerandomised: true`: Huawei VRP prints its
  reversible ciphers (`%^%#…%^%#`, `%@%@…%@%@`, `%$%$…%$%$`) with fresh randomness on every
  display, so a per-value marker would change on every run although nothing changed.

Limitations:
* A change of a rerandomised secret is invisible in git (its marker is constant). Its
  other effects (e.g. a new `local-user` line) still show.
* The marker is of the text the device displays. Re-entering the same password on a box
  that salts its ciphers when configured (Comware, IOS type 8/9) gives a new cipher text
  and so a new marker: a commit that is a real, if cosmetic, configuration change.
* Rules match the forms listed in the spec files; a secret in a command no rule knows
  is not redacted. The catch-all rules (any `$c$3$…`/`$h$6$…`, any `password 7 …`)
  narrow that gap but cannot close it.

Where a secret may stand (the same rules, three readings):

* `redact`: a configuration. Rules match config lines; catch-alls are not applied inside
  free text (`description …`, the spec's `free_text`), where only recognisable secret syntax
  is redacted (a platform rule anywhere in the line, or a shared free-text rule).
* `redact_quoted`: text quoting commands — log buffers (`Command="local-user x password …"`,
  `logged command:…`) and messages. Every rule applies wherever a command may start in a
  line, and the user name typed at a failed login is replaced (it is often a password).
* `redact_free_text` / `redact_state`: free text (state fields such as descriptions, SNMP
  location): platform rules anywhere, shared free-text rules, no catch-alls.

Only the secret token becomes a marker: every other byte of the line stays.

`redact` is idempotent: a rule whose `secret` group already holds a marker is left alone.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from netkb.collector.redact_filter import lowered, may_match
from netkb.markers import RERANDOMISED_MARKER, SECRET_MARKER, marker
from netkb.spec import PlatformSpec, SecretRule, secret_rule
from netkb.yamlsafe import safe_load

# A quoted command's secret swallows the closing quote (`…read public",`): that tail is not the secret.
_QUOTE_TAIL = re.compile(r"""["'][)\].,;]*$""")


@dataclass(frozen=True)
class SharedRules:
    """netkb/specs/redaction.yaml: rules for text that is not a config line."""

    free_text: tuple[SecretRule, ...]
    login_entry: re.Pattern[str]
    login_user: tuple[re.Pattern[str], ...]


@functools.cache
def shared_rules() -> SharedRules:
    source = "netkb/specs/redaction.yaml"
    data = safe_load((resources.files("netkb") / "specs" / "redaction.yaml").read_text(encoding="utf-8"))
    login = data["login_failure"]
    return SharedRules(
        tuple(secret_rule(r, f"{source}: free_text[{i}]") for i, r in enumerate(data["free_text"])),
        re.compile(login["entry"]),
        tuple(re.compile(p, re.MULTILINE) for p in login["user"]),
    )


def _check(key: bytes) -> None:
    if not key:
        raise ValueError("redaction needs a non-empty key")


def redact(text: str, spec: PlatformSpec, key: bytes) -> str:
    """A configuration with the `secret` group of every match of every rule replaced by a marker."""
    _check(key)
    free = spec.free_text
    low = lowered(text)  # rules whose keywords are not in the text cannot match: not run (redact_filter.py)
    for rule in spec.secrets:
        if may_match(rule.pattern, low):
            skip_free_text = free if rule.catch_all else None
            text, low = _sub(
                rule.pattern, functools.partial(_replace, rule=rule, key=key, skip=skip_free_text), text, low
            )
    if free is not None and free.search(text):
        text = _sub_anywhere(_free_text_rules(spec.secrets), text, low, key=key, only=free)
    return text


def _sub(pattern: re.Pattern[str], replace: Any, text: str, low: str) -> tuple[str, str]:
    """`pattern.sub(replace, text)`, and the lowered text for the filter, made anew if it matched."""
    text, count = pattern.subn(replace, text)
    return text, (lowered(text) if count else low)


def _sub_anywhere(rules: tuple[SecretRule, ...], text: str, low: str, key: bytes, **how: Any) -> str:
    """Each rule as it applies wherever a command may start (`anywhere`), the filter first."""
    for rule in rules:
        pattern = rule.anywhere
        assert pattern is not None  # every compiled rule has its `anywhere` form
        if may_match(pattern, low):
            replace = functools.partial(_replace, rule=rule, key=key, **how)
            text, low = _sub(pattern, replace, text, low)
    return text


# Where a log or a message quotes a command: `Command="…"`, `Command is …`, `Command … in view`,
# `logged command:…`, `last command: …`, or a quoted string ('…' as netkb's messages quote lines).
# Catch-alls apply only inside these: elsewhere "key exchange" or "simple" is prose.
_QUOTED_COMMAND = re.compile(
    r"(?i)\bcommand(?:\s+is)?\s*[=:]?\s*\"(?P<dq>[^\"\n]*)\""
    r"|\bcommand(?:\s+is)?\s*[=:]?\s*(?P<rest>[^\"\s][^\n]*)"
    r"|'(?P<sq>[^'\n]*)'"
    r"|\"(?P<q>[^\"\n]*)\""
)


def redact_quoted(text: str, spec: PlatformSpec, key: bytes) -> str:
    """Text that quotes commands (a log buffer, a message): each rule wherever a command may
    start, catch-alls only inside a quoted command; then the user names of failed logins."""
    _check(key)
    low = lowered(text)
    # A catch-all that cannot match the whole text cannot match a command quoted in it.
    catch_alls = tuple(r for r in spec.secrets if r.catch_all and may_match(r.anywhere, low))  # type: ignore[arg-type]
    if catch_alls:
        text = _QUOTED_COMMAND.sub(functools.partial(_redact_quoted_command, rules=catch_alls, key=key), text)
        low = lowered(text)
    # `anywhere` matches wherever `pattern` does (a line start is a place a command may start):
    # one pass a rule.
    text = _sub_anywhere(_free_text_rules(spec.secrets), text, low, key, quoted=True)
    return _login_users(text, key)


def _redact_quoted_command(match: re.Match[str], rules: tuple[SecretRule, ...], key: bytes) -> str:
    group = next(g for g in ("dq", "rest", "sq", "q") if match.group(g) is not None)
    # A quoted command has lost its indentation (` password X` in a line block): the rules
    # as they apply wherever a command starts.
    command = match.group(group)
    command = _sub_anywhere(rules, command, lowered(command), key, quoted=True)
    start, end = match.span(group)
    whole, base = match.group(0), match.start()
    return whole[: start - base] + command + whole[end - base :]


def redact_free_text(text: str, spec: PlatformSpec, key: bytes) -> str:
    """Free text (a description, a location): recognisable secret syntax only."""
    _check(key)
    return _sub_anywhere(_free_text_rules(spec.secrets), text, lowered(text), key, quoted=True)


def redact_state(data: Any, spec: PlatformSpec, key: bytes) -> Any:
    """Parsed state with every string redacted as free text.

    Most state holds no secret-like word at all: one search over its JSON decides whether
    the strings are walked.
    """
    if not _might_hold_secret(json.dumps(data, ensure_ascii=False), spec):
        return data
    return _walk(data, lambda s: redact_free_text(s, spec, key))


def _walk(data: Any, change: Any) -> Any:
    if isinstance(data, str):
        return change(data)
    if isinstance(data, list):
        return [_walk(v, change) for v in data]
    if isinstance(data, dict):
        return {k: _walk(v, change) for k, v in data.items()}
    return data


def _might_hold_secret(text: str, spec: PlatformSpec) -> bool:
    low = lowered(text)
    return any(
        may_match(rule.anywhere, low) and rule.anywhere.search(text)  # type: ignore[arg-type, union-attr]
        for rule in _free_text_rules(spec.secrets)
    )


@functools.cache
def _free_text_rules(secrets: tuple[SecretRule, ...]) -> tuple[SecretRule, ...]:
    return tuple(r for r in secrets if not r.catch_all) + shared_rules().free_text


def _login_users(text: str, key: bytes) -> str:
    """Each line that reports a failed login, with the typed user name replaced by a marker."""
    rules = shared_rules()
    if not rules.login_entry.search(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if rules.login_entry.search(line):
            for pattern in rules.login_user:
                line = pattern.sub(functools.partial(_replace_group, group="user", key=key), line)
            lines[i] = line
    return "\n".join(lines)


def _replace_group(match: re.Match[str], group: str, key: bytes) -> str:
    value = match.group(group)
    if not value or SECRET_MARKER.fullmatch(value):
        return match.group(0)
    whole, base = match.group(0), match.start()
    start, end = match.span(group)
    return whole[: start - base] + marker(value, key) + whole[end - base :]


def _inside_marker(text: str, pos: int) -> bool:
    """Whether `pos` is inside a marker already there (`<secret:…>` reads as `secret: VALUE`)."""
    begin = text.rfind("<secret:", max(0, pos - 30), pos + 1)
    found = SECRET_MARKER.match(text, begin) if begin >= 0 else None
    return found is not None and pos < found.end()


def _in_line_of(pattern: re.Pattern[str], text: str, pos: int) -> bool:
    """Whether `pos` lies after a match of `pattern` at the start of its line."""
    start = text.rfind("\n", 0, pos) + 1
    found = pattern.match(text, start)
    return found is not None and found.end() <= pos


def _replace(
    match: re.Match[str],
    rule: SecretRule,
    key: bytes,
    skip: re.Pattern[str] | None = None,
    only: re.Pattern[str] | None = None,
    quoted: bool = False,
) -> str:
    value = match.group("secret")
    if not value or SECRET_MARKER.search(value):
        return match.group(0)
    start, end = match.span("secret")
    if _inside_marker(match.string, start):
        return match.group(0)
    if skip is not None and _in_line_of(skip, match.string, start):
        return match.group(0)
    if only is not None and not _in_line_of(only, match.string, start):
        return match.group(0)
    if quoted and (tail := _QUOTE_TAIL.search(value)) and len(value) > len(tail.group(0)):
        value, end = value[: tail.start()], end - len(tail.group(0))
    new = RERANDOMISED_MARKER if rule.rerandomised else marker(value, key)
    whole, base = match.group(0), match.start()
    return whole[: start - base] + new + whole[end - base :]
