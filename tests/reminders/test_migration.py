"""Migrations 0002-0003: the reminders already sent (SentReminder) become sent deliveries, so none is sent again."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reminders", "0001_initial"), ("notifications", "0001_initial")]


def _latest() -> list[tuple[str, str]]:
    """The latest migration of both apps, so that the database is left as the other tests expect."""
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] in ("reminders", "notifications")]


SENT_AT = datetime.datetime(2026, 9, 1, 5, 0, 3, tzinfo=datetime.UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_sent_reminders_are_copied_into_sent_deliveries():
    old_apps = _migrate(BEFORE)
    old_apps.get_model("reminders", "SentReminder").objects.create(
        kind="dsl-reconfirm", object_key="dslcontact:3", due_on=datetime.date(2026, 9, 1), recipient="a@school.invalid"
    )
    old_apps.get_model("reminders", "SentReminder").objects.update(sent_at=SENT_AT)

    new_apps = _migrate(_latest())
    delivery = new_apps.get_model("notifications", "Delivery").objects.get()
    assert (delivery.kind, delivery.object_key, delivery.due_on, delivery.recipient) == (
        "dsl-reconfirm",
        "dslcontact:3",
        datetime.date(2026, 9, 1),
        "a@school.invalid",
    )
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert delivery.created_at == delivery.sent_at == SENT_AT
    # notifications 0003 gives each row recorded before it a Message-ID of its own.
    assert delivery.message_id.startswith("<") and delivery.message_id.endswith("@ssoportal.invalid>")
