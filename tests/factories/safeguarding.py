import datetime

import factory

from safeguarding.models import (
    AuditChannel,
    AuditEvent,
    Category,
    Concern,
    ConcernAction,
    ConcernAuditEntry,
    ConcernStatus,
    Severity,
    YearGroup,
)

from .officers import UserFactory
from .schools import SchoolFactory


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    school = factory.SubFactory(SchoolFactory)
    logged_by = factory.SubFactory(UserFactory)
    pupil_reference = factory.Sequence(lambda n: f"REF-{n:04d}")
    year_group = YearGroup.Y9
    category = Category.ONLINE
    severity = Severity.MEDIUM
    description = "Fictional test description."
    status = ConcernStatus.OPEN


class ConcernActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcernAction

    concern = factory.SubFactory(ConcernFactory)
    taken_on = datetime.date(2026, 9, 1)
    summary = "Fictional action."
    recorded_by = factory.SubFactory(UserFactory)


class ConcernAuditEntryFactory(factory.django.DjangoModelFactory):
    """A read of a concern in the portal, by the DSL who logged it, unless told otherwise."""

    class Meta:
        model = ConcernAuditEntry

    concern = factory.SubFactory(ConcernFactory)
    user = factory.LazyAttribute(lambda entry: entry.concern.logged_by)
    event = AuditEvent.VIEWED
    channel = AuditChannel.PORTAL
