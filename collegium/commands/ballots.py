"""The ballot result as the command line shows it, and what the ballot commands share.

``status`` and ``history`` show a ballot's result, ``vote`` (:mod:`collegium.commands.vote`) and
``meeting`` (:mod:`collegium.commands.meeting`) close ballots and take the same options. Heavy
modules are imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import click

from collegium import Message
from collegium.commands.common import emit_json, open_engine, outcome_doc, settings, show_outcome
from collegium.errors import InvalidInput

if TYPE_CHECKING:
    from rich.console import Console

    from collegium import Engine, EventRecord, Instance, Outcome, Registry, RuleResult

__all__ = [
    "actor_option",
    "choice_value",
    "close_ballot",
    "history_ballots",
    "key_option",
    "method_label",
    "option_label",
    "print_result",
    "result_doc",
    "status_ballot",
    "trigger_with",
]

#: keys of a ballot result that are not a count of votes for an option
_RESULT_KEYS = frozenset(
    {
        "n",
        "present",
        "needed",
        "method",
        "passed",
        "closed_at",
        "dissent",
        "quorum",
        "items",
        "returned",
    }
)


def choice_value(choice: str, options: Iterable[str]) -> str:
    """A vote's CHOICE as the ballot's option: a Chinese word is mapped by the open ballot's options
    (不同意 is ``disagree`` on a personnel ballot, ``oppose`` on the others); anything else is
    passed on as given."""
    aliases = {
        "同意": "agree",
        "不同意": "disagree" if "disagree" in options else "oppose",
        "反对": "oppose",
        "缓议": "defer",
        "弃权": "abstain",
    }
    return aliases.get(choice.strip(), choice)


# -- result documents ------------------------------------------------------------------------------
def method_label(method: Any, lang: str) -> str:
    from collegium._words import word_or

    return word_or(f"method.{method}", lang, str(method))


def option_label(option: str, lang: str) -> str:
    from collegium._words import word_or

    return word_or(f"option.{option}", lang, option)


def _counts(result: Mapping[str, Any], options: Iterable[str] = ()) -> dict[str, int]:
    """Votes per option, in the ballot's order of options, then any other option found in
    ``result``."""
    names = [o for o in options if o in result]
    names += [
        k
        for k, v in result.items()
        if k not in _RESULT_KEYS
        and k not in names
        and isinstance(v, int)
        and not isinstance(v, bool)
    ]
    return {k: int(result[k]) for k in names}


def _figure(
    r: RuleResult | None, rule: Any = None, needed: Any = None, passed: Any = None
) -> dict[str, Any]:
    params = r.params if r is not None else {}
    return {
        "rule": r.rule_id if r is not None else rule,
        "needed": params.get("needed") if needed is None else needed,
        "op": params.get("op"),
        "ratio": params.get("ratio"),
        "passed": (r.passed if r is not None else None) if passed is None else bool(passed),
    }


def _quorum(result: Mapping[str, Any], thresholds: list[RuleResult]) -> list[dict[str, Any]]:
    """The quorum figures of a result: ``result["quorum"]`` (one rule's dict, or a list of them),
    each with the operator and ratio of its rule; inferred from the verdict only for a result that
    does not say."""
    stated = result.get("quorum")
    if stated is None:
        return [
            _figure(r)
            for r in thresholds
            if r.severity != "branch"
            and r.params.get("count") == result.get("present")
            and r.params.get("base") == result.get("n")
        ][:1]
    figures = []
    for q in [stated] if isinstance(stated, Mapping) else stated or ():
        if not isinstance(q, Mapping):
            continue
        rule = next(
            (r for r in thresholds if r.severity != "branch" and r.rule_id == q.get("rule")), None
        )
        figures.append(_figure(rule, q.get("rule"), q.get("needed")))
    return figures


def result_doc(
    registry: Registry,
    inst: Instance,
    result: Mapping[str, Any],
    verdict: Iterable[Any],
    seq: int | None,
    lang: str,
) -> dict[str, Any]:
    """A closed ballot's result: counts per option, n, present, the quorum and pass figures, the
    outcome, the method, the dissent (named ballots), each item of a list voted item by item, and
    the verdict of every rule judged at the close."""
    from collegium import stored_results
    from collegium._words import word

    ballot = inst.facts.get("ballot") or {}
    options = ballot.get("options") or ()
    rules = stored_results(registry, inst, verdict)
    thresholds = [r for r in rules if r.detail == "threshold" and r.applicable]
    passing = [r for r in thresholds if r.severity == "branch"]
    method = result.get("method")

    def outcome(passed: Any) -> str:
        return word("ballot_passed" if passed else "ballot_failed", lang)

    counts = _counts(result, options)
    doc: dict[str, Any] = {
        "event": seq,
        "closed_at": result.get("closed_at"),
        "method": method,
        "method_label": method_label(method, lang),
        "secret": method == "secret",
        "counts": counts,
        "count_labels": {k: option_label(k, lang) for k in counts},
        "n": result.get("n"),
        "present": result.get("present"),
        "quorum": _quorum(result, thresholds),
        "needed": result.get("needed"),
        "threshold": _figure(passing[0]) if passing and "items" not in result else None,
        "passed": bool(result.get("passed")),
        "outcome_label": outcome(result.get("passed")),
    }
    if "dissent" in result:
        doc["dissent"] = list(result["dissent"])
    items = result.get("items")
    if isinstance(items, Mapping):
        doc["items"] = {}
        order = [
            str(i) for i in ballot.get("items") or ()
        ]  # the pass rule is judged in the ballot's order
        order = order if sorted(order) == sorted(map(str, items)) else [str(i) for i in items]
        for i, item in enumerate(order):
            tally = items.get(item) or {}
            rule = passing[i] if len(passing) == len(items) else passing[0] if passing else None
            item_counts = _counts(tally, options)
            one: dict[str, Any] = {
                "counts": item_counts,
                "count_labels": {k: option_label(k, lang) for k in item_counts},
                "needed": tally.get("needed"),
                "threshold": _figure(rule, needed=tally.get("needed"), passed=tally.get("passed"))
                if rule
                else None,
                "passed": bool(tally.get("passed")),
                "outcome_label": outcome(tally.get("passed")),
            }
            if "dissent" in tally:
                one["dissent"] = list(tally["dissent"])
            doc["items"][item] = one
    doc["verdict"] = [r.to_dict(lang) for r in rules]
    return doc


def status_ballot(engine: Engine, inst: Instance, lang: str) -> dict[str, Any] | None:
    """The result of the instance's current ballot, when it has been closed (``None`` otherwise)."""
    result = (inst.facts.get("ballot") or {}).get("result")
    if not isinstance(result, Mapping):
        return None
    docs = history_ballots(engine.registry, inst, engine.history(inst.id), lang)
    if docs:
        return docs[max(docs)]
    return result_doc(engine.registry, inst, result, (), None, lang)


def history_ballots(
    registry: Registry, inst: Instance, events: Iterable[EventRecord], lang: str
) -> dict[int, dict[str, Any]]:
    """The ballot result of every event that closed a ballot, by event number."""
    return {
        e.seq: result_doc(registry, inst, e.effects["tally"], e.verdict, e.seq, lang)
        for e in events
        if isinstance(e.effects.get("tally"), Mapping)
    }


# -- printing --------------------------------------------------------------------------------------
def print_result(con: Console, doc: Mapping[str, Any], lang: str) -> None:
    """Print a ballot result (see :func:`result_doc`): a panel of figures, then the rule
    verdicts."""
    from collegium._words import word
    from collegium.commands.render import panel, rule_table, times
    from collegium.commands.values import counts_line, figure_line, item_line, seps

    comma, colon = seps(lang)

    def people(count: Any) -> str:
        return word("people", lang, count=count)

    lines = [
        f"{word('ballot_result', lang)}{colon}{doc['outcome_label']}",
        f"{word('method', lang)}{colon}{doc['method_label']}",
    ]
    if doc["counts"]:
        lines.append(counts_line(doc["counts"], lang))
    lines.append(
        f"{word('n', lang)}{colon}{people(doc['n'])}{comma}{word('present', lang)}{colon}"
        f"{people(doc['present'])}"
    )
    quorum = doc.get("quorum") or []
    for figure in [quorum] if isinstance(quorum, Mapping) else quorum:
        lines.append(figure_line("quorum", figure, figure.get("needed"), lang))
    if doc.get("needed") is not None:
        lines.append(figure_line("needed", doc.get("threshold"), doc["needed"], lang))
    if doc.get("dissent") is not None:
        lines.append(
            f"{word('dissent', lang)}{colon}{', '.join(doc['dissent']) or word('none', lang)}"
        )
    lines += [item_line(item, one, lang) for item, one in (doc.get("items") or {}).items()]
    if doc.get("secret"):
        lines.append(word("choices_hidden", lang))
    closed = doc.get("closed_at")
    title = word("ballot_closed", lang, at=times().line(closed)) if closed else None
    con.print(panel("\n".join(lines), title=title))
    if doc.get("verdict"):
        con.print(
            rule_table(
                word("rule_verdicts", lang, seq=doc.get("event") or "?"), doc["verdict"], lang
            )
        )


# -- options shared with the meeting commands ------------------------------------------------------
def actor_option(f: Any) -> Any:
    return click.option(
        "--as", "actor", required=True, metavar="ACTOR", help="Who acts (a person id)."
    )(f)


def key_option(f: Any) -> Any:
    return click.option(
        "--key",
        "idempotency_key",
        default=None,
        help="Idempotency key: a repeat with it changes nothing.",
    )(f)


def trigger_with(engine: Engine, instance: str, kinds: tuple[str, ...]) -> str:
    """The trigger leaving INSTANCE's current state whose step applies an effect of one of ``kinds``
    (e.g. the one that tallies: ``close_ballot``, or ``close_reconsideration`` while a motion to
    reconsider is voted)."""
    inst = engine.get(instance)
    proc = engine.registry.compiled(inst.procedure, inst.procedure_version, inst.pack_version)
    for trigger in proc.triggers_from(inst.state):
        plan = proc.plan(inst.state, trigger)
        if plan is not None and any(effect.kind in kinds for effect in plan.effects):
            return trigger
    raise InvalidInput(
        Message(
            "{instance} ({procedure}, {state}) has no step that does this now",
            instance=instance,
            procedure=inst.procedure,
            state=inst.state,
        )
    )


def close_ballot(instance: str, actor: str, idempotency_key: str | None) -> None:
    from collegium.commands.render import console

    s = settings()
    with open_engine(writes=True) as engine:
        trigger = trigger_with(engine, instance, ("tally",))
        o: Outcome = engine.fire(instance, trigger, actor, idempotency_key=idempotency_key)
        result = (o.instance.facts.get("ballot") or {}).get("result") or {}
        doc = result_doc(engine.registry, o.instance, result, o.event.verdict, o.event.seq, s.lang)
        if s.as_json:
            emit_json({**outcome_doc(engine.registry, o, s.lang), "ballot": doc})
            return
        show_outcome(engine.registry, o)
    print_result(console(), doc, s.lang)
