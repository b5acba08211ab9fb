"""The safeguarding services refuse whoever the record is not for, whatever page calls them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from access.roles import PortalRoles
from safeguarding import services
from safeguarding.models import Category, Severity, Task, YearGroup

pytestmark = pytest.mark.django_db


def test_a_dsl_cannot_pass_a_concern_as_if_an_officer(dsl_a, school_a):
    with pytest.raises(PermissionDenied, match="Only a Safer Schools Officer posted to this school"):
        services.pass_concern_to_dsl(
            roles=PortalRoles(dsl_a),
            school=school_a,
            pupil_reference="AL-2026-001",
            year_group=YearGroup.Y9,
            category=Category.ONLINE,
            severity=Severity.MEDIUM,
            description="Seen near the station late at night.",
        )


def test_another_schools_dsl_cannot_add_to_a_concerns_chronology(dsl_b, concern_a):
    with pytest.raises(PermissionDenied):
        services.add_concern_action(
            concern=concern_a, roles=PortalRoles(dsl_b), taken_on=timezone.localdate(), summary="Phoned home."
        )
    assert not concern_a.actions.exists()


def test_another_schools_dsl_cannot_share_a_concern_with_the_police(dsl_b, concern_a):
    with pytest.raises(PermissionDenied):
        services.share_concern_with_police(concern=concern_a, roles=PortalRoles(dsl_b))
    concern_a.refresh_from_db()
    assert not concern_a.shared_with_police


def test_the_schools_sso_cannot_send_the_share_notices_again(sso_a, shared_concern_a):
    with pytest.raises(PermissionDenied):
        services.send_shared_concern_notices_again(concern=shared_concern_a, roles=PortalRoles(sso_a))


def test_another_schools_dsl_cannot_attach_a_file(dsl_b, concern_a):
    upload = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(PermissionDenied):
        services.add_concern_attachment(concern=concern_a, roles=PortalRoles(dsl_b), upload=upload)
    assert not concern_a.attachments.exists()


def test_another_schools_dsl_cannot_create_a_task_for_a_pupil(dsl_b, staff_a, concern_a):
    with pytest.raises(PermissionDenied):
        services.create_task(
            roles=PortalRoles(dsl_b),
            pupil=concern_a.pupil,
            description="Phone the parent.",
            assigned_to=staff_a,
            due_on=timezone.localdate(),
        )
    assert not Task.objects.exists()
