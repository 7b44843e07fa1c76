"""Recommendations of a service report, derived from its findings by rules (zh + en, from the
i18n catalogue's `rec_*` keys: netkb/strings/recommendations.yaml).

Each rule reads the report's figures and says what to do next; none invents a figure. The
order is the order of urgency: SLA misses and open incidents, repeats, hardware findings,
overdue inspections, collection problems, warranties, then where most faults came from.
"""

from __future__ import annotations

from netkb.generator.assets import Coverage
from netkb.generator.report_model import Recommendation, ServiceReport
from netkb.i18n import LANGUAGES, Strings
from netkb.inspection.checklist import Checklist
from netkb.settings import Settings

_STRINGS = tuple(Strings(language) for language in LANGUAGES)
DOMINANT_SHARE = 0.4  # a category with this share of the period's incidents (and 3 or more)
DOMINANT_MIN = 3
COLLECTION_TARGET = 0.95


def _names(devices: list[str] | tuple[str, ...], limit: int = 5) -> str:
    shown = ", ".join(devices[:limit])
    return shown + (f" … (+{len(devices) - limit})" if len(devices) > limit else "")


def _advice(rule: str, key: str, subjects: tuple[str, ...] = (), /, **values: object) -> Recommendation:
    """A recommendation in both languages from the catalogue; `values` with a language each
    (a pair) are given to each language in turn."""
    zh, en = (
        s.plain(key, **{k: v[i] if isinstance(v, tuple) else v for k, v in values.items()})
        for i, s in enumerate(_STRINGS)
    )
    return Recommendation(rule, zh, en, subjects)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _sla_missed(
    report: ServiceReport, settings: Settings, checklist: Checklist | None
) -> list[Recommendation]:
    """Incidents that missed a target, per target."""
    out: list[Recommendation] = []
    for kind, figures in report.compliance.items():
        if figures.missed:
            ids = [e.incident.id for e in report.sla if e.results[kind].outcome.value == "missed"]
            target = tuple(t.plain(f"target_term_{kind.value}") for t in _STRINGS)
            out.append(
                _advice(
                    f"sla_missed:{kind.value}",
                    "rec_sla_missed",
                    missed=figures.missed,
                    target=target,
                    ids=_names(ids),
                )
            )
    return out


def _open_incidents(
    report: ServiceReport, settings: Settings, checklist: Checklist | None
) -> list[Recommendation]:
    """Incidents still open."""
    out: list[Recommendation] = []
    open_ids = [i.id for i in report.incidents if i.is_open]
    if open_ids:
        out.append(_advice("open_incidents", "rec_open_incidents", count=len(open_ids), ids=_names(open_ids)))
    return out


def _repeats(report: ServiceReport, settings: Settings, checklist: Checklist | None) -> list[Recommendation]:
    """A repeat-fault rate over its target."""
    out: list[Recommendation] = []
    rate = report.repeat_rate
    if rate.met is False:
        devices = sorted({r.device for r in report.repeats})
        out.append(
            _advice(
                "repeats",
                "rec_repeats",
                tuple(devices),
                rate=_percent(rate.rate),
                target=_percent(rate.target),
                devices=_names(devices),
                days=settings.repeat_window_days,
            )
        )
    return out


def _abnormal_findings(
    report: ServiceReport, settings: Settings, checklist: Checklist | None
) -> list[Recommendation]:
    """Each abnormal checklist item, with its suggestion."""
    out: list[Recommendation] = []
    for finding in report.inspection.abnormal:
        item_zh, item_en, do_zh, do_en = finding.item, finding.item, "", finding.suggestion
        if checklist is not None:
            try:
                zh_texts = checklist.texts(finding.item, "zh", settings.thresholds)
                en_texts = checklist.texts(finding.item, "en", settings.thresholds)
            except KeyError:
                pass
            else:
                item_zh, item_en, do_zh, do_en = (
                    zh_texts.item,
                    en_texts.item,
                    zh_texts.suggestion,
                    en_texts.suggestion,
                )
        out.append(
            _advice(
                f"finding:{finding.item}",
                "rec_finding_do" if do_en else "rec_finding",
                finding.devices,
                item=(item_zh, item_en),
                devices=_names(finding.devices),
                count=finding.occurrences,
                suggestion=(do_zh or do_en, do_en),
            )
        )
    return out


def _overdue(report: ServiceReport, settings: Settings, checklist: Checklist | None) -> list[Recommendation]:
    """Devices overdue for their on-site inspection."""
    out: list[Recommendation] = []
    overdue = list(report.inspection.overdue)
    if overdue:
        out.append(
            _advice(
                "inspections_overdue",
                "rec_overdue",
                tuple(overdue),
                count=len(overdue),
                devices=_names(overdue),
            )
        )
    return out


def _stale(report: ServiceReport, settings: Settings, checklist: Checklist | None) -> list[Recommendation]:
    """Devices not collected for too long."""
    out: list[Recommendation] = []
    stale = [name for name, _ in report.collection.stale]
    if stale:
        out.append(
            _advice(
                "stale",
                "rec_stale",
                tuple(stale),
                count=len(stale),
                days=settings.stale_days,
                devices=_names(stale),
            )
        )
    return out


def _collection(
    report: ServiceReport, settings: Settings, checklist: Checklist | None
) -> list[Recommendation]:
    """A collection success rate under its target."""
    out: list[Recommendation] = []
    success = report.collection.success
    if success is not None and success < COLLECTION_TARGET:
        failing = list(report.collection.failures)
        out.append(
            _advice(
                "collection",
                "rec_collection",
                tuple(failing),
                success=_percent(success),
                target=_percent(COLLECTION_TARGET),
                devices=_names(failing),
            )
        )
    return out


def _warranties(
    report: ServiceReport, settings: Settings, checklist: Checklist | None
) -> list[Recommendation]:
    """Warranties ended, then ending."""
    out: list[Recommendation] = []
    ended = [r.name for r in report.warranties if Coverage.ENDED in (r.warranty.coverage, r.support.coverage)]
    ending = [r.name for r in report.warranties if r.name not in ended]
    if ended:
        out.append(
            _advice(
                "warranty_ended", "rec_warranty_ended", tuple(ended), count=len(ended), devices=_names(ended)
            )
        )
    if ending:
        out.append(
            _advice(
                "warranty_ending",
                "rec_warranty_ending",
                tuple(ending),
                count=len(ending),
                devices=_names(ending),
            )
        )
    return out


def _dominant_category(
    report: ServiceReport, settings: Settings, checklist: Checklist | None
) -> list[Recommendation]:
    """A category that caused much of the period's incidents."""
    out: list[Recommendation] = []
    total = len(report.incidents)
    for category, count in sorted(report.by_category.items(), key=lambda kv: -kv[1]):
        if total and count >= DOMINANT_MIN and count / total >= DOMINANT_SHARE:
            names = settings.incident_categories.get(category)
            out.append(
                _advice(
                    f"category:{category}",
                    "rec_category",
                    category=(names.zh, names.en) if names else category,
                    share=_percent(count / total),
                    count=count,
                )
            )
    return out


# The rules, in the order of urgency; each reads the report's figures and returns its advice.
RULES = (
    _sla_missed,
    _open_incidents,
    _repeats,
    _abnormal_findings,
    _overdue,
    _stale,
    _collection,
    _warranties,
    _dominant_category,
)


def recommend(report: ServiceReport, settings: Settings, checklist: Checklist | None) -> list[Recommendation]:
    return [advice for rule in RULES for advice in rule(report, settings, checklist)]
