"""SSO activity at the client's schools: counts only, suppressed as every published table."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from workspace.models import Activity
from workspace.selectors import activity_summary

from ..models import Scope
from .base import CouncilApiView
from .statistics import MonthQuerySerializer, SuppressedCountField

# An officer's own figures are not for council systems; a school's, an authority's and a category's are.
ACTIVITY_SUMMARY_GROUPINGS = ["category", "school", "local_authority"]


class ActivitySummaryQuerySerializer(MonthQuerySerializer):
    group_by = serializers.ChoiceField(choices=ACTIVITY_SUMMARY_GROUPINGS)


class ActivitySummaryRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        allow_null=True,
        help_text="The group's public identifier: the category's name, the school's URN or the local "
        "authority's GSS code (null for activities of no such group).",
    )
    label = serializers.CharField()
    activities = SuppressedCountField()


class ActivitySummarySerializer(serializers.Serializer):
    month = serializers.CharField()
    group_by = serializers.CharField()
    rows = ActivitySummaryRowSerializer(many=True)
    total = SuppressedCountField(help_text="All activities of the month at the client's schools.")


class ActivitySummaryView(CouncilApiView):
    """How many pieces of work Safer Schools Officers logged at the client's schools in one month,
    grouped by category, school or local authority; counts of 1 to 4 are "c"."""

    required_scope = Scope.ACTIVITY_STATS
    extra_query_parameters = ("month", "group_by")

    @extend_schema(
        summary="Get SSO activity counts",
        parameters=[ActivitySummaryQuerySerializer],
        responses=ActivitySummarySerializer,
    )
    def get(self, request):
        query = ActivitySummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month, group_by = query.validated_data["month"], query.validated_data["group_by"]
        # Suppressed with every other table the client (or a council reader of the same authorities) can get.
        summary = activity_summary(
            activities=Activity.objects.counted_for(self.client), month=month, group_bys=[group_by]
        )
        *rows, total = summary.tables[group_by]
        for row in rows:
            row["key"] = None if row["key"] is None else str(row["key"])
        answer = {"month": f"{month:%Y-%m}", "group_by": group_by, "rows": rows, "total": total["activities"]}
        return Response(ActivitySummarySerializer(answer).data)
