"""The example host's tests, through Flask's test client: the host's row and the decision step
commit together or not at all, refusals answer with the rules, "my tasks" lists what was assigned,
and the outbox delivers each event until it is acknowledged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from collegium import Body, Engine, ManualClock, Member, SequentialIds
from examples.embedding.app import create_app, host_requests

CST = dt.timezone(dt.timedelta(hours=8))
PEOPLE = ["sec", "dep", *(f"m{i}" for i in range(1, 10))]
SC = Body(
    id="sc",
    kind="standing",
    members=(
        Member(person="sec", role="secretary"),
        Member(person="dep", role="deputy_secretary"),
        *(Member(person=p, role="standing_member") for p in PEOPLE[2:]),
    ),
)
MATTER = {
    "title": "Longer library opening hours",
    "category": "major",
    "proposer": "sec",
    "lead_member": "m1",
    "body": "sc",
    "confidentiality": "public",
}


class Service:
    def __init__(self, tmp_path: Path) -> None:
        self.url = f"sqlite:///{tmp_path / 'host.db'}"
        self.clock = ManualClock(dt.datetime(2026, 6, 1, 9, 0, tzinfo=CST))
        app = create_app(self.url, clock=self.clock, ids=SequentialIds(), bodies={"sc": SC})
        self.client: FlaskClient = app.test_client()

    def post(self, path: str, person: str, body: dict[str, Any], **headers: str) -> tuple[int, Any]:
        response = self.client.post(path, json=body, headers={"X-Person": person, **headers})
        return response.status_code, response.get_json()

    def get(self, path: str, person: str = "sec") -> Any:
        response = self.client.get(path, headers={"X-Person": person})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def step(
        self, matter: str, trigger: str, person: str, data: dict[str, Any] | None = None
    ) -> Any:
        status, body = self.post(f"/matters/{matter}/steps/{trigger}", person, {"data": data or {}})
        assert status == 200, body
        return body

    def propose(self) -> str:
        status, body = self.post("/matters", "sec", {"data": MATTER, "note": "letter 2026-17"})
        assert status == 201, body
        return str(body["matter"]["id"])

    def view(self, matter: str, person: str, view: str = "agree") -> tuple[int, Any]:
        return self.post(f"/matters/{matter}/views", person, {"view": view})

    def in_meeting(self, *, views: bool = True) -> str:
        """A matter at its meeting, every member present and (``views``) every view stated, the
        secretary's last: ready to vote."""
        matter = self.propose()
        self.step(matter, "prepare", "m1")
        self.step(matter, "start_deliberation", "m1", {"preparation": "a survey of readers"})
        for person in PEOPLE:
            self.step(matter, "consult", "sec", {"member": person, "view": "agree"})
        self.step(matter, "schedule", "sec", {"meeting_at": "2026-06-04T09:00+08:00"})
        self.clock.advance(dt.timedelta(days=3))
        self.step(matter, "open_meeting", "sec", {"attendance": dict.fromkeys(PEOPLE, "present")})
        for person in [*PEOPLE[1:], "sec"] if views else []:
            status, body = self.view(matter, person)
            assert status == 200, body
        return matter

    def stored(self) -> tuple[int, int, int]:
        """(host rows, Collegium instances, events) as another connection sees them."""
        host = sa.create_engine(self.url)
        with host.connect() as conn:
            rows = int(
                conn.execute(sa.select(sa.func.count()).select_from(host_requests)).scalar_one()
            )
        host.dispose()
        with Engine.open(self.url, clock=self.clock) as other:
            found = other.instances()
            return rows, len(found), sum(len(other.history(i.id)) for i in found)


@pytest.fixture
def service(tmp_path: Path) -> Service:
    return Service(tmp_path)


def test_a_proposal_commits_the_host_row_and_the_instance_together(service: Service) -> None:
    matter = service.propose()
    assert service.stored() == (1, 1, 1)
    assert [e["instance_id"] for e in service.get("/events")["events"]] == [matter]


def test_a_refused_vote_writes_neither_the_host_row_nor_an_event(service: Service) -> None:
    matter = service.in_meeting()
    status, body = service.post(f"/matters/{matter}/votes", "m1", {"choice": "agree"})
    assert status == 200 and body["matter"]["state"] == "in_meeting", body
    before, pending = service.stored(), len(service.get("/events?limit=1000")["events"])

    status, body = service.post(
        f"/matters/{matter}/votes", "m1", {"choice": "oppose"}
    )  # a second vote
    assert status == 409 and [r["rule"] for r in body["refused"]] == ["R-ONE-VOTE"]
    status, body = service.post(
        f"/matters/{matter}/votes", "outsider", {"choice": "agree"}, **{"Accept-Language": "zh-CN"}
    )
    assert status == 409 and "R-VOTER" in [r["rule"] for r in body["refused"]]
    assert all(
        any("\u4e00" <= c <= "\u9fff" for c in r["message"]) for r in body["refused"]
    )  # in Chinese

    assert service.stored() == before
    assert len(service.get("/events?limit=1000")["events"]) == pending


