import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from officers.models import BCU
from priorities.models import PartnerAdvice, PriorityScore, ScoringModel
from priorities.services import recompute_priorities
from schools.models import LocalAuthority, Phase
from tests.factories.officers import (
    BCUFactory,
    OfficerFactory,
    PostingFactory,
)
from tests.factories.priorities import PartnerAdviceFactory
from tests.factories.roles import ADMIN_PAGE_STATUS, ROLE_USERS
from tests.factories.schools import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 20)
PRIORITY_LIST = reverse("admin:priorities_priorityscore_changelist")
EXPORT = reverse("admin:priorities_priorityscore_export")


def _pages(score: PriorityScore) -> dict[str, str]:
    return {
        "priority list": PRIORITY_LIST,
        "csv export": EXPORT,
        "score explanation": reverse("admin:priorities_priorityscore_change", args=[score.pk]),
        "runs": reverse("admin:priorities_priorityrun_changelist"),
        "scoring models": reverse("admin:priorities_scoringmodel_changelist"),
        "scoring model": reverse("admin:priorities_scoringmodel_change", args=[score.run.scoring_model_id]),
        "partner advice": reverse("admin:priorities_partneradvice_changelist"),
        "add partner advice": reverse("admin:priorities_partneradvice_add"),
        "crime aggregates": reverse("admin:priorities_crimeaggregate_changelist"),
        "imports": reverse("admin:priorities_dataimport_changelist"),
    }


@pytest.fixture
def scored(standard_model):
    """Two BCUs of schools, one with a primary SSO, scored once."""
    north, south = BCUFactory(name="North BCU"), BCUFactory(name="South BCU")
    la = LocalAuthorityFactory(name="Northborough")
    covered = SchoolFactory(bcu=north, local_authority=la, name="Covered Academy", phase=Phase.SECONDARY)
    PostingFactory(school=covered, officer=OfficerFactory(first_name="Priya", last_name="Shah"), start_date=AS_OF)
    SchoolFactory(bcu=north, local_authority=la, name="Vacant Primary School", phase=Phase.PRIMARY)
    SchoolFactory(bcu=south, name="Southern High School", phase=Phase.SECONDARY)
    recompute_priorities(as_of=AS_OF)
    return recompute_priorities(as_of=AS_OF)


@pytest.mark.parametrize("role", ROLE_USERS)
def test_access_matrix_for_every_priority_page(client, scored, role):
    user = ROLE_USERS[role]()
    if user:
        client.force_login(user)
    for page, url in _pages(scored.scores.first()).items():
        response = client.get(url)
        assert response.status_code == ADMIN_PAGE_STATUS[role], f"{role} on {page}"
        if ADMIN_PAGE_STATUS[role] == 302:
            assert "/admin/login/" in response["Location"]


def test_priority_list_shows_the_latest_run_ranked_with_sso_or_vacancy(manager_client, scored):
    response = manager_client.get(PRIORITY_LIST)
    rows = list(response.context["cl"].result_list)
    assert {row.run_id for row in rows} == {scored.pk}
    assert len(rows) == 3
    content = response.content.decode()
    assert "Priya Shah" in content and "Vacancy" in content


@pytest.mark.parametrize(
    ("filter_name", "value", "expected"),
    [
        ("bcu__id__exact", lambda: BCU.objects.get(name="North BCU").pk, {"Covered Academy", "Vacant Primary School"}),
        ("school__phase__exact", lambda: Phase.PRIMARY, {"Vacant Primary School"}),
        (
            "school__local_authority__id__exact",
            lambda: LocalAuthority.objects.get(name="Northborough").pk,
            {"Covered Academy", "Vacant Primary School"},
        ),
    ],
)
def test_priority_list_filters_by_bcu_phase_and_local_authority(manager_client, scored, filter_name, value, expected):
    response = manager_client.get(PRIORITY_LIST, {filter_name: value()})
    assert {row.school.name for row in response.context["cl"].result_list} == expected


def test_priority_list_can_show_an_earlier_run(manager_client, scored):
    earlier = scored.scoring_model.runs.order_by("pk").first()
    response = manager_client.get(PRIORITY_LIST, {"run": earlier.pk})
    assert {row.run_id for row in response.context["cl"].result_list} == {earlier.pk}


