"""The words of ``collegium relay``, in English and Chinese (zh-CN): part of the one table of
:mod:`collegium._words`, which is where they are looked up (:func:`collegium._words.word`)."""

from __future__ import annotations

from typing import Final

#: key -> (English, Chinese)
WORDS: Final[dict[str, tuple[str, str]]] = {
    "relay.started": (
        "relaying the outbox to {to} (Ctrl-C stops)",
        "正在将事件发件箱转发到 {to}（按 Ctrl-C 停止）",
    ),
    "relay.delivered": (
        "relayed {count} {count:event|events} to {to}",
        "已向 {to} 转发 {count} 个事件",
    ),
    "relay.retry": ("{problem}; trying again in {seconds} s", "{problem}；{seconds} 秒后重试"),
    "relay.stopped": (
        "stopped; relayed {count} {count:event|events} in all",
        "已停止，共转发 {count} 个事件",
    ),
}
