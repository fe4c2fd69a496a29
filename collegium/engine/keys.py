"""The Ed25519 keys that sign checkpoints (:mod:`collegium.engine.checkpoint`), and their files.

The signing key never enters the database. ``collegium audit keygen --out FILE`` writes it to FILE,
readable by its owner only (mode 0600), and its public half to ``FILE.pub``. Keep FILE off the
database host (whoever reads it can sign a checkpoint of a rewritten store), and give verifiers
``FILE.pub`` by a way they trust: they pin it, and never take a checkpoint's own word for its key.

Each file is one JSON object, UTF-8, keys as 64 lower-case hex digits::

    FILE      {"format": "collegium-signing-key/1", "algorithm": "ed25519",
               "seed": "…", "public_key": "…"}
    FILE.pub  {"format": "collegium-public-key/1", "algorithm": "ed25519", "public_key": "…"}

``seed`` is the 32-byte Ed25519 private key of RFC 8032, from which the public key follows.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.signing
import orjson

from collegium._catalog import Message
from collegium.errors import InvalidInput

SIGNING_FORMAT = "collegium-signing-key/1"
PUBLIC_FORMAT = "collegium-public-key/1"
_HEX_KEY = re.compile(r"[0-9a-f]{64}")
_MAX_FILE = 4096
_BAD_SIGNATURE = (
    nacl.exceptions.BadSignatureError,
    nacl.exceptions.ValueError,
    nacl.exceptions.TypeError,
)


@dataclass(frozen=True, slots=True, repr=False)
class PublicKey:
    """An Ed25519 public key: checks the signature of a checkpoint. ``raw``: its 32 bytes."""

    raw: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.raw, bytes) or len(self.raw) != 32:
            raise InvalidInput(Message("a public key must be 32 bytes"))

    @classmethod
    def from_hex(cls, text: str) -> PublicKey:
        """The key from its 64 hex digits."""
        return cls(_from_hex(text, Message("a public key")))

    @property
    def hex(self) -> str:
        """The key as 64 lower-case hex digits (as checkpoints and key files carry it)."""
        return self.raw.hex()

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            nacl.signing.VerifyKey(self.raw).verify(message, signature)
        except _BAD_SIGNATURE:
            return False
        return True

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> PublicKey:
        """The key in a public key file (``FILE.pub``); :class:`InvalidInput` if it is not one."""
        doc = _read_key(
            path,
            PUBLIC_FORMAT,
            SIGNING_FORMAT,
            "public_key",
            Message("is a signing key; give its public key, the file ending in .pub"),
        )
        what = Message("the public key in {path}", path=os.fspath(path))
        return cls(_from_hex(doc["public_key"], what))

    def to_dict(self) -> dict[str, str]:
        """The content of a public key file."""
        return {"format": PUBLIC_FORMAT, "algorithm": "ed25519", "public_key": self.hex}

    def __repr__(self) -> str:
        return f"PublicKey({self.hex!r})"


@dataclass(frozen=True, slots=True, repr=False)
class SigningKey:
    """An Ed25519 private key: signs checkpoints. ``seed``: its 32 bytes (RFC 8032's private key),
    which ``repr`` never shows."""

    seed: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.seed, bytes) or len(self.seed) != 32:
            raise InvalidInput(Message("a signing key must be 32 bytes"))

    @classmethod
    def generate(cls) -> SigningKey:
        """A new key from the operating system's random source."""
        return cls(bytes(nacl.signing.SigningKey.generate()))

    @property
    def public_key(self) -> PublicKey:
        """The public half, which verifiers pin."""
        return PublicKey(bytes(nacl.signing.SigningKey(self.seed).verify_key))

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message``."""
        return nacl.signing.SigningKey(self.seed).sign(message).signature

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> SigningKey:
        """The key in a signing key file; :class:`InvalidInput` if it is not one."""
        doc = _read_key(
            path,
            SIGNING_FORMAT,
            PUBLIC_FORMAT,
            "seed",
            Message("is a public key; signing needs the private key file"),
        )
        key = cls(_from_hex(doc["seed"], Message("the seed in {path}", path=os.fspath(path))))
        if doc["public_key"] != key.public_key.hex:
            raise InvalidInput(
                Message("{path}: its public key does not belong to its seed", path=os.fspath(path))
            )
        return key

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the key to ``path`` (mode 0600) and its public key to ``path`` + ``.pub``; neither
        may exist yet. Returns the public key file's path."""
        private, public = Path(path), Path(f"{os.fspath(path)}.pub")
        for target in (private, public):
            if target.exists():
                raise InvalidInput(_exists(target))
        doc = {
            "format": SIGNING_FORMAT,
            "algorithm": "ed25519",
            "seed": self.seed.hex(),
            "public_key": self.public_key.hex,
        }
        _write_new(private, doc, 0o600)
        try:
            _write_new(public, self.public_key.to_dict(), 0o644)
        except InvalidInput:
            private.unlink()
            raise
        return public

    def __repr__(self) -> str:
        return f"SigningKey(public_key={self.public_key.hex!r})"


def _exists(path: Path) -> Message:
    return Message("{path} already exists; a key file is never overwritten", path=path)


def _from_hex(value: object, what: Message) -> bytes:
    if isinstance(value, str) and _HEX_KEY.fullmatch(value):
        return bytes.fromhex(value)
    raise InvalidInput(
        Message("{what} must be 32 bytes, written as 64 lower-case hex digits", what=what)
    )


def _read_key(
    path: str | os.PathLike[str], wanted: str, other: str, field: str, mistaken: Message
) -> dict[str, Any]:
    """The JSON object of a key file of format ``wanted``, with exactly its fields (``field`` among
    them); ``mistaken`` is the message for a file of the ``other`` format."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read(_MAX_FILE + 1)
    except OSError as exc:
        raise InvalidInput(
            Message("cannot read key file {name}: {cause}", name=name, cause=exc.strerror or exc)
        ) from None
    try:
        doc = orjson.loads(data) if len(data) <= _MAX_FILE else None
    except orjson.JSONDecodeError:
        doc = None
    if not isinstance(doc, dict):
        raise InvalidInput(
            Message("{name} is not a Collegium key file (one JSON object)", name=name)
        )
    if doc.get("format") == other:
        raise InvalidInput(Message("{name} {mistaken}", name=name, mistaken=mistaken))
    fields = {"format", "algorithm", "public_key", field}
    if doc.get("format") != wanted or set(doc) != fields or doc["algorithm"] != "ed25519":
        if wanted == SIGNING_FORMAT:
            raise InvalidInput(
                Message(
                    "{name} is not a Collegium signing key file ({wanted})",
                    name=name,
                    wanted=wanted,
                )
            )
        raise InvalidInput(
            Message(
                "{name} is not a Collegium public key file ({wanted})", name=name, wanted=wanted
            )
        )
    return doc


def _write_new(path: Path, doc: dict[str, str], mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise InvalidInput(_exists(path)) from None
    except OSError as exc:
        raise InvalidInput(_cannot_write(path, exc)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(orjson.dumps(doc) + b"\n")
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise InvalidInput(_cannot_write(path, exc)) from None


def _cannot_write(path: Path, exc: OSError) -> Message:
    return Message("cannot write key file {path}: {cause}", path=path, cause=exc.strerror or exc)
