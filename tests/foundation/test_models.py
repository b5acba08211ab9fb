import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from officers.models import Posting, PostingRole, Rank
from schools.models import DSLRole
from tests.factories.officers import OfficerFactory, PostingFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_second_current_lead_dsl_for_a_school_is_refused_by_the_database():
    first = DSLContactFactory(role=DSLRole.LEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        DSLContactFactory(school=first.school, role=DSLRole.LEAD)


def test_former_lead_dsl_and_deputies_do_not_count_against_the_one_lead_rule():
    school = SchoolFactory()
    DSLContactFactory(school=school, role=DSLRole.LEAD, is_current=False)
    DSLContactFactory(school=school, role=DSLRole.DEPUTY)
    DSLContactFactory(school=school, role=DSLRole.DEPUTY)
    DSLContactFactory(school=school, role=DSLRole.LEAD)
    assert school.dsl_contacts.count() == 4


def test_second_lead_dsl_fails_model_validation_with_a_clear_message():
    first = DSLContactFactory(role=DSLRole.LEAD)
    second = DSLContactFactory.build(school=first.school, role=DSLRole.LEAD)
    with pytest.raises(ValidationError, match="already has a current lead DSL"):
        second.full_clean()


def test_overlapping_primary_postings_of_one_officer_to_one_school_are_refused_by_the_database():
    posting = PostingFactory(start_date=D(2026, 9, 1), end_date=D(2027, 7, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        PostingFactory(officer=posting.officer, school=posting.school, start_date=D(2027, 7, 20))


def test_open_ended_primary_posting_overlaps_any_later_one():
    posting = PostingFactory(start_date=D(2026, 9, 1), end_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostingFactory(officer=posting.officer, school=posting.school, start_date=D(2030, 1, 1))


def test_updating_a_posting_into_an_overlap_is_refused_by_the_database():
    first = PostingFactory(start_date=D(2026, 1, 1), end_date=D(2026, 3, 31))
    second = PostingFactory(officer=first.officer, school=first.school, start_date=D(2026, 4, 1))
    second.start_date = D(2026, 3, 31)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_back_to_back_primary_postings_are_allowed():
    first = PostingFactory(start_date=D(2026, 1, 1), end_date=D(2026, 3, 31))
    PostingFactory(officer=first.officer, school=first.school, start_date=D(2026, 4, 1))
    assert Posting.objects.count() == 2


def test_overlapping_secondary_posting_to_the_same_school_is_allowed():
    first = PostingFactory(start_date=D(2026, 1, 1))
    PostingFactory(officer=first.officer, school=first.school, role=PostingRole.SECONDARY, start_date=D(2026, 2, 1))
    assert Posting.objects.count() == 2


def test_overlapping_primary_postings_to_different_schools_are_allowed_by_the_constraint():
    officer = OfficerFactory()
    PostingFactory(officer=officer, start_date=D(2026, 1, 1))
    PostingFactory(officer=officer, start_date=D(2026, 1, 1))
    assert officer.postings.count() == 2


def test_posting_ending_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PostingFactory(start_date=D(2026, 9, 1), end_date=D(2026, 8, 31))


def test_overlapping_primary_posting_fails_validation_with_a_clear_message():
    posting = PostingFactory(start_date=D(2026, 9, 1))
    clash = Posting(
        officer=posting.officer, school=posting.school, role=PostingRole.PRIMARY, start_date=D(2026, 10, 1)
    )
    with pytest.raises(ValidationError, match="overlaps these dates"):
        clash.full_clean()


def test_current_postings_include_the_last_day_and_exclude_the_next():
    posting = PostingFactory(start_date=D(2026, 9, 1), end_date=D(2026, 12, 18))
    assert list(Posting.objects.current(on=D(2026, 12, 18))) == [posting]
    assert list(Posting.objects.current(on=D(2026, 12, 19))) == []
    assert list(Posting.objects.current(on=D(2026, 8, 31))) == []


def test_school_age_range_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolFactory(statutory_low_age=16, statutory_high_age=11)


def test_school_fsm_percentage_cannot_exceed_100():
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolFactory(fsm_percentage=101)


def test_school_urn_is_unique():
    SchoolFactory(urn="100001")
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolFactory(urn="100001")


def test_officer_collar_number_is_unique():
    OfficerFactory(collar_number="AB123")
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficerFactory(collar_number="AB123")


def test_rank_at_least_inspector_lists_inspector_and_above():
    assert Rank.at_least(Rank.INSPECTOR) == ["insp", "ch_insp", "supt", "ch_supt"]


def test_string_forms_name_the_record():
    posting = PostingFactory(
        officer__first_name="Ada", officer__last_name="Lovelace", officer__collar_number="X1", school__name="Elm"
    )
    assert str(posting.officer) == "Police Constable Ada Lovelace (X1)"
    assert str(posting) == "Police Constable Ada Lovelace (X1) at Elm (Primary)"
    assert str(posting.school) == f"Elm ({posting.school.urn})"
