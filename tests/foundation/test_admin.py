import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.officers import BCUFactory, OfficerFactory, PostingFactory, UserFactory
from tests.factories.schools import DSLContactFactory, LocalAuthorityFactory, SchoolFactory, WardFactory

pytestmark = pytest.mark.django_db

# changelist url name -> a factory making one more row of it
CHANGELISTS = {
    "admin:schools_localauthority_changelist": LocalAuthorityFactory,
    "admin:schools_ward_changelist": WardFactory,
    "admin:schools_school_changelist": SchoolFactory,
    "admin:schools_dslcontact_changelist": DSLContactFactory,
    "admin:officers_bcu_changelist": BCUFactory,
    "admin:officers_officer_changelist": OfficerFactory,
    "admin:officers_posting_changelist": PostingFactory,
}


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(manager_client, url_name):
    url = reverse(url_name)
    make_row = CHANGELISTS[url_name]
    make_row.create_batch(2)
    with_two = _queries_for(manager_client, url)
    make_row.create_batch(20)
    with_twenty_two = _queries_for(manager_client, url)
    assert with_twenty_two == with_two
    # session, user, permissions, counts, rows, filter and date-hierarchy choices: a fixed handful.
    assert with_two <= 20


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_bcu_manager_can_open_every_changelist_and_add_form(manager_client, url_name):
    assert manager_client.get(reverse(url_name)).status_code == 200
    assert manager_client.get(reverse(url_name.replace("changelist", "add"))).status_code == 200


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_staff_user_outside_the_manager_group_is_forbidden(client, url_name):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_non_staff_user_is_sent_to_the_admin_login(client, url_name):
    client.force_login(UserFactory())
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_school_search_finds_by_urn(manager_client):
    SchoolFactory(urn="987654", name="Findable Academy")
    SchoolFactory(urn="123456", name="Other School")
    response = manager_client.get(reverse("admin:schools_school_changelist"), {"q": "987654"})
    assert b"Findable Academy" in response.content
    assert b"Other School" not in response.content


def test_admin_posting_form_shows_overlap_as_a_form_error(manager_client, bcu_manager):
    posting = PostingFactory()
    posting.officer.bcu.managers.add(bcu_manager)
    response = manager_client.post(
        reverse("admin:officers_posting_add"),
        {
            "officer": posting.officer.pk,
            "school": posting.school.pk,
            "role": "primary",
            "start_date": "01/10/2026",
            "end_date": "",
        },
    )
    assert response.status_code == 200
    assert b"overlaps these dates" in response.content


@pytest.mark.parametrize("url_name", ["admin:index", "admin:schools_localauthority_add"])
def test_admin_pages_name_the_portal_icon_so_browsers_do_not_ask_for_favicon_ico(manager_client, url_name):
    # A request for /favicon.ico runs through the session middleware beside the page's next
    # request, and could save the session over a message that request added.
    # (The index sends a BCU manager on to their start page, an admin page too.)
    response = manager_client.get(reverse(url_name), follow=True)

    assert 'rel="icon"' in response.content.decode()
