"""Signed checkpoints: what the hash chains held at a moment, signed by a key kept off the database.

``take`` (``Engine.checkpoint``, ``collegium audit checkpoint``) verifies the audit first and
refuses to sign a store that fails it; then it lists every chain's head — its length and last
hash — and signs the Merkle root of that list (the file's layout: ``collegium.engine.manifest``).
``verify`` (``Engine.verify_checkpoint``, ``collegium audit verify --against``) checks a
checkpoint's signature with a public key the caller trusts and recomputes its root, then asks the
store for each listed head: the chain must still exist, and its event at the listed sequence
number must still be there with the listed hash; then it runs the ordinary audit.

So a checkpoint catches what a hash chain alone cannot, for everything written before it: tail
events deleted (with the instance row reset to match), an instance deleted with all its events, a
chain rewritten or re-extended by someone who recomputed the hashes. Events appended after the
checkpoint pass, as they should. What it cannot catch is said in ``collegium.engine.audit``.

Both stream: heads go from the store, in order, through a spooled temporary file into the
checkpoint, and a checkpoint is checked from such a copy a few hundred heads at a time, so a million
chains need no more memory than a thousand.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from collegium._catalog import Message
from collegium.engine import manifest
from collegium.engine.audit import AuditReport
from collegium.engine.clock import format_time
from collegium.engine.keys import PublicKey, SigningKey
from collegium.engine.manifest import Checkpoint
from collegium.engine.merkle import MerkleRoot
from collegium.errors import AuditError, AuditFailed, InvalidInput
from collegium.store.heads import ChainHead, StoredHead

if TYPE_CHECKING:
    from collegium.engine.engine import Engine

#: where a checkpoint is written: a path that does not exist yet, or a binary stream
CheckpointTarget = str | os.PathLike[str] | IO[bytes]
#: where a checkpoint is read from: a path, or a binary stream
CheckpointSource = str | os.PathLike[str] | IO[bytes]

_SPOOL = 8 * 1024 * 1024  # bytes of heads kept in memory before the copy goes to a file
_BATCH = 400  # heads looked up in the store per query
_PROBLEMS = 100  # problems a report keeps (it counts them all)


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckpointProblem:
    """A chain that no longer holds the head a checkpoint listed: its kind, id, the listed ``seq``,
    and what is wrong (``reason``, in English; :meth:`message` says it all in another language)."""

    kind: str
    chain_id: str
    seq: int
    reason: str
    #: ``reason`` as found, to say in another language (None: English only)
    said: Message | None = field(default=None, compare=False, repr=False)

    def reason_in(self, lang: str = "en") -> str:
        """``reason`` in ``lang``."""
        return self.reason if self.said is None else self.said.say(lang)

    def message(self, lang: str = "en") -> str:
        """Which event of which chain, and what, in ``lang``."""
        chain = Message("{kind} {id}", kind=_KINDS.get(self.kind, self.kind), id=self.chain_id)
        return Message(
            "event {seq} of {chain}: {reason}",
            seq=self.seq,
            chain=chain,
            reason=self.said or self.reason,
        ).say(lang)

    def __str__(self) -> str:
        return self.message("en")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The problem as plain JSON data, its reason in ``lang``."""
        return {
            "kind": self.kind,
            "chain": self.chain_id,
            "seq": self.seq,
            "reason": self.reason_in(lang),
        }


#: the kinds of chain, as words in a message
_KINDS = {"instance": Message("instance"), "body": Message("body")}


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckpointReport:
    """Result of :meth:`Engine.verify_checkpoint
    <collegium.engine.engine.Engine.verify_checkpoint>`: the checkpoint's statement, the chains it
    lists that changed, and the ordinary audit run after them."""

    checkpoint: Checkpoint
    #: how many of the chains it lists no longer hold their listed head
    changed: int
    #: the first of those (at most 100), in the checkpoint's order
    problems: tuple[CheckpointProblem, ...]
    #: the ordinary audit of the store as it is now
    audit: AuditReport

    @property
    def ok(self) -> bool:
        """Whether every listed head still holds and the audit passed."""
        return self.changed == 0 and self.audit.ok

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """The audit's report (as ``audit verify --json`` prints it), with ``ok`` for both and a
        ``checkpoint`` part; the problems' reasons in ``lang``."""
        statement = {k: v for k, v in self.checkpoint.to_dict().items() if k != "signature"}
        return {
            **self.audit.to_dict(lang),
            "ok": self.ok,
            "checkpoint": {
                **statement,
                "changed": self.changed,
                "problems": [p.to_dict(lang) for p in self.problems],
            },
        }


