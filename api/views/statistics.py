"""Aggregated statistics: concern counts per school and search figures, never individual records.

Every count of 1 to 4 is published as "c" (``core.suppression``), so no child can be
picked out; the search figures arrive already suppressed from ``searches.selectors``.
"""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from core.suppression import SUPPRESSED
from safeguarding.selectors import concern_statistics, suppressed_concern_row
from schools.models import Phase, School
from searches.models import SearchRecord
from searches.selectors import GROUPINGS, search_statistics

from ..models import Scope
from .base import CouncilApiView, CouncilComputedListViewSet

SUPPRESSIBLE_COUNT = {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [SUPPRESSED]}]}
# Officers are people: their figures are not for council systems.
COUNCIL_SEARCH_GROUPINGS = sorted(set(GROUPINGS) - {"officer"})


@extend_schema_field(SUPPRESSIBLE_COUNT)
class SuppressedCountField(serializers.Field):
    def to_representation(self, value):
        return value


class DateRangeSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day (inclusive), London time.")
    date_to = serializers.DateField(required=False, help_text="Last day (inclusive), London time.")

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": "The last day must not be before the first."})
        return attrs


class ConcernStatisticsFilterSet(filters.FilterSet):
    local_authority = filters.CharFilter(field_name="local_authority__gss_code", help_text="LA GSS code.")
    ward = filters.CharFilter(field_name="ward__code", help_text="Ward GSS code.")
    phase = filters.ChoiceFilter(choices=Phase.choices)

    class Meta:
        model = School
        fields = ["local_authority", "ward", "phase"]


class ConcernStatisticsSerializer(serializers.Serializer):
    urn = serializers.CharField()
    name = serializers.CharField()
    total = SuppressedCountField()
    by_category = serializers.DictField(child=SuppressedCountField())
    by_status = serializers.DictField(child=SuppressedCountField())
    shared_with_police = SuppressedCountField()


@extend_schema(parameters=[DateRangeSerializer])
class ConcernStatisticsViewSet(CouncilComputedListViewSet):
    """Counts of safeguarding concerns per school of the client's LAs, small counts suppressed."""

    required_scope = Scope.CONCERNS_STATS
    serializer_class = ConcernStatisticsSerializer
    filterset_class = ConcernStatisticsFilterSet
    ordering_fields = ["name", "urn"]
    ordering = ["name"]

    def get_queryset(self):
        if self.is_schema_generation:
            return School.objects.none()
        return School.objects.visible_to(self.client)

    def rows_for(self, ids: list[int]) -> list:
        dates = DateRangeSerializer(data=self.request.query_params)
        dates.is_valid(raise_exception=True)
        rows = concern_statistics(schools=School.objects.filter(pk__in=ids), **dates.validated_data)
        return [suppressed_concern_row(row) for row in rows]

    def row_id(self, row) -> int:
        return row["school_id"]


class SearchStatisticsQuerySerializer(DateRangeSerializer):
    date_from = serializers.DateField(help_text="First day (inclusive), London time.")
    date_to = serializers.DateField(help_text="Last day (inclusive), London time.")
    group_by = serializers.ChoiceField(choices=COUNCIL_SEARCH_GROUPINGS)


class SearchStatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    searches = SuppressedCountField()
    thorough_searches = SuppressedCountField()
    with_appropriate_adult = SuppressedCountField()
    intimate_searches = SuppressedCountField()
    referrals_made = SuppressedCountField()
    share_of_searches_pct = serializers.CharField(allow_null=True)
    appropriate_adult_pct = serializers.CharField(allow_null=True)
    referral_pct = serializers.CharField(allow_null=True)
    rate_per_1000_pupils = serializers.CharField(allow_null=True)
    relative_rate_vs_white = serializers.CharField(allow_null=True)


class SearchStatisticsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    group_by = serializers.CharField()
    rows = SearchStatisticsRowSerializer(many=True)


class SearchStatisticsView(CouncilApiView):
    """Searches of children at the client's schools, grouped and suppressed as in the reports."""

    required_scope = Scope.SEARCHES_STATS

    @extend_schema(parameters=[SearchStatisticsQuerySerializer], responses=SearchStatisticsSerializer)
    def get(self, request):
        query = SearchStatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = search_statistics(
            records=SearchRecord.objects.visible_to(self.client),
            date_from=query.validated_data["date_from"],
            date_to=query.validated_data["date_to"],
            group_by=query.validated_data["group_by"],
            population_local_authority_ids=sorted(self.client.granted_local_authority_ids),
        )
        return Response(SearchStatisticsSerializer({**query.validated_data, "rows": rows}).data)
