"""A secret ballot's tellers on the command line: ``vote key`` makes their key pair for an
electronic secret ballot, ``vote count`` enters their count (paper ballots) or opens the sealed
choices with their secret.

Registered on the ``vote`` group by :mod:`collegium.cli`.
"""

from __future__ import annotations

from typing import Any

import click

from collegium._cli_ballot import actor_option, key_option, trigger_with
from collegium._cli_common import emit_json, open_engine, outcome_doc, settings, show_outcome
from collegium.errors import InvalidInput

__all__ = ["vote_count", "vote_key"]


@click.command("key")
def vote_key() -> None:
    """Make the tellers' key pair of an electronic secret ballot: the ballot key, given when the
    meeting opens (``meeting open --method secret_electronic --ballot-key``), and the tellers'
    secret, which they keep and give only to count (``vote count --teller-secret``). Collegium
    stores neither the secret nor anything made from it."""
    from collegium._render import word
    from collegium.engine.sealing import TellerKey

    s = settings()
    key = TellerKey.generate()
    if s.as_json:
        emit_json({"ballot_key": key.public, "teller_secret": key.secret})
        return
    click.echo(word("key_public", s.lang, key=key.public))
    click.echo(word("key_secret", s.lang, secret=key.secret))


def _counts(given: tuple[str, ...]) -> dict[str, Any]:
    """``OPTION=N`` (or ``ITEM:OPTION=N`` for a list voted item by item) as the counts
    ``count_ballots`` takes."""
    out: dict[str, Any] = {}
    for text in given:
        where, sep, number = text.rpartition("=")
        item, _, option = where.rpartition(":")
        if not sep or not option or not number.strip().isdigit():
            raise InvalidInput(
                f"--count takes OPTION=N or ITEM:OPTION=N (e.g. agree=7), not {text!r:.60}"
            )
        into = out.setdefault(item, {}) if item else out
        if option in into:
            raise InvalidInput(f"--count names {option!r} twice")
        into[option] = int(number)
    return out


@click.command("count")
@click.argument("instance")
@actor_option
@click.option(
    "--count",
    "counts",
    multiple=True,
    metavar="[ITEM:]OPTION=N",
    help="Paper ballots: how many ballots chose OPTION (also blank=N, invalid=N); repeat for each.",
)
@click.option(
    "--teller-secret",
    envvar="COLLEGIUM_TELLER_SECRET",
    default=None,
    metavar="SECRET",
    help="An electronic ballot: the tellers' secret that opens its sealed choices (or from the "
    "COLLEGIUM_TELLER_SECRET environment variable; asked for when neither is given).",
)
@key_option
def vote_count(
    instance: str,
    actor: str,
    counts: tuple[str, ...],
    teller_secret: str | None,
    idempotency_key: str | None,
) -> None:
    """The tellers (监票人、计票人) count INSTANCE's secret ballot: the counts of its paper ballots, which
    must add up to the ballots returned, or its sealed choices opened with their secret. The totals
    are shown when the ballot closes (``vote close``)."""
    with open_engine() as engine:
        ballot = engine.get(instance).facts.get("ballot") or {}
        data: dict[str, Any] = {}
        if counts:
            data["counts"] = _counts(counts)
        elif ballot.get("counting") == "sealed":
            data["teller_secret"] = teller_secret or click.prompt(
                "tellers' secret", hide_input=True
            )
        trigger = trigger_with(engine, instance, ("count_ballots",))
        o = engine.fire(instance, trigger, actor, data, idempotency_key=idempotency_key)
        if settings().as_json:
            emit_json(outcome_doc(engine.registry, o, settings().lang))
            return
        show_outcome(engine.registry, o)
