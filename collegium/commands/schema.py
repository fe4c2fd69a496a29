"""``collegium schema KIND``: print the JSON Schema of procedure, fragment, rule-pack or scenario
files (the documentation's format pages are built from it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    pass

__all__ = ["schema"]


# -- schema ----------------------------------------------------------------------------------------
@click.command()
@click.argument("kind", type=click.Choice(["procedure", "fragment", "rules", "scenario"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of procedure files, procedure-fragment files, rule-pack files or
    scenario files."""
    if kind == "scenario":
        from collegium.scenario import ScenarioSpec

        value = ScenarioSpec.model_json_schema(by_alias=True)
    elif kind == "procedure":
        from collegium import ProcedureSpec

        value = ProcedureSpec.model_json_schema(by_alias=True)
    elif kind == "fragment":
        from collegium import FragmentSpec

        value = FragmentSpec.model_json_schema(by_alias=True)
    else:
        from collegium import RulePackSpec

        value = RulePackSpec.model_json_schema(by_alias=True)
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))
