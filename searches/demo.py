"""Fictional demo searches and pupil census figures for the two demo boroughs.

About 160 searches over the last year by the demo SSOs, mostly of outer clothing, with a
handful of searches exposing intimate parts and strip searches in custody: some with a
referral recorded, some still "referral due". Every record goes through
``record_search``, so the demo obeys the same rules as real data. Records are keyed by
their reference (DEMO-SR-nnnn) and never updated, so a second run creates nothing.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from officers.demo import DEMO_MANAGER_USERNAME
from officers.models import Officer, OfficerRole, Posting, Rank
from schools.models import LocalAuthority

from .models import (
    AppropriateAdultRole,
    BodyWornVideo,
    EthnicGroup,
    Gender,
    LegalPower,
    Outcome,
    PupilPopulation,
    SearchRecord,
    SearchStatus,
    SearchType,
    Section60Authorisation,
    StatutoryException,
    broad_group,
)
from .services import record_search, record_section_60

SEARCH_COUNT = 160
CENSUS_YEAR = 2026

# Share of pupils (%) per self-defined ethnicity in both fictional boroughs (sums to 100).
PUPIL_MIX = {
    "W1": 31.0,
    "W2": 1.0,
    "W3": 0.4,
    "W4": 0.6,
    "W9": 10.0,
    "B1": 12.0,
    "B2": 5.0,
    "B9": 2.0,
    "A1": 5.0,
    "A2": 4.0,
    "A3": 6.0,
    "A4": 1.5,
    "A9": 3.0,
    "M1": 3.0,
    "M2": 2.0,
    "M3": 2.5,
    "M9": 3.0,
    "O1": 1.5,
    "O9": 3.0,
    "NS": 3.5,
}
PUPILS = {"E09000901": 38400, "E09000902": 31250}

# Weights for the people searched: Black children over-represented, as national data shows.
SEARCHED_MIX = {**PUPIL_MIX, "B1": 24.0, "B2": 12.0, "B9": 4.0, "M1": 6.0}
SEARCH_TYPES = [
    (SearchType.OUTER_CLOTHING, 70),
    (SearchType.MORE_THOROUGH, 19),
    (SearchType.INTIMATE_PARTS, 7),
    (SearchType.STRIP_IN_CUSTODY, 4),
]
OUTCOMES = [
    (Outcome.NO_FURTHER_ACTION, 68),
    (Outcome.COMMUNITY_RESOLUTION, 10),
    (Outcome.CANNABIS_WARNING, 6),
    (Outcome.ARREST, 11),
    (Outcome.SUMMONS, 3),
    (Outcome.OTHER, 2),
]
STREET_POWERS = [
    (LegalPower.MISUSE_OF_DRUGS_S23, 60),
    (LegalPower.PACE_S1, 30),
    (LegalPower.CJPOA_S60, 6),
    (LegalPower.FIREARMS_S47, 4),
]
REASONS = [
    "Member of staff reported a strong smell of cannabis.",
    "Pupil reported seeing a knife in a bag.",
    "Information that stolen phones were being passed on.",
    "Suspected possession of a controlled drug following a report from a parent.",
    "Reported carrying a bladed article near the school gates.",
]
NO_VIDEO_REASONS = ["Camera battery ran out during the shift.", "Camera not issued on this shift.", "Camera failed."]
S60_AREAS = ["Streets around the bus station", "Riverside park and the estate beside it", "The high street and market"]
AWAY_FROM_SCHOOL = ["Bus station near the school", "Park next to the school", "High street shops"]
CUSTODY = "Custody suite, demo police station"
AUTHORISERS = [
    ("Insp. Priya Lawson", "IN5120", Rank.INSPECTOR),
    ("Ch Insp. Marcus Hale", "CI3307", Rank.CHIEF_INSPECTOR),
    ("Insp. Owen Brierley", "IN5188", Rank.INSPECTOR),
]
ADULTS = [
    ("Parent of the child", AppropriateAdultRole.PARENT_OR_GUARDIAN),
    ("Duty social worker", AppropriateAdultRole.SOCIAL_WORKER),
    ("Volunteer appropriate adult", AppropriateAdultRole.TRAINED_VOLUNTEER),
]


def _pick(rng: random.Random, weighted: list[tuple]) -> object:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def _load_pupil_population() -> int:
    created = 0
    for la in LocalAuthority.objects.filter(gss_code__in=PUPILS):
        for code, percent in PUPIL_MIX.items():
            _, was_created = PupilPopulation.objects.get_or_create(
                local_authority=la,
                year=CENSUS_YEAR,
                ethnicity=code,
                defaults={"pupil_count": round(PUPILS[la.gss_code] * percent / 100)},
            )
            created += was_created
    return created


def _search_fields(rng: random.Random, number: int, officer: Officer, schools: list, today: datetime.date) -> dict:
    """Fields of one fictional search; every random draw happens here, whether or not it is saved."""
    search_type = _pick(rng, SEARCH_TYPES)
    day = today - datetime.timedelta(days=rng.randint(1, 360))
    moment = datetime.datetime.combine(
        day,
        datetime.time(rng.randint(8, 17), rng.choice([0, 10, 20, 30, 40, 50])),
        tzinfo=timezone.get_current_timezone(),
    )
    ethnicity = rng.choices(list(SEARCHED_MIX), weights=list(SEARCHED_MIX.values()))[0]
    observed = broad_group(ethnicity) if rng.random() < 0.85 else rng.choice(EthnicGroup.values)
    school = rng.choice(schools) if schools else None
    fields = {
        "reference": f"DEMO-SR-{number:04d}",
        "officer": officer,
        "school": school,
        "location": "" if school else rng.choice(AWAY_FROM_SCHOOL),
        "searched_at": moment,
        "legal_power": _pick(rng, STREET_POWERS),
        "search_type": search_type,
        "child_age": rng.choices([11, 12, 13, 14, 15, 16, 17, 18], weights=[3, 5, 9, 14, 18, 16, 10, 3])[0],
        "self_defined_ethnicity": ethnicity,
        "officer_observed_ethnicity": observed,
        "gender": rng.choices(Gender.values, weights=[18, 78, 2, 2])[0],
        "reason": rng.choice(REASONS),
        "outcome": _pick(rng, OUTCOMES),
        "parent_or_carer_informed": rng.random() < 0.9,
        "school_dsl_informed": school is not None and rng.random() < 0.85,
    }
    # Body-worn video: nearly every search; the few without carry their reason.
    if rng.random() < 0.97:
        fields["body_worn_video"] = BodyWornVideo.RECORDED
    else:
        fields.update(body_worn_video=BodyWornVideo.NOT_RECORDED, body_worn_video_reason=rng.choice(NO_VIDEO_REASONS))
    age_in_days = (today - day).days
    follow_up_draws = (rng.random(), rng.randint(1, 6), rng.random(), rng.randint(1, 5), rng.choice(AUTHORISERS))
    notification_draw = (rng.random(), rng.choice(S60_AREAS))
    if fields["outcome"] in (Outcome.ARREST, Outcome.SUMMONS, Outcome.CANNABIS_WARNING):
        fields["items_found"] = "Small quantity of suspected cannabis."
    if search_type in (SearchType.INTIMATE_PARTS, SearchType.STRIP_IN_CUSTODY):
        name, collar, rank = rng.choice(AUTHORISERS)
        fields.update(authorising_officer_name=name, authorising_officer_number=collar, authorising_officer_rank=rank)
        if search_type == SearchType.STRIP_IN_CUSTODY:
            fields.update(school=None, location=CUSTODY, legal_power=LegalPower.PACE_S54, school_dsl_informed=False)
        if rng.random() < 0.15:
            fields.update(
                statutory_exception=StatutoryException.URGENT_RISK_OF_SERIOUS_HARM,
                statutory_exception_reason="Information that a blade was concealed; immediate risk of serious harm.",
            )
        else:
            adult_name, adult_role = rng.choice(ADULTS)
            fields.update(
                appropriate_adult_present=True, appropriate_adult_name=adult_name, appropriate_adult_role=adult_role
            )
        # Older searches mostly have their referral recorded; recent ones are often still due.
        if rng.random() < (0.9 if (today - day).days > 30 else 0.3):
            fields["referral_reference"] = f"DEMO-MASH-{number:04d}"
    elif search_type == SearchType.MORE_THOROUGH and rng.random() < 0.7:
        adult_name, adult_role = rng.choice(ADULTS)
        fields.update(
            appropriate_adult_present=True, appropriate_adult_name=adult_name, appropriate_adult_role=adult_role
        )
    if fields["child_age"] < 18 and search_type != SearchType.OUTER_CLOTHING:
        _add_follow_up_and_review(fields, day, today, age_in_days, follow_up_draws)
    if fields["legal_power"] == LegalPower.CJPOA_S60:
        fields["section_60"] = _section_60_for(fields, officer, moment, notification_draw)
    # Older records are closed once nothing is outstanding.
    due = fields["search_type"] in (SearchType.INTIMATE_PARTS, SearchType.STRIP_IN_CUSTODY) and not fields.get(
        "referral_reference"
    )
    if age_in_days > 30 and not due and (fields.get("follow_up_completed_on") or "follow_up_by" not in fields):
        fields["status"] = SearchStatus.CLOSED
    return fields


def _add_follow_up_and_review(fields: dict, day, today, age_in_days: int, draws) -> None:
    """The trauma-informed follow-up (due a week after the search; done for most older searches)
    and the Inspector's review (done for most searches older than a week)."""
    done_draw, done_after, review_draw, review_after, (reviewer, collar, rank) = draws
    fields.update(follow_up_by="The SSO, with the school's DSL", follow_up_due_on=day + datetime.timedelta(days=7))
    if age_in_days > 14 and done_draw < 0.85:
        fields.update(
            follow_up_offered="A meeting with the SSO and a parent; a youth worker's support offered.",
            follow_up_outcome="Met with a parent present; the child accepted the youth worker's support.",
            follow_up_completed_on=min(today, day + datetime.timedelta(days=done_after)),
        )
    if age_in_days > 7 and review_draw < 0.85:
        fields.update(
            reviewed_by_name=reviewer,
            reviewed_by_number=collar,
            reviewed_by_rank=rank,
            reviewed_on=min(today, day + datetime.timedelta(days=review_after)),
            review_notes="Grounds and conduct of the search reviewed with the officer.",
        )


