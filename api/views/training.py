from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.lookups import id_set
from officers.models import Officer
from officers.selectors import ComplianceStatus

from ..models import Scope
from ..parameters import code_filter
from ..selectors import officer_compliance_rows
from .base import CouncilComputedListViewSet
from .representation import rank_label


class OfficerFilterSet(filters.FilterSet):
    bcu = code_filter("bcu_code", field_name="bcu__code", help_text="BCU code.")

    class Meta:
        model = Officer
        fields = ["bcu"]


class CourseStatusSerializer(serializers.Serializer):
    course = serializers.CharField(source="course.code")
    course_name = serializers.CharField(source="course.name")
    status = serializers.ChoiceField(choices=[status.value for status in ComplianceStatus])


class OfficerComplianceSerializer(serializers.Serializer):
    """Status only: no completion dates, expiry dates or evaluation scores."""

    collar_number = serializers.CharField(source="officer.collar_number")
    name = serializers.CharField(source="officer.full_name")
    rank = serializers.CharField(source="officer.get_rank_display")
    bcu = serializers.CharField(source="officer.bcu.code")
    is_compliant = serializers.BooleanField()
    courses = CourseStatusSerializer(many=True)

    def to_representation(self, row: dict) -> dict:
        """The declared fields' dict (a test holds them equal to those of a
        ``training_compliance`` row) built from an ``officer_compliance_rows`` row: no model
        instances and no nested field walk, most of the time a 100-officer page took."""
        return {
            "collar_number": row["collar_number"],
            "name": f"{row['first_name']} {row['last_name']}",
            "rank": rank_label(row["rank"]),
            "bcu": row["bcu__code"],
            "is_compliant": row["is_compliant"],
            "courses": [
                {"course": course.code, "course_name": course.name, "status": status.value}
                for course, status in row["courses"]
            ],
        }


@extend_schema_view(list=extend_schema(summary="List officers' training compliance"))
class TrainingComplianceViewSet(CouncilComputedListViewSet):
    """Training compliance today of the officers posted to the client's schools: one status per required course."""

    required_scope = Scope.TRAINING_READ
    serializer_class = OfficerComplianceSerializer
    filterset_class = OfficerFilterSet
    ordering_fields = ["collar_number", "last_name"]
    ordering = ["collar_number"]

    def get_queryset(self):
        if self.is_schema_generation:
            return Officer.objects.none()
        return Officer.objects.visible_to(self.client)

    def rows_for(self, ids: list[int]) -> list[dict]:
        officers = Officer.objects.filter(pk__any_of=id_set(ids))
        return officer_compliance_rows(officers=officers, on=timezone.localdate())

    def row_id(self, row: dict) -> int:
        return row["pk"]
