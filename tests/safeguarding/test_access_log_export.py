"""The data protection officer's export of the concern access log, from the admin."""

import csv
import datetime
import io
from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.groups import DATA_PROTECTION_OFFICER_GROUP
from officers.models import Rank
from safeguarding.models import AccessLogExport, AuditChannel, AuditEvent
from tests.factories.officers import OfficerFactory, UserFactory
from tests.factories.roles import data_protection_officer, safeguarding_auditor
from tests.factories.safeguarding import ConcernAuditEntryFactory, ConcernFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = "admin:safeguarding_concernauditentry_export"
LIST_URL = "admin:safeguarding_concernauditentry_changelist"
UTC = datetime.UTC


@pytest.fixture
def dpo(db):
    return data_protection_officer(username="dpo", first_name="Priya", last_name="Shah")


@pytest.fixture
def dpo_client(client, dpo):
    client.force_login(dpo)
    return client


def _export(client, **filters) -> list[dict[str, str]]:
    response = client.get(reverse(EXPORT_URL), filters)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def _at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def test_the_export_holds_who_when_what_and_which_concern(dpo_client):
    school = SchoolFactory(urn="100001", name="Alder School")
    reader = UserFactory(username="dana", first_name="Dana", last_name="Lead")
    concern = ConcernFactory(school=school, logged_by=reader)
    ConcernAuditEntryFactory(concern=concern, at=_at(2026, 12, 6, 14, 3, 22))

    (row,) = _export(dpo_client)

    assert row == {
        "When (Europe/London)": "2026-12-06 14:03:22",
        "School URN": "100001",
        "School": "Alder School",
        "Concern": str(concern.pk),
        "Event": "Viewed",
        "Where": "Portal",
        "User ID": str(reader.pk),
        "Username": "dana",
        "Name": "Dana Lead",
        "Shown to the school as": "Dana Lead (DSL)",
        "Fields changed": "",
    }


def test_the_export_names_the_admin_reader_and_the_officer(dpo_client):
    officer_login = UserFactory(username="okafor")
    OfficerFactory(user=officer_login, rank=Rank.CONSTABLE, last_name="Okafor")
    ConcernAuditEntryFactory(user=officer_login, at=_at(2026, 12, 6, 10, 0))
    auditor = safeguarding_auditor(username="auditor")
    ConcernAuditEntryFactory(user=auditor, channel=AuditChannel.ADMIN, at=_at(2026, 12, 6, 11, 0))

    admin_row, officer_row = _export(dpo_client)

    assert (admin_row["Username"], admin_row["Where"], admin_row["Shown to the school as"]) == (
        "auditor",
        "Admin",
        "Administrator",
    )
    assert officer_row["Shown to the school as"] == "PC Okafor (SSO)"


def test_the_export_lists_changed_fields_by_name_only(dpo_client):
    ConcernAuditEntryFactory(event=AuditEvent.CHANGED, fields="status,outcome")

    (row,) = _export(dpo_client)

    assert (row["Event"], row["Fields changed"]) == ("Changed", "status, outcome")


def test_the_export_holds_no_concern_contents(dpo_client):
    concern = ConcernFactory(pupil_reference="PUPIL-EXPORT-4410", description="Marker-export-description-4410")
    ConcernAuditEntryFactory(concern=concern)

    response = dpo_client.get(reverse(EXPORT_URL))
    text = b"".join(response.streaming_content).decode()

    assert "PUPIL-EXPORT-4410" not in text
    assert "Marker-export-description-4410" not in text


def test_the_export_is_streamed_as_a_csv_file(dpo_client):
    ConcernAuditEntryFactory()

    response = dpo_client.get(reverse(EXPORT_URL))

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="concern-access-log-')


def test_the_export_can_be_filtered_by_school_urn(dpo_client):
    ConcernAuditEntryFactory(concern__school=SchoolFactory(urn="100001"))
    ConcernAuditEntryFactory(concern__school=SchoolFactory(urn="200002"))

    rows = _export(dpo_client, school_urn="200002")

    assert [row["School URN"] for row in rows] == ["200002"]


def test_the_export_date_range_is_in_london_days(dpo_client):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
    ConcernAuditEntryFactory(at=_at(2026, 6, 30, 23, 30))
    ConcernAuditEntryFactory(at=_at(2026, 6, 30, 12, 0))
    ConcernAuditEntryFactory(at=_at(2026, 7, 2, 12, 0))

    rows = _export(dpo_client, date_from="2026-07-01", date_to="2026-07-01")

    assert [row["When (Europe/London)"] for row in rows] == ["2026-07-01 00:30:00"]


