import datetime
from functools import cached_property

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.response import Response

from officers.models import Posting
from priorities.models import Band, PriorityScore
from priorities.selectors import latest_scores
from schools.models import Phase, School

from ..models import Scope
from ..parameters import code_filter
from ..selectors import school_rows
from .base import CouncilComputedListViewSet, UpdatedSinceFilterSet
from .representation import decimal_text, iso_date, iso_datetime, rank_label


class SchoolFilterSet(UpdatedSinceFilterSet):
    local_authority = code_filter("gss_code", field_name="local_authority__gss_code", help_text="LA GSS code.")
    ward = code_filter("gss_code", field_name="ward__code", help_text="Ward GSS code.")
    phase = filters.ChoiceFilter(choices=Phase.choices)
    priority_band = filters.ChoiceFilter(
        choices=Band.choices, method="filter_priority_band", help_text="Band of the latest priority run."
    )

    class Meta:
        model = School
        fields = ["local_authority", "ward", "phase", "priority_band", "updated_since"]

    def filter_priority_band(self, queryset, name, value):
        return queryset.filter(Exists(latest_scores().filter(school=OuterRef("pk"), band=value)))


PG_SMALLINT_MAX = 32767
PG_INTEGER_MAX = 2147483647


class CurrentPostingSerializer(serializers.ModelSerializer):
    officer_collar_number = serializers.CharField(source="officer.collar_number")
    officer_name = serializers.CharField(source="officer.full_name")
    officer_rank = serializers.CharField(source="officer.get_rank_display")

    class Meta:
        model = Posting
        fields = ["id", "role", "officer_collar_number", "officer_name", "officer_rank", "start_date", "end_date"]


class PrioritySerializer(serializers.ModelSerializer):
    """The school's score in the latest priority run: total, rank and band in its BCU, components."""

    run_computed_at = serializers.DateTimeField(source="run.computed_at")
    # Bounds of the PostgreSQL columns, declared here so the schema is the same on every database.
    rank_in_bcu = serializers.IntegerField(min_value=0, max_value=PG_INTEGER_MAX)

    class Meta:
        model = PriorityScore
        fields = ["total", "rank_in_bcu", "band", "crime", "fsm", "pupils", "advice", "coverage", "run_computed_at"]


class LatestPrioritySerializer(PrioritySerializer):
    def get_attribute(self, school: School) -> PriorityScore | None:
        scores = school.latest_priority_scores
        return scores[0] if scores else None


class SchoolSerializer(serializers.ModelSerializer):
    local_authority = serializers.CharField(source="local_authority.gss_code")
    local_authority_name = serializers.CharField(source="local_authority.name")
    ward = serializers.CharField(source="ward.code", allow_null=True, default=None)
    ward_name = serializers.CharField(source="ward.name", allow_null=True, default=None)
    bcu = serializers.CharField(source="bcu.code", allow_null=True, default=None)
    # Bounds of the PostgreSQL columns, declared here so the schema is the same on every database.
    statutory_low_age = serializers.IntegerField(min_value=0, max_value=PG_SMALLINT_MAX, allow_null=True)
    statutory_high_age = serializers.IntegerField(min_value=0, max_value=PG_SMALLINT_MAX, allow_null=True)
    pupil_count = serializers.IntegerField(min_value=0, max_value=PG_INTEGER_MAX, allow_null=True)
    # Both read what the selector prefetched: no query per school.
    current_postings = CurrentPostingSerializer(many=True, read_only=True)
    priority = LatestPrioritySerializer(read_only=True, allow_null=True)

    class Meta:
        model = School
        fields = [
            "urn",
            "name",
            "local_authority",
            "local_authority_name",
            "ward",
            "ward_name",
            "phase",
            "status",
            "establishment_type",
            "statutory_low_age",
            "statutory_high_age",
            "pupil_count",
            "fsm_percentage",
            "postcode",
            "bcu",
            "current_postings",
            "priority",
            "updated_at",
        ]

    def to_representation(self, row: dict) -> dict:
        """The declared fields' dict (a test holds them equal) built from a ``school_rows`` row:
        no model instances and no generic field walk, most of the time a 100-school page took."""
        priority, zone = row["priority"], self._zone
        return {
            "urn": row["urn"],
            "name": row["name"],
            "local_authority": row["local_authority__gss_code"],
            "local_authority_name": row["local_authority__name"],
            "ward": row["ward__code"],
            "ward_name": row["ward__name"],
            "phase": row["phase"],
            "status": row["status"],
            "establishment_type": row["establishment_type"],
            "statutory_low_age": row["statutory_low_age"],
            "statutory_high_age": row["statutory_high_age"],
            "pupil_count": row["pupil_count"],
            "fsm_percentage": decimal_text(row["fsm_percentage"]),
            "postcode": row["postcode"],
            "bcu": row["bcu__code"],
            "current_postings": [_posting(posting) for posting in row["current_postings"]],
            "priority": _priority(priority, zone) if priority else None,
            "updated_at": iso_datetime(row["updated_at"], zone),
        }

    @cached_property
    def _zone(self) -> datetime.tzinfo:
        # Looked up once per response, not per date-time: the look-up is a context-local read.
        return timezone.get_current_timezone()


def _posting(posting: dict) -> dict:
    return {
        "id": posting["id"],
        "role": posting["role"],
        "officer_collar_number": posting["officer__collar_number"],
        "officer_name": f"{posting['officer__first_name']} {posting['officer__last_name']}",
        "officer_rank": rank_label(posting["officer__rank"]),
        "start_date": posting["start_date"].isoformat(),
        "end_date": iso_date(posting["end_date"]),
    }


def _priority(score: dict, zone: datetime.tzinfo) -> dict:
    components = ("total", "crime", "fsm", "pupils", "advice", "coverage")
    return {
        **{name: decimal_text(score[name]) for name in components},
        "rank_in_bcu": score["rank_in_bcu"],
        "band": score["band"],
        "run_computed_at": iso_datetime(score["run__computed_at"], zone),
    }


@extend_schema_view(
    list=extend_schema(summary="List schools"), retrieve=extend_schema(summary="Get one school by URN")
)
class SchoolViewSet(mixins.RetrieveModelMixin, CouncilComputedListViewSet):
    """Schools of the client's local authorities, with their current SSO postings and latest priority score."""

    required_scope = Scope.SCHOOLS_READ
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilterSet
    lookup_field = "urn"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["name", "urn", "updated_at", "pupil_count", "fsm_percentage"]
    # URN order by default: unique and indexed, so deep pages of a national sync stay fast.
    ordering = ["urn"]

    def get_queryset(self):
        if self.is_schema_generation:
            return School.objects.none()
        return School.objects.visible_to(self.client)

    def rows_for(self, ids: list[int]) -> list[dict]:
        return school_rows(ids=ids)

    def row_id(self, row: dict) -> int:
        return row["pk"]

    def retrieve(self, request, *args, **kwargs):
        # The school's id alone (a 404 outside the client's authorities), then its row.
        ids = self.get_queryset().filter(urn=kwargs[self.lookup_field]).values_list("pk", flat=True)
        rows = school_rows(ids=list(ids))
        if not rows:  # not the client's, or deleted between finding it and loading its row
            raise Http404
        return Response(self.get_serializer(rows[0]).data)
