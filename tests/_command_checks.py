"""What a run of tests/_command_worker.py must leave: every command answered and accounted for,
each effect once, unforked chains that verify, and a store equal to the replay of its events."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from collegium import Engine
from collegium.engine.context import SYSTEM_ACTOR
from collegium.engine.rejudge import rejudge
from tests._command_worker import Command, World

PACK = (
    Path(__file__).parent.parent / "collegium" / "rules" / "packs" / "party-committee.yaml"
).read_text(encoding="utf-8")


def check_answers(shares: list[list[Command]], answers: list[list[dict[str, Any]]]) -> Counter[str]:
    """Every command was answered once, as it should be; the answers counted by result."""
    results: Counter[str] = Counter()
    for share, got in zip(shares, answers, strict=True):
        assert [a["i"] for a in got] == list(range(len(share))), "a command was never answered"
        for command, a in zip(share, got, strict=True):
            assert a["key"] == command.key
            assert a["result"] != "error", a["error"]
            results[a["result"]] += 1
            if command.expect == "ok":
                assert a["result"] in ("ok", "replayed"), (command, a)
            elif command.expect == "vote":
                assert a["result"] in ("ok", "replayed") or a["rules"] == ["R-ONE-VOTE"], (
                    command,
                    a,
                )
            else:
                assert (a["result"], a.get("rules")) == ("refused", [command.expect]), (command, a)
    return results


def check_store(
    engine: Engine,
    world: World,
    shares: list[list[Command]],
    answers: list[list[dict[str, Any]]],
    before: dict[str, int],
) -> dict[str, int]:
    """The store holds exactly one event per command that took effect, and nothing else; figures of
    the run."""
    commands = {c.key: c for share in shares for c in share}
    took: dict[str, tuple[str, int]] = {}  # key -> (instance, seq) of the event it wrote
    for got in answers:
        for a in got:
            if a["result"] == "ok":
                assert a["key"] not in took, f"two commands with key {a['key']} took effect"
                took[a["key"]] = (a["iid"], a["seq"])
    replays = [a for got in answers for a in got if a["result"] == "replayed"]
    for a in (
        replays
    ):  # a command killed after its commit, before its answer was kept: resent, it was replayed
        if a["key"] not in took and a["resent"]:
            took[a["key"]] = (a["iid"], a["seq"])
    for a in replays:  # a resend answers with the event the first one wrote
        assert took.get(a["key"]) == (a["iid"], a["seq"]), a
    written: dict[str, tuple[str, int]] = {}
    events = 0
    engine_steps: list[Any] = []  # the late task's review and the case it opened
    for inst in engine.instances():
        history = engine.history(inst.id)
        assert [e.seq for e in history] == list(range(1, inst.event_count + 1)), inst.id
        assert len({e.prev_hash for e in history}) == len(history), (
            f"{inst.id}: two events claim one predecessor"
        )
        events += len(history)
        if inst.id not in before:
            assert (inst.procedure, inst.parent_id, len(history)) == (
                "accountability",
                world.late,
                1,
            ), inst
            engine_steps.append(history[0])
            continue
        for e in history[before[inst.id] :]:
            if e.actor == SYSTEM_ACTOR:
                engine_steps.append(e)
                continue
            assert e.idempotency_key is not None and e.idempotency_key not in written, e
            c = commands[e.idempotency_key]
            assert (e.instance_id, e.trigger, e.actor, e.data) == (
                c.iid,
                c.trigger,
                c.actor,
                c.data,
            ), e
            written[e.idempotency_key] = (e.instance_id, e.seq)
        _check_effects(engine, world, inst.id, history[before[inst.id] :])
    # the late task was reviewed once, by the first command on it whichever worker sent it, and
    # opened one case
    review, case = sorted(engine_steps, key=lambda e: e.trigger != "review")
    assert (review.instance_id, review.trigger, review.dest, review.effects["started"]) == (
        world.late,
        "review",
        "overdue",
        [case.instance_id],
    ), review
    assert engine.get(world.late).state == "overdue"
    lost = sorted(set(took) - set(written))
    assert lost == [], f"commands answered ok whose events are missing: {lost[:10]}"
    unanswered = sorted(set(written) - set(took))
    assert unanswered == [], f"events of commands never answered ok: {unanswered[:10]}"
    assert written == took
    report = engine.verify_audit()
    assert report.ok, report
    replayed = rejudge(engine.store, PACK)
    assert replayed.diverged == {} and replayed.changed == (), replayed.diverged
    assert replayed.steps == events
    return {"instances": len(before), "events": events, "took_effect": len(took)}


def _check_effects(engine: Engine, world: World, iid: str, events: list[Any]) -> None:
    """Each effect once: the task logs hold one entry per step that logs, a ballot one vote per vote
    event."""
    facts = engine.get(iid).facts
    if iid == world.late:
        reports = [e for e in events if e.trigger == "report"]
        assert facts["targets"]["roads"].get("measured") == (
            reports[-1].data["value"] if reports else None
        )
    if iid in world.tasks:
        logs = facts.get("log") or {}
        for trigger, log in (("promote", "promotion_meetings"), ("coordinate", "coordination")):
            notes = [e.data["note"] for e in events if e.trigger == trigger]
            assert [entry["note"] for entry in logs.get(log, [])] == notes, (iid, trigger)
        reports = [e for e in events if e.trigger == "report"]
        for metric, target in facts["targets"].items():
            last = [e for e in reports if e.data["metric"] == metric][-1:]
            assert target.get("measured") == (last[0].data["value"] if last else None), (
                iid,
                metric,
            )
    elif iid in world.ballots:
        votes = [e for e in events if e.trigger == "vote"]
        cast = {e.actor: e.data["choice"] for e in votes}
        assert len(cast) == len(votes), f"{iid}: a member voted twice"
        assert dict(engine.ballot(iid).choices) == cast, iid
    elif iid in world.consulting:
        consults = {e.data["member"]: e.data["view"] for e in events if e.trigger == "consult"}
        got = {m: entry["view"] for m, entry in (facts.get("consultations") or {}).items()}
        assert got == consults, iid
