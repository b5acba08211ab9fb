"""Crime aggregates, scoring models, partner advice and the priority scores computed from them.

A priority run (``PriorityRun``) applies one version of a ``ScoringModel`` to every open
school and writes one ``PriorityScore`` per school, holding each component and the raw
input behind it, so any rank can be explained later even after the model is edited.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class CrimeType(models.TextChoices):
    """The 14 police.uk street-level crime categories (the file's "Crime type" values)."""

    ANTI_SOCIAL_BEHAVIOUR = "Anti-social behaviour"
    BICYCLE_THEFT = "Bicycle theft"
    BURGLARY = "Burglary"
    CRIMINAL_DAMAGE_AND_ARSON = "Criminal damage and arson"
    DRUGS = "Drugs"
    OTHER_CRIME = "Other crime"
    OTHER_THEFT = "Other theft"
    POSSESSION_OF_WEAPONS = "Possession of weapons"
    PUBLIC_ORDER = "Public order"
    ROBBERY = "Robbery"
    SHOPLIFTING = "Shoplifting"
    THEFT_FROM_THE_PERSON = "Theft from the person"
    VEHICLE_CRIME = "Vehicle crime"
    VIOLENCE_AND_SEXUAL_OFFENCES = "Violence and sexual offences"


class CrimeAggregate(models.Model):
    """Street-level crimes of one type, in one LSOA and month, as reported by one force.

    ``longitude``/``latitude`` are the mean of the rows' snapped points (WGS84, as published),
    weighted by ``located_count``; the recompute converts each LSOA's mean point to the British
    National Grid once, so the import stays a plain fold that PostgreSQL does by itself.
    """

    month = models.DateField(help_text="First day of the month.")
    force = models.CharField(max_length=60, help_text="Force slug from the file name, e.g. metropolitan.")
    lsoa_code = models.CharField("LSOA code", max_length=9)
    crime_type = models.CharField(max_length=40, choices=CrimeType.choices)
    count = models.PositiveIntegerField(help_text="Crimes, a repeated Crime ID counted once.")
    located_count = models.PositiveIntegerField(help_text="Rows that had coordinates.")
    longitude = models.FloatField(null=True, blank=True, help_text="Mean longitude of the located rows (WGS84).")
    latitude = models.FloatField(null=True, blank=True, help_text="Mean latitude of the located rows (WGS84).")

    class Meta:
        ordering = ["-month", "force", "lsoa_code", "crime_type"]
        constraints = [
            # Month first: its index also serves the recompute's month-window scan.
            models.UniqueConstraint(
                fields=["month", "force", "lsoa_code", "crime_type"], name="crime_aggregate_unique_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.crime_type} in {self.lsoa_code}, {self.month:%b %Y} ({self.force})"


class DataImport(models.Model):
    """One imported file: what it was, and what the import did (the audit trail of imports)."""

    class Kind(models.TextChoices):
        GIAS = "gias", "GIAS establishments"
        CENSUS = "census", "School census (FSM)"
        CRIME = "crime", "police.uk street crime"
        BOUNDARIES = "boundaries", "ONS boundaries (map outlines)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    rows_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"


weight_field_options = {"max_digits": 6, "decimal_places": 3}


def default_sso_expected_bands() -> list[str]:
    return ["high"]


def default_sso_expected_phases() -> list[str]:
    return ["secondary", "all_through"]


# Used before any scoring model or run exists.
DEFAULT_SSO_EXPECTATION = (tuple(default_sso_expected_bands()), tuple(default_sso_expected_phases()))


class ScoringModel(models.Model):
    """The weights of the priority score. ``version`` goes up by one on every saved change.

    Each component is first put on a 0-100 scale (see ``priorities/scoring.py``) and then
    multiplied by its weight; the total is the sum of the weighted components.
    """

    name = models.CharField(max_length=100, unique=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    is_active = models.BooleanField(
        default=False, help_text="The model used by the nightly recompute. Only one can be active."
    )
    crime_weight = models.DecimalField(default=Decimal("0.4"), **weight_field_options)
    fsm_weight = models.DecimalField("FSM % weight", default=Decimal("0.3"), **weight_field_options)
    pupils_weight = models.DecimalField("pupil count weight", default=Decimal("0.1"), **weight_field_options)
    advice_weight = models.DecimalField("partner advice weight", default=Decimal("0.2"), **weight_field_options)
    coverage_weight = models.DecimalField(
        "SSO coverage weight",
        default=Decimal("-0.2"),
        help_text="Usually negative: a school that already has an SSO needs less new focus.",
        **weight_field_options,
    )
    crime_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(60)], help_text="Months of crime counted."
    )
    crime_radius_m = models.PositiveIntegerField(
        "crime radius (metres)",
        default=1000,
        validators=[MinValueValidator(0), MaxValueValidator(10000)],
        help_text="LSOAs whose crime points lie within this distance of the school count too.",
    )
    advice_max_age_days = models.PositiveIntegerField(
        default=365, validators=[MinValueValidator(1)], help_text="Older partner advice is ignored."
    )
    sso_expected_bands = models.JSONField(
        "bands that expect an SSO",
        default=default_sso_expected_bands,
        blank=True,
        help_text="A school without a primary SSO in one of these bands is a vacancy.",
    )
    sso_expected_phases = models.JSONField(
        "phases that expect an SSO",
        default=default_sso_expected_phases,
        blank=True,
        help_text="A school of one of these phases without a primary SSO is a vacancy, whatever its band.",
    )
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_scoring_model",
                violation_error_message="Another scoring model is already active.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def expects_sso(self, *, band: str | None, phase: str) -> bool:
        """Whether a school of this band and phase should have a primary SSO (and so is a vacancy
        without one): its band or its phase is among those chosen on the model."""
        return band in (self.sso_expected_bands or []) or phase in (self.sso_expected_phases or [])


class CrimeTypeWeight(models.Model):
    """How much one crime of this type counts towards a school's crime exposure."""

    scoring_model = models.ForeignKey(ScoringModel, on_delete=models.CASCADE, related_name="crime_weights")
    crime_type = models.CharField(max_length=40, choices=CrimeType.choices)
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["crime_type"]
        constraints = [
            models.UniqueConstraint(fields=["scoring_model", "crime_type"], name="one_weight_per_crime_type"),
        ]

    def __str__(self) -> str:
        return f"{self.crime_type}: {self.weight}"


class AdviceOrganisation(models.TextChoices):
    POLICE = "police", "Police"
    LOCAL_AUTHORITY = "local_authority", "Local authority"


class PartnerAdvice(models.Model):
    """A partner's advice to raise (+) or lower (-) a school's priority, with the reason."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="partner_advice")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_advice")
    organisation = models.CharField(max_length=20, choices=AdviceOrganisation.choices)
    adjustment = models.SmallIntegerField(
        validators=[MinValueValidator(-2), MaxValueValidator(2)],
        help_text="From -2 (much less focus) to +2 (much more focus).",
    )
    reason = models.TextField(help_text="Why: the evidence behind the advice (no names of children).")
    advised_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-advised_on", "-pk"]
        verbose_name_plural = "partner advice"
        indexes = [models.Index(fields=["school", "organisation", "advised_on"], name="advice_school_org_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(adjustment__gte=-2, adjustment__lte=2),
                name="partner_advice_adjustment_range",
                violation_error_message="The adjustment must be between -2 and +2.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_organisation_display()} advice {self.adjustment:+d} for {self.school.name}"


class PriorityRun(models.Model):
    """One recompute: which scoring model (and version) it used, and every parameter of it."""

    scoring_model = models.ForeignKey(ScoringModel, on_delete=models.PROTECT, related_name="runs")
    scoring_model_version = models.PositiveIntegerField()
    computed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    parameters = models.JSONField(help_text="A snapshot of the weights and windows used.")
    school_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.scoring_model.name} v{self.scoring_model_version})"


class Band(models.TextChoices):
    """By rank within the BCU: the top 20% high, the next 30% medium, the rest low."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"

    @classmethod
    def for_rank(cls, rank: int, schools_in_bcu: int) -> Band:
        """Rank 1 is highest; boundaries round up, so a BCU of one school is "high"."""
        if rank <= math.ceil(schools_in_bcu * 0.2):
            return cls.HIGH
        if rank <= math.ceil(schools_in_bcu * 0.5):
            return cls.MEDIUM
        return cls.LOW


class CoverageLevel(models.TextChoices):
    PRIMARY = "primary", "Primary SSO in post"
    SECONDARY = "secondary", "Secondary SSO only"
    NONE = "none", "No SSO"


score_field_options = {"max_digits": 9, "decimal_places": 2}


class PriorityScore(models.Model):
    """A school's score in one run: the total, its rank and band in its BCU, and every component.

    Component fields (``crime``, ``fsm``, ``pupils``, ``advice``, ``coverage``) are points
    (scaled input × weight) and add up to ``total``; the ``*_input`` fields keep the raw
    figures they came from.
    """

    run = models.ForeignKey(PriorityRun, on_delete=models.CASCADE, related_name="scores")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="priority_scores")
    bcu = models.ForeignKey(
        "officers.BCU", verbose_name="BCU", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total = models.DecimalField(**score_field_options)
    rank_in_bcu = models.PositiveIntegerField("rank in BCU")
    band = models.CharField(max_length=10, choices=Band.choices)
    crime = models.DecimalField(**score_field_options)
    fsm = models.DecimalField("FSM", **score_field_options)
    pupils = models.DecimalField(**score_field_options)
    advice = models.DecimalField(**score_field_options)
    coverage = models.DecimalField(**score_field_options)
    crime_input = models.DecimalField(
        "crime exposure", max_digits=12, decimal_places=2, help_text="Weighted crimes in the window and radius."
    )
    crime_lsoa_count = models.PositiveIntegerField("LSOAs counted", default=0)
    crime_percentile = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal(0))
    fsm_input = models.DecimalField("FSM % used", max_digits=4, decimal_places=1, null=True, blank=True)
    pupils_input = models.PositiveIntegerField("pupils used", null=True, blank=True)
    pupils_percentile = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal(0))
    advice_input = models.DecimalField("mean advice", max_digits=3, decimal_places=2, default=Decimal(0))
    coverage_input = models.CharField("SSO coverage", max_length=10, choices=CoverageLevel.choices)

    class Meta:
        ordering = ["run", "bcu", "rank_in_bcu"]
        constraints = [
            models.UniqueConstraint(fields=["run", "school"], name="one_score_per_school_per_run"),
        ]
        indexes = [models.Index(fields=["run", "bcu", "rank_in_bcu"], name="score_run_bcu_rank")]

    def __str__(self) -> str:
        return f"{self.school.name}: {self.total} (rank {self.rank_in_bcu} in BCU)"