def test_views_come_before_votes_the_secretary_last(service: Service) -> None:
    matter = service.in_meeting(views=False)
    status, body = service.post(f"/matters/{matter}/votes", "m1", {"choice": "agree"})
    assert status == 409 and [r["rule"] for r in body["refused"]] == ["R-CHAIR-LAST"]
    status, body = service.view(matter, "sec")  # the secretary does not speak first
    assert status == 409 and [r["rule"] for r in body["refused"]] == ["R-CHAIR-LAST"]
    for person in PEOPLE[1:]:
        assert service.view(matter, person, "reserve" if person == "m9" else "agree")[0] == 200
    assert service.view(matter, "sec")[0] == 200
    assert service.post(f"/matters/{matter}/votes", "m1", {"choice": "agree"})[0] == 200
    # one host row per view and per vote, beside the proposal's and the other steps'
    host = sa.create_engine(service.url)
    with host.connect() as conn:
        actions = conn.execute(sa.select(host_requests.c.action)).scalars().all()
    host.dispose()
    assert (actions.count("state_view"), actions.count("vote")) == (len(PEOPLE), 1)


def test_a_host_side_failure_after_the_step_rolls_the_step_back(service: Service) -> None:
    status, body = service.post(
        "/matters", "sec", {"data": MATTER, "note": "x" * 201}
    )  # the host's CHECK fails
    assert status == 422 and "host" in body["error"]
    assert service.stored() == (0, 0, 0)
    assert service.get("/events")["events"] == []


def test_my_tasks_lists_what_was_assigned(service: Service) -> None:
    matter = service.in_meeting()
    for person in PEOPLE[:6]:
        assert service.post(f"/matters/{matter}/votes", person, {"choice": "agree"})[0] == 200
    service.step(matter, "close_ballot", "sec")
    service.step(matter, "publish", "sec", {"audience": "public"})
    service.step(matter, "hand_over", "sec")
    started = service.step(
        matter,
        "assign",
        "sec",
        {
            "title": "Open until 21:00",
            "lead_member": "m2",
            "departments": ["culture bureau"],
            "deadline": "2026-12-31T18:00+08:00",
        },
    )["started"]
    tasks = service.get("/me/tasks", "m2")["tasks"]
    assert [t["id"] for t in tasks] == started and tasks[0]["state"] == "drafting"
    assert "set_target" in tasks[0]["can"]  # what m2 may do on it now
    assert service.get("/me/tasks", "m3")["tasks"] == []


def test_the_outbox_shows_each_event_until_it_is_acknowledged(service: Service) -> None:
    first = service.propose()
    pending = service.get("/events")["events"]
    assert service.get("/events")["events"] == pending  # not acknowledged: delivered again
    assert service.post("/events/ack", "worker", {"ids": [e["id"] for e in pending]}) == (
        200,
        {"acknowledged": 1},
    )
    assert service.get("/events")["events"] == []
    service.step(first, "prepare", "m1")
    again = service.get("/events")["events"]
    assert [(e["instance_id"], e["seq"]) for e in again] == [(first, 2)]  # only what came since
    assert service.post("/events/ack", "worker", {"ids": [e["id"] for e in again]}) == (
        200,
        {"acknowledged": 1},
    )
    assert service.get("/events")["events"] == []


def test_a_resent_request_is_taken_once_and_errors_map_to_statuses(service: Service) -> None:
    matter = service.propose()
    sent = [
        service.post(f"/matters/{matter}/steps/prepare", "m1", {}, **{"Idempotency-Key": "req-1"})
        for _ in range(2)
    ]
    assert [(status, body["replayed"]) for status, body in sent] == [(200, False), (200, True)]
    assert service.stored() == (2, 1, 2)  # one host row for the proposal, one for the step
    assert service.post("/matters/nope/votes", "m1", {"choice": "agree"})[0] == 404
    assert (
        service.post(
            f"/matters/{matter}/steps/start_deliberation", "m1", {"data": {"colour": "red"}}
        )[0]
        == 422
    )
    assert (
        service.post(f"/matters/{matter}/steps/prepare", "m1", {})[0] == 409
    )  # not from this state
    assert service.client.post("/matters", json={"data": MATTER}).status_code == 401
