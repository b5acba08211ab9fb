"""One user per portal role, shared by the access-control matrices of every app's tests."""

import datetime

from django.contrib.auth.models import Group

from core.groups import COUNCIL_READER_GROUP, DATA_PROTECTION_OFFICER_GROUP

from .officers import BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from .schools import DSLContactFactory


def council_reader(**fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=COUNCIL_READER_GROUP))
    return user


def data_protection_officer(**fields):
    """A staff login in the data protection officer group: reads and exports the access log."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=DATA_PROTECTION_OFFICER_GROUP))
    return user


def safeguarding_auditor(**fields):
    """A staff login in the safeguarding auditor group: reads concerns in the admin."""
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name="Safeguarding auditor"))
    return user


def sso():
    """An officer's login with a current posting, so the role really is in force."""
    user = UserFactory()
    PostingFactory(officer=OfficerFactory(user=user), start_date=datetime.date(2020, 1, 1))
    return user


def dsl():
    return DSLContactFactory(user=UserFactory()).user


# role -> a function making a user of that role (None: not logged in)
ROLE_USERS = {
    "anonymous": lambda: None,
    "bcu_manager": BCUManagerFactory,
    "council_reader": council_reader,
    "sso": sso,
    "dsl": dsl,
    "plain_staff": lambda: UserFactory(is_staff=True),
}

# What each role gets from a BCU-manager admin page: staff outside the manager group are
# refused, everyone else is sent to the admin log-in.
ADMIN_PAGE_STATUS = {
    "anonymous": 302,
    "bcu_manager": 200,
    "council_reader": 302,
    "sso": 302,
    "dsl": 302,
    "plain_staff": 403,
}
