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
  (:mod:`collegium.engine.bodychain`);
- ``collegium_seats``: each meeting's frozen seats and the views stated, against its hashed record
  and events.

Events written in format 1, before they recorded ballot keys, timers and definitions, are checked as
chains only: the rows they decided are not compared.
"""

from __future__ import annotations

from collections.abc import Callable

from collegium._catalog import Message
from collegium.engine import crossballots
from collegium.engine.audit import AuditProblem, AuditReport, digest, verify
from collegium.engine.bodychain import verify_bodies
from collegium.engine.recorded import Recorded
from collegium.engine.timers import timer_key
from collegium.store.protocol import Store
from collegium.store.records import TimerRecord


def audit(store: Store, digest_of: Callable[[str], str] = digest) -> AuditReport:
    """Every hash chain recomputed; then every stored row that decides an outcome against what the
    chains say. ``digest_of``: what a vote records of the choice it sealed (the engine's sealer's
    digest)."""
    recorded = Recorded(store.iter_events())
    report = verify(store.iter_instances(), recorded)
    if not report.ok:
        return report
    problem = recorded.conflict
    checks = (
        _seats,
        crossballots.named_votes,
        crossballots.secret_voters,
        crossballots.counts,
        _timers,
        _definitions,
    )
    for check in checks:
        if problem is None:
            problem = check(store, recorded)
    if problem is None:
        problem = crossballots.sealed(store, recorded, digest_of)
    if problem is None:
        problem = verify_bodies(store.body_events(), store.stored_bodies())
    return report if problem is None else AuditReport(report.instances, report.events, problem)


def _seats(store: Store, recorded: Recorded) -> AuditProblem | None:
    """The first meeting whose stored seats differ from the digest its hashed facts recorded when it
    opened, or whose stated views differ from the views its events recorded."""
    from collegium.engine.staging import seats_digest

    with store.unit(write=False) as unit:
        for rec in store.iter_instances():
            meeting = rec.facts.get("meeting") or {}
            if "seats_sha" not in meeting:
                continue
            seats = unit.seats(meeting["id"])
            if seats_digest(seats) != meeting["seats_sha"]:
                return AuditProblem.of(
                    rec.id,
                    None,
                    Message(
                        "the seats of meeting {meeting} differ from those recorded when it opened",
                        meeting=meeting["id"],
                    ),
                    table="collegium_seats",
                    row=f"meeting_id={meeting['id']!r}",
                )
            views = {p: seat.view for p, seat in seats.items() if seat.view is not None}
            opened_seq = int(str(meeting["id"]).rsplit("/", 1)[1])  # the step that opened it
            stated = {
                actor: view
                for seq, actor, view in recorded.views.get(rec.id, ())
                if seq > opened_seq
            }
            if views != stated:
                return AuditProblem.of(
                    rec.id,
                    None,
                    Message(
                        "the views stated at meeting {meeting} differ from its events",
                        meeting=meeting["id"],
                    ),
                    table="collegium_seats",
                    row=f"meeting_id={meeting['id']!r}",
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
            timer = TimerRecord(
                instance_id=instance,
                trigger=trigger,
                state=entry.state,
                due_at=due_at,
                entered_seq=entry.seq,
                lead=lead,
            )
            if timer_key(timer) not in entry.fired:
                expected[(instance, trigger, lead)] = timer
    for instance, trigger, lead, state, due_at, entered in store.audit_rows("timers"):
        row = f"instance_id={instance!r}, trigger={trigger!r}, lead_seconds={lead}"
        current = recorded.entries.get(instance)
        if current is not None and current.timers is None:
            continue  # set by a step of format 1, which did not record its timers
        stored = TimerRecord(
            instance_id=instance,
            trigger=trigger,
            state=state,
            due_at=due_at,
            entered_seq=entered,
            lead=lead,
        )
        want = expected.pop((instance, trigger, lead), None)
        if want is None and timer_key(stored) in used:
            continue  # fired, and its row not yet dropped (the drop follows the commit)
        if want is None:
            return AuditProblem.of(
                instance if current else None,
                None,
                Message("a timer no step set"),
                table="collegium_timers",
                row=row,
            )
        if want != stored:
            return AuditProblem.of(
                instance,
                want.entered_seq,
                Message(
                    "the timer set by this step is due {due} in state {state!r}; its row says "
                    "{row_due} in {row_state!r} (entry {entered})",
                    due=want.due_at,
                    state=want.state,
                    row_due=due_at,
                    row_state=state,
                    entered=entered,
                ),
                table="collegium_timers",
                row=row,
            )
    for (instance, trigger, lead), want in sorted(expected.items()):
        return AuditProblem.of(
            instance,
            want.entered_seq,
            Message(
                "the timer {trigger!r} set by this step (due {due}) is gone: it neither fired "
                "nor was refused",
                trigger=trigger,
                due=want.due_at,
            ),
            table="collegium_timers",
            row=f"instance_id={instance!r}, trigger={trigger!r}, lead_seconds={lead}",
        )
    return None


def _definitions(store: Store, recorded: Recorded) -> AuditProblem | None:
    expected = dict(recorded.definitions)
    for kind, key, sha, text in store.audit_rows("definitions"):
        row = f"kind={kind!r}, key={key!r}"
        if digest(text) != sha:
            return AuditProblem.of(
                None,
                None,
                Message("the text does not match its SHA-256: it was edited"),
                table="collegium_definitions",
                row=row,
            )
        first = expected.pop((kind, key), None)
        if first is not None and first[0] != sha:
            return AuditProblem.of(
                first[1],
                1,
                Message("the text this instance was started under is not the stored one"),
                table="collegium_definitions",
                row=row,
            )
    for (kind, key), (_sha, instance) in sorted(expected.items()):
        return AuditProblem.of(
            instance,
            1,
            Message("the text this instance was started under is gone"),
            table="collegium_definitions",
            row=f"kind={kind!r}, key={key!r}",
        )
    return None
