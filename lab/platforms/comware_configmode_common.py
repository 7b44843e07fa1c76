"""What the Comware config-mode modules share: the handler type, errors, view helpers."""

from __future__ import annotations

from collections.abc import Callable

from netkb.lab.platforms.base import Ctx, Reply

# A config handler gets the context, the tokens after its keywords and the raw text after them
# (descriptions and names keep their spaces and Chinese characters).
ConfigHandler = Callable[[Ctx, list[str], str], Reply]

OK = Reply(text="", paged=False)


class ConfigError(Exception):
    """A command the device rejects: `kind` names the error, `token` indexes the offending token."""

    def __init__(self, kind: str, token: int = 0, message: str | None = None) -> None:
        super().__init__(kind)
        self.kind, self.token, self.message = kind, token, message


def change(ctx: Ctx) -> None:
    ctx.dev.before_config_change()


def current_view(ctx: Ctx) -> tuple[str, str]:
    """(kind, argument) of the innermost view: ("system", ""), ("interface", "GigabitEthernet1/0/1")..."""
    if not ctx.session.views:
        return ("system", "")
    kind, _, arg = ctx.session.views[-1].partition(" ")
    return (kind, arg)


def vid_arg(args: list[str], index: int = 0) -> int:
    if len(args) <= index:
        raise ConfigError("Incomplete command", index)
    if not args[index].isdigit() or not 1 <= int(args[index]) <= 4094:
        raise ConfigError("Wrong parameter", index)
    return int(args[index])
