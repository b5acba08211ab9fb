"""Aggregated statistics: concern counts per school and search figures, never individual records.

Every count of 1 to 4 is published as "c" (``core.suppression``), so no child can be
picked out; the search figures arrive already suppressed from ``searches.selectors``.
"""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from core.suppression import SUPPRESSED
from officers.models import BCU
from safeguarding.selectors import concern_statistics, suppressed_concern_row
from schools.models import Phase, School
from searches.open_data import parse_month
from searches.publication import (
    COUNCIL_GROUPINGS,
    council_release,
    council_rows,
    is_over,
    month_bounds,
    public_release,
)

from ..models import Scope
from ..parameters import code_filter
from .base import CouncilApiView, CouncilComputedListViewSet

SUPPRESSED_SCHEMA = {
    "type": "string",
    "enum": [SUPPRESSED],
    "description": 'Suppressed: "c" stands for a count of 1 to 4, or a figure that would reveal one.',
}
SUPPRESSIBLE_COUNT = {"oneOf": [{"type": "integer", "minimum": 0}, SUPPRESSED_SCHEMA]}
SUPPRESSIBLE_DECIMAL = {
    "oneOf": [{"type": "string", "format": "decimal", "pattern": r"^\d+(\.\d+)?$"}, SUPPRESSED_SCHEMA],
    "nullable": True,
    "description": 'A decimal written as a string (e.g. "12.5"), "c" when suppressed, or null when it '
    "does not apply (no denominator, or no population figures for the grouping).",
}
# Officers are people: their figures are not for council systems.
COUNCIL_SEARCH_GROUPINGS = list(COUNCIL_GROUPINGS)


@extend_schema_field(SUPPRESSIBLE_COUNT)
class SuppressedCountField(serializers.Field):
    def to_representation(self, value):
        return value


@extend_schema_field(SUPPRESSIBLE_DECIMAL)
class SuppressedDecimalField(serializers.Field):
    def to_representation(self, value):
        return value if value is None or value == SUPPRESSED else f"{value:f}"


class DateRangeSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day (inclusive), London time.")
    date_to = serializers.DateField(required=False, help_text="Last day (inclusive), London time.")

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": "The last day must not be before the first."})
        return attrs


class ConcernStatisticsFilterSet(filters.FilterSet):
    local_authority = code_filter("gss_code", field_name="local_authority__gss_code", help_text="LA GSS code.")
    ward = code_filter("gss_code", field_name="ward__code", help_text="Ward GSS code.")
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
@extend_schema_view(list=extend_schema(summary="List concern statistics per school"))
class ConcernStatisticsViewSet(CouncilComputedListViewSet):
    """Counts of safeguarding concerns per school of the client's LAs, small counts suppressed."""

    required_scope = Scope.CONCERNS_STATS
    extra_query_parameters = ("date_from", "date_to")
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


class MonthQuerySerializer(serializers.Serializer):
    """One calendar month that is over: the only periods figures about children are published for.
    Free dates, or a month still going on, would let two answers be subtracted to show one day."""

    month = serializers.RegexField(
        r"^[12][0-9]{3}-(0[1-9]|1[0-2])$",
        help_text="A calendar month that is over, YYYY-MM (London time): whole months only. "
        "The current month and later ones are refused (400).",
    )

    def validate_month(self, value):
        try:
            month = parse_month(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error
        if not is_over(month):
            raise serializers.ValidationError("Figures are published only for months that are over.")
        return month


class SearchStatisticsQuerySerializer(MonthQuerySerializer):
    group_by = serializers.ChoiceField(choices=COUNCIL_SEARCH_GROUPINGS)


class SearchFiguresSerializer(serializers.Serializer):
    searches = SuppressedCountField()
    thorough_searches = SuppressedCountField()
    with_appropriate_adult = SuppressedCountField()
    intimate_searches = SuppressedCountField()
    referrals_made = SuppressedCountField()
    share_of_searches_pct = SuppressedDecimalField()
    appropriate_adult_pct = SuppressedDecimalField()
    referral_pct = SuppressedDecimalField()
    rate_per_1000_pupils = SuppressedDecimalField()
    relative_rate_vs_white = SuppressedDecimalField()


class SearchStatisticsRowSerializer(SearchFiguresSerializer):
    key = serializers.CharField(
        allow_null=True,
        help_text="The group's public identifier: the school's URN, the BCU's code, or the ethnicity, age band "
        "or search type code; null only for searches not at a school (group_by=school).",
    )
    label = serializers.CharField(help_text="The group's name, for people.")


class SearchStatisticsSerializer(serializers.Serializer):
    date_from = serializers.DateField(help_text="The first day of the month asked for.")
    date_to = serializers.DateField(help_text="The last day of the month asked for.")
    group_by = serializers.ChoiceField(choices=COUNCIL_SEARCH_GROUPINGS)
    rows = SearchStatisticsRowSerializer(many=True, help_text="One row per group; the totals are not among them.")
    total = SearchFiguresSerializer(help_text="All searches of the period (relative_rate_vs_white is always null).")


class SearchStatisticsView(CouncilApiView):
    """Searches of children at the client's schools in one calendar month, grouped; suppressed together
    with the month's open data and every other grouping the client may ask for."""

    required_scope = Scope.SEARCHES_STATS
    extra_query_parameters = ("month", "group_by")

    @extend_schema(
        summary="Get search statistics",
        parameters=[SearchStatisticsQuerySerializer],
        responses=SearchStatisticsSerializer,
    )
    def get(self, request):
        query = SearchStatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month, group_by = query.validated_data["month"], query.validated_data["group_by"]
        authorities = sorted(self.client.granted_local_authority_ids)
        # Every grouping the client may ask for, suppressed together on top of the open data.
        release = council_release(public_release(month), local_authority_ids=authorities)
        *rows, total = council_rows(release, group_by=group_by, local_authority_ids=authorities)
        public_keys = _public_keys(group_by, [row["key"] for row in rows])
        rows = [{**row, "key": public_keys.get(row["key"], row["key"])} for row in rows]
        date_from, date_to = month_bounds(month)
        answer = {"date_from": date_from, "date_to": date_to, "group_by": group_by, "rows": rows, "total": total}
        return Response(SearchStatisticsSerializer(answer).data)


def _public_keys(group_by: str, keys: list) -> dict:
    """Database ids of a school or BCU grouping mapped to the URN or BCU code (other groupings'
    keys are public codes already)."""
    ids = [key for key in keys if key is not None]
    if group_by == "school":
        return dict(School.objects.filter(pk__in=ids).values_list("pk", "urn"))
    if group_by == "bcu":
        return dict(BCU.objects.filter(pk__in=ids).values_list("pk", "code"))
    return {}
