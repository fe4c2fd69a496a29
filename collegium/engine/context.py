"""The facts one command is judged on: the instance's facts with the command's data laid over them,
plus the facts the engine derives (actor's roles, n, present, consulted, votes …), each computed
at most once and only if a rule asks for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any, Protocol

from collegium._reserved import RESERVED_ROLES, SYSTEM_ACTOR, SYSTEM_ROLE, TELLER_ROLE
from collegium.definitions import FactType
from collegium.engine import governance as gov
from collegium.engine import targets
from collegium.engine.clock import parse_time
from collegium.engine.seating import Seating, SeatReader
from collegium.rules.facts import ENGINE_FACTS
from collegium.store.bodies import Body
from collegium.store.protocol import Seat, SeatCounts

Directory = gov.BodyLookup


class StoreReader(SeatReader, Protocol):
    """Reads votes and seats from the store (the unit of work the command runs in)."""

    def voters(self, ballot_id: str, secret: bool) -> list[str]: ...

    def counts(self, ballot_id: str, secret: bool) -> dict[str, int]: ...

    def has_voted(self, ballot_id: str, voter: str, secret: bool) -> bool: ...


class _Voted(Collection[str]):
    """Who has voted in a ballot: ``x in voted`` asks the store about one member (no list of
    thousands is read for "one vote each"); iterating reads the list."""

    __slots__ = ("_ballot", "_list", "_reader", "_secret")

    def __init__(self, reader: StoreReader, ballot_id: str, secret: bool) -> None:
        self._reader, self._ballot, self._secret = reader, ballot_id, secret
        self._list: list[str] | None = None

    def _all(self) -> list[str]:
        if self._list is None:
            self._list = self._reader.voters(self._ballot, self._secret)
        return self._list

    def __contains__(self, voter: object) -> bool:
        return isinstance(voter, str) and self._reader.has_voted(self._ballot, voter, self._secret)

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class _Seated(Collection[str]):
    """Voting members of the governing meeting with an attendance (or who stated a view): ``x in``
    asks about one seat; iterating reads them all, in the body's order."""

    __slots__ = ("_attendance", "_ctx", "_stated")

    def __init__(self, ctx: Context, attendance: str | None, stated: bool) -> None:
        self._ctx, self._attendance, self._stated = ctx, attendance, stated

    def _fits(self, seat: Seat | None) -> bool:
        if seat is None or not seat.voting:
            return False
        if self._stated:
            return seat.view is not None
        return seat.attendance == self._attendance

    def __contains__(self, person: object) -> bool:
        return isinstance(person, str) and self._fits(self._ctx.seat(person))

    def __iter__(self) -> Iterator[str]:
        return iter([p for p, seat in self._ctx.seats().items() if self._fits(seat)])

    def __len__(self) -> int:
        return sum(1 for _ in self)


_UNSET: Any = object()  # not derived yet (None is a value)