def take(engine: Engine, key: SigningKey | bytes, out: CheckpointTarget) -> Checkpoint:
    """Verify the audit, then write to ``out`` every chain's head, signed with ``key``.

    :class:`AuditFailed` if the audit fails, :class:`InvalidInput` if ``out`` exists or cannot be
    written: then nothing is written.
    """
    signer = key if isinstance(key, SigningKey) else SigningKey(key)
    if isinstance(out, (str, os.PathLike)) and Path(out).exists():
        raise InvalidInput(_exists(os.fspath(out)))
    report = engine.verify_audit()
    if not report.ok:
        raise AuditFailed(
            Message(
                "the audit fails, so no checkpoint was signed: {problem}", problem=report.problem
            ),
            report=report,
        )
    created_at = format_time(engine.clock.now())
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL) as spool:
        tree = MerkleRoot()
        last: ChainHead | None = None
        for head in engine.store.chain_heads():
            if last is not None and head.key <= last.key:
                raise AuditError(
                    Message(
                        "the store gave the chains' heads out of order ({chain!r} after "
                        "{last!r}): its collation is not by code point",
                        chain=head.chain_id,
                        last=last.chain_id,
                    )
                )
            leaf = head.leaf()
            tree.add(leaf)
            spool.write(leaf + b"\n")
            last = head
        signed = manifest.sign(
            created_at=created_at, chains=tree.count, root=tree.hexdigest(), key=signer
        )
        spool.seek(0)
        if isinstance(out, (str, os.PathLike)):
            _write_file(Path(out), signed, spool)
        else:
            _write(out, signed, spool)
    return signed


def verify(
    engine: Engine, against: CheckpointSource, public_key: PublicKey | bytes
) -> CheckpointReport:
    """Check the checkpoint ``against``, signed by ``public_key``, against the store; then run the
    audit. :class:`InvalidInput` if the file is not a checkpoint signed by that key, heads intact.
    """
    trusted = public_key if isinstance(public_key, PublicKey) else PublicKey(public_key)
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL) as copy:
        with _reading(against) as (src, name):
            signed = manifest.read(src, name, trusted, copy)
        copy.seek(0)
        changed = 0
        problems: list[CheckpointProblem] = []
        listed = manifest.heads(copy)
        while batch := list(itertools.islice(listed, _BATCH)):
            for found in engine.store.stored_heads(batch):
                reason = _judge(found)
                if reason is None:
                    continue
                changed += 1
                if len(problems) < _PROBLEMS:
                    h = found.head
                    problems.append(
                        CheckpointProblem(
                            kind=h.kind,
                            chain_id=h.chain_id,
                            seq=h.seq,
                            reason=str(reason),
                            said=reason,
                        )
                    )
    return CheckpointReport(
        checkpoint=signed, changed=changed, problems=tuple(problems), audit=engine.verify_audit()
    )


def _judge(found: StoredHead) -> Message | None:
    """What is wrong with a listed head as the store holds it; None if it still holds."""
    head = found.head
    kind = _KINDS.get(head.kind, head.kind)
    if not found.chain_exists:
        if found.hash is None:
            return Message(
                "the {kind} and its events were deleted (the checkpoint lists {seq} events)",
                kind=kind,
                seq=head.seq,
            )
        return Message("the {kind}'s row was deleted", kind=kind)
    if found.hash is None:
        return Message(
            "the chain's head at the checkpoint is gone: events were deleted (the {kind} now "
            "records {recorded})",
            kind=kind,
            recorded=found.recorded,
        )
    if found.hash != head.hash:
        return Message(
            "differs from the checkpoint: the chain was rewritten up to here, its hashes recomputed"
        )
    return None


def _write(out: IO[bytes], signed: Checkpoint, heads: IO[bytes]) -> None:
    out.write(manifest.header_line(signed))
    while chunk := heads.read(1 << 20):
        out.write(chunk)


def _write_file(path: Path, signed: Checkpoint, heads: IO[bytes]) -> None:
    try:
        f = open(path, "xb")  # noqa: SIM115 (closed below, and removed if the writing fails)
    except FileExistsError:
        raise InvalidInput(_exists(path)) from None
    except OSError as exc:
        raise InvalidInput(_unwritable(path, exc)) from None
    try:
        with f:
            _write(f, signed, heads)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise InvalidInput(_unwritable(path, exc)) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _exists(path: object) -> Message:
    return Message("{path} already exists; a checkpoint is never overwritten", path=path)


def _unwritable(path: Path, exc: OSError) -> Message:
    return Message(
        "cannot write checkpoint {path}: {reason}", path=path, reason=exc.strerror or exc
    )


@contextmanager
def _reading(source: CheckpointSource) -> Iterator[tuple[IO[bytes], str]]:
    if not isinstance(source, (str, os.PathLike)):
        yield source, str(getattr(source, "name", "the checkpoint"))
        return
    name = os.fspath(source)
    try:
        f = open(name, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise InvalidInput(
            Message(
                "cannot read checkpoint {path}: {reason}", path=name, reason=exc.strerror or exc
            )
        ) from None
    with f:
        yield f, name
