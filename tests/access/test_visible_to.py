"""``Model.objects.visible_to(viewer)``: the one convention every scoped read starts from, for a
portal login's ``PortalRoles`` and for a council API client alike."""

import datetime

import pytest
from django.test import RequestFactory

from access.middleware import PortalRolesMiddleware
from access.roles import PortalRoles
from officers.models import Officer, OfficerStatus, Posting
from safeguarding.models import Concern
from schools.models import DSLContact, School
from searches.models import SearchRecord
from tests.factories.api import ApiClientFactory
from tests.factories.officers import BCUManagerFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.roles import council_reader
from tests.factories.safeguarding import ConcernFactory
from tests.factories.schools import DSLContactFactory, LocalAuthorityFactory, SchoolFactory
from tests.factories.searches import SearchRecordFactory

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2020, 1, 1)


@pytest.fixture
def two_schools():
    return SchoolFactory(), SchoolFactory()


def _client_granted(school):
    return ApiClientFactory(local_authorities=[school.local_authority])


def test_a_bcu_manager_sees_every_school(two_schools):
    assert set(School.objects.visible_to(PortalRoles(BCUManagerFactory()))) == set(two_schools)


def test_an_api_client_sees_the_schools_of_its_granted_local_authorities(two_schools):
    mine, _other = two_schools
    assert list(School.objects.visible_to(_client_granted(mine))) == [mine]


def test_a_council_reader_sees_the_schools_of_their_local_authorities(two_schools):
    mine, _other = two_schools
    reader = council_reader()
    mine.local_authority.council_readers.add(reader)
    assert list(School.objects.visible_to(PortalRoles(reader))) == [mine]


def test_a_dsl_sees_their_own_school_only(two_schools):
    mine, _other = two_schools
    dsl = DSLContactFactory(school=mine, user=UserFactory()).user
    assert list(School.objects.visible_to(PortalRoles(dsl))) == [mine]


def test_an_sso_sees_the_schools_of_their_current_postings(two_schools):
    mine, _other = two_schools
    user = UserFactory()
    PostingFactory(officer=OfficerFactory(user=user), school=mine, start_date=LONG_AGO)
    assert list(School.objects.visible_to(PortalRoles(user))) == [mine]


def test_a_login_without_a_role_sees_no_school(two_schools):
    assert not School.objects.visible_to(PortalRoles(UserFactory())).exists()


def test_an_api_client_with_no_grant_sees_nothing(two_schools):
    client = ApiClientFactory(local_authorities=[])
    assert not School.objects.visible_to(client).exists()
    assert not Posting.objects.visible_to(client).exists()


def test_a_council_readers_local_authorities_give_no_posting_or_dsl_contact(two_schools):
    # Readable local authorities feed aggregate figures only, never rows about people.
    mine, _other = two_schools
    PostingFactory(school=mine)
    DSLContactFactory(school=mine)
    reader = council_reader()
    mine.local_authority.council_readers.add(reader)
    assert not Posting.objects.visible_to(PortalRoles(reader)).exists()
    assert not DSLContact.objects.visible_to(PortalRoles(reader)).exists()


def test_an_api_client_sees_postings_and_dsl_contacts_of_its_schools_only(two_schools):
    mine, other = two_schools
    posting, _ = PostingFactory(school=mine), PostingFactory(school=other)
    contact, _ = DSLContactFactory(school=mine), DSLContactFactory(school=other)
    client = _client_granted(mine)
    assert list(Posting.objects.visible_to(client)) == [posting]
    assert list(DSLContact.objects.visible_to(client)) == [contact]


def test_an_api_client_sees_serving_officers_posted_to_its_schools(two_schools):
    mine, other = two_schools
    serving = PostingFactory(school=mine, start_date=LONG_AGO).officer
    PostingFactory(school=mine, start_date=LONG_AGO, officer=OfficerFactory(status=OfficerStatus.LEFT))
    PostingFactory(school=other, start_date=LONG_AGO)
    assert list(Officer.objects.visible_to(_client_granted(mine))) == [serving]


def test_an_api_client_sees_search_records_at_its_schools_only(two_schools):
    mine, other = two_schools
    record = SearchRecordFactory(school=mine)
    SearchRecordFactory(school=other)
    assert list(SearchRecord.objects.visible_to(_client_granted(mine))) == [record]


def test_an_api_client_never_sees_a_concern(two_schools):
    mine, _other = two_schools
    ConcernFactory(school=mine)
    assert not Concern.objects.visible_to(_client_granted(mine)).exists()


def test_a_bcu_manager_never_sees_a_concern(two_schools):
    ConcernFactory(school=two_schools[0])
    assert not Concern.objects.visible_to(PortalRoles(BCUManagerFactory())).exists()


def test_an_api_clients_grant_is_read_once_per_client_instance(django_assert_num_queries):
    client = ApiClientFactory(local_authorities=[LocalAuthorityFactory()])
    with django_assert_num_queries(1):
        client.granted_local_authority_ids  # noqa: B018
        client.granted_local_authority_ids  # noqa: B018


def test_the_middleware_gives_each_request_the_roles_of_its_user():
    request = RequestFactory().get("/")
    request.user = BCUManagerFactory()
    seen = []
    PortalRolesMiddleware(lambda request: seen.append(request.portal_roles))(request)
    assert seen[0].user is request.user
    assert seen[0].is_bcu_manager


def test_a_users_roles_are_looked_up_once_however_often_a_request_asks(django_assert_num_queries):
    user = DSLContactFactory(user=UserFactory()).user
    roles = PortalRoles(user)
    # 1 the DSL contacts, 2 the officer link (not being staff, the user is no BCU manager: no group query)
    with django_assert_num_queries(2):
        for _ in range(3):
            assert roles.is_dsl
            assert not roles.is_sso
            assert not roles.is_bcu_manager


def test_roles_are_never_cached_on_the_user_object():
    user = DSLContactFactory(user=UserFactory()).user
    before = set(vars(user))
    roles = PortalRoles(user)
    assert roles.is_dsl and not roles.is_bcu_manager and not roles.readable_local_authority_ids
    assert set(vars(user)) == before


def test_only_a_dsl_reads_the_access_log_of_their_schools_concerns(two_schools):
    from safeguarding.models import ConcernAuditEntry

    mine, _other = two_schools
    dsl = DSLContactFactory(school=mine, user=UserFactory()).user
    sso = UserFactory()
    PostingFactory(officer=OfficerFactory(user=sso), school=mine, start_date=LONG_AGO)
    concern = ConcernFactory(school=mine)
    ConcernAuditEntry.objects.create(concern=concern, user=dsl, event="viewed")

    assert ConcernAuditEntry.objects.visible_to(PortalRoles(dsl)).count() == 1
    assert not ConcernAuditEntry.objects.visible_to(PortalRoles(sso)).exists()
