from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from schools.models import DSLContact, DSLRole

from ..models import Scope
from ..parameters import StrictBooleanFilter
from .base import BySchoolFilterSet, CouncilReadOnlyViewSet


class DSLContactFilterSet(BySchoolFilterSet):
    role = filters.ChoiceFilter(choices=DSLRole.choices)
    is_current = StrictBooleanFilter(help_text="Only contacts still current (or only past ones).")

    class Meta:
        model = DSLContact
        fields = ["local_authority", "ward", "phase", "school", "role", "is_current", "updated_since"]


class DSLContactSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="school.urn")

    class Meta:
        model = DSLContact
        fields = ["id", "school", "name", "role", "email", "phone", "last_confirmed_on", "is_current", "updated_at"]


@extend_schema_view(
    list=extend_schema(summary="List DSL contacts"), retrieve=extend_schema(summary="Get one DSL contact")
)
class DSLContactViewSet(CouncilReadOnlyViewSet):
    """DSL contacts of schools in the client's local authorities (personal data: scope dsl:read)."""

    required_scope = Scope.DSL_READ
    serializer_class = DSLContactSerializer
    filterset_class = DSLContactFilterSet
    ordering_fields = ["name", "last_confirmed_on", "updated_at"]
    ordering = ["school__urn", "role", "name"]

    def get_queryset(self):
        if self.is_schema_generation:
            return DSLContact.objects.none()
        return DSLContact.objects.visible_to(self.client).select_related("school")
