"""The words of the read-only web console (``collegium serve``, :mod:`collegium.console`), in
English and Chinese (zh-CN): part of the one table of :mod:`collegium._words`, which is where they
are looked up (:func:`collegium._words.word`)."""

from __future__ import annotations

from typing import Final

#: key -> (English, Chinese)
WORDS: Final[dict[str, tuple[str, str]]] = {
    "console.serving": (
        "serving the read-only console at {url}; Ctrl-C stops it",
        "只读控制台已在 {url} 提供服务；按 Ctrl-C 停止",
    ),
    "console.title": ("Collegium console", "Collegium 控制台"),
    "console.read_only": ("read only", "只读"),
    "console.nav.instances": ("Instances", "实例"),
    "console.nav.supervision": ("Overdue tasks and open cases", "逾期任务与未结问责"),
    "console.nav.audit": ("Audit", "审计"),
    "console.language": ("中文", "English"),
    "console.filter": ("Show", "筛选"),
    "console.any": ("any", "全部"),
    "console.next": ("next {count} →", "后 {count} 条 →"),
    "console.first": ("← first page", "← 第一页"),
    "console.page_of": (
        "{count} {count:instance|instances} on this page",
        "本页 {count} 个实例",
    ),
    "console.by_order": (
        "in the order of procedure, state and id",
        "按程序、状态和编号排列",
    ),
    "console.by_id": ("in the order of their ids", "按编号排列"),
    "console.path": ("Path taken", "所经路径"),
    "console.path_note": (
        "the states the instance passed through, oldest first; the current one is marked",
        "实例经过的状态，按先后排列；当前状态已标出",
    ),
    "console.diagram": ("Procedure diagram", "程序图"),
    "console.report": ("HTML report", "HTML 报告"),
    "console.timeline": ("Timeline", "时间线"),
    "console.rules_judged": ("{count} {count:rule|rules} judged", "判定规则 {count} 条"),
    "console.children": ("Started by this instance", "由本实例发起"),
    "console.no_children": ("it started no other instance", "未发起其他实例"),
    "console.no_ballot": ("no ballot", "没有表决"),
    "console.no_facts": ("no facts", "没有事实"),
    "console.current": ("current state", "当前状态"),
    "console.chart": (
        "votes per option and members present; the solid line marks the votes needed to pass, "
        "the dashed one the quorum",
        "各选项票数及实到人数；实线为通过所需同意票数，虚线为法定到会人数",
    ),
    "console.overdue": ("Overdue tasks", "逾期任务"),
    "console.cases": ("Open accountability cases", "未结问责案件"),
    "console.audit_head": ("Audit of the tamper-evident log", "防篡改日志审计"),
    "console.audit_note": (
        "every hash chain recomputed now, and the stored rows that decide outcomes compared "
        "with what the chains recorded",
        "已重新计算每条哈希链，并将决定结果的存储记录与链上记录逐一核对",
    ),
    "console.not_found": ("Not found", "未找到"),
    "console.unauthorised": (
        "Sign in: this console needs its token or its user name and password",
        "请登录：本控制台需要令牌或用户名和密码",
    ),
    "console.back": ("back to the instances", "返回实例列表"),
}
