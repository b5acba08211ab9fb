"""Searches of children by officers, recorded for accountability (the Child Q reforms).

Every rule about what a record must hold lives in ``searches.services``; this module holds
the data, the vocabularies and the querysets that name the record sets the rules talk about.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from access.roles import Viewer
from core.lookups import id_set
from officers.models import Rank

# Under this age a person is a child (Children Act 1989), and the intimate-search rules apply.
ADULT_AGE = 18


class EthnicGroup(models.TextChoices):
    """The five broad census groups plus "Not stated" (the 5+1 used for officer-observed ethnicity)."""

    ASIAN = "A", "Asian or Asian British"
    BLACK = "B", "Black, Black British, Caribbean or African"
    MIXED = "M", "Mixed or multiple ethnic groups"
    WHITE = "W", "White"
    OTHER = "O", "Other ethnic group"
    NOT_STATED = "NS", "Not stated"


class SelfDefinedEthnicity(models.TextChoices):
    """Self-defined ethnicity: the 19 categories of the 2021 census (England and Wales) plus "Not stated".

    Police forces call this the "18+1" classification (the 2011 census had 18 categories;
    2021 added White: Roma). The code's first letter is the broad group (``EthnicGroup``).
    """

    ASIAN_INDIAN = "A1", "Asian: Indian"
    ASIAN_PAKISTANI = "A2", "Asian: Pakistani"
    ASIAN_BANGLADESHI = "A3", "Asian: Bangladeshi"
    ASIAN_CHINESE = "A4", "Asian: Chinese"
    ASIAN_OTHER = "A9", "Asian: any other Asian background"
    BLACK_AFRICAN = "B1", "Black: African"
    BLACK_CARIBBEAN = "B2", "Black: Caribbean"
    BLACK_OTHER = "B9", "Black: any other Black, Black British or Caribbean background"
    MIXED_WHITE_BLACK_CARIBBEAN = "M1", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "M2", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "M3", "Mixed: White and Asian"
    MIXED_OTHER = "M9", "Mixed: any other Mixed or multiple ethnic background"
    WHITE_BRITISH = "W1", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "W2", "White: Irish"
    WHITE_GYPSY_IRISH_TRAVELLER = "W3", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "W4", "White: Roma"
    WHITE_OTHER = "W9", "White: any other White background"
    OTHER_ARAB = "O1", "Other ethnic group: Arab"
    OTHER_ANY = "O9", "Other ethnic group: any other ethnic group"
    NOT_STATED = "NS", "Not stated"


def broad_group(self_defined: str) -> str:
    """The ``EthnicGroup`` value a self-defined (18+1) code belongs to."""
    return EthnicGroup.NOT_STATED if self_defined == SelfDefinedEthnicity.NOT_STATED else self_defined[0]


class SearchType(models.TextChoices):
    OUTER_CLOTHING = "outer", "Outer clothing only"
    MORE_THOROUGH = "more_thorough", "More thorough search"
    INTIMATE_PARTS = "eip", "Search exposing intimate parts"
    STRIP_IN_CUSTODY = "strip", "Strip search in custody"


# Searches that expose a child's intimate parts: authorisation, an appropriate adult and a
# safeguarding referral are all mandatory for these.
INTIMATE_SEARCH_TYPES = (SearchType.INTIMATE_PARTS, SearchType.STRIP_IN_CUSTODY)


class LegalPower(models.TextChoices):
    PACE_S1 = "pace_s1", "PACE 1984 s.1 (stolen or prohibited articles)"
    MISUSE_OF_DRUGS_S23 = "mda_s23", "Misuse of Drugs Act 1971 s.23"
    FIREARMS_S47 = "firearms_s47", "Firearms Act 1968 s.47"
    CJPOA_S60 = "cjpoa_s60", "Criminal Justice and Public Order Act 1994 s.60"
    PACE_S32 = "pace_s32", "PACE 1984 s.32 (search on arrest)"
    PACE_S54 = "pace_s54", "PACE 1984 s.54 (search in custody)"
    OTHER = "other", "Other power"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other / self-described"
    NOT_STATED = "not_stated", "Not stated"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    COMMUNITY_RESOLUTION = "community_resolution", "Community resolution"
    CANNABIS_WARNING = "cannabis_warning", "Cannabis or khat warning"
    PENALTY_NOTICE = "penalty_notice", "Penalty notice"
    SUMMONS = "summons", "Summons or postal requisition"
    ARREST = "arrest", "Arrest"
    OTHER = "other", "Other outcome"


class AppropriateAdultRole(models.TextChoices):
    PARENT_OR_GUARDIAN = "parent", "Parent or guardian"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TRAINED_VOLUNTEER = "volunteer", "Trained appropriate adult volunteer"
    OTHER_RESPONSIBLE_ADULT = "other", "Other responsible adult (not police)"


class StatutoryException(models.TextChoices):
    """When a child's strip search may proceed without the appropriate adult (PACE Code C Annex A para 11(c))."""

    URGENT_RISK_OF_SERIOUS_HARM = "urgent_risk", "Urgency: risk of serious harm to the child or others"
    # The child said, in the appropriate adult's presence, that they prefer the adult not to be
    # present during the search, and the adult agreed: the adult must still be named.
    CHILD_CHOSE_ABSENCE_WITH_AGREEMENT = (
        "child_chose",
        "The child asked, in the appropriate adult's presence, for the search without them, and the adult agreed",
    )


