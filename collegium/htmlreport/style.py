"""The report's one stylesheet, inlined in the page: for the screen and for print. It names no font
to fetch and no image: the page makes no request."""

from __future__ import annotations

from typing import Final

__all__ = ["CSS"]

CSS: Final[str] = """
:root { --ink: #1d2733; --muted: #5b6673; --line: #c9d1da; --taken: #b0361c; --current: #ffe08a;
  --current-edge: #b8860b; --visited: #fdf0e9; --paper: #fff; --ok: #1f7a3a; --bad: #b0361c; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; color: var(--ink);
  background: var(--paper); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans",
  "PingFang SC", "Microsoft YaHei", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 6px; padding-top: 10px; border-top: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 22px 0 8px; }
.meta, .note, figcaption, .id { color: var(--muted); }
.id { font: 13px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
nav ol { margin: 8px 0 0; padding-left: 22px; }
a { color: #1d4f91; }
.audit { padding: 6px 10px; border-left: 4px solid var(--ok); background: #eef7f0; }
.audit.bad { border-color: var(--bad); background: #fbeeea; }
.current-state { background: var(--current); padding: 1px 6px; border-radius: 4px; }
figure { margin: 0; overflow-x: auto; }
svg { max-width: 100%; height: auto; font-size: 12px; font-family: inherit; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px;
  border-bottom: 1px solid var(--line); }
th { font-weight: 600; background: #f3f5f8; }
td.seq, td.at { white-space: nowrap; }
.trigger-id { color: var(--muted); font-size: 12px; }
.refusal { border-left: 4px solid var(--bad); padding: 4px 10px; margin: 8px 0;
  background: #fdf6f4; }
.refusal .rule { font-weight: 600; }
.refusal .citation { color: var(--muted); }
.ballots { display: flex; flex-wrap: wrap; gap: 18px; }
.ballot { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.ballot h4 { margin: 0 0 4px; font-size: 14px; }
.passed { color: var(--ok); font-weight: 600; }
.failed { color: var(--bad); font-weight: 600; }
/* the diagram */
.diagram rect.node { fill: #f7f9fb; stroke: #7d8894; stroke-width: 1.2; }
.diagram rect.node.visited { fill: var(--visited); stroke: var(--taken); }
.diagram rect.node.current { fill: var(--current); stroke: var(--current-edge); stroke-width: 3; }
.diagram rect.ring { fill: none; stroke: #7d8894; stroke-width: 0.8; }
.diagram text.label { fill: var(--ink); font-size: 12px; }
.diagram .start circle { fill: var(--ink); }
.diagram path.edge { fill: none; stroke: #aab3bd; stroke-width: 1.1; }
.diagram path.edge.taken { stroke: var(--taken); stroke-width: 2.4; }
.diagram .arrow.plain { fill: #aab3bd; }
.diagram .arrow.taken { fill: var(--taken); }
.diagram text.edge-label { fill: var(--muted); font-size: 10px; paint-order: stroke;
  stroke: var(--paper); stroke-width: 3px; }
.diagram text.edge-label.taken { fill: var(--taken); font-weight: 600; }
/* the charts */
.ballot-chart .axis, .tasks-chart .axis { stroke: var(--ink); }
.ballot-chart .scale { stroke: var(--line); stroke-dasharray: 2 3; }
.ballot-chart rect.bar { fill: #6b8fb8; }
.ballot-chart rect.bar.present { fill: #b9c3cf; }
.ballot-chart rect.bar.agree { fill: #3f8f5a; }
.ballot-chart rect.bar.oppose, .ballot-chart rect.bar.disagree { fill: #c0533a; }
.ballot-chart line.quorum { stroke: #6a4fb3; stroke-width: 2; stroke-dasharray: 6 4; }
.ballot-chart line.threshold { stroke: #d08a00; stroke-width: 2; }
.ballot-chart text.quorum { fill: #6a4fb3; font-size: 11px; }
.ballot-chart text.threshold { fill: #9a6600; font-size: 11px; }
.ballot-chart .tick, .tasks-chart .tick { fill: var(--muted); font-size: 10px; }
.tasks-chart .grid { stroke: var(--line); stroke-dasharray: 2 3; }
.tasks-chart rect.task.open { fill: #6b8fb8; }
.tasks-chart rect.task.done { fill: #3f8f5a; }
.tasks-chart rect.task.overdue { fill: #c0533a; }
.tasks-chart .task-state { fill: #fff; font-size: 10px; }
.tasks-chart .deadline { fill: #d08a00; stroke: var(--ink); stroke-width: 0.8; }
.tasks-chart line.now { stroke: var(--taken); stroke-width: 1.5; stroke-dasharray: 4 3; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  section.instance { break-before: page; }
  section.instance:first-of-type { break-before: auto; }
  figure, .ballot, tr, .refusal { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
