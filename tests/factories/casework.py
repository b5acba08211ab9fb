import datetime

import factory
from django.utils import timezone

from casework.models import (
    AttendancePurpose,
    ChallengedAgency,
    ChallengeStage,
    ChallengeStep,
    FileTransfer,
    PoliceAttendance,
    ProfessionalChallenge,
    StepKind,
)
from safeguarding.models import pupil_of

from .officers import UserFactory
from .schools import SchoolFactory


class FileTransferFactory(factory.django.DjangoModelFactory):
    """A file sent in the portal from one school to another, not opened yet."""

    class Meta:
        model = FileTransfer

    from_school = factory.SubFactory(SchoolFactory)
    to_school = factory.SubFactory(SchoolFactory)
    pupil = factory.LazyAttributeSequence(lambda transfer, n: pupil_of(transfer.from_school.pk, f"MOVER-{n:04d}"))
    sent_on = factory.LazyFunction(timezone.localdate)
    sent_by = factory.SubFactory(UserFactory)
    snapshot = factory.LazyFunction(lambda: {"concerns": [], "police_attendances": [], "challenges": []})


class PoliceAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceAttendance

    school = factory.SubFactory(SchoolFactory)
    pupil = factory.LazyAttributeSequence(lambda visit, n: pupil_of(visit.school.pk, f"VISIT-{n:04d}"))
    attended_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    officer_name = "PC Test Officer"
    collar_number = "4821"
    purpose = AttendancePurpose.INTERVIEW
    purpose_detail = "Fictional visit."
    parent_contacted = True
    appropriate_adult_present = True
    school_challenged = False
    recorded_by = factory.SubFactory(UserFactory)


class ProfessionalChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfessionalChallenge
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    pupil = factory.LazyAttributeSequence(lambda challenge, n: pupil_of(challenge.school.pk, f"CHAL-{n:04d}"))
    agency = ChallengedAgency.SOCIAL_CARE
    decision = "Fictional decision."
    reason = "Fictional reason."
    stage = ChallengeStage.PRACTITIONER
    opened_by = factory.SubFactory(UserFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    last_step_on = factory.SelfAttribute("opened_on")

    @factory.post_generation
    def opened_step(challenge, create, extracted, **kwargs):
        if create:
            ChallengeStep.objects.create(
                challenge=challenge,
                kind=StepKind.OPENED,
                stage=challenge.stage,
                on=challenge.opened_on,
                summary=challenge.reason,
                recorded_by=challenge.opened_by,
            )
