"""`audit keygen`, `audit checkpoint` and `audit verify --against`: exit 0 when every chain a
checkpoint signed still holds, 1 naming what changed, 2 in one line for a bad key, file or
option."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from collegium import Engine, ManualClock
from collegium.store.records import InstanceRecord
from tests._tampering import edit_event_data, rewrite, row
from tests.conftest import START
from tests.test_cli import NOW, assert_one_error_line, db, run  # noqa: F401  (db: the fixture)


@contextmanager
def opened(path: Path) -> Iterator[Engine]:
    engine = Engine.open(str(path), clock=ManualClock(START))
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """A signing key file and its public key file."""
    key = tmp_path / "keys" / "collegium.key"
    key.parent.mkdir()
    r = run("audit", "keygen", "--out", key)
    assert r.exit_code == 0, r.stderr
    return key, Path(f"{key}.pub")


@pytest.fixture
def consulted(db: Path) -> InstanceRecord:  # noqa: F811
    """`md` consulted twice more (events 4, 5); its row as it was before (after event 3)."""
    with opened(db) as engine:
        saved = row(engine, "md")
        for person in ("m1", "m2"):
            engine.fire("md", "consult", "sec", {"member": person, "view": "agree"})
    return saved


def test_keygen_writes_a_private_key_and_its_public_half(tmp_path: Path) -> None:
    out = tmp_path / "signer.key"
    r = run("--json", "audit", "keygen", "--out", out)
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["public_key_file"] == f"{out}.pub" and len(doc["public_key"]) == 64
    assert out.stat().st_mode & 0o777 == 0o600
    assert json.loads(Path(f"{out}.pub").read_text())["public_key"] == doc["public_key"]
    r = run("--lang", "zh-CN", "audit", "keygen", "--out", tmp_path / "other.key")
    assert r.exit_code == 0 and "签名私钥已写入" in r.output
    before = out.read_bytes()
    r = run("audit", "keygen", "--out", out)
    assert r.exit_code == 2
    assert_one_error_line(r, "already exists; a key file is never overwritten")
    assert out.read_bytes() == before


def test_a_truncated_chain_passes_the_audit_but_not_the_checkpoint(
    db: Path,  # noqa: F811
    consulted: InstanceRecord,
    keys: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    key, public = keys
    signed = tmp_path / "after-meeting.jsonl"
    r = run(
        "--db", db, *NOW, "audit", "checkpoint", "--key", key, "--out", signed, "--tz", "+08:00"
    )
    assert r.exit_code == 0, r.stderr
    assert (
        f"checkpoint written to {signed}: 2 hash chains at 2026-03-02 09:00 (UTC+08:00)" in r.output
    )  # md, its body: the time to the minute, in the zone of --tz, its offset with it
    r = run("--db", db, "audit", "verify", "--against", signed, "--public-key", public, "--tz", "Z")
    assert r.exit_code == 0, r.stderr
    assert "checkpoint of 2026-03-02 01:00 (UTC) holds: the 2 hash chains it signed are intact" in (
        r.output
    )
    assert "audit OK" in r.output
    with opened(db) as engine:
        rewrite(engine, "md", keep=3, facts=consulted.facts)  # events 4, 5 gone, the row reset
    assert run("--db", db, "audit", "verify").exit_code == 0  # the chain alone shows nothing
    r = run("--db", db, "audit", "verify", "--against", signed, "--public-key", public)
    assert r.exit_code == 1
    assert "FAILED: 1 of the 2 hash chains it signed changed" in r.output
    assert "event 5 of instance md: the chain's head at the checkpoint is gone" in r.output
    r = run(
        "--lang",
        "zh-CN",
        "--db",
        db,
        "audit",
        "verify",
        "--against",
        signed,
        "--public-key",
        public,
    )
    assert r.exit_code == 1 and "检查点核验未通过" in r.output and "审计通过" in r.output
    r = run("--json", "--db", db, "audit", "verify", "--against", signed, "--public-key", public)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["ok"] is False and doc["problem"] is None and doc["checkpoint"]["changed"] == 1
    assert doc["checkpoint"]["problems"][0] | {"reason": ""} == {
        "kind": "instance",
        "chain": "md",
        "seq": 5,
        "reason": "",
    }
    assert_one_error_line(r, "checkpoint failed: event 5 of instance md")


def test_a_store_that_fails_its_audit_is_not_signed(
    db: Path,  # noqa: F811
    keys: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    with opened(db) as engine:
        edit_event_data(engine, "md", 2, {"tampered": True})
    out = tmp_path / "c.jsonl"
    r = run("--db", db, "audit", "checkpoint", "--key", keys[0], "--out", out)
    assert r.exit_code == 1
    assert_one_error_line(r, "the audit fails, so no checkpoint was signed: event 2 of md")
    assert not out.exists()


def test_bad_keys_files_and_options_are_one_line_and_exit_2(
    db: Path,  # noqa: F811
    keys: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    key, public = keys
    signed = tmp_path / "c.jsonl"
    assert run("--db", db, "audit", "checkpoint", "--key", key, "--out", signed).exit_code == 0
    other = tmp_path / "other.key"
    assert run("audit", "keygen", "--out", other).exit_code == 0
    garbled = tmp_path / "garbled.jsonl"
    garbled.write_bytes(signed.read_bytes()[:-30])
    verify = ("--db", db, "audit", "verify")
    cases = [
        (
            (*verify, "--against", signed, "--public-key", f"{other}.pub"),
            "is signed by another key",
        ),
        ((*verify, "--against", signed, "--public-key", key), "is a signing key; give its public"),
        ((*verify, "--against", garbled, "--public-key", public), "the file was cut short"),
        (
            (*verify, "--against", tmp_path / "none.jsonl", "--public-key", public),
            "cannot read checkpoint",
        ),
        ((*verify, "--against", signed), "--against and --public-key go together"),
        ((*verify, "--public-key", public), "--against and --public-key go together"),
        (
            ("--db", db, "audit", "checkpoint", "--key", public, "--out", tmp_path / "x.jsonl"),
            "is a public key; signing needs the private key file",
        ),
        (
            ("--db", db, "audit", "checkpoint", "--key", key, "--out", signed),
            "already exists; a checkpoint is never overwritten",
        ),
        (("--db", db, "audit", "checkpoint", "--key", key), "Missing option '--out'"),
    ]
    for args, needle in cases:
        r = run(*args)
        assert r.exit_code == 2, (args, r.output)
        assert_one_error_line(r, needle)
    assert not (tmp_path / "x.jsonl").exists()
