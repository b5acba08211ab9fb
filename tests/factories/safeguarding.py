import datetime

import factory

from safeguarding.models import (
    AuditChannel,
    AuditEvent,
    BodyMapMark,
    Category,
    Concern,
    ConcernAction,
    ConcernAuditEntry,
    ConcernStatus,
    Severity,
    StaffReport,
    Task,
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


class StaffReportFactory(factory.django.DjangoModelFactory):
    """A staff report waiting for triage (its reporter need not be on the staff: add a membership)."""

    class Meta:
        model = StaffReport

    school = factory.SubFactory(SchoolFactory)
    pupil_reference = factory.Sequence(lambda n: f"REF-{n:04d}")
    what_happened = "Fictional: the pupil said they were scared to go home."
    happened_on = datetime.date(2026, 9, 1)
    location = "The playground"
    reported_by = factory.SubFactory(UserFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    school = factory.LazyAttribute(lambda task: task.pupil.school)
    pupil = factory.LazyAttribute(lambda task: ConcernFactory().pupil)
    description = "Fictional: phone the parent."
    assigned_to = factory.SubFactory(UserFactory)
    due_on = datetime.date(2026, 9, 10)
    created_by = factory.SubFactory(UserFactory)


class BodyMapMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMapMark

    concern = factory.SubFactory(ConcernFactory)
    view = "front"
    x = 335
    y = 327
    region = "right-arm"
    note = "Fictional: bruise, 2 cm."
    recorded_by = factory.SubFactory(UserFactory)
