"""The commands of the ``collegium`` command line, one module per concern.

:data:`COMMANDS` names each command of the root group (:mod:`collegium.cli`), the module and
attribute it lives in, and its help's first paragraph, so that the group lists every command
without importing any (:mod:`collegium.commands.lazy`). What the commands share is in
:mod:`~collegium.commands.common` (settings, the engine, JSON output) and
:mod:`~collegium.commands.render` (tables and panels); their words are in :mod:`collegium._words`.
Commands call only the public API, :mod:`collegium` and its documented modules.
"""

from __future__ import annotations

from typing import Final

from collegium.commands.lazy import Lazy

__all__ = ["COMMANDS"]

#: every command of the root group: where it lives and the first sentence of its help
COMMANDS: Final[dict[str, Lazy]] = {
    "audit": Lazy(
        target="collegium.commands.audit:audit",
        summary="The tamper-evident log.",
    ),
    "body": Lazy(
        target="collegium.commands.bodies:body",
        summary="Bodies (committees, boards) and their members.",
    ),
    "cases": Lazy(
        target="collegium.commands.cases:cases",
        summary="Accountability cases (问责).",
    ),
    "check": Lazy(
        target="collegium.commands.instances:check",
        summary=(
            "Dry run: would TRIGGER on INSTANCE be allowed? Prints the verdict; exit 1 if "
            "it would be refused."
        ),
    ),
    "commitments": Lazy(
        target="collegium.commands.commitments:commitments",
        summary=(
            "Annual public commitments: promised at the start of the year, delivered by its"
            " end, published."
        ),
    ),
    "db": Lazy(
        target="collegium.commands.database:db",
        summary="The database.",
    ),
    "demo": Lazy(
        target="collegium.commands.demo:demo",
        summary=(
            "Run a whole major decision of a standing committee, with refusals, a ballot "
            "and an audit."
        ),
    ),
    "diagram": Lazy(
        target="collegium.commands.diagram:diagram",
        summary=(
            "Draw PROCEDURE's states and transitions (labels in --lang; rule ids on the "
            "edges they guard or choose): Mermaid or DOT text, or SVG through Graphviz when"
            " it is installed."
        ),
    ),
    "docs": Lazy(
        target="collegium.commands.docs:docs",
        summary=(
            "Generate the procedure handbook (one Markdown page per procedure, in English "
            "and Chinese) from the built-in procedures and rule packs and those --definitions "
            "adds; with --check, say whether the committed one is current."
        ),
    ),
    "fire": Lazy(
        target="collegium.commands.instances:fire",
        summary="Fire TRIGGER on INSTANCE.",
    ),
    "history": Lazy(
        target="collegium.commands.instances:history",
        summary="List every event of INSTANCE, oldest first.",
    ),
    "instances": Lazy(
        target="collegium.commands.instances:instances_cmd",
        summary="List instances.",
    ),
    "meeting": Lazy(
        target="collegium.commands.meeting:meeting",
        summary=(
            "Convene a meeting with its agenda, open it (or a matter's own meeting), record"
            " attendance, close it."
        ),
    ),
    "minutes": Lazy(
        target="collegium.commands.minutes:minutes",
        summary=(
            "Draft the minutes (会议记录) of MEETING: a sitting's id (a meeting convened with an "
            "agenda: every matter on it) or a matter's id (its last meeting: of its own, or at a "
            "sitting)."
        ),
    ),
    "procedures": Lazy(
        target="collegium.commands.procedures:procedures",
        summary="Built-in procedures, and checking procedure or rule-pack files.",
    ),
    "relay": Lazy(
        target="collegium.commands.relay:relay",
        summary=(
            "Deliver the outbox of --db to a message broker (RabbitMQ or NATS JetStream) at "
            "least once, in order per instance, each message with its event's id; an entry is "
            "acknowledged only after the broker confirmed it."
        ),
    ),
    "replay": Lazy(
        target="collegium.commands.replay:replay",
        summary=(
            "Judge a recorded history again under the rule pack --rules: the store --db "
            "names, or the run of each SCENARIO file."
        ),
    ),
    "report": Lazy(
        target="collegium.commands.report:report",
        summary=(
            "Write a self-contained HTML report of INSTANCE (or several) in --db to OUT: "
            "timeline, diagram with the path taken and the current state, ballots, tasks and "
            "audit status; in --lang, printable, making no request."
        ),
    ),
    "reports": Lazy(
        target="collegium.commands.reports:reports",
        summary=(
            "Periodic work reports (报告工作制度): schedule a standing body's reporting "
            "obligations for a year."
        ),
    ),
    "rules": Lazy(
        target="collegium.commands.rules:rules",
        summary="The rules of the built-in rule packs.",
    ),
    "test": Lazy(
        target="collegium.commands.packtest:test",
        summary=(
            "Run the test files PATHS of rule packs (with none: the built-in packs' own tests)."
        ),
    ),
    "schema": Lazy(
        target="collegium.commands.schema:schema",
        summary=(
            "Print the JSON Schema of procedure files, procedure-fragment files, rule-pack "
            "files, scenario files, body files or rule-pack test files."
        ),
    ),
    "serve": Lazy(
        target="collegium.commands.serve:serve",
        summary=(
            "Serve a read-only web console of --db: instances by procedure and state, an "
            "instance's timeline, path, verdicts, facts, children and ballot, overdue tasks, "
            "open cases, the audit."
        ),
    ),
    "simulate": Lazy(
        target="collegium.commands.simulate:simulate",
        summary=(
            "Run the scenario FILE on a virtual clock (in memory unless --db names a "
            "database) and print its timeline; exit 1 at the first expectation that does "
            "not hold, 2 when the file is invalid."
        ),
    ),
    "start": Lazy(
        target="collegium.commands.instances:start",
        summary="Start an instance of PROCEDURE.",
    ),
    "status": Lazy(
        target="collegium.commands.instances:status",
        summary=(
            "Show where INSTANCE stands: its state, its facts and (with --as) what can be "
            "done next."
        ),
    ),
    "supervise": Lazy(
        target="collegium.commands.supervise:supervise",
        summary=(
            "Run supervision up to --as-of (not later than now, see --now): fire every due "
            "timer (deadline reviews, lapses) in time order, as the engine's own actor; a "
            "finding opens one accountability case, and running it again opens none."
        ),
    ),
    "tasks": Lazy(
        target="collegium.commands.tasks:tasks",
        summary="Tasks of decisions (责任分解): overdue ones, a member's targets.",
    ),
    "vote": Lazy(
        target="collegium.commands.vote:vote",
        summary="Cast votes, close the ballot and show the tally.",
    ),
}