class Context:
    """A lazy, read-only view of the facts for one command (implements the rules'
    ``FactSource``)."""

    __slots__ = (
        "_acting",
        "_ballots",
        "_body",
        "_body_loaded",
        "_cache",
        "_counts",
        "_directory",
        "_meeting",
        "_seating",
        "_staged",
        "_state_of",
        "_supplied",
        "actor",
        "body_id",
        "facts",
        "instance_id",
        "now",
        "params",
        "state",
        "stating",
        "trigger",
        "types",
    )

    def __init__(
        self,
        *,
        instance_id: str,
        state: str,
        trigger: str,
        actor: str,
        now: dt.datetime,
        facts: Mapping[str, Any],
        types: Mapping[str, FactType],
        body_id: str | None,
        directory: Directory,
        state_of: Callable[[str], str | None],
        params: Mapping[str, Any],
        ballots: StoreReader | None = None,
        staged_seats: Mapping[str, Seat] | None = None,
        stating: bool = False,
        acting: Mapping[str, tuple[str, ...]] | None = None,
        supplied: Iterable[str] = (),
    ) -> None:
        self.instance_id = instance_id
        self.state = state
        self.trigger = trigger
        self.actor = actor
        self.now = now
        self.facts = facts
        self.types = types
        self.body_id = body_id
        self.params = params
        self._directory = directory
        self._state_of = state_of
        self._cache: dict[str, Any] = {}
        self._body: Body | None = None
        self._body_loaded = False
        self._staged = staged_seats  # the seats of a meeting this command opens (not stored yet)
        self.stating = stating  # the command states the actor's view at the meeting
        self._seating: Seating | None = None
        self._ballots = ballots
        self._supplied = supplied  # the keys of the command's data (sorted when a rule reads them)
        self._acting = acting or {}  # a role -> it and the roles it acts in (the pack's acts_as)
        self._counts: dict[str, int] | None = None
        self._meeting: Mapping[str, Any] | None = _UNSET

    def given(self, values: Mapping[str, Any]) -> None:
        """Take ``values`` as facts the engine would derive (a pack's tests state ``n`` or
        ``present`` instead of building a meeting)."""
        self._cache.update(values)

    # -- FactSource -------------------------------------------------------------------------------
    def get(self, name: str) -> Any:
        value = self._cache.get(name, _UNSET)
        if value is not _UNSET:
            return value
        derive = _DERIVED.get(name)
        value = derive(self) if derive is not None else self.facts.get(name)
        self._cache[name] = value
        return value

    def time(self, name: str) -> dt.datetime | None:
        if name == "now":
            return self.now
        value = self.get(name)
        if value is None or isinstance(value, dt.datetime):
            return value
        return parse_time(str(value), name)

    def state_of(self, instance_id: str) -> str | None:
        return self._state_of(instance_id)

    # -- membership -------------------------------------------------------------------------------
    def body(self) -> Body | None:
        if not self._body_loaded:
            self._body = self._directory(self.body_id) if self.body_id else None
            self._body_loaded = True
        return self._body

    def meeting(self) -> Mapping[str, Any] | None:
        """The meeting whose frozen membership and attendance govern this command, if any: the one
        being opened by it, or the one held in the instance's current state. Outside it, the live
        body governs."""
        meeting: Mapping[str, Any] | None = self._meeting
        if meeting is _UNSET:
            meeting = self.facts.get("meeting")
            if (
                not meeting
                or meeting.get("body") != self.body_id
                or (self._staged is None and meeting.get("state") != self.state)
            ):
                meeting = None
            self._meeting = meeting  # the facts of a command do not change while it is judged
        return meeting

    # -- the meeting's seats: from the meeting being opened, or from the store --------------------
    def seating(self) -> Seating:
        """The governing meeting's seats (:mod:`collegium.engine.seating`)."""
        if self._seating is None:
            self._seating = Seating(self.meeting(), self._staged, self._ballots)
        return self._seating

    def seat(self, person: str) -> Seat | None:
        """One member's seat at the governing meeting (a point query: no list of thousands is
        read)."""
        return self.seating().seat(person)

    def seats(self) -> Mapping[str, Seat]:
        return self.seating().seats()

    def _counts_of_seats(self) -> SeatCounts:
        return self.seating().counts()

    def _roles(self) -> tuple[str, ...]:
        if self.actor == SYSTEM_ACTOR:
            return (SYSTEM_ROLE,)
        if self.meeting() is not None:
            seat = self.seat(self.actor)
            role = seat.role if seat else None
        else:
            body = self.body()
            member = body.member(self.actor) if body else None
            role = member.role if member else None
        # a member stored with a reserved role (before it was reserved) does not hold it
        roles: tuple[str, ...] = (
            self._acting.get(role, (role,))
            if role is not None and role not in RESERVED_ROLES
            else ()
        )
        ballot = self.facts.get("ballot") or {}
        if self.actor in (ballot.get("tellers") or ()) and "result" not in ballot:
            roles += (TELLER_ROLE,)  # named a teller of the open ballot, for it alone
        return roles

    def _voting_members(self) -> list[str]:
        if self.meeting() is not None:
            return [p for p, seat in self.seats().items() if seat.voting]
        body = self.body()
        return [m.person for m in body.members if m.voting] if body else []

    def _n(self) -> int:
        if self.meeting() is not None:
            counts = self._counts_of_seats()
            reduces = self.params.get("recusal_reduces_n", True)
            return counts.voting - (counts.recused if reduces else 0)
        return len(self._voting_members())

    def _speaking(self, seat: Seat | None) -> bool:
        """``seat`` is the actor's, yet to state the view this command states."""
        return (
            self.stating
            and seat is not None
            and seat.voting
            and seat.attendance == "present"
            and seat.view is None
        )

    def _unstated(self) -> list[str]:
        """Present voting members yet to state a view, but for the actor stating theirs now."""
        if self.meeting() is None:
            return []
        return [
            p
            for p in self.seating().unstated()
            if p != self.actor or not self._speaking(self.seat(p))
        ]

    def _unstated_count(self) -> int:
        """How many :meth:`_unstated` names, counted without reading every seat."""
        if self.meeting() is None:
            return 0
        counts = self._counts_of_seats()
        return counts.present - counts.stated - self._speaking(self.seat(self.actor))

    def _present(self) -> int:
        return self._counts_of_seats().present if self.meeting() is not None else 0

    def _seated(self, attendance: str | None, stated: bool = False) -> Collection[str]:
        if self.meeting() is None:
            return []
        return _Seated(self, attendance, stated)

    def _ballot(self) -> Mapping[str, Any] | None:
        ballot: Mapping[str, Any] | None = self.facts.get("ballot")
        return ballot if ballot and "id" in ballot and self._ballots is not None else None

    def _voted(self) -> Collection[str]:
        ballot = self._ballot()
        if ballot is None or self._ballots is None:
            return []
        return _Voted(
            self._ballots,
            gov.ballot_key(ballot, self.facts.get("item")),
            bool(ballot.get("secret")),
        )

    def vote_counts(self) -> dict[str, int]:
        """Votes per choice in the open ballot (or, voted item by item, on the command's ``item``),
        as stored."""
        if self._counts is None:
            ballot = self._ballot()
            self._counts = (
                {}
                if ballot is None or self._ballots is None
                else self._ballots.counts(
                    gov.ballot_key(ballot, self.facts.get("item")), bool(ballot.get("secret"))
                )
            )
        return self._counts

    def _count(self, choice: str) -> int:
        return self.vote_counts().get(choice, 0)


