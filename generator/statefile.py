"""State files (`devices/<name>/state/<topic>.yml`) read as PyYAML's safe loader reads them, faster.

The collector writes the parsers' usual shapes directly (collector/snapshot.py `dump_state`):
a JSON scalar; a mapping of plain keys to JSON scalars, one `key: value` a line; a list of such
mappings (`- key: value`, then `  key: value`); `[]`. Reading a thousand devices' files through
PyYAML's constructor costs seconds. A text that is exactly one of these shapes, with only
values whose meaning YAML and JSON agree on, is read by one `json.loads` of its values; any other
text (PyYAML's own output for deeper shapes, hand edits, keys such as `on` that YAML reads as
booleans, floats in exponent form that YAML reads as strings, characters YAML refuses or folds)
goes through PyYAML (libyaml's safe loader where there), so the result is always what it gives.
"""

from __future__ import annotations

import json
import re
from typing import Any

from netkb.yamlsafe import safe_load

# A JSON scalar as json.dumps(..., ensure_ascii=False) writes it, restricted to what YAML reads
# the same way: strings without the characters YAML rejects or treats as line breaks (and only
# the escapes json.dumps emits), true/false/null, integers, decimals without an exponent.
_STRING = (
    r'"(?:[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]++'
    r'|\\["\\bfnrt]|\\u00[01][0-9a-f])*+"'
)
_VALUE = rf"(?:{_STRING}|true|false|null|-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?)"
# Plain keys that YAML 1.1 reads as something other than a string are left out.
_KEY = r"(?!(?:null|true|false|yes|no|on|off): )[a-z_][a-z0-9_]*+"
_MAPPING = re.compile(rf"(?:{_KEY}: {_VALUE}\n)++")
_ROWS = re.compile(rf"(?:- {_KEY}: {_VALUE}\n(?:  {_KEY}: {_VALUE}\n)*+)++")
_SCALAR = re.compile(rf"{_VALUE}\n")


def load_state(text: str) -> Any:
    """The data of a state file, as the safe loader gives it (and raising as it raises)."""
    if text.startswith("- "):
        if _ROWS.fullmatch(text):
            lines = text[:-1].split("\n")
            pairs = [line[2:].split(": ", 1) for line in lines]
            values = json.loads("[" + ",".join([p[1] for p in pairs]) + "]")
            rows: list[dict[str, Any]] = []
            for line, (key, _), value in zip(lines, pairs, values, strict=True):
                if line[0] == "-":
                    rows.append({})
                rows[-1][key] = value
            return rows
    elif _MAPPING.fullmatch(text):
        pairs = [line.split(": ", 1) for line in text[:-1].split("\n")]
        values = json.loads("[" + ",".join([p[1] for p in pairs]) + "]")
        return {p[0]: v for p, v in zip(pairs, values, strict=True)}
    elif text == "[]\n":
        return []
    elif _SCALAR.fullmatch(text):
        return json.loads(text)
    return safe_load(text)
