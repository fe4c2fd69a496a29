"""Workers that send a long, seeded run of commands against shared instances, for the
multi-process test (tests/test_multiprocess.py) and the SIGKILL test (tests/test_sigkill.py).

The world: one committee; tasks of an adopted decision in progress (progress reports by their lead
member, special promotion meetings, coordination), one more task whose deadline has passed when the
workers start (the first command on it, from whichever worker, fires its review, which opens a
case), matters in individual deliberation (consultations) and matters in an open meeting, every
member's view stated (votes). Every command carries an idempotency key of its own; a few are sent
twice by their worker, and some votes are sent by two workers at once (the same command, or the
same voter's vote as another command).

A worker keeps a journal (JSON lines): ``{"i": n}`` before it sends command ``n``, and the answer
once it has one. Started again after a SIGKILL, it reads its journal and resends, with the same
key, the command it may have been killed in — so a command is answered once in the journal even if
it was sent twice — and goes on. A worker can be told to kill itself at one of the points of a
command where a crash is the most dangerous: right after the instance's UPDATE (its event not yet
inserted), after every statement of the step but before the commit, or after the commit but before
the answer reaches the journal.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from collegium import ConcurrentUpdate, Engine, ManualClock, RuleViolation, SequentialIds
from collegium.store import sqlunit
from tests._vote_worker import BUILTIN

CST = dt.timezone(dt.timedelta(hours=8))
#: when the meetings open: tests.conftest.START + 3 days (that module, which imports pytest, is
#: imported only by the test's own process, not by each worker process started after a kill)
MEETING = dt.datetime(2026, 3, 5, 9, 0, tzinfo=CST)
#: the workers' clock: an hour after the meetings opened, half an hour after the late task's
#: deadline
WORK_AT = (MEETING + dt.timedelta(hours=1)).isoformat()
PRELOAD = [
    "tests._vote_worker",
    "tests._command_worker",
    "collegium.engine.engine",
    "collegium.store.sqlstore",
    "collegium.rules.expression",
    "rule_engine",
    "psycopg",
    "pymysql",
    "sqlalchemy.dialects.postgresql.psycopg",
    "sqlalchemy.dialects.mysql.pymysql",
]
TARGETS = {
    "roads": {"unit": "km", "baseline": 0, "target": 40, "target_kind": "business"},
    "complaints": {"unit": "per month", "baseline": 120, "target": 60, "target_kind": "public"},
}
OPTIONS = ("agree", "oppose", "abstain")
#: a ConcurrentUpdate (the engine's retries ran out) is answered by sending the command again, this
#: many times
CLIENT_RETRIES = 20


class Command(NamedTuple):
    """One request. ``expect``: ``ok``, the id of the one rule that must refuse it, or ``vote``
    (another worker may send the same voter's vote: counted once, the other refused by R-ONE-VOTE
    or replayed)."""

    key: str
    iid: str
    trigger: str
    actor: str
    data: dict[str, Any]
    expect: str


@dataclass(frozen=True)
class World:
    voters: list[str]
    tasks: dict[str, str]  # task -> its lead member
    consulting: list[str]
    ballots: list[str]
    # a task whose deadline passes before the workers start: the first command on it fires its
    # review
    late: str
    late_lead: str


def build_world(
    engine: Engine, clock: ManualClock, *, size: int, tasks: int, consulting: int, ballots: int
) -> World:
    """A committee of ``size``; ``tasks`` tasks in progress, ``consulting`` matters in
    deliberation, ``ballots`` matters in an open meeting with every member present and every view
    stated, the secretary's last. Leaves the clock at the meeting's time."""
    from tests.conftest import START, consult_all, standing_committee, state_views, to_deliberation

    assert START + dt.timedelta(days=3) == MEETING
    engine.define_body(standing_committee(size))
    voters = [m.person for m in engine.body("sc").members]
    in_deliberation = [to_deliberation(engine) for _ in range(consulting)]
    scheduled = []
    for _ in range(ballots + 1):  # the first decides the tasks
        iid = to_deliberation(engine)
        consult_all(engine, iid)
        engine.fire(iid, "schedule", "sec", {"meeting_at": MEETING.isoformat()})
        scheduled.append(iid)
    clock.set(MEETING)
    for iid in scheduled:
        engine.fire(iid, "open_meeting", "sec", {"attendance": dict.fromkeys(voters, "present")})
        state_views(engine, iid)
    decision = scheduled[0]
    for person in voters:
        engine.fire(decision, "vote", person, {"choice": "agree"})
    for trigger, data in (
        ("close_ballot", {}),
        ("publish", {"audience": "public"}),
        ("hand_over", {}),
    ):
        engine.fire(decision, trigger, "sec", data)
    leads: dict[str, str] = {}
    for n in range(tasks + 1):  # the last is late
        lead = f"m{n + 1}"
        deadline = (
            MEETING + dt.timedelta(minutes=30)
            if n == tasks
            else dt.datetime(2026, 12, 31, 18, tzinfo=CST)
        )
        task = engine.fire(
            decision,
            "assign",
            "sec",
            {
                "title": f"task {n}",
                "lead_member": lead,
                "departments": ["transport bureau"],
                "deadline": deadline.isoformat(),
            },
        ).started[0]
        for metric, target in TARGETS.items():
            engine.fire(task, "set_target", lead, {"metric": metric, **target})
        engine.fire(task, "start_work", lead)
        leads[task] = lead
    late = task
    return World(
        voters,
        {t: lead for t, lead in leads.items() if t != late},
        in_deliberation,
        scheduled[1:],
        late,
        leads[late],
    )


def plan(world: World, seed: int, workers: int, per_worker: int) -> list[list[Command]]:
    """Each worker's commands, in order: ``per_worker`` distinct commands, plus resends of some of
    them."""
    rng = random.Random(seed)
    shares: list[list[Command]] = [[] for _ in range(workers)]
    members = world.voters[2:]
    for b, ballot in enumerate(world.ballots):
        for voter in world.voters:
            if not any(len(s) < per_worker for s in shares):
                break
            first = Command(
                f"vote-{b}-{voter}", ballot, "vote", voter, {"choice": rng.choice(OPTIONS)}, "vote"
            )
            w = _worker(rng, shares, per_worker)
            shares[w].append(first)
            if (
                rng.random() < 0.35
                and (rival := _worker(rng, shares, per_worker, not_=w)) is not None
            ):
                # the same voter's vote from another worker: the same command (a retry sent
                # elsewhere) or another
                other = (
                    first
                    if rng.random() < 0.5
                    else first._replace(
                        key=first.key + "-again", data={"choice": rng.choice(OPTIONS)}
                    )
                )
                shares[rival].append(other)
    for w, share in enumerate(shares):
        while len(share) < per_worker:
            share.append(_command(rng, world, members, f"w{w}-{len(share)}"))
        rng.shuffle(share)
        resent: list[Command] = []
        for command in share:
            resent.append(command)
            if rng.random() < 0.04:  # a retried request, sent as soon as the first returned
                resent.append(command)
        resent += rng.sample(share, per_worker // 50)  # retried requests, sent long after
        shares[w] = resent
    return shares


def _worker(
    rng: random.Random, shares: list[list[Command]], per_worker: int, not_: int | None = None
) -> Any:
    free = [w for w, s in enumerate(shares) if len(s) < per_worker and w != not_]
    return rng.choice(free) if free else None


def _command(rng: random.Random, world: World, members: list[str], key: str) -> Command:
    roll = rng.random()
    if (
        roll < 0.05
    ):  # progress on the late task: reported while overdue (its review fires before the first one)
        return Command(
            key,
            world.late,
            "report",
            world.late_lead,
            {"metric": "roads", "value": _decimal(_key_number(key))},
            "ok",
        )
    task = rng.choice(sorted(world.tasks))
    lead = world.tasks[task]
    if roll < 0.30:
        metric = rng.choice(sorted(TARGETS))
        return Command(
            key,
            task,
            "report",
            lead,
            {"metric": metric, "value": _decimal(rng.randint(0, 400))},
            "ok",
        )
    if roll < 0.35:
        other = rng.choice([m for m in world.voters if m != lead])
        return Command(
            key, task, "report", other, {"metric": "roads", "value": "1"}, "R-TASK-REPORTER"
        )
    if roll < 0.50:
        return Command(
            key, task, "promote", rng.choice(members), {"note": f"promotion {key}"}, "ok"
        )
    if roll < 0.60:
        pair = rng.sample(members, 2)
        return Command(
            key, task, "coordinate", pair[0], {"note": f"coordination {key}", "members": pair}, "ok"
        )
    matter = rng.choice(world.consulting)
    view = {"member": rng.choice(world.voters), "view": rng.choice(("agree", "oppose", "reserve"))}
    if roll < 0.90:
        return Command(key, matter, "consult", rng.choice(("sec", "dep")), view, "ok")
    if roll < 0.95:
        # a standing member neither consulting by role nor sponsoring the matter (conftest's
        # MATTER: proposed by sec, led by m1)
        others = [m for m in members if m != "m1"]
        return Command(key, matter, "consult", rng.choice(others), view, "R-CONSULTER")
    return Command(key, matter, "consult", "sec", {**view, "member": "outsider"}, "R-CONSULTEE")


def _key_number(key: str) -> int:
    return int(key.rsplit("-", 1)[1])


def _decimal(tenths: int) -> str:
    """``tenths`` / 10 as the engine keeps a decimal (no trailing zero)."""
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"


# -- the worker process ---------------------------------------------------------------------------
class _Killed:
    """Where this life of the worker kills itself: the first step from the armed command on that
    reaches ``phase``; ``log`` and ``i`` name the journal and the command, which the death is noted
    against."""

    phase: str | None = None
    armed = False
    log: Any = None
    i = -1


def _die(phase: str) -> None:
    if _Killed.armed and _Killed.phase == phase:
        _Killed.log.write(json.dumps({"i": _Killed.i, "killed": phase}) + "\n")
        _Killed.log.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def _arm(phase: str | None) -> None:
    _Killed.phase = phase
    if phase in ("update", "commit"):
        unit = sqlunit.SqlUnit
        run, commit = unit._run, unit.commit

        def _run(self: Any, raw: Any, params: dict[str, Any]) -> Any:
            out = run(self, raw, params)
            if raw is self.sql.update:
                _die("update")  # the instance row is updated; its event is not inserted
            return out

        def _commit(self: Any, write: Any) -> None:
            commit(self, write)
            _die("commit")  # every statement of the step run, the transaction not committed

        unit._run, unit.commit = _run, _commit  # type: ignore[method-assign]


def work(
    url: str,
    commands: list[Command],
    journal: str,
    barrier: Any = None,
    done: Any = None,
    kill: tuple[int, str] | None = None,
    stop: Any = None,
) -> None:
    """Send ``commands`` from where the journal says this worker stopped; answers go to the journal.

    ``kill = (k, phase)``: die at the first step from the ``k``-th command of this life on
    (counting from 1) that reaches ``phase``: ``update``, ``commit``, or ``answered`` (took effect;
    killed before the journal has it). ``done`` (a shared integer, written only by this worker)
    counts the answered commands; ``barrier`` releases the workers together; once ``stop`` (a
    shared flag) is set, the worker sends no new command (it still resends the one it was killed
    in). Both are lock-free: a worker killed holding a lock would hang whoever waits for it."""
    answered, sent, _killed = read_journal(Path(journal))
    start = len(answered)
    drop_torn_tail(Path(journal))  # so that the next line starts a line of its own
    _arm(kill[1] if kill else None)
    engine = Engine.open(
        url,
        clock=ManualClock(dt.datetime.fromisoformat(WORK_AT)),
        ids=SequentialIds(),
        registry=BUILTIN,
    )
    if barrier is not None:
        barrier.wait(timeout=120)
    with Path(journal).open("a", encoding="utf-8") as log:
        _Killed.log = log
        for i in range(start, len(commands)):
            if (
                stop is not None and stop.value and i not in sent
            ):  # one it may have been killed in goes again
                break
            _Killed.i = i
            _Killed.armed = kill is not None and i - start + 1 >= kill[0]
            log.write(json.dumps({"i": i}) + "\n")
            log.flush()  # in the kernel: a SIGKILL does not lose it
            entry = {
                "i": i,
                "key": commands[i].key,
                "resent": i in sent,
                **_send(engine, commands[i]),
            }
            if entry["result"] == "ok":
                _die("answered")
            log.write(json.dumps(entry) + "\n")
            log.flush()
            if done is not None:
                done.value += (
                    1  # no lock: one killed holding it would hang every process that waits for it
                )
    engine.close()


def journal_lines(path: Path) -> list[str]:
    """The complete lines of a journal. Its last line may be torn (a SIGKILL while the worker wrote
    it): without its newline, it is left out; a line torn anywhere else is an error, as it should
    never be."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = text.splitlines()
    if lines and not text.endswith("\n"):
        lines.pop()  # the command it was recording counts as unsent, or as sent and unanswered
    return lines


