"""One fingerprint of the netkb that runs: every cache is kept under it and ignored under another.

A cache may serve a result only if the code, data and libraries that made it are the ones that
would make it now. Instead of hand-bumped format numbers and hashes of a few chosen files (each
missing something: a checklist, a calendar, a parser library), every cache asks for one digest
of:

- netkb's version (the installed "netkb" distribution);
- every file netkb ships in the packages whose work is cached: the kernel (settings, specs,
  strings, checklist, records, inspection engine…), `netkb.collector` (cleaning, redaction,
  parsers and their TextFSM templates) and `netkb.generator` (pages, templates, static assets).
  All their files count, whatever their suffix, except compiled bytecode and hidden files: a
  file that does not matter costs a cold cache when it changes, a file left out would let a
  cache lie. The lab (`netkb.lab`) only simulates devices and never feeds a cache, so it is
  left out (in a wheel it sits inside netkb/ and is skipped there);
- the Python version and the installed versions of the libraries that shape what is cached.

Files are named by package and relative path, so a checkout (collector/ beside netkb/) and a
wheel (netkb/collector/) of the same sources give the same fingerprint. It is computed once per
process: about 10–15 ms for some 115 small files and 14 version look-ups.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

# The parts whose code and data shape a cached result, by package name.
PARTS = ("netkb", "netkb.collector", "netkb.generator")
# Parts that are not part of the fingerprint but may sit inside netkb/ in a wheel.
LEFT_OUT = ("netkb.lab",)

# Libraries whose version changes what a cache would hold: parses (ntc-templates, textfsm,
# ciscoconfparse, PyYAML), models and settings dumps (pydantic), rendered pages (Jinja2,
# markdown, pygments, nh3, mkdocs, mkdocs-material, pymdown-extensions, jieba).
DEPENDENCIES = (
    "ntc-templates",
    "textfsm",
    "ciscoconfparse",
    "PyYAML",
    "pydantic",
    "Jinja2",
    "markdown",
    "pymdown-extensions",
    "pygments",
    "nh3",
    "mkdocs",
    "mkdocs-material",
    "jieba",
)


def _folder(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)  # imports the parent package only
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def package_folders() -> dict[str, Path]:
    """The folder of each part and left-out part, found the way Python imports it (a checkout
    or a wheel alike)."""
    return {name: folder for name in PARTS + LEFT_OUT if (folder := _folder(name)) is not None}


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def _shipped(folder: Path, skipped: set[Path]) -> list[tuple[str, Path]]:
    """(relative POSIX path, file) of every shipped file below `folder`, in a stable order."""
    files = []
    for top, dirs, names in os.walk(folder):
        here = Path(top)
        dirs[:] = [
            d for d in dirs if d != "__pycache__" and not d.startswith(".") and here / d not in skipped
        ]
        for name in names:
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            path = here / name
            files.append((path.relative_to(folder).as_posix(), path))
    return sorted(files)


def compute() -> str:
    """The fingerprint, computed afresh (`fingerprint()` keeps it for the process)."""
    digest = hashlib.sha256()

    def add(*fields: str | bytes) -> None:
        for value in fields:
            data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
            digest.update(len(data).to_bytes(8, "big"))  # length-prefixed: no two inputs run together
            digest.update(data)

    add("netkb", _version("netkb"), "python", ".".join(map(str, sys.version_info[:3])))
    for name in DEPENDENCIES:
        add("dependency", name, _version(name))
    folders = package_folders()
    skipped = {folder for name, folder in folders.items() if name != "netkb"}  # walked apart, or not at all
    for name in PARTS:
        if name not in folders:
            continue
        for relative, path in _shipped(folders[name], skipped):
            add("file", f"{name}/{relative}", path.read_bytes())
    return digest.hexdigest()


@cache
def fingerprint() -> str:
    """The fingerprint of this process's netkb: 64 hex digits."""
    return compute()
