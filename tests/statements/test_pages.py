"""The statement's pages: the DSL drafts, the head teacher signs, anyone reads the published one."""

import datetime

import pytest
from django.urls import reverse

from schools.models import DSLRole
from statements.models import SafeguardingStatement
from tests.factories.officers import UserFactory
from tests.factories.schools import DSLContactFactory, SchoolFactory
from tests.factories.statements import SECTIONS_TEXT, DraftStatementFactory, SignedStatementFactory

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_dsl_saves_a_draft_and_is_sent_to_it(client, school, dsl):
    response = _signed_in(client, dsl).post(reverse("statements:draft", args=[school.pk]), SECTIONS_TEXT)
    draft = SafeguardingStatement.objects.get()
    assert response.status_code == 302 and response.url == reverse("statements:version", args=[draft.pk])


def test_a_new_draft_form_starts_from_the_statement_in_force(client, school, dsl):
    SignedStatementFactory(school=school, commitment="Our signed commitment")
    page = _signed_in(client, dsl).get(reverse("statements:draft", args=[school.pk])).content.decode()
    assert "Our signed commitment" in page


def test_a_too_long_part_gets_a_plain_message_and_nothing_is_saved(client, school, dsl):
    data = SECTIONS_TEXT | {"commitment": "x" * 200_000}
    page = _signed_in(client, dsl).post(reverse("statements:draft", args=[school.pk]), data).content.decode()
    assert "Our commitment must be 10,000 characters or fewer" in page
    assert not SafeguardingStatement.objects.exists()


def test_the_draft_form_states_the_length_limit(client, school, dsl):
    page = _signed_in(client, dsl).get(reverse("statements:draft", args=[school.pk])).content.decode()
    assert "10,000 characters or fewer" in page


def test_another_schools_draft_page_does_not_exist_for_a_dsl(client, dsl):
    response = _signed_in(client, dsl).get(reverse("statements:draft", args=[SchoolFactory().pk]))
    assert response.status_code == 404


def test_the_head_teacher_has_no_draft_form(client, school, head):
    assert _signed_in(client, head).get(reverse("statements:draft", args=[school.pk])).status_code == 404


def test_the_head_teacher_signs_and_publishes(client, school, head):
    draft = DraftStatementFactory(school=school)
    response = _signed_in(client, head).post(
        reverse("statements:sign", args=[draft.pk]),
        {"sign-signatory_name": "Morgan Ashby", "sign-confirm": "on", "sign-publish": "on"},
    )
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.is_signed and draft.is_published
    assert draft.signed_by == head and not draft.shows_signatory_name


def test_signing_without_confirming_gets_a_field_message_and_signs_nothing(client, school, head):
    draft = DraftStatementFactory(school=school)
    page = (
        _signed_in(client, head)
        .post(reverse("statements:sign", args=[draft.pk]), {"sign-signatory_name": "Morgan Ashby"})
        .content.decode()
    )
    assert "Confirm that you have read the statement" in page and 'href="#id_sign-confirm"' in page
    draft.refresh_from_db()
    assert not draft.is_signed


def test_signing_an_unfinished_draft_names_the_empty_part(client, school, head):
    draft = DraftStatementFactory(school=school, measures_in_place="")
    page = (
        _signed_in(client, head)
        .post(reverse("statements:sign", args=[draft.pk]), {"sign-signatory_name": "M A", "sign-confirm": "on"})
        .content.decode()
    )
    assert "Enter measures in place before the statement is signed" in page
    draft.refresh_from_db()
    assert not draft.is_signed


def test_a_dsl_cannot_sign(client, school, dsl):
    draft = DraftStatementFactory(school=school)
    response = _signed_in(client, dsl).post(
        reverse("statements:sign", args=[draft.pk]), {"sign-signatory_name": "D", "sign-confirm": "on"}
    )
    assert response.status_code == 403


def test_the_dsl_takes_the_statement_off_the_public_page(client, school, dsl):
    statement = SignedStatementFactory(school=school, is_published=True)
    _signed_in(client, dsl).post(reverse("statements:publication", args=[statement.pk]), {})
    statement.refresh_from_db()
    assert not statement.is_published


def test_the_public_page_needs_no_login_and_shows_the_signed_text(client, school):
    SignedStatementFactory(school=school, commitment="We keep children safe", shows_signatory_name=False)
    page = client.get(reverse("statements:public", args=[school.urn])).content.decode()
    assert "We keep children safe" in page and "Morgan Ashby" not in page


def test_the_public_page_names_the_signatory_when_the_school_chooses(client, school):
    SignedStatementFactory(school=school, shows_signatory_name=True)
    assert "Morgan Ashby" in client.get(reverse("statements:public", args=[school.urn])).content.decode()


def test_the_public_page_never_shows_a_draft(client, school):
    SignedStatementFactory(school=school, version=1, commitment="Signed text")
    DraftStatementFactory(school=school, version=2, commitment="Draft text")
    page = client.get(reverse("statements:public", args=[school.urn])).content.decode()
    assert "Signed text" in page and "Draft text" not in page


@pytest.mark.parametrize("published", [False, None])
def test_no_public_page_without_a_published_statement(client, school, published):
    if published is not None:
        SignedStatementFactory(school=school, is_published=published)
    assert client.get(reverse("statements:public", args=[school.urn])).status_code == 404


def test_the_overview_lists_every_signed_version(client, school, dsl):
    for version in (1, 2, 3):
        SignedStatementFactory(school=school, version=version)
    page = _signed_in(client, dsl).get(reverse("statements:overview")).content.decode()
    assert all(f"Version {version}</a>" in page for version in (1, 2, 3))


def test_the_overview_warns_when_the_review_is_due(client, school, dsl):
    SignedStatementFactory(school=school, signed_on=datetime.date(2024, 1, 1))
    assert "due for its yearly review" in _signed_in(client, dsl).get(reverse("statements:overview")).content.decode()


def test_a_login_without_a_school_gets_no_statement_pages(client):
    assert _signed_in(client, UserFactory()).get(reverse("statements:overview")).status_code == 403


def test_the_head_teacher_lands_on_the_statement(client, head):
    response = _signed_in(client, head).get(reverse("safeguarding:dashboard"))
    assert response.status_code == 302 and response.url == reverse("statements:overview")


def test_the_overview_queries_are_bounded(client, school, dsl, head, django_assert_max_num_queries):
    for _ in range(5):  # the DSL's other schools, each with a statement
        other = SchoolFactory()
        DSLContactFactory(school=other, user=dsl, role=DSLRole.DEPUTY)
        SignedStatementFactory(school=other, version=1)
    for version in range(1, 6):
        SignedStatementFactory(school=school, version=version)
    DraftStatementFactory(school=school, version=6)
    _signed_in(client, dsl)
    client.get(reverse("statements:overview"))
    # session, user, MFA device, DSL schools, head teacher schools, schools, statements, and the
    # middleware's own reads.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("statements:overview"))
    assert response.status_code == 200


def test_a_head_teachers_menu_offers_their_reports_and_tasks_not_concerns(client, head):
    response = _signed_in(client, head).get(reverse("statements:overview"))

    assert reverse("safeguarding:staff-reports") in response.content.decode()
    assert reverse("safeguarding:concern-list") not in response.content.decode()
