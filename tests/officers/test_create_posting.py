import datetime

import pytest
from django.core.exceptions import ValidationError

from officers.models import Posting, PostingRole
from officers.services import create_posting, update_posting
from tests.factories.officers import BCUManagerFactory, OfficerFactory, UserFactory, make_eligible_officer
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 1)
JUSTIFICATION = "Only officer with local knowledge; training booked for 10 Sep."


def _post(officer, *, by, justification="", start=START):
    return create_posting(
        officer=officer,
        school=SchoolFactory(),
        role=PostingRole.PRIMARY,
        start_date=start,
        created_by=by,
        override_justification=justification,
    )


def test_eligible_officer_is_posted_without_override():
    manager = BCUManagerFactory()
    posting = _post(make_eligible_officer(on=START), by=manager)
    assert posting.pk is not None
    assert posting.created_by == manager
    assert posting.override_justification == ""
    assert posting.overridden_by is None


def test_ineligible_officer_is_refused_with_every_reason():
    officer = make_eligible_officer(on=START, probation_end_date=START)
    with pytest.raises(ValidationError) as error:
        _post(officer, by=BCUManagerFactory())
    assert error.value.messages == ["The officer is in probation until 1 Sep 2026 (start date 1 Sep 2026)."]
    assert not Posting.objects.exists()


def test_bcu_manager_may_override_with_a_justification():
    manager = BCUManagerFactory()
    officer = make_eligible_officer(on=START, probation_end_date=START)
    posting = _post(officer, by=manager, justification=JUSTIFICATION)
    assert posting.override_justification == JUSTIFICATION
    assert posting.overridden_by == manager
    assert posting.overridden_reasons == "The officer is in probation until 1 Sep 2026 (start date 1 Sep 2026)."


def test_override_is_recorded_in_the_posting_history():
    officer = make_eligible_officer(on=START, probation_end_date=START)
    posting = _post(officer, by=BCUManagerFactory(), justification=JUSTIFICATION)
    assert posting.history.get().override_justification == JUSTIFICATION


def test_override_justification_of_nineteen_characters_is_refused():
    officer = make_eligible_officer(on=START, probation_end_date=START)
    with pytest.raises(ValidationError) as error:
        _post(officer, by=BCUManagerFactory(), justification="x" * 19)
    assert "at least 20 characters" in error.value.message_dict["override_justification"][0]
    assert not Posting.objects.exists()


def test_override_justification_of_twenty_characters_is_accepted():
    officer = make_eligible_officer(on=START, probation_end_date=START)
    assert _post(officer, by=BCUManagerFactory(), justification="x" * 20).override_justification == "x" * 20


def test_surrounding_spaces_do_not_count_towards_the_justification():
    officer = make_eligible_officer(on=START, probation_end_date=START)
    with pytest.raises(ValidationError):
        _post(officer, by=BCUManagerFactory(), justification="  " + "x" * 19 + "   ")


@pytest.mark.parametrize("make_user", [lambda: UserFactory(is_staff=True), lambda: None], ids=["staff", "nobody"])
def test_only_a_bcu_manager_may_override(make_user):
    officer = make_eligible_officer(on=START, probation_end_date=START)
    with pytest.raises(ValidationError) as error:
        _post(officer, by=make_user(), justification=JUSTIFICATION)
    assert error.value.message_dict["override_justification"] == [
        "Only a BCU manager may override the posting requirements."
    ]


def test_justification_for_an_eligible_officer_is_not_stored_as_an_override():
    posting = _post(make_eligible_officer(on=START), by=BCUManagerFactory(), justification=JUSTIFICATION)
    assert posting.override_justification == ""


def test_overlapping_primary_posting_is_refused_as_a_validation_error():
    manager = BCUManagerFactory()
    first = _post(make_eligible_officer(on=START), by=manager)
    with pytest.raises(ValidationError, match="overlaps these dates"):
        create_posting(
            officer=first.officer,
            school=first.school,
            role=PostingRole.PRIMARY,
            start_date=START + datetime.timedelta(days=10),
            created_by=manager,
        )


def test_moving_a_posting_to_an_ineligible_officer_is_refused():
    manager = BCUManagerFactory()
    posting = _post(make_eligible_officer(on=START), by=manager)
    with pytest.raises(ValidationError):
        update_posting(posting=posting, updated_by=manager, officer=OfficerFactory(probation_end_date=START))
    posting.refresh_from_db()
    assert posting.officer.probation_end_date != START


def test_ending_an_overridden_posting_keeps_its_override():
    manager = BCUManagerFactory()
    posting = _post(make_eligible_officer(on=START, probation_end_date=START), by=manager, justification=JUSTIFICATION)
    update_posting(posting=posting, updated_by=manager, end_date=datetime.date(2027, 7, 20))
    posting.refresh_from_db()
    assert posting.end_date == datetime.date(2027, 7, 20)
    assert posting.override_justification == JUSTIFICATION


def test_update_posting_refuses_fields_it_does_not_manage():
    posting = _post(make_eligible_officer(on=START), by=BCUManagerFactory())
    with pytest.raises(TypeError, match=r"cannot change \['overridden_by'\]"):
        update_posting(posting=posting, updated_by=None, overridden_by=None)
