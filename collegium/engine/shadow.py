"""The shadow run of a recorded history: each recorded step applied again, in an in-memory store,
and compared with its record.

:func:`~collegium.engine.rejudge.rejudge` replays a store's history with what is here: the shadow
store (:class:`ShadowStore`, reading bodies through to the recorded store), a clock set to each
event's time (:class:`ReplayClock`), the ids the record gave the children a step started
(:class:`RecordedIds`), a sealer that returns what the history recorded (:class:`ReplaySealer`), a
secret ballot's choices dealt back from its stored counts (:class:`SecretChoices`), and the registry
the history was recorded under (:func:`recording_registry`). :func:`apply_again` runs one recorded
step through the engine again and says how its event differs from the recorded one, if it does:
every field the event's hash covers must come out the same.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

from collegium._catalog import Message
from collegium._reserved import SYSTEM_ACTOR, TIMER_KEY_PREFIX
from collegium.engine import counting, running
from collegium.engine import governance as gov
from collegium.engine.clock import parse_time
from collegium.engine.engine import Engine
from collegium.engine.registry import Registry
from collegium.engine.scheduler import REFUSED, fire_timer, timer_key
from collegium.engine.step import Command
from collegium.errors import NotFound
from collegium.store.bodies import Body
from collegium.store.memstore import MemoryStore
from collegium.store.protocol import Store
from collegium.store.records import EventRecord, InstanceRecord

__all__ = [
    "RecordedIds",
    "ReplayClock",
    "ReplaySealer",
    "SecretChoices",
    "ShadowStore",
    "apply_again",
    "data_of",
    "recording_registry",
]


class ShadowStore(MemoryStore):
    """The replay's store: reads bodies through to the recorded store."""

    def __init__(self, origin: Store) -> None:
        super().__init__()
        self._origin = origin

    def body(self, body_id: str) -> Body | None:
        # read once: the recorded store's bodies do not change during a replay
        if body_id not in self._bodies:
            found = self._origin.body(body_id)
            if found is None:
                return None
            self._bodies[body_id] = found
        return self._bodies[body_id]


class ReplayClock:
    """The replay's clock: set to each recorded event's time before it is replayed."""

    def __init__(self) -> None:
        self.at = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.at


class RecordedIds:
    """Hands out the ids the recorded run gave the children a step started."""

    def __init__(self) -> None:
        self.queue: deque[str] = deque()

    def new_id(self, prefix: str) -> str:
        if not self.queue:
            raise NotFound(Message("the record names no id for a new {prefix}", prefix=prefix))
        return self.queue.popleft()


class ReplaySealer:
    """Seals and opens nothing: a replayed vote of an electronic ballot records the digest its
    event recorded, and its replayed count the totals its event recorded (the choices are gone and
    the tellers' secret was never stored). :meth:`expect` is told each event before it is
    replayed."""

    _MARK = "replayed:"

    def __init__(self) -> None:
        self._digest = ""
        self._ballot_of: dict[str, str] = {}
        self._totals: dict[str, dict[str, int]] = {}

    def expect(self, event: EventRecord) -> None:
        if "sealed" in event.effects:
            self._digest = str(event.effects["sealed"])
            self._ballot_of[self._digest] = str(event.effects.get("ballot"))
        for key, totals in (event.effects.get("counted") or {}).items():
            self._totals[key] = dict(totals)

    def seal(self, public_key: str, choice: str) -> str:
        return self._MARK + self._digest

    def digest(self, sealed: str) -> str:
        return sealed.removeprefix(self._MARK)

    def open(self, teller_secret: str | None, public_key: str, sealed: Sequence[str]) -> list[str]:
        if not sealed:
            return []
        totals = self._totals.get(self._ballot_of.get(self.digest(sealed[0]), ""), {})
        return [choice for choice, n in totals.items() for _ in range(n)]


