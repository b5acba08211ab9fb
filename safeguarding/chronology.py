"""One pupil's chronology, gathered from every app that records something about the pupil.

Apps above ``safeguarding`` (the SSO workspace, transfers, professional challenge...) cannot be
imported from here, so each registers a source in its ``AppConfig.ready``; the pupil page asks
every registered source and merges their entries newest first. A source returns only what the
viewer may see: it is given the viewer's roles and must start from ``visible_to``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from access.roles import PortalRoles
from safeguarding.models import Pupil


@dataclass(frozen=True)
class ChronologyEntry:
    """One dated line of a pupil's chronology."""

    occurred_at: datetime.datetime  # aware; a date-only record uses the start of that day in London
    category: str  # the key of the source that produced it, used by the page's filter
    title: str  # a short heading: "Concern logged", "Task due 23 Nov 2026"...
    detail: str = ""  # plain text shown under the heading (never a pupil name)
    url: str = ""  # where the full record is, when the viewer may open it
    recorded_by: str = ""  # who recorded it, as the viewer may know them
    key: str = ""  # the record it comes from, such as "concern:12": a task can be made from it


ChronologySource = Callable[[Pupil, PortalRoles], Iterable[ChronologyEntry]]


@dataclass(frozen=True)
class RegisteredSource:
    category: str
    label: str  # shown in the category filter, e.g. "Tasks"
    entries: ChronologySource


_sources: dict[str, RegisteredSource] = {}


def register_chronology_source(category: str, label: str, entries: ChronologySource) -> None:
    """Add a source of chronology entries under a filter category (one source per category)."""
    if category in _sources and _sources[category].entries is not entries:
        raise ValueError(f"A chronology source is already registered for {category!r}.")
    _sources[category] = RegisteredSource(category=category, label=label, entries=entries)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight in London at the start of ``day``: where a date-only record sits in the chronology."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def chronology_categories() -> list[RegisteredSource]:
    """The registered categories in registration order, for the page's filter."""
    return list(_sources.values())


def pupil_chronology(pupil: Pupil, roles: PortalRoles, *, category: str | None = None) -> list[ChronologyEntry]:
    """Everything the viewer may see about the pupil, newest first; one category when asked."""
    sources = [_sources[category]] if category in _sources else _sources.values()
    entries = [entry for source in sources for entry in source.entries(pupil, roles)]
    return sorted(entries, key=lambda entry: entry.occurred_at, reverse=True)
