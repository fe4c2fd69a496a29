"""An example host: a small Flask service that exposes "propose", "state a view", "vote" and "my
tasks" over HTTP on top of Collegium, writing a record of its own in the same transaction as each
decision step, and draining the outbox.

- At a meeting every member present states a view (``POST /matters/<id>/views``), the secretary
  last, before anyone votes (``POST /matters/<id>/votes``): the pack's rule R-CHAIR-LAST refuses a
  vote, or the secretary's view, that comes too early.

- The host's database: a SQLAlchemy engine on ``url`` (a SQLite file by default). Collegium's tables
  are migrated once at start-up (``hosted.upgrade``), beside the host's own ``host_requests`` table.
- Each request opens a host ``Session`` and an :class:`~collegium.Engine` on it: the step (instance,
  event, outbox entry) and the host's ``host_requests`` row commit together, or — a refusal, a
  host-side failure — neither does.
- People: ``X-Person`` names the actor. It stands for the host's real authentication
  (a session cookie, a token); a real service takes the person from there, never
  from a header a client chooses.
- Bodies come from the host, through a :class:`~collegium.Directory`: here a dict, read at start-up
  from ``bodies.yaml`` beside this file (the standing committee ``sc`` its README's requests name),
  from the file ``$COLLEGIUM_HOST_BODIES`` names, or given as ``create_app(bodies=…)``. A real host
  reads its own org chart.
- Time and ids: :class:`~collegium.SystemClock` and :class:`~collegium.RandomIds` unless the caller
  passes others (the tests pass a ``ManualClock`` and ``SequentialIds``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, jsonify, request
from pydantic import ValidationError
from sqlalchemy.orm import Session

from collegium import (
    Body,
    Clock,
    CollegiumError,
    ConcurrentUpdate,
    Engine,
    IdFactory,
    Instance,
    InvalidInput,
    NotFound,
    Registry,
    RuleViolation,
    SystemClock,
    TransitionNotAllowed,
    parse_yaml,
    read_text,
    validation_line,
)
from collegium.store import hosted

metadata = (
    sa.MetaData()
)  # the host's own tables, apart from Collegium's (collegium.store.schema.metadata)
host_requests = sa.Table(
    "host_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("matter_id", sa.String(128), nullable=False),
    sa.Column("note", sa.String(200), nullable=False),
    sa.CheckConstraint("length(note) <= 200", name="host_requests_note_length"),
)

OPEN_TASKS = (
    "drafting",
    "in_progress",
    "overdue",
)  # the assignment procedure's states that are not terminal
LANGUAGES = ["en", "zh-CN"]
PROCEDURE = "major_decision"  # what ``POST /matters`` proposes
BODIES = Path(__file__).with_name("bodies.yaml")  # the example's own org chart


def load_bodies(path: str | Path) -> dict[str, Body]:
    """The bodies in the YAML file ``path``: one body in the shape ``collegium body define FILE``
    takes (``{id, kind, title?, members: [{person, role, voting?, name?}]}``), or a list of them.
    A file that cannot be read or holds no valid body is a :class:`~collegium.CollegiumError`
    naming the file and what is wrong."""
    data, _node = parse_yaml(read_text(path), str(path))
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise InvalidInput(f"{path}: the list holds no body")
    bodies: dict[str, Body] = {}
    for n, entry in enumerate(entries, 1):
        where = f"{path}: body {n}" if isinstance(data, list) else str(path)
        if not isinstance(entry, dict):
            raise InvalidInput(f"{where}: a body is a mapping with id, kind and members")
        try:
            body = Body.model_validate(entry)
        except ValidationError as exc:
            raise InvalidInput(f"{where}: {validation_line(exc)}") from None
        if body.id in bodies:
            raise InvalidInput(f"{where}: the body {body.id!r} is defined twice")
        bodies[body.id] = body
    return bodies


class HostDirectory:
    """Bodies as the host keeps them: ``body(body_id, at)`` answers who
    sits in the body, as of ``at``."""

    def __init__(self, bodies: Mapping[str, Body]) -> None:
        self.bodies = dict(bodies)

    def body(self, body_id: str, at: dt.datetime) -> Body | None:
        return self.bodies.get(
            body_id
        )  # a dict has no history; a host's org chart would answer as of ``at``


class Host:
    """The service's state: the host's database and what every per-request
    Collegium engine is built with."""

    def __init__(
        self, url: str, clock: Clock, ids: IdFactory | None, directory: HostDirectory
    ) -> None:
        self.registry = (
            Registry.builtin()
        )  # parsed and compiled once, shared by every request's engine
        self.db = sa.create_engine(url)
        self.clock, self.ids, self.directory = clock, ids, directory
        with (
            self.db.begin() as conn
        ):  # the host's deployment step: its tables and Collegium's, in one transaction
            hosted.upgrade(conn)
            metadata.create_all(conn)

    @contextmanager
    def transaction(self) -> Iterator[tuple[Session, Engine]]:
        """A host session and an engine on it; committed if the block
        succeeds, rolled back if it raises."""
        with Session(self.db) as session:
            engine = Engine.open(
                session,
                clock=self.clock,
                ids=self.ids,
                directory=self.directory,
                registry=self.registry,
            )
            try:
                yield session, engine
                session.commit()  # the host commits: its row and the decision step together
            finally:
                engine.close()


def _actor() -> str:
    """The authenticated person. ``X-Person`` stands for the host's real authentication."""
    person = request.headers.get("X-Person", "").strip()
    if not person:
        raise Unauthenticated()
    return person


class Unauthenticated(Exception):
    pass


def _lang() -> str:
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _json() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("the request body must be a JSON object")
    return body


