"""Runbooks: hand-written Markdown pages under `runbooks/`, linked to the devices they concern.

A runbook's front matter says which devices it is for (every list given must match: platform,
role, model prefix, device name) and carries tags for search. The body is the team's own
Markdown and is published as written; only the front matter is validated (unknown keys are
errors, as everywhere), and problems come back one line each, naming the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from netkb.inventory import Strict
from netkb.records.frontmatter import parse_front_matter
from netkb.records.record_file import read_record

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class _FrontMatter(Strict):
    title: Annotated[str, Field(min_length=1)] | None = None
    platforms: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    models: list[str] = Field(default_factory=list)
    devices: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Runbook:
    slug: str  # path under runbooks/ without .md, e.g. "hardware/s7500e-fan"
    path: str  # as reported, e.g. "runbooks/hardware/s7500e-fan.md"
    title: str
    body: str  # the Markdown after the front matter
    platforms: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def targeted(self) -> bool:
        return bool(self.platforms or self.roles or self.models or self.devices)

    def applies_to(self, name: str, platform: str, role: str, model: str) -> bool:
        """A runbook with no target list applies to no device in particular (a general guide)."""
        if not self.targeted:
            return False
        return (
            (not self.devices or name in self.devices)
            and (not self.platforms or platform in self.platforms)
            and (not self.roles or role in self.roles)
            and (not self.models or any(model.upper().startswith(m.upper()) for m in self.models))
        )


def _first_heading(body: str) -> str | None:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.M)
    return match.group(1) if match else None


def parse_runbook(text: str, slug: str, shown: str) -> tuple[Runbook | None, list[str]]:
    data, body, problems = parse_front_matter(
        text, shown, "title, platforms, roles, models, devices, tags", required=False
    )
    if data is None:
        return None, problems
    try:
        fields = _FrontMatter.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"])
            message = "unknown key (check its spelling)" if err["type"] == "extra_forbidden" else err["msg"]
            problems.append(f"{shown}: {key}: {message}")
        return None, problems
    return Runbook(
        slug=slug,
        path=shown,
        title=fields.title or _first_heading(body) or slug.rsplit("/", 1)[-1],
        body=body,
        platforms=tuple(fields.platforms),
        roles=tuple(fields.roles),
        models=tuple(fields.models),
        devices=tuple(fields.devices),
        tags=tuple(fields.tags),
    ), []


def load_runbooks(folder: Path, known_devices: set[str] | None = None) -> tuple[list[Runbook], list[str]]:
    """Every runbook under the folder (by slug) and every problem, one line each."""
    if not folder.is_dir():
        return [], []
    runbooks, problems = [], []
    for path in sorted(folder.rglob("*.md")):
        relative = path.relative_to(folder).with_suffix("").as_posix()
        shown = path.relative_to(folder.parent).as_posix()
        if not all(SLUG.match(part) for part in relative.split("/")):
            problems.append(
                f"{shown}: file name: use letters, digits, '.', '_' and '-' only (it becomes a URL)"
            )
            continue
        runbook = read_record(path, shown, problems, parse_runbook, relative, shown)
        if runbook is None:
            continue
        for i, name in enumerate(runbook.devices):
            if known_devices is not None and name not in known_devices:
                problems.append(
                    f"{shown}: devices[{i}]: {name!r} is not in the inventory (check the spelling)"
                )
        runbooks.append(runbook)
    return runbooks, problems


# Files next to the runbooks that are published as they are. Anything a browser would run
# (HTML, SVG, JavaScript) is not: it would run in every reader's browser, on the site's origin.
ATTACHMENTS = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".pdf", ".txt", ".log", ".cfg", ".csv"}
    | {".xlsx", ".xls", ".docx", ".doc", ".pptx", ".vsdx", ".zip"}
)


def attachments(folder: Path, trust_raw_html: bool = False) -> tuple[list[Path], list[str]]:
    """The files under `folder` published next to the runbooks, and one problem per file that is
    not (unless `trust_raw_html`, which publishes HTML as written anyway)."""
    if not folder.is_dir():
        return [], []
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix.lower() != ".md"]
    files = [p for p in files if not p.name.startswith(".")]
    if trust_raw_html:
        return files, []
    kept = [p for p in files if p.suffix.lower() in ATTACHMENTS]
    problems = [
        f"{p.relative_to(folder.parent).as_posix()}: not published: an attachment may be an image, PDF, "
        "text or office file; HTML, SVG and scripts would run in readers' browsers (remove it, or set "
        "trust_raw_html: true)"
        for p in files
        if p.suffix.lower() not in ATTACHMENTS
    ]
    return kept, problems
