"""The text is the version, for what ships: every built-in procedure, fragment and pack text is the
one recorded in tests/data/shipped_texts.json under its id and version. A changed text needs a new
version (the old text kept as NAME.vOLD.yaml for the instances recorded under it); a new version
is added to the record. The record only grows: a text once shipped keeps being shipped."""

from __future__ import annotations

import json
from pathlib import Path

from collegium import Registry

RECORD = Path(__file__).parent / "data" / "shipped_texts.json"


def test_every_shipped_text_is_the_one_recorded_for_its_version() -> None:
    recorded: dict[str, str] = json.loads(RECORD.read_text(encoding="utf-8"))
    shipped = {key: d.sha256 for key, d in Registry.builtin().definitions.items()}
    changed = sorted(k for k in shipped if k in recorded and shipped[k] != recorded[k])
    assert not changed, (
        f"{changed}: a shipped text changed under a version already shipped; give "
        "the new text a new version and keep the old file as NAME.vOLD.yaml"
    )
    dropped = sorted(set(recorded) - set(shipped))
    assert not dropped, f"{dropped}: no longer shipped; instances recorded under them need them"
    new = sorted(set(shipped) - set(recorded))
    assert not new, f"{new}: not in {RECORD.name}; add their SHA-256 there"
