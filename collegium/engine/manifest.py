"""The checkpoint file: a signed statement over the heads of every hash chain, then the heads.

JSON Lines, UTF-8, each line ended by a line feed (line 1 is shown on two lines here)::

    {"format":"collegium-checkpoint/1","created_at":"2026-03-05T09:30:00.000000Z","chains":2,
     "root":"…","public_key":"…","signature":"…"}
    ["instance","md-1",9,"…"]
    ["instance","md-2",4,"…"]

- ``format``: this layout's name and version. ``created_at``: the engine clock's time when the
  checkpoint was taken (canonical UTC text). ``chains``: how many head lines follow.
- Each head line is ``[kind, chain id, seq, hash]``: the chain was ``seq`` events long and its last
  event hashed to ``hash``. Lines are in the order of ``collegium.store.heads`` (kind, then chain
  id, by code point), each chain once.
- ``root``: the RFC 6962 Merkle root (``collegium.engine.merkle``) whose leaves are the head lines'
  canonical JSON (no spaces, UTF-8, no line feed), in that order.
- ``public_key``: the signer's Ed25519 key. ``signature``: Ed25519 over the signed statement, the
  canonical JSON (keys sorted, no spaces, UTF-8) of line 1 without ``signature``.
- Keys, hashes and the signature are lower-case hex.

A reader trusts nothing in the file before it has checked the signature with a public key it was
given (not the one the file names) and recomputed the root from the head lines (``read`` here).
The file streams: a million chains are checked in the memory of one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson

from collegium._catalog import Message
from collegium.engine.keys import PublicKey, SigningKey
from collegium.engine.merkle import MerkleRoot
from collegium.errors import InvalidInput
from collegium.store.heads import KINDS, ChainHead

FORMAT = "collegium-checkpoint/1"
#: the longest line a reader accepts (a head line is some 250 bytes)
MAX_LINE = 64 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_FIELDS = ("format", "created_at", "chains", "root", "public_key", "signature")


@dataclass(frozen=True, slots=True, kw_only=True)
class Checkpoint:
    """The first line of a checkpoint file: what was signed, by whom, and the signature."""

    #: the file's layout and version
    format: str
    #: when the checkpoint was taken, by the engine's clock (canonical UTC text)
    created_at: str
    #: how many chains it lists
    chains: int
    #: the Merkle root over the listed heads (hex)
    root: str
    #: the signer's Ed25519 public key (hex)
    public_key: str
    #: Ed25519 over :meth:`statement` (hex)
    signature: str

    def statement(self) -> bytes:
        """The signed bytes: canonical JSON of every field but the signature."""
        return orjson.dumps(
            {k: v for k, v in self.to_dict().items() if k != "signature"},
            option=orjson.OPT_SORT_KEYS,
        )

    def to_dict(self) -> dict[str, Any]:
        """The first line of the file, as JSON data."""
        return {name: getattr(self, name) for name in _FIELDS}


def sign(*, created_at: str, chains: int, root: str, key: SigningKey) -> Checkpoint:
    """The statement over ``chains`` heads with Merkle root ``root``, signed with ``key``."""
    unsigned = Checkpoint(
        format=FORMAT,
        created_at=created_at,
        chains=chains,
        root=root,
        public_key=key.public_key.hex,
        signature="",
    )
    return Checkpoint(**{**unsigned.to_dict(), "signature": key.sign(unsigned.statement()).hex()})


def header_line(checkpoint: Checkpoint) -> bytes:
    """Line 1 of the file, with its line feed."""
    return orjson.dumps(checkpoint.to_dict()) + b"\n"


def read(src: IO[bytes], name: str, trusted: PublicKey, copy: IO[bytes]) -> Checkpoint:
    """Check the checkpoint file ``src`` (``name`` in messages); copy its head lines to ``copy``.

    The signature is checked with ``trusted``, the root recomputed from the head lines as they
    stream by, their number and order checked; then, and only then, the statement is returned and
    the copy can be read with :func:`heads`. Anything wrong with the file is :class:`InvalidInput`
    naming the file (and the line).
    """
    first = _line(src, name, 1)
    if first is None:
        raise InvalidInput(Message("{name} is empty: not a checkpoint file", name=name))
    header = _header(first, name)
    if header.public_key != trusted.hex:
        raise InvalidInput(
            Message(
                "{name} is signed by another key ({signer}…), not by the public key given "
                "({given}…)",
                name=name,
                signer=header.public_key[:16],
                given=trusted.hex[:16],
            )
        )
    if not trusted.verify(header.statement(), bytes.fromhex(header.signature)):
        raise InvalidInput(
            Message(
                "{name}: the signature does not match the statement: line 1 was edited", name=name
            )
        )
    tree, last, number = MerkleRoot(), None, 1
    while (raw := _line(src, name, number + 1)) is not None:
        number += 1
        head = _head(raw, name, number)
        if last is not None and head.key <= last.key:
            raise InvalidInput(
                Message(
                    "{name} line {number}: {kind} {id!r} is out of order or repeated",
                    name=name,
                    number=number,
                    kind=head.kind,
                    id=head.chain_id,
                )
            )
        leaf = head.leaf()
        tree.add(leaf)
        copy.write(leaf + b"\n")
        last = head
    if tree.count != header.chains:
        raise InvalidInput(
            Message(
                "{name} lists {count} chains where its statement says {chains}: "
                "the file was cut short or edited",
                name=name,
                count=tree.count,
                chains=header.chains,
            )
        )
    if tree.hexdigest() != header.root:
        raise InvalidInput(
            Message(
                "{name}: the heads it lists do not hash to its signed root: the list was edited",
                name=name,
            )
        )
    return header


def heads(copy: IO[bytes]) -> Iterator[ChainHead]:
    """The heads in a copy made by :func:`read` (read from where it stands)."""
    for line in copy:
        kind, chain_id, seq, digest = orjson.loads(line)
        yield ChainHead(kind=kind, chain_id=chain_id, seq=seq, hash=digest)


def _line(src: IO[bytes], name: str, number: int) -> bytes | None:
    raw = src.readline(MAX_LINE + 1)
    if not raw:
        return None
    if not raw.endswith(b"\n"):
        if len(raw) > MAX_LINE:
            raise InvalidInput(
                Message(
                    "{name} line {number} is longer than {most} bytes: not a checkpoint file",
                    name=name,
                    number=number,
                    most=MAX_LINE,
                )
            )
        raise InvalidInput(
            Message(
                "{name} line {number} has no line end: the file was cut short",
                name=name,
                number=number,
            )
        )
    return raw


def _json(raw: bytes, name: str, number: int) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidInput(
            Message(
                "{name} line {number} is not JSON: not a checkpoint file, or a damaged one",
                name=name,
                number=number,
            )
        ) from None


def _header(raw: bytes, name: str) -> Checkpoint:
    doc = _json(raw, name, 1)
    if not isinstance(doc, dict) or "format" not in doc:
        raise InvalidInput(
            Message("{name} is not a checkpoint file (line 1 has no format)", name=name)
        )
    if doc["format"] != FORMAT:
        raise InvalidInput(
            Message(
                "{name} has format {found!r}; this version reads {wanted!r}",
                name=name,
                found=str(doc["format"])[:60],
                wanted=FORMAT,
            )
        )
    if set(doc) != set(_FIELDS):
        raise InvalidInput(
            Message(
                "{name} line 1 must have exactly the fields {fields}",
                name=name,
                fields=", ".join(_FIELDS),
            )
        )
    checks = {"created_at": _TIME, "root": _HEX64, "public_key": _HEX64, "signature": _HEX128}
    for field, pattern in checks.items():
        if not isinstance(doc[field], str) or not pattern.fullmatch(doc[field]):
            raise InvalidInput(
                Message("{name} line 1: {field} is malformed", name=name, field=field)
            )
    chains = doc["chains"]
    if type(chains) is not int or chains < 0:
        raise InvalidInput(Message("{name} line 1: chains must be a whole number", name=name))
    return Checkpoint(**doc)


def _head(raw: bytes, name: str, number: int) -> ChainHead:
    doc = _json(raw, name, number)
    if not (
        isinstance(doc, list)
        and len(doc) == 4
        and doc[0] in KINDS
        and isinstance(doc[1], str)
        and doc[1]
        and type(doc[2]) is int
        and doc[2] >= 1
        and isinstance(doc[3], str)
        and _HEX64.fullmatch(doc[3])
    ):
        raise InvalidInput(
            Message(
                "{name} line {number} is not a chain's head [kind, id, seq, hash] of a "
                "kind this version knows ({kinds})",
                name=name,
                number=number,
                kinds=", ".join(KINDS),
            )
        )
    return ChainHead(kind=doc[0], chain_id=doc[1], seq=doc[2], hash=doc[3])