def _queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(context.captured_queries)


def _more_scored_schools(count: int) -> None:
    bcu = BCUFactory(code="NORTH")
    for school in SchoolFactory.create_batch(count, bcu=bcu):
        PostingFactory(school=school, start_date=AS_OF)
    recompute_priorities(as_of=AS_OF)


@pytest.mark.parametrize("url", [PRIORITY_LIST, EXPORT])
def test_priority_list_and_export_query_count_does_not_grow_with_rows(manager_client, standard_model, url):
    _more_scored_schools(2)
    with_two = _queries(manager_client, url)
    _more_scored_schools(20)
    assert _queries(manager_client, url) == with_two
    # session, user, groups, permissions, latest run, count(s), rows, postings prefetch, filter choices.
    assert with_two <= 20


def test_csv_export_holds_every_filtered_row_with_its_components(manager_client, scored):
    response = manager_client.get(EXPORT, {"school__phase__exact": Phase.SECONDARY})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["School"] for row in rows} == {"Covered Academy", "Southern High School"}
    covered = next(row for row in rows if row["School"] == "Covered Academy")
    score = scored.scores.get(school__name="Covered Academy")
    assert covered["Current SSO"] == "Priya Shah"
    assert Decimal(covered["Total"]) == score.total
    assert Decimal(covered["SSO coverage"]) == score.coverage < 0


def test_score_page_explains_the_rank_component_by_component(manager_client, scored):
    score = scored.scores.get(school__name="Covered Academy")
    response = manager_client.get(reverse("admin:priorities_priorityscore_change", args=[score.pk]))
    content = response.content.decode()
    assert f"Why rank {score.rank_in_bcu} in North BCU?" in content
    for component in ["Crime", "FSM", "Pupils", "Partner advice", "SSO coverage"]:
        assert f"<td>{component}</td>" in content
    assert "Primary SSO in post" in content


def test_score_page_lists_the_partner_advice_it_counted(manager_client, standard_model):
    school = SchoolFactory()
    PartnerAdviceFactory(school=school, adjustment=-1, advised_on=AS_OF, reason="Superseded by later advice.")
    PartnerAdviceFactory(
        school=school,
        adjustment=2,
        advised_on=AS_OF,
        reason="Knife carrying reported at the gates.",
        organisation="police",
    )
    PartnerAdviceFactory(adjustment=1, advised_on=AS_OF, reason="Another school's advice.")
    run = recompute_priorities(as_of=AS_OF)
    score = run.scores.get(school=school)
    content = manager_client.get(reverse("admin:priorities_priorityscore_change", args=[score.pk])).content.decode()
    assert "Knife carrying reported at the gates." in content and "+2" in content
    assert "Superseded by later advice." not in content
    assert "Another school" not in content


def test_school_admin_page_shows_the_latest_score_with_every_component(manager_client, scored):
    score = scored.scores.get(school__name="Covered Academy")
    response = manager_client.get(reverse("admin:schools_school_change", args=[score.school_id]))
    content = response.content.decode()
    assert "Latest priority score" in content
    assert f"Crime {score.crime}; FSM {score.fsm}; Pupils {score.pupils}" in content


