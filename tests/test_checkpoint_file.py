"""The checkpoint file and the key files: a checkpoint is trusted only when it is signed by the key
the verifier gives and its heads hash to its signed root; anything else is refused in one line."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from collegium import Engine, InvalidInput, PublicKey, SigningKey
from collegium.engine import manifest
from collegium.engine.merkle import leaf_hash, node_hash
from tests.conftest import to_deliberation

KEY = SigningKey(bytes(range(32)))
OTHER = SigningKey(bytes(range(1, 33)))
SIGNATURE_BROKEN = "the signature does not match the statement"
ROOT_BROKEN = "do not hash to its signed root"
COUNT_BROKEN = "chains where its statement says 4"


@pytest.fixture
def signed(engine: Engine) -> bytes:
    """A checkpoint of the body "sc" and three instances, signed with KEY."""
    for _ in range(3):
        to_deliberation(engine)
    out = io.BytesIO()
    engine.checkpoint(KEY, out)
    return out.getvalue()


def lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")[:-1]


def join(parts: list[bytes]) -> bytes:
    return b"".join(p + b"\n" for p in parts)


def header(data: bytes) -> dict[str, object]:
    return dict(orjson.loads(lines(data)[0]))


def edit_header(data: bytes, **changes: object) -> bytes:
    return join([orjson.dumps({**header(data), **changes}), *lines(data)[1:]])


def resigned(data: bytes, key: SigningKey, **changes: object) -> bytes:
    """The statement changed and signed again, with ``key`` (and naming it)."""
    doc = {**header(data), **changes, "public_key": key.public_key.hex, "signature": ""}
    signature = key.sign(manifest.Checkpoint(**doc).statement()).hex()
    return edit_header(data, **{**doc, "signature": signature})


def edit_head(data: bytes, number: int, seq: int | None = None, digest: str | None = None) -> bytes:
    parts = lines(data)
    kind, chain_id, old_seq, old_hash = orjson.loads(parts[number])
    parts[number] = orjson.dumps([kind, chain_id, seq or old_seq, digest or old_hash])
    return join(parts)


def without(data: bytes, field: str) -> bytes:
    doc = {k: v for k, v in header(data).items() if k != field}
    return join([orjson.dumps(doc), *lines(data)[1:]])


Edit = Callable[[bytes], bytes]
REFUSED: list[tuple[str, Edit, str]] = [
    ("another key", lambda d: resigned(d, OTHER), "is signed by another key"),
    (
        "the other key named, the signature kept",
        lambda d: edit_header(d, public_key=OTHER.public_key.hex),
        "is signed by another key",
    ),
    ("an edited root", lambda d: edit_header(d, root="ab" * 32), SIGNATURE_BROKEN),
    ("an edited count", lambda d: edit_header(d, chains=2), SIGNATURE_BROKEN),
    (
        "an edited time",
        lambda d: edit_header(d, created_at="2020-01-01T00:00:00.000000Z"),
        SIGNATURE_BROKEN,
    ),
    (
        "an edited root, signed by another key",
        lambda d: resigned(d, OTHER, root="ab" * 32),
        "is signed by another key",
    ),
    ("an edited head hash", lambda d: edit_head(d, 2, digest="cd" * 32), ROOT_BROKEN),
    ("an edited head seq", lambda d: edit_head(d, 1, seq=2), ROOT_BROKEN),
    ("a head removed", lambda d: join(lines(d)[:2] + lines(d)[3:]), f"lists 3 {COUNT_BROKEN}"),
    ("a head repeated", lambda d: join(lines(d) + lines(d)[3:]), "out of order or repeated"),
    ("heads swapped", lambda d: join([lines(d)[i] for i in (0, 2, 1, 3)]), "out of order"),
    ("cut at a line's end", lambda d: join(lines(d)[:3]), f"lists 2 {COUNT_BROKEN}"),
    ("cut within a line", lambda d: d[:-20], "has no line end: the file was cut short"),
    ("cut within the first line", lambda d: d[:100], "line 1 has no line end"),
    ("empty", lambda d: b"", "is empty: not a checkpoint file"),
    ("garbled", lambda d: d[:50] + b"\x00\xff garbage" + d[60:], "line 1 is not JSON"),
    ("a garbled head", lambda d: d.replace(b'["instance"', b'["instance', 1), "line 3 is not JSON"),
    (
        "a head of an unknown kind",
        lambda d: d.replace(b'["instance"', b'["budget"', 1),
        "line 3 is not a chain's head [kind, id, seq, hash] of a kind this version knows "
        "(body, instance)",
    ),
    (
        "not a checkpoint",
        lambda d: b'{"hello": "world"}\n',
        "is not a checkpoint file (line 1 has no format)",
    ),
    (
        "a later format",
        lambda d: edit_header(d, format="collegium-checkpoint/2"),
        "has format 'collegium-checkpoint/2'; this version reads 'collegium-checkpoint/1'",
    ),
    ("a field missing", lambda d: without(d, "root"), "line 1 must have exactly the fields"),
    ("a malformed signature", lambda d: edit_header(d, signature="zz"), "signature is malformed"),
    ("chains not a number", lambda d: edit_header(d, chains="3"), "chains must be a whole number"),
    ("a huge line", lambda d: b"[" + b" " * (manifest.MAX_LINE + 10), "is longer than 65536 bytes"),
]


@pytest.mark.parametrize(("edit", "needle"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_a_checkpoint_not_intact_is_refused(
    engine: Engine, signed: bytes, edit: Edit, needle: str, tmp_path: Path
) -> None:
    assert engine.verify_checkpoint(io.BytesIO(signed), KEY.public_key).ok
    path = tmp_path / "checkpoint.jsonl"
    path.write_bytes(edit(signed))
    with pytest.raises(InvalidInput) as raised:
        engine.verify_checkpoint(path, KEY.public_key)
    message = str(raised.value)
    assert needle in message and message.startswith(str(path)) and "\n" not in message


def test_the_key_the_file_names_is_never_trusted_alone(engine: Engine, signed: bytes) -> None:
    forged = resigned(signed, OTHER, root="ab" * 32)  # consistent, signed by the forger's own key
    with pytest.raises(InvalidInput, match="signed by another key"):
        engine.verify_checkpoint(io.BytesIO(forged), KEY.public_key)


def test_the_layout_is_as_documented(signed: bytes) -> None:
    first, *heads = lines(signed)
    doc = orjson.loads(first)
    assert list(doc) == ["format", "created_at", "chains", "root", "public_key", "signature"]
    assert doc["format"] == "collegium-checkpoint/1" and doc["chains"] == len(heads) == 4
    unsigned = {k: v for k, v in doc.items() if k != "signature"}
    statement = orjson.dumps(unsigned, option=orjson.OPT_SORT_KEYS)
    assert KEY.public_key.verify(statement, bytes.fromhex(doc["signature"]))
    leaves = [leaf_hash(h) for h in heads]  # the lines themselves, without their line feed
    assert (
        node_hash(node_hash(leaves[0], leaves[1]), node_hash(leaves[2], leaves[3])).hex()
        == doc["root"]
    )
    listed = [orjson.loads(h)[:3] for h in heads]
    assert listed == [
        ["body", "sc", 1],
        *(["instance", f"major_decision-{i}", 3] for i in (1, 2, 3)),
    ]


# -- key files ---------------------------------------------------------------------------------
def test_a_key_file_is_private_and_its_public_half_beside_it(tmp_path: Path) -> None:
    key = SigningKey.generate()
    public_path = key.write(tmp_path / "collegium.key")
    assert public_path == tmp_path / "collegium.key.pub"
    assert (tmp_path / "collegium.key").stat().st_mode & 0o777 == 0o600
    assert SigningKey.read(tmp_path / "collegium.key") == key
    assert PublicKey.read(public_path) == key.public_key
    assert key.seed.hex() not in repr(key) and key.public_key.hex in repr(key)
    with pytest.raises(InvalidInput, match="already exists; a key file is never overwritten"):
        SigningKey.generate().write(tmp_path / "collegium.key")
    assert SigningKey.read(tmp_path / "collegium.key") == key


def key_file(fmt: str, **fields: str) -> bytes:
    return orjson.dumps({"format": fmt, "algorithm": "ed25519", **fields})


@pytest.mark.parametrize(
    ("content", "reader", "needle"),
    [
        (b"", SigningKey.read, "is not a Collegium key file (one JSON object)"),
        (b"\xff\xfe garbage", PublicKey.read, "is not a Collegium key file"),
        (b"[1, 2]", PublicKey.read, "is not a Collegium key file"),
        (
            key_file("collegium-public-key/1", public_key="ab" * 32),
            SigningKey.read,
            "is a public key; signing needs the private key file",
        ),
        (
            b'{"format": "collegium-signing-key/1"}',
            PublicKey.read,
            "is a signing key; give its public key",
        ),
        (
            key_file("collegium-public-key/1", public_key="AB"),
            PublicKey.read,
            "must be 32 bytes, written as 64 lower-case hex digits",
        ),
        (
            key_file("collegium-signing-key/1", seed="00" * 32, public_key="ab" * 32),
            SigningKey.read,
            "its public key does not belong to its seed",
        ),
        (b'{"format": "something/1"}', SigningKey.read, "is not a Collegium signing key file"),
        (b" " * 5000, PublicKey.read, "is not a Collegium key file"),
    ],
)
def test_a_bad_key_file_is_refused_in_one_line(
    tmp_path: Path, content: bytes, needle: str, reader: Callable[[Path], object]
) -> None:
    path = tmp_path / "k"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=re.escape(needle)) as raised:
        reader(path)
    assert "\n" not in str(raised.value)
    with pytest.raises(InvalidInput, match="cannot read key file"):
        reader(tmp_path / "missing")


def test_keys_as_bytes(engine: Engine) -> None:
    to_deliberation(engine)
    out = io.BytesIO()
    engine.checkpoint(KEY.seed, out)
    assert engine.verify_checkpoint(io.BytesIO(out.getvalue()), KEY.public_key.raw).ok
    assert PublicKey.from_hex(KEY.public_key.hex) == KEY.public_key
    for bad in (b"short", "ab" * 32):
        with pytest.raises(InvalidInput, match="must be 32 bytes"):
            engine.checkpoint(bad, io.BytesIO())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="must be 32 bytes"):
        engine.verify_checkpoint(io.BytesIO(out.getvalue()), b"short")
