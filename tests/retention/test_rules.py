"""The retention schedule: defaults seeded by migration, what each period counts from, the groups."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from retention.models import COUNTS_FROM_BY_TYPE, CountsFrom, RecordType, RetentionRule
from retention.record_types import latest_birth_date
from retention.roles import DATA_PROTECTION_OFFICER_GROUP, FORCE_LEAD_GROUP

pytestmark = pytest.mark.django_db

# The documented defaults (docs/data-protection.md): (years, months, counts from).
DEFAULTS = {
    RecordType.CONCERN: (25, 0, CountsFrom.PUPIL_BIRTH),
    RecordType.SEARCH_RECORD: (3, 0, CountsFrom.SEARCH_DATE),
    RecordType.POSTING: (6, 0, CountsFrom.POSTING_END),
    RecordType.TRAINING_RECORD: (6, 0, CountsFrom.TRAINING_EXPIRY),
    RecordType.SUITABILITY_ASSESSMENT: (6, 0, CountsFrom.ASSESSMENT_DATE),
    RecordType.CONCERN_AUDIT_ENTRY: (25, 0, CountsFrom.ENTRY_DATE),
    RecordType.DELIVERY: (1, 0, CountsFrom.RECORDED_DATE),
    RecordType.FILE_TRANSFER: (25, 0, CountsFrom.TRANSFER_DATE),
    RecordType.POLICE_ATTENDANCE: (25, 0, CountsFrom.ATTENDANCE_DATE),
    RecordType.PROFESSIONAL_CHALLENGE: (25, 0, CountsFrom.CHALLENGE_RESOLUTION),
}


def test_every_record_type_has_its_documented_default_rule():
    seeded = {
        rule.record_type: (rule.period_years, rule.period_months, rule.counts_from)
        for rule in RetentionRule.objects.all()
    }
    assert seeded == DEFAULTS


def test_every_default_rule_names_its_source_and_asks_for_confirmation():
    for rule in RetentionRule.objects.all():
        assert "to be confirmed by your data protection officer" in rule.basis, rule.record_type


def test_every_default_counts_from_a_date_its_record_type_has():
    for rule in RetentionRule.objects.all():
        assert rule.counts_from in COUNTS_FROM_BY_TYPE[rule.record_type]


def test_a_rule_cannot_count_from_a_date_its_record_type_lacks():
    rule = RetentionRule.objects.get(record_type=RecordType.POSTING)
    rule.counts_from = CountsFrom.PUPIL_BIRTH
    with pytest.raises(ValidationError, match="counts from"):
        rule.full_clean()


def test_a_rule_needs_a_period():
    rule = RetentionRule.objects.get(record_type=RecordType.DELIVERY)
    rule.period_years = rule.period_months = 0
    with pytest.raises(ValidationError, match="at least one month"):
        rule.full_clean()


def test_a_rule_describes_its_period_and_what_it_counts_from():
    rule = RetentionRule.objects.get(record_type=RecordType.CONCERN)
    assert (
        rule.describe() == "25 years from the pupil's latest possible date of birth, from the year group when logged"
    )


def test_the_cutoff_is_the_period_before_the_day():
    rule = RetentionRule(record_type=RecordType.DELIVERY, period_years=1, period_months=6)
    assert rule.cutoff(datetime.date(2026, 12, 6)) == datetime.date(2025, 6, 6)


def test_the_data_protection_officer_group_holds_the_retention_rights():
    rights = set(Group.objects.get(name=DATA_PROTECTION_OFFICER_GROUP).permissions.values_list("codename", flat=True))
    assert rights == {
        "view_retentionrule",
        "change_retentionrule",
        "view_erasurecandidate",
        "review_erasure",
        "view_erasuretombstone",
        "view_subjectaccessexport",
        "export_officer_data",
        # The access log and the record of its exports.
        "view_concernauditentry",
        "export_concernauditentry",
        "view_accesslogexport",
    }


def test_the_force_lead_group_may_export_an_officers_data_only():
    rights = set(Group.objects.get(name=FORCE_LEAD_GROUP).permissions.values_list("codename", flat=True))
    assert "export_officer_data" in rights
    assert not rights & {"review_erasure", "view_erasurecandidate", "view_subjectaccessexport", "view_retentionrule"}


@pytest.mark.parametrize(
    ("year_group", "logged_on", "latest_birth"),
    [
        ("R", datetime.date(2023, 10, 10), datetime.date(2019, 8, 31)),  # Reception turn 5 in the school year
        ("R", datetime.date(2024, 3, 10), datetime.date(2019, 8, 31)),  # the same school year, after New Year
        ("N", datetime.date(2023, 10, 10), datetime.date(2020, 8, 31)),
        ("11", datetime.date(2016, 10, 3), datetime.date(2001, 8, 31)),  # Year 11 turn 16
        ("13", datetime.date(2026, 9, 1), datetime.date(2009, 8, 31)),  # the first day of a school year
        ("13", datetime.date(2026, 8, 31), datetime.date(2008, 8, 31)),  # the last day of the one before
    ],
)
def test_the_latest_birth_date_of_a_year_group(year_group, logged_on, latest_birth):
    assert latest_birth_date(year_group, logged_on) == latest_birth
