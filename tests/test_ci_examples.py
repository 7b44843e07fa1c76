"""The example nightly CI definitions: valid YAML, scheduled, sharded, and calling only real commands.

Every `netkb …` line of their scripts is parsed by the real `netkb` argument parser (CI
variables replaced by sample values), so a renamed option or subcommand fails here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from netkb.cli import build_parser
from netkb.credentials import _env_name
from netkb.fingerprint import compute
from netkb.inventory import Shard
from netkb.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[1] / ".ci" / "examples"
GITHUB = EXAMPLES / "github-actions-nightly.yml"
GITLAB = EXAMPLES / "gitlab-ci-nightly.yml"
# GitHub's SHARD is `${{ matrix.shard }}/${{ strategy.job-total }}` (checked below).
SAMPLES = {"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4", "SHARD": "2/4"}
OPERATORS = {"||", "&&", ";", "|", "(", ")", ";;"}


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def scripts(path: Path) -> list[str]:
    data = load(path)
    if path == GITHUB:
        return [s["run"] for job in data["jobs"].values() for s in job.get("steps", []) if "run" in s]
    out = []
    for job in data.values():
        if isinstance(job, dict):
            for key in ("before_script", "script"):
                out.extend(job.get(key, []))
    return out


def invocations(script: str, program: str) -> list[list[str]]:
    """The argument lists of every call of `program`, CI variables replaced by sample values."""
    text = re.sub(r"\$\{\{[^}]*\}\}", "1", script.replace("\\\n", " "))
    text = re.sub(r"\$\{?(CI_NODE_INDEX|CI_NODE_TOTAL|SHARD)\}?", lambda m: SAMPLES[m[1]], text)
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        for i, token in enumerate(tokens):
            if token == program and (i == 0 or tokens[i - 1] in OPERATORS):
                call = []
                for arg in tokens[i + 1 :]:
                    if arg in OPERATORS:
                        break
                    call.append(arg)
                found.append(call)
    return found


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_every_netkb_command_is_real(path: Path) -> None:
    calls = [c for s in scripts(path) for c in invocations(s, "netkb")]
    assert {c[0] for c in calls} >= {"collect", "generate"}
    parser = build_parser()
    for call in calls:
        args = parser.parse_args(call)  # SystemExit on an unknown subcommand or option
        if call[0] == "collect":
            assert isinstance(args.shard, Shard), call
    generate = next(c for c in calls if c[0] == "generate")
    build = generate[generate.index("--build") + 1]
    mkdocs = [c for s in scripts(path) for c in invocations(s, "mkdocs")]
    assert mkdocs == [["build", "-f", f"{build}/mkdocs.yml"]]  # the config netkb generate writes


def test_github_workflow_is_scheduled_sharded_and_published() -> None:
    data = load(GITHUB)
    triggers = data["on"] if "on" in data else data[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"][0]["cron"]
    collect = data["jobs"]["collect"]
    shards = collect["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    assert collect["env"]["SHARD"] == "${{ matrix.shard }}/${{ strategy.job-total }}"
    assert collect["strategy"]["fail-fast"] is False
    env = collect["env"]
    assert env["NETKB_REDACTION_KEY"] == "${{ secrets.NETKB_REDACTION_KEY }}"
    for part in ("USERNAME", "PASSWORD"):
        name = _env_name("campus-h3c", part)  # the names credentials.py reads
        assert env[name] == f"${{{{ secrets.{name} }}}}"
    push = next(s for s in collect["steps"] if s.get("name") == "push the snapshot repository")
    assert "git pull --rebase" in push["run"] and "git push" in push["run"]
    assert data["jobs"]["site"]["needs"] == "collect" and data["jobs"]["pages"]["needs"] == "site"
    uses = [s["uses"] for job in data["jobs"].values() for s in job.get("steps", []) if "uses" in s]
    assert "actions/deploy-pages@v4" in uses and "actions/upload-artifact@v4" in uses
    assert all(re.fullmatch(r"actions/[\w-]+@v\d+", u) for u in uses), uses


def test_gitlab_pipeline_is_scheduled_sharded_and_published() -> None:
    data = load(GITLAB)
    collect, site, pages = data["collect"], data["site"], data["pages"]
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in collect["rules"]
    assert isinstance(collect["parallel"], int) and collect["parallel"] > 1
    assert data["stages"] == ["collect", "build", "publish"]
    assert [collect["stage"], site["stage"], pages["stage"]] == data["stages"]
    script = "\n".join(collect["script"])
    assert "git pull --rebase" in script and "git push" in script
    assert collect["allow_failure"] == {"exit_codes": [1]}  # failed devices only; a push failure is 3
    # GitLab Pages publishes the `public` artifact of the job named `pages`.
    assert pages["artifacts"]["paths"] == ["public"] and pages["needs"] == ["site"]
    generate = next(c for s in site["script"] for c in invocations(s, "netkb") if c[0] == "generate")
    assert generate[generate.index("--site") + 1] == "public"
    text = GITLAB.read_text(encoding="utf-8")
    assert "NETKB_REDACTION_KEY" in text and _env_name("campus-h3c", "PASSWORD") in text


def test_github_collect_keeps_each_shards_parse_cache_under_the_fingerprint() -> None:
    steps = load(GITHUB)["jobs"]["collect"]["steps"]
    names = [s.get("name") for s in steps]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert steps.index(cache) < names.index("collect")  # restored before the collect, saved after
    assert cache["with"]["path"] == Settings().cache_dir  # where netkb.yml's folder keeps it
    key, restore = cache["with"]["key"], cache["with"]["restore-keys"]
    assert "${{ matrix.shard }}" in key and "${{ strategy.job-total }}" in key  # one per shard
    assert "${{ steps.netkb.outputs.fingerprint }}" in key and key.endswith("-${{ github.run_id }}")
    assert key.startswith(restore) and "run_id" not in restore  # the newest of the same fingerprint
    # The step that computes the fingerprint prints the real one.
    step = next(s for s in steps if s.get("id") == "netkb")
    code = re.search(r"python -c '([^']*)'", step["run"])
    assert code and "$GITHUB_OUTPUT" in step["run"]
    done = subprocess.run([sys.executable, "-c", code[1]], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == compute()  # afresh: files may have changed since this process began


def test_gitlab_collect_keeps_each_shards_parse_cache_keyed_by_what_pins_netkb() -> None:
    data = load(GITLAB)
    caches = data["collect"]["cache"]
    parse = next(c for c in caches if Settings().cache_dir in c["paths"])
    assert parse["paths"] == [Settings().cache_dir]
    assert "$CI_NODE_INDEX" in parse["key"]["prefix"] and "$CI_NODE_TOTAL" in parse["key"]["prefix"]
    assert "pyproject.toml" in parse["key"]["files"] and len(parse["key"]["files"]) <= 2  # GitLab's limit
    assert {"key": "pip", "paths": [".cache/pip"]} in caches  # still the template's pip cache


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_no_cache_holds_the_redaction_key_folder(path: Path) -> None:
    data = load(path)
    cached: list[str] = []
    if path == GITHUB:
        for job in data["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/cache@"):
                    cached += step["with"]["path"].split()
    else:
        for job in data.values():
            if isinstance(job, dict):
                entries = job.get("cache", [])
                for entry in entries if isinstance(entries, list) else [entries]:
                    cached += entry["paths"]
    key_folder = Path(Settings().redaction_key_file).parent
    assert cached and all(not key_folder.is_relative_to(Path(p)) for p in cached), cached
