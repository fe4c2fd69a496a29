"""``Engine.scan`` (issue 8): every instance streamed in pages, each page a short read of its own,
so that memory stays flat however many instances there are; pages are index ranges (no sort of the
table per page)."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import tracemalloc
from itertools import islice
from pathlib import Path

import pytest

from collegium import AsyncEngine, Engine, InvalidInput, ManualClock, SequentialIds
from collegium.store.protocol import Write
from collegium.store.records import InstanceRecord
from collegium.store.sqlstore import SqlStore
from tests.conftest import START, propose, standing_committee, to_deliberation


def _populate(engine: Engine) -> None:
    """Instances of two procedures in several states: proposed, in preparation, deliberation,
    withdrawn."""
    for i in range(7):
        iid = propose(engine, title=f"Matter {i}")
        if i % 3 == 1:
            engine.fire(iid, "prepare", "m1")
        if i % 3 == 2:
            engine.fire(iid, "withdraw", "sec")
    to_deliberation(engine, title="Matter in deliberation")
    engine.start(
        "report",
        "sec",
        {
            "reporter": "m1",
            "reporter_kind": "member",
            "body": "sc",
            "lead_member": "m1",
            "kind": "half_year_work",
            "period": "2026-H2",
            "due": "2026-12-31T18:00+08:00",
        },
    )


def _ids(instances: object) -> list[str]:
    return [i.id for i in instances]  # type: ignore[attr-defined]


def _check_scans(engine: Engine) -> None:
    everything = engine.instances()
    for batch in (1, 2, 3, 1000):
        got = list(engine.scan(batch=batch))
        assert _ids(got) == sorted(_ids(everything)), batch  # each once, in id order
        assert {i.id: (i.state, i.facts) for i in got} == {
            i.id: (i.state, i.facts) for i in everything
        }
        for procedure, state in (
            ("major_decision", None),
            (None, "proposed"),
            ("major_decision", "withdrawn"),
            ("report", None),
            ("major_decision", "nowhere"),
            ("nothing", None),
        ):
            want = engine.instances(procedure, state)
            scanned = list(engine.scan(procedure, state, batch=batch))
            assert sorted(_ids(scanned)) == sorted(_ids(want)), (procedure, state, batch)
            groups = [(i.procedure, i.state, i.id) for i in scanned]
            assert groups == sorted(
                groups
            )  # one (procedure, state) group at a time, each in id order
            assert _paged(engine, procedure, state, batch) == _ids(scanned)


def _paged(engine: Engine, procedure: str | None, state: str | None, size: int) -> list[str]:
    """Every id, read ``size`` at a time by scans that each resume past the last one's last
    instance (a keyset, as the console's pages of instances are read)."""
    seen: list[str] = []
    after: tuple[str, str, str] | None = None
    while True:
        page = list(islice(engine.scan(procedure, state, batch=size, after=after), size))
        seen += _ids(page)
        if len(page) < size:
            return seen
        after = (page[-1].procedure, page[-1].state, page[-1].id)


def test_scan_streams_every_instance_once_on_each_backend(db_url: str, clock: ManualClock) -> None:
    engine = Engine.open(db_url, clock=clock, ids=SequentialIds())
    try:
        engine.define_body(standing_committee())
        _populate(engine)
        _check_scans(engine)
        pool = engine.store.engine.pool  # type: ignore[attr-defined]
        before = sorted(_ids(engine.instances()))
        pages = engine.scan(batch=2)
        first = next(pages)
        assert pool.checkedout() == 0  # nothing is held between pages: other commands run meanwhile
        iid = propose(engine, title="Proposed while a scan is paused")
        # the first page (two ids) was read before; later pages are read after: the new one is seen
        # if it sorts later
        want = sorted([*before, iid]) if iid > before[1] else before
        assert [first.id, *_ids(pages)] == want
    finally:
        engine.close()


def test_scan_on_a_memory_store(engine: Engine) -> None:
    _populate(engine)
    _check_scans(engine)


def test_a_batch_below_one_is_refused(engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="batch"):
        engine.scan(batch=0)


def test_the_async_scan_gives_what_the_sync_one_does(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "scan.db"
    engine = Engine.open(str(path), clock=clock, ids=SequentialIds())
    engine.define_body(standing_committee())
    _populate(engine)
    want = [(i.id, i.state) for i in engine.scan("major_decision", batch=2)]
    engine.close()

    async def scan() -> list[tuple[str, str]]:
        face = await AsyncEngine.open(str(path), clock=clock, ids=SequentialIds())
        try:
            return [(i.id, i.state) async for i in face.scan("major_decision", batch=2)]
        finally:
            await face.close()

    assert asyncio.run(scan()) == want


def _bulk(store: SqlStore, count: int, start: int) -> None:
    """``count`` stored instances (in two states) written directly, as a bulk import would."""
    facts = {
        "title": "A matter with some text " * 8,
        "category": "major",
        "proposer": "sec",
        "body": "sc",
    }
    recs = [
        InstanceRecord(
            id=f"major_decision-{i:07d}",
            procedure="major_decision",
            procedure_version=1,
            pack="party-committee",
            pack_version="2026.1",
            state=("proposed", "withdrawn")[i % 2],
            version=1,
            facts=facts,
            created_at="2026-03-02T01:00:00.000000Z",
            updated_at="2026-03-02T01:00:00.000000Z",
            head_hash=f"{i:064x}",
            event_count=1,
        )
        for i in range(start, start + count)
    ]
    with store.unit() as unit:
        unit.commit(Write(update=None, expected_version=None, create=tuple(recs), events=()))


def _peak_while_scanning(engine: Engine, **kwargs: object) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    try:
        seen = sum(1 for _ in engine.scan(batch=100, **kwargs))  # type: ignore[arg-type]
        return seen, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_while_scanning_does_not_grow_with_the_number_of_instances(tmp_path: Path) -> None:
    store = SqlStore(str(tmp_path / "many.db"))
    engine = Engine(store, clock=ManualClock(START), ids=SequentialIds())
    try:
        _bulk(store, 1_000, 0)
        _peak_while_scanning(
            engine
        )  # warm: compiled statements and caches are not what is measured
        small = [_peak_while_scanning(engine), _peak_while_scanning(engine, state="proposed")]
        _bulk(store, 9_000, 1_000)
        large = [_peak_while_scanning(engine), _peak_while_scanning(engine, state="proposed")]
        assert [n for n, _ in small] == [1_000, 500] and [n for n, _ in large] == [10_000, 5_000]
        for (_, a), (_, b) in zip(small, large, strict=True):
            assert b < a * 1.5, (
                a,
                b,
            )  # ten times the instances; peak memory the same (a page at a time)
        tracemalloc.start()
        held = engine.instances()
        listed = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert (
            len(held) == 10_000 and listed > 5 * large[0][1]
        )  # the check can fail: holding them all does grow
    finally:
        engine.close()


def test_pages_are_index_ranges_not_sorts(tmp_path: Path) -> None:
    store = SqlStore(str(tmp_path / "plan.db"))
    store.close()
    conn = sqlite3.connect(tmp_path / "plan.db")
    try:
        for where in ("", "WHERE procedure = ? AND state = ? AND"):
            args = ("major_decision", "proposed", "x") if where else ("x",)
            sql = (
                f"EXPLAIN QUERY PLAN SELECT * FROM collegium_instances {where or 'WHERE'} id > ? "
                "ORDER BY id LIMIT 100"
            )
            plan = " ".join(row[-1] for row in conn.execute(sql, args))
            assert "SEARCH" in plan and "SCAN" not in plan and "TEMP B-TREE" not in plan, plan
    finally:
        conn.close()


def test_a_scan_resumes_past_a_group_whose_instances_all_moved(engine: Engine) -> None:
    _populate(engine)
    proposed = list(engine.scan("major_decision", "proposed"))
    last = proposed[-1]
    for inst in proposed:  # the group the keyset points into empties
        engine.fire(inst.id, "withdraw", "sec")
    rest = list(engine.scan("major_decision", after=(last.procedure, last.state, last.id)))
    assert [i.state for i in rest] == sorted(i.state for i in rest)
    assert {i.state for i in rest} >= {"withdrawn"}  # states after 'proposed' in the order
    assert all(i.state > "proposed" for i in rest)
