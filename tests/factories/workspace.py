import datetime

import factory

from workspace.models import (
    Activity,
    ActivityCategory,
    ActivityDetails,
    Objective,
    ObjectivePeriod,
    Operator,
    Relationship,
    TouchdownPoint,
    YouthService,
)

from .officers import OfficerFactory, PostingFactory, UserFactory
from .schools import SchoolFactory, WardFactory

# A starting category of each shape (a data migration adds them; a transactional test's flush removes them).
STARTING_NAMES = {
    ActivityDetails.VISIT: "School visit or daily check",
    ActivityDetails.SESSION: "PSHE or curriculum session",
    ActivityDetails.SUPPORT: "One-to-one support or mentoring",
    ActivityDetails.DIVERSION: "Diversion referral",
    ActivityDetails.YOUTH_SERVICE: "Youth service engagement",
}


def category(details: str = ActivityDetails.VISIT) -> ActivityCategory:
    """The first starting category of that shape."""
    found = ActivityCategory.objects.filter(details=details).order_by("position").first()
    return found or ActivityCategory.objects.create(name=STARTING_NAMES[details], details=details)


class ActivityFactory(factory.django.DjangoModelFactory):
    """A daily check, written directly (services.log_activity is what the portal calls)."""

    class Meta:
        model = Activity

    officer = factory.SubFactory(OfficerFactory)
    school = factory.SubFactory(SchoolFactory)
    category = factory.LazyFunction(category)
    occurred_on = datetime.date(2026, 11, 2)
    recorded_by = factory.SubFactory(UserFactory)


class TouchdownPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TouchdownPoint

    school = factory.SubFactory(SchoolFactory)
    room = "Pastoral office P2"
    access_notes = "Sign in at reception."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    posting = factory.SubFactory(PostingFactory)
    category = factory.LazyFunction(lambda: category(ActivityDetails.SUPPORT))
    target = 10
    period = ObjectivePeriod.TERM


class YouthServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YouthService

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Youth Centre {n}")
    operator = Operator.COUNCIL
    relationship = Relationship.ESTABLISHED
