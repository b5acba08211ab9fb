import datetime

import pytest
from django.utils import timezone

from tests.factories.officers import PostingFactory
from tests.factories.schools import DSLContactFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_current_filter_splits_postings_on_their_inclusive_end_date(council):
    today = timezone.localdate()
    ends_today = PostingFactory(
        school__local_authority=council.authority, start_date=today - datetime.timedelta(days=5), end_date=today
    )
    ended = PostingFactory(
        school__local_authority=council.authority,
        start_date=today - datetime.timedelta(days=5),
        end_date=today - datetime.timedelta(days=1),
    )
    assert _ids(council.http.get("/api/v1/postings/", {"current": "true"})) == [ends_today.pk]
    assert _ids(council.http.get("/api/v1/postings/", {"current": "false"})) == [ended.pk]


def test_postings_filter_by_school_urn(council):
    posting = PostingFactory(school__local_authority=council.authority)
    PostingFactory(school__local_authority=council.authority)
    assert _ids(council.http.get("/api/v1/postings/", {"school": posting.school.urn})) == [posting.pk]


def test_dsl_contacts_filter_by_is_current(council):
    current = DSLContactFactory(school__local_authority=council.authority)
    DSLContactFactory(school__local_authority=council.authority, is_current=False)
    assert _ids(council.http.get("/api/v1/dsl-contacts/", {"is_current": "true"})) == [current.pk]


def test_dsl_contact_carries_its_contact_details(council):
    contact = DSLContactFactory(school__local_authority=council.authority)
    body = council.http.get(f"/api/v1/dsl-contacts/{contact.pk}/").json()
    assert (body["email"], body["school"]) == (contact.email, contact.school.urn)
