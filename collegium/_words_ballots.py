"""The words of ballots and meetings (``vote``, ``meeting``, a ballot's result in ``status`` and
``history``), in English and Chinese (zh-CN): part of the one table of :mod:`collegium._words`,
which is where they are looked up (:func:`collegium._words.word`)."""

from __future__ import annotations

from typing import Final

#: key -> (English, Chinese)
WORDS: Final[dict[str, tuple[str, str]]] = {
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
    "totals_at_close": (
        "secret ballot: the totals are shown when the ballot is closed",
        "无记名投票：票数在表决结束时公布",
    ),
    "secret_replay": (
        "warning: a secret vote's choice is not recorded, so this repeat cannot be "
        "checked against the first one (the first vote counts)",
        "提示：无记名投票不记录所选内容，"
        "无法核对本次重复提交的选择是否与首次一致（以首次投票为准）",
    ),
    "choices_hidden": (
        "secret ballot: who chose what is not recorded",
        "无记名投票：不记录每人的选择",
    ),
    "tellers": ("tellers: {tellers}; {counted}", "监票人、计票人：{tellers}；{counted}"),
    "counted": ("counted", "已计票"),
    "not_counted": ("not yet counted", "尚未计票"),
    "returned": ("ballots returned", "收回选票"),
    "option.blank": ("blank", "空白票"),
    "option.invalid": ("invalid", "废票"),
    "key_public": (
        "ballot key (give it when the meeting opens: --ballot-key): {key}",
        "选票公钥（开会时以 --ballot-key 提供）：{key}",
    ),
    "key_secret": (
        "tellers' secret (the tellers keep it and give it only to count; "
        "it is not stored): {secret}",
        "监票人、计票人密钥（由其保管，仅在计票时提供；系统不保存）：{secret}",
    ),
    "rule_verdicts": (
        "rule verdicts at the close (event #{seq})",
        "结束表决时的规则审查（第 {seq} 号事件）",
    ),
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
}
