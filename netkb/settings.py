"""The settings file (`netkb.yml`): where the snapshot repository is, how to collect,
the inspection thresholds and cycles. Every key is optional; unknown keys are errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from netkb.inspection.checks import Thresholds
from netkb.inventory import ConfigFileError, Strict, read_yaml, validate
from netkb.records.cost import CostPolicy, policy_problems
from netkb.records.cycles import Cycles
from netkb.records.planned_changes import ChangeControl
from netkb.records.requests import RequestPolicy
from netkb.records.service import Categories, SlaPolicy, default_categories


class Timeouts(Strict):
    connect: Annotated[float, Field(gt=0)] = 20
    command: Annotated[float, Field(gt=0)] = 60
    device: Annotated[float, Field(gt=0)] = 300


def _age_recipient(text: str) -> str:
    """An age recipient (`age1…`, or an OpenSSH public key line `ssh-ed25519 …`), else one line
    saying what to put there. A value is echoed only when it looks public: a private key pasted
    here by mistake must not be repeated in an error message."""
    import pyrage  # only settings that seal anything pay for loading it

    text = text.strip()
    if text.upper().startswith("AGE-SECRET-KEY-") or "PRIVATE KEY" in text:
        raise ValueError(
            "this is an identity (a private key), not a recipient: remove it from the settings at once "
            "and put its public key there (age-keygen -y KEYFILE prints it)"
        )
    try:
        (pyrage.ssh if text.startswith("ssh-") else pyrage.x25519).Recipient.from_str(text)
    except pyrage.RecipientError:
        shown = f"{text[:16]!r}…" if text.startswith(("age1", "ssh-")) else "the value"
        raise ValueError(
            f"{shown} is not an age recipient: expected an age public key (age1…, from age-keygen -y "
            "KEYFILE) or an ssh-ed25519 public key line"
        ) from None
    return text


class Author(Strict):
    name: str = "netkb"
    email: str = "netkb@localhost"


NotifyEvent = Literal["changes", "findings", "failures"]
NOTIFY_EVENTS: tuple[NotifyEvent, ...] = ("changes", "findings", "failures")


class SmtpServer(Strict):
    """The mail server notifications go through. Its user name and password are credentials:
    credentials.yml `notifications: {smtp: {username, password}}` or NETKB_SMTP_USERNAME and
    NETKB_SMTP_PASSWORD, never this file."""

    host: Annotated[str, Field(min_length=1)]
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    starttls: bool = True  # upgrade the connection with STARTTLS before logging in
    ssl: bool = False  # TLS from the first byte (port 465) instead
    sender: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]


class NotifyTarget(Strict):
    """Where a collect's summary goes. A robot's or webhook's URL (it holds the access token) and
    a signing secret are credentials: credentials.yml `notifications: {<name>: {url, secret}}` or
    NETKB_NOTIFY_<NAME>_URL and NETKB_NOTIFY_<NAME>_SECRET, never this file."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    kind: Literal["email", "wecom", "dingtalk", "feishu", "webhook"]  # 企业微信, 钉钉, 飞书 robots
    events: list[NotifyEvent] = Field(default_factory=lambda: list(NOTIFY_EVENTS), min_length=1)
    to: list[Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _recipients(self) -> NotifyTarget:
        if self.kind == "email" and not self.to:
            raise ValueError(f"target {self.name!r}: an email target needs `to` (a list of addresses)")
        if self.kind != "email" and self.to:
            raise ValueError(f"target {self.name!r}: `to` is for email targets only")
        return self


class Notifications(Strict):
    """What a collect tells, and to whom (collector/notify.py); no target: nothing is sent."""

    smtp: SmtpServer | None = None
    timeout: Annotated[float, Field(gt=0, le=120)] = 10  # seconds for each send
    targets: list[NotifyTarget] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Notifications:
        names = [t.name for t in self.targets]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"target name(s) used twice: {', '.join(twice)}")
        if self.smtp is None and any(t.kind == "email" for t in self.targets):
            raise ValueError("an email target needs `smtp` (host, sender)")
        return self


