"""Human output of the command line: rich tables and panels, every label in the language asked for.

Imported only inside the commands of :mod:`collegium.cli` and its ``_cli_*`` modules, so that ``collegium --help``
never loads rich.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # rich is imported where it is used: `collegium simulate` needs only the words
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text as RichText

    from collegium.rules.verdict import RuleResult, Verdict

# CLI words: key -> (English, Chinese).
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
    "refused_by": ("refused by {count} rule(s)", "被 {count} 条规则拒绝"),
    "moved": ("{instance}: {trigger} → {state}", "{instance}：{trigger} → {state}"),
    "started": ("started {instances}", "已启动 {instances}"),
    "replayed": ("(already done: this is the first outcome again, nothing changed)",
                 "（此前已执行，返回首次结果，未作更改）"),
    "audit_ok": ("audit OK: {instances} instances, {events} events, every hash chain intact",
                 "审计通过：{instances} 个实例、{events} 个事件，哈希链完整"),
    "audit_bad": ("audit FAILED: {problem}", "审计未通过：{problem}"),
    "key_written": ("signing key written to {key}, readable by its owner only: keep it off the "
                    "database host; public key in {pub}: {hex}",
                    "签名私钥已写入 {key}（仅所有者可读，请勿存放在数据库主机上）；"
                    "公钥在 {pub}：{hex}"),
    "checkpoint_written": ("checkpoint written to {out}: {chains} hash chain(s) at {at}, Merkle "
                           "root {root}, signed by {key}",
                           "检查点已写入 {out}：{at} 时的 {chains} 条哈希链，默克尔根 {root}，"
                           "签名公钥 {key}"),
    "checkpoint_ok": ("checkpoint of {at} holds: the {chains} hash chain(s) it signed are intact "
                      "(root {root})",
                      "{at} 的检查点核验通过：其签署的 {chains} 条哈希链均完好（默克尔根 {root}）"),
    "checkpoint_bad": ("checkpoint of {at} FAILED: {changed} of the {chains} hash chain(s) it "
                       "signed changed",
                       "{at} 的检查点核验未通过：其签署的 {chains} 条哈希链中有 {changed} 条被改动"),
    "checkpoint_more": ("  … and {count} more", "  ……另有 {count} 条"),
    "body_defined": ("body {id} defined with {count} members", "已定义机构 {id}，成员 {count} 人"),
    "db_ok": ("database {db} is at schema revision {rev}", "数据库 {db} 已升级至版本 {rev}"),
    "ok": ("ok: {what}", "通过：{what}"),
    "none": ("none", "无"),
    "demo_title": ("Demo: a major decision of a standing committee (database {db})",
                   "演示：常委会重大事项决策（数据库 {db}）"),
    "demo_body": ("standing committee {id}: {count} members (secretary sec, deputy dep, m1..m9)",
                  "常委会 {id}：{count} 名成员（书记 sec、副书记 dep、常委 m1..m9）"),
    "demo_refusal": ("refused, as it should be:", "按规定被拒绝："),
    "demo_ballot": ("ballot: agree {agree}, oppose {oppose}, abstain {abstain}; should attend {n}, present {present}"
                    " → {outcome}",
                    "表决：同意 {agree}，不同意 {oppose}，弃权 {abstain}；应到 {n} 人，实到 {present} 人 → {outcome}"),
    # ballots and their results
    "option.agree": ("agree", "同意"),
    "option.oppose": ("oppose", "不同意"),
    "option.disagree": ("disagree", "不同意"),
    "option.abstain": ("abstain", "弃权"),
    "option.defer": ("defer", "缓议"),
    "method": ("method", "表决方式"),
    "method.oral": ("oral", "口头"),
    "method.show_of_hands": ("show of hands", "举手"),
    "method.named": ("named", "记名"),
    "method.secret": ("secret, paper ballots counted by tellers", "无记名（纸质选票，监票计票）"),
    "method.secret_electronic": ("secret, electronic", "无记名（电子投票）"),
    "method.roll_call": ("roll call", "唱票"),
    "ballot": ("ballot {id}", "表决 {id}"),
    "ballot_result": ("ballot result", "表决结果"),
    "ballot_open": ("open", "进行中"),
    "ballot_closed": ("closed at {at}", "已于 {at} 结束"),
    "ballot_lapsed": ("lapsed: the vote was deferred before a tally", "已中止：表决在计票前暂缓"),
    "ballot_passed": ("passed", "通过"),
    "ballot_failed": ("not passed", "未通过"),
    "n": ("should attend (n)", "应到"),
    "present": ("present", "实到"),
    "people": ("{count}", "{count} 人"),
    "quorum": ("quorum: present needed", "法定到会人数"),
    "needed": ("threshold: agree votes needed", "通过所需同意票数"),
    "votes": ("votes", "票数"),
    "option": ("option", "选项"),
    "choice": ("choice", "选择"),
    "voter": ("voter", "投票人"),
    "voted": ("voted", "已投票"),
    "dissent": ("dissent recorded", "不同意者"),
    "item": ("item {item}", "事项 {item}"),
    "item_head": ("item", "表决事项"),
    "totals_at_close": ("secret ballot: the totals are shown when the ballot is closed",
                        "无记名投票：票数在表决结束时公布"),
    "secret_replay": ("warning: a secret vote's choice is not recorded, so this repeat cannot be checked against "
                      "the first one (the first vote counts)",
                      "提示：无记名投票不记录所选内容，无法核对本次重复提交的选择是否与首次一致（以首次投票为准）"),
    "choices_hidden": ("secret ballot: who chose what is not recorded", "无记名投票：不记录每人的选择"),
    "tellers": ("tellers: {tellers}; {counted}", "监票人、计票人：{tellers}；{counted}"),
    "counted": ("counted", "已计票"),
    "not_counted": ("not yet counted", "尚未计票"),
    "returned": ("ballots returned", "收回选票"),
    "option.blank": ("blank", "空白票"),
    "option.invalid": ("invalid", "废票"),
    "key_public": ("ballot key (give it when the meeting opens: --ballot-key): {key}",
                   "选票公钥（开会时以 --ballot-key 提供）：{key}"),
    "key_secret": ("tellers' secret (the tellers keep it and give it only to count; it is not stored): {secret}",
                   "监票人、计票人密钥（由其保管，仅在计票时提供；系统不保存）：{secret}"),
    "rule_verdicts": ("rule verdicts at the close (event #{seq})", "结束表决时的规则审查（第 {seq} 号事件）"),
    # meetings
    "meeting": ("meeting {id} of {body}, opened {at}", "{body} 会议 {id}，{at} 开会"),
    "taken_up_at": ("taken up at {sitting}", "在会议 {sitting} 上审议"),
    "agenda": ("agenda", "议程"),
    "attendance": ("attendance", "出席情况"),
    "view": ("view stated", "表态"),
    "reason": ("reason", "理由"),
    "attendees": ("non-voting attendees (列席)", "列席人员"),
    "attendance.present": ("present", "出席"),
    "attendance.absent": ("absent", "缺席"),
    "attendance.recused": ("recused", "回避"),
    "attendance.attendee": ("attending without a vote", "列席"),
    "demo_child": ("correction started as {child} ({state})", "已启动纠错议题 {child}（{state}）"),
    # supervise (collegium/_cli_supervise.py)
    "supervise.swept": ("swept timers due by {until}: {count} fired", "已处理截至 {until} 到期的事项：共 {count} 项"),
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
    # simulate (collegium/_cli_simulate.py)
    # replay (collegium/_cli_replay.py)
    "replay.title": ("{source}: judged under {pack} (recorded under {recorded}); instances {instances}, steps {steps}",
                     "{source}：按 {pack} 重新审查（原按 {recorded} 执行）：{instances} 个实例，{steps} 个步骤"),
    "replay.refused": ("would have been refused:", "按新规则将被拒绝："),
    "replay.rerouted": ("would have ended in {state}:", "按新规则将转入 {state}："),
    "replay.warns": ("would have been warned:", "按新规则将收到提醒："),
    "replay.diverged": ("could not be replayed:", "无法重放："),
    "replay.summary": ("steps that would have been refused: {refused}; that would have ended elsewhere: {rerouted}; "
                       "instances that could not be replayed: {diverged}",
                       "将被拒绝的步骤 {refused} 个，将转入其他状态的步骤 {rerouted} 个；无法重放的实例 {diverged} 个"),
    "simulate.title": ("Scenario: {title}", "情景：{title}"),
    "simulate.refused": ("refused, as expected:", "按预期被拒绝："),
    "simulate.timers": ("timers fired: {what}", "到期事项：{what}"),
    "simulate.expect": ("expectation holds", "预期成立"),
    "simulate.summary": ("{steps} steps, {refused} refused as expected; instances: {instances}; audit {audit}",
                         "共 {steps} 步，按预期被拒绝 {refused} 步；{instances} 个实例；审计{audit}"),
    "simulate.ok": ("ok", "通过"),
    "simulate.broken": ("BROKEN", "未通过"),
    "simulate.db_used": ("{db} already holds instances ({first} among them): a scenario runs on its own virtual "
                         "clock from its start, so it needs a database of its own; give --db a new file, or leave "
                         "--db out to run in memory",
                         "{db} 中已有实例（包括 {first}）：情景从其起始时间起按自己的虚拟时钟运行，须使用单独的数据库；"
                         "请用 --db 指定一个新文件，或不加 --db 在内存中运行"),
    "simulate.the_db": ("the database", "该数据库"),
}


def word(key: str, lang: str, /, **params: Any) -> str:
    en, zh = _WORDS[key]
    return (zh if lang == "zh-CN" else en).format(**params)


def word_or(key: str, lang: str, fallback: str) -> str:
    """The word ``key`` in ``lang``, or ``fallback`` when there is no such word (an option a pack defines)."""
    return word(key, lang) if key in _WORDS else fallback


def console(*, stderr: bool = False) -> Console:
    """A console on the current stdout/stderr; wide when not a terminal, so nothing is cut off."""
    from rich.console import Console

    file = sys.stderr if stderr else sys.stdout
    con = Console(file=file, highlight=False, soft_wrap=False)
    if not con.is_terminal:
        con = Console(file=file, highlight=False, width=120, color_system=None)
    return con


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False, default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    return str(value)


def plain(value: Any) -> str:
    """A fact value as one short line of text."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default)


