"""Bilingual text: every message a person reads exists in English and Chinese (zh-CN)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

Lang = Literal["en", "zh-CN"]
LANGS: Final[tuple[Lang, ...]] = ("en", "zh-CN")


def check_lang(lang: str) -> Lang:
    """Return ``lang`` as a :data:`Lang`, or raise :class:`~collegium.errors.InvalidInput`."""
    from collegium._catalog import Message
    from collegium.errors import InvalidInput

    if lang == "en":
        return "en"
    if lang in ("zh-CN", "zh"):
        return "zh-CN"
    raise InvalidInput(Message("unknown language {lang!r}; use one of: en, zh-CN", lang=lang))


class Text(BaseModel):
    """A label or title in both languages, written in YAML as ``{en: ..., zh-CN: ...}``."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    en: str = Field(min_length=1)
    zh: str = Field(alias="zh-CN", min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang``: Chinese for ``zh-CN``, else English."""
        return self.zh if lang == "zh-CN" else self.en


#: A rule's citation: one text for both languages, or ``{en: ..., zh-CN: ...}``.
Citation = str | Text


def cite(citation: Citation, lang: str) -> str:
    """A citation as read in ``lang``: its Chinese form for ``zh-CN`` where it has one."""
    return citation.get(lang) if isinstance(citation, Text) else citation


# Message catalogue: key -> (English, Chinese). Parameters use str.format names.
_CATALOGUE: Final[dict[str, tuple[str, str]]] = {
    # rule explanations
    "threshold": (
        "{count_label} {count} of {base} {base_label}; "
        "needs at least {needed} ({op} {ratio} of {base})",
        "{base_label_zh} {base} 人，{count_label_zh} {count} 人；"
        "至少须 {needed} 人（{op_zh} {ratio}）",
    ),
    "required.ok": ("all required facts are present", "所需事项均已具备"),
    "required.missing": ("missing: {missing}", "缺少：{missing}"),
    "role.ok": ("{actor} acts as {roles}", "{actor} 以{roles_zh}身份办理"),
    "role.person": ("{actor} acts as the matter's {person}", "{actor} 以本事项{person_zh}身份办理"),
    "role.none": (
        "{actor} holds no role in {body}; allowed: {allowed}",
        "{actor} 在 {body} 中没有职务；允许：{allowed_zh}",
    ),
    "role.no_body": (
        "{actor} holds a role only as a member of the matter's body, and none is given",
        "未指定本事项的机构，无法确认 {actor} 的职务",
    ),
    "role.wrong": (
        "{actor} is {roles}; allowed: {allowed}",
        "{actor} 的职务为{roles_zh}；允许：{allowed_zh}",
    ),
    "covers.ok": ("all {total} covered", "全部 {total} 人均已完成"),
    "covers.missing": (
        "{set_label} {done} of {total} {of_label}; still missing: {missing}",
        "{of_label_zh} {total} 人，{set_label_zh} {done} 人；尚缺：{missing}",
    ),
    "member.in": ("{value} is among {collection}", "{value} 属于{collection_zh}"),
    "member.not_in": ("{value} is not among {collection}", "{value} 不属于{collection_zh}"),
    "member.absent_ok": (
        "{value} is not yet among {collection}",
        "{value} 尚未列入{collection_zh}",
    ),
    "member.present_bad": (
        "{value} is already among {collection}",
        "{value} 已列入{collection_zh}",
    ),
    "at_least.ok": ("{fact}: {value}, at least {min}", "{fact_zh}：{value}，不少于 {min}"),
    "at_least.bad": ("{fact}: {value}; needs at least {min}", "{fact_zh}：{value}；须不少于 {min}"),
    "one_of.ok": ("{fact} is {value}", "{fact_zh}为 {value}"),
    "one_of.bad": (
        "{fact} is {value}; needs one of {values}",
        "{fact_zh}为 {value}；须为 {values} 之一",
    ),
    "period.ok": (
        "{span} from {start} to {end}; needs {op} {limit}",
        "{start} 至 {end} 相隔 {span_zh}；须{op_zh} {limit_zh}",
    ),
    "period.bad": (
        "{span} from {start} to {end}; needs {op} {limit}",
        "{start} 至 {end} 仅相隔 {span_zh}；须{op_zh} {limit_zh}",
    ),
    "period.long": (
        "{span} from {start} to {end}; needs {op} {limit}",
        "{start} 至 {end} 相隔 {span_zh}，超出期限；须{op_zh} {limit_zh}",
    ),
    "period.before": (
        "{end} is {span} before {start}; needs {op} {limit} from {start}",
        "{end} 比 {start} 早 {span_zh}；须{op_zh} {limit_zh}",
    ),
    "period.missing": ("{fact} is not set", "{fact_zh} 尚未设定"),
    "fact.unset": ("{facts} not given", "未提供{facts_zh}"),
    "state.ok": ("{other} is {state}", "{other} 处于 {state}"),
    "state.bad": (
        "{other} is {state}; needs one of {states}",
        "{other} 处于 {state}；须为 {states} 之一",
    ),
    "state.missing": ("no linked instance in {fact}", "{fact} 未关联任何实例"),
    "state.unknown": (
        "{fact} names {other}, which is no instance",
        "{fact} 所指的 {other} 并无此实例",
    ),
    "expression.ok": ("{expr} holds", "{expr} 成立"),
    "expression.bad": ("{expr} does not hold ({facts})", "{expr} 不成立（{facts}）"),
    "not_applicable": ("does not apply here", "此处不适用"),
    "needs_data": ("judged when the command gives {facts}", "待本操作提供 {facts} 后判断"),
    "refused": ("refused", "被拒绝"),
}


def message(key: str, lang: str, /, **params: Any) -> str:
    """Render catalogue message ``key`` in ``lang`` with ``params``.

    Key ``custom`` renders a rule's own ``explain`` text, carried in params
    ``template_en``/``template_zh``.
    """
    if key == "custom":
        return str(params["template_zh" if lang == "zh-CN" else "template_en"]).format(**params)
    en, zh = _CATALOGUE[key]
    return (zh if lang == "zh-CN" else en).format(**params)


def format_duration(delta: dt.timedelta) -> tuple[str, str]:
    """A duration in words, English and Chinese: ``('1 d 2 h', '1天2小时')``."""
    negative = delta < dt.timedelta(0)
    total = abs(int(delta.total_seconds()))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    en = " ".join(
        p
        for p in (
            f"{days} d" if days else "",
            f"{hours} h" if hours else "",
            f"{minutes} min" if minutes or not (days or hours) else "",
        )
        if p
    )
    zh = "".join(
        p
        for p in (
            f"{days}天" if days else "",
            f"{hours}小时" if hours else "",
            f"{minutes}分钟" if minutes or not (days or hours) else "",
        )
        if p
    )
    return ("-" + en, "负" + zh) if negative else (en, zh)
