"""`netkb import` of RANCID 3 repositories shaped as RANCID 3.13 writes them, built here.

Provenance of the shapes (lab renders, not real captures): haussli/rancid@fb9019c3cc82
lib/ios.pm.in (`init`: `!RANCID-CONTENT-TYPE: $devtype`; ShowVersion's `!Chassis type:`,
`!CPU:`, `!Memory:`, `!Serial Number:`, `!Image:`; ShowBoot's `!Variable:`/`!BootFlash:`;
WriteTerm's `!\\nconfig-register …` and FILTER_PWDS `!… <removed>` lines),
lib/vrp.pm.in (`#RANCID-CONTENT-TYPE: vrp`, `#Chassis type:`, `#Memory:`, `#Image:`, WriteTerm
drops `!Software Version`), bin/rancid-run.in / control_rancid.in (git: one repository per
group with configs/ and router.db at its root; CVS: `<cvsroot>/<group>/configs/<device>,v`,
a new router is first committed as an empty file).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import git
import pytest

from tests.collector.test_import import (
    SourceRepo,
    comware,
    day,
    ios,
    netkb_import,
    snapshots,
    vrp,
    ws,  # noqa: F401  (the fixture)
)

IOS_HEADER = (
    "!RANCID-CONTENT-TYPE: cisco\n!\n!Chassis type: WS-C2960X-48TS-L - a 2960X switch\n"
    "!CPU: APM86xxx, FPGA revision 0x0\n!\n!Memory: main 524288K/0K\n!\n"
    "!Serial Number: FOC1932X0AB\n!\n!Image: Software: C2960X-UNIVERSALK9-M, 15.2(7)E5, RELEASE SOFTWARE\n"
    "!Image: Compiled: Thu 03-Mar-22 10:46 by mcpre\n!Image: flash:c2960x-universalk9-mz.152-7.E5.bin\n!\n"
    "!BootFlash: BOOT variable = flash:c2960x-universalk9-mz.152-7.E5.bin\n"
    "!Variable: CONFIG_FILE variable =\n!\n"
)


def rancid_ios(body: str, register: str = "0x2102") -> str:
    """ios.pm's WriteTerm: the header, `!` + config-register, then the config from `version` on."""
    lines = body.splitlines()
    while lines and (lines[0].startswith("!") or not lines[0].strip()):
        lines.pop(0)
    return IOS_HEADER + f"!\nconfig-register {register}\n" + "\n".join(lines) + "\n"


def rancid_vrp(body: str, memory: str = "1024M") -> str:
    """vrp.pm: `#` header lines from display version/device/startup; `!Software Version` dropped."""
    lines = [line for line in body.splitlines() if not line.startswith("!Software Version")]
    header = (
        "#RANCID-CONTENT-TYPE: vrp\n#\n#Chassis type: S5735-L48T4X-A1 Routing Switch\n#\n"
        f"#Memory: {memory}\n#\n#Image: V200R019C10SPC500\n#\n"
        "#Startup system software:       flash:/s5735-l-v200r019c10spc500.cc\n#\n"
    )
    return header + "\n".join(lines) + "\n"


def rancid_h3c(body: str) -> str:
    return (
        "#RANCID-CONTENT-TYPE: h3c\n#\n#Image: Version 7.1.070, Release 7585P05\n#\n#Slot 1: LSQM1SRP2X0\n#\n"
        + body
    )


def test_root_layout_git_imports_with_exit_0(ws: Path, tmp_path: Path) -> None:  # noqa: F811
    src = SourceRepo(tmp_path / "campus")
    # rancid-run: a new router in router.db is committed as an empty file, with .gitignore.
    src.commit(
        day(1, 1), {".gitignore": "routers.all\nrouters.down\nrouters.up\n", "router.db": "core-1;h3c;up\n"}
    )
    src.commit(day(1, 1), {"configs/core-1": "", "configs/dorm-01": "", "configs/10.9.0.3": ""})
    src.commit(
        day(1),
        {
            "configs/core-1": rancid_h3c(comware()),
            "configs/dorm-01": rancid_vrp(vrp(1)),
            "configs/10.9.0.3": rancid_ios(ios()),
        },
    )
    # Only RANCID's own lines changed (memory, VRP's ciphers): no new snapshot.
    src.commit(day(2), {"configs/dorm-01": rancid_vrp(vrp(2), memory="2048M")})
    src.commit(day(3), {"configs/core-1": rancid_h3c(comware(extra_vlan=True))})
    result = netkb_import(ws, tmp_path / "campus")
    assert result.returncode == 0, result.stdout
    assert "as RANCID in git (root layout: configs/ and router.db at the top)" in result.stdout
    assert [when for when, _ in snapshots(ws, "core-1")] == [day(1), day(3)]
    assert [when for when, _ in snapshots(ws, "dorm-01")] == [day(1)]
    core = (ws / "configs/devices/core-1/config.txt").read_text(encoding="utf-8")
    assert core.startswith("#\n version 7.1.070") and "RANCID" not in core and "Slot 1" not in core
    dorm = (ws / "configs/devices/dorm-01/config.txt").read_text(encoding="utf-8")
    assert dorm.startswith("!Software Version V200R019C10SPC500\n#\nsysname dorm-01\n")
    assert "Chassis" not in dorm and "Memory" not in dorm
    rlab = (ws / "configs/devices/rlab-1/config.txt").read_text(encoding="utf-8")
    assert rlab.startswith("!\n!\nversion 15.2\n")
    assert "config-register" not in rlab and "!Chassis" not in rlab and "!Image" not in rlab


