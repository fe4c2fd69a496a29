"""``collegium diagram``: draw a procedure's states and transitions as Mermaid, DOT or SVG, from the
built-in definitions or from an instance in ``--db`` with its current state marked.
"""

from __future__ import annotations

import click

from collegium.commands.common import open_engine, registry, settings

__all__ = ["diagram"]


@click.command()
@click.argument("procedure", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "svg"]),
    default="mermaid",
    show_default=True,
)
@click.option(
    "--version",
    "version",
    type=int,
    default=None,
    help="A version of the procedure (default: latest).",
)
@click.option(
    "--instance",
    default=None,
    metavar="ID",
    help="Draw the procedure of instance ID (in --db) with its current state highlighted.",
)
def diagram(procedure: str | None, fmt: str, version: int | None, instance: str | None) -> None:
    """Draw PROCEDURE's states and transitions (labels in --lang; rule ids on the edges they guard
    or choose): Mermaid or DOT text, or SVG through Graphviz when it is installed."""
    from collegium import Message
    from collegium import diagram as dg
    from collegium.errors import InvalidInput

    s = settings()
    current = None
    if instance is not None:
        with open_engine(writes=False) as engine:
            inst = engine.get(instance)
            proc = engine.registry.compiled(
                inst.procedure, inst.procedure_version, inst.pack_version
            )
            current = inst.state
    elif procedure is not None:
        proc = registry().compiled(procedure, version)
    else:
        raise InvalidInput(Message("name a PROCEDURE, or an --instance"))
    render = {"mermaid": dg.mermaid, "dot": dg.dot, "svg": dg.svg}[fmt]
    click.echo(render(proc, "zh-CN" if s.lang.startswith("zh") else "en", current), nl=False)
