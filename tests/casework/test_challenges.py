import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.roles import PortalRoles
from casework import services
from casework.models import ChallengedAgency, ChallengeStage, ChallengeStatus, ProfessionalChallenge, StepKind
from casework.selectors import challenge_counts
from tests.factories.casework import ProfessionalChallengeFactory
from tests.factories.schools import SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _open_form(school, **changes):
    data = {
        "school": school.pk,
        "pupil_reference": "AL-2026-001",
        "agency": ChallengedAgency.SOCIAL_CARE,
        "decision": "Referral closed with no further action.",
        "reason": "The risk is unchanged.",
        **_date("opened_on", TODAY),
    }
    return data | changes


def test_an_sso_of_the_school_opens_a_challenge(client, sso_a, school_a):
    client.force_login(sso_a)
    response = client.post(reverse("casework:challenge-create"), _open_form(school_a))
    assert response.status_code == 302
    challenge = ProfessionalChallenge.objects.get()
    assert (challenge.stage, challenge.status, challenge.opened_by) == (
        ChallengeStage.PRACTITIONER,
        ChallengeStatus.OPEN,
        sso_a,
    )
    assert challenge.steps.get().kind == StepKind.OPENED


def test_a_dsl_opens_a_challenge_and_sees_the_ssos_too(client, dsl_a, sso_a, school_a):
    services.open_challenge(roles=PortalRoles(sso_a), opened_on=TODAY, **_services_fields(school_a))
    client.force_login(dsl_a)
    client.post(reverse("casework:challenge-create"), _open_form(school_a))
    assert client.get(reverse("casework:challenge-list")).context["page"].paginator.count == 2


def _services_fields(school):
    return {
        "school": school,
        "pupil_reference": "AL-2026-001",
        "agency": ChallengedAgency.POLICE,
        "decision": "d",
        "reason": "r",
    }