def test_the_export_can_be_filtered_by_event_and_channel(dpo_client):
    ConcernAuditEntryFactory(event=AuditEvent.VIEWED, channel=AuditChannel.ADMIN)
    ConcernAuditEntryFactory(event=AuditEvent.VIEWED, channel=AuditChannel.PORTAL)
    ConcernAuditEntryFactory(event=AuditEvent.CREATED, channel=AuditChannel.PORTAL)

    rows = _export(dpo_client, event__exact="viewed", channel__exact="admin")

    assert [(row["Event"], row["Where"]) for row in rows] == [("Viewed", "Admin")]


def test_the_export_guards_cells_against_spreadsheet_formulas(dpo_client):
    reader = UserFactory(username="formula", first_name='=HYPERLINK("http://evil.example")', last_name="")
    ConcernAuditEntryFactory(user=reader)

    (row,) = _export(dpo_client)

    assert row["Name"] == '\'=HYPERLINK("http://evil.example")'
    assert row["Shown to the school as"].startswith("'=")


def test_an_export_is_recorded_with_who_what_and_when(dpo_client, dpo):
    ConcernAuditEntryFactory(concern__school=SchoolFactory(urn="100001"), at=_at(2026, 7, 1, 9, 0))
    ConcernAuditEntryFactory(concern__school=SchoolFactory(urn="200002"), at=_at(2026, 7, 1, 9, 0))

    _export(dpo_client, school_urn="100001", date_from="2026-07-01", o="1")

    export = AccessLogExport.objects.get()
    assert (export.user, export.rows) == (dpo, 1)
    assert parse_qs(export.filters) == {"school_urn": ["100001"], "date_from": ["2026-07-01"]}


def test_an_unfiltered_export_is_recorded_with_blank_filters(dpo_client):
    ConcernAuditEntryFactory()

    _export(dpo_client)

    assert AccessLogExport.objects.get().filters == ""


def test_an_export_with_a_wrong_date_is_refused_and_not_recorded(dpo_client):
    response = dpo_client.get(reverse(EXPORT_URL), {"date_from": "2026-13-45"})

    assert response.status_code == 302
    assert response.url.endswith("?e=1")
    assert not AccessLogExport.objects.exists()


def test_the_access_log_list_shows_the_export_link_to_the_dpo(dpo_client):
    text = dpo_client.get(reverse(LIST_URL), {"school_urn": "100001"}).content.decode()

    assert f'href="{reverse(EXPORT_URL)}?school_urn=100001"' in text


def test_an_auditor_reads_the_access_log_but_cannot_export_it(client):
    client.force_login(safeguarding_auditor())

    assert "Export CSV" not in client.get(reverse(LIST_URL)).content.decode()
    assert client.get(reverse(EXPORT_URL)).status_code == 403


def test_plain_staff_cannot_export_the_access_log(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse(EXPORT_URL)).status_code == 403


def test_the_dpo_cannot_read_concerns_in_the_admin(dpo_client):
    concern = ConcernFactory()

    assert dpo_client.get(reverse("admin:safeguarding_concern_change", args=[concern.pk])).status_code == 403


def test_the_dpo_reads_the_record_of_exports(dpo_client, dpo):
    from safeguarding.services import record_access_log_export

    record_access_log_export(user=dpo, filters="school_urn=100001", rows=3)

    text = dpo_client.get(reverse("admin:safeguarding_accesslogexport_changelist")).content.decode()

    assert "school_urn=100001" in text


def test_the_record_of_exports_is_read_only(client, django_user_model, dpo):
    from safeguarding.services import record_access_log_export

    export = record_access_log_export(user=dpo, filters="", rows=3)
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.invalid", "x-long-password"))

    assert client.get(reverse("admin:safeguarding_accesslogexport_add")).status_code == 403
    assert client.get(reverse("admin:safeguarding_accesslogexport_delete", args=[export.pk])).status_code == 403


def test_the_export_makes_the_same_queries_however_many_rows(dpo_client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def export():
        response = dpo_client.get(reverse(EXPORT_URL))
        b"".join(response.streaming_content)

    ConcernAuditEntryFactory()
    with CaptureQueriesContext(connection) as few:
        export()
    for _ in range(12):
        ConcernAuditEntryFactory()
    with django_assert_num_queries(len(few)):
        export()


def test_the_dpo_group_migration_may_run_after_another_created_the_group():
    # Another migration may create the group first, with rights of its own: both are kept.
    import importlib

    from django.apps import apps

    migration = importlib.import_module("safeguarding.migrations.0004_data_protection_officer")
    group = Group.objects.get(name=DATA_PROTECTION_OFFICER_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_school"))

    migration.forwards(apps, None)

    assert Group.objects.filter(name=DATA_PROTECTION_OFFICER_GROUP).count() == 1
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_concernauditentry", "export_concernauditentry", "view_accesslogexport", "view_school"} <= codenames
