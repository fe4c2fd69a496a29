"""The words people read in the command line's output and in the generated handbook, in English
and Chinese (zh-CN), in one table with one lookup, :func:`word`.

Plain data and the standard library only, so a command that needs words loads nothing else. The
words of ballots and meetings, of the handbook, of the HTML report, of meeting minutes, of
the relay and of the web console are kept in sibling modules and joined into this one table.
The engine's own messages (rule explanations, refusals) are in :mod:`collegium._i18n`.

An English word that counts says its singular and plural in its placeholder's format: ``{count}
{count:rule|rules}`` is "1 rule", "2 rules".
"""

from __future__ import annotations

import string
from typing import Any, Final

from collegium._words_ballots import WORDS as _BALLOT_WORDS
from collegium._words_console import WORDS as _CONSOLE_WORDS
from collegium._words_handbook import WORDS as _HANDBOOK_WORDS
from collegium._words_minutes import WORDS as _MINUTES_WORDS
from collegium._words_relay import WORDS as _RELAY_WORDS
from collegium._words_report import WORDS as _REPORT_WORDS

__all__ = ["label", "shape", "word", "word_or"]

#: key -> (English, Chinese); a key with a dot belongs to one command (``supervise.task``)
_WORDS: Final[dict[str, tuple[str, str]]] = {
    "id": ("id", "编号"),
    "version": ("version", "版本"),
    "title": ("title", "名称"),
    "pack": ("rule pack", "规则包"),
    "includes": ("includes", "引用程序片段"),
    "states": ("states", "状态"),
    "state": ("state", "状态"),
    "label": ("label", "名称"),
    "terminal": ("terminal", "终止"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "trigger": ("trigger", "操作"),
    "from": ("from", "起始状态"),
    "to": ("to", "目标状态"),
    "roles": ("roles", "职务"),
    "rules": ("rules", "规则"),
    "data": ("data", "数据"),
    "transitions": ("transitions", "流转"),
    "start": ("start", "发起"),
    "severity": ("severity", "级别"),
    "citation": ("citation", "依据"),
    "rule": ("rule", "规则"),
    "result": ("result", "结果"),
    "message": ("message", "说明"),
    "passed": ("passed", "通过"),
    "failed": ("FAILED", "未通过"),
    "warning": ("warning", "提示"),
    "n/a": ("n/a", "不适用"),
    "branch": ("branch", "分支"),
    "guards": ("guards", "适用于"),
    "check": ("check", "检查"),
    "when": ("when", "适用条件"),
    "unless": ("unless", "除外条件"),
    "procedure": ("procedure", "程序"),
    "facts": ("facts", "事项"),
    "fact": ("fact", "事项"),
    "value": ("value", "值"),
    "available": ("available to {actor}", "{actor} 可执行的操作"),
    "allowed": ("allowed", "可以"),
    "allowed_given": ("allowed, given {keys}", "可以，须提供 {keys}"),
    "refused": ("refused", "被拒绝"),
    "seq": ("#", "序号"),
    "at": ("at", "时间"),
    "actor": ("actor", "操作人"),
    "instance": ("instance", "实例"),
    "instances": ("instances", "实例"),
    "updated": ("updated", "更新时间"),
    "parent": ("parent", "上级实例"),
    "events": ("events", "事件"),
    "members": ("members", "成员"),
    "person": ("person", "人员"),
    "role": ("role", "职务"),
    "voting": ("voting", "表决权"),
    "name": ("name", "姓名"),
    "kind": ("kind", "类型"),
    "body": ("body", "机构"),
    "verdict": ("verdict", "审查结果"),
    "would_pass": ("{trigger}: would be allowed", "{trigger}：可以执行"),
    "would_fail": ("{trigger}: would be refused", "{trigger}：将被拒绝"),
    "replay.governs_nothing": (
        "rule pack {pack} governs none of the instances given (their procedures: {procedures}); "
        "nothing to judge",
        "规则包 {pack} 不适用于所给的任何实例（其程序：{procedures}），无可重新审查",
    ),
    "test.pack": (
        "{pack}: {passed} of {cases} {cases:case|cases} {passed:passes|pass}",
        "{pack}：{cases} 个用例中 {passed} 个通过",
    ),
    "test.coverage": (
        "  rules applied by a case: {covered} of {rules}",
        "  被用例触及的规则：{rules} 条中 {covered} 条",
    ),
    "test.uncovered": ("  no case applies: {rules}", "  无用例触及：{rules}"),
    "test.survivors": (
        "  dropped without a case noticing: {rules}",
        "  删去后无用例察觉：{rules}",
    ),
    "definitions.hint": (
        "not built in: name its file or folder with --definitions PATH",
        "非内置定义：请用 --definitions 路径 指定其文件或文件夹",
    ),
    "refused_by": ("refused by {count} {count:rule|rules}", "被 {count} 条规则拒绝"),
    "moved": ("{instance}: {trigger} → {state}", "{instance}：{trigger} → {state}"),
    "started": ("started {instances}", "已启动 {instances}"),
    "replayed": (
        "(already done: this is the first outcome again, nothing changed)",
        "（此前已执行，返回首次结果，未作更改）",
    ),
    "audit_ok": (
        "audit OK: {instances} {instances:instance|instances}, {events} {events:event|events}, "
        "every hash chain intact",
        "审计通过：{instances} 个实例、{events} 个事件，哈希链完整",
    ),
    "audit_bad": ("audit FAILED: {problem}", "审计未通过：{problem}"),
    "key_written": (
        "signing key written to {key}, readable by its owner only: keep it off the "
        "database host; public key in {pub}: {hex}",
        "签名私钥已写入 {key}（仅所有者可读，请勿存放在数据库主机上）；公钥在 {pub}：{hex}",
    ),
    "checkpoint_written": (
        "checkpoint written to {out}: {chains} hash {chains:chain|chains} at {at}, Merkle "
        "root {root}, signed by {key}",
        "检查点已写入 {out}：{at} 时的 {chains} 条哈希链，默克尔根 {root}，签名公钥 {key}",
    ),
    "checkpoint_ok": (
        "checkpoint of {at} holds: the {chains} hash {chains:chain|chains} it signed "
        "{chains:is|are} intact (root {root})",
        "{at} 的检查点核验通过：其签署的 {chains} 条哈希链均完好（默克尔根 {root}）",
    ),
    "checkpoint_bad": (
        "checkpoint of {at} FAILED: {changed} of the {chains} hash {chains:chain|chains} it "
        "signed changed",
        "{at} 的检查点核验未通过：其签署的 {chains} 条哈希链中有 {changed} 条被改动",
    ),
    "checkpoint_more": ("  … and {count} more", "  ……另有 {count} 条"),
    "body_defined": (
        "body {id} defined with {count} {count:member|members}",
        "已定义机构 {id}，成员 {count} 人",
    ),
    "db_ok": ("database {db} is at schema revision {rev}", "数据库 {db} 已升级至版本 {rev}"),
    "ok": ("ok: {what}", "通过：{what}"),
    "checked_pack": ("rule pack {key}, {count} {count:rule|rules}", "规则包 {key}，{count} 条规则"),
    "checked_fragment": (
        "fragment {key}, {params} {params:parameter|parameters}, "
        "{count} {count:transition|transitions}",
        "片段 {key}，{params} 个参数，{count} 个操作",
    ),
    "checked_procedure": (
        "procedure {key}, {states} {states:state|states}, {count} {count:transition|transitions}",
        "程序 {key}，{states} 个状态，{count} 个操作",
    ),
    "none": ("none", "无"),
    "demo_title": (
        "Demo: a major decision of a standing committee (database {db})",
        "演示：常委会重大事项决策（数据库 {db}）",
    ),
    "demo_body": (
        "standing committee {id}: {count} {count:member|members} "
        "(secretary sec, deputy dep, m1..m9)",
        "常委会 {id}：{count} 名成员（书记 sec、副书记 dep、常委 m1..m9）",
    ),
    "demo_refusal": ("refused, as it should be:", "按规定被拒绝："),
    "demo_ballot": (
        "ballot: agree {agree}, oppose {oppose}, abstain {abstain}; "
        "should attend {n}, present {present} → {outcome}",
        "表决：同意 {agree}，不同意 {oppose}，弃权 {abstain}；"
        "应到 {n} 人，实到 {present} 人 → {outcome}",
    ),
    "demo_child": ("correction started as {child} ({state})", "已启动纠错议题 {child}（{state}）"),
    # supervise, tasks and cases (collegium/commands/supervise.py, tasks.py, cases.py)
    "supervise.swept": (
        "swept timers due by {until}: {count} fired",
        "已处理截至 {until} 到期的事项：共 {count} 项",
    ),
    "supervise.due": ("due", "到期时间"),
    "supervise.instance": ("instance", "事项"),
    "supervise.trigger": ("step", "操作"),
    "supervise.result": ("result", "结果"),
    "supervise.opened": ("cases opened", "启动问责"),
    "supervise.refused": ("refused", "被规则拒绝"),
    "supervise.lead": ("lead member", "牵头常委"),
    "supervise.department": ("department", "责任部门"),
    "supervise.task": ("task", "任务"),
    "supervise.deadline": ("deadline", "完成时限"),
    "supervise.state": ("state", "状态"),
    "supervise.metric": ("target", "指标"),
    "supervise.kind.business": ("business targets", "业务目标"),
    "supervise.kind.public": ("public targets", "公共目标"),
    "supervise.progress": ("progress", "进度"),
    "supervise.case": ("case", "问责案件"),
    "supervise.finding": ("finding", "督查发现"),
    "supervise.member": ("member", "责任人"),
    "supervise.none": ("none", "无"),
    # replay (collegium/commands/replay.py)
    "replay.title": (
        "{source}: judged under {pack} (recorded under {recorded}); "
        "instances {instances}, steps {steps}",
        "{source}：按 {pack} 重新审查（原按 {recorded} 执行）：{instances} 个实例，{steps} 个步骤",
    ),
    "replay.refused": ("would have been refused:", "按新规则将被拒绝："),
    "replay.rerouted": ("would have ended in {state}:", "按新规则将转入 {state}："),
    "replay.warns": ("would have been warned:", "按新规则将收到提醒："),
    "replay.diverged": ("could not be replayed:", "无法重放："),
    "replay.summary": (
        "steps that would have been refused: {refused}; "
        "that would have ended elsewhere: {rerouted}; "
        "instances that could not be replayed: {diverged}",
        "将被拒绝的步骤 {refused} 个，将转入其他状态的步骤 {rerouted} 个；"
        "无法重放的实例 {diverged} 个",
    ),
    # simulate (collegium/commands/simulate.py)
    "simulate.title": ("Scenario: {title}", "情景：{title}"),
    "simulate.refused": ("refused, as expected:", "按预期被拒绝："),
    "simulate.timers": ("timers fired: {what}", "到期事项：{what}"),
    "simulate.expect": ("expectation holds", "预期成立"),
    "simulate.summary": (
        "{steps} {steps:step|steps}, {refused} refused as expected; instances: {instances}; "
        "audit {audit}",
        "共 {steps} 步，按预期被拒绝 {refused} 步；{instances} 个实例；审计{audit}",
    ),
    "simulate.ok": ("ok", "通过"),
    "simulate.broken": ("BROKEN", "未通过"),
    "simulate.db_used": (
        "{db} already holds instances ({first} among them), and a scenario runs on a clock of its "
        "own from its start: give --db a new file, add --replace to start on a new file in its "
        "place, or leave --db out to run in memory",
        "{db} 中已有实例（包括 {first}）：情景从起始时间起按自己的时钟运行，须使用单独的数据库；"
        "请用 --db 指定一个新文件，或加 --replace 以新文件替换之，或不加 --db 在内存中运行",
    ),
    "simulate.replace_file_only": (
        "--replace replaces a SQLite file only, not a server database",
        "--replace 只能替换 SQLite 文件，不能替换服务器数据库",
    ),
    "simulate.replace_not_ours": (
        "--replace replaces only a database Collegium made; {reason}",
        "--replace 只替换 Collegium 创建的数据库；{reason}",
    ),
    "simulate.the_db": ("the database", "该数据库"),
    "generate.too_many": (
        "a generated workload holds at most {most} matters (bodies × matters × months); "
        "{bodies} × {matters} × {months} is {product}",
        "生成的工作量最多 {most} 个事项（机构数 × 每月事项数 × 月数）；"
        "{bodies} × {matters} × {months} = {product}",
    ),
    # scenario files (collegium/scenariofile.py, collegium/scenario.py): steps counted from 1
    "scenario.step": ("step {n}", "第 {n} 步"),
    "scenario.one_action": (
        "a step has exactly one of {actions}; this one has {given}",
        "每一步须有且只有 {actions} 之一；此步有 {given}",
    ),
    "scenario.needs_as": ("needs 'as' (who acts)", "缺少 'as'（由谁办理）"),
    "scenario.needs_instance": (
        "needs 'instance' (which one)",
        "缺少 'instance'（对哪个实例办理）",
    ),
    # commitments (collegium/commands/commitments.py)
    "commitments.heading": ("Commitments of {body} for {year}", "{body} {year} 年度为民承诺事项"),
    "commitments.none": ("{body} made no commitment for {year}", "{body} {year} 年度没有承诺事项"),
    "commitments.lead": ("lead member", "牵头常委"),
    "commitments.outcome": ("outcome", "兑现结果"),
    "commitments.progress": ("progress", "目标进度"),
    "commitments.result": ("result", "兑现情况"),
    "commitments.cases": ("case", "问责案件"),
    # reports (collegium/commands/reports.py): what was done with each obligation, and the lines
    "reports.scheduled": ("scheduled", "已安排"),
    "reports.existing": ("already scheduled", "此前已安排"),
    "reports.past": ("deadline passed, not scheduled", "时限已过，未安排"),
    "reports.summary": (
        "{scheduled} scheduled, {existing} already scheduled, {past} past their deadline",
        "新安排 {scheduled} 项，此前已安排 {existing} 项，时限已过 {past} 项",
    ),
    "reports.line": (
        "{status}: {id} — {kind} {period}, {reporter} to {body}, due {due}",
        "{status}：{id} — {reporter} 向 {body} {kind}（{period}），时限 {due}",
    ),
    "reports.due": (
        "{id} — {reporter} to {body}, {kind} {period}, due {due}",
        "{id} — {reporter} 向 {body} 报告（{kind}，{period}），时限 {due}",
    ),
    "reports.none_due": (
        "no report due in the next {days} {days:day|days}",
        "未来 {days} 天内没有到期的报告",
    ),
    # times, and how long before a deadline a reminder comes (collegium/commands/render.py)
    "times.in": ("times in {offset}", "时间为 {offset}"),
    "timer.remind": ("reminder {lead} before {timer}", "{timer} 前 {lead}的提醒"),
    "duration.days": ("{n} {n:day|days}", "{n} 天"),
    "duration.hours": ("{n} {n:hour|hours}", "{n} 小时"),
    "duration.minutes": ("{n} {n:minute|minutes}", "{n} 分钟"),
    "duration.seconds": ("{n} {n:second|seconds}", "{n} 秒"),
    # keys of a fact's nested values (a ballot, consultations), as status shows them
    "by": ("by", "经办人"),
    "options": ("options", "选项"),
    "closed_at": ("closed at", "结束时间"),
    "opened_at": ("opened at", "开会时间"),
    # listings that found nothing
    "empty.instances": ("no instances", "没有实例"),
    "empty.cases": ("no open cases", "没有未结的问责案件"),
    "empty.overdue": ("no task is overdue", "没有逾期的任务"),
    "empty.targets": ("{member} has no targets", "{member} 没有目标"),
    "empty.rules": ("no rules", "没有规则"),
    "empty.procedures": ("no procedures", "没有程序"),
    "empty.members": ("no members", "没有成员"),
    "supervise.nothing": ("nothing fell due by {until}", "截至 {until} 没有到期的事项"),
    **_BALLOT_WORDS,
    **_HANDBOOK_WORDS,
    **_REPORT_WORDS,
    **_MINUTES_WORDS,
    **_RELAY_WORDS,
    **_CONSOLE_WORDS,
}


class _Counting(string.Formatter):
    """``str.format``, but a field formatted ``{n:one|many}`` is the word ``one`` when ``n`` is 1,
    else ``many``."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if "|" in format_spec:
            one, _, many = format_spec.partition("|")
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_COUNTING = _Counting()


def word(key: str, lang: str, /, **params: object) -> str:
    """The word ``key`` in ``lang`` (Chinese for ``zh-CN``, else English), ``params`` filled in."""
    en, zh = _WORDS[key]
    text = zh if lang == "zh-CN" else en
    return _COUNTING.format(text, **params) if "|" in text else text.format(**params)


def label(key: str, lang: str, /) -> str:
    """``key`` as a label in ``lang``: its word when the table has one that needs nothing filled in
    (``at`` → 时间), else ``key`` itself."""
    found = _WORDS.get(key)
    if found is None:
        return key
    text = found[1] if lang == "zh-CN" else found[0]
    return key if "{" in text else text


def shape(kind: str, lang: str, /, *, values: tuple[str, ...] = (), keys: str | None = None) -> str:
    """A data key's type in words: ``kind`` (a fact type, or ``counts``), the ``values`` it (or each
    value of a mapping) may take, and what a mapping's ``keys`` are (``person``)."""
    if kind == "mapping":
        text = word("shape.string", lang)
        named = word_or(f"shape.{keys}", lang, keys) if keys else text
        return word(
            "shape.mapping", lang, keys=named, values=" | ".join(values) if values else text
        )
    base = word(f"shape.{kind}", lang)
    if not values:
        return base
    among = word("shape.one_of", lang, values=" | ".join(values))
    return f"{base}（{among}）" if lang == "zh-CN" else f"{base} ({among})"


def word_or(key: str, lang: str, fallback: str) -> str:
    """The word ``key`` in ``lang``, or ``fallback`` when there is no such word (an option a pack
    defines)."""
    return word(key, lang) if key in _WORDS else fallback