class Settings(Strict):
    # Relative paths (snapshot_repo, redaction_key_file, cache_dir): to the settings file's folder.
    snapshot_repo: Annotated[str, Field(min_length=1)] = "configs"
    workers: Annotated[int, Field(ge=1, le=512)] = 16
    timeouts: Timeouts = Field(default_factory=Timeouts)
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    retry_backoff: Annotated[float, Field(ge=0)] = 2.0  # seconds, doubled per retry
    shrink_threshold: Annotated[float, Field(gt=0, le=1)] = 0.5  # refuse configs that lose more lines
    author: Author = Field(default_factory=Author)
    # Where the key of the secret markers lives (NETKB_REDACTION_KEY overrides it); never in git.
    redaction_key_file: str = ".netkb/redaction.key"
    # Where the collector keeps what it made of each output last night (collector/parsecache.py:
    # redacted text only); never in git, kept between nights by CI. Another netkb ignores it.
    cache_dir: str = ".netkb/cache"
    language: Literal["zh", "en"] = "zh"  # the site's UI language (Material's theme.language follows)
    site_name: str | None = None  # default: the UI string for "network knowledge base"
    # Raw HTML in runbooks, incident narratives and on-site notes is sanitized (generator/sanitize.py:
    # no script, event handler, javascript: URL or external image); true publishes it as written.
    trust_raw_html: bool = False
    # The runbooks folder, relative to the settings file's folder (a shared library, e.g. the demo's
    # `../runbooks`); None: `runbooks/` in the records folder (netkb/records/handwritten.py).
    runbooks: Annotated[str, Field(min_length=1)] | None = None
    stale_days: Annotated[int, Field(ge=1)] = 3  # no successful collect for longer: shown as stale
    thresholds: Thresholds = Field(default_factory=Thresholds)
    cycles: Cycles = Field(default_factory=Cycles)
    # Service management (netkb/records/service.py): SLA levels and calendars, incident categories,
    # repeat faults (same device and category within the window), change correlation, warranties.
    sla: SlaPolicy = Field(default_factory=SlaPolicy)
    incident_categories: Categories = Field(default_factory=default_categories)
    requests: RequestPolicy = Field(default_factory=RequestPolicy)  # service request types and targets
    repeat_window_days: Annotated[int, Field(ge=1, le=3650)] = 90
    repeat_target: Annotated[float, Field(ge=0, le=1)] = 0.05
    correlation_window_hours: Annotated[float, Field(gt=0, le=24 * 365)] = 72
    warranty_warn_days: list[Annotated[int, Field(ge=1)]] = Field(default_factory=lambda: [90, 30])
    # Restorable backups (collector/sealed.py): the unredacted configs are encrypted with age to
    # these public keys into sealed/ of the snapshot repository. Empty: nothing is sealed. The
    # identities (private keys) stay offline with the people who may restore, never on CI.
    sealed_recipients: list[Annotated[str, AfterValidator(_age_recipient)]] = Field(default_factory=list)
    notifications: Notifications = Field(default_factory=Notifications)
    # Change records (netkb/records/planned_changes.py): from when unplanned commits count, emergencies.
    change_records: ChangeControl = Field(default_factory=ChangeControl)
    # The cost of the service (netkb/records/cost.py): hourly rates, difficulty factors, travel.
    cost: CostPolicy = Field(default_factory=CostPolicy)

    @model_validator(mode="after")
    def _cost_names_sla(self) -> Settings:
        problems = policy_problems(self.cost, self.sla, self.requests.types)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _request_calendars(self) -> Settings:
        if problems := self.requests.unknown_calendars(self.sla.calendars):
            raise ValueError("; ".join(problems))
        return self


# Settings that name a path: relative to the settings file's folder, wherever netkb runs from.
PATH_KEYS = ("snapshot_repo", "redaction_key_file", "cache_dir")


def anchored(settings: Settings, folder: Path) -> Settings:
    """The settings with their relative paths made absolute against `folder`."""
    paths = [key for key in (*PATH_KEYS, "runbooks") if getattr(settings, key) is not None]
    return settings.model_copy(
        update={key: str((folder / getattr(settings, key)).resolve()) for key in paths}
    )


def load_settings(path: Path | None) -> Settings:
    """Settings from a file, its paths relative to the file's folder; the defaults when there is
    none (relative to the current directory: `collector.project.project_settings` anchors them at
    the project root and refuses a named file that is missing)."""
    if path is None or not path.exists():
        return Settings()
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ConfigFileError([f"{path}: expected a mapping of settings"])
    return anchored(validate(Settings, data, path), path.parent.resolve())
