"""Reminder kinds: each is one function registered with ``@reminder_kind("name")``.

A kind function takes ``on: date`` and yields the reminders due that day. Bodies carry ids
and links only (never sensitive child data), built from ``settings.PORTAL_BASE_URL``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Reminder:
    kind: str
    object_key: str
    due_on: date
    recipients: tuple[str, ...]
    subject: str
    body: str
    context: dict = field(default_factory=dict)


KindFunction = Callable[[date], Iterable[Reminder]]
REMINDER_KINDS: dict[str, KindFunction] = {}


def reminder_kind(name: str) -> Callable[[KindFunction], KindFunction]:
    def register(function: KindFunction) -> KindFunction:
        if name in REMINDER_KINDS:
            raise ValueError(f"Reminder kind {name!r} is already registered")
        REMINDER_KINDS[name] = function
        return function

    return register
