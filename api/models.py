"""Council API clients and their bearer tokens.

A client is one council system. It is granted local authorities (it sees only their rows)
and scopes (which endpoints it may read). Tokens are stored as a SHA-256 hash of a random
secret: the secret itself is shown once, when the token is issued, and never kept.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from core.lookups import id_set


class Scope(models.TextChoices):
    SCHOOLS_READ = "schools:read", "Schools, priority scores and current SSO postings"
    POSTINGS_READ = "postings:read", "Postings"
    DSL_READ = "dsl:read", "DSL contacts (personal data)"
    TRAINING_READ = "training:read", "Training compliance status per officer"
    CONCERNS_STATS = "concerns:stats", "Concern statistics (aggregated counts only)"
    SEARCHES_STATS = "searches:stats", "Search statistics (aggregated, suppressed)"
    ACTIVITY_STATS = "activity:stats", "SSO activity summary (aggregated counts, suppressed)"


class ApiClient(models.Model):
    """A council system allowed to read the API for the local authorities it is granted."""

    name = models.CharField(max_length=100, unique=True)
    local_authorities = models.ManyToManyField(
        "schools.LocalAuthority",
        related_name="api_clients",
        blank=True,
        help_text="The client sees only rows of these local authorities.",
    )
    scopes = models.JSONField(default=list, blank=True, help_text="Scopes granted, e.g. ['schools:read'].")
    is_active = models.BooleanField(default=True, help_text="Untick to shut every token of this client out.")
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[local_authorities])

    class Meta:
        ordering = ["name"]
        verbose_name = "API client"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.scopes, list) or not all(isinstance(scope, str) for scope in self.scopes):
            raise ValidationError({"scopes": "Scopes must be a list of scope names."})
        unknown = sorted(set(self.scopes) - set(Scope.values))
        if unknown:
            raise ValidationError({"scopes": f"Unknown scopes: {', '.join(unknown)}."})

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    # A client is a ``Viewer`` (access.roles) for every model's ``visible_to``: it reads the rows of
    # its granted local authorities and holds no portal role.
    is_bcu_manager = False
    is_council_reader = False
    readable_local_authority_ids: frozenset[int] = frozenset()
    dsl_school_ids: frozenset[int] = frozenset()
    sso_school_ids: frozenset[int] = frozenset()

    @cached_property
    def granted_local_authority_ids(self) -> frozenset[int]:
        """The ids of the client's local authorities: one small query, read once per client
        instance (a request loads its client afresh with the token, so a grant changed in the
        admin counts from the next request).

        Literal ids rather than a subquery: PostgreSQL then counts the client's schools from the
        local-authority index and pages them with a hashed IN check, where the subquery cost a
        hash or memoised join in every query (measured: count 2.9 -> 1.0 ms, deep page 3.5 -> 2.2 ms
        on 25,000 schools, bench/bench_api.py).
        """
        return id_set(
            ApiClient.local_authorities.through.objects.filter(apiclient_id=self.pk).values_list(
                "localauthority_id", flat=True
            )
        )


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at: datetime.datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that authenticate at ``at`` (now by default): not revoked, not expired, client active."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at, client__is_active=True)


class ApiToken(models.Model):
    """A bearer token of an API client; only the SHA-256 hash of its secret is stored."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    # The first characters of the secret, so an operator can tell tokens apart; not enough to use one.
    prefix = models.CharField(max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["secret_hash"])
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.client})"


class ChangeKind(models.TextChoices):
    SCHOOL = "school", "School (with its priority and current postings)"
    POSTING = "posting", "Posting"
    DSL_CONTACT = "dsl_contact", "DSL contact"
    TRAINING_COMPLIANCE = "training_compliance", "Training compliance of an officer"
    SEARCH_STATISTICS = "search_statistics", "Search statistics of a local authority"
    CONCERN_STATISTICS = "concern_statistics", "Concern statistics of a local authority"
    ACTIVITY_SUMMARY = "activity_summary", "SSO activity summary of a local authority"


# The scope a client needs to see each kind of change.
CHANGE_KIND_SCOPES = {
    ChangeKind.SCHOOL: Scope.SCHOOLS_READ,
    ChangeKind.POSTING: Scope.POSTINGS_READ,
    ChangeKind.DSL_CONTACT: Scope.DSL_READ,
    ChangeKind.TRAINING_COMPLIANCE: Scope.TRAINING_READ,
    ChangeKind.SEARCH_STATISTICS: Scope.SEARCHES_STATS,
    ChangeKind.CONCERN_STATISTICS: Scope.CONCERNS_STATS,
    ChangeKind.ACTIVITY_SUMMARY: Scope.ACTIVITY_STATS,
}
# Kinds that tell a client to re-read a statistics resource for a local authority and a period:
# no record of their own, so never a deletion marker (ADR 0021).
STATISTICS_KINDS = (ChangeKind.SEARCH_STATISTICS, ChangeKind.CONCERN_STATISTICS, ChangeKind.ACTIVITY_SUMMARY)


class Change(models.Model):
    """One change of a record council clients may see: the change feed's log (ADR 0015).

    Written in the same transaction as the change itself (``api.changes``). ``position`` is
    given later, when a feed read seals the committed changes, in the order they are sealed:
    a change still uncommitted then is sealed by a later read with a higher position, so a
    cursor never passes over it. The feed serves sealed changes only, in position order, each
    with the record as it is when read (or a deletion marker when the client cannot see it).
    """

    kind = models.CharField(max_length=24, choices=ChangeKind.choices)
    object_id = models.BigIntegerField(help_text="The record's primary key.")
    public_id = models.CharField(max_length=20, help_text="URN, id or collar number: what the API calls it.")
    # The record's local authority when it changed: clients granted it see the change.
    local_authority_id = models.BigIntegerField(null=True, blank=True, db_index=False)
    # Or one client only (its grant of a local authority was added or removed).
    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    position = models.BigIntegerField(null=True, blank=True, unique=True)
    # Statistics kinds only: the whole months whose figures changed (both null: any period may have).
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["id"], name="api_change_unsealed", condition=models.Q(position__isnull=True)),
            models.Index(fields=["local_authority_id", "position"], name="api_change_la_position"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id} at {self.position or 'unsealed'}"


class DatedChangesRun(models.Model):
    """A day whose date-driven changes are in the change feed: records whose representation
    changed that day with no write (a course expiring, a posting starting or ending). The daily
    run records every day from the day after the latest up to today, in one transaction with the
    run of today, so no day is recorded twice or skipped (ADR 0021)."""

    day = models.DateField(unique=True, help_text="The (London) day whose date-driven changes were recorded.")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Date-driven changes of {self.day} recorded"
