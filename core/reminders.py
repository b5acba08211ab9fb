"""The registry of reminder kinds: each app declares its kinds in its own ``reminders.py`` as
functions registered with ``@reminder_kind("name")``; the ``reminders`` app dispatches them.

A kind function takes ``on: date`` and ``object_key: str | None = None`` and yields the
reminders due that day; given an object key, only that object's (so the send task rebuilding
one reminder does not list every due object again). Bodies carry ids and links only (never
sensitive child data), built with ``core.links.portal_url``.
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


KindFunction = Callable[..., Iterable[Reminder]]
REMINDER_KINDS: dict[str, KindFunction] = {}
# Kinds that repeat every day while a condition lasts (an escalation): when missed days are caught
# up, only the latest day's reminder is sent, since it says all that the missed ones would have.
DAILY_KINDS: set[str] = set()


def reminder_kind(name: str, *, daily: bool = False) -> Callable[[KindFunction], KindFunction]:
    """Register a kind. Its reminders' ``due_on`` is the date each record fell due, derived from the
    record, so that a day dispatched late sends what fell due that day, once. ``daily=True`` for an
    escalation repeated every day while a condition lasts."""

    def register(function: KindFunction) -> KindFunction:
        if name in REMINDER_KINDS:
            raise ValueError(f"Reminder kind {name!r} is already registered")
        REMINDER_KINDS[name] = function
        if daily:
            DAILY_KINDS.add(name)
        return function

    return register


def reminders_due(kind: str, on: date, *, object_key: str | None = None) -> Iterable[Reminder]:
    """The kind's reminders due on ``on``: only ``object_key``'s when one is given."""
    return REMINDER_KINDS[kind](on, object_key=object_key)


def object_id(object_key: str, prefix: str) -> int | None:
    """The id in an object key such as "posting:12", or None when the key is not one of ``prefix``."""
    found_prefix, _, number = object_key.partition(":")
    return int(number) if found_prefix == prefix and number.isdigit() else None
