import pytest
from django.contrib.auth.models import AnonymousUser, Group

from access.roles import PortalRoles
from core.groups import BCU_MANAGER_GROUP
from searches.models import SearchRecord
from tests.factories.roles import ROLE_USERS
from tests.factories.searches import SearchRecordFactory

pytestmark = pytest.mark.django_db


def _user(role: str):
    return ROLE_USERS[role]() or AnonymousUser()


@pytest.mark.parametrize(
    ("role", "sees_aggregates"),
    [
        ("anonymous", False),
        ("bcu_manager", True),
        ("council_reader", True),
        ("sso", False),
        ("dsl", False),
        ("plain_staff", False),
    ],
)
def test_who_sees_aggregates(role, sees_aggregates):
    SearchRecordFactory()
    user = _user(role)
    assert SearchRecord.objects.visible_to(PortalRoles(user)).exists() is sees_aggregates


def test_bcu_managers_may_record_and_correct_searches_but_never_delete_them():
    codenames = set(
        Group.objects.get(name=BCU_MANAGER_GROUP)
        .permissions.filter(content_type__app_label="searches")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_searchrecord",
        "add_searchrecord",
        "change_searchrecord",
        "view_pupilpopulation",
        "add_pupilpopulation",
        "change_pupilpopulation",
        "delete_pupilpopulation",
        "view_section60authorisation",
        "add_section60authorisation",
        "change_section60authorisation",
    }
