"""The BCU manager's start page: where they land, its scope, its figures and their links."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from officers.models import Posting, TrainingCourse
from priorities.models import Band, Boundary
from schools.models import Phase
from tests.factories.officers import (
    BCUFactory,
    BCUManagerFactory,
    OfficerFactory,
    PostingFactory,
    TrainingRecordFactory,
    UserFactory,
    make_eligible_officer,
)
from tests.factories.priorities import PriorityRunFactory, PriorityScoreFactory
from tests.factories.safeguarding import ConcernActionFactory, ConcernFactory
from tests.factories.schools import SchoolFactory, WardFactory
from tests.factories.searches import IntimateSearchFactory

pytestmark = pytest.mark.django_db

START = reverse("desk:start")


@pytest.fixture
def riverbank():
    return BCUFactory(name="Riverbank BCU")


@pytest.fixture
def hartwell():
    return BCUFactory(name="Hartwell BCU")


@pytest.fixture
def manager(client, riverbank):
    user = BCUManagerFactory(username="riverbank-manager", bcus=[riverbank])
    client.force_login(user)
    return user


@pytest.fixture
def run():
    return PriorityRunFactory()


def _school(run, bcu, name, *, band, rank, phase=Phase.SECONDARY, covered=False):
    school = SchoolFactory(name=name, bcu=bcu, phase=phase)
    PriorityScoreFactory(run=run, school=school, band=band, rank_in_bcu=rank)
    if covered:
        PostingFactory(school=school, officer=OfficerFactory(bcu=bcu), start_date=datetime.date(2020, 1, 1))
    return school


def test_a_bcu_manager_lands_on_the_start_page_from_the_admin_index(client, manager):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == START


def test_the_start_page_links_to_every_admin_section(client, manager):
    content = client.get(START).content.decode()
    assert 'href="/admin/?sections=all"' in content

    index = client.get(reverse("admin:index"), {"sections": "all"})

    assert index.status_code == 200
    assert "Officers and postings" in index.content.decode() or index.context["app_list"]


def test_other_staff_keep_the_admin_index(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_outside_the_manager_group_are_refused_the_start_page(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(START).status_code == 403


def test_the_start_page_opens_on_the_managers_own_bcus(client, manager, run, riverbank, hartwell):
    _school(run, riverbank, "River High", band=Band.HIGH, rank=1)
    _school(run, hartwell, "Hart High", band=Band.HIGH, rank=1)

    response = client.get(START)

    assert response.context["scope"].label == "Riverbank BCU"
    assert [school.name for school in response.context["vacant_high"]] == ["River High"]


@pytest.mark.parametrize(("choice", "expected"), [("other", ["Hart High"]), ("all", ["Hart High", "River High"])])
def test_the_switch_shows_another_bcu_or_the_whole_force(client, manager, run, riverbank, hartwell, choice, expected):
    _school(run, riverbank, "River High", band=Band.HIGH, rank=1)
    _school(run, hartwell, "Hart High", band=Band.HIGH, rank=1)

    response = client.get(START, {"bcu": hartwell.pk if choice == "other" else "all"})

    assert sorted(school.name for school in response.context["vacant_high"]) == expected


def test_an_unknown_bcu_is_a_400_with_the_error_against_the_switch(client, manager):
    response = client.get(START, {"bcu": "99999"})

    assert response.status_code == 400
    assert "Choose a BCU from the list." in response.content.decode()


def test_a_manager_of_no_bcu_sees_the_whole_force(client, run, riverbank):
    client.force_login(BCUManagerFactory(username="new-manager"))
    _school(run, riverbank, "River High", band=Band.HIGH, rank=1)

    response = client.get(START)

    assert response.context["scope"].label == "the whole force (you manage no BCU yet)"
    assert [school.name for school in response.context["vacant_high"]] == ["River High"]


def test_schools_by_band_count_covered_and_vacant_where_an_sso_is_expected(client, manager, run, riverbank):
    _school(run, riverbank, "High covered", band=Band.HIGH, rank=1, covered=True)
    _school(run, riverbank, "High vacant", band=Band.HIGH, rank=2)
    _school(run, riverbank, "Low secondary", band=Band.LOW, rank=3)
    _school(run, riverbank, "Low primary", band=Band.LOW, rank=4, phase=Phase.PRIMARY)  # no SSO expected

    bands = {row.band: row for row in client.get(START).context["bands"]}

    assert (bands["high"].schools, bands["high"].covered, bands["high"].vacant) == (2, 1, 1)
    assert (bands["medium"].schools, bands["medium"].covered, bands["medium"].vacant) == (0, 0, 0)
    assert (bands["low"].schools, bands["low"].covered, bands["low"].vacant) == (2, 0, 1)


def test_each_vacant_high_band_school_has_post_an_officer(client, manager, run, riverbank):
    school = _school(run, riverbank, "River High", band=Band.HIGH, rank=1)
    today = timezone.localdate()

    content = client.get(START).content.decode()

    assert (
        f"/admin/officers/posting/add/?school={school.pk}&amp;role=primary&amp;start_date={today:%Y-%m-%d}" in content
    )


def test_officers_by_eligibility_count_each_kind_of_reason(client, manager, riverbank, hartwell):
    today = timezone.localdate()
    make_eligible_officer(on=today, bcu=riverbank)
    make_eligible_officer(on=today, bcu=riverbank, probation_end_date=today)
    both = make_eligible_officer(on=today, bcu=riverbank, probation_end_date=today, enhanced_vetting_date=None)
    both.training_records.filter(course__code="SSO-SGC").delete()
    make_eligible_officer(on=today, bcu=hartwell, probation_end_date=today)  # another BCU's

    figures = client.get(START).context["eligibility"]

    assert (figures.eligible, figures.blocked) == (1, 2)
    assert {kind: count for kind, _, count in figures.by_reason} == {
        "probation": 2,
        "vetting": 1,
        "training:SSO-SGC": 1,
    }
    words = {kind: label for kind, label, _ in figures.by_reason}
    assert (
        words["training:SSO-SGC"]
        == "Required training missing or expired: " + TrainingCourse.objects.get(code="SSO-SGC").name
    )


def test_what_waits_for_the_manager_is_counted_in_their_bcus(client, manager, riverbank, hartwell):
    today = timezone.localdate()
    course = TrainingCourse.objects.get(code="SSO-SGC")  # valid 12 months
    officer = OfficerFactory(bcu=riverbank)
    TrainingRecordFactory(officer=officer, course=course, completed_on=today - datetime.timedelta(days=350))
    renewed = OfficerFactory(bcu=riverbank)
    TrainingRecordFactory(officer=renewed, course=course, completed_on=today - datetime.timedelta(days=350))
    TrainingRecordFactory(officer=renewed, course=course, completed_on=today)
    posting = PostingFactory(officer=officer, start_date=today - datetime.timedelta(days=400))
    Posting.objects.filter(pk=posting.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    IntimateSearchFactory(officer=officer)
    IntimateSearchFactory(officer=OfficerFactory(bcu=hartwell))
    school = SchoolFactory(bcu=riverbank)
    ConcernFactory(school=school, shared_with_police=True, shared_at=timezone.now())
    answered = ConcernFactory(school=school, shared_with_police=True, shared_at=timezone.now())
    sso = UserFactory()
    OfficerFactory(user=sso, bcu=riverbank)
    ConcernActionFactory(concern=answered, recorded_by=sso)
    ConcernFactory(school=school)  # not shared

    workload = client.get(START).context["workload"]

    assert workload.training_expiring == 1
    assert workload.postings_due_for_review == 1
    assert workload.searches_awaiting_referral == 1
    assert workload.concerns_unanswered == 1


def test_every_figure_links_to_its_filtered_list(client, manager, riverbank):
    links = client.get(START).context["links"]
    ids = f"{riverbank.pk}"

    assert links["officers"] == f"/admin/officers/officer/?bcu__id__in={ids}"
    assert links["training"] == f"/admin/officers/trainingrecord/?expiring=30&officer__bcu__id__in={ids}"
    assert links["review"] == f"/admin/officers/posting/?review=due&officer__bcu__id__in={ids}"
    assert links["searches"] == f"/admin/searches/searchrecord/?referral=due&bcu__id__in={ids}"
    assert links["priority_list"] == f"/admin/priorities/priorityscore/?bcu__id__in={ids}"
    for name in ("officers", "training", "review", "searches", "priority_list", "vacancies"):
        response = client.get(links[name])
        assert response.status_code == 200, name


def test_the_linked_lists_show_what_the_figures_count(client, manager, riverbank, hartwell):
    today = timezone.localdate()
    make_eligible_officer(on=today, bcu=riverbank, last_name="Probationer", probation_end_date=today)
    make_eligible_officer(on=today, bcu=hartwell, last_name="Elsewhere", probation_end_date=today)
    url = client.get(START).context["links"]["officers"] + "&eligible=probation"

    content = client.get(url).content.decode()

    assert "Probationer" in content and "Elsewhere" not in content


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(START)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_start_page_queries_do_not_grow_with_schools_or_officers(client, manager, run, riverbank):
    today = timezone.localdate()
    _school(run, riverbank, "First", band=Band.HIGH, rank=1, covered=True)
    make_eligible_officer(on=today, bcu=riverbank)
    with_few = _queries(client)

    for rank in range(2, 12):
        _school(run, riverbank, f"School {rank}", band=Band.MEDIUM, rank=rank, covered=rank % 2 == 0)
        make_eligible_officer(on=today, bcu=riverbank, probation_end_date=today)
        IntimateSearchFactory(officer=OfficerFactory(bcu=riverbank))

    assert _queries(client) == with_few


def test_the_start_page_queries_counted(client, manager, run, riverbank, django_assert_num_queries):
    _school(run, riverbank, "First", band=Band.HIGH, rank=1, covered=True)
    _school(run, riverbank, "Second", band=Band.HIGH, rank=2)
    make_eligible_officer(on=timezone.localdate(), bcu=riverbank)
    queries = [
        "the session",
        "the user",
        "the session's verified second factor (MFA)",
        "SAVEPOINT: the request's transaction (ATOMIC_REQUESTS)",
        "the user's groups (roles)",
        "every BCU (the switch)",
        "the BCUs the manager manages",
        "the user's own permissions (the admin's menu)",
        "the user's groups' permissions",
        "map table: the latest run's scores of the scope, with school, BCU and scoring model",
        "map table: their schools' current primary postings",
        "bands: which bands and phases expect an SSO",
        "bands: schools, covered and vacant per band",
        "vacancies: which bands and phases expect an SSO",
        "vacancies: the scope's vacant schools with band and rank",
        "eligibility: the required courses",
        "eligibility: the scope's officers",
        "eligibility: their latest suitability assessments",
        "eligibility: the officers again, for their training",
        "eligibility: their records of the required courses",
        "training expiring within 30 days",
        "postings due for review",
        "searches awaiting a referral",
        "shared concerns unanswered",
        "chart, cover per BCU: schools per BCU, band and cover",
        "chart, cover by month: open schools",
        "chart, cover by month: primary postings in the 12 months",
        "chart, training: the required courses",
        "chart, training: the scope's officers",
        "chart, training: their records of the required courses",
        "RELEASE SAVEPOINT: the request's transaction",
        "SAVEPOINT: the session save",
        "the session saved (its expiry renewed)",
        "RELEASE SAVEPOINT: the session save",
    ]
    with django_assert_num_queries(len(queries)):
        client.get(START)


def test_the_charts_draw_cover_per_bcu_with_their_figures_in_words(client, manager, run, riverbank):
    _school(run, riverbank, "High covered", band=Band.HIGH, rank=1, covered=True)
    _school(run, riverbank, "High vacant", band=Band.HIGH, rank=2)
    _school(run, riverbank, "Low vacant", band=Band.LOW, rank=3)

    (row,) = client.get(START).context["charts"]["cover_per_bcu"]

    assert row.label == "Riverbank BCU"
    assert row.summary == (
        "High covered 1, High not covered 1, Medium covered 0, Medium not covered 0, Low covered 0, Low not covered 1"
    )
    assert [(segment.x, segment.width) for segment in row.segments if segment.count] == [
        (0, 33.33),
        (33.33, 33.33),
        (66.67, 33.33),
    ]


def test_cover_by_month_follows_the_posting_history(client, manager, riverbank):
    today = timezone.localdate()
    school = SchoolFactory(bcu=riverbank)
    SchoolFactory(bcu=riverbank)
    # Posted from five months ago until two months ago.
    start = today.replace(day=1) - relativedelta(months=5)
    PostingFactory(school=school, start_date=start, end_date=today.replace(day=1) - relativedelta(months=2))

    rows = client.get(START).context["charts"]["cover_by_month"]

    covered = [row.segments[0].count for row in rows]
    assert len(rows) == (13 if today.day != 1 else 12)
    assert covered[:7] == [0, 0, 0, 0, 0, 0, 1]
    assert covered[7:10] == [1, 1, 1]
    assert covered[10:] == [0] * len(covered[10:])
    assert rows[-1].label == "Today" and rows[0].summary == "covered 0, not covered 2"


def test_training_by_course_counts_each_status(client, manager, riverbank):
    today = timezone.localdate()
    make_eligible_officer(on=today, bcu=riverbank)
    make_eligible_officer(on=today, bcu=riverbank).training_records.filter(course__code="SSO-SGC").delete()

    rows = {row.label: row for row in client.get(START).context["charts"]["training_by_course"]}

    safeguarding = rows[TrainingCourse.objects.get(code="SSO-SGC").name]
    assert {segment.label: segment.count for segment in safeguarding.segments}["Missing"] == 1
    assert {segment.label: segment.count for segment in safeguarding.segments}["Current"] == 1


def _outline(**owner) -> Boundary:
    return Boundary.objects.create(
        **owner,
        geometry={
            "type": "MultiPolygon",
            "coordinates": [[[[-0.1, 51.5], [-0.09, 51.5], [-0.1, 51.51], [-0.1, 51.5]]]],
        },
        source="WD_DEC_2024_UK_BSC.geojson (WD24CD)",
        imported_at=timezone.now(),
    )


def test_the_start_page_map_carries_the_outlines_of_its_bcus_authorities_only(
    client, manager, run, riverbank, hartwell
):
    ours = _school(run, riverbank, "Ours", band=Band.HIGH, rank=1)
    theirs = _school(run, hartwell, "Theirs", band=Band.HIGH, rank=1)
    for school in (ours, theirs):
        _outline(local_authority=school.local_authority)
        _outline(ward=WardFactory(local_authority=school.local_authority))

    map_url = client.get(START).context["school_map_url"]
    outlines = client.get(map_url).json()["outlines"]

    assert [outline["code"] for outline in outlines["local_authorities"]] == [ours.local_authority.gss_code]
    assert [outline["local_authority"] for outline in outlines["wards"]] == [ours.local_authority.name]


def test_outlines_add_nothing_to_the_start_page_itself(client, manager, run, riverbank):
    school = _school(run, riverbank, "First", band=Band.HIGH, rank=1, covered=True)
    client.get(START)  # a process's first request fills caches
    without = _queries(client)

    _outline(local_authority=school.local_authority)
    for _ in range(5):
        _outline(ward=WardFactory(local_authority=school.local_authority))
    response = client.get(START)

    # The outlines come with the map's data (one query there), not in the page.
    assert _queries(client) == without
    assert "MultiPolygon" not in response.content.decode()
