"""``collegium schema KIND``: print the JSON Schema (2020-12) of procedure, fragment, rule-pack,
scenario, body or pack test files, for an editor's YAML support (the documentation's format pages
are built from it).
"""

from __future__ import annotations

import json

import click

__all__ = ["schema"]


# -- schema ----------------------------------------------------------------------------------------
@click.command()
@click.argument(
    "kind", type=click.Choice(["procedure", "fragment", "rules", "scenario", "body", "tests"])
)
def schema(kind: str) -> None:
    """Print the JSON Schema of procedure files, procedure-fragment files, rule-pack files,
    scenario files, body files or rule-pack test files.

    The scenario schema also gives the data each step takes in the built-in procedures: for
    `start: PROCEDURE` that procedure's, for `fire: TRIGGER` (and `vote`) the keys any built-in
    procedure with that trigger takes — their types, their fixed values, the keys required. It
    holds where the scenario names no definitions of its own; procedures given with
    --definitions are not in it."""
    from collegium import json_schema

    click.echo(json.dumps(json_schema(kind), ensure_ascii=False, indent=2))
