"""Subject access exports: a DSL exports a pupil's concerns at their own school from the portal; a
force lead or data protection officer exports an officer's records from the admin. Each is one
ZIP, and each is logged."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from access.roles import PortalRoles
from retention.exports import export_pupil
from retention.models import ExportKind, SubjectAccessExport
from safeguarding.models import AuditEvent, ConcernAuditEntry
from tests.factories.officers import (
    OfficerFactory,
    PostingFactory,
    SuitabilityAssessmentFactory,
    TrainingRecordFactory,
)
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory
from tests.factories.searches import IntimateSearchFactory
from tests.factories.workspace import ActivityFactory

pytestmark = pytest.mark.django_db

PUPIL_EXPORT = reverse("retention:pupil-export")
OFFICER_EXPORT = reverse("admin:retention_officerdataexport_changelist")


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


@pytest.fixture
def dsl_a_client(client, dsl_a):
    client.force_login(dsl_a)
    return client


@pytest.fixture
def pupil_concern(school_a, dsl_a):
    concern = ConcernFactory(
        school=school_a, logged_by=dsl_a, pupil_reference="RB-2026-014", description="Told a teacher."
    )
    ConcernActionFactory(concern=concern, summary="Spoke to the pupil.")
    return concern


def _export(client, school, reference: str = "RB-2026-014"):
    return client.post(PUPIL_EXPORT, {"school": school.pk, "pupil_reference": reference})


def test_the_export_page_asks_a_dsl_for_the_school_and_pupil_reference(dsl_a_client):
    response = dsl_a_client.get(PUPIL_EXPORT)
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"school", "pupil_reference"}


def test_the_export_is_one_zip_of_the_pupils_records(dsl_a_client, school_a, pupil_concern):
    archive = _zip(_export(dsl_a_client, school_a))
    assert set(archive.namelist()) >= {
        "README.txt",
        "concerns.csv",
        "chronology.csv",
        "attachments.csv",
        "concern-versions.csv",
        "chronology-versions.csv",
        "audit.csv",
    }


def test_the_export_holds_the_concern_its_chronology_versions_and_audit(dsl_a_client, school_a, pupil_concern):
    archive = _zip(_export(dsl_a_client, school_a))

    assert [row["description"] for row in _rows(archive, "concerns.csv")] == ["Told a teacher."]
    assert [row["what was done"] for row in _rows(archive, "chronology.csv")] == ["Spoke to the pupil."]
    assert [row["change"] for row in _rows(archive, "concern-versions.csv")] == ["Created"]
    assert _rows(archive, "chronology-versions.csv")[0]["what was done"] == "Spoke to the pupil."


def test_the_export_holds_the_attachment_files(dsl_a_client, school_a, old_concern):
    archive = _zip(_export(dsl_a_client, school_a, "RB-2000-001"))

    [row] = _rows(archive, "attachments.csv")
    assert row["file name"] == "notes.pdf"
    assert archive.read(row["in this export"]) == b"%PDF-1.7 fictional"


def test_the_reference_is_found_however_it_is_typed(dsl_a_client, school_a, pupil_concern):
    archive = _zip(_export(dsl_a_client, school_a, " rb-2026-014 "))
    assert len(_rows(archive, "concerns.csv")) == 1


def test_the_export_holds_no_other_pupils_concerns(dsl_a_client, school_a, dsl_a, pupil_concern):
    ConcernFactory(school=school_a, logged_by=dsl_a, pupil_reference="RB-2026-099", description="Another pupil.")

    archive = _zip(_export(dsl_a_client, school_a))

    text = "".join(archive.read(name).decode(errors="replace") for name in archive.namelist())
    assert "Another pupil." not in text
    assert "RB-2026-099" not in text


def test_the_same_reference_at_another_school_is_not_exported(dsl_a_client, school_a, school_b, pupil_concern):
    ConcernFactory(school=school_b, pupil_reference="RB-2026-014", description="Birch's pupil.")

    archive = _zip(_export(dsl_a_client, school_a))

    assert [row["description"] for row in _rows(archive, "concerns.csv")] == ["Told a teacher."]


def test_a_dsl_cannot_export_a_pupil_of_another_school(dsl_a_client, school_b):
    ConcernFactory(school=school_b, pupil_reference="RB-2026-014")

    response = _export(dsl_a_client, school_b)

    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not SubjectAccessExport.objects.exists()


def test_the_service_refuses_another_schools_pupil(dsl_a, school_b):
    ConcernFactory(school=school_b, pupil_reference="RB-2026-014")
    with pytest.raises(PermissionDenied):
        export_pupil(roles=PortalRoles(dsl_a), school=school_b, pupil_reference="RB-2026-014")


def test_an_unknown_pupil_reference_is_a_form_error(dsl_a_client, school_a, pupil_concern):
    response = _export(dsl_a_client, school_a, "RB-1999-000")

    assert response.status_code == 200
    assert response.context["form"].errors["pupil_reference"] == [
        "No concern at Alder School has the pupil reference RB-1999-000. Check the reference and the school"
    ]
    assert "Error: Export a pupil" in response.content.decode()
    assert not SubjectAccessExport.objects.exists()


def test_the_export_is_logged_with_who_whose_and_when(dsl_a_client, dsl_a, school_a, pupil_concern):
    _export(dsl_a_client, school_a)

    log = SubjectAccessExport.objects.get()
    assert (log.kind, log.school, log.pupil_reference, log.exported_by) == (
        ExportKind.PUPIL,
        school_a,
        "RB-2026-014",
        dsl_a,
    )
    assert timezone.now() - log.exported_at < datetime.timedelta(minutes=1)
    assert log.contents["concerns"] == 1


def test_the_export_is_in_each_concerns_audit_trail(dsl_a_client, dsl_a, school_a, old_concern):
    _export(dsl_a_client, school_a, "RB-2000-001")

    events = set(ConcernAuditEntry.objects.filter(concern=old_concern, user=dsl_a).values_list("event", flat=True))
    assert {AuditEvent.VIEWED, AuditEvent.ATTACHMENT_DOWNLOADED} <= events


def test_the_download_is_never_cached(dsl_a_client, school_a, pupil_concern):
    assert _export(dsl_a_client, school_a)["Cache-Control"] == "no-store"


@pytest.mark.parametrize("role", ["manager", "dpo", "plain_staff", "dsl_b"])
def test_only_a_dsl_of_the_pupils_school_gets_the_export(client, request, role, school_a, pupil_concern):
    client.force_login(request.getfixturevalue(role))

    response = _export(client, school_a)

    assert response.status_code in (200, 403)
    assert response.get("Content-Type") != "application/zip"
    assert not SubjectAccessExport.objects.exists()


def test_an_sso_cannot_export_a_pupil(client, school_a, pupil_concern):
    from tests.factories.officers import UserFactory

    user = UserFactory()
    PostingFactory(officer=OfficerFactory(user=user), school=school_a, start_date=datetime.date(2020, 1, 1))
    client.force_login(user)

    assert _export(client, school_a).status_code == 403


# The officer's export, from the admin.


@pytest.fixture
def officer():
    officer = OfficerFactory(collar_number="AB1234")
    PostingFactory(officer=officer, start_date=datetime.date(2024, 9, 1))
    TrainingRecordFactory(officer=officer)
    SuitabilityAssessmentFactory(officer=officer)
    IntimateSearchFactory(officer=officer, bcu=officer.bcu, appropriate_adult_name="Dana Whitlock")
    ActivityFactory(officer=officer)
    return officer


@pytest.mark.parametrize("role", ["force_lead", "dpo"])
def test_a_force_lead_or_data_protection_officer_exports_an_officers_records(client, request, role, officer):
    client.force_login(request.getfixturevalue(role))

    archive = _zip(client.post(OFFICER_EXPORT, {"collar_number": "ab1234"}))

    assert [row["collar/warrant number"] for row in _rows(archive, "officer.csv")] == ["AB1234"]
    for name in (
        "postings.csv",
        "training-records.csv",
        "suitability-assessments.csv",
        "searches.csv",
        "activities.csv",
    ):
        assert len(_rows(archive, name)) == 1, name
    assert _rows(archive, "officer-versions.csv")[0]["change"] == "Created"


def test_the_officers_export_leaves_out_the_appropriate_adults_name(client, force_lead, officer):
    client.force_login(force_lead)

    archive = _zip(client.post(OFFICER_EXPORT, {"collar_number": "AB1234"}))

    text = "".join(archive.read(name).decode() for name in archive.namelist())
    assert "Dana Whitlock" not in text


def test_the_officers_export_is_logged(client, force_lead, officer):
    client.force_login(force_lead)

    client.post(OFFICER_EXPORT, {"collar_number": "AB1234"})

    log = SubjectAccessExport.objects.get()
    assert (log.kind, log.officer, log.exported_by, log.contents["searches"]) == (
        ExportKind.OFFICER,
        officer,
        force_lead,
        1,
    )


def test_an_unknown_collar_number_is_a_form_error(client, force_lead, officer):
    client.force_login(force_lead)

    response = client.post(OFFICER_EXPORT, {"collar_number": "ZZ9999"})

    assert response.status_code == 200
    assert response.context["form"].errors["collar_number"] == ["No officer has the collar or warrant number ZZ9999."]
    assert not SubjectAccessExport.objects.exists()


@pytest.mark.parametrize("role", ["manager", "plain_staff"])
def test_other_staff_cannot_export_an_officers_records(client, request, role, officer):
    client.force_login(request.getfixturevalue(role))

    response = client.post(OFFICER_EXPORT, {"collar_number": "AB1234"})

    assert response.status_code == 403
    assert not SubjectAccessExport.objects.exists()


def test_the_export_log_is_for_the_data_protection_officer_only(client, force_lead, manager, dpo):
    url = reverse("admin:retention_subjectaccessexport_changelist")
    for user, status in ((dpo, 200), (force_lead, 403), (manager, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_the_export_holds_the_pupils_staff_reports_tasks_and_body_map_marks(dsl_a_client, school_a, pupil_concern):
    from tests.factories.safeguarding import BodyMapMarkFactory, StaffReportFactory, TaskFactory

    StaffReportFactory(school=school_a, pupil_reference="RB-2026-014", what_happened="Seen crying.")
    StaffReportFactory(school=school_a, pupil_reference="RB-2026-099", what_happened="Another pupil.")
    TaskFactory(pupil=pupil_concern.pupil, description="Call home.")
    BodyMapMarkFactory(concern=pupil_concern, note="Bruise.")

    archive = _zip(_export(dsl_a_client, school_a))

    assert [row["what you saw or heard"] for row in _rows(archive, "staff-reports.csv")] == ["Seen crying."]
    assert [row["what needs doing"] for row in _rows(archive, "tasks.csv")] == ["Call home."]
    assert [row["what you saw"] for row in _rows(archive, "body-map.csv")] == ["Bruise."]
