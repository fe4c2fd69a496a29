"""Electronic secret ballots: each choice is sealed to the ballot's public key when it is cast, and
opened only when the tellers count, with the secret they hold.

The tellers make a key pair before the meeting (:meth:`TellerKey.generate`, ``collegium vote key``);
the ballot is opened with its public key. A vote stores the choice as a libsodium sealed box (X25519
and XSalsa20-Poly1305, through PyNaCl) of the choice padded to ``PAD`` (32) bytes, so every
ciphertext has the same length whatever the choice. At the count the tellers give their secret; the
engine derives the private key from it in memory, checks that it belongs to the ballot's public key,
opens every sealed choice and counts them. Neither the secret nor the private key is ever written to
the store, an event or the outbox.

The engine takes a :class:`Sealer`, as it takes a clock: :class:`SodiumSealer` by default; a replay
of recorded history (``collegium.engine.rejudge``) gives one that returns what the history recorded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from collegium._catalog import Message
from collegium.errors import InvalidInput

# : every choice is padded to this many bytes before it is sealed (an option is at most 32
# characters)
PAD = 32


@dataclass(frozen=True, slots=True, kw_only=True)
class TellerKey:
    """The tellers' key pair of an electronic secret ballot: ``secret`` (kept by the tellers, given
    at the count, never stored) and ``public`` (given when the ballot opens, stored with it)."""

    secret: str
    public: str

    @classmethod
    def generate(cls) -> TellerKey:
        """A new key pair from the operating system's random source."""
        return cls.from_secret(_format_secret(secrets.token_bytes(32)))

    @classmethod
    def from_secret(cls, secret: str) -> TellerKey:
        """The key pair of ``secret``; :class:`InvalidInput` if it is not a tellers' secret."""
        from nacl.public import PrivateKey

        seed = _parse_secret(secret)
        return cls(secret=_format_secret(seed), public=PrivateKey(seed).public_key.encode().hex())


def _format_secret(seed: bytes) -> str:
    """32 bytes as 13 groups of 4 base32 letters and digits: ``ABCD-EFGH-…``."""
    text = base64.b32encode(seed).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _parse_secret(secret: str) -> bytes:
    text = "".join(secret.split()).replace("-", "").upper()
    try:
        seed = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        seed = b""
    if len(seed) != 32:
        raise InvalidInput(
            Message(
                "the tellers' secret is 52 letters and digits in groups of four, as `collegium "
                "vote key` printed it"
            )
        )
    return seed


def check_public_key(text: str) -> str:
    """A ballot key as given when a ballot opens: 64 hexadecimal digits (32 bytes); returned in
    lower case."""
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InvalidInput(
            Message(
                "the ballot key is the tellers' public key: 64 hexadecimal digits, as `collegium "
                "vote key` printed it"
            )
        )
    return raw.hex()


class Sealer(Protocol):
    """Seals a choice to a ballot's public key, and opens the sealed choices of a ballot at its
    count."""

    def seal(self, public_key: str, choice: str) -> str:
        """``choice`` sealed to ``public_key``, as text the store keeps."""
        ...

    def digest(self, sealed: str) -> str:
        """The SHA-256 a vote's event records of what it sealed."""
        ...

    def open(self, teller_secret: str | None, public_key: str, sealed: Sequence[str]) -> list[str]:
        """The choices sealed in ``sealed``, opened with the tellers' secret; :class:`InvalidInput`
        if the secret is missing or does not belong to ``public_key``, or a sealed choice does not
        open."""
        ...


class SodiumSealer:
    """Sealed boxes of libsodium (PyNaCl): a fresh ephemeral key for every choice sealed."""

    def seal(self, public_key: str, choice: str) -> str:
        """``choice``, padded to ``PAD`` bytes, in a sealed box to ``public_key``, as base64;
        :class:`InvalidInput` if its UTF-8 is longer than that."""
        from nacl.public import PublicKey, SealedBox

        plain = choice.encode("utf-8")
        if len(plain) > PAD:
            raise InvalidInput(Message("a choice is at most {most} bytes", most=PAD))
        box = SealedBox(PublicKey(bytes.fromhex(public_key)))
        return base64.b64encode(box.encrypt(plain.ljust(PAD, b"\0"))).decode("ascii")

    def digest(self, sealed: str) -> str:
        """The hexadecimal SHA-256 of ``sealed``."""
        return hashlib.sha256(sealed.encode("ascii")).hexdigest()

    def open(self, teller_secret: str | None, public_key: str, sealed: Sequence[str]) -> list[str]:
        """The choices sealed in ``sealed``, opened with ``teller_secret``; :class:`InvalidInput`
        when it is missing, is not the secret of ``public_key``, or a choice does not open."""
        from nacl.exceptions import CryptoError
        from nacl.public import PrivateKey, SealedBox

        if not teller_secret:
            raise InvalidInput(
                Message(
                    "an electronic secret ballot is counted with the tellers' secret "
                    "(teller_secret)"
                )
            )
        private = PrivateKey(_parse_secret(teller_secret))
        if private.public_key.encode().hex() != public_key:
            raise InvalidInput(Message("the tellers' secret does not belong to this ballot's key"))
        box = SealedBox(private)
        choices = []
        for text in sealed:
            try:
                plain = box.decrypt(base64.b64decode(text, validate=True))
            except (CryptoError, binascii.Error, ValueError):
                raise InvalidInput(
                    Message(
                        "a sealed choice of this ballot does not open with the tellers' secret: "
                        "it was not sealed by Collegium to this ballot"
                    )
                ) from None
            choices.append(plain.rstrip(b"\0").decode("utf-8", "replace"))
        return choices
