from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from officers.models import Posting
from schools.models import Phase, School

from ..models import Scope
from ..selectors import schools_for_client
from .base import CouncilReadOnlyViewSet, UpdatedSinceFilterSet


class SchoolFilterSet(UpdatedSinceFilterSet):
    local_authority = filters.CharFilter(field_name="local_authority__gss_code", help_text="LA GSS code.")
    ward = filters.CharFilter(field_name="ward__code", help_text="Ward GSS code.")
    phase = filters.ChoiceFilter(choices=Phase.choices)

    class Meta:
        model = School
        fields = ["local_authority", "ward", "phase", "updated_since"]


class CurrentPostingSerializer(serializers.ModelSerializer):
    officer_collar_number = serializers.CharField(source="officer.collar_number")
    officer_name = serializers.CharField(source="officer.full_name")
    officer_rank = serializers.CharField(source="officer.get_rank_display")

    class Meta:
        model = Posting
        fields = ["id", "role", "officer_collar_number", "officer_name", "officer_rank", "start_date", "end_date"]


class SchoolSerializer(serializers.ModelSerializer):
    local_authority = serializers.CharField(source="local_authority.gss_code")
    local_authority_name = serializers.CharField(source="local_authority.name")
    ward = serializers.CharField(source="ward.code", allow_null=True, default=None)
    ward_name = serializers.CharField(source="ward.name", allow_null=True, default=None)
    bcu = serializers.CharField(source="bcu.code", allow_null=True, default=None)
    current_postings = serializers.SerializerMethodField()

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
            "updated_at",
        ]

    @extend_schema_field(CurrentPostingSerializer(many=True))
    def get_current_postings(self, school: School) -> list[dict]:
        # Filled by the selector's prefetch: no query per school.
        return CurrentPostingSerializer(school.current_postings, many=True).data


class SchoolViewSet(CouncilReadOnlyViewSet):
    """Schools of the client's local authorities, with their current SSO postings."""

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
