"""The statement's POST-only pages, posted as each role (the URL matrix GETs them: 405)."""

import pytest
from django.urls import reverse

from schools.models import StaffRole
from statements.models import SafeguardingStatement
from tests.factories.officers import BCUManagerFactory, UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory, SchoolStaffFactory
from tests.factories.statements import DraftStatementFactory, SignedStatementFactory

pytestmark = pytest.mark.django_db
SIGN = {"sign-signatory_name": "Morgan Ashby", "sign-confirm": "on", "sign-publish": "on"}
PUBLISH = {"publication-publish": "on"}


def _other_schools_dsl():
    user = UserFactory()
    DSLContactFactory(school=SchoolFactory(), user=user)
    return user


def _other_schools_head():
    user = UserFactory()
    SchoolStaffFactory(school=SchoolFactory(), user=user, role=StaffRole.HEAD_TEACHER)
    return user


def _staff_member(school):
    return SchoolStaffFactory(school=school).user


OUTSIDERS = {
    "plain user": (lambda school: UserFactory(), 403),
    "member of staff": (_staff_member, 403),
    "bcu manager": (lambda school: BCUManagerFactory(), 403),
    "another school's dsl": (lambda school: _other_schools_dsl(), 404),
    "another school's head teacher": (lambda school: _other_schools_head(), 404),
}


def test_signing_signed_out_is_sent_to_log_in(client, school):
    draft = DraftStatementFactory(school=school)
    response = client.post(reverse("statements:sign", args=[draft.pk]), SIGN)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_but_the_head_teacher_signs(client, school, who):
    build, status = OUTSIDERS[who]
    draft = DraftStatementFactory(school=school)
    client.force_login(build(school))
    assert client.post(reverse("statements:sign", args=[draft.pk]), SIGN).status_code == status
    assert not SafeguardingStatement.objects.signed().exists()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_but_the_schools_dsl_and_head_teacher_publishes(client, school, who):
    build, status = OUTSIDERS[who]
    statement = SignedStatementFactory(school=school, is_published=False)
    client.force_login(build(school))
    assert client.post(reverse("statements:publication", args=[statement.pk]), PUBLISH).status_code == status
    statement.refresh_from_db()
    assert not statement.is_published


@pytest.mark.parametrize("keeper", ["dsl", "head"])
def test_the_schools_dsl_and_head_teacher_publish(client, school, keeper, request):
    statement = SignedStatementFactory(school=school, is_published=False)
    client.force_login(request.getfixturevalue(keeper))
    assert client.post(reverse("statements:publication", args=[statement.pk]), PUBLISH).status_code == 302
    statement.refresh_from_db()
    assert statement.is_published


@pytest.mark.parametrize("view", ["statements:sign", "statements:publication"])
def test_a_get_is_refused(client, school, dsl, view):
    client.force_login(dsl)
    assert client.get(reverse(view, args=[DraftStatementFactory(school=school).pk])).status_code == 405