def _instance(instance: Instance) -> dict[str, Any]:
    return {
        "id": instance.id,
        "procedure": instance.procedure,
        "state": instance.state,
        "version": instance.version,
        "facts": dict(instance.facts),
    }


def _record(session: Session, action: str, matter_id: str, note: object) -> None:
    """The host's own row, written after the step and in its transaction."""
    session.execute(
        sa.insert(host_requests).values(
            actor=_actor(), action=action, matter_id=matter_id, note=str(note or "")
        )
    )


def _error(error: Exception) -> tuple[Response, int]:
    """Collegium's errors as HTTP answers; texts for people in the language the client asks for."""
    lang = _lang()
    if isinstance(error, RuleViolation):
        return jsonify(
            error="refused", refused=[r.to_dict(lang) for r in error.verdict.failures]
        ), 409
    if isinstance(error, TransitionNotAllowed):
        return jsonify(
            error=error.message(lang), state=error.state, allowed=list(error.allowed)
        ), 409
    if isinstance(error, NotFound):
        return jsonify(error=error.message(lang)), 404
    if isinstance(error, InvalidInput):
        return jsonify(error=error.message(lang)), 422
    if isinstance(
        error, ConcurrentUpdate
    ):  # the instance kept changing: the whole request may be sent again
        response = jsonify(error=error.message(lang))
        response.headers["Retry-After"] = "1"
        return response, 503
    if isinstance(error, Unauthenticated):
        return jsonify(error="no authenticated person (X-Person)"), 401
    if isinstance(
        error, sa.exc.IntegrityError
    ):  # the host's own row was refused: the step rolled back with it
        return jsonify(error="the host's record was refused", detail=str(error.orig)), 422
    raise error


def create_app(
    url: str | None = None,
    *,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
    bodies: Mapping[str, Body] | None = None,
) -> Flask:
    """The service on the host database ``url`` (default: ``$COLLEGIUM_HOST_DB`` or
    ``sqlite:///host.db``) with the bodies ``bodies`` (default: those in the file
    ``$COLLEGIUM_HOST_BODIES`` names, or in ``bodies.yaml`` beside this module)."""
    if bodies is None:
        bodies = load_bodies(os.environ.get("COLLEGIUM_HOST_BODIES") or BODIES)
    host = Host(
        url or os.environ.get("COLLEGIUM_HOST_DB", "sqlite:///host.db"),
        clock or SystemClock(),
        ids,
        HostDirectory(bodies),
    )
    app = Flask(__name__)
    app.extensions["collegium_host"] = host
    for error in (CollegiumError, Unauthenticated, sa.exc.IntegrityError):
        app.register_error_handler(error, _error)

    def fire(matter_id: str, trigger: str, data: Mapping[str, Any], note: object) -> Response:
        key = request.headers.get("Idempotency-Key")
        with host.transaction() as (session, engine):
            outcome = engine.fire(matter_id, trigger, _actor(), data, idempotency_key=key)
            if not outcome.replayed:  # a resent request: its record was written the first time
                _record(session, trigger, matter_id, note)
        return jsonify(
            matter=_instance(outcome.instance),
            seq=outcome.event.seq,
            replayed=outcome.replayed,
            started=list(outcome.started),
        )

    @app.post("/matters")
    def propose() -> tuple[Response, int]:
        body = _json()
        with host.transaction() as (session, engine):
            outcome = engine.start(PROCEDURE, _actor(), body.get("data") or {})
            _record(session, "propose", outcome.instance.id, body.get("note"))
        return jsonify(matter=_instance(outcome.instance)), 201

    @app.post("/matters/<matter_id>/views")
    def state_view(matter_id: str) -> Response:  # at the meeting, before the vote
        body = _json()
        return fire(
            matter_id,
            "state_view",
            {k: v for k, v in body.items() if k != "note"},
            body.get("note"),
        )

    @app.post("/matters/<matter_id>/votes")
    def vote(matter_id: str) -> Response:
        body = _json()
        return fire(
            matter_id, "vote", {k: v for k, v in body.items() if k != "note"}, body.get("note")
        )

    @app.post("/matters/<matter_id>/steps/<trigger>")
    def step(matter_id: str, trigger: str) -> Response:  # the other steps of a matter, by trigger
        body = _json()
        return fire(matter_id, trigger, body.get("data") or {}, body.get("note"))

    @app.get("/me/tasks")
    def my_tasks() -> Response:
        actor = _actor()
        with host.transaction() as (_, engine):
            tasks = [
                {
                    **_instance(task),
                    "can": [a.trigger for a in engine.available(task.id, actor) if a.allowed],
                }
                for task in engine.find("assignment", OPEN_TASKS, lead_member=actor)
            ]
        return jsonify(tasks=tasks)

    @app.get("/events")
    def events() -> (
        Response
    ):  # what a notification worker reads: pending until acknowledged, oldest first
        limit = request.args.get("limit", default=100, type=int)
        with host.transaction() as (_, engine):
            entries = engine.outbox.pending(limit)
        return jsonify(
            events=[
                {
                    "id": e.id,
                    "instance_id": e.event.instance_id,
                    "seq": e.event.seq,
                    "trigger": e.event.trigger,
                    "actor": e.event.actor,
                    "at": e.event.at,
                    "state": e.event.dest,
                }
                for e in entries
            ]
        )

    @app.post("/events/ack")
    def ack() -> Response:
        ids = _json().get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise InvalidInput("ids must be a list of outbox entry ids")
        with host.transaction() as (_, engine):
            acknowledged = engine.outbox.ack(ids)
        return jsonify(acknowledged=acknowledged)

    return app