def drop_torn_tail(path: Path) -> None:
    """Cut a journal's torn last line off (one truncate: a SIGKILL leaves it whole or cut)."""
    data = path.read_bytes() if path.exists() else b""
    if data and not data.endswith(b"\n"):
        os.truncate(path, data.rfind(b"\n") + 1)


def read_journal(path: Path) -> tuple[list[dict[str, Any]], set[int], dict[int, str]]:
    """The answers in a journal, in command order; the commands sent but not answered then (the
    worker was killed meanwhile); and the commands during which the worker killed itself, with the
    point."""
    lines = [json.loads(line) for line in journal_lines(path)]
    answered = [line for line in lines if "result" in line]
    assert [a["i"] for a in answered] == list(range(len(answered))), (
        f"{path}: commands answered out of order"
    )
    killed = {line["i"]: line["killed"] for line in lines if "killed" in line}
    return (
        answered,
        {line["i"] for line in lines if len(line) == 1} - {a["i"] for a in answered},
        killed,
    )


def _send(engine: Engine, c: Command) -> dict[str, Any]:
    conflicts = 0
    while True:
        try:
            out = engine.fire(c.iid, c.trigger, c.actor, c.data, idempotency_key=c.key)
        except RuleViolation as exc:
            return {
                "result": "refused",
                "rules": sorted(r.rule_id for r in exc.verdict.failures),
                "conflicts": conflicts,
            }
        except ConcurrentUpdate:
            conflicts += 1  # the engine gave up after its retries: a client sends the command again
            if conflicts > CLIENT_RETRIES:
                return {"result": "error", "error": traceback.format_exc(), "conflicts": conflicts}
        except Exception:
            return {"result": "error", "error": traceback.format_exc(), "conflicts": conflicts}
        else:
            return {
                "result": "replayed" if out.replayed else "ok",
                "iid": out.event.instance_id,
                "seq": out.event.seq,
                "conflicts": conflicts,
            }
