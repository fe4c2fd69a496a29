"""click's own usage messages in the language asked for.

click words its usage errors ("No such command 'x'.", "Missing argument 'INSTANCE'.") in English
before Collegium sees them. Each template below is click's English, written as a catalogue
:class:`Message` so that its Chinese is in Collegium's catalogue; :func:`said` recognises a message
click formatted from one of them and says it again in another language. A message no template
matches stays as click wrote it.
"""

from __future__ import annotations

import functools
import re
import string

from collegium import Message

#: click's templates (click 8.1 to 8.5), each with its placeholders in click's own form
_CLICK: tuple[Message, ...] = (
    Message("No such command {name}."),
    Message("No such option {name}."),
    Message("No such option: {name}"),
    Message("{problem} Did you mean {possibility}?"),
    Message("{problem} (Did you mean one of: {possibilities}?)"),
    Message("Missing argument {name}."),
    Message("Missing option {name}."),
    Message("Missing parameter {name}."),
    Message("Missing command."),
    Message("Option {name} requires an argument."),
    Message("Option {name} does not take a value."),
    Message("Got unexpected extra argument ({args})"),
    Message("Got unexpected extra arguments ({args})"),
    Message("Invalid value for {name}: {reason}"),
    Message("{value} is not one of {choices}."),
    Message("{value} is not a valid integer."),
    Message("{value} is not a valid float."),
    Message("{value} is not in the range {range}."),
)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], Message], ...]:
    """Each template as a pattern that matches click's text, its fields as named groups."""
    found = []
    for message in _CLICK:
        pattern = ""
        for literal, name, _spec, _conversion in string.Formatter().parse(message.template):
            pattern += re.escape(literal)
            if name is not None:
                pattern += f"(?P<{name}>.+?)"
        found.append((re.compile(pattern, re.DOTALL), message))
    return tuple(found)


def said(text: str, lang: str) -> str:
    """click's message ``text`` in ``lang``; as it is when no template of click's matches it."""
    if lang == "en":
        return text
    for pattern, message in _patterns():
        matched = pattern.fullmatch(text)
        if matched is not None:
            fields = {k: said(v, lang) for k, v in matched.groupdict().items()}
            return message.filled(**fields).say(lang)
    return text
