"""The audit beyond the chains: every stored row that decides an outcome, checked against what the
chains recorded.

The hash-chained events are the source of truth. While :func:`collegium.engine.audit.verify`
recomputes them, :class:`Recorded` notes what they say about the other tables, and :func:`audit`
then compares those tables with it:

- ``collegium_votes``: each named vote's choice, one row per vote event (a vote's event names its
  ballot key);
- ``collegium_ballot_voters``: who returned a ballot in each secret ballot, one row per vote event;
- ``collegium_ballot_counts``: a secret ballot's totals, as the tellers' count recorded them (adding
  up to the ballots returned);
- ``collegium_sealed_votes``: an electronic ballot's sealed choices, one per vote event with the
  digest it recorded, until the count (or the ballot's lapse) deletes them;
- ``collegium_timers``: the timers the step that entered each instance's current state set (its
  effects record lists them), less those that fired or were refused since (their events carry the
  timer's key);
- ``collegium_definitions``: each text's SHA-256, and the SHA-256 each instance's first event
  recorded for it;
- ``collegium_bodies`` and ``collegium_members``: the last definition in each body's own chain
  (:mod:`collegium.store.bodychain`);
- ``collegium_seats``: each meeting's frozen seats and the views stated, against its hashed record
  and events.

Events written in format 1, before they recorded ballot keys, timers and definitions, are checked as
chains only: the rows they decided are not compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from collegium.engine.audit import AuditProblem, AuditReport, digest, verify
from collegium.engine.bodychain import verify_bodies
from collegium.engine.scheduler import timer_key
from collegium.store.protocol import Store
from collegium.store.records import EventRecord, TimerRecord


@dataclass(slots=True)
class _Entry:
    """The event by which an instance entered its current state, the timers it set (None: not
    recorded, format 1), and the timer keys used by events since."""

    seq: int
    state: str
    timers: list[list[Any]] | None
    fired: set[str] = field(default_factory=set)


class Recorded:
    """Passes a stream of events through while noting what they recorded about the other tables."""

    def __init__(self, events: Iterable[EventRecord]) -> None:
        self._events = events
        #: instance -> (seq, actor, view) of each view stated at a meeting
        self.views: dict[str, list[tuple[int, str, str]]] = {}
        #: named ballot key -> voter -> (choice, instance, seq)
        self.named: dict[str, dict[str, tuple[str, str, int]]] = {}
        #: secret ballot key -> voter -> (instance, seq)
        self.secret: dict[str, dict[str, tuple[str, int]]] = {}
        self.entries: dict[str, _Entry] = {}
        #: secret ballot key -> (totals its count recorded, instance, seq)
        self.counted: dict[str, tuple[dict[str, int], str, int]] = {}
        #: electronic ballot key -> digest -> how many of its votes recorded that digest
        self.sealed: dict[str, Counter[str]] = {}
        #: electronic ballot keys whose sealed choices were deleted uncounted
        self.discarded: set[str] = set()
        #: (kind, key) of a definition text -> (SHA-256, the first instance that recorded it)
        self.definitions: dict[tuple[str, str], tuple[str, str]] = {}
        self.conflict: AuditProblem | None = None
        #: (instance, seq) of the events of format 1 that may have opened a meeting and its ballot
        self.legacy_openings: set[tuple[str, int]] = set()

    def __iter__(self) -> Iterator[EventRecord]:
        for e in self._events:
            self._note(e)
            yield e

    def _note(self, e: EventRecord) -> None:
        if e.trigger == "state_view":
            self.views.setdefault(e.instance_id, []).append(
                (e.seq, e.actor, str(e.data.get("view")))
            )
        if e.format_version < 2:
            if e.source is None or e.source != e.dest:
                self.entries[e.instance_id] = _Entry(e.seq, e.dest, None)
            if "attendance" in e.data or "sitting" in e.data:
                self.legacy_openings.add((e.instance_id, e.seq))
            return
        effects = e.effects
        ballot = effects.get("ballot")
        if ballot is not None:
            self._vote(e, str(ballot), bool(effects.get("secret_vote")))
            if "sealed" in effects:
                self.sealed.setdefault(str(ballot), Counter())[str(effects["sealed"])] += 1
        for key, totals in (effects.get("counted") or {}).items():
            self.counted[key] = (dict(totals), e.instance_id, e.seq)
        self.discarded.update(effects.get("discarded") or ())
        if e.source is None or e.source != e.dest:
            self.entries[e.instance_id] = _Entry(e.seq, e.dest, list(effects.get("timers") or ()))
        elif e.idempotency_key is not None and e.idempotency_key.startswith("timer:"):
            entry = self.entries.get(e.instance_id)
            if entry is not None:
                entry.fired.add(e.idempotency_key)
        for kind, key, sha in effects.get("definitions") or ():
            first = self.definitions.setdefault((kind, key), (sha, e.instance_id))
            if first[0] != sha and self.conflict is None:
                self.conflict = AuditProblem(
                    e.instance_id,
                    e.seq,
                    f"records the text of {kind} {key} with another "
                    f"SHA-256 than instance {first[1]} did",
                )

    def _vote(self, e: EventRecord, ballot: str, secret: bool) -> None:
        """Note a vote; a second vote by one member in one ballot is a problem: the row of the first
        was gone."""
        cast: dict[str, Any] = (self.secret if secret else self.named).setdefault(ballot, {})
        if e.actor in cast and self.conflict is None:
            first = cast[e.actor][-1]
            self.conflict = AuditProblem(
                e.instance_id,
                e.seq,
                f"a second vote by {e.actor!r} in this ballot (the "
                f"first: event {first}): the row of the first was deleted before it",
                table="collegium_ballot_voters" if secret else "collegium_votes",
                row=f"ballot_id={ballot!r}, voter={e.actor!r}",
            )
        cast[e.actor] = (
            (e.instance_id, e.seq) if secret else (str(e.data.get("choice")), e.instance_id, e.seq)
        )

    def legacy(self, ballot: str) -> bool:
        """Whether ``ballot`` (a meeting id ``instance/seq``, ``#item`` after it for an item) was
        opened by an event of format 1, whose votes recorded no ballot key: its rows are not
        compared."""
        for at, char in enumerate(ballot):
            if char == "/":
                seq = ballot[at + 1 :].partition("#")[0]
                if seq.isdigit() and (ballot[:at], int(seq)) in self.legacy_openings:
                    return True
        return False


def audit(store: Store, digest_of: Callable[[str], str] = digest) -> AuditReport:
    """Every hash chain recomputed; then every stored row that decides an outcome against what the
    chains say. ``digest_of``: what a vote records of the choice it sealed (the engine's sealer's
    digest)."""
    recorded = Recorded(store.iter_events())
    report = verify(store.iter_instances(), recorded)
    if not report.ok:
        return report
    problem = recorded.conflict
    for check in (_seats, _named_votes, _secret_voters, _counts, _timers, _definitions):
        if problem is None:
            problem = check(store, recorded)
    if problem is None:
        problem = _sealed(store, recorded, digest_of)
    if problem is None:
        problem = verify_bodies(store.body_events(), store.stored_bodies())
    return report if problem is None else AuditReport(report.instances, report.events, problem)


def _seats(store: Store, recorded: Recorded) -> AuditProblem | None:
    """The first meeting whose stored seats differ from the digest its hashed facts recorded when it
    opened, or whose stated views differ from the views its events recorded."""
    from collegium.engine.effects import seats_digest

    with store.unit(write=False) as unit:
        for rec in store.iter_instances():
            meeting = rec.facts.get("meeting") or {}
            if "seats_sha" not in meeting:
                continue
            seats = unit.seats(meeting["id"])
            if seats_digest(seats) != meeting["seats_sha"]:
                return AuditProblem(
                    rec.id,
                    None,
                    f"the seats of meeting {meeting['id']} differ from those "
                    "recorded when it opened",
                    table="collegium_seats",
                    row=f"meeting_id={meeting['id']!r}",
                )
            views = {p: seat[3] for p, seat in seats.items() if seat[3] is not None}
            opened_seq = int(str(meeting["id"]).rsplit("/", 1)[1])  # the step that opened it
            stated = {
                actor: view
                for seq, actor, view in recorded.views.get(rec.id, ())
                if seq > opened_seq
            }
            if views != stated:
                return AuditProblem(
                    rec.id,
                    None,
                    f"the views stated at meeting {meeting['id']} differ from its events",
                    table="collegium_seats",
                    row=f"meeting_id={meeting['id']!r}",
                )
    return None


def _named_votes(store: Store, recorded: Recorded) -> AuditProblem | None:
    expected = {ballot: dict(voters) for ballot, voters in recorded.named.items()}
    for ballot, voter, choice in store.audit_rows("votes"):
        row = f"ballot_id={ballot!r}, voter={voter!r}"
        found = expected.get(ballot, {}).pop(voter, None)
        if found is None and recorded.legacy(ballot):
            continue
        if found is None:
            return AuditProblem(
                None, None, "a vote no event recorded", table="collegium_votes", row=row
            )
        if found[0] != choice:
            return AuditProblem(
                found[1],
                found[2],
                f"the vote was {found[0]!r}; its row says {choice!r}",
                table="collegium_votes",
                row=row,
            )
    return _missing(expected, "collegium_votes", lambda v: (v[1], v[2]))


def _secret_voters(store: Store, recorded: Recorded) -> AuditProblem | None:
    expected = {ballot: dict(voters) for ballot, voters in recorded.secret.items()}
    for ballot, voter in store.audit_rows("ballot_voters"):
        if expected.get(ballot, {}).pop(voter, None) is None and not recorded.legacy(ballot):
            return AuditProblem(
                None,
                None,
                "a secret ballot returned that no vote event recorded",
                table="collegium_ballot_voters",
                row=f"ballot_id={ballot!r}, voter={voter!r}",
            )
    return _missing(expected, "collegium_ballot_voters", lambda v: v)


def _counts(store: Store, recorded: Recorded) -> AuditProblem | None:
    """A secret ballot's totals are its count's, and add up to the ballots its votes recorded as
    returned."""
    stored: dict[str, dict[str, int]] = {}
    for ballot, choice, n in store.audit_rows("ballot_counts"):
        stored.setdefault(ballot, {})[choice] = int(n)
    for ballot, totals in sorted(stored.items()):
        row = f"ballot_id={ballot!r}"
        found = recorded.counted.get(ballot)
        if found is None and recorded.legacy(ballot):
            continue  # running totals of a ballot opened before tellers counted (format 1 events)
        if found is None:
            return AuditProblem(
                None,
                None,
                "totals that no count recorded",
                table="collegium_ballot_counts",
                row=row,
            )
        if totals != found[0]:
            return AuditProblem(
                found[1],
                found[2],
                f"the tellers counted {found[0]}; the rows say {totals}",
                table="collegium_ballot_counts",
                row=row,
            )
    for ballot, (totals, instance, seq) in sorted(recorded.counted.items()):
        if ballot not in stored:
            return AuditProblem(
                instance,
                seq,
                "the totals this count recorded are gone",
                table="collegium_ballot_counts",
                row=f"ballot_id={ballot!r}",
            )
        returned = len(recorded.secret.get(ballot, {}))
        if sum(totals.values()) != returned:
            return AuditProblem(
                instance,
                seq,
                f"this count gives {sum(totals.values())} ballots; its votes "
                f"recorded {returned} returned",
                table="collegium_ballot_counts",
                row=f"ballot_id={ballot!r}",
            )
    return None


def _sealed(
    store: Store, recorded: Recorded, digest_of: Callable[[str], str]
) -> AuditProblem | None:
    """An electronic ballot's sealed choices are its votes' (by the digest each recorded) until its
    count."""
    stored: dict[str, Counter[str]] = {}
    for ballot, sealed in store.audit_rows("sealed_votes"):
        stored.setdefault(ballot, Counter())[digest_of(sealed)] += 1
    for ballot in sorted(stored.keys() | recorded.sealed.keys()):
        row = f"ballot_id={ballot!r}"
        done = ballot in recorded.counted or ballot in recorded.discarded
        if done and ballot in stored:
            return AuditProblem(
                None,
                None,
                "sealed choices remain after the ballot was counted or lapsed",
                table="collegium_sealed_votes",
                row=row,
            )
        if not done and stored.get(ballot, Counter()) != recorded.sealed.get(ballot, Counter()):
            return AuditProblem(
                None,
                None,
                "the sealed choices differ from those its votes recorded: a choice was "
                "added, removed or replaced",
                table="collegium_sealed_votes",
                row=row,
            )
    return None


def _missing(expected: dict[str, dict[str, Any]], table: str, where: Any) -> AuditProblem | None:
    """The first vote an event recorded whose row is gone (a member could then vote again)."""
    for ballot, voters in sorted(expected.items()):
        for voter, found in sorted(voters.items()):
            instance, seq = where(found)
            return AuditProblem(
                instance,
                seq,
                f"this vote by {voter!r} has no row: it was deleted",
                table=table,
                row=f"ballot_id={ballot!r}, voter={voter!r}",
            )
    return None


def _timers(store: Store, recorded: Recorded) -> AuditProblem | None:
    expected: dict[tuple[str, str, int], TimerRecord] = {}
    used: set[str] = set()
    for instance, entry in recorded.entries.items():
        if entry.timers is None:
            continue
        used |= entry.fired
        for trigger, lead, due_at in entry.timers:
            timer = TimerRecord(instance, trigger, entry.state, due_at, entry.seq, lead)
            if timer_key(timer) not in entry.fired:
                expected[(instance, trigger, lead)] = timer
    for instance, trigger, lead, state, due_at, entered in store.audit_rows("timers"):
        row = f"instance_id={instance!r}, trigger={trigger!r}, lead_seconds={lead}"
        current = recorded.entries.get(instance)
        if current is not None and current.timers is None:
            continue  # set by a step of format 1, which did not record its timers
        stored = TimerRecord(instance, trigger, state, due_at, entered, lead)
        want = expected.pop((instance, trigger, lead), None)
        if want is None and timer_key(stored) in used:
            continue  # fired, and its row not yet dropped (the drop follows the commit)
        if want is None:
            return AuditProblem(
                instance if current else None,
                None,
                "a timer no step set",
                table="collegium_timers",
                row=row,
            )
        if want != stored:
            return AuditProblem(
                instance,
                want.entered_seq,
                f"the timer set by this step is due {want.due_at} in "
                f"state {want.state!r}; its row says {due_at} in {state!r} (entry {entered})",
                table="collegium_timers",
                row=row,
            )
    for (instance, trigger, lead), want in sorted(expected.items()):
        return AuditProblem(
            instance,
            want.entered_seq,
            f"the timer {trigger!r} set by this step (due "
            f"{want.due_at}) is gone: it neither fired nor was refused",
            table="collegium_timers",
            row=f"instance_id={instance!r}, trigger={trigger!r}, lead_seconds={lead}",
        )
    return None


def _definitions(store: Store, recorded: Recorded) -> AuditProblem | None:
    expected = dict(recorded.definitions)
    for kind, key, sha, text in store.audit_rows("definitions"):
        row = f"kind={kind!r}, key={key!r}"
        if digest(text) != sha:
            return AuditProblem(
                None,
                None,
                "the text does not match its SHA-256: it was edited",
                table="collegium_definitions",
                row=row,
            )
        first = expected.pop((kind, key), None)
        if first is not None and first[0] != sha:
            return AuditProblem(
                first[1],
                1,
                "the text this instance was started under is not the stored one",
                table="collegium_definitions",
                row=row,
            )
    for (kind, key), (_sha, instance) in sorted(expected.items()):
        return AuditProblem(
            instance,
            1,
            "the text this instance was started under is gone",
            table="collegium_definitions",
            row=f"kind={kind!r}, key={key!r}",
        )
    return None
