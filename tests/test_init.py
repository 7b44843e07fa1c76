"""`netkb init DIR`: the project it writes, as a user finds it, read back by netkb's own loaders."""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netkb.credentials import load_credentials
from netkb.inspection.checklist import Kind, load_checklist
from netkb.inventory import load_inventory
from netkb.records.handwritten import read_records
from netkb.records.incidents import parse_incident, rules_from
from netkb.records.onsite import parse_record
from netkb.records.runbooks import load_runbooks
from netkb.scaffold.settings_file import comments
from netkb.settings import Settings, anchored, load_settings
from netkb.spec import PLATFORMS

ROOT = Path(__file__).resolve().parents[1]


def init(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", "init", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def examples(inventory: Path) -> dict[str, object]:
    """The inventory with its commented examples taken in: the lines after `devices: []` that
    start with "# ", without it (what a user does by removing the "# ")."""
    head, _, tail = inventory.read_text(encoding="utf-8").partition("devices: []")
    example = "\n".join(line[2:] for line in tail.splitlines() if line.startswith("# "))
    data = yaml.safe_load(head) | yaml.safe_load(example)
    assert isinstance(data, dict)
    return data


def fenced(readme: Path) -> str:
    """The Markdown template in a records folder's README."""
    match = re.search(r"```markdown\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    assert match, readme
    return match.group(1)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_init_writes_a_project_whose_files_netkb_reads(tmp_path: Path, language: str) -> None:
    result = init("campus", "--language", language, "--ci", "github", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "campus"
    assert "netkb check" in result.stdout and "mkdocs build" in result.stdout

    credentials = project / "credentials.yml"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert stat.S_IMODE((project / "inventory.yml").stat().st_mode) == 0o644
    ignored = (project / ".gitignore").read_text(encoding="utf-8").split()
    assert {"credentials.yml", "build/", "site/", ".netkb/", "configs/"} <= set(ignored)
    assert (project / ".github/workflows/netkb-nightly.yml").read_bytes() == (
        ROOT / ".ci/examples/github-actions-nightly.yml"
    ).read_bytes()
    assert (project / "docs/README.txt").is_file()

    # The settings file holds every setting at its default, and loads back to the defaults.
    settings = load_settings(project / "netkb.yml")
    assert settings == anchored(Settings(language=language), project)  # type: ignore[arg-type]
    written = yaml.safe_load((project / "netkb.yml").read_text(encoding="utf-8"))
    assert list(written) == list(Settings.model_fields)

    # As written, the inventory has no device and is valid; with its examples taken in, each
    # platform is there and valid, and every profile it names is in the credentials file.
    assert load_inventory(project / "inventory.yml").devices == []
    full = project / "full.yml"
    full.write_text(yaml.safe_dump(examples(project / "inventory.yml"), allow_unicode=True), encoding="utf-8")
    inventory = load_inventory(full)
    assert {d.platform.value for d in inventory.devices} == set(PLATFORMS)
    assert any(d.legacy_ssh for d in inventory.devices) and any(d.skip for d in inventory.devices)
    assert any(d.asset.warranty_end and d.asset.room and d.serial and d.building for d in inventory.devices)
    assert inventory.groups and any(inventory.expected(d) for d in inventory.devices)
    profiles = {d.credentials for d in inventory.devices}
    assert set(load_credentials(credentials, profiles)) == profiles

    # mkdocs.yml is the team's: it inherits netkb's generated config.
    mkdocs = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert mkdocs["INHERIT"] == "build/mkdocs.yml" and mkdocs["docs_dir"] == "build/docs"

    # The records templates pass the real loaders; the READMEs holding them are not records.
    names = {d.name for d in inventory.devices} | {"core-2"}
    rules = rules_from(names, Settings().sla.levels, Settings().incident_categories, project / "runbooks")
    incident, problems = parse_incident(fenced(project / "incidents/README.md"), "t.md", rules)
    assert incident is not None and problems == []
    onsite = {item.id for item in load_checklist().of_kind(Kind.ONSITE)}
    visit, problems = parse_record(fenced(project / "inspections/README.md"), "t.md", names, onsite)
    assert visit is not None and problems == []
    assert onsite - set(visit.items) <= {"log_export"}  # every item of a room visit

    # The starter runbooks are the repository's, and valid.
    books, problems = load_runbooks(project / "runbooks", set())
    assert problems == []
    assert {b.slug for b in books} == {p.stem for p in (ROOT / "runbooks").glob("*.md")}


def test_every_setting_has_a_comment_in_each_language() -> None:
    table = comments()
    missing = [
        f"{key} ({lang})"
        for key in Settings.model_fields
        for lang in ("zh", "en")
        if lang not in table.get(key, {})
    ]
    assert not missing, f"add them to netkb/scaffold/settings_comments.yaml: {missing}"
    assert set(table) <= set(Settings.model_fields), "comments for settings that are gone"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = init(str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "not empty" in result.stderr and "--force" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_force_adds_the_missing_files_and_keeps_every_existing_one(tmp_path: Path) -> None:
    (tmp_path / "inventory.yml").write_text("devices: []  # mine\n", encoding="utf-8")
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "ospf-neighbour-down.md").write_text("# our own\n", encoding="utf-8")
    result = init(str(tmp_path), "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "inventory.yml").read_text(encoding="utf-8") == "devices: []  # mine\n"
    assert (tmp_path / "runbooks" / "ospf-neighbour-down.md").read_text(encoding="utf-8") == "# our own\n"
    assert f"kept {tmp_path / 'inventory.yml'}" in result.stdout
    assert f"kept {tmp_path / 'runbooks/ospf-neighbour-down.md'}" in result.stdout
    assert (tmp_path / "netkb.yml").is_file() and (
        tmp_path / "runbooks" / "config-save-rollback.md"
    ).is_file()
    again = init(str(tmp_path), "--force", cwd=tmp_path)
    assert again.returncode == 0 and "kept" in again.stdout and "credentials.yml" in again.stdout


def test_init_into_a_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "campus").write_text("", encoding="utf-8")
    result = init("campus", cwd=tmp_path)
    assert result.returncode == 1 and "campus: is a file" in result.stderr


def test_a_runbooks_setting_reads_that_folder_and_a_wrong_one_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "netkb.yml").write_text("runbooks: ../library\n", encoding="utf-8")
    settings = load_settings(tmp_path / "project" / "netkb.yml")
    missing = read_records(set(), settings, tmp_path / "project")
    assert missing.runbooks == [] and len(missing.problems) == 1
    assert f"runbooks: {tmp_path / 'library'} is not a folder" in missing.problems[0]

    (tmp_path / "library").mkdir()
    (tmp_path / "library" / "fan.md").write_text("---\nplatforms: [comware]\n---\n# Fan\n", encoding="utf-8")
    (tmp_path / "project" / "runbooks").mkdir()  # not read: the setting names another folder
    (tmp_path / "project" / "runbooks" / "other.md").write_text("# Other\n", encoding="utf-8")
    found = read_records(set(), settings, tmp_path / "project")
    assert [b.slug for b in found.runbooks] == ["fan"] and found.problems == []
