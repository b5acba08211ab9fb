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


def category(details: str = ActivityDetails.VISIT) -> ActivityCategory:
    """One of the starting categories (a data migration adds them) of that shape."""
    return ActivityCategory.objects.filter(details=details).order_by("position").first()


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