def _section_60_for(fields: dict, officer: Officer, moment: datetime.datetime, draw) -> Section60Authorisation:
    """The section 60 authorisation a demo search under section 60 was made in."""
    notified, area = draw
    name, collar, rank = AUTHORISERS[0]
    start = moment - datetime.timedelta(hours=2)
    notice = (
        {
            "community_notified_at": start - datetime.timedelta(hours=20),
            "community_notified_to": "The ward's safer neighbourhood panel and the council's community safety team",
        }
        if notified < 0.85
        else {"notification_not_practicable_reason": "Authorised within the hour after a stabbing nearby."}
    )
    area = f"{area} ({fields['reference']})"
    existing = Section60Authorisation.objects.filter(bcu=officer.bcu, area=area).first()
    if existing is not None:
        return existing
    return record_section_60(
        recorded_by=get_user_model().objects.get(username=DEMO_MANAGER_USERNAME),
        bcu=officer.bcu,
        area=area,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=10),
        grounds="Serious violence reported in the area the day before.",
        authorising_officer_name=name,
        authorising_officer_number=collar,
        authorising_officer_rank=rank,
        **notice,
    )


def load_demo_searches(rng: random.Random) -> dict[str, int]:
    """Create the demo pupil census and search records; return counts created."""
    created = {"pupil population rows": _load_pupil_population(), "search records": 0}
    manager = get_user_model().objects.get(username=DEMO_MANAGER_USERNAME)
    officers = list(Officer.objects.filter(role=OfficerRole.SSO).order_by("collar_number"))
    schools_of: dict[int, list] = {officer.pk: [] for officer in officers}
    for posting in Posting.objects.current().select_related("school").order_by("school__urn"):
        schools_of.setdefault(posting.officer_id, []).append(posting.school)
    existing = set(SearchRecord.objects.filter(reference__startswith="DEMO-SR-").values_list("reference", flat=True))
    today = timezone.localdate()
    for number in range(1, SEARCH_COUNT + 1):
        officer = rng.choice(officers)
        fields = _search_fields(rng, number, officer, schools_of[officer.pk], today)
        if fields["reference"] in existing:
            continue
        record_search(recorded_by=manager, **fields)
        created["search records"] += 1
    return created
