"""Print how netkb fares on the real-capture corpus: verdicts judged, matched, false normal,
false abnormal and unknown, per platform (`.venv/bin/python -m tests.real.report`).

The figures the README quotes come from this; the test (test_real_captures.py) fails on any
mismatch, so on a green build false normal and false abnormal are 0.
"""

from __future__ import annotations

import collections
import sys

from netkb.collector.parse_command import parse_output
from tests.real.test_real_captures import CASES, EDITED, _command, _meta


def main() -> int:
    rows: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for case in (c for c in CASES if EDITED not in c.parents):
        platform, expect = case.parts[-3], _meta(case)["expect"]
        counts = rows[platform]
        counts["captures"] += 1
        try:
            result = parse_output(
                platform, _command(case), case.read_bytes(), expect=expect.get("expect_args") or {}
            )
        except Exception as exc:  # a crash is what this report exists to count
            counts["crashes"] += 1
            print(f"crash: {case}: {exc!r}", file=sys.stderr)
            continue
        for item, wanted in (expect.get("verdicts") or {}).items():
            got = result["verdicts"].get(item, {}).get("verdict")
            counts["verdicts"] += 1
            counts[f"expected {wanted}"] += 1
            if got == wanted:
                counts["matched"] += 1
            elif got == "normal":
                counts["false normal"] += 1
            elif got == "abnormal":
                counts["false abnormal"] += 1
            else:
                counts["false unknown"] += 1
    columns = [
        "captures",
        "crashes",
        "verdicts",
        "matched",
        "false normal",
        "false abnormal",
        "false unknown",
        "expected normal",
        "expected abnormal",
        "expected unknown",
    ]
    print("| platform | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    total: collections.Counter[str] = collections.Counter()
    for platform, counts in sorted(rows.items()):
        total.update(counts)
        print(f"| {platform} | " + " | ".join(str(counts[c]) for c in columns) + " |")
    print("| all | " + " | ".join(str(total[c]) for c in columns) + " |")
    return 1 if total["crashes"] or total["false normal"] or total["false abnormal"] else 0


if __name__ == "__main__":
    sys.exit(main())
