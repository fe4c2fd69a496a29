"""The seats one command is judged on: the governing meeting's frozen membership, each member's
attendance and stated view.

A meeting of its own (``open_meeting`` with an attendance) keeps its attendance from the moment it
opens. A matter taken up at a sitting (a ``meeting`` instance in session) keeps its own recusals
and views, but reads every other member's attendance from the sitting as it stands when the command
is judged: a member who has left no longer votes and no longer counts toward the quorum, and one
who has arrived does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from collegium.errors import NotFound
from collegium.store.protocol import Seat, SeatCounts, seat_counts
from collegium.store.records import InstanceRecord


class SeatReader(Protocol):
    """What the seats are read from: the unit of work the command runs in."""

    def load(self, instance_id: str) -> InstanceRecord: ...

    def seat(self, meeting_id: str, person: str) -> Seat | None: ...

    def seats(self, meeting_id: str) -> dict[str, Seat]: ...

    def seat_counts(self, meeting_id: str) -> SeatCounts: ...


def counted_seats(seats: Mapping[str, Seat]) -> dict[str, int]:
    """The counts a meeting's record keeps of its frozen seats when it opens."""
    counts = seat_counts(seats.values())
    return {"voting": counts.voting, "recused": counts.recused, "present": counts.present}


_NONE = SeatCounts(voting=0, recused=0, present=0)


class Seating:
    """The seats of one meeting for one command, each read at most once.

    ``staged``: the seats of a meeting the command itself opens (not stored yet). Otherwise the
    seats come from ``reader``: one seat by a point query (so "may this member vote" reads no list
    of thousands), all of them only when a rule iterates them.
    """

    __slots__ = ("_counts", "_meeting", "_one", "_reader", "_seats", "_sitting", "_staged")

    def __init__(
        self,
        meeting: Mapping[str, Any] | None,
        staged: Mapping[str, Seat] | None,
        reader: SeatReader | None,
    ) -> None:
        self._meeting = meeting
        self._staged = staged
        self._reader = reader
        self._seats: Mapping[str, Seat] | None = staged
        self._one: dict[str, Seat | None] = {}
        self._counts: SeatCounts | None = None
        self._sitting: str | bool | None = False  # False: not looked up yet

    def _sitting_meeting(self) -> str | None:
        """The id of the sitting's meeting whose attendance this matter reads, if any."""
        if self._sitting is False:
            self._sitting = None
            sitting_id = (self._meeting or {}).get("sitting_id")
            if sitting_id and self._staged is None and self._reader is not None:
                try:
                    record = self._reader.load(str(sitting_id))
                except NotFound:
                    record = None
                meeting = (record.facts.get("meeting") or {}) if record else {}
                self._sitting = str(meeting["id"]) if "id" in meeting else None
        return self._sitting if isinstance(self._sitting, str) else None

    @staticmethod
    def _live(own: Seat, live: Seat | None) -> Seat:
        """A matter's seat with the sitting's attendance now; a recusal stays the matter's."""
        if own.attendance == "recused":
            return own
        return own._replace(attendance=live.attendance if live is not None else "absent")

    def seat(self, person: str) -> Seat | None:
        """One member's seat, or None for someone with no seat at the meeting."""
        if self._seats is not None:
            return self._seats.get(person)
        if self._meeting is None or self._reader is None:
            return None
        if person not in self._one:
            own = self._reader.seat(str(self._meeting["id"]), person)
            sitting = self._sitting_meeting()
            if own is not None and sitting is not None:
                own = self._live(own, self._reader.seat(sitting, person))
            self._one[person] = own
        return self._one[person]

    def seats(self) -> Mapping[str, Seat]:
        """Every seat, in the body's order."""
        if self._seats is None:
            if self._meeting is None or self._reader is None:
                self._seats = {}
            else:
                own = self._reader.seats(str(self._meeting["id"]))
                sitting = self._sitting_meeting()
                if sitting is not None:
                    live = self._reader.seats(sitting)
                    own = {p: self._live(seat, live.get(p)) for p, seat in own.items()}
                self._seats = own
        return self._seats

    def counts(self) -> SeatCounts:
        """The voting seats counted: from the seats when they are in memory or attendance is
        live, else from the counts the meeting's record keeps (a view stated adds to them), else
        by the store."""
        if self._counts is None:
            meeting = self._meeting
            if meeting is None or (self._seats is None and self._reader is None):
                self._counts = _NONE
            elif self._seats is not None or self._sitting_meeting() is not None:
                self._counts = seat_counts(self.seats().values())
            elif "seated" in meeting:
                self._counts = SeatCounts(**meeting["seated"], stated=meeting.get("stated", 0))
            else:
                assert self._reader is not None
                self._counts = self._reader.seat_counts(str(meeting["id"]))
        return self._counts

    def unstated(self) -> Iterator[str]:
        """Present voting members who have not stated a view, in the body's order."""
        for person, seat in self.seats().items():
            if seat.voting and seat.attendance == "present" and seat.view is None:
                yield person
