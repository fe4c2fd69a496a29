"""An anchor: Collegium's P1 lifecycle as a BPMN 2.0 process run by SpiffWorkflow, in memory.

``p1_lifecycle.bpmn`` (next to this file) models the lifecycle with user tasks, one per step a
person takes: prepare, start_deliberation, a loop of consult (one per voting member), schedule,
open_meeting, a loop of state_view (one per member present, the secretary last), a loop of vote
(one per member present), close_ballot, then an exclusive gateway on the tally to publish and
hand_over (ending in ``assigned``) or to the ``rejected`` end. Script tasks after the steps check
the rules Collegium checks there (a consultee is a voting member, and a view given again replaces
the first; scheduling needs every voting member consulted; quorum present * 2 >= n at the
opening, at every vote and at the close; a speaker is present, states one view, and the secretary
speaks only when every other member present has; a vote and the close need every view stated; a
voter is present and votes once) and record the step in the task data; a failed check raises out
of ``do_engine_steps``. The views loop ends only when every member present has stated one, so the
flow itself also keeps the votes after the views.

Proposing is starting the workflow with the proposal as its data; the 40 steps after it are each one
user-task completion carrying its own data, as Spiff's documentation has an application complete
them: find the ready manual task, update its data, ``run()`` it, then ``do_engine_steps()``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from benchmarks.scenario import BODY, MEMBERS, NOTICE, PROPOSAL, SETUP, START, speaking_order
from collegium.engine.clock import format_time

BPMN_FILE = Path(__file__).with_name("p1_lifecycle.bpmn")
PROCESS_ID = "p1_major_decision"
#: what the scripts see besides the task data: the deciding body, which lives outside the instance
SCRIPT_GLOBALS: dict[str, Any] = {
    "BODY": BODY.id,
    "VOTERS": tuple(m.person for m in MEMBERS if m.voting),
    "SECRETARY": next(m.person for m in MEMBERS if m.role == "secretary"),
}

#: (user task, data) for every step of one lifecycle after the proposal: 40 task completions
STEPS: tuple[tuple[str, dict[str, Any]], ...] = (
    *((trigger, dict(data or {})) for trigger, _actor, data in SETUP),
    *(("consult", {"member": m.person, "view": "agree"}) for m in MEMBERS),
    ("schedule", {"meeting_at": format_time(START + NOTICE)}),
    ("open_meeting", {"attendance": {m.person: "present" for m in MEMBERS}}),
    *(("state_view", {"speaker": p, "view": "agree"}) for p in speaking_order(MEMBERS)),
    *(("vote", {"voter": m.person, "choice": "agree"}) for m in MEMBERS),
    ("close_ballot", {}),
    ("publish", {"audience": "public"}),
    ("hand_over", {}),
)
STEPS_PER_LIFECYCLE = len(STEPS)
#: how many steps take an instance to the snapshot point: every vote cast, the ballot not yet closed
BEFORE_CLOSE = next(i for i, (name, _) in enumerate(STEPS) if name == "close_ballot")


def _ready(workflow: BpmnWorkflow) -> list[tuple[str, str]]:
    return [(str(t.id), t.task_spec.name) for t in workflow.get_tasks(state=TaskState.READY)]


class SpiffP1:
    """The P1 spec, parsed once; :meth:`run` takes fresh workflows through the whole lifecycle."""

    def __init__(self) -> None:
        parser = BpmnParser()
        parser.add_bpmn_file(str(BPMN_FILE))
        self.spec = parser.get_spec(PROCESS_ID)
        self.script_engine = PythonScriptEngine(
            environment=TaskDataEnvironment(dict(SCRIPT_GLOBALS))
        )
        self.serializer = BpmnWorkflowSerializer()  # the default configuration, JSON

    def start(self) -> BpmnWorkflow:
        """Propose: a new workflow of the spec, the proposal as its data,
        run up to its first user task."""
        workflow = BpmnWorkflow(self.spec, script_engine=self.script_engine)
        workflow.task_tree.set_data(**PROPOSAL)
        workflow.do_engine_steps()
        return workflow

    @staticmethod
    def step(workflow: BpmnWorkflow, name: str, data: dict[str, Any]) -> None:
        """Complete the ready user task ``name`` with ``data``, then let the
        engine run to the next one."""
        task = workflow.get_next_task(state=TaskState.READY, manual=True)
        if task is None or task.task_spec.name != name:
            raise AssertionError(f"expected user task {name!r} to be ready, found {task}")
        task.set_data(**data)
        task.run()
        workflow.do_engine_steps()

    def run(self, count: int) -> int:
        """``count`` complete lifecycles; the number of user-task completions (40 per lifecycle)."""
        start, step = self.start, self.step
        n = 0
        for _ in range(count):
            workflow = start()
            ended = workflow.get_next_task
            for name, data in STEPS:
                step(workflow, name, data)
                n += 1
            if (
                not workflow.is_completed()
                or ended(spec_name="assigned", state=TaskState.COMPLETED) is None
            ):
                raise AssertionError("the SpiffWorkflow lifecycle did not end on the adopted path")
        return n

    def mid_meeting(self) -> BpmnWorkflow:
        """A workflow with every vote cast and ``close_ballot`` ready: the
        state a snapshot is taken in."""
        workflow = self.start()
        for name, data in STEPS[:BEFORE_CLOSE]:
            self.step(workflow, name, data)
        return workflow

    def roundtrip(self, workflow: BpmnWorkflow, check: bool = False) -> int:
        """Serialize ``workflow`` to JSON and restore it; the size of the JSON in bytes. ``check``
        (untimed use): the restored workflow must have the same ready tasks."""
        text = self.serializer.serialize_json(workflow)
        restored = self.serializer.deserialize_json(text)
        restored.script_engine = self.script_engine
        if check and _ready(restored) != _ready(workflow):
            raise AssertionError("the restored workflow has other ready tasks than the original")
        return len(text.encode("utf-8"))


if __name__ == "__main__":
    import gc

    spiff = SpiffP1()
    spiff.run(5)  # warm-up
    gc.collect()
    gc.disable()
    t0 = time.perf_counter()
    tasks = spiff.run(200)
    elapsed = time.perf_counter() - t0
    gc.enable()
    snapshot = spiff.mid_meeting()
    times, size = [], 0
    for _ in range(5):
        t1 = time.perf_counter()
        size = spiff.roundtrip(snapshot)
        times.append(time.perf_counter() - t1)
    print(
        f"SpiffWorkflow P1: {elapsed / 200 * 1e6:.0f} µs/lifecycle, "
        f"{elapsed / tasks * 1e6:.1f} µs/task (200 lifecycles × {STEPS_PER_LIFECYCLE} tasks); "
        f"roundtrip {statistics.median(times) * 1e6:.0f} µs (median of 5), {size} bytes"
    )
