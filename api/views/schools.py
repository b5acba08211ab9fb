from django.db.models import Exists, OuterRef
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from officers.models import Posting
from priorities.models import Band, PriorityScore
from priorities.selectors import latest_scores
from schools.models import Phase, School

from ..models import Scope
from ..selectors import schools_for_client
from .base import CouncilReadOnlyViewSet, UpdatedSinceFilterSet


class SchoolFilterSet(UpdatedSinceFilterSet):
    local_authority = filters.CharFilter(field_name="local_authority__gss_code", help_text="LA GSS code.")
    ward = filters.CharFilter(field_name="ward__code", help_text="Ward GSS code.")
    phase = filters.ChoiceFilter(choices=Phase.choices)
    priority_band = filters.ChoiceFilter(
        choices=Band.choices, method="filter_priority_band", help_text="Band of the latest priority run."
    )

    class Meta:
        model = School
        fields = ["local_authority", "ward", "phase", "priority_band", "updated_since"]

    def filter_priority_band(self, queryset, name, value):
        return queryset.filter(Exists(latest_scores().filter(school=OuterRef("pk"), band=value)))


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

    class Meta:
        model = PriorityScore
        fields = ["total", "rank_in_bcu", "band", "crime", "fsm", "pupils", "advice", "coverage", "run_computed_at"]


class SchoolSerializer(serializers.ModelSerializer):
    local_authority = serializers.CharField(source="local_authority.gss_code")
    local_authority_name = serializers.CharField(source="local_authority.name")
    ward = serializers.CharField(source="ward.code", allow_null=True, default=None)
    ward_name = serializers.CharField(source="ward.name", allow_null=True, default=None)
    bcu = serializers.CharField(source="bcu.code", allow_null=True, default=None)
    current_postings = serializers.SerializerMethodField()
    priority = serializers.SerializerMethodField()

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

    @extend_schema_field(CurrentPostingSerializer(many=True))
    def get_current_postings(self, school: School) -> list[dict]:
        # Filled by the selector's prefetch: no query per school.
        return CurrentPostingSerializer(school.current_postings, many=True).data

    @extend_schema_field(PrioritySerializer(allow_null=True))
    def get_priority(self, school: School) -> dict | None:
        scores = school.latest_priority_scores
        return PrioritySerializer(scores[0]).data if scores else None


class SchoolViewSet(CouncilReadOnlyViewSet):
    """Schools of the client's local authorities, with their current SSO postings and latest priority score."""

    required_scope = Scope.SCHOOLS_READ
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilterSet
    lookup_field = "urn"
    lookup_value_regex = "[0-9]+"
    ordering_fields = ["name", "urn", "updated_at", "pupil_count", "fsm_percentage"]
    ordering = ["name"]

    def get_queryset(self):
        if self.is_schema_generation:
            return School.objects.none()
        return schools_for_client(client=self.client)
