"""The SSO's phone pages: my schools, logging work, the log, youth services; the DSL's touchdown point."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.officers import BCUFactory, PostingFactory, UserFactory
from tests.factories.roles import sso as make_sso
from tests.factories.schools import DSLContactFactory, SchoolFactory
from tests.factories.workspace import (
    ActivityFactory,
    ObjectiveFactory,
    TouchdownPointFactory,
    YouthServiceFactory,
    category,
)
from workspace.models import Activity, ActivityDetails, TouchdownPoint, YouthService

from .conftest import POSTED_ON


def test_my_schools_shows_the_dsl_contacts_touchdown_point_and_youth_services(sso_client, school):
    DSLContactFactory(school=school, name="Dana Lead", email="dana@alder.invalid")
    TouchdownPointFactory(school=school, room="Pastoral office P2")
    YouthServiceFactory(ward=school.ward, name="Alder Youth Centre")
    page = sso_client.get(reverse("workspace:my-schools")).content.decode()
    for text in ("Alder Academy", "Dana Lead", "dana@alder.invalid", "Pastoral office P2", "Alder Youth Centre"):
        assert text in page


def test_my_schools_shows_todays_and_this_weeks_work_only(sso_client, officer, school):
    today = timezone.localdate()
    ActivityFactory(
        officer=officer,
        school=school,
        occurred_on=today,
        category=category(ActivityDetails.SESSION),
        topic="Topic of today",
    )
    ActivityFactory(
        officer=officer,
        school=school,
        occurred_on=today - datetime.timedelta(days=8),
        topic="Old topic",
        category=category(ActivityDetails.SESSION),
    )
    page = sso_client.get(reverse("workspace:my-schools")).content.decode()
    assert "Topic of today" in page
    assert "Old topic" not in page


def test_my_schools_shows_progress_against_the_postings_objectives(sso_client, officer, school):
    posting = officer.postings.get()
    ObjectiveFactory(posting=posting, category=category(ActivityDetails.SUPPORT), target=12)
    ActivityFactory(
        officer=officer,
        school=school,
        category=category(ActivityDetails.SUPPORT),
        occurred_on=timezone.localdate(),
        support_kind="victim",
        pupil_reference="P-1",
    )
    page = sso_client.get(reverse("workspace:my-schools")).content.decode()
    assert "One-to-one support or mentoring: 1 of 12 per school term" in page


def test_my_schools_lists_only_the_schools_of_current_postings(sso_client, officer, other_school):
    PostingFactory(
        officer=officer, school=other_school, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
    )
    page = sso_client.get(reverse("workspace:my-schools")).content.decode()
    assert "Birch High" not in page


@pytest.mark.parametrize(
    "url_name", ["workspace:my-schools", "workspace:activity-list", "workspace:youth-service-list"]
)
def test_list_pages_query_count_does_not_grow_with_rows(
    sso_client, officer, school, url_name, django_assert_num_queries
):
    def add_rows(count):
        for _ in range(count):
            ActivityFactory(officer=officer, school=school, occurred_on=timezone.localdate())
            YouthServiceFactory(ward=school.ward)
            DSLContactFactory(school=school, role="deputy")
            ObjectiveFactory(
                posting=officer.postings.get(), category=category(), period="year", target=1
            ) if not officer.postings.get().objectives.exists() else None

    add_rows(1)
    with CaptureQueriesContext(connection) as few:
        sso_client.get(reverse(url_name))
    add_rows(10)
    with django_assert_num_queries(len(few)):
        sso_client.get(reverse(url_name))


def test_my_schools_makes_a_fixed_number_of_queries(sso_client, officer, school, django_assert_num_queries):
    TouchdownPointFactory(school=school)
    ObjectiveFactory(posting=officer.postings.get())
    ActivityFactory(officer=officer, school=school, occurred_on=timezone.localdate())
    queries = [
        "the session",
        "the user",
        "the session's verified second factor (MFA)",
        "SAVEPOINT: the request's transaction (ATOMIC_REQUESTS)",
        "the login's officer",
        "the schools of the officer's current postings",
        "the user's schools as a DSL (Posting.visible_to)",
        "the current postings with school, ward and touchdown point",
        "their schools' current DSL contacts",
        "their wards' youth services, with the officer of the last contact",
        "the postings' objectives with their categories",
        "the activities counting towards them",
        "this week's activities with school, category and youth service",
        "the active categories (the buttons to log work)",
        "RELEASE SAVEPOINT: the request's transaction",
        "SAVEPOINT: the session save",
        "the session saved (its expiry renewed)",
        "RELEASE SAVEPOINT: the session save",
    ]
    with django_assert_num_queries(len(queries)):
        assert sso_client.get(reverse("workspace:my-schools")).status_code == 200


def test_an_sso_logs_a_daily_check_in_one_post(sso_client, school):
    visit = category()
    response = sso_client.post(
        reverse("workspace:activity-create", args=[visit.pk]),
        {"school": school.pk, "occurred_on": timezone.localdate().isoformat(), "notes": ""},
    )
    assert response.status_code == 302
    assert Activity.objects.get().category == visit


@pytest.mark.parametrize(
    ("occurred_on", "message"),
    [
        (lambda: timezone.localdate() + datetime.timedelta(days=1), "The date cannot be in the future."),
        (lambda: POSTED_ON - datetime.timedelta(days=1), "on or after the start of your posting"),
    ],
)
def test_a_bad_date_is_refused_with_a_field_message_and_nothing_saved(sso_client, school, occurred_on, message):
    response = sso_client.post(
        reverse("workspace:activity-create", args=[category().pk]),
        {"school": school.pk, "occurred_on": occurred_on().isoformat()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert 'href="#id_occurred_on_day"' in page
    assert not Activity.objects.exists()


def test_a_session_form_asks_for_the_session_details_and_warns_against_names(sso_client):
    page = sso_client.get(reverse("workspace:activity-create", args=[category(ActivityDetails.SESSION).pk]))
    text = page.content.decode()
    for field in ("topic", "year_group", "pupils_reached", "young_people_said"):
        assert f'name="{field}"' in text
    assert 'name="pupil_reference"' not in text
    assert "Never write a pupil" in text


def test_another_school_is_not_offered_on_the_form(sso_client, other_school):
    page = sso_client.get(reverse("workspace:activity-create", args=[category().pk])).content.decode()
    assert "Birch High" not in page


def test_another_ssos_activity_does_not_exist_for_an_sso(sso_client, school):
    theirs = ActivityFactory(school=school)
    assert sso_client.get(reverse("workspace:activity-detail", args=[theirs.pk])).status_code == 404


def test_a_diversion_referrals_outcome_is_recorded_on_its_page(sso_client, officer, school):
    referral = ActivityFactory(
        officer=officer,
        school=school,
        category=category(ActivityDetails.DIVERSION),
        referred_to="YOS",
        pupil_reference="P-3",
    )
    url = reverse("workspace:activity-detail", args=[referral.pk])
    assert sso_client.post(url, {"referral_outcome": ""}).status_code == 200
    assert sso_client.post(url, {"referral_outcome": "Completed the programme."}).status_code == 302
    referral.refresh_from_db()
    assert referral.referral_outcome == "Completed the programme."


def test_an_sso_adds_a_youth_service_in_their_ward_only(sso_client, school):
    url = reverse("workspace:youth-service-create")
    data = {"name": "Canal Boxing Club", "operator": "voluntary", "relationship": "developing"}
    assert sso_client.post(url, {**data, "ward": YouthServiceFactory().ward_id}).status_code == 200
    assert sso_client.post(url, {**data, "ward": school.ward_id}).status_code == 302
    assert YouthService.objects.get(name="Canal Boxing Club").ward == school.ward


def test_a_youth_service_in_another_ward_does_not_exist_for_an_sso(sso_client):
    elsewhere = YouthServiceFactory()
    assert sso_client.get(reverse("workspace:youth-service-edit", args=[elsewhere.pk])).status_code == 404


def test_the_dsl_sets_the_touchdown_point_of_their_school_only(client, school, other_school):
    dsl = DSLContactFactory(school=school, user=UserFactory()).user
    client.force_login(dsl)
    url = reverse("workspace:touchdown-point", args=[school.pk])
    assert client.post(url, {"room": ""}).status_code == 200
    assert client.post(url, {"room": "Room P2", "access_notes": "Ask at reception"}).status_code == 302
    assert TouchdownPoint.objects.get(school=school).room == "Room P2"
    assert client.get(reverse("workspace:touchdown-point", args=[other_school.pk])).status_code == 404


def test_the_dsl_dashboard_links_to_the_touchdown_point(client, school):
    dsl = DSLContactFactory(school=school, user=UserFactory()).user
    client.force_login(dsl)
    page = client.get(reverse("safeguarding:dashboard")).content.decode()
    assert reverse("workspace:touchdown-point", args=[school.pk]) in page


def test_an_sso_of_another_school_cannot_set_a_touchdown_point(client, school):
    client.force_login(make_sso())
    assert client.get(reverse("workspace:touchdown-point", args=[school.pk])).status_code == 404


def _summary(client, **params) -> str:
    response = client.get(reverse("workspace:activity-summary"), {"month": "2026-11", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_dsl_sees_counts_of_their_own_schools_activity_only(client, school, other_school):
    dsl = DSLContactFactory(school=school, user=UserFactory()).user
    november = datetime.date(2026, 11, 2)
    ActivityFactory.create_batch(7, school=school, occurred_on=november, notes="Secret note")
    ActivityFactory.create_batch(30, school=other_school, occurred_on=november)
    client.force_login(dsl)
    page = _summary(client)
    assert ">7<" in page and ">30<" not in page and ">37<" not in page
    assert "Secret note" not in page and "Birch High" not in page


def test_a_manager_sees_activity_by_category_school_bcu_and_month(manager_client, school):
    ActivityFactory.create_batch(6, school=school, occurred_on=datetime.date(2026, 11, 2))
    page = _summary(manager_client)
    for caption in ("By category", "By school", "By BCU", "By month"):
        assert caption in page
    assert "Alder Academy" in page and "November 2026" in page


def test_a_council_reader_sees_only_their_local_authorities(client, school, other_school):
    from tests.factories.roles import council_reader

    reader = council_reader()
    school.local_authority.council_readers.add(reader)
    ActivityFactory.create_batch(6, school=school, occurred_on=datetime.date(2026, 11, 2))
    ActivityFactory.create_batch(9, school=other_school, occurred_on=datetime.date(2026, 11, 2))
    client.force_login(reader)
    page = _summary(client)
    assert "Alder Academy" in page and "Birch High" not in page


def test_an_sso_has_no_activity_summary(sso_client):
    assert sso_client.get(reverse("workspace:activity-summary")).status_code == 403


def test_the_activity_summary_makes_a_fixed_number_of_queries(manager_client, school, django_assert_num_queries):
    ActivityFactory.create_batch(3, school=school, occurred_on=datetime.date(2026, 11, 2))
    with CaptureQueriesContext(connection) as few:
        _summary(manager_client)
    for _ in range(5):
        ActivityFactory(occurred_on=datetime.date(2026, 11, 3))
    # Per table one grouped query (category, school, BCU, month), plus the session, user, MFA,
    # roles and the month form's BCU choices: the same whatever the number of activities.
    with django_assert_num_queries(len(few)):
        _summary(manager_client)


def test_a_dsl_is_refused_the_ssos_pages(client, school):
    client.force_login(DSLContactFactory(school=school, user=UserFactory()).user)

    assert client.get(reverse("workspace:my-schools")).status_code == 403


def test_an_sso_chooses_what_to_log_from_the_active_categories(sso_client):
    page = sso_client.get(reverse("workspace:activity-choose")).content.decode()

    assert "School visit or daily check" in page and "Diversion referral" in page


def test_only_a_diversion_referral_takes_an_outcome_later(sso_client, officer, school):
    visit = ActivityFactory(officer=officer, school=school)

    response = sso_client.post(reverse("workspace:activity-detail", args=[visit.pk]), {"referral_outcome": "Done"})

    assert response.status_code == 403


def test_a_manager_counts_one_bcus_activity(manager_client):
    november = datetime.date(2026, 11, 2)
    school, other_school = SchoolFactory(name="Alder Academy", bcu=BCUFactory()), SchoolFactory(name="Birch High")
    ActivityFactory.create_batch(6, school=school, occurred_on=november)
    ActivityFactory.create_batch(9, school=other_school, occurred_on=november)

    page = _summary(manager_client, bcu=school.bcu_id)

    assert school.name in page and other_school.name not in page
