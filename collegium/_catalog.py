"""Messages said in the language a person reads: English in the code, Chinese in a catalogue.

A message is written where it arises as a :class:`Message`, its English text a ``str.format``
template: ``Message("no instance {id!r}", id=instance_id)``. The Chinese for each template is in
``collegium/locale/zh_CN/LC_MESSAGES/collegium.po``, compiled to the ``.mo`` beside it, which is
what is read here (with the standard library's :mod:`gettext`). Babel extracts the templates from
the code (``Message`` is its keyword, ``babel.cfg`` its mapping); ``tests/test_catalogue.py`` fails
when a template has no Chinese, when the catalogue holds one the code no longer says, when a
translation's placeholders differ from its template's, or when the ``.mo`` is not the ``.po``
compiled. ``docs/architecture.md`` says how to update them.

The catalogue is read once per language, on first use, and never changes while running.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from importlib import resources
from typing import Final

__all__ = ["DOMAIN", "Message", "translate"]

#: the catalogue's name: ``collegium/locale/<locale>/LC_MESSAGES/collegium.mo``
DOMAIN: Final = "collegium"

#: the gettext locale of each language the messages exist in besides English
_LOCALES: Final[Mapping[str, str]] = {"zh-CN": "zh_CN"}


class Message:
    """A message to say in the language asked for: its English ``template`` and the ``params``
    filled into it, in English and in the translation alike."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params: Mapping[str, object] = params

    def say(self, lang: str = "en") -> str:
        """The message in ``lang`` (``zh-CN``: Chinese; anything else: English). A parameter that
        is itself a message, or says itself in a language (an error, an audit's finding: its
        ``message(lang)``), is said in ``lang`` too."""
        params = {name: _said(value, lang) for name, value in self.params.items()}
        return translate(self.template, lang).format(**params)

    def filled(self, **params: object) -> Message:
        """The same template (the one the catalogue holds) with other ``params``."""
        return type(self)(self.template, **params)

    def __str__(self) -> str:
        return self.say("en")

    def __repr__(self) -> str:
        return f"Message({self.template!r}, **{dict(self.params)!r})"


def _said(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.say(lang)
    message = getattr(value, "message", None)
    if callable(message) and not isinstance(value, type):
        return message(lang)  # a CollegiumError, an AuditProblem: its own message, in lang
    return value


def translate(template: str, lang: str) -> str:
    """``template`` in ``lang``; itself when the language is English or the catalogue has no
    translation of it."""
    found = _translations(_LOCALES.get(lang))
    return template if found is None else found.gettext(template)


@functools.cache
def _translations(locale: str | None) -> gettext.NullTranslations | None:
    if locale is None:
        return None
    path = resources.files("collegium") / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)
