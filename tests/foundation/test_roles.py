import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from ssoportal import roles
from ssoportal.migration_helpers import COUNCIL_READER_GROUP
from tests.factories.officers import BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.schools import DSLContactFactory

pytestmark = pytest.mark.django_db


def test_bcu_manager_is_a_staff_member_of_the_group():
    assert roles.is_bcu_manager(BCUManagerFactory())
    assert not roles.is_bcu_manager(UserFactory(is_staff=True))
    assert not roles.is_bcu_manager(AnonymousUser())


def test_council_reader_is_a_member_of_the_group():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=COUNCIL_READER_GROUP))
    assert roles.is_council_reader(user)
    assert not roles.is_council_reader(UserFactory())


def test_sso_sees_only_schools_of_current_postings():
    user = UserFactory()
    officer = OfficerFactory(user=user)
    current = PostingFactory(officer=officer, start_date=datetime.date(2020, 1, 1))
    PostingFactory(officer=officer, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1))
    assert roles.sso_school_ids(user) == {current.school_id}
    assert roles.sso_school_ids(UserFactory()) == set()


def test_dsl_sees_only_schools_where_they_are_a_current_contact():
    user = UserFactory()
    mine = DSLContactFactory(user=user)
    DSLContactFactory(user=user, is_current=False)
    DSLContactFactory()
    assert roles.dsl_school_ids(user) == {mine.school_id}
