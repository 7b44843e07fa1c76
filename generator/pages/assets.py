"""The asset register: what the inventory says joined with what each device reports, mismatches
flagged, and warranty and vendor-support terms that ended or end soon."""

from __future__ import annotations

from netkb.generator.assets import AssetRow, Coverage, Term
from netkb.generator.pages.common import page_link, when
from netkb.generator.service_site import service_of
from netkb.generator.site import Site
from netkb.markdown import Md, front_matter, table, text, title

INDEX = "assets/index.md"


def render_pages(site: Site) -> dict[str, str]:
    return {INDEX: _index(site)}


def _device(site: Site, page: str, name: str) -> Md:
    return page_link(page, site.devices[name].page, name) if name in site.devices else text(name)


def term_label(site: Site, term: Term) -> Md:
    """`2026-12-01 · ends in 28 days` / `ended 3 days ago` / `covered`; bold when ended or ending."""
    s = site.strings
    if term.coverage is Coverage.UNKNOWN or term.days_left is None:
        return s("coverage_unknown")
    if term.coverage is Coverage.ENDED:
        return Md(f"{text(when(term.end))} · **{s('coverage_ended', days=-term.days_left)}**")
    if term.coverage is Coverage.ENDING:
        return Md(f"{text(when(term.end))} · **{s('coverage_ending', days=term.days_left)}**")
    return Md(f"{text(when(term.end))} · {s('coverage_covered')}")


def _reported(value: str, expected: str, mismatch: bool) -> Md | str:
    """What the device reports (— when it does not report what the inventory has); flagged when
    it disagrees with the inventory."""
    if mismatch:
        return Md(f"**⚠ {text(value)}**")
    return value or ("—" if expected else "")


def warranty_table(site: Site, page: str, rows: list[AssetRow]) -> Md:
    s = site.strings
    return table(
        [s("device"), s("warranty_end"), s("support_end"), s("service_level"), s("contract")],
        [
            [
                _device(site, page, r.name),
                term_label(site, r.warranty),
                term_label(site, r.support),
                r.service_level,
                r.contract,
            ]
            for r in rows
        ],
    )


def _index(site: Site) -> str:
    s = site.strings
    data = service_of(site)
    # Searched: warranties and contracts are asked for by name (保修, 维保, a contract number).
    parts = [front_matter({"title": title(s("assets"))}), f"# {s('assets')}\n"]
    days = " / ".join(str(d) for d in sorted(site.settings.warranty_warn_days, reverse=True))
    parts.append(str(s("assets_note", when=when(site.now.date()), days=days)) + "\n")
    if not data.assets:
        return "\n".join([*parts, str(s("no_assets"))]) + "\n"
    parts += warranty_lists(site, INDEX, data.warnings)
    parts += [
        *_mismatches(site, data.assets),
        f"## {s('asset_register')}\n",
        _register(site, data.assets),
        "",
    ]
    parts.append(f"## {s('warranty_all')}\n")
    parts.append(warranty_table(site, INDEX, data.assets))
    return "\n".join(parts) + "\n"


def _mismatches(site: Site, assets: list[AssetRow]) -> list[str]:
    """Where the inventory and the device disagree (model, serial, vendor)."""
    s = site.strings
    mismatched = [(r, m) for r in assets for m in r.mismatches]
    if not mismatched:
        return [f"## {s('mismatches')}\n", str(s("no_mismatches")), ""]
    rows = [
        [_device(site, INDEX, r.name), s(f"field_{m.field}"), m.inventory, m.reported] for r, m in mismatched
    ]
    header = [s("device"), s("field"), s("inventory_value"), s("reported_value")]
    return [f"## {s('mismatches')}\n", str(s("mismatches_note")) + "\n", table(header, rows), ""]


def _register(site: Site, assets: list[AssetRow]) -> Md:
    s = site.strings
    rows = []
    for r in assets:
        wrong = {m.field for m in r.mismatches}
        rows.append(
            [
                _device(site, INDEX, r.name),
                Md(f"**⚠ {text(r.vendor)}**") if "vendor" in wrong else r.vendor,
                r.model,
                _reported(r.reported_model, r.model, "model" in wrong),
                r.serial,
                _reported(r.reported_serial, r.serial, "serial" in wrong),
                r.software,
                when(r.purchase_date),
                " ".join(filter(None, [r.room, r.rack])),
            ]
        )
    columns = ["device", "vendor", "model", "reported_model", "serial", "reported_serial", "software"]
    return table([s(c) for c in [*columns, "purchase_date", "room"]], rows)


def warranty_lists(site: Site, page: str, warnings: list[AssetRow]) -> list[str]:
    """Two lists: the terms that ended (a warranty or a support contract), then those ending soon."""
    s = site.strings
    ended = [r for r in warnings if Coverage.ENDED in (r.warranty.coverage, r.support.coverage)]
    ending = [r for r in warnings if r not in ended]
    return [
        f"## {s('warranty_ended')}\n",
        warranty_table(site, page, ended) if ended else str(s("no_warranty_ended")),
        "",
        f"## {s('warranty_ending')}\n",
        warranty_table(site, page, ending) if ending else str(s("no_warranty_ending")),
        "",
    ]


def home_section(site: Site, page: str) -> list[str]:
    """The home page's warranty lists (ended apart from ending soon), with a link to the register."""
    warnings = service_of(site).warnings
    return [*warranty_lists(site, page, warnings), f"{page_link(page, INDEX, site.strings('assets'))}\n"]
