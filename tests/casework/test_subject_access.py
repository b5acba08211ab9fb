import io
import zipfile

import pytest
from django.utils import timezone

from access.roles import PortalRoles
from casework import services
from retention.exports import export_pupil
from tests.factories.casework import PoliceAttendanceFactory, ProfessionalChallengeFactory

pytestmark = pytest.mark.django_db


def test_a_pupils_export_holds_their_police_attendances_challenges_and_transfers(dsl_a, pupil_a, school_a, school_b):
    PoliceAttendanceFactory(school=school_a, pupil=pupil_a, purpose_detail="Marker-visit")
    ProfessionalChallengeFactory(school=school_a, pupil=pupil_a, decision="Marker-decision")
    ProfessionalChallengeFactory(school=school_a, decision="Another pupil's challenge")
    services.send_file_transfer(
        roles=PortalRoles(dsl_a), from_school=school_a, pupil_reference=pupil_a.reference, to_school_urn=school_b.urn
    )
    export = export_pupil(roles=PortalRoles(dsl_a), school=school_a, pupil_reference=pupil_a.reference)
    archive = zipfile.ZipFile(io.BytesIO(export.file.read()))
    assert "Marker-visit" in archive.read("police-attendances.csv").decode()
    challenges = archive.read("professional-challenges.csv").decode()
    assert "Marker-decision" in challenges and "Another pupil's challenge" not in challenges
    assert "Challenge opened" in archive.read("professional-challenge-steps.csv").decode()
    transfers = archive.read("file-transfers.csv").decode()
    assert "Birch School" in transfers and timezone.localdate().strftime("%-d %b %Y") in transfers
    assert export.log.contents["file transfers"] == 1