class BodyWornVideo(models.TextChoices):
    RECORDED = "recorded", "Recorded on body-worn video"
    NOT_RECORDED = "not_recorded", "Not recorded"


class SearchStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AgeBand(models.TextChoices):
    UNDER_10 = "under_10", "Under 10"
    AGE_10_12 = "10_12", "10 to 12"
    AGE_13_15 = "13_15", "13 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    ADULT = "18_plus", "18 and over"


# (band, lowest age in it), youngest first; the band of an age is the last one it reaches.
AGE_BAND_STARTS = [
    (AgeBand.UNDER_10, 0),
    (AgeBand.AGE_10_12, 10),
    (AgeBand.AGE_13_15, 13),
    (AgeBand.AGE_16_17, 16),
    (AgeBand.ADULT, ADULT_AGE),
]


def age_band_expression() -> models.Case:
    """A database expression giving the ``AgeBand`` of ``child_age``, for grouping in one query."""
    return models.Case(
        *[
            models.When(child_age__gte=start, then=models.Value(band.value))
            for band, start in reversed(AGE_BAND_STARTS)
        ],
        output_field=models.CharField(),
    )


class SearchRecordQuerySet(models.QuerySet):
    def of_children(self) -> SearchRecordQuerySet:
        return self.filter(child_age__lt=ADULT_AGE)

    def intimate(self) -> SearchRecordQuerySet:
        """Searches exposing intimate parts, and strip searches in custody."""
        return self.filter(search_type__in=INTIMATE_SEARCH_TYPES)

    def referral_due(self) -> SearchRecordQuerySet:
        """Intimate searches of children still without a safeguarding referral reference."""
        return self.of_children().intimate().filter(referral_reference="")

    def beyond_outer_clothing(self) -> SearchRecordQuerySet:
        """Searches of children beyond outer clothing: each needs a trauma-informed follow-up
        action and a supervisor's review."""
        return self.of_children().exclude(search_type=SearchType.OUTER_CLOTHING)

    def follow_up_due(self) -> SearchRecordQuerySet:
        """Searches of children beyond outer clothing whose follow-up action is set and not done.
        (Records made before follow-ups were tracked have no due date, and are not chased.)"""
        return self.beyond_outer_clothing().filter(follow_up_due_on__isnull=False, follow_up_completed_on__isnull=True)

    def review_due(self) -> SearchRecordQuerySet:
        """Searches of children beyond outer clothing that no Inspector or above has reviewed."""
        return self.beyond_outer_clothing().filter(reviewed_on__isnull=True)

    def of_officer(self, officer) -> SearchRecordQuerySet:
        """The searches an officer made: what an SSO sees of search records in the portal."""
        if officer is None:
            return self.none()
        return self.filter(officer=officer)

    def between(self, date_from: datetime.date, date_to: datetime.date) -> SearchRecordQuerySet:
        """Searches made from ``date_from`` to ``date_to`` inclusive, by London local date."""
        # Bounds as instants (local midnights) rather than __date: the index on searched_at is used
        # and no row needs converting to local time.
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return self.filter(searched_at__gte=start, searched_at__lt=end)

    def visible_to(self, viewer: Viewer) -> SearchRecordQuerySet:
        """Records that may feed the viewer's suppressed aggregate figures (never a record itself):
        every one for BCU managers and council readers, those at schools of its granted local
        authorities for a council API client, none for anyone else."""
        if viewer.is_bcu_manager or viewer.is_council_reader:
            return self
        if viewer.granted_local_authority_ids:
            return self.filter(school__local_authority_id__any_of=id_set(viewer.granted_local_authority_ids))
        return self.none()

    def in_scope(self, *, bcu=None, school=None, officer=None) -> SearchRecordQuerySet:
        """Narrowed to one BCU, school or officer (each optional), as a report's scope form chooses."""
        records = self
        if bcu is not None:
            records = records.filter(bcu=bcu)
        if school is not None:
            records = records.filter(school=school)
        if officer is not None:
            records = records.filter(officer=officer)
        return records


