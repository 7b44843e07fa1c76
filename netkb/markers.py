"""The secret markers that stand for redacted secrets wherever netkb writes (collector/redact.py
makes them; the site and the restore check read them).

`<secret:XXXXXXXX>` is the first 8 hex digits of HMAC-SHA256(key, the secret as displayed);
`<secret:rerandomised>` stands for a cipher the device re-encrypts on every display.
"""

from __future__ import annotations

import hashlib
import hmac
import re

SECRET_MARKER = re.compile(r"<secret:(?:[0-9a-f]{8}|rerandomised)>")
RERANDOMISED_MARKER = "<secret:rerandomised>"


def marker(value: str, key: bytes) -> str:
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"<secret:{digest[:8]}>"
