"""The progress bar the long subcommands (`collect`, `import`) show on a terminal, never in CI."""

from __future__ import annotations

import os

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)


def progress_bar(console: Console, verb: str, elapsed: bool = False) -> Progress:
    """`<verb> ━━━━ n/m [elapsed] <what is being done>`, gone once done (transient)."""
    show = console.is_terminal and not os.environ.get("CI")
    columns: list[ProgressColumn] = [TextColumn(verb), BarColumn(), MofNCompleteColumn()]
    columns += [TimeElapsedColumn()] if elapsed else []
    columns.append(TextColumn("{task.description}"))
    return Progress(*columns, console=console, disable=not show, transient=True)
