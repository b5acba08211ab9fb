from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from officers.models import Posting, PostingRole

from ..models import Scope
from ..parameters import StrictBooleanFilter
from .base import BySchoolFilterSet, CouncilReadOnlyViewSet


class PostingFilterSet(BySchoolFilterSet):
    role = filters.ChoiceFilter(choices=PostingRole.choices)
    current = StrictBooleanFilter(method="filter_current", help_text="Only postings in force today (or not).")

    class Meta:
        model = Posting
        fields = ["local_authority", "ward", "phase", "school", "role", "current", "updated_since"]

    def filter_current(self, queryset, name, value):
        current_ids = Posting.objects.current(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=current_ids) if value else queryset.exclude(pk__in=current_ids)


class PostingSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="school.urn")
    officer_collar_number = serializers.CharField(source="officer.collar_number")
    officer_name = serializers.CharField(source="officer.full_name")
    officer_rank = serializers.CharField(source="officer.get_rank_display")

    class Meta:
        model = Posting
        fields = [
            "id",
            "school",
            "role",
            "officer_collar_number",
            "officer_name",
            "officer_rank",
            "start_date",
            "end_date",
            "updated_at",
        ]


@extend_schema_view(list=extend_schema(summary="List postings"), retrieve=extend_schema(summary="Get one posting"))
class PostingViewSet(CouncilReadOnlyViewSet):
    """Postings of officers to schools in the client's local authorities."""

    required_scope = Scope.POSTINGS_READ
    serializer_class = PostingSerializer
    filterset_class = PostingFilterSet
    ordering_fields = ["start_date", "end_date", "updated_at"]
    ordering = ["-start_date"]

    def get_queryset(self):
        if self.is_schema_generation:
            return Posting.objects.none()
        return Posting.objects.visible_to(self.client).select_related("officer", "school")
