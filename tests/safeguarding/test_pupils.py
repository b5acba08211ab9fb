import pytest

from safeguarding.models import Pupil
from tests.factories.safeguarding import ConcernFactory

pytestmark = pytest.mark.django_db


def test_concerns_with_the_same_reference_at_one_school_share_one_pupil():
    first = ConcernFactory(pupil_reference="ABC-1")
    second = ConcernFactory(school=first.school, pupil_reference="abc-1")

    assert first.pupil_id == second.pupil_id
    assert Pupil.objects.get().reference == "ABC-1"


def test_the_same_reference_at_another_school_is_another_pupil():
    first = ConcernFactory(pupil_reference="ABC-1")
    other = ConcernFactory(pupil_reference="ABC-1")

    assert first.pupil_id != other.pupil_id


def test_correcting_a_concerns_reference_moves_it_to_that_pupil():
    concern = ConcernFactory(pupil_reference="ABC-1")
    concern.pupil_reference = "ABC-2"
    concern.save()

    assert concern.pupil.reference == "ABC-2"
