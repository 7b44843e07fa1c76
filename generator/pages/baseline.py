"""The security baseline pages (GB/T 22239-2019): an index with a table per rule and per
device, a page per rule listing the devices failing it, a page per device with each failing
rule's config lines and remediation. Every config-derived string is escaped (fences, cells)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from functools import partial

from netkb.baseline.compliance import Compliance, DeviceCompliance, Judged, Target, assess
from netkb.baseline.engine import Result, evaluate
from netkb.baseline.model import Rule, Verdict
from netkb.baseline.trend import Transition
from netkb.generator.baseline_history import baseline_trend
from netkb.generator.pages.baseline_trend import (
    INDEX,
    device_baseline_page,
    device_history,
    rule_page,
    trend_section,
)
from netkb.generator.pages.common import NOT_SEARCHED, page_link
from netkb.generator.site import DeviceView, Site
from netkb.markdown import Md, cell, code, fence, front_matter, table, text, title
from netkb.records.waivers import Waiver


def _results(site: Site, device: DeviceView, target: Target) -> list[Result]:
    """A device's results, kept by its config and interface-state blobs (the rules ship with
    netkb, so the page cache's fingerprint covers them)."""
    files = device.history.files
    key = (
        "baseline",
        target.platform,
        files.get(f"devices/{device.name}/config.txt", ""),
        files.get(f"devices/{device.name}/state/interfaces.yml", ""),
    )
    return site.pages.get(key, lambda: evaluate(target.platform, target.config or "", target.state))


def compliance_of(site: Site) -> Compliance:
    """The baseline on every inventory device's config at HEAD, the waivers applied."""
    waivers: list[Waiver] = site.extras.get("waivers", [])
    views = {d.name: d for d in site.devices.values() if d.entry is not None}
    targets = [
        Target(
            d.name,
            d.platform,
            tuple(d.entry.groups) if d.entry else (),
            d.history.config or None,
            d.history.state,
        )
        for d in views.values()
    ]
    return assess(targets, waivers, site.now.date(), results=lambda t: _results(site, views[t.name], t))


def render_pages(site: Site) -> dict[str, str]:
    report = compliance_of(site)
    pages = {INDEX: _index(site, report)}
    for rule in report.rules.rules:
        render = partial(_rule, site, report, rule)
        pages[rule_page(rule.id)] = site.pages.get(_rule_key(report, rule), render)
    changes: dict[str, list[Transition]] = defaultdict(list)
    for t in baseline_trend(site).transitions:
        changes[t.device].append(t)
    for device in report.devices:
        if device.failing or device.waived or not device.collected:
            pages[device_baseline_page(device.name)] = site.pages.get(
                _device_key(site, device, changes[device.name]), partial(_device, site, report, device)
            )
    return pages


def _device_key(site: Site, device: DeviceCompliance, changes: list[Transition]) -> tuple[str, ...]:
    """What a device's baseline page shows: its results (by config and interface-state blob), the
    waivers that excuse them and its verdict history (the rules ship with netkb: the page cache's
    fingerprint covers them)."""
    files = site.devices[device.name].history.files
    waivers = [(j.result.rule, repr(j.waiver)) for j in device.judged if j.waiver]
    return (
        "baseline device page",
        device.name,
        device.platform,
        str(device.collected),
        files.get(f"devices/{device.name}/config.txt", ""),
        files.get(f"devices/{device.name}/state/interfaces.yml", ""),
        repr(waivers),
        repr(changes),
    )


def _rule_title(site: Site, rule: Rule) -> str:
    return rule.title.get(site.strings.language)


def _index(site: Site, report: Compliance) -> str:
    s = site.strings
    score = report.score()
    out = [
        front_matter({"title": title(s("baseline")), "search": NOT_SEARCHED}),
        f"# {s('baseline')}\n",
        str(s("baseline_intro", name=report.rules.name.get(s.language))),
        "",
        f"**{s('baseline_source')}:** {text(report.rules.source.get(s.language))}",
        "",
        str(s("baseline_score", score=f"{score:.0%}" if score is not None else "—", date=str(report.today))),
        "",
    ]
    out += _expired(site, report.expired)
    out.append(f"## {s('baseline_by_rule')}\n")
    rows = []
    tally = _tally(report)
    for rule in report.rules.rules:
        counts = tally[rule.id]
        rows.append(
            [
                page_link(INDEX, rule_page(rule.id), _rule_title(site, rule)),
                rule.clause,
                s.plain(f"baseline_severity_{rule.severity.value}"),
                counts["failing"],
                counts["waived"],
                counts[Verdict.UNKNOWN.value],
                counts[Verdict.PASS.value],
            ]
        )
    out.append(str(table(_counts_header(site), rows)))
    out.append(f"\n## {s('baseline_by_device')}\n")
    listed = [d for d in report.devices if d.failing or d.waived or not d.collected]
    if not listed:
        out.append(str(s("baseline_no_failures")))
    else:
        device_rows = [
            [
                page_link(INDEX, device_baseline_page(d.name), d.name),
                s.term("platform", d.platform),
                len(d.failing) if d.collected else s.plain("baseline_not_collected"),
                len(d.waived),
                len(d.with_verdict(Verdict.UNKNOWN)),
            ]
            for d in listed
        ]
        headers = [
            s("device"),
            s("platform"),
            s("baseline_failing"),
            s("baseline_waived"),
            s("baseline_unknown"),
        ]
        out.append(str(table(headers, device_rows)))
    out += ["", *trend_section(site, INDEX)]
    return "\n".join(out) + "\n"


