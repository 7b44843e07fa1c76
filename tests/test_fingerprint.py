"""netkb's fingerprint: it changes with any shipped file or a dependency's version, and only then.

The real function runs on a copy of netkb's own package folders (the list of folders pointed
at the copy), laid out as in a checkout and as in an installed wheel.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from netkb import fingerprint

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


@pytest.fixture
def fresh() -> Iterator[None]:
    fingerprint.fingerprint.cache_clear()
    yield
    fingerprint.fingerprint.cache_clear()


def copy_parts(target: Path, wheel: bool) -> dict[str, Path]:
    """A copy of netkb's parts: collector/ beside netkb/ (checkout) or inside it (wheel)."""
    real = fingerprint.package_folders()
    kernel = target / "netkb"
    shutil.copytree(real["netkb"], kernel, ignore=IGNORE)
    folders = {"netkb": kernel}
    for name in ("netkb.collector", "netkb.generator", "netkb.lab"):
        leaf = name.split(".")[1]
        folders[name] = (kernel if wheel else target) / leaf
        shutil.copytree(real[name], folders[name], ignore=IGNORE)
    return {name: folder.resolve() for name, folder in folders.items()}


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None) -> dict[str, Path]:
    folders = copy_parts(tmp_path, wheel=False)
    monkeypatch.setattr(fingerprint, "package_folders", lambda: folders)
    return folders


def test_it_is_stable_computed_once_and_fast_enough_to_ignore(fresh: None) -> None:
    first = fingerprint.fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert fingerprint.fingerprint() is first  # kept for the process
    assert fingerprint.compute() == first  # and the same when computed again


def test_a_checkout_and_a_wheel_of_the_same_files_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    real = fingerprint.compute()
    for layout, wheel in (("checkout", False), ("wheel", True)):
        folders = copy_parts(tmp_path / layout, wheel)
        monkeypatch.setattr(fingerprint, "package_folders", lambda folders=folders: folders)
        assert fingerprint.compute() == real, layout


# One file of each kind netkb ships, in each part: code, specs, strings, checklist, parser
# templates, page templates, static assets.
SHIPPED = [
    ("netkb", "settings.py"),
    ("netkb", "strings.yaml"),
    ("netkb", "inspection/checklist.yaml"),
    ("netkb", "records/cycles.py"),
    ("netkb.collector", "redact.py"),
    ("netkb.collector", "parsers/templates"),  # its first TextFSM template
    ("netkb.generator", "pages/devices.py"),
    ("netkb.generator", "templates/device.md.j2"),
    ("netkb.generator", "static/netkb.css"),
    ("netkb.generator", "static/config-search.js"),
]


def shipped_file(folders: dict[str, Path], part: str, relative: str) -> Path:
    path = folders[part] / relative
    return sorted(path.glob("*.textfsm"))[0] if path.is_dir() else path


@pytest.mark.parametrize(("part", "relative"), SHIPPED, ids=[f"{p}/{r}" for p, r in SHIPPED])
def test_any_shipped_file_changes_it(copy: dict[str, Path], part: str, relative: str) -> None:
    before = fingerprint.compute()
    path = shipped_file(copy, part, relative)
    original = path.read_bytes()
    path.write_bytes(original + b"\n")
    assert fingerprint.compute() != before
    path.write_bytes(original)
    assert fingerprint.compute() == before


def test_a_file_added_or_renamed_changes_it_bytecode_and_the_lab_do_not(copy: dict[str, Path]) -> None:
    before = fingerprint.compute()
    added = copy["netkb.generator"] / "static" / "extra.js"
    added.write_text("// new\n", encoding="utf-8")
    with_added = fingerprint.compute()
    assert with_added != before
    renamed = copy["netkb.generator"] / "static" / "extra2.js"
    added.rename(renamed)
    assert fingerprint.compute() not in (before, with_added)  # the same bytes under another name
    renamed.unlink()
    assert fingerprint.compute() == before

    cached = copy["netkb.collector"] / "__pycache__"
    cached.mkdir(exist_ok=True)
    (cached / "redact.cpython-311.pyc").write_bytes(b"\x00compiled")
    (copy["netkb.lab"] / "shell.py").write_text("# the lab feeds no cache\n", encoding="utf-8")
    assert fingerprint.compute() == before


def test_the_lab_inside_a_wheel_is_left_out_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None
) -> None:
    folders = copy_parts(tmp_path, wheel=True)
    monkeypatch.setattr(fingerprint, "package_folders", lambda: folders)
    before = fingerprint.compute()
    (folders["netkb.lab"] / "shell.py").write_text("# changed\n", encoding="utf-8")
    assert fingerprint.compute() == before
    (folders["netkb.collector"] / "clean.py").write_text("# changed\n", encoding="utf-8")
    assert fingerprint.compute() != before


@pytest.mark.parametrize("distribution", ["netkb", *fingerprint.DEPENDENCIES])
def test_a_dependency_version_changes_it(
    monkeypatch: pytest.MonkeyPatch, fresh: None, distribution: str
) -> None:
    before = fingerprint.fingerprint()
    real = fingerprint.metadata.version
    monkeypatch.setattr(
        fingerprint.metadata, "version", lambda name: "0.0.1-other" if name == distribution else real(name)
    )
    assert fingerprint.fingerprint() == before  # kept for the process: computed once
    fingerprint.fingerprint.cache_clear()
    assert fingerprint.fingerprint() != before


def test_a_library_that_shapes_nothing_cached_does_not(monkeypatch: pytest.MonkeyPatch, fresh: None) -> None:
    before = fingerprint.compute()
    real = fingerprint.metadata.version
    monkeypatch.setattr(fingerprint.metadata, "version", lambda name: "0.0" if name == "rich" else real(name))
    assert fingerprint.compute() == before