def test_an_sso_sees_only_the_challenges_they_opened(client, dsl_a, sso_a, school_a):
    services.open_challenge(roles=PortalRoles(dsl_a), opened_on=TODAY, **_services_fields(school_a))
    client.force_login(sso_a)
    assert client.get(reverse("casework:challenge-list")).context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agency": ""}, "agency", "Choose the agency"),
        ({"decision": ""}, "decision", "Describe the decision you disagree with"),
        ({"reason": "x" * 5001}, "reason", "Why you disagree must be 5,000 characters or fewer"),
        (_date("opened_on", TODAY + datetime.timedelta(days=2)), "opened_on", "must be today or in the past"),
        ({"opened_on_day": "", "opened_on_month": "", "opened_on_year": ""}, "opened_on", "Enter the date"),
        ({"pupil_reference": ""}, "pupil_reference", "Enter the pupil reference"),
    ],
)
def test_bad_input_gets_field_messages_and_saves_nothing(client, dsl_a, school_a, changes, field, message):
    client.force_login(dsl_a)
    response = client.post(reverse("casework:challenge-create"), _open_form(school_a, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ProfessionalChallenge.objects.exists()


def test_a_challenge_moves_through_the_stages_with_dated_responses_and_a_resolution(client, dsl_a, school_a):
    challenge = services.open_challenge(
        roles=PortalRoles(dsl_a), opened_on=TODAY - datetime.timedelta(days=9), **_services_fields(school_a)
    )
    client.force_login(dsl_a)
    url = reverse("casework:challenge-detail", args=[challenge.pk])
    day = TODAY - datetime.timedelta(days=8)
    client.post(
        reverse("casework:challenge-respond", args=[challenge.pk]),
        {"response-responder": "Sergeant, custody", "response-summary": "Stands by it.", **_date("response-on", day)},
    )
    for _ in range(2):
        client.post(
            reverse("casework:challenge-escalate", args=[challenge.pk]),
            {"escalate-summary": "No agreement.", **_date("escalate-on", day)},
        )
    assert client.get(url).context["escalation_form"] is None  # the partnership is the last stage
    response = client.post(
        reverse("casework:challenge-resolve", args=[challenge.pk]),
        {"resolve-resolution": "Agreed to review.", **_date("resolve-resolved_on", TODAY)},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.stage, challenge.status, challenge.days_to_resolve) == (
        ChallengeStage.PARTNERSHIP,
        ChallengeStatus.RESOLVED,
        9,
    )
    kinds = list(challenge.steps.values_list("kind", flat=True))
    assert kinds == ["opened", "response", "escalated", "escalated", "resolved"]


def test_escalating_beyond_the_partnership_is_refused(dsl_a, school_a):
    challenge = ProfessionalChallengeFactory(school=school_a, stage=ChallengeStage.PARTNERSHIP)
    with pytest.raises(ValidationError, match="last stage"):
        services.escalate_challenge(challenge=challenge, roles=PortalRoles(dsl_a), on=TODAY, summary="Again")


def test_a_resolved_challenge_takes_no_more_responses(client, dsl_a, school_a):
    challenge = ProfessionalChallengeFactory(school=school_a)
    services.resolve_challenge(challenge=challenge, roles=PortalRoles(dsl_a), on=TODAY, resolution="Done")
    with pytest.raises(ValidationError, match="resolved"):
        services.add_challenge_response(
            challenge=challenge, roles=PortalRoles(dsl_a), on=TODAY, responder="x", summary="y"
        )


def test_a_response_without_who_and_dated_before_the_opening_gets_field_messages(client, dsl_a, school_a):
    challenge = ProfessionalChallengeFactory(school=school_a)
    client.force_login(dsl_a)
    response = client.post(
        reverse("casework:challenge-respond", args=[challenge.pk]),
        {
            "response-responder": "",
            "response-summary": "",
            **_date("response-on", TODAY - datetime.timedelta(days=30)),
        },
    )
    assert response.status_code == 400
    errors = response.context["response_form"].errors
    assert errors["responder"] == ["Enter who responded"]
    assert errors["summary"] == ["Summarise the response"]
    assert challenge.steps.count() == 1


def test_a_resolution_before_the_opening_is_refused(client, dsl_a, school_a):
    challenge = ProfessionalChallengeFactory(school=school_a)
    client.force_login(dsl_a)
    response = client.post(
        reverse("casework:challenge-resolve", args=[challenge.pk]),
        {
            "resolve-resolution": "Done",
            **_date("resolve-resolved_on", challenge.opened_on - datetime.timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "before the challenge was opened" in response.context["resolution_form"].errors["resolved_on"][0]
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.OPEN


def test_another_schools_dsl_cannot_open_or_act_on_a_challenge(client, dsl_b, school_a):
    challenge = ProfessionalChallengeFactory(school=school_a)
    client.force_login(dsl_b)
    assert client.get(reverse("casework:challenge-detail", args=[challenge.pk])).status_code == 404
    response = client.post(
        reverse("casework:challenge-resolve", args=[challenge.pk]),
        {"resolve-resolution": "x", **_date("resolve-resolved_on", TODAY)},
    )
    assert response.status_code == 404


def _resolved(school, *, stage, days, count):
    for _ in range(count):
        challenge = ProfessionalChallengeFactory(
            school=school, stage=stage, opened_on=TODAY - datetime.timedelta(days=days)
        )
        challenge.status, challenge.resolution, challenge.resolved_on = ChallengeStatus.RESOLVED, "Agreed", TODAY
        challenge.save()


def test_counts_by_stage_are_suppressed_below_five(manager, school_a):
    _resolved(school_a, stage=ChallengeStage.PRACTITIONER, days=10, count=6)
    _resolved(school_a, stage=ChallengeStage.MANAGER, days=20, count=2)
    _resolved(school_a, stage=ChallengeStage.PARTNERSHIP, days=30, count=1)
    ProfessionalChallengeFactory.create_batch(5, school=school_a)
    rows, total = challenge_counts(viewer=PortalRoles(manager))
    by_stage = {row.stage: row for row in rows}
    assert by_stage["practitioner"].resolved == 6 and by_stage["practitioner"].median_days_to_resolve == 10
    assert by_stage["manager"].resolved == "c" and by_stage["manager"].median_days_to_resolve == "c"
    assert by_stage["partnership"].resolved == "c"
    assert by_stage["practitioner"].open == 5
    assert total.resolved == 9


def test_a_single_small_cell_hides_another_so_it_cannot_be_worked_out_from_the_total(manager, school_a):
    _resolved(school_a, stage=ChallengeStage.PRACTITIONER, days=10, count=6)
    _resolved(school_a, stage=ChallengeStage.MANAGER, days=20, count=2)
    rows, total = challenge_counts(viewer=PortalRoles(manager))
    assert [row.resolved for row in rows] == ["c", "c", 0]
    assert total.resolved == 8


def test_a_council_reader_counts_only_their_local_authoritys_schools(client, council_reader, school_a):
    _resolved(school_a, stage=ChallengeStage.PRACTITIONER, days=4, count=5)
    _resolved(SchoolFactory(), stage=ChallengeStage.PRACTITIONER, days=4, count=7)
    client.force_login(council_reader)
    response = client.get(reverse("casework:challenge-statistics"))
    assert response.context["total"].resolved == 5
    assert b"Fictional decision" not in response.content


def test_the_statistics_page_has_a_bounded_number_of_queries(client, manager, school_a, django_assert_max_num_queries):
    client.force_login(manager)
    url = reverse("casework:challenge-statistics")
    client.get(url)
    _resolved(school_a, stage=ChallengeStage.MANAGER, days=3, count=5)
    # Session, user, groups, MFA device, DSL and officer links, the challenges' stages and dates, the
    # session saved.
    with django_assert_max_num_queries(10):
        client.get(url)


def test_the_challenge_list_has_a_bounded_number_of_queries(client, dsl_a, school_a, django_assert_max_num_queries):
    client.force_login(dsl_a)
    url = reverse("casework:challenge-list")
    client.get(url)
    ProfessionalChallengeFactory.create_batch(4, school=school_a)
    # Session, user, MFA device, the DSL's schools, the officer link and postings, count, page with
    # school and pupil joined, the session saved.
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4


def test_an_escalation_without_a_reason_or_date_gets_field_messages_and_stays_at_its_stage(client, dsl_a, school_a):
    challenge = ProfessionalChallengeFactory(school=school_a)
    client.force_login(dsl_a)
    response = client.post(reverse("casework:challenge-escalate", args=[challenge.pk]), {"escalate-summary": ""})
    assert response.status_code == 400
    errors = response.context["escalation_form"].errors
    assert errors["on"] == ["Enter the date the challenge was escalated"]
    assert errors["summary"] == ["Say why the challenge is escalated"]
    challenge.refresh_from_db()
    assert challenge.stage == ChallengeStage.PRACTITIONER
