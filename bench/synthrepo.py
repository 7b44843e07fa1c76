"""A synthetic snapshot repository: N devices x M nightly collects, in the collector's format.

    python bench/synthrepo.py [--devices 1000] [--nights 365] [--seed 7] [--shards 1] [--append]

builds (or reuses) `build/bench-site/<key>/` holding `configs/` (the snapshot repository: one
commit per changed device, then the night's run record, dated as a nightly collect dates them),
`inventory.yml` (netkb/inventory.py format), `synth.json` (what the generator did: per night
the records, the devices that changed with their sections and topics, the failed ones) and
`sim.pickle` (the network as the last night left it, to append more nights). The key is the
parameters and a fingerprint of the sources that shape the repository (`source_fingerprint`),
so a rerun skips building and a changed renderer or collector rebuilds it. With `shards`, each
night is written as that many `netkb collect --shard K/N` jobs write it (bench-site: four). The
nights come from bench/synthnet.py; they are written by one `git fast-import` stream, as
collector/gitstore.py writes a run. `--append` adds one more night to the repository (the
incremental measurement); `append_night` does it on a copy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthnet import Night, Simulator
from netkb import fingerprint
from netkb.collector.gitstore import _git_date
from netkb.lab.inventory import PROFILE

ROOT = Path("build/bench-site")
AUTHOR = "netkb <netkb@localhost>"  # the settings' default author
BRANCH = "refs/heads/main"
BATCH = 400  # commits whose ids are read back at once (their answers must fit the pipe)


@dataclass(frozen=True)
class Params:
    devices: int = 1000
    nights: int = 365
    seed: int = 7
    change_rate: float = 0.05
    start: str = "2025-01-01"
    shards: int = 1  # run records a night: `netkb collect --shard K/N` jobs (CI's matrix: 4)

    def key(self) -> str:
        shards = f"-k{self.shards}" if self.shards > 1 else ""
        return (
            f"d{self.devices}-n{self.nights}-s{self.seed}-c{self.change_rate:g}-{self.start}{shards}"
            f"-{source_fingerprint()[:12]}"
        )


# What shapes the synthetic repository: these generators, the lab that renders the devices, and
# the kernel and collector whose functions clean, redact, parse, inspect and record (the site
# generator reads the repository but does not shape it, so its edits keep the cache).
SHAPING = ("netkb", "netkb.collector", "netkb.lab")


@cache
def source_fingerprint() -> str:
    """A digest of every file that shapes what is built (netkb/fingerprint.py's walk of the
    parts, here of SHAPING, and bench/synth*.py), and of netkb's version: a repository cached
    under another one is rebuilt, never reused. No hand-bumped format number."""
    digest = hashlib.sha256(f"netkb {fingerprint._version('netkb')} {sys.version_info[:3]}".encode())
    folders = fingerprint.package_folders()
    skipped = {folder for name, folder in folders.items() if name != "netkb"}
    files = [(f"bench/{p.name}", p) for p in sorted(Path(__file__).resolve().parent.glob("synth*.py"))]
    for name in SHAPING:
        files += [(f"{name}/{rel}", path) for rel, path in fingerprint._shipped(folders[name], skipped)]
    for name, path in files:
        data = path.read_bytes()
        digest.update(b"%d %s %d\n" % (len(name.encode()), name.encode(), len(data)) + data)
    return digest.hexdigest()


@dataclass(frozen=True)
class SynthRepo:
    folder: Path  # build/bench-site/<key>
    params: Params

    @property
    def repo(self) -> Path:
        return self.folder / "configs"

    @property
    def inventory(self) -> Path:
        return self.folder / "inventory.yml"

    @property
    def report_path(self) -> Path:
        return self.folder / "synth.json"

    @property
    def sim_path(self) -> Path:
        return self.folder / "sim.pickle"

    def report(self) -> dict[str, Any]:
        return json.loads(self.report_path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --- writing: one fast-import stream ---------------------------------------------------------


class Importer:
    """`git fast-import` on a repository: commits on `main`, their ids read back in batches."""

    def __init__(self, repo: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "-C", str(repo), "fast-import", "--quiet", "--done"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.stdin: IO[bytes] = self.proc.stdin  # type: ignore[assignment]
        self.stdout: IO[bytes] = self.proc.stdout  # type: ignore[assignment]
        self.mark = 0
        tip = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "-q", "--verify", BRANCH], capture_output=True, text=True
        ).stdout.strip()
        self.parent = tip or None  # where the first commit of this stream goes on from

    def commit(self, when: dt.datetime, message: str, files: dict[str, bytes]) -> None:
        self.mark += 1
        encoded = message.encode("utf-8")
        date = _git_date(when)
        out = [
            f"commit {BRANCH}\nmark :{self.mark}\n".encode(),
            f"author {AUTHOR} {date}\ncommitter {AUTHOR} {date}\n".encode(),
            b"data %d\n" % len(encoded) + encoded + b"\n",
        ]
        if self.mark > 1:
            out.append(f"from :{self.mark - 1}\n".encode())
        elif self.parent:
            out.append(f"from {self.parent}\n".encode())
        for path, data in files.items():
            out.append(b"M 100644 inline " + path.encode() + b"\n" + b"data %d\n" % len(data) + data + b"\n")
        out.append(f"get-mark :{self.mark}\n".encode())
        self.stdin.write(b"".join(out))

    def shas(self, count: int) -> list[str]:
        """The ids of the last `count` commits asked for with get-mark, in order."""
        self.stdin.flush()
        return [self.stdout.readline().decode().strip() for _ in range(count)]

    def write_night(self, night: Night, shards: int = 1) -> list[str]:
        """The night's commits, as `shards` collect jobs push them (each shard's device commits,
        then its record); the records' paths."""
        paths = []
        for shard in night.shards(shards):
            commits = night.shard_commits(shard)
            for start in range(0, len(commits), BATCH):
                batch = commits[start : start + BATCH]
                for c in batch:
                    self.commit(c.when, c.message, c.files)
                for c, sha in zip(batch, self.shas(len(batch)), strict=True):
                    night.results[c.device].commit = sha
            message, path, files = night.shard_record(shard)
            self.commit(night.finished.replace(microsecond=0), message, files)
            self.shas(1)
            paths.append(path)
        return paths

    def close(self) -> None:
        self.stdin.write(b"done\n")
        self.stdin.close()
        self.stdout.read()
        if self.proc.wait() != 0:
            raise RuntimeError(f"git fast-import failed with status {self.proc.returncode}")


