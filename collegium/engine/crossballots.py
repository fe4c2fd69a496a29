"""The ballot tables checked against the chains: named votes, who returned a secret ballot, the
tellers' totals and the sealed choices (part of :func:`collegium.engine.crosscheck.audit`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from collegium._catalog import Message
from collegium.engine.audit import AuditProblem
from collegium.engine.recorded import Recorded
from collegium.store.protocol import Store


def named_votes(store: Store, recorded: Recorded) -> AuditProblem | None:
    expected = {ballot: dict(voters) for ballot, voters in recorded.named.items()}
    for ballot, voter, choice in store.audit_rows("votes"):
        row = f"ballot_id={ballot!r}, voter={voter!r}"
        found = expected.get(ballot, {}).pop(voter, None)
        if found is None and recorded.legacy(ballot):
            continue
        if found is None:
            return AuditProblem.of(
                None, None, Message("a vote no event recorded"), table="collegium_votes", row=row
            )
        if found[0] != choice:
            return AuditProblem.of(
                found[1],
                found[2],
                Message("the vote was {was!r}; its row says {now!r}", was=found[0], now=choice),
                table="collegium_votes",
                row=row,
            )
    return missing(expected, "collegium_votes", lambda v: (v[1], v[2]))


def secret_voters(store: Store, recorded: Recorded) -> AuditProblem | None:
    expected = {ballot: dict(voters) for ballot, voters in recorded.secret.items()}
    for ballot, voter in store.audit_rows("ballot_voters"):
        if expected.get(ballot, {}).pop(voter, None) is None and not recorded.legacy(ballot):
            return AuditProblem.of(
                None,
                None,
                Message("a secret ballot returned that no vote event recorded"),
                table="collegium_ballot_voters",
                row=f"ballot_id={ballot!r}, voter={voter!r}",
            )
    return missing(expected, "collegium_ballot_voters", lambda v: v)


def counts(store: Store, recorded: Recorded) -> AuditProblem | None:
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
            return AuditProblem.of(
                None,
                None,
                Message("totals that no count recorded"),
                table="collegium_ballot_counts",
                row=row,
            )
        if totals != found[0]:
            return AuditProblem.of(
                found[1],
                found[2],
                Message(
                    "the tellers counted {counted}; the rows say {totals}",
                    counted=found[0],
                    totals=totals,
                ),
                table="collegium_ballot_counts",
                row=row,
            )
    for ballot, (totals, instance, seq) in sorted(recorded.counted.items()):
        if ballot not in stored:
            return AuditProblem.of(
                instance,
                seq,
                Message("the totals this count recorded are gone"),
                table="collegium_ballot_counts",
                row=f"ballot_id={ballot!r}",
            )
        returned = len(recorded.secret.get(ballot, {}))
        if sum(totals.values()) != returned:
            return AuditProblem.of(
                instance,
                seq,
                Message(
                    "this count gives {count} ballots; its votes recorded {returned} returned",
                    count=sum(totals.values()),
                    returned=returned,
                ),
                table="collegium_ballot_counts",
                row=f"ballot_id={ballot!r}",
            )
    return None


def sealed(
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
            return AuditProblem.of(
                None,
                None,
                Message("sealed choices remain after the ballot was counted or lapsed"),
                table="collegium_sealed_votes",
                row=row,
            )
        if not done and stored.get(ballot, Counter()) != recorded.sealed.get(ballot, Counter()):
            return AuditProblem.of(
                None,
                None,
                Message(
                    "the sealed choices differ from those its votes recorded: a choice was "
                    "added, removed or replaced"
                ),
                table="collegium_sealed_votes",
                row=row,
            )
    return None


def missing(expected: dict[str, dict[str, Any]], table: str, where: Any) -> AuditProblem | None:
    """The first vote an event recorded whose row is gone (a member could then vote again)."""
    for ballot, voters in sorted(expected.items()):
        for voter, found in sorted(voters.items()):
            instance, seq = where(found)
            return AuditProblem.of(
                instance,
                seq,
                Message("this vote by {voter!r} has no row: it was deleted", voter=voter),
                table=table,
                row=f"ballot_id={ballot!r}, voter={voter!r}",
            )
    return None
