"""Facts the engine derives for every command, whatever the procedure: the rules' vocabulary.

Procedures declare their own facts (``category``, ``meeting_at`` …); these are added by the engine
from the command, the body's membership, the meeting's attendance and the ballot. Their names are
reserved: a procedure may not declare a fact with one of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any, Final, NamedTuple

from collegium._i18n import Text
from collegium.definitions import FactType


def _t(en: str, zh: str) -> Text:
    return Text(en=en, zh=zh)


#: name -> (type, label)
ENGINE_FACTS: Final[dict[str, tuple[FactType, Text]]] = {
    "now": ("datetime", _t("now", "当前时间")),
    "actor": ("string", _t("actor", "办理人")),
    "actor_roles": ("list", _t("actor's roles", "办理人职务")),
    "actor_role": ("string", _t("actor's role", "办理人职务")),
    "trigger": ("string", _t("trigger", "操作")),
    "supplied": ("list", _t("what this step gives", "本次操作提供的事项")),
    "state": ("string", _t("state", "状态")),
    "instance_id": ("string", _t("instance", "实例")),
    "body_kind": ("string", _t("body kind", "机构类别")),
    "members": ("list", _t("members of the body", "机构成员")),
    "voting_members": ("list", _t("voting members", "有表决权的成员")),
    "n": ("integer", _t("who should attend", "应到")),
    "present": ("integer", _t("present", "实到")),
    "recused": ("list", _t("recused", "回避")),
    "eligible_voters": ("list", _t("members entitled to vote now", "可参加表决的成员")),
    "eligible_others": ("list", _t("other members entitled to vote", "其他可参加表决的成员")),
    "stated": ("list", _t("members who have stated a view", "已表态")),
    "unstated": ("list", _t("present and yet to state a view", "到会尚未表态的成员")),
    "unstated_count": ("integer", _t("present and yet to state a view", "到会尚未表态的人数")),
    "ballot_items": ("list", _t("items of the ballot", "表决事项")),
    "itemwise": ("boolean", _t("voted item by item", "逐个表决")),
    "ballot_method": ("string", _t("voting method", "表决方式")),
    "sitting_state": (
        "string",
        _t("state of the meeting the matter was taken up at", "审议该议题的会议的状态"),
    ),
    "on_agenda": ("boolean", _t("on the agenda of the meeting", "已列入会议议程")),
    "sittings_count": (
        "integer",
        _t("sittings it was taken up at", "经会议审议或登记的次数"),
    ),
    "consulted": ("list", _t("consulted", "已征求意见")),
    "consulted_count": ("integer", _t("consulted", "已征求意见")),
    "voted": ("list", _t("voted", "已表决")),
    "votes_cast": ("integer", _t("votes cast", "已投票")),
    "agree": ("integer", _t("agree", "同意")),
    "oppose": ("integer", _t("oppose", "不同意")),
    "abstain": ("integer", _t("abstain", "弃权")),
    "targets_count": ("integer", _t("measurable targets", "量化目标数")),
    "progress": ("integer", _t("progress (% of the way to the targets)", "目标完成进度（%）")),
    "targets_met": ("boolean", _t("every target reached", "目标全部完成")),
}

#: Derived facts that also read a key of the command's data: a ballot voted item by item is
#: counted on the command's ``item``, so a rule reading these waits for ``item`` when it is absent.
DATA_DEPENDENT: Final[dict[str, frozenset[str]]] = {
    name: frozenset({"item"}) for name in ("voted", "votes_cast", "agree", "oppose", "abstain")
}

#: Facts that effects keep in an instance; set only through effects, never from a payload.
RECORD_FACTS: Final[dict[str, FactType]] = {
    "consultations": "mapping",
    "meeting": "mapping",
    "sittings": "list",
    "ballot": "mapping",
    "children": "list",
    "targets": "mapping",
    "log": "mapping",
}


def fact_label(name: str, declared: dict[str, Text | None] | None = None) -> Text:
    if name in ENGINE_FACTS:
        return ENGINE_FACTS[name][1]
    if declared and declared.get(name) is not None:
        label = declared[name]
        assert label is not None
        return label
    return Text(en=name.replace("_", " "), zh=name)


class ExplainedFact(NamedTuple):
    """A fact a rule's own failure text names, whether it is a time (shown as one), and its label
    (to say it is not given)."""

    name: str
    is_time: bool
    label: Text

    @staticmethod
    def shown(value: Any) -> Any:
        """``value`` as the failure text shows it: a list (or who is seated, read lazily) joined,
        a time in ISO 8601, None kept (the fact is not given)."""
        if isinstance(value, Collection) and not isinstance(value, str | Mapping):
            return ", ".join(str(v) for v in value)
        if isinstance(value, dt.datetime):
            return value.isoformat()
        plain = isinstance(value, str | int | float | bool) or value is None
        return value if plain else str(value)
