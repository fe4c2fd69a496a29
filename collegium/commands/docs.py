"""``collegium docs``: generate the procedure handbook from the built-in procedures and rule packs,
or (``--check``) say whether the committed one is current.
"""

from __future__ import annotations

from pathlib import Path

import click

from collegium.commands.common import registry

__all__ = ["docs"]


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("docs/handbook"),
    show_default=True,
    help="Directory of the handbook.",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 when the handbook there is not current."
)
def docs(out: Path, check: bool) -> None:
    """Generate the procedure handbook (one Markdown page per procedure, in English and Chinese)
    from the built-in procedures and rule packs and those --definitions adds; with --check, say
    whether the committed one is current."""
    from collegium import Message, handbook

    reg = registry()
    if check:
        differ = handbook.stale(reg, out)
        if differ:
            raise handbook.HandbookStale(
                Message(
                    "the handbook in {out} is not current ({pages}); "
                    "run: collegium docs --out {out}",
                    out=out,
                    pages=", ".join(differ),
                )
            )
        click.echo(f"{out}: current")
        return
    for name in handbook.write(reg, out):
        click.echo(str(out / name))