def _tally(report: Compliance) -> dict[str, Counter[str]]:
    """Per rule: its verdicts, its unwaived failures ("failing") and waived ones, in one pass."""
    tally: dict[str, Counter[str]] = {rule.id: Counter() for rule in report.rules.rules}
    for device in report.devices:
        for judged in device.judged:
            counts = tally[judged.result.rule]
            counts[judged.result.verdict.value] += 1
            counts["failing" if judged.failing else "waived" if judged.waiver else ""] += 1
    return tally


def _counts_header(site: Site) -> list[Md]:
    s = site.strings
    keys = ("baseline_rule", "baseline_clause", "baseline_severity", "baseline_failing", "baseline_waived")
    return [s(k) for k in keys] + [s("baseline_unknown"), s("baseline_verdict_pass")]


def _expired(site: Site, waivers: tuple[Waiver, ...]) -> list[str]:
    if not waivers:
        return []
    s = site.strings
    out = [f'!!! warning "{s.plain("baseline_expired_waivers")}"\n']
    for w in waivers:
        out.append(f"    - {_waiver_line(site, w)}")
    return [*out, ""]


def _waiver_line(site: Site, w: Waiver) -> Md:
    return site.strings(
        "baseline_waiver_line", rule=w.rule, approver=w.approver, expires=str(w.expires), path=w.path
    )


def _rule(site: Site, report: Compliance, rule: Rule) -> str:
    s = site.strings
    page = rule_page(rule.id)
    out = [
        front_matter({"title": title(_rule_title(site, rule))}),
        f"# {text(_rule_title(site, rule))}\n",
        f"**{s('baseline_clause')}:** {text(rule.clause)} {text(rule.clause_title.get(s.language))} · "
        f"**{s('baseline_severity')}:** {s('baseline_severity_' + rule.severity.value)} · {code(rule.id)}\n",
        f"## {s('baseline_devices_failing')}\n",
    ]
    failing = report.failing_devices(rule.id)
    if not failing:
        out.append(str(s("baseline_no_failures")))
    else:
        rows = [
            [page_link(page, device_baseline_page(d.name), d.name), s.term("platform", d.platform), _first(j)]
            for d, j in failing
        ]
        out.append(str(table([s("device"), s("platform"), s("baseline_config_lines")], rows)))
    out.append(f"\n## {s('baseline_remediation')}\n")
    for platform, commands in rule.remediation.items():
        out += [f"**{text(s.term('platform', platform))}**\n", str(fence("\n".join(commands))), ""]
    return "\n".join(out) + "\n"


def _first_text(judged: Judged) -> str:
    lines = judged.result.lines
    return lines[-1].text if lines else "; ".join(judged.result.missing)


def _first(judged: Judged) -> Md:
    return cell(_first_text(judged))


def _rule_key(report: Compliance, rule: Rule) -> tuple[str, ...]:
    """What a rule's page shows besides the rule itself (which ships with netkb): its failing
    devices with their first line, as a digest (a thousand rows)."""
    rows = [(d.name, d.platform, _first_text(j)) for d, j in report.failing_devices(rule.id)]
    return ("baseline rule page", rule.id, hashlib.sha256(repr(rows).encode()).hexdigest())


def _device(site: Site, report: Compliance, device: DeviceCompliance) -> str:
    s = site.strings
    page = device_baseline_page(device.name)
    view = site.devices[device.name]
    out = [
        front_matter({"title": title(f"{device.name} · {s.plain('baseline')}")}),
        f"# {text(device.name)} · {s('baseline')}\n",
        f"{page_link(page, view.page, device.name)} · {page_link(page, INDEX, s('baseline'))}\n",
    ]
    if not device.collected:
        out.append(str(s("baseline_not_collected")))
    for judged in device.failing + device.waived:
        out += _judged(site, report.rules.rule(judged.result.rule), device.platform, judged)
    out += device_history(site, page, device.name)
    unknown = device.with_verdict(Verdict.UNKNOWN)
    if unknown:
        out.append(f"## {s('baseline_unknown')}\n")
        for j in unknown:
            because = j.result.because.get(s.language) if j.result.because else ""
            out.append(f"- {text(_rule_title(site, report.rules.rule(j.result.rule)))}: {text(because)}")
    return "\n".join(out) + "\n"


def _judged(site: Site, rule: Rule, platform: str, judged: Judged) -> list[str]:
    s = site.strings
    verdict = "baseline_waived" if judged.waiver else "baseline_verdict_fail"
    out = [
        f"## {text(_rule_title(site, rule))}\n",
        f"{s(verdict)} · **{s('baseline_clause')}:** {text(rule.clause)} · {code(rule.id)}\n",
    ]
    if judged.waiver:
        w = judged.waiver
        out += [str(_waiver_line(site, w)), f"\n> {text(w.reason)}\n"]
    lines = judged.result.lines
    if lines:
        width = len(str(lines[-1].number))
        body = "\n".join(f"{line.number:>{width}}  {line.text}" for line in lines)
        out += [f"**{s('baseline_config_lines')}**\n", str(fence(body)), ""]
    if judged.result.missing:
        out.append(
            f"**{s('baseline_missing')}:** " + ", ".join(str(code(m)) for m in judged.result.missing) + "\n"
        )
    out += [
        f"**{s('baseline_remediation')}**\n",
        str(fence("\n".join(rule.remediation.get(platform, [])))),
        "",
    ]
    return out
