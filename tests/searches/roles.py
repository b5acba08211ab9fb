"""One user per portal role, for the access-control matrices of the searches tests."""

from django.contrib.auth.models import Group

from ssoportal.migration_helpers import COUNCIL_READER_GROUP
from tests.factories.officers import BCUManagerFactory, OfficerFactory, UserFactory
from tests.factories.schools import DSLContactFactory


def _council_reader():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=COUNCIL_READER_GROUP))
    return user


def _sso():
    return OfficerFactory(user=UserFactory()).user


def _dsl():
    return DSLContactFactory(user=UserFactory()).user


ROLE_USERS = {
    "anonymous": lambda: None,
    "bcu_manager": BCUManagerFactory,
    "council_reader": _council_reader,
    "sso": _sso,
    "dsl": _dsl,
    "plain_staff": lambda: UserFactory(is_staff=True),
}
