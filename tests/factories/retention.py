import datetime

import factory
from django.contrib.auth.models import Group

from retention.models import CandidateStatus, ErasureCandidate, ErasureTombstone, RecordType, RetentionRule
from retention.roles import DATA_PROTECTION_OFFICER_GROUP, FORCE_LEAD_GROUP

from .officers import UserFactory


class DataProtectionOfficerFactory(UserFactory):
    """A staff login in the "Data protection officer" group (seeded by retention's migration 0002)."""

    is_staff = True

    @factory.post_generation
    def in_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=DATA_PROTECTION_OFFICER_GROUP))


class ForceLeadFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def in_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=FORCE_LEAD_GROUP))


def rule_for(record_type: str) -> RetentionRule:
    return RetentionRule.objects.get(record_type=record_type)


class ErasureCandidateFactory(factory.django.DjangoModelFactory):
    """A listed record; give ``object_id`` (and ``record_type``) of a real record to confirm it."""

    class Meta:
        model = ErasureCandidate

    record_type = RecordType.DELIVERY
    object_id = factory.Sequence(lambda n: n + 1)
    rule = factory.LazyAttribute(lambda c: rule_for(c.record_type))
    counts_from = factory.LazyAttribute(lambda c: c.rule.counts_from)
    anchor_date = datetime.date(2025, 1, 10)
    due_on = datetime.date(2026, 1, 10)
    listed_on = datetime.date(2026, 1, 11)
    status = CandidateStatus.PENDING


class ErasureTombstoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ErasureTombstone

    record_type = RecordType.DELIVERY
    original_id = factory.Sequence(lambda n: n + 1)
    rule_applied = "1 year from the day the e-mail was recorded"
    anchor_date = datetime.date(2025, 1, 10)
    due_on = datetime.date(2026, 1, 10)
    key_dates = factory.LazyFunction(lambda: {"recorded": "2025-01-10"})
    confirmed_by = factory.SubFactory(DataProtectionOfficerFactory)
