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

`redact` is idempotent: a rule whose `secret` group already holds a marker is left alone.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re

from collector.spec import PlatformSpec, SecretRule

SECRET_MARKER = re.compile(r"<secret:(?:[0-9a-f]{8}|rerandomised)>")
RERANDOMISED_MARKER = "<secret:rerandomised>"


def marker(value: str, key: bytes) -> str:
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"<secret:{digest[:8]}>"


def redact(text: str, spec: PlatformSpec, key: bytes) -> str:
    """`text` with the `secret` group of every match of every rule replaced by a marker."""
    if not key:
        raise ValueError("redaction needs a non-empty key")
    for rule in spec.secrets:
        text = rule.pattern.sub(functools.partial(_replace, rule=rule, key=key), text)
    return text


def _replace(match: re.Match[str], rule: SecretRule, key: bytes) -> str:
    value = match.group("secret")
    if not value or SECRET_MARKER.fullmatch(value):
        return match.group(0)
    new = RERANDOMISED_MARKER if rule.rerandomised else marker(value, key)
    whole, base = match.group(0), match.start()
    start, end = match.span("secret")
    return whole[: start - base] + new + whole[end - base :]