class SearchRecord(models.Model):
    """One search of a child (or young person) by an officer."""

    reference = models.CharField(
        max_length=30, unique=True, help_text="The search record number from the force's own system."
    )
    officer = models.ForeignKey("officers.Officer", on_delete=models.PROTECT, related_name="searches")
    bcu = models.ForeignKey(
        "officers.BCU",
        verbose_name="BCU",
        on_delete=models.PROTECT,
        related_name="searches",
        help_text="The officer's BCU when the search was made (taken from the officer).",
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, null=True, blank=True, related_name="searches"
    )
    location = models.CharField(
        max_length=200, blank=True, help_text="Where the search took place, when not at a school (no addresses)."
    )
    searched_at = models.DateTimeField("date and time of search", db_index=True)
    legal_power = models.CharField(max_length=20, choices=LegalPower.choices)
    search_type = models.CharField(max_length=20, choices=SearchType.choices, db_index=True)
    child_age = models.PositiveSmallIntegerField(
        "age of the person searched", validators=[MinValueValidator(0), MaxValueValidator(25)]
    )
    self_defined_ethnicity = models.CharField(
        "self-defined ethnicity", max_length=2, choices=SelfDefinedEthnicity.choices
    )
    officer_observed_ethnicity = models.CharField(
        "officer-observed ethnicity", max_length=2, choices=EthnicGroup.choices
    )
    gender = models.CharField(max_length=20, choices=Gender.choices)
    reason = models.TextField(
        "grounds for the search", help_text="Never the child's name: this record identifies no child by name."
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    items_found = models.TextField(blank=True, help_text="What was found, if anything (no names).")

    authorising_officer_name = models.CharField(max_length=200, blank=True)
    authorising_officer_number = models.CharField("authorising officer's collar number", max_length=20, blank=True)
    authorising_officer_rank = models.CharField(max_length=10, choices=Rank.choices, blank=True)

    appropriate_adult_present = models.BooleanField(default=False)
    appropriate_adult_name = models.CharField(max_length=200, blank=True)
    appropriate_adult_role = models.CharField(max_length=20, choices=AppropriateAdultRole.choices, blank=True)
    statutory_exception = models.CharField(
        "statutory exception to the appropriate adult",
        max_length=20,
        choices=StatutoryException.choices,
        blank=True,
    )
    statutory_exception_reason = models.TextField(blank=True)

    parent_or_carer_informed = models.BooleanField(default=False)
    school_dsl_informed = models.BooleanField("school DSL informed", default=False)
    referral_reference = models.CharField("safeguarding referral reference", max_length=50, blank=True, db_index=True)

    status = models.CharField(max_length=10, choices=SearchStatus.choices, default=SearchStatus.OPEN, db_index=True)
    body_worn_video = models.CharField(
        "body-worn video",
        max_length=20,
        choices=BodyWornVideo.choices,
        blank=True,
        help_text="Recorded on body-worn video? Blank only on records made before it was asked.",
    )
    body_worn_video_reason = models.TextField(
        "why it was not recorded", blank=True, help_text="For example: camera failed, battery flat, not issued."
    )
    section_60 = models.ForeignKey(
        "Section60Authorisation",
        verbose_name="Section 60 authorisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="searches",
        help_text="The authorisation a search under section 60 was made in.",
    )

    # The trauma-informed follow-up of a child searched beyond outer clothing: a tracked action.
    follow_up_by = models.CharField(
        "follow-up by",
        max_length=200,
        blank=True,
        help_text="Who will offer the trauma-informed follow-up (name and role): the SSO, the school's DSL...",
    )
    follow_up_due_on = models.DateField("follow-up due by", null=True, blank=True)
    follow_up_offered = models.TextField(
        "what was offered",
        blank=True,
        help_text="For example: a meeting with the SSO and parent, referral to a youth worker.",
    )
    follow_up_outcome = models.TextField("outcome of the follow-up", blank=True, help_text="Never the child's name.")
    follow_up_completed_on = models.DateField("follow-up done on", null=True, blank=True)

    # The supervisor's review of a child searched beyond outer clothing: an Inspector or above.
    reviewed_by_name = models.CharField("reviewing officer", max_length=200, blank=True)
    reviewed_by_number = models.CharField("reviewing officer's collar number", max_length=20, blank=True)
    reviewed_by_rank = models.CharField("reviewing officer's rank", max_length=10, choices=Rank.choices, blank=True)
    reviewed_on = models.DateField("reviewed on", null=True, blank=True)
    review_notes = models.TextField("review notes", blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SearchRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-searched_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False) | ~Q(location=""),
                name="search_has_school_or_location",
                violation_error_message="Give the school or describe the location of the search.",
            ),
        ]

    def __str__(self) -> str:
        return f"Search {self.reference}"

    @property
    def is_of_a_child(self) -> bool:
        return self.child_age is not None and self.child_age < ADULT_AGE

    @property
    def is_intimate(self) -> bool:
        return self.search_type in INTIMATE_SEARCH_TYPES

    @property
    def is_referral_due(self) -> bool:
        return self.is_of_a_child and self.is_intimate and not self.referral_reference

    @property
    def is_beyond_outer_clothing(self) -> bool:
        return self.search_type not in ("", None, SearchType.OUTER_CLOTHING)

    @property
    def needs_follow_up_and_review(self) -> bool:
        return self.is_of_a_child and self.is_beyond_outer_clothing


