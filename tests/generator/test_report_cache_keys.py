"""A closed period's report is rendered again only when something it reads changed: a record
dated after the period's end leaves it in the cache, one dated inside it does not. Each
generation is also compared with a cold one, byte for byte."""

from __future__ import annotations

import pickle
from pathlib import Path

from tests.generator.test_incremental_is_cold import Project


def _cached_keys(build: Path) -> set[tuple[str, ...]]:
    """Every key in the page cache: its base, then each journal record."""
    base = build / "cache" / "pages.pickle"
    keys: set[tuple[str, ...]] = set()
    if not base.exists():  # before the first generation
        return keys
    with base.open("rb") as f:
        pickle.load(f)  # the salt
        keys |= set(pickle.load(f))
    journal = base.with_name(base.name + ".journal")
    if journal.exists():
        with journal.open("rb") as f:
            while f.peek(1):
                keys |= set(pickle.load(f)[1])
    return keys


def _rendered_reports(project: Project, build: Path) -> set[str]:
    """The periods whose report this generation rendered anew (keys it added to the cache),
    after checking that what it wrote equals a cold generation's tree."""
    before = _cached_keys(build)
    warm = project.generate(build)
    cold = project.generate(build.with_name(f"cold-{len(list(build.parent.glob('cold-*')))}"))
    assert warm == cold
    return {key[1] for key in _cached_keys(build) - before if key[0] == "report"}


def _incident(number: int, day: str, title: str) -> str:
    """A resolved incident (an open one keeps its period's clock running: never cached)."""
    return (
        f'---\nid: INC-2025-{number:04d}\ntitle: "{title}"\nlevel: P3\ncategory: switching\n'
        f"devices: [core-1]\nreported: {day}T09:00:00+08:00\nresponded: {day}T09:05:00+08:00\n"
        f"resolved: {day}T11:00:00+08:00\nreporter: 教务处\nhandler: 李工\nstatus: resolved\n"
        "cause: 跳线松动\nactions: 重新插紧\n---\n上课前报修。\n"
    )


def test_a_new_record_re_renders_its_own_periods_reports_not_the_closed_ones(tmp_path: Path) -> None:
    project = Project(tmp_path)
    for _ in range(40):  # 2025-03-01 .. 2025-04-09: March (and Q1) are over
        project.night()
    build = tmp_path / "build"
    project.write("incidents/march.md", _incident(1, "2025-03-10", "断网"))
    assert {"2025-03", "2025-Q1"} <= _rendered_reports(project, build)

    project.write("incidents/april.md", _incident(2, "2025-04-08", "掉线"))
    assert _rendered_reports(project, build).isdisjoint({"2025-03", "2025-Q1"})

    project.write("incidents/march.md", _incident(1, "2025-03-10", "断网了"))
    assert {"2025-03", "2025-Q1"} <= _rendered_reports(project, build)
