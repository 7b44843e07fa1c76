"""Recommendations of a service report, derived from its findings by rules (zh + en).

Each rule reads the report's figures and says what to do next; none invents a figure. The
order is the order of urgency: SLA misses and open incidents, repeats, hardware findings,
overdue inspections, collection problems, warranties, then where most faults came from.
"""

from __future__ import annotations

from netkb.generator.assets import Coverage
from netkb.generator.report_model import Recommendation, ServiceReport
from netkb.inspection.checklist import Checklist
from netkb.records.service import TargetKind
from netkb.settings import Settings

TARGET_NAMES = {
    TargetKind.RESPONSE: ("响应", "response"),
    TargetKind.ONSITE: ("到场", "on-site"),
    TargetKind.RESOLVE: ("解决", "resolution"),
}
DOMINANT_SHARE = 0.4  # a category with this share of the period's incidents (and 3 or more)
DOMINANT_MIN = 3
COLLECTION_TARGET = 0.95


def _names(devices: list[str] | tuple[str, ...], limit: int = 5) -> str:
    shown = ", ".join(devices[:limit])
    return shown + (f" … (+{len(devices) - limit})" if len(devices) > limit else "")


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
            zh, en = TARGET_NAMES[kind]
            out.append(
                Recommendation(
                    f"sla_missed:{kind.value}",
                    f"{figures.missed} 起故障未达成{zh}时限（{_names(ids)}）："
                    "复盘处理过程，检查值班与升级流程",
                    f"{figures.missed} incident(s) missed the {en} target ({_names(ids)}): review them and "
                    "the on-call and escalation process",
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
        out.append(
            Recommendation(
                "open_incidents",
                f"{len(open_ids)} 起故障仍未解决（{_names(open_ids)}）：跟进处理并更新记录",
                f"{len(open_ids)} incident(s) still open ({_names(open_ids)}): "
                "follow up and update the records",
            )
        )
    return out


def _repeats(report: ServiceReport, settings: Settings, checklist: Checklist | None) -> list[Recommendation]:
    """A repeat-fault rate over its target."""
    out: list[Recommendation] = []
    rate = report.repeat_rate
    if rate.met is False:
        devices = sorted({r.device for r in report.repeats})
        out.append(
            Recommendation(
                "repeats",
                f"重复故障率 {_percent(rate.rate)} 超过目标 {_percent(rate.target)}：对 {_names(devices)} "
                f"做根因分析（同一设备同类故障 {settings.repeat_window_days} 天内再次发生）",
                f"repeat-fault rate {_percent(rate.rate)} is over the {_percent(rate.target)} target: "
                f"find the root cause on {_names(devices)} (same device and category again within "
                f"{settings.repeat_window_days} days)",
                tuple(devices),
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
        where = _names(finding.devices)
        out.append(
            Recommendation(
                f"finding:{finding.item}",
                f"{item_zh}异常（{where}，{finding.occurrences} 次）" + (f"：{do_zh}" if do_zh else ""),
                f"{item_en} abnormal ({where}, {finding.occurrences}×)" + (f": {do_en}" if do_en else ""),
                finding.devices,
            )
        )
    return out


def _overdue(report: ServiceReport, settings: Settings, checklist: Checklist | None) -> list[Recommendation]:
    """Devices overdue for their on-site inspection."""
    out: list[Recommendation] = []
    overdue = list(report.inspection.overdue)
    if overdue:
        out.append(
            Recommendation(
                "inspections_overdue",
                f"{len(overdue)} 台设备巡检逾期（{_names(overdue)}）：安排现场巡检并记录到 inspections/",
                f"{len(overdue)} device(s) overdue for inspection ({_names(overdue)}): schedule the on-site "
                "inspection and record it under inspections/",
                tuple(overdue),
            )
        )
    return out


def _stale(report: ServiceReport, settings: Settings, checklist: Checklist | None) -> list[Recommendation]:
    """Devices not collected for too long."""
    out: list[Recommendation] = []
    stale = [name for name, _ in report.collection.stale]
    if stale:
        out.append(
            Recommendation(
                "stale",
                f"{len(stale)} 台设备超过 {settings.stale_days} 天未成功采集（{_names(stale)}）："
                "检查连通性、凭据与主机密钥",
                f"{len(stale)} device(s) not collected for over {settings.stale_days} days "
                f"({_names(stale)}): check reachability, credentials and host keys",
                tuple(stale),
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
            Recommendation(
                "collection",
                f"采集成功率 {_percent(success)} 低于 {_percent(COLLECTION_TARGET)}："
                f"查看失败原因（{_names(failing)}）",
                f"collection success {_percent(success)} is under {_percent(COLLECTION_TARGET)}: look at the "
                f"failure reasons ({_names(failing)})",
                tuple(failing),
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
            Recommendation(
                "warranty_ended",
                f"{len(ended)} 台设备维保或厂商支持已到期（{_names(ended)}）：续保或列入更换计划",
                f"{len(ended)} device(s) past warranty or vendor support ({_names(ended)}): renew or plan "
                "their replacement",
                tuple(ended),
            )
        )
    if ending:
        out.append(
            Recommendation(
                "warranty_ending",
                f"{len(ending)} 台设备维保即将到期（{_names(ending)}）：提前办理续保",
                f"{len(ending)} device(s) with warranty ending soon ({_names(ending)}): renew in time",
                tuple(ending),
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
            zh, en = (names.zh, names.en) if names else (category, category)
            out.append(
                Recommendation(
                    f"category:{category}",
                    f"{zh}占本期故障的 {_percent(count / total)}（{count} 起）：列为下期重点整改方向",
                    f"{en} caused {_percent(count / total)} of the incidents ({count}): "
                    "make it next period's focus",
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
