import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.groups import BCU_MANAGER_GROUP, FORCE_LEAD_GROUP
from officers.models import (
    BCU,
    Officer,
    OfficerRole,
    OfficerStatus,
    Posting,
    PostingRole,
    Rank,
    SuitabilityAssessment,
    SuitabilityOutcome,
    TrainingCategory,
    TrainingCourse,
    TrainingRecord,
)

from .schools import SchoolFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct-horse-battery")


class BCUManagerFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def in_manager_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=BCU_MANAGER_GROUP))

    @factory.post_generation
    def bcus(user, create, extracted, **kwargs):
        """``BCUManagerFactory(bcus=[bcu, ...])``: the BCUs they manage, whose records they change."""
        if create and extracted:
            for bcu in extracted:
                bcu.managers.add(user)


class ForceLeadManagerFactory(BCUManagerFactory):
    """A BCU manager who is also a force lead: changes the records of every BCU."""

    @factory.post_generation
    def in_force_lead_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=FORCE_LEAD_GROUP))


class BCUFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BCU
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"BCU{n}")
    name = factory.Sequence(lambda n: f"BCU number {n}")
    force = "Test Constabulary"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    collar_number = factory.Sequence(lambda n: f"T{n:05d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    rank = Rank.CONSTABLE
    role = OfficerRole.SSO
    bcu = factory.SubFactory(BCUFactory)
    status = OfficerStatus.ACTIVE
    probation_end_date = datetime.date(2020, 1, 1)
    enhanced_vetting_date = datetime.date(2025, 6, 1)


class PostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Posting

    officer = factory.SubFactory(OfficerFactory)
    school = factory.SubFactory(SchoolFactory)
    role = PostingRole.PRIMARY
    start_date = datetime.date(2026, 9, 1)
    end_date = None


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"Course {n}")
    category = TrainingCategory.OTHER
    validity_months = 12
    required_for_sso = False


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    officer = factory.SubFactory(OfficerFactory)
    course = factory.SubFactory(TrainingCourseFactory)
    completed_on = datetime.date(2026, 3, 1)
    provider = "College of Policing"


class SuitabilityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuitabilityAssessment

    officer = factory.SubFactory(OfficerFactory)
    assessed_on = datetime.date(2025, 1, 15)
    panel_included_young_people = True
    outcome = SuitabilityOutcome.PASSED


def make_eligible_officer(*, on: datetime.date = datetime.date(2026, 9, 1), **officer_fields) -> Officer:
    """An officer meeting every posting requirement on ``on``: passed panel, all required courses current.

    Required courses are those seeded by migration officers/0007 (plus any a test adds first).
    """
    officer = OfficerFactory(**officer_fields)
    SuitabilityAssessmentFactory(officer=officer, assessed_on=on - datetime.timedelta(days=200))
    for course in TrainingCourse.objects.filter(required_for_sso=True):
        TrainingRecordFactory(officer=officer, course=course, completed_on=on - datetime.timedelta(days=60))
    return officer
