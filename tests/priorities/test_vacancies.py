"""Vacancies ranked by the latest priority run, and which schools expect an SSO (set on the scoring model)."""

import datetime

import pytest
from django.urls import reverse

from priorities.admin import NO_SSO_EXPECTED
from priorities.models import Band, ScoringModel
from priorities.selectors import ranked_vacancies, sso_expectation
from schools.models import Phase
from tests.factories.officers import BCUFactory, PostingFactory
from tests.factories.priorities import PriorityRunFactory, PriorityScoreFactory, ScoringModelFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 9, 1)


@pytest.fixture
def bcu():
    return BCUFactory(name="Riverbank BCU")


@pytest.fixture
def run():
    return PriorityRunFactory()


def _scored(run, bcu, name, *, band, rank, phase=Phase.SECONDARY):
    return PriorityScoreFactory(
        run=run, school=SchoolFactory(name=name, bcu=bcu, phase=phase), band=band, rank_in_bcu=rank
    ).school


def test_vacancies_come_high_band_first_then_by_rank(run, bcu):
    _scored(run, bcu, "Medium Two", band=Band.MEDIUM, rank=2)
    _scored(run, bcu, "High Three", band=Band.HIGH, rank=3)
    _scored(run, bcu, "Low Nine", band=Band.LOW, rank=9)
    _scored(run, bcu, "High One", band=Band.HIGH, rank=1)
    SchoolFactory(name="Not Ranked", bcu=bcu)

    schools = ranked_vacancies(on=ON, bcu=bcu)

    assert [(s.name, s.band, s.rank_in_bcu) for s in schools] == [
        ("High One", "high", 1),
        ("High Three", "high", 3),
        ("Medium Two", "medium", 2),
        ("Low Nine", "low", 9),
        ("Not Ranked", None, None),
    ]


def test_a_covered_school_is_no_vacancy(run, bcu):
    covered = _scored(run, bcu, "Covered", band=Band.HIGH, rank=1)
    PostingFactory(school=covered, start_date=datetime.date(2020, 1, 1))

    assert ranked_vacancies(on=ON, bcu=bcu) == []


def test_a_low_band_primary_school_expects_no_sso_by_default(run, bcu):
    _scored(run, bcu, "Low Primary", band=Band.LOW, rank=5, phase=Phase.PRIMARY)
    _scored(run, bcu, "High Primary", band=Band.HIGH, rank=1, phase=Phase.PRIMARY)

    assert [school.name for school in ranked_vacancies(on=ON, bcu=bcu)] == ["High Primary"]


def test_the_rule_is_read_from_the_latest_runs_scoring_model(bcu):
    model = ScoringModelFactory(is_active=False, sso_expected_bands=["high", "medium", "low"], sso_expected_phases=[])
    run = PriorityRunFactory(scoring_model=model)
    _scored(run, bcu, "Low Primary", band=Band.LOW, rank=5, phase=Phase.PRIMARY)

    assert sso_expectation() == (("high", "medium", "low"), ())
    assert [school.name for school in ranked_vacancies(on=ON, bcu=bcu)] == ["Low Primary"]


def test_before_any_run_the_active_models_rule_applies(db):
    ScoringModel.objects.filter(is_active=True).update(sso_expected_bands=["medium"], sso_expected_phases=[])

    assert sso_expectation() == (("medium",), ())


def test_the_vacancies_page_shows_band_and_rank_and_links_to_post_an_officer(manager_client, run, bcu):
    school = _scored(run, bcu, "High One", band=Band.HIGH, rank=1)

    content = manager_client.get(
        reverse("admin:officers_officer_vacancies"), {"bcu": bcu.pk, "on": "01/09/2026"}
    ).content.decode()

    assert '<td class="band band-high">High</td>' in content
    assert f"?school={school.pk}&amp;role=primary&amp;start_date=2026-09-01" in content


def test_vacancies_page_queries_do_not_grow_with_ranked_schools(manager_client, run, bcu):
    from tests.officers.test_admin_reports import _queries

    url = reverse("admin:officers_officer_vacancies")
    _scored(run, bcu, "First", band=Band.HIGH, rank=1)
    with_one = _queries(manager_client, url)
    for rank in range(2, 12):
        _scored(run, bcu, f"School {rank}", band=Band.MEDIUM, rank=rank)

    assert _queries(manager_client, url) == with_one


def test_the_priority_list_calls_only_expected_schools_vacant(manager_client, run, bcu):
    _scored(run, bcu, "High Secondary", band=Band.HIGH, rank=1)
    _scored(run, bcu, "Low Primary", band=Band.LOW, rank=2, phase=Phase.PRIMARY)

    response = manager_client.get(reverse("admin:priorities_priorityscore_changelist"))

    rows = {row.school.name: row for row in response.context["cl"].result_list}
    content = response.content.decode()
    assert content.count("Vacancy") == 1
    assert NO_SSO_EXPECTED in content
    assert set(rows) == {"High Secondary", "Low Primary"}


def test_the_scoring_model_page_sets_which_schools_expect_an_sso(client, standard_model):
    from tests.factories.officers import ForceLeadManagerFactory

    client.force_login(ForceLeadManagerFactory())
    url = reverse("admin:priorities_scoringmodel_change", args=[standard_model.pk])
    page = client.get(url)
    assert "Which schools expect an SSO" in page.content.decode()
    from tests.security.test_url_access_matrix import _admin_form_data

    data = _admin_form_data(page) | {"sso_expected_bands": ["high", "medium"], "sso_expected_phases": ["secondary"]}
    response = client.post(url, data)

    assert response.status_code == 302
    standard_model.refresh_from_db()
    assert (standard_model.sso_expected_bands, standard_model.sso_expected_phases) == (
        ["high", "medium"],
        ["secondary"],
    )
