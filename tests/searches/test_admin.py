import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from searches.models import SearchRecord
from tests.factories.officers import OfficerFactory
from tests.factories.schools import SchoolFactory
from tests.factories.searches import (
    IntimateSearchFactory,
    PupilPopulationFactory,
    SearchRecordFactory,
    Section60AuthorisationFactory,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = {
    "admin:searches_searchrecord_changelist": SearchRecordFactory,
    "admin:searches_pupilpopulation_changelist": lambda: PupilPopulationFactory(year=datetime.date.today().year),
    "admin:searches_section60authorisation_changelist": Section60AuthorisationFactory,
}


def _queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(manager_client, url_name):
    url = reverse(url_name)
    for _ in range(2):
        CHANGELISTS[url_name]()
    with_two = _queries_for(manager_client, url)
    for _ in range(20):
        CHANGELISTS[url_name]()
    assert _queries_for(manager_client, url) == with_two


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("bcu_manager", 200),
        ("council_reader", 302),
        ("sso", 302),
        ("dsl", 302),
        ("plain_staff", 403),
    ],
)
@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_only_bcu_managers_open_search_records(client_as, role, status, url_name):
    assert client_as(role).get(reverse(url_name)).status_code == status


def _form(officer, school, **overrides) -> dict:
    data = {
        "reference": "SR-ADMIN-1",
        "officer": officer.pk,
        "school": school.pk,
        "location": "",
        "searched_at_0": "14/10/2026",
        "searched_at_1": "11:30",
        "legal_power": "pace_s54",
        "search_type": "eip",
        "reason": "Information that drugs were concealed.",
        "outcome": "nfa",
        "items_found": "",
        "child_age": "14",
        "gender": "female",
        "self_defined_ethnicity": "B2",
        "officer_observed_ethnicity": "B",
        "authorising_officer_name": "Sgt. Lee Marsh",
        "authorising_officer_number": "SG301",
        "authorising_officer_rank": "ps",
        "appropriate_adult_name": "",
        "appropriate_adult_role": "",
        "statutory_exception": "",
        "statutory_exception_reason": "",
        "referral_reference": "",
        "status": "open",
        "body_worn_video": "recorded",
        "body_worn_video_reason": "",
        "follow_up_by": "PC Ellis with the school's DSL",
        "follow_up_due_on": "21/10/2026",
    }
    data.update(overrides)
    return data


def test_admin_form_shows_every_broken_rule_and_saves_nothing(manager_client, bcu_manager):
    officer = OfficerFactory()
    officer.bcu.managers.add(bcu_manager)
    response = manager_client.post(reverse("admin:searches_searchrecord_add"), _form(officer, SchoolFactory()))
    assert response.status_code == 200
    form_errors = response.context["adminform"].form.errors
    assert "officer" not in form_errors
    assert "Inspector or above" in form_errors["authorising_officer_rank"][0]
    assert "appropriate adult" in form_errors["appropriate_adult_present"][0]
    assert b"Inspector or above" in response.content
    assert not SearchRecord.objects.exists()


def test_admin_records_a_valid_search_through_the_service(manager_client, bcu_manager):
    officer = OfficerFactory()
    officer.bcu.managers.add(bcu_manager)
    response = manager_client.post(
        reverse("admin:searches_searchrecord_add"),
        _form(
            officer,
            SchoolFactory(),
            authorising_officer_rank="insp",
            appropriate_adult_present="on",
            appropriate_adult_name="Dana Whitlock",
            appropriate_adult_role="social_worker",
        ),
    )
    assert response.status_code == 302
    search = SearchRecord.objects.get()
    assert (search.bcu, search.recorded_by) == (officer.bcu, bcu_manager)
    assert search.is_referral_due
    assert LogEntry.objects.get().object_id == str(search.pk)


def test_admin_change_keeps_the_rules(manager_client, bcu_manager):
    search = IntimateSearchFactory()
    search.bcu.managers.add(bcu_manager)
    url = reverse("admin:searches_searchrecord_change", args=[search.pk])
    data = _form(search.officer, search.school, reference=search.reference, authorising_officer_rank="insp")
    response = manager_client.post(url, data)  # the appropriate adult unticked
    assert response.status_code == 200
    search.refresh_from_db()
    assert search.appropriate_adult_present


def test_admin_change_records_the_referral_and_history(manager_client, bcu_manager):
    search = IntimateSearchFactory()
    search.bcu.managers.add(bcu_manager)
    url = reverse("admin:searches_searchrecord_change", args=[search.pk])
    data = _form(
        search.officer,
        search.school,
        reference=search.reference,
        authorising_officer_rank="insp",
        appropriate_adult_present="on",
        appropriate_adult_name="Dana Whitlock",
        appropriate_adult_role="parent",
        referral_reference="MASH-2026-42",
    )
    assert manager_client.post(url, data).status_code == 302
    search.refresh_from_db()
    assert not search.is_referral_due
    assert search.history.first().history_user == bcu_manager


def test_nobody_can_delete_a_search_record(manager_client):
    search = SearchRecordFactory()
    response = manager_client.post(reverse("admin:searches_searchrecord_delete", args=[search.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert SearchRecord.objects.filter(pk=search.pk).exists()


def test_referral_filter_lists_only_searches_with_a_referral_due(manager_client):
    due = IntimateSearchFactory(reference="SR-DUE")
    IntimateSearchFactory(reference="SR-MADE", referral_reference="MASH-1")
    SearchRecordFactory(reference="SR-OUTER")
    response = manager_client.get(reverse("admin:searches_searchrecord_changelist"), {"referral": "due"})
    assert list(response.context["cl"].result_list) == [due]


def test_bcu_manager_sees_a_search_records_history(manager_client, bcu_manager):
    search = IntimateSearchFactory()
    response = manager_client.get(reverse("admin:searches_searchrecord_history", args=[search.pk]))
    assert response.status_code == 200