def test_editing_a_scoring_model_makes_a_new_version(manager_client, standard_model):
    url = reverse("admin:priorities_scoringmodel_change", args=[standard_model.pk])
    page = manager_client.get(url).context
    form = page["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= _inline_data(page["inline_admin_formsets"][0].formset) | {"fsm_weight": "0.5", "is_active": "on"}
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    standard_model.refresh_from_db()
    assert (standard_model.fsm_weight, standard_model.version) == (Decimal("0.5"), 2)
    assert standard_model.history.first().version == 2


def test_changing_only_a_crime_type_weight_makes_a_new_version(manager_client, standard_model):
    url = reverse("admin:priorities_scoringmodel_change", args=[standard_model.pk])
    page = manager_client.get(url).context
    form = page["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    weights = _inline_data(page["inline_admin_formsets"][0].formset)
    weights["crime_weights-0-weight"] = "9.00"
    assert manager_client.post(url, data | weights | {"is_active": "on"}).status_code == 302
    standard_model.refresh_from_db()
    assert standard_model.version == 2
    assert standard_model.crime_weights.filter(weight=Decimal("9.00")).count() == 1


def test_saving_a_scoring_model_unchanged_keeps_its_version(manager_client, standard_model):
    url = reverse("admin:priorities_scoringmodel_change", args=[standard_model.pk])
    page = manager_client.get(url).context
    form = page["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= _inline_data(page["inline_admin_formsets"][0].formset) | {"is_active": "on"}
    assert manager_client.post(url, data).status_code == 302
    standard_model.refresh_from_db()
    assert standard_model.version == 1


def _inline_data(formset) -> dict:
    prefix = formset.prefix
    data = {
        f"{prefix}-TOTAL_FORMS": len(formset.forms),
        f"{prefix}-INITIAL_FORMS": len(formset.forms),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, form in enumerate(formset.forms):
        data[f"{prefix}-{index}-id"] = form.instance.pk
        data[f"{prefix}-{index}-scoring_model"] = form.instance.scoring_model_id
        data[f"{prefix}-{index}-crime_type"] = form.instance.crime_type
        data[f"{prefix}-{index}-weight"] = form.instance.weight
    return data


def test_a_second_active_scoring_model_is_a_form_error(manager_client, standard_model):
    response = manager_client.post(
        reverse("admin:priorities_scoringmodel_add"),
        {
            "name": "Experimental",
            "is_active": "on",
            "crime_weight": "1",
            "fsm_weight": "1",
            "pupils_weight": "1",
            "advice_weight": "1",
            "coverage_weight": "-1",
            "crime_months": "12",
            "crime_radius_m": "1000",
            "advice_max_age_days": "365",
            "crime_weights-TOTAL_FORMS": "0",
            "crime_weights-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Another scoring model is already active." in response.content.decode()
    assert not ScoringModel.objects.filter(name="Experimental").exists()


def _advice_form(school, adjustment: str) -> dict:
    return {
        "school": school.pk,
        "organisation": "local_authority",
        "adjustment": adjustment,
        "reason": "Council youth team reports rising exclusions.",
        "advised_on": "20/11/2026",
    }


def test_partner_advice_added_in_the_admin_is_authored_by_the_user_and_audited(manager_client, bcu_manager):
    school = SchoolFactory()
    response = manager_client.post(reverse("admin:priorities_partneradvice_add"), _advice_form(school, "2"))
    assert response.status_code == 302
    advice = PartnerAdvice.objects.get()
    assert (advice.author, advice.adjustment, advice.advised_on) == (bcu_manager, 2, AS_OF)
    assert advice.history.get().history_user == bcu_manager


@pytest.mark.parametrize("adjustment", ["3", "-3"])
def test_partner_advice_outside_minus_two_to_plus_two_is_a_form_error(manager_client, adjustment):
    response = manager_client.post(
        reverse("admin:priorities_partneradvice_add"), _advice_form(SchoolFactory(), adjustment)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["adjustment"]
    assert not PartnerAdvice.objects.exists()


def test_partner_advice_changelist_query_count_does_not_grow_with_rows(manager_client):
    url = reverse("admin:priorities_partneradvice_changelist")
    PartnerAdviceFactory.create_batch(2)
    with_two = _queries(manager_client, url)
    PartnerAdviceFactory.create_batch(20)
    assert _queries(manager_client, url) == with_two


def test_csv_export_defuses_spreadsheet_formulas_in_names(manager_client, standard_model):
    SchoolFactory(name="=HYPERLINK(1)")
    recompute_priorities(as_of=AS_OF)
    response = manager_client.get(EXPORT)
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["School"] == "'=HYPERLINK(1)"


def test_score_page_loads_the_score_once(manager_client, scored):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    score = scored.scores.first()
    with CaptureQueriesContext(connection) as ctx:
        response = manager_client.get(reverse("admin:priorities_priorityscore_change", args=[score.pk]))
    assert response.status_code == 200
    score_reads = [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "priorities_priorityscore"."id"')]
    assert len(score_reads) == 1
