"""Probes that read a Collegium database as an outside attacker holding its files or server would.

Nothing here imports Collegium. Each backend's probe reads the store with plain SQL over the
server's own introspection, or parses the documented file formats: :mod:`.postgresql`
(``pageinspect``, ``pg_walinspect``), :mod:`.sqlite` (the database file and its write-ahead log),
:mod:`.mariadb` (the general log and InnoDB's ``.ibd`` files). A probe returns :class:`Trace`
records, each something the store keeps that one known transaction wrote, and :func:`link` judges
them the same way on every backend.

A trace links its transaction to a choice when it writes a table that holds choices
(``CHOICE_TABLES``), or when it names some of the ballot's options but not all: the facts written in
every step list the whole options list, so naming an option alone says nothing. The options must not
be substrings of one another (agree / oppose / abstain, not agree / disagree). :func:`choice_runs`
finds a list of individual choices kept anywhere (a run of more option names than there are
options): such a list, in the order ballots were cast or stored, would link each choice to a voter
through that order.

What no probe here reads: PostgreSQL's index pages and the full-page images in its WAL (copies of
pages whose tuples the probes read where they are kept), tuple headers in free space overwritten in
part; SQLite's older WAL generations except by a byte search; MariaDB's binary log (off on these
servers), its redo log, and undo pages that purge freed before they were written; anything outside
the database's own files (the filesystem's free blocks and journal, swap, backups, server logs other
than MariaDB's general log while a probe turns it on).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: the tables whose rows hold choices: a voter's transaction writing one of them links its voter to
#: a choice
CHOICE_TABLES = frozenset({"collegium_ballot_counts", "collegium_votes"})


@dataclass(frozen=True, kw_only=True)
class Trace:
    """Something the store keeps that one transaction wrote: a row version, a statement, a commit's
    changed rows or pages, a WAL record. ``where`` says where it was found; ``tables`` are the
    tables it writes; ``content`` is the bytes it holds (values decoded from their storage format
    where needed)."""

    where: str
    tables: frozenset[str]
    content: bytes


def named(content: bytes, options: Sequence[str]) -> list[str]:
    """The options that ``content`` names."""
    return [o for o in options if o.encode() in content]


def link(trace: Trace, options: Sequence[str]) -> str | None:
    """Why ``trace`` links the transaction that wrote it to a choice, or None."""
    _check_options(options)
    found = named(trace.content, options)
    what = f"names {', '.join(found)} of {', '.join(options)}"
    touched = sorted(trace.tables & CHOICE_TABLES)
    if touched:
        return f"{trace.where}: writes {', '.join(touched)}" + (f" ({what})" if found else "")
    if found and len(found) < len(options):
        return f"{trace.where}: {what}"
    return None


def links(traces: Mapping[str, Iterable[Trace]], options: Sequence[str]) -> dict[str, list[str]]:
    """For each voter (the key of ``traces``) whose transaction left a linking trace, why."""
    found = {
        voter: [why for t in ts if (why := link(t, options)) is not None]
        for voter, ts in traces.items()
    }
    return {voter: whys for voter, whys in found.items() if whys}


def choice_runs(content: bytes, options: Sequence[str], gap: int = 8) -> list[bytes]:
    """Runs of more option names than there are options, separated by at most ``gap`` bytes that are
    not letters: a list of individual choices (``["agree","oppose","agree",...]``), as no options
    list, count table or named result can be, since each of those names every option once."""
    _check_options(options)
    name = b"(?:" + b"|".join(re.escape(o.encode()) for o in options) + b")"
    run = name + b"(?:[^A-Za-z]{1,%d}" % gap + name + b"){%d,}" % len(options)
    return [m.group() for m in re.finditer(run, content)]


def switches(order: Sequence[frozenset[str]], first: str, second: str) -> int:
    """How many times a sequence of writes (each the tables it writes, in the order they were made)
    turns from ``first`` to ``second`` or back. More than one turn inside a counting transaction
    means its writes of totals are interleaved with its deletions of sealed choices, which would tie
    each deleted choice (and so its voter) to the total written next."""
    marks = [t for tables in order for t in (first, second) if t in tables]
    return sum(1 for a, b in itertools.pairwise(marks) if a != b)


def _check_options(options: Sequence[str]) -> None:
    for a in options:
        for b in options:
            if a != b and a in b:
                raise ValueError(f"option {a!r} is part of {b!r}: a probe cannot tell them apart")