class BoundaryQuerySet(models.QuerySet):
    def of_local_authorities(self, local_authority_ids) -> BoundaryQuerySet:
        """The outlines of these local authorities and of their wards."""
        return self.filter(
            Q(local_authority_id__in=local_authority_ids) | Q(ward__local_authority_id__in=local_authority_ids)
        )


class Boundary(models.Model):
    """The outline of a local authority or of a ward, drawn under the school maps' markers.

    A GeoJSON MultiPolygon in WGS84 longitude and latitude (degrees, 5 decimals: about a metre),
    already simplified on import: it goes to the browser as stored. Kept apart from
    ``LocalAuthority`` and ``Ward`` so that the lists joining them never load geometry.
    """

    local_authority = models.OneToOneField(
        "schools.LocalAuthority", on_delete=models.CASCADE, null=True, blank=True, related_name="boundary"
    )
    ward = models.OneToOneField(
        "schools.Ward", on_delete=models.CASCADE, null=True, blank=True, related_name="boundary"
    )
    geometry = models.JSONField(help_text="GeoJSON MultiPolygon, WGS84 longitude and latitude.")
    point_count = models.PositiveIntegerField(default=0)
    source = models.CharField(
        max_length=255,
        help_text="The file imported and its code column (the boundaries' year), or how a demo outline was drawn.",
    )
    is_demo = models.BooleanField(
        "demo outline", default=False, help_text="Drawn from the demo schools' positions, not a real boundary."
    )
    imported_at = models.DateTimeField()

    objects = BoundaryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "boundaries"
        constraints = [
            models.CheckConstraint(
                condition=Q(local_authority__isnull=False, ward__isnull=True)
                | Q(local_authority__isnull=True, ward__isnull=False),
                name="boundary_of_one_local_authority_or_ward",
            ),
        ]

    def __str__(self) -> str:
        return f"Outline of {self.local_authority or self.ward}"

    def clean(self) -> None:
        if (self.local_authority_id is None) == (self.ward_id is None):
            raise ValidationError("An outline belongs to one local authority or one ward.")
        problem = multipolygon_problem(self.geometry)
        if problem:
            raise ValidationError({"geometry": problem})


def multipolygon_problem(geometry) -> str | None:
    """What is wrong with a WGS84 GeoJSON MultiPolygon, or None."""
    if not isinstance(geometry, dict) or geometry.get("type") != "MultiPolygon":
        return "must be a GeoJSON MultiPolygon"
    polygons = geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        return "has no polygon"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "has a polygon without rings"
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
                return "has a ring that is not closed or has fewer than four positions"
            for position in ring:
                if (
                    not isinstance(position, list | tuple)
                    or len(position) < 2
                    or not all(isinstance(value, int | float) and math.isfinite(value) for value in position[:2])
                    or not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90)
                ):
                    return f"has a position that is not a longitude and latitude: {position!r}"
    return None
