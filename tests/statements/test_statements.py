"""A school's child safeguarding statement: drafted by its DSL, signed off by its head teacher,
every signed version kept read-only, a new draft starting from the last signed one."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from access.roles import PortalRoles
from statements.models import SECTIONS, SafeguardingStatement
from statements.services import save_draft, set_publication, sign_statement
from tests.factories.schools import SchoolFactory
from tests.factories.statements import SECTIONS_TEXT, DraftStatementFactory, SignedStatementFactory

pytestmark = pytest.mark.django_db


def _sign(head, statement, *, on=datetime.date(2026, 12, 6), publish=True, show_name=False):
    return sign_statement(
        roles=PortalRoles(head),
        statement=statement,
        signatory_name="Morgan Ashby",
        publish=publish,
        show_signatory_name=show_name,
        on=on,
    )


def test_the_dsls_first_draft_is_version_1_and_based_on_nothing(school, dsl):
    draft = save_draft(roles=PortalRoles(dsl), school=school, sections=SECTIONS_TEXT)
    assert (draft.version, draft.status, draft.based_on, draft.drafted_by) == (1, "draft", None, dsl)


def test_saving_again_changes_the_one_draft(school, dsl):
    first = save_draft(roles=PortalRoles(dsl), school=school, sections=SECTIONS_TEXT)
    again = save_draft(roles=PortalRoles(dsl), school=school, sections=SECTIONS_TEXT | {"commitment": "Changed"})
    assert again.pk == first.pk and SafeguardingStatement.objects.get().commitment == "Changed"


def test_a_new_draft_follows_the_last_signed_version(school, dsl, head):
    signed = _sign(head, save_draft(roles=PortalRoles(dsl), school=school, sections=SECTIONS_TEXT))
    draft = save_draft(roles=PortalRoles(dsl), school=school, sections=SECTIONS_TEXT)
    assert (draft.version, draft.based_on) == (2, signed)


def test_a_head_teacher_cannot_draft(school, head):
    with pytest.raises(PermissionDenied):
        save_draft(roles=PortalRoles(head), school=school, sections=SECTIONS_TEXT)


def test_signing_sets_the_signature_and_the_review_a_year_on(school, dsl, head):
    signed = _sign(head, DraftStatementFactory(school=school), on=datetime.date(2026, 12, 6))
    assert signed.is_signed and signed.signed_by == head and signed.signatory_name == "Morgan Ashby"
    assert signed.review_due_on == datetime.date(2027, 12, 6)


def test_a_dsl_cannot_sign_their_own_draft(school, dsl):
    with pytest.raises(PermissionDenied):
        _sign(dsl, DraftStatementFactory(school=school))


def test_another_schools_head_teacher_cannot_sign(school, head):
    with pytest.raises(PermissionDenied):
        _sign(head, DraftStatementFactory(school=SchoolFactory()))


def test_a_statement_with_an_empty_part_is_not_signed(school, head):
    draft = DraftStatementFactory(school=school, risks_to_children="  ")
    with pytest.raises(ValidationError) as error:
        _sign(head, draft)
    assert "risks_to_children" in error.value.message_dict
    assert not SafeguardingStatement.objects.signed().exists()


def test_a_signed_statement_cannot_be_changed(school):
    signed = SignedStatementFactory(school=school)
    signed.commitment = "Rewritten after signing"
    with pytest.raises(ValidationError, match="cannot be changed"):
        signed.full_clean()


def test_a_signed_statements_publication_can_change(school):
    signed = SignedStatementFactory(school=school, is_published=False)
    signed.is_published = True
    signed.full_clean()


def test_a_signed_statement_cannot_be_signed_again(school, head):
    with pytest.raises(ValidationError, match="already signed"):
        _sign(head, SignedStatementFactory(school=school))


def test_every_signed_version_is_kept(school, dsl, head):
    for _ in range(3):
        _sign(head, save_draft(roles=PortalRoles(dsl), school=school, sections=SECTIONS_TEXT))
    assert list(SafeguardingStatement.objects.signed().values_list("version", flat=True)) == [3, 2, 1]


def test_the_signatory_name_is_shown_only_when_published(school, head):
    signed = _sign(head, DraftStatementFactory(school=school), publish=False, show_name=True)
    assert not signed.shows_signatory_name


def test_only_the_latest_signed_version_can_be_published(school, dsl):
    older = SignedStatementFactory(school=school, version=1, is_published=False)
    SignedStatementFactory(school=school, version=2)
    with pytest.raises(ValidationError, match="latest"):
        set_publication(roles=PortalRoles(dsl), statement=older, publish=True, show_signatory_name=False)


def test_the_public_statement_is_the_latest_signed_if_published(school):
    SignedStatementFactory(school=school, version=1, is_published=True)
    latest = SignedStatementFactory(school=school, version=2, is_published=True)
    DraftStatementFactory(school=school, version=3)
    assert SafeguardingStatement.objects.published_for(school) == latest


def test_an_unpublished_latest_version_takes_the_older_one_down(school):
    SignedStatementFactory(school=school, version=1, is_published=True)
    SignedStatementFactory(school=school, version=2, is_published=False)
    assert SafeguardingStatement.objects.published_for(school) is None


def test_statements_are_visible_to_the_schools_dsls_and_head_teacher_only(school, dsl, head):
    statement = SignedStatementFactory(school=school)
    other = SignedStatementFactory(school=SchoolFactory())
    for user in (dsl, head):
        assert list(SafeguardingStatement.objects.visible_to(PortalRoles(user))) == [statement]
    assert other not in SafeguardingStatement.objects.visible_to(PortalRoles(dsl))


def test_the_sections_read_in_order(school):
    statement = SignedStatementFactory(school=school)
    assert [heading for heading, _ in statement.sections] == [
        SafeguardingStatement._meta.get_field(name).verbose_name for name in SECTIONS
    ]