#: how one command's Context derives each fact of collegium.rules.facts.ENGINE_FACTS
_DERIVATIONS: dict[str, Callable[[Context], Any]] = {
    "now": lambda c: c.now,
    "actor": lambda c: c.actor,
    "trigger": lambda c: c.trigger,
    "supplied": lambda c: sorted(c._supplied),
    "state": lambda c: c.state,
    "instance_id": lambda c: c.instance_id,
    "actor_roles": lambda c: c._roles(),
    "actor_role": lambda c: (c._roles() or (None,))[0],
    "eligible_others": lambda c: [p for p in c._seated("present") if p != c.actor],
    "stated": lambda c: c._seated(None, stated=True),
    "ballot_items": lambda c: list((c.facts.get("ballot") or {}).get("items") or ()),
    "itemwise": lambda c: bool((c.facts.get("ballot") or {}).get("items")),
    "ballot_method": lambda c: (c.facts.get("ballot") or {}).get("method"),
    "body_kind": lambda c: (c.meeting() or {}).get("kind") or (b.kind if (b := c.body()) else None),
    "members": lambda c: [m.person for m in b.members] if (b := c.body()) else [],
    "voting_members": lambda c: c._voting_members(),
    "n": lambda c: c._n(),
    "present": lambda c: c._present(),
    "recused": lambda c: c._seated("recused"),
    "eligible_voters": lambda c: c._seated("present"),
    "unstated": lambda c: c._unstated(),
    "unstated_count": lambda c: c._unstated_count(),
    "sitting_state": lambda c: (
        c.state_of(str(sid)) if (sid := (c.facts.get("meeting") or {}).get("sitting_id")) else None
    ),
    "on_agenda": lambda c: bool((c.facts.get("meeting") or {}).get("on_agenda", True)),
    "sittings_count": lambda c: len(c.facts.get("sittings") or ()),
    "consulted": lambda c: list(c.facts.get("consultations") or {}),
    "consulted_count": lambda c: len(c.facts.get("consultations") or {}),
    "voted": lambda c: c._voted(),
    "votes_cast": lambda c: sum(c.vote_counts().values()),
    "agree": lambda c: c._count("agree"),
    "oppose": lambda c: c._count("oppose"),
    "abstain": lambda c: c._count("abstain"),
    "targets_count": lambda c: len(c.facts.get("targets") or {}),
    "progress": lambda c: targets.progress(c.facts.get("targets") or {}),
    "targets_met": lambda c: targets.met(c.facts.get("targets") or {}),
}
#: the derived facts, in the order ENGINE_FACTS lists them (the one list of their names, types and
#: labels): a fact listed there with no derivation here fails on import, not when a rule reads it
_DERIVED: dict[str, Callable[[Context], Any]] = {name: _DERIVATIONS[name] for name in ENGINE_FACTS}
