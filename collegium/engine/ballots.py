"""Ballots: what a ballot shows while it runs, and the result recorded in the decision when it
closes.

A named ballot keeps each voter's choice; a secret ballot keeps who took part and a running total
per option, rows that exist from the ballot's opening so that no row is added by a vote. While a
secret ballot is open its totals are not shown (totals read between votes, beside the public record
of who voted when, would tell each choice); its closing step rewrites the totals, and on SQLite the
write-ahead log is then truncated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from collegium._catalog import Message
from collegium.engine import governance as gov
from collegium.engine.context import Context
from collegium.engine.registry import CompiledProcedure
from collegium.engine.seating import Seating
from collegium.errors import NotFound
from collegium.rules.verdict import Verdict
from collegium.store.protocol import Unit
from collegium.store.records import InstanceRecord


@dataclass(frozen=True, slots=True, kw_only=True)
class Ballot:
    """The current (or last) ballot of an instance, as stored. A secret ballot shows who returned a
    ballot, its tellers and, once closed, the totals; which member chose what is not stored, so
    ``choices`` is empty for it."""

    id: str
    method: str
    secret: bool
    voters: tuple[str, ...]
    counts: Mapping[str, int]
    choices: Mapping[str, str]
    result: Mapping[str, Any] | None
    #: a list voted item by item: each item's counts (``counts`` and ``choices`` are then empty)
    items: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    #: the matter left the meeting without a tally (the vote was deferred): no result and no more
    #: votes
    lapsed: bool = False
    #: a secret ballot's tellers (监票人、计票人), who count it
    tellers: tuple[str, ...] = ()
    #: whether the tellers have counted this secret ballot (its totals are shown once it closes)
    counted: bool = False

    @property
    def closed(self) -> bool:
        """Whether the ballot was tallied: its result is recorded."""
        return self.result is not None

    @property
    def open(self) -> bool:
        """Votes may still be cast: neither tallied nor lapsed."""
        return self.result is None and not self.lapsed


@dataclass(frozen=True, slots=True)
class Seat:
    """A member's seat at a meeting: role, whether it votes, attendance, and the view stated (if
    any)."""

    role: str
    voting: bool
    attendance: str
    view: str | None


@dataclass(frozen=True, slots=True)
class Meeting:
    """The last meeting opened for an instance: its body, when it opened, the membership frozen then
    with each member's attendance and stated view, and non-voting attendees (列席). For a sitting (a
    ``meeting`` instance), and for a matter taken up at one, attendance as it stands at the sitting
    now (a matter's recusals are its own)."""

    id: str
    body: str
    kind: str
    opened_at: str
    seats: Mapping[str, Seat]
    attendees: tuple[str, ...]
    #: the sitting (a ``meeting`` instance with an agenda) the matter was taken up at; None for its
    #: own meeting
    sitting: str | None = None
    #: reasons for absence given at the meeting (缺席理由)
    reasons: Mapping[str, str] = field(default_factory=dict)


def meeting_view(rec: InstanceRecord, unit: Unit) -> Meeting:
    meeting = rec.facts.get("meeting") or {}
    if "id" not in meeting:
        raise NotFound(Message("instance {id!r} has no meeting", id=rec.id))
    seats = {
        person: Seat(role=seat.role, voting=seat.voting, attendance=seat.attendance, view=seat.view)
        for person, seat in Seating(meeting, None, unit).seats().items()
    }
    return Meeting(
        meeting["id"],
        meeting["body"],
        meeting["kind"],
        meeting["opened_at"],
        MappingProxyType(seats),
        tuple(meeting.get("attendees") or ()),
        meeting.get("sitting_id"),
        MappingProxyType(dict(meeting.get("reasons") or {})),
    )


def keys(ballot: Mapping[str, Any]) -> list[str]:
    """Where a ballot's votes are stored: one key, or one per item of a list."""
    return [gov.ballot_key(ballot, item) for item in ballot.get("items") or [None]]


def view(rec: InstanceRecord, unit: Unit) -> Ballot:
    ballot = rec.facts.get("ballot") or {}
    if "id" not in ballot:
        raise NotFound(Message("instance {id!r} has no ballot", id=rec.id))
    secret = bool(ballot.get("secret"))
    result = MappingProxyType(dict(ballot["result"])) if "result" in ballot else None
    hidden = secret and result is None
    zero = dict.fromkeys(ballot.get("options") or (), 0)

    def counts(key: str) -> Mapping[str, int]:
        return MappingProxyType({} if hidden else {**zero, **unit.counts(key, secret)})

    lapsed = result is None and (rec.facts.get("meeting") or {}).get("state") != rec.state
    tellers, counted = tuple(ballot.get("tellers") or ()), "counted_at" in ballot
    if ballot.get("items"):
        items = {item: counts(gov.ballot_key(ballot, item)) for item in ballot["items"]}
        voters = sorted({v for key in keys(ballot) for v in unit.voters(key, secret)})
        return Ballot(
            id=ballot["id"],
            method=str(ballot.get("method")),
            secret=secret,
            voters=tuple(voters),
            counts=MappingProxyType({}),
            choices=MappingProxyType({}),
            result=result,
            items=MappingProxyType(items),
            lapsed=lapsed,
            tellers=tellers,
            counted=counted,
        )
    return Ballot(
        id=ballot["id"],
        method=str(ballot.get("method")),
        secret=secret,
        voters=tuple(unit.voters(ballot["id"], secret)),
        counts=counts(ballot["id"]),
        choices=MappingProxyType({} if secret else unit.choices(ballot["id"])),
        result=result,
        lapsed=lapsed,
        tellers=tellers,
        counted=counted,
    )


def result(
    ctx: Context, proc: CompiledProcedure, verdict: Verdict, passed: bool, unit: Unit
) -> dict[str, Any]:
    """The decision record of a closing ballot: counts, n, present, the quorum and pass figures,
    dissent."""
    ballot = ctx.facts.get("ballot") or {}
    if "id" not in ballot:
        return {"n": ctx.get("n"), "present": ctx.get("present"), "passed": passed}
    options = ballot.get("options") or ()
    secret = bool(ballot.get("secret"))
    dissent = proc.dissent_options
    record: dict[str, Any] = {
        "n": ctx.get("n"),
        "present": ctx.get("present"),
        "method": ballot.get("method"),
        "passed": passed,
    }
    quorum = [
        {"rule": judged.rule_id, "needed": judged.facts["needed"]}
        for judged in verdict.results
        if judged.severity != "branch"
        and judged.applicable
        and {"present", "n", "needed"} <= set(judged.facts)
    ]
    if quorum:
        record["quorum"] = quorum

    def one(item: str | None) -> dict[str, Any]:
        key = gov.ballot_key(ballot, item)
        tally: dict[str, Any] = {**dict.fromkeys(options, 0), **unit.counts(key, secret)}
        for judged in verdict.results:
            if (
                judged.severity == "branch"
                and judged.facts.get("item") == item
                and "needed" in judged.facts
            ):
                tally["needed"] = judged.facts["needed"]
                if item is not None:
                    tally["passed"] = judged.passed
        if not secret:  # a named ballot keeps who dissented (R-DISSENT)
            tally["dissent"] = unit.voters_choosing(key, tuple(dissent))
        elif ballot.get(
            "counting"
        ):  # a ballot counted by its tellers: how many ballots they counted
            tally["returned"] = len(unit.voters(key, True))
        return tally

    if ballot.get("items"):
        record["items"] = {item: one(item) for item in ballot["items"]}
        if not secret:  # who dissented on any item stays with the decision too (R-DISSENT)
            record["dissent"] = sorted(
                {p for tally in record["items"].values() for p in tally["dissent"]}
            )
    else:
        record.update(one(None))
    return record
