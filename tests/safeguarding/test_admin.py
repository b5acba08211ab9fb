import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from safeguarding.models import AuditEvent, ConcernAuditEntry
from tests.factories.officers import UserFactory
from tests.factories.safeguarding import ConcernFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(db):
    user = UserFactory(username="auditor", is_staff=True)
    user.groups.add(Group.objects.get(name="Safeguarding auditor"))
    return user


def _entries(count: int) -> None:
    for _ in range(count):
        concern = ConcernFactory()
        ConcernAuditEntry.objects.create(concern=concern, user=concern.logged_by, event=AuditEvent.VIEWED)


def test_bcu_manager_reads_the_audit_trail_but_not_concerns(client, manager):
    client.force_login(manager)
    _entries(1)
    assert client.get(reverse("admin:safeguarding_concernauditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:safeguarding_concern_changelist")).status_code == 403


def test_auditor_reads_a_concern_and_its_history(client, auditor):
    concern = ConcernFactory()
    client.force_login(auditor)
    assert client.get(reverse("admin:safeguarding_concern_change", args=[concern.pk])).status_code == 200
    assert client.get(reverse("admin:safeguarding_concern_history", args=[concern.pk])).status_code == 200


def test_nobody_can_add_change_or_delete_audit_entries_in_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.invalid", "x-very-long-password")
    _entries(1)
    entry = ConcernAuditEntry.objects.get()
    client.force_login(admin)
    assert client.get(reverse("admin:safeguarding_concernauditentry_add")).status_code == 403
    assert client.get(reverse("admin:safeguarding_concernauditentry_delete", args=[entry.pk])).status_code == 403
    response = client.post(
        reverse("admin:safeguarding_concernauditentry_change", args=[entry.pk]), {"event": "created"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.event == AuditEvent.VIEWED


@pytest.mark.parametrize("model", ["concernauditentry", "concern"])
def test_changelist_query_count_does_not_grow_with_rows(client, auditor, model, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(auditor)
    url = reverse(f"admin:safeguarding_{model}_changelist")
    _entries(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _entries(12)
    with django_assert_num_queries(len(few)):
        client.get(url)


def _form_data(form) -> dict[str, str]:
    """A bound admin form's values as the browser would post them (date-times split in two)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if hasattr(value, "hour"):
            data |= {f"{name}_0": value.strftime("%d/%m/%Y"), f"{name}_1": value.strftime("%H:%M:%S")}
        else:
            data[name] = "on" if value is True else value
    return data


def test_auditor_reads_an_old_version_of_a_concern(client, auditor):
    concern = ConcernFactory(description="What the DSL first wrote")
    client.force_login(auditor)
    version = concern.history.get()

    response = client.get(reverse("admin:safeguarding_concern_simple_history", args=[concern.pk, version.pk]))

    assert response.status_code == 200
    assert "What the DSL first wrote" in response.content.decode()


def test_auditor_cannot_revert_a_concern_to_an_old_version(client, auditor):
    # django-simple-history saves a revert POSTed to a version's page for anyone who may view it.
    concern = ConcernFactory(description="What the DSL first wrote")
    first = concern.history.get()
    concern.description = "What the DSL wrote later"
    concern.save()
    client.force_login(auditor)
    url = reverse("admin:safeguarding_concern_simple_history", args=[concern.pk, first.pk])
    data = _form_data(client.get(url).context["adminform"].form)

    response = client.post(url, data)

    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.description == "What the DSL wrote later"
