"""Every record people write, read and validated one way for every command (baseline waivers too).

`netkb check`, `inspect`, `generate` and `report` all read the records folder (the project's,
or `--records`) through `read_records`, with the same rules: on-site inspections, runbooks and
their attachments, incidents; every problem of every record, one line each. A command that
uses records refuses to run on an invalid one (`RecordError`), so `netkb check` passing means
the others will not refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from netkb.baseline.model import load_rules
from netkb.inspection.checklist import Checklist, load_checklist
from netkb.inventory import ConfigFileError
from netkb.records.incidents import Incident, load_incidents, rules_from
from netkb.records.onsite import OnsiteRecord, load_records
from netkb.records.planned_changes import FOLDER as PLANNED
from netkb.records.planned_changes import PlannedChange, load_planned_changes
from netkb.records.requests import RequestRules, ServiceRequest, load_requests
from netkb.records.runbooks import Runbook, attachments, load_runbooks
from netkb.records.spares import Ledger, load_ledger, priced
from netkb.records.waivers import FOLDER as WAIVERS
from netkb.records.waivers import Waiver, load_waivers
from netkb.settings import Settings

FOLDERS = ("inspections", "runbooks", "incidents", "requests", PLANNED, WAIVERS)


class RecordError(ConfigFileError):
    """A record (runbook, on-site inspection, incident) is invalid: the command does nothing."""


@dataclass(frozen=True)
class HandWritten:
    """The records people write (on-site visits, runbooks, incidents), read and validated."""

    checklist: Checklist
    onsite: list[OnsiteRecord]
    runbooks: list[Runbook]
    incidents: list[Incident]
    problems: list[str]  # every problem of every record, one line each
    waivers: list[Waiver] = field(default_factory=list)  # baseline waivers (compliance/)
    requests: list[ServiceRequest] = field(default_factory=list)  # service requests (requests/)
    spares: Ledger | None = None  # spares.yml with the parts the incidents used; None: no ledger
    planned_changes: list[PlannedChange] = field(default_factory=list)  # change-requests/

    def valid(self) -> HandWritten:
        """Itself, or RecordError listing every problem."""
        if self.problems:
            raise RecordError(self.problems)
        return self


def runbooks_folder(settings: Settings, records: Path) -> Path:
    """The runbooks: the folder the settings name (a library shared by projects), else
    `runbooks/` in the records folder."""
    return Path(settings.runbooks) if settings.runbooks is not None else records / "runbooks"


def read_records(
    devices: set[str], settings: Settings, folder: Path, models: Mapping[str, str] | None = None
) -> HandWritten:
    """The records under `folder` (inspections/, runbooks/, incidents/, spares.yml), checked against
    the inventory's device names and the settings (SLA levels, incident categories, trust_raw_html);
    `models` (device -> inventory model) lets the ledger check that each part fits its device."""
    checklist = load_checklist()
    onsite, problems = load_records(folder / "inspections", devices, checklist)
    runbooks = runbooks_folder(settings, folder)
    books, runbook_problems = load_runbooks(runbooks, devices)
    if settings.runbooks is not None and not runbooks.is_dir():
        runbook_problems.append(
            f"runbooks: {runbooks} is not a folder (the runbooks setting names it, relative to the "
            "settings file); correct the path, or remove the setting to use runbooks/ of the records"
        )
    runbook_problems += attachments(runbooks, settings.trust_raw_html)[1]
    rules = rules_from(
        devices, settings.sla.levels, settings.incident_categories, runbooks, settings.cost.difficulty
    )
    incidents, incident_problems = load_incidents(folder / "incidents", rules)
    waivers, waiver_problems = load_waivers(folder / WAIVERS, devices, {r.id for r in load_rules().rules})
    planned, planned_problems = load_planned_changes(folder / PLANNED, frozenset(devices))
    request_rules = RequestRules(
        frozenset(devices),
        tuple(settings.requests.types),
        frozenset(i.id for i in incidents),
        tuple(settings.cost.difficulty),  # requests record effort, difficulty, parts, travel too
    )
    requests, request_problems = load_requests(folder / "requests", request_rules)
    spares, spare_problems = load_ledger(folder, incidents, models or {}, requests)  # parts both put in
    incidents, incident_problems = priced(incidents, spares), incident_problems + spare_problems
    requests = priced(requests, spares)  # a request's parts at the ledger's cost too
    problems += runbook_problems + incident_problems + waiver_problems + planned_problems + request_problems
    return HandWritten(
        checklist,
        onsite,
        books,
        incidents,
        problems,
        waivers,
        spares=spares,
        planned_changes=planned,
        requests=requests,
    )
