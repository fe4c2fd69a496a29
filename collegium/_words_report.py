"""The words of the HTML report (``simulate --html``, ``report --html``,
:mod:`collegium.htmlreport`), in English and Chinese (zh-CN): part of the one table of
:mod:`collegium._words`, which is where they are looked up (:func:`collegium._words.word`)."""

from __future__ import annotations

from typing import Final

#: key -> (English, Chinese)
WORDS: Final[dict[str, tuple[str, str]]] = {
    "report.as_of": ("as of {at}", "截至 {at}"),
    "report.contents": ("Contents", "目录"),
    "report.state_now": ("Current state", "当前状态"),
    "report.diagram": ("Procedure diagram", "程序流程图"),
    "report.legend": (
        "In red: the transitions the history went through; in yellow: the current state. "
        "Hover over a transition for its whole label and its rules.",
        "红色为已经过的流转，黄色为当前状态；鼠标悬停于流转上可见其完整名称和规则。",
    ),
    "report.timeline": ("Timeline", "时间线"),
    "report.refusals": ("Refusals", "被拒绝的操作"),
    "report.no_refusals": ("No step was refused.", "没有被拒绝的操作。"),
    "report.refusals_not_stored": (
        "Refusals are not stored: a refused step writes no event, so a report read from the "
        "database cannot list them ('collegium simulate FILE --html OUT' lists a scenario's).",
        "被拒绝的操作不予存储：被拒绝的操作不产生事件，因此从数据库生成的报告无法列出"
        "（'collegium simulate 文件 --html 输出' 可列出情景中的被拒绝操作）。",
    ),
    "report.ballots": ("Ballots", "表决"),
    "report.no_ballot": ("No ballot was closed.", "没有已结束的表决。"),
    "report.secret_totals": ("secret ballot: totals only", "无记名表决：仅显示总数"),
    "report.quorum_line": ("quorum {needed}", "法定人数 {needed}"),
    "report.threshold_line": ("threshold {needed}", "通过票数 {needed}"),
    "report.tasks": ("Tasks and deadlines", "任务与期限"),
    "report.no_tasks": ("No task was started.", "未启动任务。"),
    "report.now": ("now", "当前"),
    "report.audit": ("Audit", "审计"),
    "report.footer": (
        "Drawn by Collegium {version} from the engine's records; this page makes no request.",
        "由 Collegium {version} 根据引擎记录生成；本页面不发出任何网络请求。",
    ),
    "report.written": ("report written to {out}", "报告已写入 {out}"),
}