class Section60Authorisation(models.Model):
    """An authorisation under section 60 of the Criminal Justice and Public Order Act 1994 to
    search without suspicion in an area for a time, and how the community was told beforehand."""

    bcu = models.ForeignKey("officers.BCU", verbose_name="BCU", on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=300, help_text="The area it covers, as the authorisation describes it.")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    grounds = models.TextField(blank=True, help_text="Why the authorisation was given (no names).")
    authorising_officer_name = models.CharField(max_length=200)
    authorising_officer_number = models.CharField("authorising officer's collar number", max_length=20, blank=True)
    authorising_officer_rank = models.CharField(max_length=10, choices=Rank.choices)
    community_notified_at = models.DateTimeField("community notified at", null=True, blank=True)
    community_notified_to = models.CharField(
        "who was notified",
        max_length=300,
        blank=True,
        help_text="For example: the ward's safer neighbourhood panel, the council, the schools of the area.",
    )
    notification_not_practicable_reason = models.TextField(
        "why notifying the community beforehand was not practicable", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "Section 60 authorisation"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="section_60_ends_after_it_starts",
                violation_error_message="The authorisation must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        zone = timezone.get_current_timezone()
        return f"Section 60: {self.area}, from {self.starts_at.astimezone(zone):%d %b %Y %H:%M}"

    def covers(self, moment: datetime.datetime) -> bool:
        return self.starts_at <= moment <= self.ends_at


class PupilPopulation(models.Model):
    """Pupils of one self-defined ethnicity in one local authority, from one year's school census.

    The denominator of search rates by ethnicity (searches per 1,000 pupils of that group).
    """

    local_authority = models.ForeignKey(
        "schools.LocalAuthority", on_delete=models.CASCADE, related_name="pupil_populations"
    )
    year = models.PositiveSmallIntegerField(
        help_text="Calendar year of the January school census, e.g. 2026.",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    ethnicity = models.CharField(max_length=2, choices=SelfDefinedEthnicity.choices)
    pupil_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["local_authority__name", "-year", "ethnicity"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "year", "ethnicity"], name="pupil_population_once_per_la_year_ethnicity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_authority} {self.year} {self.get_ethnicity_display()}: {self.pupil_count}"
