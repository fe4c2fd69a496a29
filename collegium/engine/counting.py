"""Secret ballots: the rules of their steps, and their count by the tellers (计票).

A secret ballot names its tellers (监票人、计票人) when it opens and is counted by them before it
closes:

- ``secret`` (paper ballots, 无记名投票 as most meetings hold it): a vote records only that the
  member returned a ballot paper; the tellers enter the counts per option and of blank and invalid
  ballots (空白票、废票), which must add up to the ballots returned. The store never holds a choice.
- ``secret_electronic``: a vote seals its choice to the tellers' public key
  (:mod:`collegium.engine.sealing`); the tellers give their secret, the sealed choices are checked
  against the votes' events, opened and counted, and deleted, all in the counting step's
  transaction.

Either way no vote writes a total: the totals are written once, by the count, and are hidden until
the close.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from collegium._brief import brief
from collegium._catalog import Message
from collegium.engine import governance as gov
from collegium.engine.sealing import Sealer, check_public_key
from collegium.errors import AuditError, InvalidInput
from collegium.store.records import ReturnedBallot, SealedChoice, VoteRecord

#: what a paper ballot may be besides a choice: left blank, or spoiled (not counted for any option)
BLANK, INVALID = "blank", "invalid"
#: the most ballots one count may give for one option (a body of a million members is beyond it)
MAX_COUNT = 1_000_000


class CountReader(Protocol):
    """What a count reads from the command's unit of work."""

    def voters(self, ballot_id: str, secret: bool) -> list[str]: ...

    def sealed(self, ballot_id: str) -> list[str]: ...

    def effects_since(self, instance_id: str, seq: int) -> list[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotWrites:
    """What a step writes about its ballot, besides its event (see
    :class:`~collegium.store.protocol.Write`)."""

    votes: tuple[VoteRecord, ...] = ()
    returned: tuple[ReturnedBallot, ...] = ()
    sealed: tuple[SealedChoice, ...] = ()
    counted: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    discarded: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()


_NOTHING = BallotWrites()


def writes(
    ballot: Mapping[str, Any],
    votes: Sequence[VoteRecord],
    record: dict[str, Any],
    *,
    tallies: bool,
    left: bool,
    sealer: Sealer,
) -> BallotWrites:
    """The rows a step writes about its ballot, and what its event's effects ``record`` (changed in
    place) notes: the key a vote was stored under, that it was secret, the digest of what it sealed.
    ``left``: the step leaves the state the meeting was held in."""
    if not votes and not tallies and not ballot.get("counting") and "counted" not in record:
        return _NOTHING  # most steps: no vote, no count, no close
    mode = counting(ballot)
    # where a vote is stored, so that the audit checks the ballot's rows against it
    for vote in votes:
        record["ballot"] = vote.ballot_id
    # a secret vote's event records that the actor voted, never the choice
    if any(v.secret for v in votes):
        record["secret_vote"] = True
    # named; or secret with running totals (opened before tellers counted), rewritten at the close
    if mode is None:
        secret = bool(ballot.get("secret")) and "id" in ballot
        keys = (
            tuple(gov.ballot_key(ballot, item) for item in ballot.get("items") or [None])
            if secret
            else ()
        )
        return BallotWrites(votes=tuple(votes), closed=keys if tallies else ())
    returned = tuple(ReturnedBallot(ballot=v.ballot_id, voter=v.voter) for v in votes)
    sealed: tuple[SealedChoice, ...] = ()
    if mode == "sealed" and votes:
        sealed = tuple(
            SealedChoice(
                ballot=v.ballot_id, sealed=sealer.seal(str(ballot["ballot_key"]), v.choice)
            )
            for v in votes
        )
        record["sealed"] = sealer.digest(sealed[-1].sealed)
    counted = record.get("counted") or {}
    discarded: tuple[str, ...] = ()
    # a ballot that lapsed uncounted: its sealed choices go
    if mode == "sealed" and left and "counted_at" not in ballot:
        discarded = tuple(gov.ballot_key(ballot, item) for item in ballot.get("items") or [None])
        record["discarded"] = list(discarded)
    return BallotWrites(returned=returned, sealed=sealed, counted=counted, discarded=discarded)


def coerce_counts(value: Any) -> dict[str, Any]:
    """The tellers' counts as given, checked for shape: option -> whole number, or for a list voted
    item by item, item -> (option -> whole number). What the options are is checked by
    :func:`count`."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidInput(
            Message("counts must be a mapping of option to number, not {value}", value=brief(value))
        )
    out: dict[str, Any] = {}
    for key, n in value.items():
        if isinstance(n, Mapping):
            out[key] = coerce_counts(n)
            if any(isinstance(v, dict) for v in out[key].values()):
                raise InvalidInput(
                    Message("counts are per option, or per item and then per option: not deeper")
                )
        elif isinstance(n, int) and not isinstance(n, bool):
            out[key] = n
        else:
            raise InvalidInput(
                Message(
                    "the count of {option} must be a whole number, not {value}",
                    option=brief(key),
                    value=brief(n),
                )
            )
    return out


def counting(ballot: Mapping[str, Any]) -> str | None:
    """How the ballot is counted: ``tellers``, ``sealed``, or None (a named ballot, or a secret one
    opened before ballots were counted by tellers, which keeps running totals)."""
    value = ballot.get("counting")
    return str(value) if value else None


def open_secret(
    ballot: dict[str, Any],
    method: str,
    data: Mapping[str, Any],
    seats: Mapping[str, Any],
    attendees: list[str],
    countable: bool,
) -> None:
    """Lay a secret ballot's tellers and key over ``ballot`` (its counting mode set by the caller),
    or refuse."""
    if not countable:
        raise InvalidInput(
            Message(
                "method {method!r} needs a step that counts the ballot (count_ballots), which "
                "this procedure has not; hold the ballot by another method",
                method=method,
            )
        )
    tellers = list(data.get("tellers") or ())
    if not tellers:
        raise InvalidInput(
            Message(
                "a {method} ballot names its tellers (监票人、计票人), who count it: "
                "give 'tellers'",
                method=method,
            )
        )
    for person in tellers:
        seat = seats.get(person)
        if (seat is None or seat.attendance != "present") and person not in attendees:
            raise InvalidInput(
                Message(
                    "teller {person} is not present at the meeting (a teller is a member present "
                    "or a non-voting attendee)",
                    person=brief(person),
                )
            )
    ballot["tellers"] = tellers
    if ballot["counting"] == "sealed":
        if "ballot_key" not in data:
            raise InvalidInput(
                Message(
                    "an electronic secret ballot is opened with the tellers' public key: give "
                    "'ballot_key'"
                )
            )
        ballot["ballot_key"] = check_public_key(str(data["ballot_key"]))
    elif "ballot_key" in data:
        raise InvalidInput(Message("'ballot_key' goes with method secret_electronic only"))


def check_step(
    ballot: Mapping[str, Any],
    trigger: str,
    *,
    casts: bool,
    counts: bool,
    tallies: bool,
    data: Mapping[str, Any],
) -> None:
    """The rules of a secret ballot's steps that no rule pack may change: a paper vote names no
    choice, an electronic one does; no vote after the count; one count, by the ballot's method; no
    close before it."""
    mode, counted = counting(ballot), "counted_at" in ballot
    if casts:
        if counted:
            raise InvalidInput(Message("the tellers have counted this ballot: no more votes"))
        if mode == "tellers" and "choice" in data:
            raise InvalidInput(
                Message(
                    "a paper secret ballot takes no choice: the member returns a ballot paper, "
                    "which the tellers count"
                )
            )
        if mode != "tellers" and "choice" not in data:
            raise InvalidInput(Message("{trigger!r} needs {key!r}", trigger=trigger, key="choice"))
    if counts:
        if mode is None:
            raise InvalidInput(
                Message(
                    "only a secret ballot is counted by tellers; a named ballot is counted from "
                    "its votes when it closes"
                )
            )
        if counted:
            raise InvalidInput(Message("this ballot was counted already"))
        if mode == "tellers" and ("counts" not in data or "teller_secret" in data):
            raise InvalidInput(
                Message(
                    "the tellers of a paper ballot give 'counts': per option, and of blank and "
                    "invalid ballots"
                )
            )
        if mode == "sealed" and "counts" in data:
            raise InvalidInput(
                Message(
                    "an electronic ballot is counted by opening its sealed choices with "
                    "'teller_secret', not from counts given"
                )
            )
    if tallies and mode is not None and not counted:
        raise InvalidInput(
            Message(
                "the tellers have not counted this secret ballot yet: count_ballots comes before "
                "close_ballot"
            )
        )


def count(
    ballot: Mapping[str, Any],
    instance_id: str,
    data: Mapping[str, Any],
    reader: CountReader,
    sealer: Sealer,
) -> dict[str, dict[str, int]]:
    """The totals of each of the ballot's keys (one, or one per item of a list), counted now."""
    keys = {gov.ballot_key(ballot, item): item for item in ballot.get("items") or [None]}
    options = list(ballot.get("options") or ())
    if counting(ballot) == "tellers":
        return _paper(keys, options, data.get("counts") or {}, reader)
    opened_at = int(str(ballot["id"]).rsplit("/", 1)[1])
    digests: dict[str, Counter[str]] = {key: Counter() for key in keys}
    for effects in reader.effects_since(instance_id, opened_at):
        key = effects.get("ballot")
        if key in digests and "sealed" in effects:
            digests[key][str(effects["sealed"])] += 1
    out = {}
    for key in keys:
        sealed = reader.sealed(key)
        returned = len(reader.voters(key, True))
        if len(sealed) != returned or Counter(sealer.digest(s) for s in sealed) != digests[key]:
            raise AuditError(
                Message(
                    "the sealed choices of ballot {key} are not the {returned} its votes "
                    "recorded: the store was changed; it is not counted",
                    key=key,
                    returned=returned,
                )
            )
        choices = sealer.open(data.get("teller_secret"), str(ballot["ballot_key"]), sealed)
        stray = sorted(set(choices) - set(options))
        if stray:
            raise AuditError(
                Message(
                    "a sealed choice of ballot {key} is not one of its options: it is not counted",
                    key=key,
                )
            )
        tally = Counter(choices)
        out[key] = {option: tally[option] for option in options}
    return out


def _paper(
    keys: Mapping[str, str | None],
    options: list[str],
    given: Mapping[str, Any],
    reader: CountReader,
) -> dict[str, dict[str, int]]:
    itemwise = any(item is not None for item in keys.values())
    if itemwise and set(given) != {item for item in keys.values()}:
        raise InvalidInput(
            Message(
                "the counts of a list voted item by item are given per item: {items}",
                items=", ".join(str(i) for i in keys.values()),
            )
        )
    out = {}
    for key, item in keys.items():
        counts = given[item] if item is not None else given
        if not isinstance(counts, Mapping):
            raise InvalidInput(
                Message("the counts of {item} are a mapping of option to number", item=brief(item))
            )
        allowed = [*options, BLANK, INVALID]
        unknown = sorted(set(counts) - set(allowed))
        if unknown:
            raise InvalidInput(
                Message(
                    "counts name {option}, not an option of this ballot; they give: {allowed}",
                    option=brief(unknown[0]),
                    allowed=", ".join(allowed),
                )
            )
        totals = {}
        for choice in allowed:
            n = counts.get(choice, 0)
            if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_COUNT:
                raise InvalidInput(
                    Message(
                        "the count of {option} must be a whole number from 0 to {most}, not "
                        "{value}",
                        option=choice,
                        most=MAX_COUNT,
                        value=brief(n),
                    )
                )
            totals[choice] = n
        returned = len(reader.voters(key, True))
        if sum(totals.values()) != returned:
            given_total = sum(totals.values())
            if item is None:
                raise InvalidInput(
                    Message(
                        "the counts add up to {total} ballots; {returned} were returned",
                        total=given_total,
                        returned=returned,
                    )
                )
            raise InvalidInput(
                Message(
                    "the counts for {item} add up to {total} ballots; {returned} were returned",
                    item=brief(item),
                    total=given_total,
                    returned=returned,
                )
            )
        out[key] = totals
    return out
