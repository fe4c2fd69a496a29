"""Registry.builtin reads a shipped file when a definition of its id is first asked for: what a
run reads, and that every listing is as if all had been read at once, in the order of the files'
names."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from collegium import DefinitionError, Registry


def _read_at_once() -> Registry:
    """The shipped files read the way Registry.builtin read them before it read them lazily."""
    reg = Registry()
    root = resources.files("collegium")
    reg._trusted = True  # as shipped files: libyaml, expressions compiled when first evaluated
    for folder, kind in ((("rules", "packs"), "pack"), (("workflows",), "workflow")):
        for entry in sorted(root.joinpath(*folder).iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".yaml"):
                add = reg.add_pack_text if kind == "pack" else reg.add_workflow_text
                add(entry.read_text(encoding="utf-8"), f"collegium/{'/'.join(folder)}/{entry.name}")
    reg._trusted = False
    return reg


def _listing(reg: Registry) -> tuple[Any, ...]:
    return (
        [p.key for p in reg.packs()],
        [p.key for p in reg.procedures()],
        [f.key for f in reg.fragments()],
        list(reg.definitions.items()),
        reg.rule("R-ROLE")[0].key,
    )


def _files_read(reg: Registry) -> set[str]:
    return {d.key for d in reg._definitions.values()}


@pytest.mark.parametrize(
    "first", [None, "commitment", "major_decision", "accountability", "report"]
)
def test_every_listing_is_as_if_all_were_read_at_once(first: str | None) -> None:
    reg = Registry.builtin()
    if first is not None:
        reg.compiled(first)
        reg.compiled("major_decision", 1, "2026.1")
    assert _listing(reg) == _listing(_read_at_once())


def test_a_run_reads_its_procedure_the_latest_pack_and_what_it_spawns() -> None:
    reg = Registry.builtin()
    assert _files_read(reg) == set()
    reg.compiled("commitment")
    assert _files_read(reg) == {"commitment@1", "accountability@3", "party-committee@2026.10"}
    reg.compiled("major_decision")
    assert "ballot@2" in _files_read(reg) and "major_decision@1" not in _files_read(reg)


def test_an_earlier_version_is_read_when_named() -> None:
    reg = Registry.builtin()
    assert reg.pack("party-committee", "2026.1").version == "2026.1"
    assert reg.procedure("major_decision", 1).version == 1
    assert reg.compiled("major_decision", 1, "2026.2").pack.version == "2026.2"
    assert {"ballot@1", "major_decision@1", "party-committee@2026.2"} <= _files_read(reg)


def test_a_users_text_of_a_shipped_id_meets_every_shipped_version_first() -> None:
    reg = Registry.builtin()
    text = _read_at_once().definitions["pack:party-committee@2026.1"].text
    assert reg.add_pack_text(text).version == "2026.1"  # the same text: accepted, as before
    assert {"party-committee@2026.1", "party-committee@2026.2"} <= _files_read(reg)
    with pytest.raises(DefinitionError, match="already loaded with different content"):
        reg.add_pack_text(text.replace("{en: County Party", "{en: The County Party", 1))


def test_threads_asking_at_once_each_see_the_definitions_whole() -> None:
    """The first threads to ask for an id wait while one of them reads its files: none sees it half
    read (a procedure whose pack is not there yet), and all get the same compiled procedure."""
    from concurrent.futures import ThreadPoolExecutor

    whole = len(Registry.builtin().procedures())  # every shipped version, read in one thread
    for _ in range(5):
        reg = Registry.builtin()
        names = ["major_decision", "commitment", "assignment", "report", "meeting"] * 4
        with ThreadPoolExecutor(max_workers=8) as pool:
            compiled = list(pool.map(reg.compiled, names))
            listed = list(pool.map(lambda r: len(r.procedures()), [reg] * 8))
        assert all(c is reg.compiled(n) for c, n in zip(compiled, names, strict=True))
        assert listed == [whole] * 8


def test_the_shipped_files_are_named_by_the_id_and_version_they_hold() -> None:
    """What reading them lazily relies on: NAME.yaml holds the latest version of NAME, and
    NAME.vVERSION.yaml that version."""
    from collegium.engine.registry import version_order
    from collegium.engine.shipped import ALL, Unread

    eager, shipped = _read_at_once(), Unread.listing()
    for folder, name in shipped.ids(("pack", "workflow")):
        kinds = ("pack",) if folder == "pack" else ("procedure", "fragment")
        held = [
            d.key
            for d in eager.definitions.values()
            if d.kind in kinds and d.key.split("@")[0] == name
        ]
        latest = max(held, key=lambda key: version_order(key.split("@")[1]))
        for file in shipped.files(folder, name, ALL):
            reg = Registry.builtin()
            reg._read(folder, name, file.version or "")
            read = {key for key in _files_read(reg) if key.split("@")[0] == name}
            assert read == {f"{name}@{file.version}" if file.version else latest}, file.source
