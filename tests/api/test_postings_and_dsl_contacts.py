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


def test_fast_posting_representation_equals_the_declared_fields(council):
    from api.selectors import posting_rows
    from api.views.postings import PostingSerializer
    from officers.models import Posting

    PostingFactory(school__local_authority=council.authority, officer__rank="ps", end_date=None)
    PostingFactory(
        school__local_authority=council.authority,
        start_date=datetime.date(2025, 1, 6),
        end_date=datetime.date(2026, 7, 31),
        officer__rank="retired",  # not a choice: shown as stored
    )
    # A summer instant: shown in British Summer Time (+01:00), not as UTC "Z".
    Posting.objects.filter(end_date__isnull=False).update(
        updated_at=datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)
    )
    # The declared fields read model instances loaded the generic way.
    loaded = Posting.objects.visible_to(council.client).select_related("officer", "school").order_by("pk")
    rows = posting_rows(ids=[instance.pk for instance in loaded])
    assert len(rows) == 2
    for instance, row in zip(loaded, rows, strict=True):
        serializer = PostingSerializer()
        generic = super(PostingSerializer, serializer).to_representation(instance)
        assert serializer.to_representation(row) == generic


def test_posting_detail_is_found_by_id_and_not_outside_the_clients_authorities(council, other_council):
    posting = PostingFactory(school__local_authority=council.authority)
    response = council.http.get(f"/api/v1/postings/{posting.pk}/")
    assert (response.status_code, response.json()["school"]) == (200, posting.school.urn)
    assert other_council.http.get(f"/api/v1/postings/{posting.pk}/").status_code == 404
