"""A click group that imports a command's module only when the command is run or its help shown.

The group is given, for each command name, where the command lives (``"module:attribute"``) and
the first paragraph of its help. ``list_commands`` needs only the names, ``get_command`` imports
the one module asked for, and the group's own help lists every command with its short help from
those paragraphs, so ``collegium --help`` imports no command module at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any

import click

__all__ = ["Lazy", "LazyGroup"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Lazy:
    """Where a command lives (``"collegium.commands.vote:vote"``) and its help's first paragraph."""

    target: str
    summary: str

    def load(self) -> click.Command:
        """Import the command's module and return the command."""
        module, _, attribute = self.target.partition(":")
        command = getattr(import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.target} is not a click command")
        return command


class LazyGroup(click.Group):
    """A group whose commands, listed in ``lazy`` by name, are imported when first needed."""

    def __init__(self, *args: Any, lazy: Mapping[str, Lazy] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, Lazy] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, the ones not yet imported included, sorted as click sorts them."""
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported now if it was not yet."""
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.lazy[cmd_name].load(), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands section of the group's help, from the summaries: nothing is imported."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self._short_help(ctx, name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _short_help(self, ctx: click.Context, name: str, limit: int) -> str:
        if name in self.commands or name not in self.lazy:
            command = super().get_command(ctx, name)
            return command.get_short_help_str(limit) if command is not None else ""
        # click shortens a stand-in that has the same help as the command would
        return click.Command(name, help=self.lazy[name].summary).get_short_help_str(limit)