def _summary(night: Night, records: list[str]) -> dict[str, Any]:
    """What a night did, for the benchmark and the test to compare the history with."""
    return {
        "record": records[0],
        "records": records,
        "started": night.started.isoformat(),
        "changed": {
            c.device: {"sections": night.sections[c.device], "topics": night.topics[c.device]}
            for c in night.commits
        },
        "failed": sorted(n for n, r in night.results.items() if r.outcome.value == "failed"),
        "collected": len(night.results),
    }


def _write(
    repo: Path, sim: Simulator, nights: int, shards: int, checkout: bool = True
) -> list[dict[str, Any]]:
    importer = Importer(repo)
    summaries = []
    try:
        for _ in range(nights):
            night = sim.night()
            summaries.append(_summary(night, importer.write_night(night, shards)))
    finally:
        importer.close()
    if checkout:  # the working tree a collect leaves: the tip's files (the generator reads git only)
        subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard"], check=True)
    return summaries


def write_inventory(sim: Simulator, path: Path) -> None:
    """The inventory of the synthetic network (netkb/inventory.py format), with asset data."""
    devices = []
    for dev in sim.net.devices.values():
        warranty = sim.start.date() + dt.timedelta(
            days=30 + int.from_bytes(dev.serial.encode()[-3:], "big") % 1500
        )
        entry: dict[str, Any] = {
            "name": dev.name,
            "host": dev.mgmt_ip,
            "platform": dev.platform.value,
            "role": dev.role,
            "building": dev.building,
            "model": dev.model,
            "serial": dev.serial,
            "mgmt_ip": dev.mgmt_ip,
            "credentials": PROFILE[dev.platform],
            "groups": [dev.role],
            "asset": {"purchase_date": warranty - dt.timedelta(days=5 * 365), "warranty_end": warranty},
        }
        if dev.encoding != "utf-8":
            entry["encoding"] = dev.encoding
        devices.append(entry)
    text = "# Synthetic campus network of bench/synthrepo.py\n" + yaml.safe_dump(
        {"credentials_file": "credentials.yml", "devices": devices}, allow_unicode=True, sort_keys=False
    )
    path.write_text(text, encoding="utf-8")


