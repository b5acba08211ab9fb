"""The change feed's recording hook: the lower apps write history records (django-simple-history)
for every save and delete of a school, posting, DSL contact, officer and training record (and
send ``core.signals.bulk_saved`` after the school register's bulk imports); this
hook, in the API layer that owns the feed, turns each into change log entries in the same
transaction. The history records of searches, concerns and activities become statistics
refreshes the same way. A priority run and a change of a client's granted authorities are
recorded too. The hook only records: what a change means is in ``api.changes``."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save
from simple_history.signals import post_create_historical_record

from core.signals import bulk_saved
from priorities.models import PriorityRun
from schools.models import School

from .changes import (
    CHANGES_OF,
    STATISTICS_OF,
    record_changes,
    record_every_school,
    record_grant_change,
    record_schools,
    record_statistics_of,
)
from .models import ApiClient


def _on_history(sender, instance, **kwargs) -> None:
    changes_of = CHANGES_OF.get(type(instance))
    if changes_of is not None:
        record_changes(changes_of(instance))


def _on_counted_history(sender, instance, history_instance, **kwargs) -> None:
    history_type = history_instance.history_type
    previous = history_instance.prev_record if history_type == "~" else None
    record_statistics_of(instance, history_type=history_type, previous=previous)


def _on_schools_bulk_saved(sender, objs, **kwargs) -> None:
    record_schools(urns=[school.urn for school in objs])


def _on_priority_run(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        record_every_school()


def _on_grant_change(sender, instance, action, pk_set, **kwargs) -> None:
    # Grants are changed from the client's side only: the client's history of its local
    # authorities (django-simple-history) cannot follow a change made from the authority's side.
    if action == "pre_clear":
        # Which authorities are about to go: a clear does not name them.
        instance._cleared_grants = list(instance.local_authorities.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set = set(getattr(instance, "_cleared_grants", ()))
    elif action not in ("post_add", "post_remove"):
        return
    record_grant_change(client_id=instance.pk, local_authority_ids=pk_set or ())


def connect_change_recording() -> None:
    for model in CHANGES_OF:
        post_create_historical_record.connect(_on_history, sender=model.history.model, dispatch_uid=f"api-{model}")
    for model in STATISTICS_OF:
        post_create_historical_record.connect(
            _on_counted_history, sender=model.history.model, dispatch_uid=f"api-statistics-{model}"
        )
    bulk_saved.connect(_on_schools_bulk_saved, sender=School, dispatch_uid="api-schools-bulk")
    post_save.connect(_on_priority_run, sender=PriorityRun, dispatch_uid="api-priority-run")
    m2m_changed.connect(_on_grant_change, sender=ApiClient.local_authorities.through, dispatch_uid="api-grants")
