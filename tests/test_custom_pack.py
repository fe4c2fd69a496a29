"""Another organisation's procedure and rule pack, written as YAML only, run on the same engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from collegium import Body, Engine, ManualClock, Member, Registry, RuleViolation, SequentialIds

EXAMPLES = Path(__file__).parent.parent / "examples" / "board"


@pytest.fixture
def board_engine() -> Engine:
    registry = Registry()
    registry.load_pack(EXAMPLES / "company-board.rules.yaml")
    registry.load_procedure(EXAMPLES / "board_resolution.yaml")
    engine = Engine.in_memory(
        clock=ManualClock(dt.datetime(2026, 5, 4, 10, tzinfo=dt.UTC)),
        ids=SequentialIds(),
        registry=registry,
    )
    directors = [Member(person="chair", role="chair")] + [
        Member(person=f"d{i}", role="director") for i in range(1, 9)
    ]
    engine.define_body(
        Body(
            id="board",
            kind="board",
            members=(*directors, Member(person="cosec", role="secretary", voting=False)),
        )
    )
    return engine


def run(engine: Engine, kind: str, agree: int) -> str:
    iid = engine.start(
        "board_resolution", "cosec", {"title": "Issue shares", "kind": kind, "board": "board"}
    ).instance.id
    with pytest.raises(RuleViolation, match="R-BOARD-NOTICE"):
        engine.fire(iid, "convene", "chair", {"meeting_at": "2026-05-08T10:00Z"})
    engine.fire(iid, "convene", "chair", {"meeting_at": "2026-05-20T10:00Z"})
    engine.fire(
        iid,
        "open",
        "chair",
        {"attendance": {m.person: "present" for m in engine.body("board").members}},
    )
    voters = ["chair", *(f"d{i}" for i in range(1, 9))]
    for i, person in enumerate(voters):
        engine.fire(iid, "vote", person, {"choice": "agree" if i < agree else "oppose"})
    return engine.fire(iid, "close_vote", "chair").instance.state


@pytest.mark.parametrize(
    ("kind", "agree", "state"),
    [
        ("ordinary", 5, "passed"),  # 5 of 9 > 1/2
        ("ordinary", 4, "failed"),
        ("special", 6, "passed"),  # 6 of 9 >= 2/3
        ("special", 5, "failed"),  # a simple majority does not carry a special resolution
    ],
)
def test_board_resolution(board_engine: Engine, kind: str, agree: int, state: str) -> None:
    assert run(board_engine, kind, agree) == state


def test_non_voting_secretary_neither_counts_nor_votes(board_engine: Engine) -> None:
    iid = board_engine.start(
        "board_resolution", "cosec", {"title": "T", "kind": "ordinary", "board": "board"}
    ).instance.id
    board_engine.fire(iid, "convene", "chair", {"meeting_at": "2026-05-20T10:00Z"})
    out = board_engine.fire(
        iid,
        "open",
        "chair",
        {
            "attendance": {
                "chair": "present",
                "d1": "present",
                "d2": "present",
                "d3": "present",
                "d4": "present",
                "cosec": "present",
            }
        },
    )
    quorum = out.verdict.result("R-BOARD-QUORUM")
    assert quorum is not None and quorum.facts == {"present": 5, "n": 9, "needed": 5}
    with pytest.raises(RuleViolation, match="R-BOARD-ROLE"):
        board_engine.fire(iid, "vote", "cosec", {"choice": "agree"})
