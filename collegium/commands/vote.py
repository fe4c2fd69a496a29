"""The ``vote`` group: ``vote cast|close|tally``, and the tellers' ``vote key`` (the key pair of an
electronic secret ballot) and ``vote count`` (their count of paper ballots, or the sealed choices
opened with their secret).

Every command fires a trigger of the instance's procedure (``vote``, ``close_ballot``,
``count_ballots``) through the engine, so each is judged by the same rules as ``collegium fire``.
The ballot result they print is built in :mod:`collegium.commands.ballots`.
"""

from __future__ import annotations

from typing import Any

import click

from collegium import Message
from collegium.commands.ballots import (
    actor_option,
    choice_value,
    close_ballot,
    key_option,
    method_label,
    option_label,
    print_result,
    status_ballot,
    trigger_with,
)
from collegium.commands.common import emit_json, open_engine, outcome_doc, settings, show_outcome
from collegium.errors import InvalidInput

__all__ = ["vote"]


# -- vote ------------------------------------------------------------------------------------------
@click.group()
def vote() -> None:
    """Cast votes, close the ballot and show the tally."""


@vote.command("cast")
@click.argument("instance")
@click.argument("choice", required=False)
@click.option("--as", "actor", required=True, metavar="VOTER", help="Who votes (a person id).")
@click.option(
    "--item",
    default=None,
    metavar="NAME",
    help="The item voted on, when a list (e.g. candidates) is voted item by item.",
)
@key_option
def vote_cast(
    instance: str, choice: str | None, actor: str, item: str | None, idempotency_key: str | None
) -> None:
    """Cast VOTER's vote on INSTANCE: CHOICE is one of the ballot's options, agree, oppose or
    abstain (同意, 反对, 弃权), or on a personnel ballot agree, disagree or defer (同意, 不同意,
    缓议). On a paper secret ballot give no CHOICE: the vote records that VOTER returned a ballot
    paper, which the tellers count (``vote count``)."""
    from rich.text import Text as RichText

    from collegium._words import word
    from collegium.commands.render import console

    s = settings()
    with open_engine(writes=True) as engine:
        ballot = engine.get(instance).facts.get("ballot") or {}
        data: dict[str, Any] = (
            {} if choice is None else {"choice": choice_value(choice, ballot.get("options") or ())}
        )
        if item is not None:
            data["item"] = item
        o = engine.fire(instance, "vote", actor, data, idempotency_key=idempotency_key)
        # a secret vote's event never holds the choice: a repeat cannot be checked against the first
        warn = (
            word("secret_replay", s.lang)
            if o.replayed and o.event.effects.get("secret_vote")
            else None
        )
        if s.as_json:
            emit_json(
                {**outcome_doc(engine.registry, o, s.lang), **({"warning": warn} if warn else {})}
            )
            return
        show_outcome(engine.registry, o)
    if warn:
        console().print(RichText(warn, style="yellow"), soft_wrap=True)


@vote.command("close")
@click.argument("instance")
@actor_option
@key_option
def vote_close(instance: str, actor: str, idempotency_key: str | None) -> None:
    """Close the ballot on INSTANCE and tally it (trigger close_ballot; the same as `meeting
    close`)."""
    close_ballot(instance, actor, idempotency_key)


@vote.command("tally")
@click.argument("instance")
def vote_tally(instance: str) -> None:
    """Show the ballot of INSTANCE: method, who voted, votes per option (a secret ballot's only once
    closed), and the result once closed."""
    from collegium._words import word
    from collegium.commands.render import console, named, panel, table, times
    from collegium.commands.values import seps

    s = settings()
    w = s.lang
    with open_engine(writes=False) as engine:
        b = engine.ballot(instance)
        inst = engine.get(instance)
        result = status_ballot(engine, inst, w) if b.result is not None else None
    closed = b.result is not None
    hidden = (
        b.secret and not closed
    )  # a secret ballot's totals are shown at the close, not while it runs
    items = {} if hidden else {i: dict(c) for i, c in (getattr(b, "items", None) or {}).items()}
    counts = {} if hidden else dict(b.counts)
    labels = {k: option_label(k, w) for c in [counts, *items.values()] for k in c}
    doc: dict[str, Any] = {
        "instance": instance,
        "ballot": b.id,
        "method": b.method,
        "method_label": method_label(b.method, w),
        "secret": b.secret,
        "closed": closed,
        "lapsed": b.lapsed,
        "voted": len(b.voters),
        "voters": list(b.voters),
        "totals_hidden": hidden,
        "counts": counts,
        "count_labels": labels,
        "choices_recorded": not b.secret,
        "choices": dict(b.choices),
        "result": result,
        "tellers": list(b.tellers),
        "counted": b.counted,
    }
    if items or getattr(b, "items", None):
        doc["items"] = items
    if s.as_json:
        emit_json(doc)
        return
    con = console()
    comma, colon = seps(w)
    state = (
        word("ballot_closed", w, at=times().line((b.result or {}).get("closed_at")))
        if closed
        else word("ballot_lapsed", w)
        if b.lapsed
        else word("ballot_open", w)
    )
    who = "" if hidden else f" ({', '.join(b.voters) or word('none', w)})"
    tellers = (
        (
            "\n"
            + word(
                "tellers",
                w,
                tellers=", ".join(b.tellers),
                counted=word("counted" if b.counted else "not_counted", w),
            )
        )
        if b.tellers
        else ""
    )
    con.print(
        panel(
            f"{word('method', w)}{colon}{named(doc['method_label'], b.method)}{comma}{state}\n"
            f"{word('voted', w)}{colon}{word('people', w, count=len(b.voters))}{who}{tellers}",
            title=word("ballot", w, id=b.id),
        )
    )
    if hidden:
        con.print(word("totals_at_close", w), markup=False)
    elif items:
        options = list(dict.fromkeys(k for c in items.values() for k in c))
        con.print(
            table(
                None,
                [word("item_head", w), *(named(labels[k], k) for k in options)],
                ([i, *(c.get(k, 0) for k in options)] for i, c in items.items()),
                whole=(0,),
            )
        )
    else:
        con.print(
            table(
                None,
                [word("option", w), word("votes", w)],
                ([named(labels[k], k), v] for k, v in counts.items()),
            )
        )
    if b.secret:
        con.print(word("choices_hidden", w), markup=False)
    elif b.choices:
        con.print(
            table(
                None,
                [word("voter", w), word("choice", w)],
                ([v, named(option_label(c, w), c)] for v, c in b.choices.items()),
                whole=(0,),
            )
        )
    if result is not None:
        print_result(con, result, w)


@vote.command("key")
def vote_key() -> None:
    """Make the tellers' key pair of an electronic secret ballot: the ballot key, given when the
    meeting opens (``meeting open --method secret_electronic --ballot-key``), and the tellers'
    secret, which they keep and give only to count (``vote count --teller-secret``). Collegium
    stores neither the secret nor anything made from it."""
    from collegium import TellerKey
    from collegium._words import word

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
                Message(
                    "--count takes OPTION=N or ITEM:OPTION=N (e.g. agree=7), not {text!r:.60}",
                    text=text,
                )
            )
        into = out.setdefault(item, {}) if item else out
        if option in into:
            raise InvalidInput(Message("--count names {option!r} twice", option=option))
        into[option] = int(number)
    return out


@vote.command("count")
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
    """The tellers (监票人、计票人) count INSTANCE's secret ballot: the counts of its paper ballots,
    which must add up to the ballots returned, or its sealed choices opened with their secret. The
    totals are shown when the ballot closes (``vote close``)."""
    with open_engine(writes=True) as engine:
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
