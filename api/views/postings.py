import datetime
from functools import cached_property

from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.response import Response

from officers.models import Posting, PostingRole

from ..models import Scope
from ..parameters import StrictBooleanFilter
from ..selectors import posting_rows
from .base import BySchoolFilterSet, CouncilComputedListViewSet
from .representation import iso_date, iso_datetime, rank_label


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

    def to_representation(self, row: dict) -> dict:
        """The declared fields' dict (a test holds them equal) built from a ``posting_rows`` row:
        no model instances and no generic field walk, most of the time a 100-posting page took."""
        return {
            "id": row["id"],
            "school": row["school__urn"],
            "role": row["role"],
            "officer_collar_number": row["officer__collar_number"],
            "officer_name": f"{row['officer__first_name']} {row['officer__last_name']}",
            "officer_rank": rank_label(row["officer__rank"]),
            "start_date": row["start_date"].isoformat(),
            "end_date": iso_date(row["end_date"]),
            "updated_at": iso_datetime(row["updated_at"], self._zone),
        }

    @cached_property
    def _zone(self) -> datetime.tzinfo:
        # Looked up once per response, not per date-time: the look-up is a context-local read.
        return timezone.get_current_timezone()


@extend_schema_view(list=extend_schema(summary="List postings"), retrieve=extend_schema(summary="Get one posting"))
class PostingViewSet(mixins.RetrieveModelMixin, CouncilComputedListViewSet):
    """Postings of officers to schools in the client's local authorities."""

    required_scope = Scope.POSTINGS_READ
    serializer_class = PostingSerializer
    filterset_class = PostingFilterSet
    ordering_fields = ["start_date", "end_date", "updated_at"]
    ordering = ["-start_date"]

    def get_queryset(self):
        if self.is_schema_generation:
            return Posting.objects.none()
        return Posting.objects.visible_to(self.client)

    def rows_for(self, ids: list[int]) -> list[dict]:
        return posting_rows(ids=ids)

    def row_id(self, row: dict) -> int:
        return row["id"]

    def retrieve(self, request, *args, **kwargs):
        # The posting found the generic way (a 404 outside the client's authorities, or for an
        # id that is not a number), then its row.
        rows = posting_rows(ids=[self.get_object().pk])
        if not rows:  # deleted between finding it and loading its row
            raise Http404
        return Response(self.get_serializer(rows[0]).data)
