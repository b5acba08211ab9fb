import datetime

import pytest

from safeguarding import chronology
from safeguarding.chronology import ChronologyEntry, pupil_chronology, register_chronology_source

UTC = datetime.UTC


@pytest.fixture
def empty_registry(monkeypatch):
    monkeypatch.setattr(chronology, "_sources", {})


def _entry(day: int, category: str) -> ChronologyEntry:
    return ChronologyEntry(occurred_at=datetime.datetime(2026, 11, day, tzinfo=UTC), category=category, title="x")


def test_entries_of_every_source_come_newest_first(empty_registry):
    register_chronology_source("a", "A", lambda pupil, roles: [_entry(1, "a"), _entry(5, "a")])
    register_chronology_source("b", "B", lambda pupil, roles: [_entry(3, "b")])

    days = [entry.occurred_at.day for entry in pupil_chronology(None, None)]

    assert days == [5, 3, 1]


def test_a_category_filter_asks_only_that_source(empty_registry):
    register_chronology_source("a", "A", lambda pupil, roles: [_entry(1, "a")])
    register_chronology_source("b", "B", lambda pupil, roles: [_entry(3, "b")])

    assert [entry.category for entry in pupil_chronology(None, None, category="b")] == ["b"]


def test_a_second_source_for_one_category_is_refused(empty_registry):
    register_chronology_source("a", "A", lambda pupil, roles: [])

    with pytest.raises(ValueError):
        register_chronology_source("a", "Again", lambda pupil, roles: [])
