"""Secret ballots counted by their tellers: paper ballots whose counts the tellers enter, and
electronic ballots whose sealed choices they open with their secret. What each step accepts, what it
refuses without writing anything, what the store and the events keep, and that no rule can read a
secret choice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from collegium import DefinitionError, Engine, InvalidInput, ManualClock, Registry, RuleViolation
from tests.conftest import (
    TELLERS_KEY,
    consult_all,
    count,
    secret_ballot,
    state_views,
    to_deliberation,
)
from tests.test_ballot import CHOICES, PAPER, meeting

EVERYONE = dict.fromkeys(CHOICES, "present")


def scheduled(engine: Engine, clock: ManualClock, **overrides: object) -> str:
    iid = to_deliberation(engine, **overrides)
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    )
    clock.advance(dt.timedelta(days=2))
    return iid


def unchanged(engine: Engine, iid: str) -> tuple[Any, ...]:
    rows = {
        table: sorted(engine.store.audit_rows(table))
        for table in ("ballot_voters", "sealed_votes", "ballot_counts")
    }
    return engine.get(iid).version, len(engine.history(iid)), rows


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "secret"}, "names its tellers (监票人、计票人), who count it: give 'tellers'"),
        (
            {"method": "secret", "tellers": ["m8", "nobody"]},
            "teller 'nobody' is not present at the meeting",
        ),
        (
            {"method": "secret_electronic", "tellers": ["m8"]},
            "opened with the tellers' public key: give 'ballot_key'",
        ),
        (
            {"method": "secret_electronic", "tellers": ["m8"], "ballot_key": "zz"},
            "64 hexadecimal digits",
        ),
        (
            {"method": "secret", "tellers": ["m8"], "ballot_key": TELLERS_KEY.public},
            "goes with method secret_electronic",
        ),
        ({"method": "named", "tellers": ["m8"]}, "tellers count secret ballots only"),
    ],
)
def test_a_secret_ballot_opens_with_tellers_present_and_its_key(
    engine: Engine, clock: ManualClock, data: dict[str, Any], message: str
) -> None:
    iid = scheduled(engine, clock)
    attendance = {**EVERYONE, "m9": "absent"}
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        engine.fire(iid, "open_meeting", "sec", {"attendance": attendance, **data})
    assert engine.get(iid).state == "scheduled"
    with pytest.raises(InvalidInput, match="teller 'm9' is not present"):  # absent, so not a teller
        engine.fire(
            iid, "open_meeting", "sec", {"attendance": attendance, **secret_ballot("secret")}
        )


def test_a_teller_may_be_a_non_voting_attendee(engine: Engine, clock: ManualClock) -> None:
    iid = scheduled(engine, clock)
    engine.fire(
        iid,
        "open_meeting",
        "sec",
        {
            "attendance": {**EVERYONE, "clerk": "attendee"},
            **secret_ballot("secret", tellers=("clerk",)),
        },
    )
    state_views(engine, iid)  # the members: the clerk attends without a vote or a view
    for person in CHOICES:
        engine.fire(iid, "vote", person)
    with pytest.raises(RuleViolation, match="R-ROLE"):  # a member, but not the teller named
        count(engine, iid, PAPER, teller="m8")
    count(engine, iid, PAPER, teller="clerk")
    assert engine.ballot(iid).counted


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"agree": 7, "oppose": 2, "abstain": 1}, "add up to 10 ballots; 11 were returned"),
        ({"agree": 7, "oppose": 2, "abstain": 3}, "add up to 12 ballots; 11 were returned"),
        (
            {"agree": 7, "oppose": 2, "maybe": 2},
            "counts name 'maybe', not an option of this ballot",
        ),
        ({"agree": 7, "oppose": 2, "abstain": -2, "invalid": 4}, "a whole number from 0"),
        ({"agree": True}, "must be a whole number"),
        ({"agree": "7"}, "must be a whole number"),
        ({"Zhang": {"agree": 11}}, "counts name 'Zhang'"),
    ],
)
def test_the_tellers_counts_must_add_up_to_the_ballots_returned(
    engine: Engine, clock: ManualClock, counts: dict[str, Any], message: str
) -> None:
    iid = meeting(engine, clock, "secret")
    before = unchanged(engine, iid)
    with pytest.raises(InvalidInput, match=message):
        count(engine, iid, counts)
    assert unchanged(engine, iid) == before
    count(engine, iid, {**PAPER, "blank": 0})
    with pytest.raises(InvalidInput, match="this ballot was counted already"):
        count(engine, iid, PAPER)


def test_a_list_is_counted_item_by_item(engine: Engine, clock: ManualClock) -> None:
    iid = scheduled(engine, clock, category="personnel", candidates=["Zhang", "Li"])
    engine.fire(iid, "open_meeting", "sec", {"attendance": EVERYONE, **secret_ballot("secret")})
    state_views(engine, iid)
    for person in CHOICES:
        engine.fire(iid, "vote", person, {"item": "Zhang"})
    for person in list(CHOICES)[:9]:
        engine.fire(iid, "vote", person, {"item": "Li"})
    with pytest.raises(InvalidInput, match="given per item: Zhang, Li"):
        count(engine, iid, {"agree": 11})
    with pytest.raises(InvalidInput, match="for 'Li' add up to 10 ballots; 9 were returned"):
        count(engine, iid, {"Zhang": {"agree": 8, "disagree": 3}, "Li": {"agree": 5, "defer": 5}})
    count(
        engine,
        iid,
        {"Zhang": {"agree": 8, "disagree": 3}, "Li": {"agree": 5, "defer": 3, "invalid": 1}},
    )
    result = engine.fire(iid, "close_ballot", "sec").instance.facts["ballot"]["result"]
    assert result["items"]["Zhang"]["passed"] and not result["items"]["Li"]["passed"]
    assert (result["items"]["Li"]["returned"], result["items"]["Li"]["invalid"]) == (9, 1)


def test_the_tellers_secret_is_kept_nowhere(sql_engine: Engine, clock: ManualClock) -> None:
    iid = meeting(sql_engine, clock, "secret_electronic")
    before = unchanged(sql_engine, iid)
    with pytest.raises(InvalidInput, match="does not belong to this ballot's key"):
        sql_engine.fire(iid, "count_ballots", "m8", {"teller_secret": "A" * 52})
    with pytest.raises(InvalidInput, match="with the tellers' secret"):
        sql_engine.fire(iid, "count_ballots", "m8")
    with pytest.raises(InvalidInput, match="not from counts given"):
        sql_engine.fire(iid, "count_ballots", "m8", {"counts": PAPER})
    assert unchanged(sql_engine, iid) == before
    out = sql_engine.fire(
        iid, "count_ballots", "m8", {"teller_secret": TELLERS_KEY.secret}, idempotency_key="count-1"
    )
    assert out.event.data == {} and out.event.effects["counted"] == {
        sql_engine.ballot(iid).id: PAPER
    }
    again = sql_engine.fire(
        iid, "count_ballots", "m8", {"teller_secret": TELLERS_KEY.secret}, idempotency_key="count-1"
    )
    assert again.replayed and again.event == out.event
    words = TELLERS_KEY.secret.replace("-", "")
    for entry in sql_engine.outbox.pending(1000):
        assert words not in repr(entry.event) and TELLERS_KEY.secret not in repr(entry.event)
    assert list(sql_engine.store.audit_rows("sealed_votes")) == []
    assert sql_engine.verify_audit().ok


def test_sealed_choices_of_a_lapsed_ballot_are_deleted(
    sql_engine: Engine, clock: ManualClock
) -> None:
    iid = meeting(sql_engine, clock, "secret_electronic")
    assert len(list(sql_engine.store.audit_rows("sealed_votes"))) == len(CHOICES)
    out = sql_engine.fire(iid, "defer", "sec", {"defer_reason": "views_diverge"})
    assert out.event.effects["discarded"] == [sql_engine.ballot(iid).id]
    assert list(sql_engine.store.audit_rows("sealed_votes")) == []
    assert sql_engine.ballot(iid).lapsed and sql_engine.verify_audit().ok


def test_no_vote_after_the_count_and_no_close_before_it(engine: Engine, clock: ManualClock) -> None:
    iid = scheduled(engine, clock)
    engine.fire(iid, "open_meeting", "sec", {"attendance": EVERYONE, **secret_ballot()})
    state_views(engine, iid)
    engine.fire(iid, "vote", "m1", {"choice": "agree"})
    with pytest.raises(InvalidInput, match="count_ballots comes before close_ballot"):
        engine.fire(iid, "close_ballot", "sec")
    with pytest.raises(InvalidInput, match="'vote' needs 'choice'"):
        engine.fire(iid, "vote", "m2")
    count(engine, iid)
    with pytest.raises(InvalidInput, match="the tellers have counted this ballot: no more votes"):
        engine.fire(iid, "vote", "m2", {"choice": "agree"})
    named = scheduled(engine, clock)
    engine.fire(named, "open_meeting", "sec", {"attendance": EVERYONE})
    with pytest.raises(InvalidInput, match="only a secret ballot is counted by tellers"):
        engine.fire(named, "count_ballots", "m8", {"counts": {"agree": 0}})


def test_a_procedure_without_a_count_cannot_hold_a_secret_ballot(
    engine: Engine, clock: ManualClock
) -> None:
    """Version 1 of the major decision (ballot fragment 1, no count step) stays for the matters
    proposed under it; such a matter can no longer hold a secret ballot, whose votes would have to
    keep running totals."""
    iid = engine.start(
        "major_decision",
        "sec",
        {
            "title": "T",
            "category": "major",
            "proposer": "sec",
            "lead_member": "m1",
            "body": "sc",
            "confidentiality": "public",
        },
        version=1,
        pack_version="2026.1",
    ).instance.id
    engine.fire(iid, "prepare", "m1")
    engine.fire(iid, "start_deliberation", "m1", {"preparation": "done"})
    consult_all(engine, iid)
    engine.fire(
        iid, "schedule", "sec", {"meeting_at": (clock.now() + dt.timedelta(days=2)).isoformat()}
    )
    clock.advance(dt.timedelta(days=2))
    with pytest.raises(InvalidInput, match="needs a step that counts the ballot"):
        engine.fire(iid, "open_meeting", "sec", {"attendance": EVERYONE, **secret_ballot("secret")})
    engine.fire(iid, "open_meeting", "sec", {"attendance": EVERYONE, "method": "named"})


RULE_ON_CHOICE = """
  - id: R-NO-ABSTAIN
    title: {en: Abstaining is discouraged, zh-CN: 不提倡弃权}
    citation: test
    severity: warn
    guards: [{procedure: major_decision, triggers: [vote]}]
    check: {kind: expression, expr: "choice != 'abstain'"}
