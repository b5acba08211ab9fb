"""The admin's concern pages and access log: who may read them, and every read of contents logged."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.groups import BCU_MANAGER_GROUP
from safeguarding.models import AuditChannel, AuditEvent, ConcernAuditEntry
from tests.factories.officers import UserFactory
from tests.factories.roles import safeguarding_auditor
from tests.factories.safeguarding import ConcernAuditEntryFactory, ConcernFactory

pytestmark = pytest.mark.django_db

MARKED_DESCRIPTION = "Marker-admin-description-7710"
MARKED_PUPIL = "PUPIL-ADMIN-7710"


@pytest.fixture
def auditor(db):
    return safeguarding_auditor(username="auditor")


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "x-very-long-password")


@pytest.fixture
def concern(db):
    return ConcernFactory(description=MARKED_DESCRIPTION, pupil_reference=MARKED_PUPIL)


def _entries(count: int) -> None:
    for _ in range(count):
        ConcernAuditEntryFactory()


def _admin_reads(concern):
    return list(ConcernAuditEntry.objects.filter(concern=concern, channel=AuditChannel.ADMIN))


def _version_url(concern) -> str:
    return reverse("admin:safeguarding_concern_simple_history", args=[concern.pk, concern.history.first().history_id])


# Reads of concern contents in the admin are logged, with the channel "admin".


def test_an_auditors_view_of_a_concern_in_the_admin_is_logged(client, auditor, concern):
    client.force_login(auditor)

    response = client.get(reverse("admin:safeguarding_concern_change", args=[concern.pk]))

    assert MARKED_DESCRIPTION in response.content.decode()
    (entry,) = _admin_reads(concern)
    assert (entry.user, entry.event) == (auditor, AuditEvent.VIEWED)


def test_a_superusers_view_of_a_concern_in_the_admin_is_logged(client, superuser, concern):
    client.force_login(superuser)

    client.get(reverse("admin:safeguarding_concern_change", args=[concern.pk]))

    (entry,) = _admin_reads(concern)
    assert (entry.user, entry.event) == (superuser, AuditEvent.VIEWED)


def test_the_history_page_of_a_concern_in_the_admin_is_logged(client, auditor, concern):
    client.force_login(auditor)

    response = client.get(reverse("admin:safeguarding_concern_history", args=[concern.pk]))

    assert response.status_code == 200
    (entry,) = _admin_reads(concern)
    assert (entry.user, entry.event) == (auditor, AuditEvent.VIEWED)


def test_a_version_page_of_a_concern_in_the_admin_is_logged(client, auditor, concern):
    client.force_login(auditor)

    response = client.get(_version_url(concern))

    assert MARKED_DESCRIPTION in response.content.decode()
    (entry,) = _admin_reads(concern)
    assert (entry.user, entry.event) == (auditor, AuditEvent.VIEWED)


def test_a_portal_read_keeps_the_channel_portal(client, dsl_a, concern_a):
    client.force_login(dsl_a)

    client.get(reverse("safeguarding:concern-detail", args=[concern_a.pk]))

    assert ConcernAuditEntry.objects.get(event=AuditEvent.VIEWED).channel == AuditChannel.PORTAL


def test_the_admin_concern_list_shows_no_contents(client, auditor, concern):
    client.force_login(auditor)

    text = client.get(reverse("admin:safeguarding_concern_changelist")).content.decode()

    assert reverse("admin:safeguarding_concern_change", args=[concern.pk]) in text
    assert MARKED_DESCRIPTION not in text
    assert MARKED_PUPIL not in text


def test_the_admin_concern_list_is_not_logged_as_a_read(client, auditor, concern):
    client.force_login(auditor)

    client.get(reverse("admin:safeguarding_concern_changelist"))

    assert not _admin_reads(concern)


def test_a_missing_concern_in_the_admin_logs_nothing(client, auditor, concern):
    client.force_login(auditor)

    client.get(reverse("admin:safeguarding_concern_change", args=[concern.pk + 1000]))

    assert not ConcernAuditEntry.objects.exists()


# BCU managers never read concern contents, nor the access log.


@pytest.mark.parametrize("page", ["change", "history", "version", "changelist"])
def test_bcu_manager_cannot_read_concerns_in_the_admin(client, manager, concern, page):
    client.force_login(manager)
    urls = {
        "change": reverse("admin:safeguarding_concern_change", args=[concern.pk]),
        "history": reverse("admin:safeguarding_concern_history", args=[concern.pk]),
        "version": _version_url(concern),
        "changelist": reverse("admin:safeguarding_concern_changelist"),
    }

    response = client.get(urls[page])

    assert response.status_code == 403
    assert MARKED_DESCRIPTION not in response.content.decode()
    assert not ConcernAuditEntry.objects.exists()


@pytest.mark.parametrize("url_name", ["changelist", "export"])
def test_bcu_manager_cannot_read_the_access_log_in_the_admin(client, manager, url_name):
    _entries(1)
    client.force_login(manager)

    response = client.get(reverse(f"admin:safeguarding_concernauditentry_{url_name}"))

    assert response.status_code == 403


def test_the_bcu_manager_group_holds_no_safeguarding_permission():
    group = Group.objects.get(name=BCU_MANAGER_GROUP)

    assert not group.permissions.filter(content_type__app_label="safeguarding").exists()


def test_only_the_auditor_group_may_view_concerns():
    holders = Group.objects.filter(permissions=Permission.objects.get(codename="view_concern"))

    assert [group.name for group in holders] == ["Safeguarding auditor"]


# The access log in the admin is read only.


def test_nobody_can_add_change_or_delete_audit_entries_in_the_admin(client, superuser):
    _entries(1)
    entry = ConcernAuditEntry.objects.get()
    client.force_login(superuser)
    assert client.get(reverse("admin:safeguarding_concernauditentry_add")).status_code == 403
    assert client.get(reverse("admin:safeguarding_concernauditentry_delete", args=[entry.pk])).status_code == 403
    response = client.post(
        reverse("admin:safeguarding_concernauditentry_change", args=[entry.pk]), {"event": "created"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.event == AuditEvent.VIEWED


def test_the_access_log_in_the_admin_shows_the_channel_and_school(client, auditor):
    ConcernAuditEntryFactory(channel=AuditChannel.ADMIN, concern__school__name="Alder School")
    client.force_login(auditor)

    text = client.get(reverse("admin:safeguarding_concernauditentry_changelist")).content.decode()

    assert "Alder School" in text
    assert '<td class="field-channel">Admin</td>' in text


@pytest.mark.parametrize("model", ["concernauditentry", "concern", "accesslogexport"])
def test_changelist_query_count_does_not_grow_with_rows(client, superuser, model, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.services import record_access_log_export

    client.force_login(superuser)
    url = reverse(f"admin:safeguarding_{model}_changelist")
    _entries(2)
    record_access_log_export(user=superuser, filters="", rows=2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _entries(12)
    for _ in range(12):
        record_access_log_export(user=UserFactory(), filters="", rows=2)
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
