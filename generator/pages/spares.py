"""The spare-parts ledger on the site: parts below their minimum stock on the home page, the parts
put into a device (with the serial taken out) on its page. The ledger is read with the records
(netkb/records/spares.py); `attach_spares` registers the two sections."""

from __future__ import annotations

from netkb.generator.pages.common import page_link, when
from netkb.generator.service_site import service_of
from netkb.generator.site import DeviceView, Site
from netkb.markdown import Md, table, text
from netkb.records.spares import Ledger

KEY = "spares"


def attach_spares(site: Site, ledger: Ledger | None) -> None:
    """Keep the ledger in the site and add its sections (none without a ledger)."""
    if ledger is None:
        return
    site.extras[KEY] = ledger
    site.extras.setdefault("home_sections", []).append(home_section)
    site.extras.setdefault("device_sections", []).append(device_section)


def _ledger(site: Site) -> Ledger | None:
    found = site.extras.get(KEY)
    return found if isinstance(found, Ledger) else None


def home_section(site: Site, page: str) -> list[str]:
    """A warning listing the parts below their minimum stock; nothing when none is."""
    ledger = _ledger(site)
    low = ledger.low() if ledger else []
    if not low:
        return []
    s = site.strings
    rows = [[x.part.part, x.part.description, str(x.on_hand), str(x.part.minimum)] for x in low]
    headers = [s("part_number"), s("part_description"), s("part_on_hand"), s("part_minimum")]
    body = table(headers, rows).replace("\n", "\n    ")
    return [f'!!! warning "{s.plain("spares_low")}"\n\n    {body}\n']


def device_section(site: Site, d: DeviceView) -> Md:
    """The parts put into the device: date, part, serial taken out, serial put in, incident."""
    ledger = _ledger(site)
    uses = ledger.of_device(d.name) if ledger else []
    if not uses:
        return Md("")
    s = site.strings
    views = service_of(site).by_id

    def incident(incident_id: str) -> Md:
        view = views.get(incident_id)
        return page_link(d.page, view.page, incident_id) if view else text(incident_id)

    rows = [
        [when(u.date), u.part, u.serial_out or "—", u.serial_in or "—", incident(u.incident)] for u in uses
    ]
    headers = [s("date"), s("part_number"), s("serial_out"), s("serial_in"), s("incident_of_part")]
    return Md(f"## {s('parts_replaced')}\n\n" + table(headers, rows))