"""
RULE_ON_SECRET = """
  - id: R-SECRET-SHAPE
    title: {en: The secret is long, zh-CN: 密钥足够长}
    citation: test
    guards: [{procedure: major_decision, triggers: [count_ballots]}]
    check: {kind: expression, expr: "teller_secret != ''"}
"""


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            RULE_ON_CHOICE,
            "rule R-NO-ABSTAIN reads 'choice' on 'vote': no rule may read a vote's choice",
        ),
        (
            RULE_ON_SECRET,
            "rule R-SECRET-SHAPE reads 'teller_secret' on 'count_ballots': no rule may read the "
            "tellers'",
        ),
    ],
)
def test_a_pack_whose_rule_reads_a_secret_is_refused_at_load(rule: str, message: str) -> None:
    builtin = Registry.builtin()
    text = builtin.definitions[f"pack:{builtin.pack('party-committee').key}"].text
    registry = Registry.builtin()
    registry.add_pack_text(text.replace('version: "2026.10"', 'version: "2027.1"') + rule)
    with pytest.raises(DefinitionError, match=message.replace("(", r"\(")):
        registry.compiled("major_decision")


def test_the_stored_verdict_of_a_secret_vote_reads_no_choice(
    engine: Engine, clock: ManualClock
) -> None:
    iid = meeting(engine, clock, "secret_electronic")
    for event in engine.history(iid):
        if event.trigger == "vote":
            assert event.data == {} and "choice" not in repr(event.verdict)
            assert not {"agree", "oppose", "abstain"} & set(repr(event.verdict).split("'"))


def test_a_choice_sealed_to_another_key_does_not_open() -> None:
    """A sealed choice that passes the digest check but was not sealed to this ballot's key does not
    count."""
    from collegium.engine.sealing import SodiumSealer, TellerKey

    other = TellerKey.generate()
    with pytest.raises(InvalidInput, match="does not open with the tellers' secret"):
        SodiumSealer().open(
            TELLERS_KEY.secret, TELLERS_KEY.public, [SodiumSealer().seal(other.public, "agree")]
        )
    sealed = [
        SodiumSealer().seal(TELLERS_KEY.public, choice) for choice in ("agree", "oppose", "agree")
    ]
    assert (
        len({len(s) for s in sealed}) == 1 and len(set(sealed)) == 3
    )  # one length; fresh randomness each
    assert SodiumSealer().open(TELLERS_KEY.secret, TELLERS_KEY.public, sealed) == [
        "agree",
        "oppose",
        "agree",
    ]


def test_a_teller_key_reads_back_from_its_secret() -> None:
    from collegium import TellerKey

    key = TellerKey.generate()
    assert TellerKey.from_secret(key.secret) == key
    assert TellerKey.from_secret(key.secret.lower().replace("-", " ")) == key
    with pytest.raises(InvalidInput, match="52 letters and digits"):
        TellerKey.from_secret("not a secret")