def table(title: str | None, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    from rich.table import Table
    from rich.text import Text as RichText

    t = Table(title=title, title_justify="left", show_lines=False, show_header=any(headers))
    for h in headers:
        t.add_column(h, overflow="fold")
    for row in rows:
        t.add_row(*(c if isinstance(c, RichText) else RichText(plain(c) if c is not None else "") for c in row))
    return t


def panel(body: str, title: str | None = None) -> Panel:
    from rich.panel import Panel
    from rich.text import Text as RichText

    return Panel(RichText(body), title=title, title_align="left", expand=False)


def status_word(r: RuleResult, lang: str) -> RichText:
    return _status(r.passed, r.severity, r.applicable, lang)


def _status(passed: bool, severity: str, applicable: bool, lang: str) -> RichText:
    from rich.text import Text as RichText

    if not applicable:
        return RichText(word("n/a", lang), style="dim")
    if severity == "branch":
        return RichText(word("branch", lang) + (" ✓" if passed else " ✗"), style="cyan")
    if passed:
        return RichText(word("passed", lang), style="green")
    if severity == "warn":
        return RichText(word("warning", lang), style="yellow")
    return RichText(word("failed", lang), style="bold red")


def rule_table(title: str | None, results: Iterable[Mapping[str, Any]], lang: str) -> Table:
    """A verdict table from rule results in their document form (``RuleResult.to_dict``)."""
    return table(title, [word("rule", lang), word("result", lang), word("title", lang), word("message", lang),
                         word("citation", lang)],
                 ([r["rule"], _status(r["passed"], r["severity"], r["applicable"], lang), r["title"], r["message"],
                   r["citation"]] for r in results))


def verdict_table(verdict: Verdict, lang: str, title: str | None = None) -> Table:
    return table(title, [word("rule", lang), word("result", lang), word("title", lang), word("message", lang),
                         word("citation", lang)],
                 ([r.rule_id, status_word(r, lang), r.title.get(lang), r.message(lang), r.citation]
                  for r in verdict.results))


def failure_lines(failures: Iterable[RuleResult], lang: str) -> list[str]:
    """One line per failed rule: id, message in ``lang`` and citation."""
    return [f"  {r.rule_id}: {r.message(lang)} ({word('citation', lang)}: {r.citation})" for r in failures]


def facts_table(facts: Mapping[str, Any], lang: str, labels: Mapping[str, str] | None = None) -> Table:
    labels = labels or {}
    return table(word("facts", lang), [word("fact", lang), word("value", lang)],
                 ([f"{k} ({labels[k]})" if k in labels and labels[k] != k else k, v] for k, v in facts.items()))


# -- ballot results --------------------------------------------------------------------------------------------
def seps(lang: str) -> tuple[str, str]:
    """The comma and colon of ``lang``."""
    return ("，", "：") if lang == "zh-CN" else (", ", ": ")


def counts_line(counts: Mapping[str, int], lang: str) -> str:
    """``agree 3, oppose 1, abstain 0`` (``同意 3，不同意 1，弃权 0``)."""
    comma, _ = seps(lang)
    return comma.join(f"{word_or(f'option.{k}', lang, k)} {v}" for k, v in counts.items())


def figure_line(key: str, figure: Mapping[str, Any] | None, value: Any, lang: str) -> str:
    """``quorum: present needed: 3 (R-QUORUM-SC, >= 2/3)``: a figure with the rule that set it."""
    _, colon = seps(lang)
    how = ""
    if figure and figure.get("op"):
        how = (f"（{figure['rule']}，{figure['op']} {figure['ratio']}）" if lang == "zh-CN"
               else f" ({figure['rule']}, {figure['op']} {figure['ratio']})")
    elif figure and figure.get("rule"):
        how = f"（{figure['rule']}）" if lang == "zh-CN" else f" ({figure['rule']})"
    return f"{word(key, lang)}{colon}{value}{how}"


def item_line(item: str, one: Mapping[str, Any], lang: str) -> str:
    """One item of a list voted item by item, in two lines: its outcome and counts, then its threshold (and
    dissent): ``item Zhang: passed (agree 3, disagree 1, defer 0)``."""
    _, colon = seps(lang)
    counts = counts_line(one["counts"], lang) or word("none", lang)
    head = f"{word('item', lang, item=item)}{colon}{one['outcome_label']}" + (
        f"（{counts}）" if lang == "zh-CN" else f" ({counts})")
    parts = []
    if one.get("needed") is not None:
        parts.append(figure_line("needed", one.get("threshold"), one["needed"], lang))
    if one.get("dissent") is not None:
        parts.append(f"{word('dissent', lang)}{colon}{', '.join(one['dissent']) or word('none', lang)}")
    return head + ("\n  " + ("；" if lang == "zh-CN" else "; ").join(parts) if parts else "")