def build(params: Params, root: Path = ROOT, *, quiet: bool = False) -> SynthRepo:
    """The repository of these parameters: reused when built before, else built (atomically)."""
    target = SynthRepo(root / params.key(), params)
    if target.report_path.exists():
        return target
    started = time.monotonic()
    tmp = root / f".{params.key()}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "configs").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(tmp / "configs")], check=True)
    sim = Simulator(params.devices, params.seed, dt.date.fromisoformat(params.start), params.change_rate)
    write_inventory(sim, tmp / "inventory.yml")
    summaries = _write(tmp / "configs", sim, params.nights, params.shards)
    with (tmp / "sim.pickle").open("wb") as f:
        pickle.dump(sim, f, protocol=pickle.HIGHEST_PROTOCOL)
    report = {
        "params": asdict(params),
        "nights": summaries,
        "build_seconds": round(time.monotonic() - started, 1),
    }
    (tmp / "synth.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(target.folder, ignore_errors=True)
    tmp.rename(target.folder)
    if not quiet:
        print(f"built {target.repo} in {report['build_seconds']} s")
    return target


def append_night(
    repo: Path, sim_path: Path, save_to: Path | None = None, checkout: bool = True, shards: int = 1
) -> dict[str, Any]:
    """One more night on `repo` (which `sim_path` describes); its summary. With `save_to`, the
    network after it is kept there (default: not kept, so the same night can be appended again);
    without `checkout`, the working tree is left as it was (a copy made by `copy_repo`)."""
    with sim_path.open("rb") as f:
        sim: Simulator = pickle.load(f)
    (summary,) = _write(repo, sim, 1, shards, checkout)
    if save_to is not None:
        with save_to.open("wb") as f:
            pickle.dump(sim, f, protocol=pickle.HIGHEST_PROTOCOL)
    return summary


def copy_repo(source: Path, target: Path) -> None:
    """A copy of a snapshot repository to change: objects hard-linked, no working tree (a year of
    run records is a gigabyte of files; the generator reads git only)."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", "--local", "--no-checkout", str(source), str(target)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=Params.devices)
    parser.add_argument("--nights", type=int, default=Params.nights)
    parser.add_argument("--seed", type=int, default=Params.seed)
    parser.add_argument("--shards", type=int, default=Params.shards, help="run records a night")
    parser.add_argument("--root", type=Path, default=ROOT, help=f"cache folder (default {ROOT})")
    parser.add_argument("--append", action="store_true", help="add one more night to the cached repository")
    args = parser.parse_args()
    params = Params(args.devices, args.nights, args.seed, shards=args.shards)
    synth = build(params, args.root)
    if args.append:
        summary = append_night(synth.repo, synth.sim_path, save_to=synth.sim_path, shards=params.shards)
        report = synth.report()
        report["nights"].append(summary)
        synth.report_path.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        print(f"appended night {summary['started']}: {len(summary['changed'])} devices changed")
    print(synth.repo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