def test_format_given_and_nothing_found_says_what_is_there(ws: Path, tmp_path: Path) -> None:  # noqa: F811
    SourceRepo(tmp_path / "ox").commit(day(1), {"core-1": comware()})
    done = subprocess.run(
        [*netkb_args(tmp_path / "ox"), "--format", "rancid"],
        cwd=ws,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "no RANCID configs found: it is a git repository whose last commit holds core-1" in done.stderr
    assert "configs/<device>" in done.stderr


def netkb_args(source: Path) -> list[str]:
    import sys

    return [sys.executable, "-m", "netkb.cli", "import", str(source), "--inventory", "inventory.yml"]


def ci(path: Path, text: str, when: dt.datetime, message: str) -> None:
    """One RCS revision dated `when`, as CVS stores a commit (`ci -d`: CVS's own RCS format)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    rcs = path.with_name(path.name + ",v")
    args = ["ci", "-q", "-l", f"-d{when.isoformat(' ')}", f"-m{message}"]
    if not rcs.exists():
        args.append("-t-rancid")
    done = subprocess.run([*args, str(path)], capture_output=True, text=True, cwd=path.parent)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("ci") is None, reason="needs Debian's rcs (make test installs it)")
def test_cvs_repository_imports_dated_in_utc(ws: Path, tmp_path: Path) -> None:  # noqa: F811
    work = tmp_path / "work"  # working files: ci leaves them beside the ,v files; moved away after
    cvsroot = tmp_path / "cvs"
    (cvsroot / "CVSROOT").mkdir(parents=True)
    ci(work / "campus/router.db", "core-1;h3c;up\n", day(1, 1), "new router")
    ci(work / "campus/configs/core-1", "", day(1, 1), "new router")
    ci(work / "campus/configs/core-1", rancid_h3c(comware()), day(1), "updates")
    ci(work / "campus/configs/core-1", rancid_h3c(comware(extra_vlan=True)), day(4), "updates")
    ci(work / "campus/configs/.cvsignore", "*.new\n", day(1, 1), "x")
    ci(work / "lab/configs/10.9.0.3", rancid_ios(ios()), day(2), "updates")
    for rcs in work.rglob("*,v"):
        target = cvsroot / rcs.relative_to(work)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(rcs, target)
    result = netkb_import(ws, cvsroot)
    assert result.returncode == 0, result.stdout
    assert "as RANCID in CVS (RCS files campus/configs/, lab/configs/*,v)" in result.stdout
    assert [when for when, _ in snapshots(ws, "core-1")] == [day(1), day(4)]
    assert snapshots(ws, "core-1")[0][0].utcoffset() == dt.timedelta(0)  # RCS dates are UTC
    assert [when for when, _ in snapshots(ws, "rlab-1")] == [day(2)]
    assert "RANCID" not in (ws / "configs/devices/core-1/config.txt").read_text(encoding="utf-8")
    assert netkb_import(ws, cvsroot).stdout.count("already present") >= 1


def test_removed_secrets_and_garbled_text(ws: Path, tmp_path: Path) -> None:  # noqa: F811
    # FILTER_PWDS=YES: ios.pm comments out a reversible password's line.
    filtered = ios().replace(
        "username monitor password 7 1328181C461E082B297565213A", "!username monitor password <removed>"
    )
    assert "<removed>" in filtered
    garbled_body = comware().replace(
        "return\n", "#\ninterface Vlan-interface640\n description 东校区\n#\nreturn\n"
    )
    mojibake = garbled_body.encode("gb18030").decode("latin-1")  # GB18030 read as Latin-1, saved as UTF-8
    lost = garbled_body.replace("东校区", "\ufffd\ufffd\ufffd")  # read as UTF-8 with replacement: bytes lost
    src = SourceRepo(tmp_path / "grp")
    src.commit(day(1), {"router.db": "x\n", "configs/10.9.0.3": rancid_ios(ios())})
    src.commit(day(2), {"configs/10.9.0.3": rancid_ios(filtered), "configs/core-1": rancid_h3c(mojibake)})
    src.commit(day(3), {"configs/core-1": rancid_h3c(lost)})
    result = netkb_import(ws, tmp_path / "grp")
    # The <removed> line is no change against the line netkb redacted (day 1).
    assert [when for when, _ in snapshots(ws, "rlab-1")] == [day(1)]
    rlab = (ws / "configs/devices/rlab-1/config.txt").read_text(encoding="utf-8")
    assert "username monitor password 7 <secret:" in rlab and "<removed>" not in rlab
    core = (ws / "configs/devices/core-1/config.txt").read_text(encoding="utf-8")
    assert " description 东校区" in core
    assert result.returncode == 1
    assert "core-1: refused: 2024-03-03 02:00" in result.stdout and "U+FFFD" in result.stdout
    assert git.Repo(ws / "configs").head.is_valid()
