"""A seeded generator of realistic workloads, written as a scenario
(``collegium simulate --generate``).

N standing committees each take up M matters a month: proposal, preparation, individual deliberation
with every member, a meeting some members miss (and, now and then, one recuses), a ballot that
usually passes but not always; an adopted decision is published and carried out through a task with
a measurable target, which about one time in three is missed, and the engine's review at its
deadline opens a case (when the run gets there). The randomness is a ``Random`` instance seeded by
the caller, never the module's shared one, so the same seed gives the same scenario, byte for byte,
and the same run.
"""

from __future__ import annotations

import datetime as dt
from random import Random
from typing import Any

import yaml

from collegium._words import word
from collegium.errors import InvalidInput

CST = dt.timezone(dt.timedelta(hours=8))
#: Most matters a generated workload holds (bodies × matters a month × months): about 400 YAML nodes
#: each, so the scenario stays within what a scenario file may hold
#: (``collegium._loader.MAX_NODES``), and is refused before it is generated, not after hundreds of
#: megabytes.
MAX_MATTERS = 150
DEPARTMENTS = (
    "transport bureau",
    "finance bureau",
    "education bureau",
    "health commission",
    "agriculture bureau",
)


def _body(rng: Random, k: int) -> dict[str, Any]:
    size = rng.randint(7, 11)
    members = [
        {"person": f"b{k}sec", "role": "secretary"},
        {"person": f"b{k}dep", "role": "deputy_secretary"},
    ]
    members += [{"person": f"b{k}m{i}", "role": "standing_member"} for i in range(1, size - 1)]
    return {"id": f"sc{k}", "kind": "standing", "members": members}


def _matter(
    rng: Random, body: dict[str, Any], name: str, day: dt.datetime
) -> list[tuple[dt.datetime, dict[str, Any]]]:
    """The timed steps of one matter, from its proposal to its task's deadline."""
    people = [m["person"] for m in body["members"]]
    sec, lead = people[0], rng.choice(people[2:])
    at = day
    out: list[tuple[dt.datetime, dict[str, Any]]] = []

    def step(hours: float, **fields: Any) -> None:
        nonlocal at
        at = at + dt.timedelta(hours=hours)
        out.append((at, fields))

    step(
        0,
        start="major_decision",
        **{"as": sec},
        id=name,
        data={
            "title": f"Matter {name}",
            "category": "major",
            "proposer": sec,
            "lead_member": lead,
            "body": body["id"],
            "confidentiality": "public",
        },
    )
    step(2, fire="prepare", instance=name, **{"as": lead})
    step(
        24,
        fire="start_deliberation",
        instance=name,
        **{"as": lead},
        data={"preparation": "research done"},
    )
    for person in people:
        step(
            1,
            fire="consult",
            instance=name,
            **{"as": sec},
            data={"member": person, "view": rng.choice(["agree"] * 4 + ["reserve"])},
        )
    meeting = at + dt.timedelta(days=3)
    step(1, fire="schedule", instance=name, **{"as": sec}, data={"meeting_at": meeting.isoformat()})
    at = meeting
    absent = set(rng.sample(people[2:], rng.randint(0, 2)))
    recused = (
        {rng.choice([p for p in people[2:] if p not in absent])} if rng.random() < 0.2 else set()
    )
    attendance = {
        p: "recused" if p in recused else "absent" if p in absent else "present" for p in people
    }
    step(0, fire="open_meeting", instance=name, **{"as": sec}, data={"attendance": attendance})
    support = rng.choice([0.9, 0.8, 0.7, 0.4])
    # the secretary states a view and votes last
    voters = [*(p for p in people[1:] if attendance[p] == "present"), sec]
    choices = [
        "agree" if rng.random() < support else rng.choice(["oppose", "abstain"]) for _ in voters
    ]
    for person, choice in zip(voters, choices, strict=True):  # views first, the secretary's last
        view = "reserve" if choice == "abstain" else choice
        step(0.03, fire="state_view", instance=name, **{"as": person}, data={"view": view})
    agree = 0
    for person, choice in zip(voters, choices, strict=True):
        agree += choice == "agree"
        step(0.05, vote=choice, instance=name, **{"as": person})
    step(0.1, fire="close_ballot", instance=name, **{"as": sec})
    if 2 * agree <= len(people) - len(
        recused
    ):  # not adopted (agree > n/2 of those who should attend)
        return out
    step(24, fire="publish", instance=name, **{"as": sec}, data={"audience": "public"})
    step(1, fire="hand_over", instance=name, **{"as": sec})
    deadline = at + dt.timedelta(days=rng.randint(60, 150))
    task = f"{name}-task"
    step(
        1,
        fire="assign",
        instance=name,
        **{"as": sec},
        id=task,
        data={
            "title": f"Task of {name}",
            "lead_member": lead,
            "departments": [rng.choice(DEPARTMENTS)],
            "deadline": deadline.isoformat(),
        },
    )
    step(1, fire="start_execution", instance=name, **{"as": sec})
    goal = rng.choice([10, 40, 120])
    step(
        1,
        fire="set_target",
        instance=task,
        **{"as": lead},
        data={
            "metric": "output",
            "unit": "units",
            "baseline": 0,
            "target": goal,
            "target_kind": "business",
        },
    )
    step(1, fire="start_work", instance=task, **{"as": lead})
    reached = goal if rng.random() < 0.7 else rng.randint(0, goal - 1)  # some tasks are late
    step(
        24 * 30,
        fire="report",
        instance=task,
        **{"as": lead},
        data={"metric": "output", "value": reached},
    )
    return out


def scenario(
    seed: int,
    bodies: int = 2,
    matters: int = 2,
    months: int = 3,
    start: dt.datetime = dt.datetime(2026, 1, 5, 9, tzinfo=CST),
    lang: str = "en",
) -> dict[str, Any]:
    """A scenario document (as :mod:`collegium.scenario` reads it) for ``seed``;
    :class:`InvalidInput` (in ``lang``), before anything is generated, when ``bodies × matters ×
    months`` is more than :data:`MAX_MATTERS`."""
    if bodies * matters * months > MAX_MATTERS:
        raise InvalidInput(
            word(
                "generate.too_many",
                lang,
                most=MAX_MATTERS,
                bodies=bodies,
                matters=matters,
                months=months,
                product=bodies * matters * months,
            )
        )
    rng = Random(seed)
    specs = [_body(rng, k) for k in range(1, bodies + 1)]
    timed: list[tuple[dt.datetime, int, dict[str, Any]]] = []
    n = 0
    for month in range(months):
        for body in specs:
            for j in range(matters):
                day = start + dt.timedelta(
                    days=30 * month + rng.randint(0, 20), hours=rng.randint(0, 6)
                )
                name = f"{body['id']}-{month + 1:02d}-{j + 1}"
                for at, fields in _matter(rng, body, name, day):
                    n += 1
                    timed.append((at, n, fields))
    steps: list[dict[str, Any]] = []
    clock = start
    for at, _n, fields in sorted(timed, key=lambda t: (t[0], t[1])):
        if at > clock:
            steps.append({"advance": at.isoformat()})
            clock = at
        steps.append(fields)
    return {
        "scenario": f"generated workload (seed {seed}: {bodies} bodies, {matters} matters a month, "
        f"{months} months)",
        "start": start.isoformat(),
        "bodies": specs,
        "steps": steps,
    }


def scenario_text(seed: int, **kwargs: Any) -> str:
    return yaml.safe_dump(scenario(seed, **kwargs), allow_unicode=True, sort_keys=False, width=120)
