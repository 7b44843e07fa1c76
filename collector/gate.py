"""The completeness gate: never commit a partial config as if it were good."""

from __future__ import annotations

from netkb.spec import PlatformSpec


def refuse_reason(
    config: str,
    spec: PlatformSpec,
    previous: str | None,
    shrink_threshold: float,
    force: bool = False,
    device: str | None = None,
) -> str | None:
    """Why this config must not replace the last good one, or None if it may.

    `device` names it in the advice (`netkb collect --force NAME` accepts one device's shrink).
    """
    lines = [line for line in config.splitlines() if line.strip()]
    if not lines or not spec.trailer.fullmatch(lines[-1].strip()):
        last = lines[-1].strip()[:40] if lines else "nothing"
        return f"config incomplete: it ends with {last!r}, not the {spec.trailer.pattern!r} trailer"
    if previous and not force:
        before = len([line for line in previous.splitlines() if line.strip()])
        if before and len(lines) < before * (1 - shrink_threshold):
            force_it = f"--force {device}" if device else "--force"
            return (
                f"config shrank from {before} to {len(lines)} lines (more than {shrink_threshold:.0%}); "
                f"refused; if the change is real, run again with {force_it}"
            )
    return None
