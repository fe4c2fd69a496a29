"""Figures (l): what the integrity of votes and of the audit costs, on SQLite, each against a
baseline measured in the same run.

- (l1) a vote in an electronic secret ballot (the choice sealed to the tellers' key) against a
  vote in a named ballot of the same body: the price of secrecy per vote.
- (l2) the tellers' count of an electronic secret ballot (one ``count_ballots`` step that opens
  every sealed choice) against opening as many sealed boxes with PyNaCl alone: the floor of the
  cryptography the count cannot avoid.
- (l3) ``verify_audit`` (every chain, then every stored row that decides an outcome checked
  against the chains) against the hash chains alone over the same database: the price of the
  cross-check.

Same method as the other figures: the two sides alternate in one process, set-up is untimed, the
collector is off while timing, and the figure is the median of the repetitions.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import bench_ballot as bb
from benchmarks.bench_core import Figure, Settings, _timed, alternate, temp_dir
from collegium.engine.audit import verify
from collegium.engine.sealing import SodiumSealer, TellerKey

SECRET = TellerKey.from_secret("ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRSQ")
TELLERS = ("v000002", "v000003")


@dataclass(frozen=True, slots=True)
class IntegritySettings:
    """How much work (l) does: a body of ``voters`` members; ``reps`` ballots per side of (l1) and
    of (l2), every member voting in each; (l3) audits, ``reps`` times, the database they leave."""

    voters: int
    reps: int


QUICK = IntegritySettings(voters=101, reps=5)
FULL = IntegritySettings(voters=301, reps=7)


def settings_for(s: Settings) -> IntegritySettings:
    """QUICK and FULL for the modes of ``python -m benchmarks``; a small body for any other mode
    (the harness's own test)."""
    sizes = {"quick": QUICK, "full": FULL}
    return sizes.get(s.mode, IntegritySettings(voters=11, reps=s.reps))


class Sittings:
    """A SQLite database with a body of ``voters`` members, and ballots opened in it by method."""

    def __init__(self, root: Path, voters: int) -> None:
        self.congress = bb.Congress(root, voters)
        self.engine = self.congress.engine
        self.people = self.congress.people

    def open(self, method: str) -> str:
        """A ``major_decision`` taken to ``in_meeting`` with a ballot by ``method`` and every view
        stated, the secretary's last (untimed: the votes are what is timed); its id."""
        data: dict[str, object] = {"method": method}
        if method == "secret_electronic":
            data |= {"tellers": list(TELLERS), "ballot_key": SECRET.public}
        iid, _ = self.congress.open_ballot(**data)
        return iid

    def casting(self, method: str) -> Callable[[], int]:
        """Open a ballot by ``method`` (untimed); return the casting of every member's vote."""
        iid = self.open(method)
        fire = self.engine.fire

        def cast() -> int:
            for i, person in enumerate(self.people):
                fire(iid, "vote", person, {"choice": bb.CHOICES[i % 4]})
            return len(self.people)

        return cast

    def counting(self) -> Callable[[], int]:
        """An electronic secret ballot with every vote in (untimed); return its count."""
        iid = self.open("secret_electronic")
        for i, person in enumerate(self.people):
            self.engine.fire(iid, "vote", person, {"choice": bb.CHOICES[i % 4]})
        voters = len(self.people)

        def count() -> int:
            self.engine.fire(iid, "count_ballots", TELLERS[0], {"teller_secret": SECRET.secret})
            return voters

        return count

    def close(self) -> None:
        self.congress.close()


def _opening_floor(voters: int) -> Callable[[], float]:
    """Seconds per choice to open ``voters`` sealed boxes with PyNaCl alone (sealing untimed)."""
    sealer = SodiumSealer()

    def sample() -> float:
        boxes = [sealer.seal(SECRET.public, bb.CHOICES[i % 4]) for i in range(voters)]
        return _timed(lambda: len(sealer.open(SECRET.secret, SECRET.public, boxes)))

    return sample


def _figure(
    key: str,
    name: str,
    unit: str,
    scale: float,
    xs: list[float],
    ys: list[float],
    anchor_name: str,
    target: float,
    notes: str,
) -> Figure:
    return Figure(
        key,
        name,
        unit,
        statistics.median(xs) * scale,
        statistics.median(ys) * scale,
        anchor_name,
        target,
        "ratio",
        [x * scale for x in xs],
        [y * scale for y in ys],
        notes,
    )


def figure_l(s: Settings) -> list[Figure]:
    ls = settings_for(s)
    with temp_dir() as root:
        sittings = Sittings(root, ls.voters)
        try:
            secret, named = alternate(
                ls.reps,
                lambda: _timed(sittings.casting("secret_electronic")),
                lambda: _timed(sittings.casting("show_of_hands")),
            )
            counted, opened = alternate(
                ls.reps, lambda: _timed(sittings.counting()), _opening_floor(ls.voters)
            )
            store = sittings.engine.store

            def chains() -> float:
                return _timed(lambda: verify(store.iter_instances(), store.iter_events()).events)

            def audit() -> int:
                report = sittings.engine.verify_audit()
                if not report.ok:
                    raise AssertionError(f"the benchmark's database fails its audit: {report}")
                return report.events

            def full() -> float:
                return _timed(audit)

            audited, chained = alternate(ls.reps, full, chains)
        finally:
            sittings.close()
    return [
        _figure(
            "l1",
            f"secret (electronic) vote, {ls.voters}-member body",
            "µs/vote",
            1e6,
            secret,
            named,
            "named vote",
            2.0,
            "fire('vote') sealing the choice to the tellers' key vs the same vote by show of hands",
        ),
        _figure(
            "l2",
            f"count of a {ls.voters}-vote sealed ballot",
            "µs/vote",
            1e6,
            counted,
            opened,
            "PyNaCl open",
            4.0,
            "one count_ballots step opening every sealed choice vs SealedBox.decrypt alone",
        ),
        _figure(
            "l3",
            "verify_audit, per event",
            "µs/event",
            1e6,
            audited,
            chained,
            "hash chains alone",
            2.0,
            "chains + cross-check of votes, voters, counts, timers, definitions, bodies vs "
            "the chains alone",
        ),
    ]
