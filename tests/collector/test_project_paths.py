"""The right store (issue 13 §2, §5): the project root, settings paths relative to their file,
no store or key created by a run that did not ask for one, `--force` by device."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netkb.collector.gate import refuse_reason
from netkb.inventory import ConfigFileError
from netkb.project import Project, StoreLayout, find_project, new_files_refusal, project_settings
from netkb.settings import load_settings
from netkb.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
LOGIN = {"NETKB_CRED_DEFAULT_USERNAME": "ops", "NETKB_CRED_DEFAULT_PASSWORD": "x"}  # nothing answers
INVENTORY = {"devices": [{"name": "core-1", "host": "127.0.0.1", "port": 1, "platform": "comware"}]}


def netkb(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NETKB_PROJECT", "NETKB_REDACTION_KEY")}
    return subprocess.run(
        [sys.executable, "-m", "netkb.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environ, "PYTHONPATH": str(ROOT), "CI": "true", **LOGIN, **env},
    )


def project(tmp_path: Path, settings: str = "retries: 0\n") -> Path:
    folder = tmp_path / "campus"
    folder.mkdir()
    (folder / "netkb.yml").write_text(settings, encoding="utf-8")
    (folder / "inventory.yml").write_text(yaml.safe_dump(INVENTORY), encoding="utf-8")
    return folder


def test_relative_settings_paths_follow_the_settings_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = project(tmp_path, "snapshot_repo: configs\nredaction_key_file: keys/netkb.key\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = load_settings(folder / "netkb.yml")
    assert Path(settings.snapshot_repo) == folder.resolve() / "configs"
    assert Path(settings.redaction_key_file) == folder.resolve() / "keys" / "netkb.key"
    (folder / "netkb.yml").write_text(f"snapshot_repo: {tmp_path / 'srv' / 'configs'}\n", encoding="utf-8")
    assert Path(load_settings(folder / "netkb.yml").snapshot_repo) == tmp_path / "srv" / "configs"


def test_the_project_is_found_upward_or_by_netkb_project(tmp_path: Path) -> None:
    folder = project(tmp_path)
    deep = folder / "runbooks" / "core"
    deep.mkdir(parents=True)
    found = find_project(deep, {})
    assert found.root == folder.resolve() and found.found_by == "netkb.yml"
    assert found.settings_file == folder.resolve() / "netkb.yml"

    other = tmp_path / "other"
    other.mkdir()
    assert find_project(other, {}).found_by is None
    by_env = find_project(other, {"NETKB_PROJECT": str(folder)})
    assert by_env.root == folder.resolve() and by_env.found_by == "NETKB_PROJECT"
    with pytest.raises(ConfigFileError, match="NETKB_PROJECT=/nowhere: no such folder"):
        find_project(other, {"NETKB_PROJECT": "/nowhere"})


def test_a_named_settings_file_must_exist(tmp_path: Path) -> None:
    here = find_project(tmp_path, {})
    with pytest.raises(ConfigFileError, match=r"absent\.yml: settings file not found"):
        project_settings(tmp_path / "absent.yml", here)
    settings, path = project_settings(None, here)  # none named, none found: the defaults, here
    assert path is None and Path(settings.snapshot_repo) == tmp_path.resolve() / "configs"


def _layout(tmp_path: Path, store: bool, key: bool | None, settings: bool) -> StoreLayout:
    """`key` None: the key comes from NETKB_REDACTION_KEY."""
    here = Project(tmp_path, "netkb.yml" if settings else None, tmp_path)
    return StoreLayout(
        tmp_path / "configs",
        store,
        None if key is None else tmp_path / ".netkb" / "redaction.key",
        bool(key),
        tmp_path / "netkb.yml" if settings else None,
        here,
    )


@pytest.mark.parametrize(
    ("store", "key", "settings", "refused"),
    [
        (True, True, True, None),  # a nightly run
        (True, True, False, None),  # an older project without netkb.yml keeps working
        (True, None, False, None),  # CI: the key from the environment
        (False, False, True, None),  # the first collect of a project
        (False, None, True, None),  # the first collect in CI
        (True, False, True, "the redaction key"),  # the key is gone: every marker would change
        (False, True, True, "no snapshot repository at"),  # the store is gone, or elsewhere
        (False, False, False, "no snapshot repository at"),  # no project here: the wrong folder
        (False, None, False, "no snapshot repository at"),
    ],
)
def test_what_a_run_may_create(
    tmp_path: Path, store: bool, key: bool | None, settings: bool, refused: str | None
) -> None:
    layout = _layout(tmp_path, store, key, settings)
    reason = new_files_refusal(layout, new_store=False)
    if refused is None:
        assert reason is None
    else:
        assert reason is not None and refused in reason and "--new-store" in reason
        assert str(tmp_path / "configs") in reason
    assert new_files_refusal(layout, new_store=True) is None


def test_collect_with_a_missing_settings_file_says_so_in_one_line(tmp_path: Path) -> None:
    folder = project(tmp_path)
    result = netkb(folder, "collect", "--settings", "netkb-typo.yml")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "netkb collect: netkb-typo.yml: settings file not found (named by --settings); check the path, "
        "or leave --settings out to use the project's netkb.yml"
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["inventory.yml", "netkb.yml"]


def test_collect_in_a_folder_with_no_project_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(INVENTORY), encoding="utf-8")
    result = netkb(tmp_path, "collect")
    assert result.returncode == 2
    assert "no snapshot repository at" in result.stderr and "--new-store" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inventory.yml"]  # no configs/, no .netkb/


def test_bare_or_unknown_force_is_refused(tmp_path: Path) -> None:
    folder = project(tmp_path)
    bare = netkb(folder, "collect", "--force")
    assert bare.returncode == 2
    assert "--force needs the devices whose shrink is real, e.g. --force core-1,agg-lib" in bare.stderr
    typo = netkb(folder, "collect", "--force", "core-1,core-2")
    assert typo.returncode == 2
    assert "--force: no device named 'core-2' in the inventory" in typo.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["inventory.yml", "netkb.yml"]


def test_the_shrink_refusal_names_the_device_to_force() -> None:
    spec = load_spec("comware")
    previous = "\n".join(f"vlan {n}" for n in range(1, 41)) + "\nreturn\n"
    reason = refuse_reason("sysname core-1\nreturn\n", spec, previous, 0.5, device="core-1")
    assert reason is not None and reason.endswith("if the change is real, run again with --force core-1")
    assert refuse_reason("sysname core-1\nreturn\n", spec, previous, 0.5, True, device="core-1") is None


def test_check_reports_a_missing_settings_or_credentials_file(tmp_path: Path) -> None:
    folder = project(tmp_path)
    assert netkb(folder, "check").returncode == 0
    missing = netkb(folder, "check", "--settings", "absent.yml")
    assert missing.returncode == 1
    assert "netkb check: absent.yml: settings file not found" in missing.stderr

    inventory = {**INVENTORY, "credentials_file": "credentials.yml"}
    inventory["devices"] = [{**INVENTORY["devices"][0], "credentials": "campus-h3c"}]
    (folder / "inventory.yml").write_text(yaml.safe_dump(inventory), encoding="utf-8")
    no_creds = netkb(folder, "check")
    assert no_creds.returncode == 1
    assert "credentials.yml" in no_creds.stderr and "campus-h3c" in no_creds.stderr
    from_env = netkb(
        folder, "check", NETKB_CRED_CAMPUS_H3C_USERNAME="ops", NETKB_CRED_CAMPUS_H3C_PASSWORD="x"
    )
    assert from_env.returncode == 0, from_env.stderr  # the environment holds every profile


def test_check_reads_the_projects_files_from_a_subfolder(tmp_path: Path) -> None:
    folder = project(tmp_path, "workers: 0\n")
    (folder / "runbooks").mkdir()
    result = netkb(folder / "runbooks", "check")
    assert result.returncode == 1
    assert "netkb.yml: workers:" in result.stderr
