"""The example host's tests, through Flask's test client: the host's row and the decision step
commit together or not at all, refusals answer with the rules, "my tasks" lists what was assigned,
and the outbox delivers each event until it is acknowledged; the app started with its default bodies
answers the README's walk-through as the README says."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from collegium import Body, CollegiumError, Engine, ManualClock, Member, SequentialIds
from examples.embedding.app import create_app, host_requests, load_bodies

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


# -- the README's walk-through, on the default bodies ---------------------------------------------
README = Path(__file__).with_name("README.md")
SERVER = "localhost:5000"
TRIGGERS = {"matters": "propose", "views": "state_view", "votes": "vote"}  # else /steps/<trigger>


@dataclass
class Request:
    """One ``curl`` of the README's walk-through and what the comment above it says it answers."""

    said: str  # the comment lines above the curl
    method: str = "GET"
    path: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    data: str | None = None
    keep: tuple[str, str] | None = None  # NAME=$(curl … | jq -r .a.b): ("NAME", ".a.b")

    def expected(self, pattern: str) -> list[str]:
        return re.findall(pattern, self.said)


def _curl(words: list[str], said: str) -> Request:
    request = Request(said)
    if kept := re.fullmatch(r"(\w+)=\$\(curl", words[0]):
        bar = words.index("|")
        assert words[bar + 1 : bar + 3] == ["jq", "-r"] and words[-1].endswith(")"), words
        request.keep = (kept[1], words[bar + 3].removesuffix(")"))
        words = ["curl", *words[1:bar]]
    assert words[0] == "curl", words
    options = iter(words[1:])
    for word in options:
        if word in ("-s", "-i"):
            continue
        if word == "-H":
            name, _, value = next(options).partition(":")
            request.headers[name.strip()] = value.strip()
        elif word == "-d":
            request.method, request.data = "POST", next(options)
        elif word == "-X":
            request.method = next(options)
        else:
            assert not word.startswith("-"), f"the walk-through's curl uses {word}, unread here"
            assert word.startswith(f"{SERVER}/"), word
            request.path = word.removeprefix(SERVER)
    return request


def walk_through() -> list[Request]:
    """The requests of the README's code block that sends them (the one with ``curl``)."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    block = next(b for b in blocks if "curl " in b)
    requests: list[Request] = []
    said, command = "", ""
    for line in block.splitlines():
        if not command and line.startswith("#"):
            said += line + "\n"
            continue
        command += line + "\n"
        if line.endswith("\\"):
            continue
        try:
            words = shlex.split(command.replace("\\\n", " "))
        except ValueError:  # a quoted string goes on
            continue
        requests.append(_curl(words, said))
        said, command = "", ""
    assert not command, f"an unfinished command: {command}"
    return requests


def _pick(body: Any, path: str) -> str:
    for key in path.removeprefix(".").split("."):
        body = body[key]
    return str(body)


def test_the_readme_walk_through_answers_as_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLLEGIUM_HOST_BODIES", raising=False)
    app = create_app(  # as `flask --app …:create_app()` builds it, but for the database and clock
        f"sqlite:///{tmp_path / 'host.db'}",
        clock=ManualClock(dt.datetime(2026, 6, 1, 9, 0, tzinfo=CST)),
    )
    client, kept, accepted = app.test_client(), dict[str, str](), []
    requests = walk_through()
    assert (requests[0].method, requests[0].path) == ("POST", "/matters")
    assert any("/steps/" in r.path for r in requests)
    assert ("GET", "/events") in [(r.method, r.path) for r in requests]
    for r in requests:
        path = re.sub(r"\$(\w+)", lambda m: kept[m[1]], r.path)
        response = client.open(path, method=r.method, headers=r.headers, data=r.data)
        body = response.get_json()
        (status,) = r.expected(r"→ (\d{3})")
        assert response.status_code == int(status), (r.said, body)
        if r.expected(r'state "(\w+)"'):
            assert [body["matter"]["state"]] == r.expected(r'state "(\w+)"'), r.said
        if r.expected(r"\bR-[A-Z]+(?:-[A-Z]+)*"):
            assert [f["rule"] for f in body["refused"]] == r.expected(r"\bR-[A-Z]+(?:-[A-Z]+)*")
        if r.keep:
            kept[r.keep[0]] = _pick(body, r.keep[1])
        if r.method == "POST" and response.status_code < 300:
            last = path.rsplit("/", 1)[-1]
            accepted.append(TRIGGERS.get(last, last))
        if path == "/events":
            assert [e["trigger"] for e in body["events"]] == accepted
            assert r.expected(r"(\d+) steps accepted") == [str(len(accepted))], r.said


def test_the_bodies_file_is_the_one_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (shipped,) = load_bodies(Path(__file__).with_name("bodies.yaml")).values()
    assert (shipped.id, shipped.kind, shipped.members) == (SC.id, SC.kind, SC.members)
    url = f"sqlite:///{tmp_path / 'host.db'}"
    named = tmp_path / "org.yaml"
    named.write_text("- {id: board, kind: standing, members: [{person: sec, role: secretary}]}\n")
    monkeypatch.setenv("COLLEGIUM_HOST_BODIES", str(named))
    assert list(create_app(url).extensions["collegium_host"].directory.bodies) == ["board"]
    named.write_text("id: sc\nmembers: []\n")
    with pytest.raises(CollegiumError, match=f"^{re.escape(str(named))}: kind: Field required$"):
        create_app(url)
    monkeypatch.setenv("COLLEGIUM_HOST_BODIES", str(tmp_path / "none.yaml"))
    with pytest.raises(CollegiumError, match=r"none\.yaml: no such file"):
        create_app(url)
    assert create_app(url, bodies={}).extensions["collegium_host"].directory.bodies == {}
