"""The names the engine keeps for itself: its actor, its role, its timers' idempotency keys.

Ids are compared byte for byte everywhere (``m3``, ``M3``, ``m3 `` and a fullwidth ``ｍ3`` are four
people), but a reserved name is refused in every form a person could take for it: compared after
Unicode NFKC normalisation and case folding, so ``TIMER:``, ``Timer:`` and ``ｔｉｍｅｒ:`` are the
timers' prefix, ``System`` and ``ｓｙｓｔｅｍ`` the engine's role (as ``Teller`` is the role the
engine gives a secret ballot's tellers), and an actor starting with ``＠`` or ``﹫`` one of the
engine's own.

Shared at the package's top: the engine acts under these names, and a body's
:class:`~collegium.store.bodies.Member`, which the store keeps, refuses them.
"""

from __future__ import annotations

import unicodedata

#: The engine's own actor, which fires due timers; it holds the role ``system`` and nothing else.
SYSTEM_ACTOR = "@system"
#: The role of the engine's own actor (a pack lists it on the steps a timer takes).
SYSTEM_ROLE = "system"
#: The role of the tellers (监票人、计票人) named when a secret ballot opens, held for that ballot
#: only.
TELLER_ROLE = "teller"
#: Roles no member of a body may hold: only the engine gives them.
RESERVED_ROLES = frozenset({SYSTEM_ROLE, TELLER_ROLE})
#: The character that starts the engine's actors (and its own triggers, e.g. ``@remind``).
ENGINE_MARK = "@"
#: The prefix of the idempotency keys the engine's timers fire with.
TIMER_KEY_PREFIX = "timer:"


def folded(text: str) -> str:
    """``text`` as a person might read it: NFKC-normalised and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def is_engine_actor(actor: str) -> bool:
    """``actor`` reads as one of the engine's own actors (it starts with ``@`` in any form)."""
    return folded(actor).startswith(ENGINE_MARK)


def is_reserved_role(role: str) -> bool:
    """``role`` reads as a role only the engine gives (``system``, ``teller``, in any case or
    width)."""
    return folded(role) in RESERVED_ROLES


def is_timer_key(key: str) -> bool:
    """``key`` reads as a key of the engine's timers (``timer:…``, in any case or width)."""
    return folded(key).startswith(TIMER_KEY_PREFIX)
