"""The embedding guide's async section, as one program that runs (the docs test runs it): an
``AsyncEngine`` on a SQLite file through aiosqlite, concurrent tasks, a coroutine subscriber,
and the host's ``AsyncSession``.

Run it with ``python docs/examples/async_host.py``.
"""

import asyncio
import datetime as dt
import tempfile
from pathlib import Path

# --8<-- [start:open]
from collegium import AsyncEngine, Body, ManualClock, Member, SequentialIds

CST = dt.timezone(dt.timedelta(hours=8))
MATTER = {
    "title": "A new bus line",
    "category": "major",
    "proposer": "sec",
    "lead_member": "m1",
    "body": "sc",
    "confidentiality": "public",
}


async def main(path: Path) -> None:
    clock = ManualClock(dt.datetime(2026, 6, 1, 9, 0, tzinfo=CST))
    # a SQLite path or a sync URL is taken to its async driver: sqlite+aiosqlite,
    # postgresql+asyncpg, mysql+aiomysql
    async with await AsyncEngine.open(str(path), clock=clock, ids=SequentialIds()) as engine:
        await engine.define_body(
            Body(
                id="sc",
                kind="standing",
                members=(
                    Member(person="sec", role="secretary"),
                    *(Member(person=f"m{i}", role="standing_member") for i in (1, 2, 3, 4)),
                ),
            )
        )
        matter = (await engine.start("major_decision", "sec", MATTER)).instance.id

        # --8<-- [end:open]
        # --8<-- [start:tasks]
        async def push(event):  # a coroutine subscriber: awaited after each commit
            await asyncio.sleep(0)  # a websocket send, say
            print("pushed", event.trigger, event.data.get("member", ""))

        engine.subscribe(push)
        await engine.fire(matter, "prepare", "m1")
        await engine.fire(matter, "start_deliberation", "m1", {"preparation": "a survey of riders"})
        members = [m.person for m in (await engine.body("sc")).members]
        await asyncio.gather(
            *(
                engine.fire(matter, "consult", "sec", {"member": p, "view": "agree"})
                for p in members
            )
        )  # five tasks, one engine, each on a pooled connection
        print((await engine.get(matter)).state, len(await engine.history(matter)), "events")
        # --8<-- [end:tasks]


# --8<-- [start:session]
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine


async def in_the_hosts_session(path: Path) -> None:
    host = create_async_engine(f"sqlite+aiosqlite:///{path}")  # the host's own engine and session
    async with AsyncSession(host) as session:
        engine = await AsyncEngine.open(
            session, clock=ManualClock(dt.datetime(2026, 6, 2, 9, 0, tzinfo=CST))
        )
        await engine.start(
            "major_decision", "sec", {**MATTER, "title": "Night buses"}, instance_id="night-buses"
        )
        await session.rollback()  # the host's request failed after the step: the step goes too
        await engine.close()
    await host.dispose()
    async with await AsyncEngine.open(
        str(path), clock=ManualClock(dt.datetime(2026, 6, 2, tzinfo=CST))
    ) as engine:
        print("after the host's rollback:", [i.id for i in await engine.instances()])


# --8<-- [end:session]


if __name__ == "__main__":
    db = Path(tempfile.mkdtemp()) / "decisions.db"
    asyncio.run(main(db))
    asyncio.run(in_the_hosts_session(db))