class SecretChoices:
    """Each secret ballot's stored choices, to deal back to its votes (whose events do not name
    them). Every ballot a matter held counts — the one it was rejected by and its
    reconsideration's, not only the last — so each pool is read from the store's totals when the
    replay first reaches a vote of that ballot."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pools: dict[str, list[str]] = {}

    def pool(self, key: str) -> list[str]:
        if key not in self._pools:
            with self._store.unit(write=False) as unit:
                counts = unit.counts(key, True)
            self._pools[key] = [c for c in sorted(counts) for _ in range(counts[c])]
        return self._pools[key]


def recording_registry(store: Store, base: Registry, records: list[InstanceRecord]) -> Registry:
    """``base``, or a copy of it plus the texts the store kept of the versions ``base`` lacks that
    ``records`` were recorded under (a version ``base`` has is taken as it is there)."""
    out = base
    for rec in records:
        try:
            out.compiled(rec.procedure, rec.procedure_version, rec.pack_version)
            continue
        except NotFound:
            out = base.copy() if out is base else out
        for kind, key in (
            ("pack", f"{rec.pack}@{rec.pack_version}"),
            ("procedure", f"{rec.procedure}@{rec.procedure_version}"),
        ):
            if f"{kind}:{key}" in out.definitions:
                continue
            text = store.definition(kind, key)
            if text is None:
                raise NotFound(
                    Message(
                        "the store keeps no text of pack {key}, which {id} was recorded under",
                        key=key,
                        id=rec.id,
                    )
                    if kind == "pack"
                    else Message(
                        "the store keeps no text of procedure {key}, which {id} was recorded under",
                        key=key,
                        id=rec.id,
                    )
                )
            for fragment_kind, fragment_key in _fragments_of(
                store, text if kind == "procedure" else ""
            ):
                stored = store.definition(fragment_kind, fragment_key)
                if stored is not None and f"fragment:{fragment_key}" not in out.definitions:
                    out.add_fragment_text(stored, f"<stored {fragment_key}>")
            (out.add_pack_text if kind == "pack" else out.add_procedure_text)(
                text, f"<stored {key}>"
            )
    return out


def _fragments_of(store: Store, procedure_text: str) -> Iterator[tuple[str, str]]:
    from collegium._loader import parse_yaml

    if not procedure_text:
        return
    data, _node = parse_yaml(procedure_text, "<stored>")
    for inc in (data.get("include") or []) if isinstance(data, dict) else []:
        if isinstance(inc, dict):
            yield "fragment", f"{inc.get('fragment')}@{inc.get('version')}"


def data_of(event: EventRecord, shadow: MemoryStore, pools: SecretChoices) -> dict[str, Any]:
    """The data a step is replayed with: as recorded, and a secret vote's choice dealt from its
    ballot's stored totals (a paper ballot's vote has none; an electronic one's any option, which
    the replay does not seal)."""
    data = dict(event.data)
    if event.effects.get("secret_vote"):
        ballot = shadow.load(event.instance_id).facts.get("ballot") or {}
        mode = counting.counting(ballot)
        if mode == "sealed":
            data["choice"] = str((ballot.get("options") or [""])[0])
        elif mode is None:
            pool = pools.pool(gov.ballot_key(ballot, data.get("item")))
            if not pool:
                raise NotFound(
                    Message("the store holds fewer secret votes than the history records")
                )
            data["choice"] = pool.pop()
    return data


def apply_again(
    replayer: Engine,
    shadow: MemoryStore,
    ids: RecordedIds,
    event: EventRecord,
    rec: InstanceRecord,
    data: dict[str, Any],
) -> str | None:
    """Apply the recorded step again under the recorded definitions; say how the result differs,
    if it does."""
    if event.effects.get("spawned_by"):
        pass  # the parent's step started it, with the id the record gives
    elif event.seq == 1:
        replayer.start(
            rec.procedure,
            event.actor,
            data,
            instance_id=rec.id,
            version=rec.procedure_version,
            pack_version=rec.pack_version,
        )
    else:
        ids.queue.extend(event.effects.get("started") or ())
        key = event.idempotency_key or ""
        if event.actor == SYSTEM_ACTOR and key.startswith(TIMER_KEY_PREFIX):
            due = [
                t
                for t in shadow.due_timers_of(rec.id, event.at)
                if timer_key(t) == event.idempotency_key
            ]
            if not due:
                return f"step {event.seq} ({event.trigger}) is a timer the replay did not set"
            run = fire_timer(replayer, due[0])
            if run.outcome is None and not (event.trigger == REFUSED and run.error is not None):
                return (
                    f"step {event.seq} ({event.trigger}): the timer did not fire again "
                    f"({run.error or 'stale'})"
                )
        else:
            command = Command(
                instance_id=rec.id,
                trigger=event.trigger,
                actor=event.actor,
                data=data,
                key=event.idempotency_key,
                at=parse_time(event.at),
            )
            running.run(replayer, command, fire_due=lambda timer: fire_timer(replayer, timer))
        ids.queue.clear()
    history = shadow.history(rec.id)
    again = history[event.seq - 1] if len(history) >= event.seq else None
    if again is None:
        return f"step {event.seq} ({event.trigger}) wrote no event when replayed"
    if again.hash != event.hash:
        what = [
            name
            for name in ("dest", "data", "verdict", "effects", "facts_sha", "at", "prev_hash")
            if getattr(again, name) != getattr(event, name)
        ]
        return (
            f"step {event.seq} ({event.trigger}) replayed differently: {', '.join(what) or 'hash'}"
        )
    return None
