"""The cast of the retention tests: a data protection officer, a force lead, other roles, two
schools with their DSLs, and records old enough to be due for erasure on any day from 2026."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from access.roles import PortalRoles
from safeguarding.models import ConcernStatus, Outcome
from tests.factories.officers import BCUManagerFactory, UserFactory
from tests.factories.retention import DataProtectionOfficerFactory, ForceLeadFactory
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Attachments go to a temporary folder.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def dpo(db):
    return DataProtectionOfficerFactory(username="dpo")


@pytest.fixture
def force_lead(db):
    return ForceLeadFactory(username="force-lead")


@pytest.fixture
def manager(db):
    return BCUManagerFactory(username="manager")


@pytest.fixture
def plain_staff(db):
    return UserFactory(username="staff", is_staff=True)


@pytest.fixture
def school_a(db):
    return SchoolFactory(name="Alder School")


@pytest.fixture
def school_b(db):
    return SchoolFactory(name="Birch School")


@pytest.fixture
def dsl_a(school_a):
    user = UserFactory(username="dsl-a")
    DSLContactFactory(school=school_a, user=user)
    return user


@pytest.fixture
def dsl_b(school_b):
    user = UserFactory(username="dsl-b")
    DSLContactFactory(school=school_b, user=user)
    return user


def closed_concern(*, logged: datetime.datetime, closed: datetime.datetime | None = None, **fields):
    """A closed concern logged at ``logged`` and last updated (closed) at ``closed``."""
    from safeguarding.models import Concern

    concern = ConcernFactory(
        status=ConcernStatus.CLOSED, outcome=Outcome.NO_FURTHER_ACTION, created_at=logged, **fields
    )
    # updated_at is set on every save: put the closure date in directly.
    Concern.objects.filter(pk=concern.pk).update(updated_at=closed or logged)
    concern.refresh_from_db()
    return concern


@pytest.fixture
def old_concern(school_a, dsl_a):
    """Closed, logged in Year 11 in October 2000: the pupil turned 25 by 31 August 2010 at the latest.
    It has a chronology action, an attachment and an audit entry."""
    from safeguarding import services

    concern = closed_concern(
        logged=datetime.datetime(2000, 10, 3, 10, 0, tzinfo=LONDON),
        school=school_a,
        logged_by=dsl_a,
        year_group="11",
        pupil_reference="RB-2000-001",
    )
    ConcernActionFactory(concern=concern, taken_on=datetime.date(2000, 10, 4), summary="Phoned home.")
    upload = SimpleUploadedFile("notes.pdf", b"%PDF-1.7 fictional", content_type="application/pdf")
    services.add_concern_attachment(concern=concern, roles=PortalRoles(dsl_a), upload=upload)
    return concern
